"""Political parties from `data/orgs_parties.tsv`: every form a party goes by, and its members' nouns.

    parties().party(form, countries)   the party a name or short form stands for ("Tories")
    parties().of_member(noun, countries)   the party a member noun belongs to ("Democrat")

A form several countries' parties share ("Labour", "Democratic Party") goes to the party of a
country the article names (pass its codes in `countries`), else to the first one listed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from app.extraction.countries import lookup as country_lookup

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Party:
    """One party: its name in English news, its country and the other forms of its name."""

    name: str
    country: str
    names: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class PartyLexicon:
    parties: tuple[Party, ...]
    by_name: dict[str, tuple[Party, ...]]
    by_member: dict[str, tuple[Party, ...]]

    def party(self, form: str, countries: Collection[str] = ()) -> Party | None:
        """The party that `form` (a full name, short form or abbreviation) names, or None."""
        return _choose(self.by_name.get(form, ()), countries)

    def of_member(self, noun: str, countries: Collection[str] = ()) -> Party | None:
        """The party whose member `noun` ("Tory", "Democrats") denotes, or None."""
        return _choose(self.by_member.get(noun, ()), countries)

    def is_form(self, text: str) -> bool:
        return text in self.by_name or text in self.by_member


def _choose(options: tuple[Party, ...], countries: Collection[str]) -> Party | None:
    if not options:
        return None
    return next((p for p in options if p.country in countries), options[0])


def load(path: Path) -> PartyLexicon:
    parties: list[Party] = []
    by_name: dict[str, list[Party]] = {}
    by_member: dict[str, list[Party]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t") + ["", ""]
        country, name = cols[0].strip(), cols[1].strip()
        names = tuple(n.strip() for n in cols[2].split("|") if n.strip())
        members = tuple(n.strip() for n in cols[3].split("|") if n.strip())
        party = Party(name=name, country=country, names=names, members=members)
        parties.append(party)
        for form in (name, *names):
            by_name.setdefault(form, []).append(party)
        for noun in members:
            by_member.setdefault(noun, []).append(party)
    return PartyLexicon(
        parties=tuple(parties),
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_member={k: tuple(v) for k, v in by_member.items()},
    )


@cache
def parties() -> PartyLexicon:
    """The parties of `data/orgs_parties.tsv`, loaded once per process."""
    return load(DATA / "orgs_parties.tsv")


# --------------------------------------------------------------------------- finding parties in a Doc

# Entity labels whose longer names a party's word can be part of ("Republican National
# Committee", "Damian Green", "Democratic Republic of Congo"): the word then is the name's.
_NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "GPE", "LOC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
_DETERMINERS = frozenset({"the", "a", "an"})


def party_matcher(vocab: Vocab, make_doc: Callable[[str], Doc]) -> PhraseMatcher:
    """A matcher for every party name and member noun, "party" also in lower case ("Tory party")."""
    lex = parties()
    matcher = PhraseMatcher(vocab, attr="ORTH")
    forms = set(lex.by_name) | set(lex.by_member)
    forms |= {f[: -len("Party")] + "party" for f in lex.by_name if f.endswith(" Party")}
    matcher.add("PARTY", [make_doc(f) for f in sorted(forms)])
    return matcher


def find_parties(
    doc: Doc, matcher: PhraseMatcher, allowed_after: Callable[[Token], bool]
) -> list[tuple[int, int, Party]]:
    """Token spans that stand for a party, each with the party it names.

    A party's name or short form anywhere it is not part of a longer name; a member noun
    ("Tories", "Democrat", "Tory" in "Tory MPs"). A word at a sentence's start counts only
    as a proper noun or inside an entity ("Labour costs rose" is not the party). Where a
    form fits several countries' parties, the country most of the article's party forms
    and place names point to decides.
    """
    lex = parties()
    matches = sorted(((s, e) for _, s, e in matcher(doc)), key=lambda se: (se[0], -(se[1] - se[0])))
    kept: list[tuple[int, int]] = []
    for s, e in matches:
        if kept and s < kept[-1][1]:
            continue
        if not _stands_alone(doc, s, e, allowed_after):
            continue
        kept.append((s, e))
    if not kept:
        return []
    options = [_options(doc[s:e].text, lex) for s, e in kept]
    votes: dict[str, float] = {}
    for opts in options:
        for country in {p.country for p in opts}:
            votes[country] = votes.get(country, 0.0) + 1.0
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP"):
            code = country_lookup(ent.text)
            if code:
                votes[code] = votes.get(code, 0.0) + 0.5
    out = []
    for (s, e), opts in zip(kept, options, strict=True):
        best = max(opts, key=lambda p: (votes.get(p.country, 0.0), -opts.index(p)))
        out.append((s, e, best))
    return out


def _options(text: str, lex: PartyLexicon) -> tuple[Party, ...]:
    if text.endswith(" party"):
        text = text[: -len("party")] + "Party"
    named = lex.by_name.get(text, ())
    return named + tuple(p for p in lex.by_member.get(text, ()) if p not in named)


def _stands_alone(doc: Doc, s: int, e: int, allowed_after: Callable[[Token], bool]) -> bool:
    first = doc[s]
    if (
        first.is_sent_start
        and e - s == 1
        and first.pos_ != "PROPN"
        and not first.ent_type_
        and not (e < len(doc) and allowed_after(doc[e]))
    ):
        return False  # "Labour costs rose", but "Labour MPs voted"
    for i in (s - 1, e):
        # A longer name the model found around the form: "Republican National Committee".
        if not 0 <= i < len(doc):
            continue
        tok = doc[i]
        if tok.ent_iob_ not in ("I", "B") or tok.ent_type_ not in _NAME_LABELS:
            continue
        if i == s - 1 and doc[s].ent_iob_ != "I":
            continue  # the entity ends before the form
        if i == e and tok.ent_iob_ != "I":
            continue  # the entity starts after the form
        if tok.lower_ in _DETERMINERS or not (tok.is_alpha and tok.text[0].isupper()) or allowed_after(tok):
            continue  # "the Tories", "Labour's", "Labour MPs"
        return False
    return True
