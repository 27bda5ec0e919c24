"""The names identity resolution compares: lookup keys and whether two people's names agree.

Pure functions of strings (no database): `resolution.py` keys and compares with them.

* a person's loose key keeps the skeletons of the first and last words, titles and middle names
  left out ("Mr. Sergei V. Lavrov" -> "srg lvrv"); an organisation's, its sorted words without
  articles and company suffixes, country names shortened;
* generic organisation names ("Democratic Party", "Treasury": app/data/generic_organisation_words.txt)
  lose their country words and plural, and join only where the countries agree;
* two people's names agree when no given name or middle initial conflicts ("George W. Bush" is
  not "George H. W. Bush"; "J." ~ "John"; "Vince" ~ "Vincent").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from app.extraction import countries as country_names
from app.models import name_key
from app.models.common import name_skeleton

Kind = Literal["person", "organisation"]
DATA = Path(__file__).resolve().parents[1] / "data"
_HONORIFICS = frozenset(
    "mr mrs ms miss dr sir dame lord lady prof professor rev president senator gov governor gen "
    "general sen rep judge justice king queen prince princess pope".split()
)
_ORG_STOP = frozenset({"the", "of", "and", "for", "a"})
_ORG_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company llc ltd limited plc group spa ag sa nv holdings "
    "gmbh".split()
)
_COUNTRY_WORDS = {
    "us": "US",
    "usa": "US",
    "american": "US",
    "uk": "GB",
    "british": "GB",
    "hm": "GB",
    "britain": "GB",
}
_COUNTRY_PHRASES = (
    ("united states", "us"),
    ("u s a", "us"),
    ("u s", "us"),
    ("united kingdom", "uk"),
    ("u k", "uk"),
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.]{1,7}$")


@cache
def generic_words() -> frozenset[str]:
    lines = (DATA / "generic_organisation_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# --- Keys ------------------------------------------------------------------------------------------


def person_words(name: str) -> list[str]:
    words = name_key(name).split()
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    return words


def person_resolve_key(name: str) -> str:
    """The loose key of a person's name: the skeletons of the first and last words, titles and
    middle names left out ("Mr. Sergei V. Lavrov" -> "srg lvrv")."""
    words = person_words(name)
    if not words:
        return ""
    kept = words if len(words) == 1 else [words[0], words[-1]]
    return name_skeleton(" ".join(kept))


def first_key(name: str) -> str:
    """The first word of a full name, titles left out ("Mr. Barack Obama" -> "barack"); "" for one word."""
    words = person_words(name)
    return words[0] if len(words) > 1 else ""


def _org_words(name: str) -> list[str]:
    key = f" {name_key(name)} "
    for phrase, short in _COUNTRY_PHRASES:
        key = key.replace(f" {phrase} ", f" {short} ")
    words = [w for w in key.split() if w not in _ORG_STOP]
    while len(words) > 1 and words[-1] in _ORG_SUFFIXES:
        words.pop()
    return words


_GENERIC_FILLERS = frozenset({"party", "department"})


def _singular(word: str) -> str:
    """A generic word's base: "Democrats"/"Democratic" -> "democrat", "Greens" -> "green"."""
    generic = generic_words()
    if word.endswith("s") and word[:-1] in generic:
        return word[:-1]
    if word.endswith("ic") and word[:-2] in generic:
        return word[:-2]
    return word


def organisation_resolve_key(name: str) -> str:
    """The loose key of an organisation's name: its words without articles and company suffixes,
    country names shortened, in sorted order ("The Walt Disney Company" -> "disney walt";
    "Department of Justice" and "Justice Department" -> "department justice").

    A generic name also loses its country words, "party" and "department", and its words their
    plural ("Republicans" ~ "Republican Party", "US Treasury Department" ~ "Treasury"): such
    names join only where the countries agree, which the resolver checks separately.
    """
    words = _org_words(name)
    if is_generic(name):
        words = [_singular(w) for w in words if w not in _COUNTRY_WORDS]
        words = [w for w in words if w not in _GENERIC_FILLERS] or words
    return " ".join(sorted(set(words)))


def resolve_key(kind: Kind, name: str) -> str:
    return person_resolve_key(name) if kind == "person" else organisation_resolve_key(name)


def is_generic(name: str) -> bool:
    """True for organisation names many countries share: every word generic ("Green Party")."""
    words = [w for w in _org_words(name) if w not in _COUNTRY_WORDS]
    return bool(words) and all(w in generic_words() for w in words)


def is_acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name.strip())) and sum(c.isalpha() for c in name) >= 2


def name_country(name: str) -> str | None:
    """The country a name itself states: "US Treasury", "HM Treasury", "Democratic Party of Hong Kong"."""
    key = f" {name_key(name)} "
    for phrase, short in _COUNTRY_PHRASES:
        key = key.replace(f" {phrase} ", f" {short} ")
    words = key.split()
    for w in words:
        if w in _COUNTRY_WORDS:
            return _COUNTRY_WORDS[w]
    raw = name.split()
    for i, w in enumerate(raw):
        if w.lower() in ("of", "in") and i + 1 < len(raw):
            code = country_names.lookup(" ".join(raw[i + 1 :]), places=False)
            if code:
                return code
    for w in raw[:2]:
        code = country_names.lookup(w.strip(",.'"), places=False)
        if code and code not in ("EU",):
            return code
    return None


# --- Comparing people's names ------------------------------------------------------------------


def fullest(forms: Iterable[str]) -> str:
    return max(forms, key=lambda f: (len(person_words(f)), len(f), f))


def _given_and_middle(name: str) -> tuple[str | None, tuple[str, ...]]:
    words = person_words(name)
    if len(words) < 2:
        return None, ()
    return words[0], tuple(words[1:-1])


def _given_compatible(a: str, b: str) -> bool:
    if a == b or name_skeleton(a) == name_skeleton(b):
        return True
    # An initial or a short form: "J." ~ "John", "Vince" ~ "Vincent".
    return (
        (len(a) == 1 and b.startswith(a))
        or (len(b) == 1 and a.startswith(b))
        or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))
    )


def _middles_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    """Middle names agree: same initials, and full words spelt alike ("W." ~ "Walker", not
    "Walker" ~ "Wallace")."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x[0] != y[0]:
            return False
        if len(x) > 1 and len(y) > 1 and name_skeleton(x) != name_skeleton(y):
            return False
    return True


def names_compatible(ours: Sequence[str], theirs: Sequence[str]) -> bool:
    """No conflicting given name or middle initials between any full names of the two sides."""
    our_full = [_given_and_middle(f) for f in ours if len(person_words(f)) > 1]
    their_full = [_given_and_middle(f) for f in theirs if len(person_words(f)) > 1]
    if not our_full or not their_full:
        return True
    for given, middle in our_full:
        for g2, m2 in their_full:
            if given and g2 and not _given_compatible(given, g2):
                continue
            if middle and m2 and not _middles_compatible(middle, m2):
                continue
            return True
    return False
