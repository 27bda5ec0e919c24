"""The words of titles: the word lists the readers share, the data files of title words, and
the tests of one token ("is this a title word?") and of a title's words (normalising them)."""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

from spacy.tokens import Doc

from app.extraction.people import Lexicon

# Words before a title that say when or which, not what: left out of the title.
NOT_MODIFIERS = frozenset(
    {
        "current",
        "incumbent",
        "new",
        "longtime",
        "long-time",
        "company",
        "firm",
        "group",
        "newly",
        "recently",
        "veteran",
        "later",
        "future",
        "top",
        "senior-most",
        "old",
        "aged",
    }
)
# Single-word titles that are also ordinary words ("a psychology major", "the head trader"):
# taken alone only when written with a capital or tied to an organisation.
AMBIGUOUS = frozenset(
    {
        "major",
        "general",
        "private",
        "member",
        "head",
        "chief",
        "partner",
        "leader",
        "boss",
        "speaker",
        "deputy",
        "executive",
        "officer",
        "candidate",
        "principal",
        "justice",
    }
)
# Of those, ranks that in lower case are nearly always something else.
HOMONYMS = frozenset({"major", "general", "private"})
FORMER = frozenset({"former", "ex", "erstwhile", "outgoing", "onetime", "one-time", "then", "formerly"})
# "X, now foreign secretary": adverbs that open an apposition and say the office is held.
STILL = frozenset({"now", "currently", "still", "also"})
# "X, another partner at Y": "another" opens an apposition as "a" does.
DETS = frozenset({"the", "a", "an", "another", "its", "their", "his", "her"})
# Ordinary words that name a country's office when the phrase names the country: "Chadian
# leader X" (AMBIGUOUS otherwise: "the team leader").
NATIONAL_OFFICES = frozenset({"leader"})
PREPS = frozenset({"of", "at", "for", "with", "to", "from", "in"})
# "the company", "the carmaker": a definite description of the organisation in the news.
ORG_NOUNS = frozenset(
    "company firm group carmaker automaker manufacturer airline bank business corporation "
    "conglomerate maker retailer insurer lender party organisation organization agency "
    # Media: "the channel's nightly news programme", "the network's president".
    "channel network broadcaster newspaper".split()
)
# Words after a title head that still belong to it ("editor at large", "director general").
TITLE_TAILS = (("at", "large"), ("general",), ("emeritus",), ("-", "elect"), ("in", "chief"))
MAX_PHRASE = 10
# Offices named by their field: "minister of transport", "secretary of state", "chief of staff".
FIELD_HEADS = frozenset(
    {"minister", "secretary", "undersecretary", "director", "chief", "head", "commissioner", "professor"}
)
# "Minister of Education X", "Undersecretary for Health X": prepositions inside a field title.
FIELD_PREPS = frozenset({"of", "for"})
DATA = Path(__file__).resolve().parent.parent / "data"
# The tokens of an organisation's name as the tokenizer splits it: "AFL-CIO" -> AFL, -, CIO.
FORM_TOKENS = re.compile(r"\w+(?:\.\w+)*\.?|[^\w\s]")


