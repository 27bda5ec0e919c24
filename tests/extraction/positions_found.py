"""Helper for the position rule tests: the (person, title, organisation) records a text gives."""

from __future__ import annotations

from spacy.language import Language


def found(nlp: Language, text: str) -> set[tuple[str, str, str | None]]:
    return {(p.person, p.title, p.organisation) for p in nlp(text)._.newsmeta_positions}
