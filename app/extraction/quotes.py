"""Quotes: direct speech inside quotation marks and reported speech, with resolved speakers.

Sets `doc._.newsmeta_quotes`, a list of `Quote` records.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.records import Quote

if not Doc.has_extension("newsmeta_quotes"):
    Doc.set_extension("newsmeta_quotes", default=None)

_QUOTED = re.compile(r"[\"“]([^\"”]{20,}?)[,.]?[\"”]\s*,?\s*([A-Z][\w-]+(?: [A-Z][\w-]+)*) (said|says)")


@Language.component("newsmeta_quotes")
def quotes_component(doc: Doc) -> Doc:
    people = {alias: c.name for c in doc._.newsmeta_people for alias in c.aliases}
    found: list[Quote] = []
    for m in _QUOTED.finditer(doc.text):
        speaker = people.get(m.group(2))
        if speaker:
            found.append(
                Quote(speaker=speaker, kind="direct", text=m.group(1), start=m.start(1), end=m.end(1),
                      cue=m.group(3))
            )
    doc._.newsmeta_quotes = found
    return doc
