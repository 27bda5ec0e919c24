"""Countries: ISO 3166-1 alpha-2 codes for every country an article refers to.

A country is referred to by its name ("Ukraine", "the U.K."), an adjective or demonym ("French",
"Afghans"), its capital or seat of government ("Moscow", "the Kremlin") or a place inside it
("Alaska", "Mecca"). The gazetteers are data files under `data/countries_*.tsv`, matched by one
case-sensitive `PhraseMatcher` built when the component is added to a pipeline. Words with other
common senses ("Jordan", "Chad", "Turkey") count only where the statistical NER agrees they are
places or peoples, and no word counts inside a person's name ("Paris Hilton") or a phrase that is
not about the country ("Latin American", "Indian Ocean").

Sets `doc._.newsmeta_countries`: {code: [(start_char, end_char), ...]} in order of first mention.
For other components: `lookup(surface)` reads one surface form ("UK", "Russian", "the Kremlin"),
`lookup_span(doc, start, end)` the country a stretch of an annotated `Doc` refers to, and
`country_name(code)` gives a display name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

if not Doc.has_extension("newsmeta_countries"):
    Doc.set_extension("newsmeta_countries", default=None)

Kind = Literal["name", "demonym", "capital", "seat", "place", "not"]

# Data files in order of precedence: a surface defined in an earlier file keeps its reading.
# "not" lists phrases that are no country reference; they take part in longest-match so that
# "Latin American" hides "American", and are then dropped.
_FILES: tuple[tuple[str, Kind], ...] = (
    ("countries_not.tsv", "not"),
    ("countries_names.tsv", "name"),
    ("countries_demonyms.tsv", "demonym"),
    ("countries_capitals.tsv", "capital"),
    ("countries_seats.tsv", "seat"),
    ("countries_places.tsv", "place"),
)

# NER labels that confirm a word with other senses is used as a place or a people.
_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})
# A capital or a city inside a longer entity of these kinds is part of a name, not a reference
# ("Washington Post", "Boston Globe"); names, demonyms and seats there still count ("Saudi Gazette").
_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT"})
# Words before a place name that make a larger place, not a person: "Greater London", "Lake Geneva".
_PLACE_MODIFIERS = frozenset(
    "North South East West Northern Southern Eastern Western Central Greater Upper Lower Inner Outer "
    "Metro Metropolitan Downtown Old Lake Mount Mt Cape Fort Port Bay Gulf River Saint St San Santa "
    "Rural Coastal Occupied Mainland Continental Tsarist Imperial Soviet Nazi Communist Modern".split()
)
# Words before a demonym that make it a language: "speaks French", "translated into English".
_LANGUAGE_VERBS = frozenset(
    "speak speaks spoke spoken speaking learn learns learned learning learnt fluent translated "
    "teach teaches taught".split()
)
# Prepositions that put a word as a place even when it is also someone's name: "born in Paris".
_LOCATIVE = frozenset(
    "in to from at near outside across into via toward towards around through throughout".split()
)


@dataclass(frozen=True)
class Entry:
    """How one surface form reads: the country, the kind of reference, and when it needs support."""

    code: str
    kind: Kind
    needs_ner: bool = False
    alt: str | None = None


@dataclass(frozen=True)
class Gazetteer:
    """Every surface form (with its spelling variants) and the display names."""

    entries: dict[str, Entry]
    display: dict[str, str]


def _rows(filename: str) -> Iterator[list[str]]:
    text = resources.files("app.extraction").joinpath("data", filename).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield [cell.strip() for cell in line.split("\t")]


def _variants(surface: str, entry: Entry) -> set[str]:
    """Spellings news uses for the same form: curly apostrophes, "the"/"The", plurals, dateline caps."""
    forms = {surface, surface.replace("'", "\u2019")}
    if surface.startswith("The "):
        forms |= {"the " + f[4:] for f in forms}
    if entry.kind == "demonym" and " " not in surface and surface.endswith(("an", "i", "er")):
        forms.add(surface + "s")
    # Wire copy opens with "MOSCOW, March 3 (Reuters) -"; short upper-case forms are acronyms.
    if entry.kind in ("name", "capital", "place") and not entry.needs_ner and len(surface) >= 4:
        forms.add(surface.upper())
    return forms


@cache
def gazetteer() -> Gazetteer:
    """All surface forms -> `Entry`, from the data files and pycountry's names; loaded once."""
    entries: dict[str, Entry] = {}
    display: dict[str, str] = {}
    for filename, kind in _FILES:
        for row in _rows(filename):
            surface = row[0]
            if kind == "not":
                entry = Entry(code="", kind="not")
            else:
                flags = set(row[2].split(",")) if len(row) > 2 and row[2] else set()
                alt = next((f.removeprefix("alt=") for f in flags if f.startswith("alt=")), None)
                entry = Entry(code=row[1], kind=kind, needs_ner="ner" in flags, alt=alt)
                if "display" in flags:
                    display.setdefault(entry.code, surface)
            for form in _variants(surface, entry):
                entries.setdefault(form, entry)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            # "Korea, Republic of" and "Holy See (Vatican City State)" are catalogue forms, not prose.
            if not value or "," in value or "(" in value:
                continue
            value = value.removeprefix("the ")
            if value in entries:
                continue  # the data files' reading wins, flags included
            entry = Entry(code=country.alpha_2, kind="name")
            for form in _variants(value, entry):
                entries.setdefault(form, entry)
    return Gazetteer(entries=entries, display=display)


