"""Bounded-cost preparation of a text for the pipeline: pathological runs defused, long texts windowed.

Two shapes make extraction cost grow faster than the text:

* A long run without whitespace that the tokenizer peels one prefix or suffix at a time
  (quote marks, brackets, emoji): spaCy's tokenizer is quadratic in the length of such a
  run (5,000 straight quotes took 4.4 s, 20,000 took 70 s). `defuse` replaces the
  punctuation and symbols of every run longer than `MAX_RUN` characters with spaces, one
  character for one, so every offset into the prepared text is an offset into the
  original, and the tokenizer sees short pieces.
* A long text as one `Doc`: memory grows with its tokens (about 3 KB a character with the
  small English model) and any component that looks across the document costs more than
  linearly. `windows` cuts the text into pieces of at most `window_chars` characters at
  paragraph breaks (else sentence ends, else whitespace), so cost is linear in the number
  of windows and memory is that of one window; `merge` joins their records into one
  `Extraction` with offsets into the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.extraction.records import (
    Country,
    Extraction,
    ExtractorInfo,
    Mention,
    Organisation,
    Person,
    Position,
    Quote,
)

MAX_RUN = 100
"""Longest run without whitespace left as it is: longer than any word, name, or e-mail
address, and short enough that the tokenizer's cost on it is negligible (milliseconds).
URLs get `MAX_URL_RUN`, since the tokenizer matches them whole, in linear time."""

MAX_URL_RUN = 2_000
"""Longest URL left whole: the practical limit browsers and servers agree on."""

DEFAULT_WINDOW_CHARS = 30_000
"""Characters per window: five times a typical news article (4,000-6,000 characters), so
nearly every article is one window and is read exactly as before; a 100,000-character
long read is four. One window peaks at about 100 MB of parse over the loaded model."""

_LONG_RUN = re.compile(r"\S{" + str(MAX_RUN + 1) + ",}")
_URL = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[\x21-\x7e]+\Z")
_NOT_WORD = re.compile(r"[^\w]")
_PARAGRAPH = re.compile(r"\n")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")
_SPACE = re.compile(r"\s")


def defuse(text: str) -> str:
    """`text` with the punctuation and symbols of over-long runs replaced by spaces.

    Length-preserving: the result has the same length as `text` and differs only inside
    runs of more than `MAX_RUN` non-space characters (URLs up to `MAX_URL_RUN`), which
    hold no names or quotes a reader could find anyway. Linear in the text.
    """
    if len(text) <= MAX_RUN:
        return text
    pieces: list[str] = []
    last = 0
    for match in _LONG_RUN.finditer(text):
        run = match.group()
        if len(run) <= MAX_URL_RUN and _URL.match(run):
            continue
        spaced, count = _NOT_WORD.subn(" ", run)
        if not count:  # letters and digits only: one token, found in linear time
            continue
        pieces.append(text[last : match.start()])
        pieces.append(spaced)
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def windows(text: str, window_chars: int = DEFAULT_WINDOW_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces covering `text`, each at most `window_chars` long.

    A piece ends after the last line break in its second half; failing one, after the last
    sentence end; failing that, at the last whitespace; failing all, at the limit. Only the
    second half is searched, so every piece is at least half a window long.
    """
    window_chars = max(2, window_chars)
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > window_chars:
        limit = start + window_chars
        floor = start + window_chars // 2
        cut = _last_end(_PARAGRAPH, text, floor, limit)
        if cut is None:
            cut = _last_end(_SENTENCE_END, text, floor, limit)
        if cut is None:
            cut = _last_end(_SPACE, text, floor, limit)
        if cut is None:
            cut = limit
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


