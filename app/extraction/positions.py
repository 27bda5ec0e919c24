"""Positions: who holds which title, for which organisation and country.

Sets `doc._.newsmeta_positions`, a list of `Position` records.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.records import Position

if not Doc.has_extension("newsmeta_positions"):
    Doc.set_extension("newsmeta_positions", default=None)

TITLES = ("president", "prime minister", "foreign minister", "spokesperson", "spokesman", "minister")


@Language.component("newsmeta_positions")
def positions_component(doc: Doc) -> Doc:
    found: list[Position] = []
    for cluster in doc._.newsmeta_people:
        for start, end in cluster.spans:
            before = doc.text[max(0, start - 40) : start].lower()
            title = next((t for t in TITLES if before.rstrip().endswith(t)), None)
            if title:
                found.append(
                    Position(person=cluster.name, title=title, start=start - len(title) - 1, end=end)
                )
                break
    doc._.newsmeta_positions = found
    return doc
