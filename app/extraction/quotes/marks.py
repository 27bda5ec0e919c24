"""Quotation marks paired into spans: pure string logic, run once per document.

Every pass here is linear in the text (one scan for marks, bisection for lookups), so a
document of a million quotation marks costs about as much as a million letters.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc


@dataclass(frozen=True)
class QuotedSpan:
    """Text between a pair of quotation marks: `start`/`end` exclude the marks."""

    start: int
    end: int
    double: bool = True


_DOUBLE_OPEN = "“„‟"
_DOUBLE_CLOSE = "”"
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
# Characters after which a quotation mark starts a quotation rather than ends one.
_OPENS_AFTER = " \t\n([{—–-/"
_CLOSE_BEFORE = " \t\n.,;:!?)]}—–-/"
_SENTENCE_END = ".!?…"
_MAX_SINGLE = 600
# A double mark: curly or straight, or two apostrophes typed for one (''Yes,'' she said),
# as in typewritten copy and some agencies' archives.
_DOUBLE_MARK = re.compile("''|[\"“”„‟]")
_SINGLE_MARK = re.compile("['‘’]")

MarkRole = Literal["open", "close"]
_USER_DATA_KEY = "newsmeta.quoted_spans"


def quoted_spans(doc: Doc) -> list[QuotedSpan]:
    """The quotation spans of `doc`, paired once and kept on the Doc for every component."""
    cached = doc.user_data.get(_USER_DATA_KEY)
    if cached is None:
        cached = find_quoted_spans(doc.text)
        doc.user_data[_USER_DATA_KEY] = cached
    return list(cached)


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Pair quotation marks into spans, in text order.

    Double marks (straight and curly) are paired within a paragraph; a quotation left
    open at the end of a paragraph runs to its end when the next paragraph opens with
    a mark again (the convention for speech over several paragraphs). Within a paragraph
    a mark that opens a new sentence while a quotation is open starts the next one: the
    same convention with its line breaks lost (`"A. "B. "C."`). Single marks count only
    outside double quotations and only where they cannot be apostrophes.
    """
    spans: list[QuotedSpan] = []
    paragraphs = list(_paragraphs(text))
    for k, (lo, hi) in enumerate(paragraphs):
        nxt = paragraphs[k + 1][0] if k + 1 < len(paragraphs) else None
        continues = nxt is not None and _DOUBLE_MARK.match(text, nxt) is not None
        marks = [(m.start(), m.end()) for m in _DOUBLE_MARK.finditer(text, lo, hi)]
        doubles = _double_spans(text, lo, hi, marks, continues)
        spans.extend(doubles)
        spans.extend(_single_spans(text, lo, hi, doubles, marks))
    spans.sort(key=lambda s: s.start)
    return [s for s in spans if text[s.start : s.end].strip()]


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped of surrounding spaces."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            yield start, start + len(stripped)
        pos += len(line) + 1


def _looks_open(text: str, i: int, j: int, lo: int, hi: int) -> bool:
    """Whether the mark text[i:j] opens a quotation, judged by its neighbours."""
    before = text[i - 1] if i > lo else " "
    after = text[j] if j < hi else " "
    return (before in _OPENS_AFTER or before in _DOUBLE_OPEN) and not after.isspace()


def _reopens(text: str, i: int, j: int, lo: int, hi: int) -> bool:
    """A mark that opens a new sentence of speech: `... bust. "Never again`."""
    if i - 2 < lo or not text[i - 1].isspace() or j >= hi or text[j].isspace():
        return False
    k = i - 1
    while k > lo and text[k].isspace():
        k -= 1
    return text[k] in _SENTENCE_END


def _double_spans(
    text: str, lo: int, hi: int, marks: Sequence[tuple[int, int]], continues: bool
) -> list[QuotedSpan]:
    straight = sum(1 for i, _ in marks if text[i] in "\"'")
    # A paragraph whose marks are all straight and balanced is paired by alternation, which
    # survives typos such as `communities," For example` that fool a look at the neighbours.
    alternate = straight == len(marks) and len(marks) % 2 == 0
    if alternate and any(_reopens(text, i, j, lo, hi) for n, (i, j) in enumerate(marks) if n % 2):
        alternate = False  # `"A. "B. "C."`: every mark after a full stop opens
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    for i, j in marks:
        role: MarkRole
        if text[i] in _DOUBLE_OPEN:
            role = "open"
        elif text[i] in _DOUBLE_CLOSE:
            role = "close"
        elif alternate:
            role = "open" if open_at is None else "close"
        elif open_at is None:
            role = "open" if _looks_open(text, i, j, lo, hi) else "close"
        else:
            role = "open" if _reopens(text, i, j, lo, hi) else "close"
        if role == "open":
            if open_at is not None and _reopens(text, i, j, lo, hi):
                spans.append(QuotedSpan(open_at, i))  # the open quotation ends with its sentence
            open_at = j  # otherwise an earlier unclosed mark was a stray one
        elif open_at is not None:
            spans.append(QuotedSpan(open_at, i))
            open_at = None
    if open_at is not None and continues:
        spans.append(QuotedSpan(open_at, hi))
    return spans


def _single_spans(
    text: str,
    lo: int,
    hi: int,
    doubles: Sequence[QuotedSpan],
    double_marks: Sequence[tuple[int, int]],
) -> list[QuotedSpan]:
    # Characters that belong to a double quotation or to a double mark, as sorted intervals.
    covered = sorted([(d.start - 1, d.end + 1) for d in doubles] + list(double_marks))
    cover_starts = [a for a, _ in covered]
    reach: list[int] = []
    for _, b in covered:
        reach.append(max(b, reach[-1]) if reach else b)

    def outside(i: int) -> bool:
        k = bisect.bisect_right(cover_starts, i) - 1
        return k < 0 or reach[k] <= i

    def can_open(i: int) -> bool:
        before = text[i - 1] if i > lo else " "
        after = text[i + 1] if i + 1 < hi else " "
        if before not in _OPENS_AFTER and before not in _DOUBLE_OPEN:
            return False
        # '90s and 'em are elisions, not quotations.
        return after.isalpha() if text[i] == "'" else not after.isspace()

    def can_close(i: int) -> bool:
        before = text[i - 1] if i > lo else " "
        after = text[i + 1] if i + 1 < hi else " "
        return not before.isspace() and (after in _CLOSE_BEFORE or after in _DOUBLE_CLOSE + '"')

    singles = [m.start() for m in _SINGLE_MARK.finditer(text, lo, hi)]
    closers = [i for i in singles if text[i] in _SINGLE_CLOSE + "'" and can_close(i)]
    spans: list[QuotedSpan] = []
    done = lo
    for i in singles:
        if i < done or text[i] not in _SINGLE_OPEN + "'" or not outside(i) or not can_open(i):
            continue
        k = bisect.bisect_left(closers, i + 2)
        if k < len(closers) and closers[k] < min(hi, i + _MAX_SINGLE) and outside(closers[k]):
            j = closers[k]
            spans.append(QuotedSpan(i + 1, j, double=False))
            done = j + 1
    return spans
