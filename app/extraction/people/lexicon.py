"""Word lists and word tests the entity rules share: the `data/` lexicons loaded once, name
folding, and small tests on one word or token (acronym, capitalised, a title, a verb of speech)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from spacy.tokens import Token

from app.extraction.people.parties import PartyLexicon, parties

DATA = Path(__file__).resolve().parent.parent / "data"


# --------------------------------------------------------------------------- lexicons


def _words(filename: str) -> frozenset[str]:
    out: set[str] = set()
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.update(w.lower() for w in line.split())
    return frozenset(out)


def _lines(filename: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in (DATA / filename).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@dataclass(frozen=True)
class Lexicon:
    """Word lists from `data/`, loaded once per process."""

    honorifics: frozenset[str]
    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    title_abbreviations: dict[str, str]
    given_names: frozenset[str]
    # given_names and the Census list: evidence that a pair is a person, never a reason to keep a
    # word that would otherwise be cut as a modifier (a party word that is also a rare given name).
    given_names_wide: frozenset[str]
    given_names_like_places: frozenset[str]
    nicknames: dict[str, frozenset[str]]
    known_people: frozenset[str]
    org_heads: frozenset[str]
    orgs_known: dict[str, str | None]
    orgs_not: frozenset[str]
    corporate_titles: frozenset[str]
    org_kinds: frozenset[str]
    parties: PartyLexicon
    title_bodies: dict[str, str]
    product_nouns: frozenset[str]
    staff_nouns: frozenset[str]
    # noun -> "named", "made" or "described" (data/orgs_thing_nouns.tsv)
    thing_nouns: dict[str, str]

    def is_title_word(self, word: str) -> bool:
        w = word.lower().rstrip(".")
        return w in self.title_heads or w in self.title_modifiers or w in self.title_abbreviations

    def is_title_head(self, word: str) -> bool:
        w = word.lower().rstrip(".")
        return w in self.title_heads or w in self.title_abbreviations

    def is_corporate_title(self, title: str) -> bool:
        """ "chief executive officer", "executive chairman": an office held in an organisation."""
        words = title.split()
        return any(" ".join(words[k:]) in self.corporate_titles for k in range(len(words)))

    def same_given_name(self, a: str, b: str) -> bool:
        a, b = fold(a), fold(b)
        if a == b:
            return True
        forms_a = self.nicknames.get(a, frozenset()) | {a}
        forms_b = self.nicknames.get(b, frozenset()) | {b}
        return bool(forms_a & forms_b)


@cache
def lexicon() -> Lexicon:
    abbreviations = dict(line.split("\t", 1) for line in _lines("titles_abbreviations.tsv"))
    nicknames: dict[str, set[str]] = {}
    for line in _lines("people_nicknames.tsv"):
        short, formal = line.split("\t", 1)
        for f in formal.split(","):
            nicknames.setdefault(short, set()).add(f)
            nicknames.setdefault(f, set()).add(short)
    orgs_known: dict[str, str | None] = {}
    for line in _lines("orgs_known.tsv"):
        name, _, code = line.partition("\t")
        orgs_known[name.strip()] = code.strip() or None
    orgs_not = frozenset(line.strip().lower() for line in _lines("orgs_not.txt"))
    return Lexicon(
        honorifics=_words("people_honorifics.txt"),
        title_heads=_words("titles_heads.txt"),
        title_modifiers=_words("titles_modifiers.txt"),
        title_abbreviations={k.strip(): v.strip() for k, v in abbreviations.items()},
        given_names=_words("people_given_names.txt"),
        given_names_wide=_words("people_given_names.txt") | _words("people_given_names_census.txt"),
        given_names_like_places=_words("people_given_names_like_places.txt"),
        nicknames={k: frozenset(v) for k, v in nicknames.items()},
        known_people=_words("people_known.txt"),
        org_heads=_words("orgs_heads.txt"),
        orgs_known=orgs_known,
        orgs_not=orgs_not,
        corporate_titles=frozenset(line.strip().lower() for line in _lines("titles_corporate.txt")),
        org_kinds=_words("orgs_kinds.txt"),
        product_nouns=_words("orgs_product_nouns.txt"),
        staff_nouns=_words("orgs_staff_nouns.txt"),
        thing_nouns=dict(line.split("\t", 1) for line in _lines("orgs_thing_nouns.tsv")),
        title_bodies={
            k.strip(): v.strip() for k, v in (line.split("\t", 1) for line in _lines("titles_bodies.tsv"))
        },
        parties=parties(),
    )


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents or curly apostrophes, for comparing name forms."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold().replace("\u2019", "'")


# --------------------------------------------------------------------------- small word tests

PRONOUNS = frozenset(
    "i me my he him his she her hers it its we us our they them their you your who whom whose".split()
)
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
DETERMINERS = frozenset({"the", "a", "an"})
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
CORPORATE_SUFFIXES = frozenset(
    {
        "inc",
        "inc.",
        "corp",
        "corp.",
        "co",
        "co.",
        "ltd",
        "ltd.",
        "llc",
        "plc",
        "limited",
        "corporation",
        "company",
        "group",
        "+",
        "&",
        "holdings",
    }
)
# Suffixes that end a company's registered name ("Inc.", "LLC"), unlike "Group" or "Company".
LEGAL_SUFFIXES = frozenset(
    {"inc", "inc.", "corp", "corp.", "ltd", "ltd.", "llc", "plc", "gmbh", "ag", "s.a."}
)
ACRONYM_SKIP = frozenset(
    {"of", "and", "the", "for", "&", "'s", "\u2019s", "de", "du", "des", "la", "le", "on"}
)
PLACE_HEADS = frozenset(
    {
        "road",
        "street",
        "avenue",
        "square",
        "bridge",
        "river",
        "lake",
        "mountain",
        "airport",
        "station",
        "park",
        "valley",
        "island",
        "islands",
        "store",
        "hall",
        "tower",
        "towers",
        "centre",
        "center",
    }
)
# Courtesy titles only a person takes ("Lord" and "Sir" also start names of things).
PERSONAL_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "messrs", "mme", "herr", "frau"})
# Nouns for a person that, in apposition with a name, make it a person's ("X, a local woman").
PERSON_NOUNS = frozenset(
    "woman man girl boy teenager mother father wife husband son daughter widow widower "
    "resident citizen national student pensioner grandmother grandfather".split()
)
# What the model calls a person's name made of place words ("Lorna Paris").
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
# "the Rossi government": nouns a leader's surname can name.
GOVERNMENT_NOUNS = frozenset({"government", "administration"})
# "pro-Beijing X", "anti-war X": a stance written before an organisation's name.
STANCE_PREFIXES = frozenset({"pro", "anti"})
# "the town of X": what stands before "of" when X is a place.
PLACE_KINDS = frozenset(
    "town city village province county district region state island municipality capital "
    "suburb port prefecture".split()
)


def _with_common_nouns(tok: Token) -> bool:
    """Whether `tok` is coordinated with a singular common noun that has no determiner
    ("teacher, GP and nurse"): then it is one too, whatever its capitals."""
    partners = [c for c in tok.children if c.dep_ == "conj"]
    if tok.dep_ == "conj":
        partners.append(tok.head)
    return any(
        p.pos_ == "NOUN" and p.tag_ == "NN" and p.is_lower and not any(c.dep_ == "det" for c in p.children)
        for p in partners
    )


def _model_code(word: str) -> bool:
    """Letters and digits in one word ("3D", "PF-9", "A380"): a model, format or product code;
    plain numbers ("Channel 4") are not."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def _member_title(tok: Token) -> bool:
    """A title a party's member holds, written after the party ("Labour MPs", "Tory leader")."""
    lex = lexicon()
    return lex.is_title_head(tok.text) or (tok.text.endswith("s") and lex.is_title_head(tok.text[:-1]))