def lookup_entry(surface: str) -> Entry | None:
    """How a surface form reads, with its kind and whether it needs context; None if no country.

    Case-sensitive, so "us" is not the US: "UK", "U.S.", "Russian", "Britons", "Kremlin",
    "the Kremlin", "Moscow", "Ukraine's" all resolve. A lower-case or upper-case form of four
    letters or more is tried capitalised ("russian", "RUSSIA") unless the word has other senses
    ("chad"). Callers that must not mistake a person's name for a country can check `kind`
    ("name" and "demonym" are safest) and `needs_ner` ("Jordan", "Chad", "Georgia").
    """
    entries = gazetteer().entries
    text = " ".join(surface.split())
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if text.endswith(suffix) and text[: -len(suffix)] in entries:
            text = text[: -len(suffix)]
            break
    candidates = [text]
    if text.lower().startswith("the "):
        candidates.append(text[4:])
    for candidate in candidates:
        entry = entries.get(candidate)
        if entry is None and len(candidate) >= 4 and (candidate.islower() or candidate.isupper()):
            entry = entries.get(" ".join(w[:1].upper() + w[1:].lower() for w in candidate.split()))
            if entry is not None and entry.needs_ner:
                entry = None
        if entry is not None:
            return entry if entry.kind != "not" else None
    return None


def lookup(surface: str, *, places: bool = True) -> str | None:
    """The alpha-2 code a surface form stands for, or None.

    "UK" -> GB, "Russian" -> RU, "the Kremlin" -> RU, "Moscow" -> RU, "Texas" -> US, "us" -> None.
    With `places=False` places inside a country ("Texas", "Houston") do not count: many of them
    are also people's surnames. Words that need context (Georgia, Jordan) resolve to their country
    reading; `lookup_entry` tells which ones those are.
    """
    entry = lookup_entry(surface)
    if entry is None or (entry.kind == "place" and not places):
        return None
    return entry.code


def lookup_span(doc: Doc, start_char: int, end_char: int) -> str | None:
    """The country that the text between `start_char` and `end_char` of an annotated doc refers to.

    Uses the mentions the component found (so "UK Prime Minister" -> GB, and a "Georgia" that the
    article uses for the US state -> US), the first one inside the range; falls back to `lookup`
    on the whole text when the doc was not annotated or no mention lies inside.
    """
    found: dict[str, list[tuple[int, int]]] | None = doc._.newsmeta_countries
    best: tuple[int, str] | None = None
    for code, spans in (found or {}).items():
        for start, end in spans:
            if start >= start_char and end <= end_char and (best is None or start < best[0]):
                best = (start, code)
    if best is not None:
        return best[1]
    return lookup(doc.text[start_char:end_char])


def country_name(code: str) -> str:
    """The common name of an alpha-2 code ("RU" -> "Russia"); the code itself when unknown."""
    name = gazetteer().display.get(code)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country else code


class CountriesComponent:
    """Finds country references with one PhraseMatcher and keeps those the context supports."""

    def __init__(self, nlp: Language, name: str = "newsmeta_countries") -> None:
        self.name = name
        self.entries = gazetteer().entries
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        surfaces = sorted(self.entries)
        for surface in surfaces:
            self.matcher.add(surface, [nlp.make_doc(surface)])

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[tuple[int, int]]] = {}
        matches = [(span, entry) for span, entry in self._longest(doc) if entry.kind != "not"]
        if not matches:
            doc._.newsmeta_countries = found
            return doc
        name_words = _person_words(doc)
        for span, entry in matches:
            if _is_surname(doc, span, entry):
                name_words.add(span.text)
        accepted = [(span, entry) for span, entry in matches if _accept(doc, span, entry, name_words)]
        # Places inside a country decide between two readings of a name ("Georgia": the country,
        # unless the article also names Atlanta or Texas, when it is the US state).
        places = {entry.code for _, entry in accepted if entry.kind == "place"}
        direct = {entry.code for _, entry in accepted if entry.alt is None}
        for span, entry in accepted:
            code = entry.code
            if entry.alt is not None and entry.alt in places and code not in direct:
                code = entry.alt
            found.setdefault(code, []).append((span.start_char, span.end_char))
        doc._.newsmeta_countries = found
        return doc

    def _longest(self, doc: Doc) -> list[tuple[Span, Entry]]:
        """Matches in text order, the longest winning where they overlap ("New Mexico" over "Mexico")."""
        strings = doc.vocab.strings
        candidates = sorted(self.matcher(doc), key=lambda m: (m[1] - m[2], m[1]))
        taken: set[int] = set()
        kept: list[tuple[Span, Entry]] = []
        for match_id, start, end in candidates:
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                kept.append((doc[start:end], self.entries[strings[match_id]]))
        kept.sort(key=lambda item: item[0].start)
        return kept