def data_lines(filename: str) -> list[str]:
    text = (DATA / filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def compounds() -> frozenset[tuple[str, str]]:
    """Two-word offices whose last word alone is none: "running mate", "civil servant"."""
    pairs = (line.lower().split() for line in data_lines("titles_compounds.txt"))
    return frozenset((p[0], p[1]) for p in pairs if len(p) == 2)


@cache
def role_heads() -> frozenset[str]:
    """Title heads for the position readers only (data/titles_roles.txt)."""
    return frozenset(line.lower() for line in data_lines("titles_roles.txt"))


def positions_lexicon(lex: Lexicon) -> Lexicon:
    """The entities' lexicon with the position readers' own role heads added."""
    return dataclasses.replace(lex, title_heads=lex.title_heads | role_heads())


@cache
def department_nouns() -> frozenset[str]:
    return frozenset(line.lower() for line in data_lines("titles_departments.txt"))


# Offices that head or serve in a government department, named by its field.
DEPARTMENT_HEADS = frozenset({"secretary", "minister", "undersecretary", "under-secretary"})
# Words of a title that say rank, not field: never matched to a department's name.
RANK_WORDS = frozenset({"deputy", "junior", "senior", "assistant", "acting", "interim", "chief", "of", "the"})


def in_compound(doc: Doc, i: int) -> bool:
    pairs = compounds()
    return (i + 1 < len(doc) and (doc[i].lower_, doc[i + 1].lower_) in pairs) or (
        i > 0 and (doc[i - 1].lower_, doc[i].lower_) in pairs
    )


def hyphenated(doc: Doc, i: int, lex: Lexicon) -> bool:
    """Whether token `i` is part of a hyphenated title word the tokenizer split: "front-runner"."""
    for a in (i - 2, i - 1, i):
        if 0 <= a and a + 2 < len(doc) and doc[a + 1].text == "-":
            if not doc[a].whitespace_ and not doc[a + 1].whitespace_:
                if lex.is_title_word(doc[a].text + "-" + doc[a + 2].text):
                    return True
    return False


def has_head(title: list[str], lex: Lexicon, plural: bool = False) -> bool:
    """Whether the words of a title hold an office's head noun."""
    title = " ".join(title).replace(" - ", "-").split()
    pairs = compounds()
    return any(
        lex.is_title_head(w)
        # "Secretary-Treasurer": two offices joined by a hyphen (the tokenizer splits them).
        or ("-" in w and lex.is_title_head(w.rsplit("-", 1)[1]))
        or (plural and singular_head(w, lex))
        or (k > 0 and (title[k - 1].lower(), w.lower()) in pairs)
        for k, w in enumerate(title)
    )


def norm_title(words: list[str], lex: Lexicon) -> str:
    out: list[str] = []
    for w in words:
        low = w.lower().rstrip(".")
        if not lex.is_title_word(low):
            low = singular_head(low, lex) or low
        expanded = lex.title_abbreviations.get(low, low)
        for part in expanded.split():
            if part not in out:
                out.append(part)
    return " ".join(out).replace(" - ", "-")


def singular_head(word: str, lex: Lexicon) -> str | None:
    """The office a plural title head names: "councillors" -> "councillor"; None otherwise."""
    low = word.lower()
    if len(low) > 3 and low.endswith("s") and lex.is_title_head(low[:-1]):
        return low[:-1]
    return None


def is_field_prep(doc: Doc, i: int, lex: Lexicon) -> bool:
    """ "of"/"for" between a field office and its field: "Minister OF Education"."""
    return (
        doc[i].lower_ in FIELD_PREPS
        and 0 < i < len(doc) - 1
        and doc[i - 1].lower_ in FIELD_HEADS
        and doc[i + 1].lower_ in lex.title_modifiers
    )


def is_title_token(doc: Doc, i: int, lex: Lexicon, plural: bool = False) -> bool:
    tok = doc[i]
    if (
        tok.pos_ == "VERB"
        and tok.is_lower
        and tok.lower_ not in lex.title_modifiers
        and tok.dep_ in ("ROOT", "xcomp", "ccomp", "advcl", "relcl", "pcomp", "acl")
    ):
        return False  # "expected to host X", "to head the firm": a verb, not an office
    if lex.is_title_word(tok.text):
        return True
    if plural and singular_head(tok.text, lex):
        return True
    if in_compound(doc, i) or hyphenated(doc, i, lex):
        return True
    return (
        tok.text == "-"
        and 0 < i < len(doc) - 1
        and not doc[i - 1].whitespace_
        and not tok.whitespace_
        and lex.is_title_word(doc[i - 1].text)
        and lex.is_title_word(doc[i + 1].text)
    )