# Verbs whose subject is a person: a bare surname doing these is evidence of a person.
PERSON_VERBS = frozenset(
    "said says say told tells added adds stated claimed explained announced noted argued wrote "
    "believes believed thinks thought warned insisted commented responded replied admitted "
    "denied urged asked testified confirmed acknowledged recalled spoke speaks died resigned "
    "tweeted posted declared".split()
)


# Small words allowed inside a capitalised organisation name ("Bank of England").
CHAIN_JOINERS = frozenset({"of", "for", "and", "&", "on"})


def _chain_word(tok: Token) -> bool:
    """A word that can be part of a capitalised proper name: "Interior", "Deseret", "BBC"."""
    return (
        tok.is_alpha
        and _cap(tok.text)
        and tok.pos_ in ("PROPN", "NOUN", "ADJ")
        and not (tok.is_sent_start and tok.pos_ != "PROPN")
    )


def _name_word(tok: Token) -> bool:
    """A word of a person's name the model missed: a capitalised proper noun in no entity."""
    return tok.is_alpha and tok.is_title and tok.pos_ == "PROPN" and not tok.ent_type_


def is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 7 and all(c.isupper() for c in letters) and " " not in text.strip()


def _cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


# A surname with an elided particle: "O'Rourke", "D’Amico", "d'Estaing".
_PARTICLE_SURNAME = re.compile(r"[A-Za-z][a-z]?['\u2019][A-Z][a-z]+")


def name_word(word: str) -> bool:
    """A word that can be part of a person's name: capitalised letters ("Holt"), or a surname
    with an elided particle ("O'Rourke", which is not `str.isalpha`)."""
    return (word.isalpha() and _cap(word)) or bool(_PARTICLE_SURNAME.fullmatch(word))