def _accept(doc: Doc, span: Span, entry: Entry, name_words: set[str]) -> bool:
    """Whether a gazetteer match is a reference to the country in this context."""
    labels = {t.ent_type_ for t in span if t.ent_type_}
    if entry.kind == "demonym" and ("LANGUAGE" in labels or _is_language(doc, span)):
        return False  # "written in French"
    if entry.needs_ner and not labels & _PLACE_LABELS:
        return False
    if entry.kind == "demonym" and span.text.endswith("s") and span.start > 0:
        before = gazetteer().entries.get(doc[span.start - 1].text)
        if before is not None and before.kind in ("capital", "place"):
            return False  # a team: "Cleveland Indians" (the NER rarely puts it in one ORG)
    outer = _enclosing_entity(doc, span)
    if outer is not None and (outer.start < span.start or outer.end > span.end):
        if outer.label_ == "PERSON" and _name_neighbour(doc, span, outer):
            return False  # "Jack London", "Jordan Peterson"; not "pro-Beijing" mislabelled PERSON
        if outer.label_ in _NAME_LABELS and entry.kind in ("capital", "place"):
            return False  # "Washington Post", "New York Times"
        if (
            outer.label_ == "ORG"
            and entry.kind == "demonym"
            and span.end == outer.end
            and span.text[-1] == "s"
        ):
            return False  # a team named for a people; a leading demonym counts: "Saudi Gazette"
    # A city that is also part of a person's name in this article ("Paris" beside "Valeska Paris")
    # is the person, unless the sentence puts it as a place ("born in Paris"); the NER is no help
    # here, as it labels such surnames GPE as readily as the city.
    if span.text in name_words and (entry.kind in ("capital", "place") or entry.needs_ner):
        return span.start > 0 and doc[span.start - 1].lower_ in _LOCATIVE
    return True


def _is_language(doc: Doc, span: Span) -> bool:
    """A demonym used as a language name: "spoke in French.", "speaks Russian", "French-language"."""
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end : span.end + 2]
    if len(after) == 2 and after[0].text == "-" and after[1].lower_ in ("language", "speaking", "speaker"):
        return True
    if prev in _LANGUAGE_VERBS:
        return True
    # "in French" with nothing after it that the adjective could qualify ("in French politics").
    return prev in ("in", "into") and (not after or after[0].is_punct or after[0].lower_ in ("and", "or"))


def _is_surname(doc: Doc, span: Span, entry: Entry) -> bool:
    """A capital or city right after a capitalised name word is a surname: "Valeska Paris", "Mr London"."""
    if entry.kind not in ("capital", "place") or span.start == 0:
        return False
    prev = doc[span.start - 1]
    word = prev.text.removesuffix(".")  # "Mr. London"
    return (
        prev.pos_ == "PROPN"
        and word.isalpha()
        and word.istitle()
        and not prev.is_stop
        and word not in _PLACE_MODIFIERS
        and prev.ent_type_ not in _PLACE_LABELS - {"GPE"}
        and prev.text not in gazetteer().entries
    )


def _enclosing_entity(doc: Doc, span: Span) -> Span | None:
    """The NER entity that covers the whole span, if any."""
    if not all(t.ent_type_ for t in span) or any(t.ent_iob_ == "B" for t in span[1:]):
        return None
    start = span.start
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = span.end
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[span.start].ent_type_)


def _person_words(doc: Doc) -> set[str]:
    """Words of the person names in the doc ("Valeska", "Paris"), from NER and `newsmeta_people`.

    Only runs of two or more capitalised words count as a name, so that a PERSON label the NER put
    on "Pro-Beijing DAB's Starry Lee" does not make "Beijing" a name.
    """
    words: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            run: list[str] = []
            for token in [*ent, None]:
                if token is not None and token.is_alpha and token.is_title:
                    run.append(token.text)
                    continue
                if len(run) > 1:
                    words.update(run)
                run = []
    clusters = doc._.newsmeta_people if Doc.has_extension("newsmeta_people") else None
    for cluster in clusters or ():
        parts = str(getattr(cluster, "name", "")).split()
        if len(parts) > 1 and all(p.isalpha() and p.istitle() for p in parts):
            words.update(parts)
    return words


def _name_neighbour(doc: Doc, span: Span, outer: Span) -> bool:
    """Whether the span sits next to another capitalised word inside the entity: "Jack London"."""
    near = []
    if span.start > outer.start:
        near.append(doc[span.start - 1])
    if span.end < outer.end:
        near.append(doc[span.end])
    return any(t.is_alpha and t.is_title for t in near)


@Language.factory("newsmeta_countries")
def make_countries(nlp: Language, name: str) -> CountriesComponent:
    return CountriesComponent(nlp, name)
