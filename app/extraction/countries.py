"""Countries: ISO 3166-1 alpha-2 codes from the names the article uses for them.

Sets `doc._.newsmeta_countries`: {code: [(start, end), ...]} in order of first mention.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("newsmeta_countries"):
    Doc.set_extension("newsmeta_countries", default=None)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Lower-cased name -> alpha-2, from pycountry's names and common names."""
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                table[value.lower()] = c.alpha_2
    return table


def lookup(name: str) -> str | None:
    """The alpha-2 code a surface form stands for, or None."""
    return _names().get(name.lower().removeprefix("the "))


def country_name(code: str) -> str:
    c = pycountry.countries.get(alpha_2=code)
    return str(getattr(c, "common_name", None) or c.name) if c else code


@Language.component("newsmeta_countries")
def countries_component(doc: Doc) -> Doc:
    found: dict[str, list[tuple[int, int]]] = {}
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP", "LOC"):
            code = lookup(ent.text)
            if code:
                found.setdefault(code, []).append((ent.start_char, ent.end_char))
    doc._.newsmeta_countries = found
    return doc