def _last_end(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """The end of the last match of `pattern` within text[lo:hi], or None."""
    end = None
    for match in pattern.finditer(text, lo, hi):
        end = match.end()
    return end


def merge(parts: Sequence[tuple[int, Extraction]], *, text: str, extractor: ExtractorInfo) -> Extraction:
    """One `Extraction` for `text` from the extractions of its windows (each with its start offset).

    Entities named alike in several windows become one: people and organisations by name
    or alias, and a one-word name ("Peskov") joins the one person whose full name ends
    with it ("Dmitry Peskov"); positions and quotes follow their people's merged names.
    Offsets are shifted into `text`, and every surface text is read from `text`.
    """
    if len(parts) == 1 and parts[0][0] == 0:
        return reslice(parts[0][1], text)
    people = _Entities()
    orgs = _Entities()
    countries: dict[str, tuple[str, list[Mention]]] = {}
    positions: dict[tuple[str, str], Position] = {}
    quotes: list[Quote] = []
    for offset, extraction in parts:
        for p in extraction.people:
            people.add(p.name, p.aliases, _shift_mentions(p.mentions, offset, text))
        for o in extraction.organisations:
            orgs.add(o.name, o.aliases, _shift_mentions(o.mentions, offset, text))
        for c in extraction.countries:
            countries.setdefault(c.code, (c.name, []))[1].extend(_shift_mentions(c.mentions, offset, text))
    people.join_surnames()
    for offset, extraction in parts:
        for pos in extraction.positions:
            person = people.canonical(pos.person)
            key = (person, pos.title)
            old = positions.get(key)
            if old is None:
                positions[key] = pos.model_copy(
                    update={"person": person, "start": pos.start + offset, "end": pos.end + offset}
                )
            else:
                positions[key] = old.model_copy(
                    update={
                        "organisation": old.organisation or pos.organisation,
                        "country": old.country or pos.country,
                    }
                )
        for q in extraction.quotes:
            start, end = q.start + offset, q.end + offset
            quotes.append(
                q.model_copy(
                    update={
                        "speaker": people.canonical(q.speaker) if q.speaker is not None else None,
                        "start": start,
                        "end": end,
                        "text": text[start:end] if len(q.text) == end - start else q.text,
                    }
                )
            )
    return Extraction(
        people=tuple(
            Person(name=name, aliases=aliases, mentions=mentions)
            for name, aliases, mentions in people.items()
        ),
        organisations=tuple(
            Organisation(name=name, aliases=aliases, mentions=mentions)
            for name, aliases, mentions in orgs.items()
        ),
        countries=tuple(
            Country(code=code, name=name, mentions=tuple(mentions))
            for code, (name, mentions) in countries.items()
        ),
        positions=tuple(positions.values()),
        quotes=tuple(quotes),
        extractor=extractor,
    )


def reslice(extraction: Extraction, text: str) -> Extraction:
    """`extraction` with the surface texts of mentions and quotes read from `text` (the original,
    not the defused copy the pipeline saw): the same offsets, the characters the client sent."""

    def mentions(ms: tuple[Mention, ...]) -> tuple[Mention, ...]:
        return tuple(m if text[m.start : m.end] == m.text else _slice(m, text) for m in ms)

    return extraction.model_copy(
        update={
            "people": tuple(
                p.model_copy(update={"mentions": mentions(p.mentions)}) for p in extraction.people
            ),
            "organisations": tuple(
                o.model_copy(update={"mentions": mentions(o.mentions)}) for o in extraction.organisations
            ),
            "countries": tuple(
                c.model_copy(update={"mentions": mentions(c.mentions)}) for c in extraction.countries
            ),
            "quotes": tuple(
                q
                if len(q.text) != q.end - q.start or text[q.start : q.end] == q.text
                else q.model_copy(update={"text": text[q.start : q.end]})
                for q in extraction.quotes
            ),
        }
    )


def _slice(m: Mention, text: str) -> Mention:
    return m.model_copy(update={"text": text[m.start : m.end]})


def _shift_mentions(mentions: Iterable[Mention], offset: int, text: str) -> list[Mention]:
    return [
        Mention(start=m.start + offset, end=m.end + offset, text=text[m.start + offset : m.end + offset])
        for m in mentions
    ]


class _Entities:
    """People or organisations gathered over windows, merged by name and alias (linear: each
    name is an id, and a merge points one id at another)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}  # any name or alias -> an entity id
        self._name: list[str] = []
        self._aliases: list[set[str]] = []
        self._mentions: list[list[Mention]] = []
        self._into: list[int] = []  # merged ids point at the id they joined; live ones at themselves

    def _find(self, i: int) -> int:
        while self._into[i] != i:
            self._into[i] = self._into[self._into[i]]
            i = self._into[i]
        return i

    def add(self, name: str, aliases: Iterable[str], mentions: list[Mention]) -> None:
        aliases = tuple(aliases)
        known = next((self._ids[n] for n in (name, *aliases) if n in self._ids), None)
        if known is None:
            known = len(self._name)
            self._name.append(name)
            self._aliases.append(set())
            self._mentions.append([])
            self._into.append(known)
        known = self._find(known)
        if len(name) > len(self._name[known]):  # the fullest name the article gives
            self._name[known] = name
        self._aliases[known].update((name, *aliases))
        self._mentions[known].extend(mentions)
        for n in (name, *aliases):
            self._ids.setdefault(n, known)

    def join_surnames(self) -> None:
        """A one-word name joins the one longer name that ends with it ("Peskov", "Dmitry Peskov")."""
        live = [i for i in range(len(self._name)) if self._into[i] == i]
        by_last: dict[str, list[int]] = {}
        for i in live:
            words = self._name[i].split()
            if len(words) > 1:
                by_last.setdefault(words[-1], []).append(i)
        for i in live:
            if " " in self._name[i]:
                continue
            fuller = by_last.get(self._name[i], [])
            if len(fuller) == 1:
                target = fuller[0]
                self._aliases[target] |= self._aliases[i]
                self._mentions[target].extend(self._mentions[i])
                self._into[i] = target

    def canonical(self, name: str) -> str:
        i = self._ids.get(name)
        return name if i is None else self._name[self._find(i)]

    def items(self) -> list[tuple[str, tuple[str, ...], tuple[Mention, ...]]]:
        return [
            (
                self._name[i],
                tuple(sorted(self._aliases[i] - {self._name[i]})),
                tuple(sorted(self._mentions[i], key=lambda m: m.start)),
            )
            for i in range(len(self._name))
            if self._into[i] == i
        ]
