"""The `newsmeta_quotes` spaCy component: direct speech inside quotation marks and reported
speech, with resolved speakers.

Sets `doc._.newsmeta_quotes`, a list of `Quote` records in text order. Everything is read
off what earlier components left on the `Doc` (the model's dependency parse,
`doc._.newsmeta_people`, `doc._.newsmeta_positions`); the model never runs again.

A short driver runs one stage a module, each linear in the Doc, over per-Doc readings
computed once: `docindex` (quotation spans by token, paragraphs, prefix counts) and
`salience` (who pronouns, "Mr X" and descriptions stand for; shared with positions).
`reported` finds reported speech, `direct` attributes the remaining quotations and finds
block and pull quotes, `speakers` chooses the person behind a cue. See docs/quotes.md.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Token

from app.extraction.quotes.direct import DirectSpeech
from app.extraction.quotes.docindex import Found
from app.extraction.quotes.lexicon import HONORIFICS_FILE, CueLexicon, load_cues, load_genders, load_words
from app.extraction.quotes.reported import ReportedSpeech
from app.extraction.quotes.salience import Salience, salience
from app.extraction.quotes.speakers import Speakers
from app.extraction.records import Quote

if not Doc.has_extension("newsmeta_quotes"):
    Doc.set_extension("newsmeta_quotes", default=None)


@Language.factory("newsmeta_quotes", default_config={"min_direct_words": 4, "salience_sentences": 5})
def make_quote_finder(
    nlp: Language, name: str, min_direct_words: int, salience_sentences: int
) -> QuoteFinder:
    return QuoteFinder(min_direct_words=min_direct_words, salience_sentences=salience_sentences)


class QuoteFinder:
    """The `newsmeta_quotes` component: word lists are loaded once, here."""

    def __init__(
        self,
        *,
        min_direct_words: int = 4,
        salience_sentences: int = 5,
        cues: CueLexicon | None = None,
        roles: frozenset[str] | None = None,
    ) -> None:
        self.min_direct_words = min_direct_words
        self.salience_sentences = salience_sentences
        self.cues = cues or load_cues()
        self.roles = roles or load_words()
        self.genders = load_genders()
        self.honorifics = load_words(HONORIFICS_FILE)

    def __call__(self, doc: Doc) -> Doc:
        doc._.newsmeta_quotes = find_quotes(doc, self)
        return doc


def _salience_of(doc: Doc, finder: QuoteFinder) -> Salience:
    return salience(
        doc,
        window=finder.salience_sentences,
        genders=finder.genders,
        honorifics=finder.honorifics,
        roles=finder.roles,
    )


def pronoun_resolver(doc: Doc, finder: QuoteFinder) -> Callable[[Token], str | None]:
    """Who a subject "he" or "she" outside quotation marks stands for: the Doc's one salience
    reading (`salience.salience(doc).resolve_pronoun`), which the quote component reuses."""
    return _salience_of(doc, finder).resolve_pronoun


def find_quotes(doc: Doc, finder: QuoteFinder) -> list[Quote]:
    """The quotes of `doc`: reported speech, then direct speech, block and pull quotes."""
    sal = _salience_of(doc, finder)
    positions = doc._.newsmeta_positions if Doc.has_extension("newsmeta_positions") else None
    speakers = Speakers(sal, positions or [])
    direct = DirectSpeech(speakers, finder.cues, finder.min_direct_words)
    found = ReportedSpeech(speakers, finder.cues).find() if sal.has_parse else []
    taken = sal.idx.covered_quotes(found)
    found.extend(direct.find(taken, found))
    if sal.has_parse:
        found.extend(direct.block_quotes())
        speakers.carry_speakers(found)
    pulled = direct.pull_quotes(found)
    if pulled:  # what the signed paragraph holds is that person's, not unattributed speech
        pull_starts = [p.start for p in pulled]  # in text order, one per line

        def signed(pos: int) -> bool:
            k = bisect.bisect_right(pull_starts, pos) - 1
            return k >= 0 and pos < pulled[k].end

        found = [f for f in found if f.speaker is not None or not signed(f.start)]
        found.extend(pulled)
    found.sort(key=lambda f: f.start)
    text = sal.text
    return [_record(text, f) for f in found if f.kind == "direct" or f.speaker is not None]


def _record(text: str, f: Found) -> Quote:
    # Reported speech without a person is dropped above: too often "reports suggested ...".
    return Quote(
        speaker=f.speaker,
        kind=f.kind,
        text=text[f.start : f.end],
        start=f.start,
        end=f.end,
        cue=f.cue.text if f.cue is not None else None,
    )
