"""Organisation name forms: keys, acronyms and initials, short forms, country prefixes and
near spellings that decide whether two forms name one organisation."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from app.extraction.countries import lookup as country_lookup
from app.extraction.people.lexicon import ACRONYM_SKIP, CORPORATE_SUFFIXES, POSSESSIVE, _cap, fold, is_acronym
from app.extraction.people.mentions import _Mention

_SITE_SUFFIX = re.compile(r"(?<=\w)\.(?:com|org|net|co\.uk|ca)$")


def _org_key(words: list[str]) -> tuple[str, ...]:
    return _org_key_cached(tuple(words))


@lru_cache(maxsize=16384)
def _org_key_cached(words: tuple[str, ...]) -> tuple[str, ...]:
    out = [_SITE_SUFFIX.sub("", fold(w)) for w in words if w not in POSSESSIVE]
    while len(out) > 1 and out[-1] in CORPORATE_SUFFIXES:
        out.pop()
    return tuple(w.rstrip(".") for w in out if w not in {"&", "+", "and"} or len(out) == 1)


def _initials(words: list[str], skip_function_words: bool) -> str:
    letters = []
    for w in words:
        if w in POSSESSIVE or w in {"&", "+", "-"}:
            continue
        if skip_function_words and fold(w) in ACRONYM_SKIP:
            continue
        letters.append(w[0].upper())
    return "".join(letters)


def _all_initials(words: list[str]) -> tuple[str, ...]:
    """Initials of a name, with and without its small words and corporate suffix ("EADS")."""
    bare = list(words)
    while len(bare) > 1 and fold(bare[-1]) in CORPORATE_SUFFIXES:
        bare.pop()
    return (
        _initials(words, True),
        _initials(words, False),
        _initials(bare, True),
        _initials(bare, False),
    )


def _without_country(words: list[str]) -> tuple[list[str], str | None]:
    """ "United States Air Force" -> "Air Force", US; "Greek Court of Appeal" -> "Court of Appeal", GR."""
    for n in (3, 2, 1):
        if len(words) > n + 1:
            head = [w for w in words[:n] if w not in POSSESSIVE]
            rest = words[n:]
            if rest[0] in POSSESSIVE:
                rest = rest[1:]
            code = country_lookup(" ".join(head)) if head else None
            if code and rest and _cap(rest[0]):
                return rest, code
    return words, None


def _swapped(a: str, b: str) -> bool:
    """Whether `a` is `b` with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _near_word(a: str, b: str) -> bool:
    """One word misspelt by swapping two neighbouring letters ("Untied"), or losing a plural "s"."""
    if a == b:
        return True
    if len(a) >= 5 and (a == b + "s" or b == a + "s"):
        return True
    return len(a) >= 5 and _swapped(a, b)


def _org_joins(short: list[str], long: list[str]) -> bool:
    """Whether the shorter form names the same organisation as the longer one."""
    ks, kl = _org_key(short), _org_key(long)
    if ks == kl:
        return True
    if len(ks) == len(kl) >= 2 and all(_near_word(a, b) for a, b in zip(ks, kl, strict=True)):
        return True  # "Untied Nations" / "United Nations", "General Motor's" / "General Motors"
    if len(ks) == len(kl) == 1 and len(ks[0]) >= 6 and _swapped(ks[0], kl[0]):
        return True  # "Chrylser" / "Chrysler": a one-word name misspelt
    if len(ks) >= 2 and _content_words(ks) == _content_words(kl):
        return True  # "Department of State" / "State Department", "Institute of" / "for Fiscal Studies"
    (bare_s, code_s), (bare_l, code_l) = _without_country(short), _without_country(long)
    if (code_s or code_l) and (code_s is None or code_l is None or code_s == code_l):
        if _org_key(bare_s) == _org_key(bare_l) or _org_joins_plain(bare_s, bare_l):
            return True  # "Air Force" / "United States Air Force", never two countries' navies
    return _org_joins_plain(short, long)


def _org_joins_plain(short: list[str], long: list[str]) -> bool:
    ks, kl = _org_key(short), _org_key(long)
    if ks == kl:
        return True
    if len(ks) > len(kl):
        short, long, ks, kl = long, short, kl, ks
    if not ks or len(ks) == len(kl):
        return False
    joined = "".join(short).replace(".", "")
    if is_acronym(joined) and len(long) > 1:
        letters = "".join(c for c in joined if c.isalpha())
        if letters in _all_initials(long):
            return True
    if kl[: len(ks)] == ks and all(_cap(w) or w[:1].isdigit() for w in short):
        # "Ford" / "Ford Motor Company", "BBC" / "BBC News"; never a name the longer one gives a
        # channel's or edition's number ("BBC News" / "BBC News 24", "Channel" / "Channel 4").
        # A longer number is a model's ("Boeing 767"), which goes with its maker as before.
        return not (long[-1].isdigit() and len(long[-1]) <= 2)
    if kl[-len(ks) :] == ks:
        head = long[: len(long) - len(short)]
        if head and fold(head[-1]) == "of":
            return True  # "Scientology" / "Church of Scientology"
        if head and country_lookup(" ".join(w for w in head if w not in POSSESSIVE)):
            return True  # "Treasury" / "U.S. Treasury"
        if head and is_acronym(head[0]):
            return True  # "VEBA" / "GM VEBA"
    return False


def _content_words(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key's words without the small ones, in alphabetical order."""
    return tuple(sorted(w for w in key if w not in ACRONYM_SKIP))


def _near_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key that `_near_word` spellings share: a plural "s" dropped, the letters sorted."""
    return tuple("".join(sorted(w[:-1] if len(w) >= 5 and w.endswith("s") else w)) for w in key)


def _defined_acronyms(doc: Doc, mentions: list[_Mention]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Acronyms the article defines in brackets after a name, whatever their letters:
    "the State Property Agency (AVAS)" -> {("AVAS",): ("State", "Property", "Agency")}."""
    by_start = {m.start: m for m in mentions}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for m in mentions:
        short = by_start.get(m.end + 1)
        if (
            short is not None
            and m.end - m.start > 1
            and doc[m.end].text == "("
            and short.end < len(doc)
            and doc[short.end].text == ")"
            and is_acronym(short.text(doc).replace(".", ""))
        ):
            out.setdefault(tuple(short.words(doc)), tuple(m.words(doc)))
    return out
