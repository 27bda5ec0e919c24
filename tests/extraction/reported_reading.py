"""Helper for the reported-speech tests: the indirect statements the full pipeline reads."""

from __future__ import annotations

from spacy.language import Language


def reported(nlp: Language, text: str) -> list[tuple[str | None, str]]:
    """(speaker, text) of every reported statement in `text`; each text is the text at its offsets."""
    doc = nlp(text)
    out = []
    for q in doc._.newsmeta_quotes:
        assert doc.text[q.start : q.end] == q.text
        if q.kind == "indirect":
            out.append((q.speaker, q.text))
    return out
