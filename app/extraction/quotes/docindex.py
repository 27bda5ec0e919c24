"""The per-Doc index every quote stage reads: quotation spans by token, paragraphs,
sentences and prefix counts, computed once and kept on the Doc.

Every question about a token range below is answered in constant or logarithmic time, so
the stages that read it stay linear in the Doc.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.extraction.quotes.marks import quoted_spans
from app.extraction.records import QuoteKind

# A quotation of at most this many words may be a scare quote inside a sentence of speech.
SCARE_QUOTE_WORDS = 2
_USER_DATA_KEY = "newsmeta.quote_index"


@dataclass
class Found:
    """A quote before its speaker is known: token range of the content and its cue."""

    start: int  # character offsets of the quoted text
    end: int
    kind: QuoteKind
    cue: Token | None
    lo: int  # token range of the content, inclusive
    hi: int
    speaker: str | None = None
    inherited: bool = False


def doc_index(doc: Doc) -> DocIndex:
    """The index of `doc`, built on first use and kept in `doc.user_data` for later readers."""
    cached = doc.user_data.get(_USER_DATA_KEY)
    if not isinstance(cached, DocIndex) or cached.doc is not doc:
        cached = DocIndex(doc)
        doc.user_data[_USER_DATA_KEY] = cached
    return cached


class DocIndex:
    """Token-level arrays of one Doc: which quotation each token is in, paragraph and sentence
    numbers, word counts; and the range helpers built on them."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.quoted = quoted_spans(doc)
        n = len(doc)
        starts = [t.idx for t in doc]
        self.token_starts = starts
        self.quote_of = [-1] * n  # the quotation each token is inside, or -1
        self.qtokens: list[tuple[int, int]] = []
        for k, span in enumerate(self.quoted):
            a = bisect.bisect_left(starts, span.start)
            b = bisect.bisect_left(starts, span.end)
            self.qtokens.append((a, b))
            for i in range(a, b):
                self.quote_of[i] = k
        self.has_parse = doc.has_annotation("DEP")
        is_word = [not (t.is_punct or t.is_space) for t in doc]
        self.words_before = [0] * (n + 1)  # word tokens in doc[:i]
        for i in range(n):
            self.words_before[i + 1] = self.words_before[i] + is_word[i]
        self.next_word = [n] * (n + 1)  # first word token at or after i
        for i in range(n - 1, -1, -1):
            self.next_word[i] = i if is_word[i] else self.next_word[i + 1]
        self.prev_word = [-1] * n  # last word token at or before i
        for i in range(n):
            self.prev_word[i] = i if is_word[i] else (self.prev_word[i - 1] if i else -1)
        self.quote_words = [self.words_in(a, b - 1) for a, b in self.qtokens]
        self.mark_pos = [i for i, ch in enumerate(self.text) if ch in '"“”']
        # Paragraph number of each token: the parse sometimes runs a sentence across a line
        # break, but a speaker and what they said never straddle one.
        self.para_of = [0] * n
        self.para_first: list[int] = [0]
        para = 0
        for t in doc:
            self.para_of[t.i] = para
            if "\n" in t.text:  # a blank line between paragraphs is one break, not two
                para += 1
                self.para_first.append(t.i + 1)
        self.sent_of = [0] * n
        self.sent_starts: list[int] = []
        if self.has_parse:
            for n_sent, sent in enumerate(doc.sents):
                self.sent_starts.append(sent.start)
                for i in range(sent.start, sent.end):
                    self.sent_of[i] = n_sent

    def words_in(self, lo: int, hi: int) -> int:
        """Word tokens (not punctuation or space) in doc[lo : hi + 1]."""
        return self.words_before[hi + 1] - self.words_before[lo] if lo <= hi else 0

    def balanced(self, start: int, end: int) -> tuple[int, int]:
        """Widen reported text by one quotation mark when it would otherwise hold half a pair."""
        text = self.text
        marks = bisect.bisect_left(self.mark_pos, end) - bisect.bisect_left(self.mark_pos, start)
        if marks % 2:
            if end < len(text) and text[end] in '"”':
                end += 1
            elif start > 0 and text[start - 1] in '"“':
                start -= 1
        return start, end

    def clip(self, lo: int, hi: int, verb: Token) -> tuple[int, int]:
        """Keep a content range inside the verb's paragraph and off quotations it only grazes."""
        para = self.para_of[verb.i]
        lo = max(lo, self.para_first[para])
        if para + 1 < len(self.para_first):
            hi = min(hi, self.para_first[para + 1] - 1)
        lo, hi = self.trim(lo, hi)
        if lo <= hi and self.quote_of[lo] >= 0:
            first, last = self.quote_word_range(self.quote_of[lo])
            if first < lo:
                lo = last + 1
        if lo <= hi and self.quote_of[hi] >= 0:
            first, last = self.quote_word_range(self.quote_of[hi])
            if last > hi:
                hi = first - 1
        return self.trim(lo, hi)

    def quote_word_range(self, k: int) -> tuple[int, int]:
        """First and last word tokens of quotation `k` (its punctuation aside)."""
        a, b = self.qtokens[k]
        if not self.quote_words[k]:
            return a, b - 1
        return self.next_word[a], self.prev_word[b - 1]

    def trim(self, lo: int, hi: int) -> tuple[int, int]:
        """Drop punctuation, conjunctions and the complementiser "that" from both ends."""
        doc = self.doc
        while lo <= hi:
            lo = self.next_word[lo]  # a run of punctuation in one step
            if lo <= hi and (doc[lo].dep_ == "cc" or (doc[lo].dep_ == "mark" and doc[lo].lower_ == "that")):
                lo += 1
            else:
                break
        while hi >= lo:
            hi = self.prev_word[hi]
            if hi >= lo and doc[hi].dep_ == "cc":
                hi -= 1
            else:
                break
        return lo, hi

    def trim_chars(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start < end and (text[start].isspace() or text[start] in ",;:"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1
        return start, end

    def speech_quote(self, k: int) -> bool:
        """Whether quotation `k` holds speech rather than a word or two in scare quotes."""
        return self.quote_words[k] > SCARE_QUOTE_WORDS

    def depth(self, found: Sequence[Found]) -> list[int]:
        """How many content ranges cover each token."""
        n = len(self.doc)
        delta = [0] * (n + 1)
        for f in found:
            if f.lo <= f.hi:
                delta[f.lo] += 1
                delta[f.hi + 1] -= 1
        depth = [0] * (n + 1)
        running = 0
        for i in range(n):
            running += delta[i]
            depth[i] = running
        return depth

    def coverage(self, found: Sequence[Found]) -> list[int]:
        """Prefix counts of tokens covered by any content range: covered[i] counts doc[:i]."""
        covered = [0] * (len(self.doc) + 1)
        for i, d in enumerate(self.depth(found)[:-1]):
            covered[i + 1] = covered[i] + (d > 0)
        return covered

    def covered_quotes(self, found: Sequence[Found]) -> set[int]:
        """Quotations inside reported content (or already taken as a direct quote there)."""
        covered = self.coverage(found)
        return {
            k
            for k, (a, b) in enumerate(self.qtokens)
            if a < b and covered[b] - covered[a] > 0  # some token of the quotation is covered
        }


class IndexView:
    """A stage of the quote pass: reads the shared index through plain attributes (aliases
    of its lists, so a lookup costs what it did when everything was one class)."""

    def __init__(self, idx: DocIndex) -> None:
        self.idx = idx
        self.doc = idx.doc
        self.text = idx.text
        self.quoted = idx.quoted
        self.token_starts = idx.token_starts
        self.quote_of = idx.quote_of
        self.qtokens = idx.qtokens
        self.has_parse = idx.has_parse
        self.words_before = idx.words_before
        self.next_word = idx.next_word
        self.prev_word = idx.prev_word
        self.quote_words = idx.quote_words
        self.para_of = idx.para_of
        self.para_first = idx.para_first
        self.sent_of = idx.sent_of
        self.sent_starts = idx.sent_starts
