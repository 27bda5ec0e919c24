"""Helpers for the entity component's rule tests: tag names as the model would, read the clusters."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from app.extraction.people import EntitiesComponent


def run(blank: Language, component: EntitiesComponent, text: str, ents: list[tuple[str, str]]) -> Doc:
    """Tag each (surface, label) at its occurrences in order, as the model would, and run the rules."""
    doc = blank(text)
    spans: list[Span] = []
    cursor = 0
    for surface, label in ents:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return component(doc)


def people(doc: Doc) -> dict[str, set[str]]:
    return {c.name: c.aliases for c in doc._.newsmeta_people}


def orgs(doc: Doc) -> dict[str, set[str]]:
    return {c.name: c.aliases for c in doc._.newsmeta_orgs}
