"""People and organisations: the model's PERSON/ORG entities, repaired and merged per article.

The `newsmeta_entities` component runs right after the statistical model and sets

    doc._.newsmeta_people, doc._.newsmeta_orgs   lists of `EntityCluster`, one per real entity,
                                                 named by the fullest form the article uses
    doc.spans["newsmeta_people"], doc.spans["newsmeta_orgs"]
                                                 one Span per mention (token-addressable), its
                                                 `kb_id_` the cluster's name

Helpers for later components:

    person_at(doc, start_char, end_char) -> EntityCluster | None
        the person cluster with a mention overlapping the character span, e.g. to map a
        quote's speaker; `org_at` does the same for organisations.

Repairs: titles and honorifics stripped from names ("President", "Mr", "Sen."); places
tagged as people dropped (checked with `countries.lookup`); surnames the model calls an
organisation moved to people; hyphenated pairs ("Putin-Trump") split; products, time zones
and headings dropped; surnames and first names joined to the full name (nicknames and
small spelling variants included, two people sharing a surname kept apart); organisation
short forms, acronyms and country-prefixed forms merged with their full names.
Recoveries: untagged capitalised names ending in an organisation head ("the Deseret News")
taken as organisations, and untagged full names with a title in apposition or a verb of
speech taken as people; a flight stands for its airline, and a one-word "organisation" the
article otherwise calls a people or a person, a family ("the Sams"), a town ("the town of
X") or letters after a name ("QC") is dropped.

Parties (`parties.py`, `data/orgs_parties.tsv`): every name, short form and member noun of
a party is one organisation. After clustering, `one_kind_per_name` settles names the model
called a person in one place and an organisation in another. Clustering looks candidates up
in indexes (surname blocks, given-name forms, organisation-form keys), so its cost grows
with the number of names, not its square. docs/entities.md describes the behaviour.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup, Token

from app.extraction.countries import lookup as country_lookup
from app.extraction.countries import lookup_entry
from app.extraction.people.parties import Party, PartyLexicon, find_parties, parties, party_matcher

DATA = Path(__file__).resolve().parent.parent / "data"

_T = TypeVar("_T")

PEOPLE_KEY = "newsmeta_people"
ORGS_KEY = "newsmeta_orgs"

for _ext in ("newsmeta_people", "newsmeta_orgs"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


@dataclass
class EntityCluster:
    """One real entity in one article: its best name, other forms and (start, end) char spans.

    `country` is an ISO alpha-2 code when the article or the gazetteer ties the entity to a
    country ("Saudi Arabia's Civil Defense Authority", "the Kremlin"); organisations only.
    """

    name: str
    aliases: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)
    country: str | None = None


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
        nicknames={k: frozenset(v) for k, v in nicknames.items()},
        known_people=_words("people_known.txt"),
        org_heads=_words("orgs_heads.txt"),
        orgs_known=orgs_known,
        orgs_not=orgs_not,
        corporate_titles=frozenset(line.strip().lower() for line in _lines("titles_corporate.txt")),
        org_kinds=_words("orgs_kinds.txt"),
        product_nouns=_words("orgs_product_nouns.txt"),
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


def _strip_flight(doc: Doc, start: int, end: int) -> tuple[int, int, bool]:
    """An airline's flight is not an organisation: "Garuda Indonesia Flight 200" -> the airline."""
    for i in range(start + 1, end):
        if doc[i].lower_ == "flight" and i + 1 < len(doc) and doc[i + 1].like_num:
            return start, i, True
    return start, end, False


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


# --------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    start: int  # token offsets into the doc
    end: int
    kind: str  # "PERSON" or "ORG"
    titled: bool = False  # a title or honorific stood before the name
    country: str | None = None  # organisations: a country prefix ("US State Department")
    party: Party | None = None  # a political party's name, short form or member noun

    def words(self, doc: Doc) -> list[str]:
        return [t.text for t in doc[self.start : self.end]]

    def text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text


def _strip_person(doc: Doc, start: int, end: int, lex: Lexicon) -> tuple[int, int, bool]:
    """Trim titles, honorifics, determiners and possessives off a PERSON span."""
    titled = False
    while end - start > 1:
        tok = doc[start]
        low = tok.lower_.rstrip(".")
        if low in lex.honorifics or lex.is_title_word(tok.text):
            titled = True
        elif not (
            tok.is_punct
            or tok.lower_ in DETERMINERS
            or tok.is_lower
            or tok.like_num
            or (country_lookup(tok.text) and _cap(doc[start + 1].text))
            or tok.lower_ in PERSON_VERBS  # "Said Mr Ho": a verb opening an inverted sentence
        ):
            break
        start += 1
    while end > start and (
        doc[end - 1].text in POSSESSIVE or (doc[end - 1].is_punct and doc[end - 1].text != ".")
    ):
        end -= 1
    if start > 0 and end > start:
        prev = doc[start - 1]
        if prev.lower_.rstrip(".") in lex.honorifics or lex.is_title_word(prev.text):
            titled = True
    return start, end, titled


def _widen_person(doc: Doc, start: int, end: int, lex: Lexicon, tagged: bool = True) -> tuple[int, int]:
    """Take back name parts the model cut off a PERSON span.

    A lone surname preceded by a capitalised proper noun that no entity claims gets it as
    a given name ("the Refugee Council Enver Solomon" tagged as ORG + "Solomon"); a name
    that stops at a hyphen keeps the rest of the hyphenated word ("Wong Yeung" + "-tat").
    """
    # Only with part-of-speech tags: an untagged "Later Peskov" cannot be told from "Enver Solomon".
    if end - start == 1 and start > 0 and tagged:
        prev = doc[start - 1]
        before = doc[start - 2].text if start > 1 else "."
        if (
            prev.is_alpha
            and prev.is_title
            and not prev.ent_type_
            and not prev.is_sent_start
            and before not in {".", "!", "?", "\n", ":", ";"}
            and prev.pos_ == "PROPN"
            and prev.lower_ not in DETERMINERS
            and prev.lower_.rstrip(".") not in lex.honorifics
            and not lex.is_title_word(prev.text)
            and country_lookup(prev.text) is None
        ):
            start -= 1
    if (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and not doc[end + 1].ent_type_
    ):
        end += 2
    return start, end


def _strip_org(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Trim determiners, lower-case words and possessives off the ends of an ORG span."""
    if (
        end - start > 3
        and doc[start].lower_ in STANCE_PREFIXES
        and doc[start + 1].text == "-"
        and not doc[start].whitespace_
        and not doc[start + 1].whitespace_
    ):
        start += 3  # "pro-Beijing Green Unity Party": a stance, then the party
    while start < end and (doc[start].is_lower or doc[start].is_punct or doc[start].lower_ in DETERMINERS):
        particle = not doc[start].whitespace_ and start + 1 < end and doc[start + 1].text == "-"
        if doc[start].is_lower and particle:
            break  # a name particle: "al-Ikhbariya"
        start += 1
    while end > start and (
        doc[end - 1].is_lower
        or doc[end - 1].text in POSSESSIVE
        or (doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"})
    ):
        end -= 1
    return start, end


def _after_legal_suffix(words: list[str]) -> bool:
    """ "Chrysler LLC Jim Press": a name cannot go on past its legal suffix, so two more
    capitalised words after one are someone else's name."""
    return (
        len(words) >= 4
        and fold(words[-3]) in LEGAL_SUFFIXES
        and not any(fold(w) in CORPORATE_SUFFIXES for w in words[-2:])
    )


def _strip_org_text(span: Span) -> str:
    start, end = _strip_org(span.doc, span.start, span.end)
    return span.doc[start:end].text


def _leading_country(doc: Doc, start: int, end: int) -> tuple[str | None, int]:
    """A country named at the front of an organisation ("U.S. Treasury", "Saudi Arabia's ...")."""
    for n in (3, 2, 1):
        if end - start > n:
            code = country_lookup(doc[start : start + n].text)
            if code:
                skip = start + n
                if doc[skip].text in POSSESSIVE:
                    skip += 1
                if skip < end and _cap(doc[skip].text):
                    return code, skip
    return None, start


class _Collector:
    """Turns the model's entities into cleaned person and organisation mentions."""

    def __init__(
        self,
        doc: Doc,
        lex: Lexicon,
        org_matches: list[tuple[int, int]],
        party_spans: list[tuple[int, int, Party]] | None = None,
    ) -> None:
        self.doc = doc
        self.lex = lex
        # Read once: `Doc.has_annotation` scans every token.
        self.tagged = doc.has_annotation("TAG")
        self.parsed = doc.has_annotation("DEP")
        self.people: list[_Mention] = []
        self.orgs: list[_Mention] = [_Mention(s, e, "ORG", party=p) for s, e, p in party_spans or []]
        self.in_party = {i for s, e, _ in party_spans or [] for i in range(s, e)}
        self.org_matches = org_matches
        self.person_votes: Counter[str] = Counter()
        self.org_votes: Counter[str] = Counter()
        self.norp_votes: Counter[str] = Counter()
        self.single_person_votes: Counter[str] = Counter()
        # The words of people's names and their surnames, for near-spelling lookups.
        self.person_words: _SurnameIndex[str] = _SurnameIndex()
        self.surnames: _SurnameIndex[str] = _SurnameIndex()
        # Per-Doc facts some checks read, computed on first use.
        self._person_words_cache: set[str] | None = None
        self._ents_by_token: dict[int, Span] | None = None
        self._inner_capitals: Counter[str] | None = None
        self._alone: dict[str, list[int]] | None = None

    def run(self) -> None:
        doc, lex = self.doc, self.lex
        taken: set[int] = set()
        person_ents: list[Span] = []
        org_ents: list[Span] = []
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                person_ents.append(ent)
            elif ent.label_ == "ORG":
                org_ents.append(ent)
            elif ent.label_ in ("FAC", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"):
                if ent[-1].lower_ in lex.org_heads and len(ent) > 1 and _cap(ent[-1].text):
                    org_ents.append(ent)
        # Gazetteer organisations the model missed or called something else.
        for s, e in self.org_matches:
            span = doc[s:e]
            if any(t.ent_type_ in ("PERSON", "ORG") for t in span):
                continue
            tagged = self.tagged
            if len(span) == 1 and (span[0].pos_ != "PROPN" if tagged else span[0].is_sent_start):
                continue
            org_ents.append(span)
        # What the party matcher took is the party's, whatever the model called it ("Lib Dems").
        org_ents = [span for span in org_ents if not self._in_party(span)]
        org_ents, person_ents = self._in_headlines(org_ents, person_ents)
        coordinated = self._coordinated_with_orgs(person_ents, org_ents)
        moved = {(ent.start, ent.end) for ent in coordinated}
        person_ents = [ent for ent in person_ents if (ent.start, ent.end) not in moved]
        org_ents.extend(coordinated)
        person_ents = [ent for ent in person_ents if not self._in_party(ent)]
        org_ents = [part for span in org_ents for part in self._split_at_the(span)]
        org_ents = [self._extend_org(span) for span in org_ents]
        org_ents = [self._through_and(span) for span in org_ents]
        in_orgs = {i for span in org_ents for i in range(span.start, span.end)}
        person_ents = [ent for ent in person_ents if not any(i in in_orgs for i in range(ent.start, ent.end))]
        org_ents.extend(self._headed_chains(org_ents))
        org_ents.extend(self._site_names(org_ents))
        org_ents.extend(self._employers_before_titles(org_ents, person_ents))
        described = self._described_orgs(org_ents)
        if described:
            names = {fold(span.text) for span in described}
            person_ents = [ent for ent in person_ents if fold(ent.text) not in names]
            org_ents.extend(described)
            org_ents.extend(ent for ent in doc.ents if ent.label_ == "PERSON" and fold(ent.text) in names)
        org_ents.extend(self._acronyms_after_people(person_ents, org_ents))
        person_ents.extend(self._untagged_people())
        surnames = {
            _name_parts([t.text for t in ent])[-1]
            for ent in person_ents
            if len(_name_parts([t.text for t in ent])) > 1
        }
        self.person_votes = Counter(p for ent in person_ents for p in _name_parts([t.text for t in ent]))
        for word in self.person_votes:
            self.person_words.add(word, word)
        for word in surnames:
            self.surnames.add(word, word)
        self.org_votes = Counter(fold(_strip_org_text(ent)) for ent in org_ents)
        # What else the model calls a one-word name: a people ("Rohingya") or a person ("Gloria").
        self.norp_votes = Counter(
            fold(ent.text) for ent in doc.ents if len(ent) == 1 and ent.label_ == "NORP"
        )
        self.single_person_votes = Counter(
            fold(ent.text) for ent in doc.ents if len(ent) == 1 and ent.label_ == "PERSON"
        )
        for ent in person_ents:
            start, end = _widen_person(doc, ent.start, ent.end, lex, self.tagged)
            self._person(start, end, surnames)
            taken.update(range(start, end))
        for span in org_ents:
            self._org(span.start, span.end, surnames)
        self._hyphen_pairs(surnames, taken)
        self._leaders_of_governments()
        self._people_named_like_places(taken)

    def _coordinated_with_orgs(self, person_ents: list[Span], org_ents: list[Span]) -> list[Span]:
        """ "Nordvik Games and Vetra", "Halden Films, and Buena Costa": a name the model calls a
        person, joined by "and" or a comma to an organisation's name, is one too, unless it
        opens with a given name or follows a title or honorific."""
        doc, lex = self.doc, self.lex
        if not self.parsed or not org_ents:
            return []
        in_orgs = {i for span in org_ents for i in range(span.start, span.end)}
        out = []
        for ent in person_ents:
            head = ent.root
            linked = (head.dep_ == "conj" and head.head.i in in_orgs) or any(
                c.dep_ == "conj" and c.i in in_orgs for c in head.children
            )
            after = doc[ent.end].lower_ if ent.end < len(doc) else ""
            if (
                linked
                and after not in ("of", "from", "(")  # "... of DAB and Ann Ho of the NPP": members
                and not any(t.text == "-" and t.nbor().is_lower for t in ent[:-1])  # "Lau Siu-lai"
                and fold(ent[0].text) not in lex.given_names
                and not (ent.start > 0 and (lex.is_title_word(doc[ent.start - 1].text)))
                and not (ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in lex.honorifics)
            ):
                out.append(ent)
        return out

    def _in_headlines(self, org_ents: list[Span], person_ents: list[Span]) -> tuple[list[Span], list[Span]]:
        """In a line written in title case ("Alma Verhoeven Slams Budget Plan In Fiery Speech")
        capitals say nothing about names: an entity there is cut to the longest start of it that
        the article names outside such lines ("Alma Verhoeven"), or dropped."""
        doc = self.doc
        heads = self._headline_tokens()
        if not heads:
            return org_ents, person_ents
        outside = {
            fold(ent.text) for ent in doc.ents if ent.start not in heads and ent.label_ in ("PERSON", "ORG")
        }

        def cut(spans: list[Span]) -> list[Span]:
            out = []
            for span in spans:
                if span.start not in heads:
                    out.append(span)
                    continue
                start = span.start + 1 if span[0].lower_ in DETERMINERS else span.start
                for end in range(span.end, start, -1):
                    if fold(doc[start:end].text) in outside:
                        out.append(doc[start:end])
                        break
            return out

        return cut(org_ents), cut(person_ents)

    def _headline_tokens(self) -> set[int]:
        """Tokens of lines in title case: three or more words of four letters or more, all
        capitalised, one of them (not the first) a verb, noun or adjective, not a name."""
        doc = self.doc
        out: set[int] = set()
        line: list[Token] = []
        for tok in [*doc, None]:
            if tok is not None and not (tok.is_space and "\n" in tok.text):
                line.append(tok)
                continue
            long = [t for t in line if t.is_alpha and len(t.text) >= 4]
            if (
                len(long) >= 3
                and all(_cap(t.text) for t in long)
                and any(t.pos_ in ("VERB", "NOUN", "ADJ", "ADV") for t in long[1:])
            ):
                out.update(t.i for t in line)
            line = []
        return out

    def _in_party(self, span: Span) -> bool:
        """Whether a model's entity is a party form the matcher found, give or take "the",
        a possessive or a member noun after it ("the Tories", "Labour's", "Labour MPs")."""
        if not self.in_party:
            return False
        inside = [t for t in span if t.i in self.in_party]
        if not inside:
            return False
        return all(
            t.i in self.in_party
            or t.lower_ in DETERMINERS
            or t.is_punct
            or t.text in POSSESSIVE
            or _member_title(t)
            for t in span
        )

    def _split_at_the(self, span: Span) -> list[Span]:
        """ "According to Harlan the Western Trust ...": an ORG span that starts with a name the
        article gives a person and then "the" is that person and, after "the", the organisation."""
        for k in range(span.start + 1, min(span.start + 3, span.end - 1)):
            if self.doc[k].text != "the":
                continue
            left = self.doc[span.start : k]
            if all(_cap(t.text) and fold(t.text) in self._person_words() for t in left):
                self.people.append(_Mention(left.start, left.end, "PERSON"))
                return [self.doc[k + 1 : span.end]]
        return [span]

    def _person_words(self) -> set[str]:
        if self._person_words_cache is None:
            people = [ent for ent in self.doc.ents if ent.label_ == "PERSON"]
            self._person_words_cache = {p for ent in people for p in _name_parts([t.text for t in ent])}
        return self._person_words_cache

    def _ent_at(self, i: int) -> Span | None:
        """The model's entity covering token `i`, from a map built once per Doc."""
        if self._ents_by_token is None:
            self._ents_by_token = {k: ent for ent in self.doc.ents for k in range(ent.start, ent.end)}
        return self._ents_by_token.get(i)

    def _extend_org(self, span: Span) -> Span:
        """Take back the rest of a name the model cut short: "the Joint Council" + "for the
        Welfare of Migrants", "the United Nations" + "High Commissioner for Refugees".

        Capitalised words the model left untagged, then "for"/"of"/"on", an optional "the"
        and more capitalised words (joined by "of"/"and"), up to the first other word.
        """
        doc = self.doc
        if span.label_ not in ("ORG", "") or not self.tagged:
            return span
        j, n = span.end, len(doc)
        if j < n and fold(doc[j].text) in LEGAL_SUFFIXES and not doc[j].ent_type_:
            return doc[span.start : j + 1]  # "Chrysler" + "LLC"
        if (
            j < n
            and doc[j].is_digit
            and len(doc[j].text) <= 4
            and not (len(doc[j].text) == 4 and doc[j].text[:2] in ("19", "20"))
            and not doc[j - 1].is_digit
            and _cap(span.text)
            and (j + 1 >= n or doc[j + 1].pos_ not in ("NOUN", "NUM", "SYM") and doc[j + 1].text != "%")
        ):
            return doc[span.start : j + 1]  # "Radio" + "4", "Local" + "1520": a number in the name

        def free_cap(i: int) -> bool:
            return i < n and doc[i].is_alpha and _cap(doc[i].text) and not doc[i].ent_type_

        while free_cap(j) and j - span.end < 3:
            j += 1
        if j >= n or doc[j].lower_ not in ("for", "of", "on") or doc[j].ent_type_:
            return span
        k = j + 1
        if k < n and doc[k].lower_ == "the" and not doc[k].ent_type_:
            k += 1
        if not free_cap(k) or doc[k].pos_ not in ("PROPN", "NOUN"):
            return span
        end = k + 1
        while end < n:
            if free_cap(end):
                end += 1
            elif doc[end].lower_ in ("of", "and") and end + 1 < n and free_cap(end + 1):
                end += 2
            else:
                break
        if end < n and doc[end].text == "-":
            return span  # "... for the Welfare of Arab-" : a hyphenated word the model split
        return doc[span.start : end]

    def _through_and(self, span: Span) -> Span:
        """ "the Union of Free Farmers" + "and Growers (UFFG)": a name the model cut at "and" runs
        on to the acronym in brackets that follows it."""
        doc = self.doc
        j, n = span.end, len(doc)
        if span.label_ != "ORG" or j + 4 >= n or doc[j].lower_ != "and":
            return span
        k = j + 1
        while k < n and k - j <= 3 and doc[k].is_alpha and _cap(doc[k].text):
            k += 1
        if k == j + 1 or k + 2 >= n or doc[k].text != "(" or doc[k + 2].text != ")":
            return span
        return doc[span.start : k] if is_acronym(doc[k + 1].text) else span

    def _acronyms_after_people(self, person_ents: list[Span], org_ents: list[Span]) -> list[Span]:
        """ "Ann Ho of the FCU", "Eddie Lam from NDP", "Ann Ho at KBX": an acronym after a
        person's name and "of"/"from"/"at" is the body they belong to, whatever the model called it."""
        doc = self.doc
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out = []
        for ent in person_ents:
            k = ent.end
            if k + 1 >= len(doc) or doc[k].lower_ not in ("of", "from", "at"):
                continue
            k += 1
            if doc[k].lower_ == "the" and k + 1 < len(doc):
                k += 1
            tok = doc[k]
            if (
                k not in claimed
                and is_acronym(tok.text)
                and tok.text.isalpha()
                and tok.ent_type_ not in ("PERSON", "GPE", "LOC")
                and country_lookup(tok.text) is None
                and fold(tok.text) not in self.lex.orgs_not
                and not self.lex.is_title_word(tok.text)
            ):
                out.append(doc[k : k + 1])
        return out

    def _site_names(self, org_ents: list[Span]) -> list[Span]:
        """ "GunTrader.com", "Vetra.org": a capitalised web domain in no entity names the site's
        organisation (addresses with a path or "www." are links, not names)."""
        doc = self.doc
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out = []
        for i in [k for k, v in enumerate(doc.to_array("LIKE_URL").tolist()) if v]:
            tok = doc[i]
            if i not in claimed and tok.ent_type_ not in ("PERSON", "ORG") and _SITE_NAME.fullmatch(tok.text):
                out.append(doc[i : i + 1])
        return out

    def _headed_chains(self, org_ents: list[Span]) -> list[Span]:
        """Capitalised names ending in an organisation's head word that the model left untagged.

        "the Deseret News", "the Saudi Interior Ministry", "Toronto Star": two or more
        capitalised words (small joining words such as "of" allowed inside) whose last word is
        an organisation head ("News", "Ministry", "Star") and that no entity covers.
        """
        doc, lex = self.doc, self.lex
        if not self.tagged:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        i, n = 0, len(doc)
        while i < n:
            if not _chain_word(doc[i]):
                i += 1
                continue
            j = i
            while j < n and (
                _chain_word(doc[j])
                or (doc[j].lower_ in CHAIN_JOINERS and j + 1 < n and _chain_word(doc[j + 1]) and j > i)
            ):
                j += 1
            start = i + 1 if doc[i].lower_ in DETERMINERS else i
            i = j
            if j - start < 2 or doc[j - 1].lower_ not in lex.org_heads:
                continue
            if any(t.ent_type_ in ("PERSON", "ORG") or t.i in claimed for t in doc[start:j]):
                continue
            if all(lex.is_title_word(t.text) or t.lower_ in lex.org_heads for t in doc[start:j]):
                continue  # "Chief Executive Officer", "Foreign Office" alone is kept only if known
            out.append(doc[start:j])
        return out

    def _described_orgs(self, org_ents: list[Span]) -> list[Span]:
        """Names the text itself calls an organisation, whatever the model tagged them.

        A capitalised name tied by the parse to a noun of an organisation's kind: "Vetra, a
        Danish shipping company" and "its European division, Vetra" (apposition), "the rail
        union Vetra" (the noun as a compound before the name).
        """
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        kinds = {doc.vocab.strings.add(w) for w in lex.org_kinds}
        # Integer attributes read in one call: far cheaper than a Token per word.
        for i in [k for k, v in enumerate(doc.to_array("LOWER").tolist()) if v in kinds]:
            tok = doc[i]
            if tok.pos_ != "NOUN":
                continue
            if tok.dep_ == "appos" and tok.head.i < tok.i:
                name = tok.head  # "Vetra, a Danish shipping company"
            elif tok.dep_ == "compound" and tok.head.i == tok.i + 1:
                name = tok.head  # "the rail union Vetra"
            elif (
                tok.i > 0
                and doc[tok.i - 1].dep_ == "compound"
                and doc[tok.i - 1].head.i == tok.i
                and doc[tok.i - 1].ent_type_ not in ("PERSON", "NORP")
                and doc[tok.i - 1].pos_ == "PROPN"
                and _cap(doc[tok.i - 1].text)
                and not any(c.dep_ == "appos" for c in tok.children)
            ):
                name = doc[tok.i - 1]  # "Mexico's Vetra network", "the Vetra group"
            else:
                kids = [c for c in tok.children if c.dep_ == "appos" and c.i > tok.i]
                if not kids:
                    continue
                name = kids[0]  # "its European division, Vetra"
            span = self._name_run(name)
            if span is None or any(i in claimed for i in range(span.start, span.end)):
                continue
            claimed.update(range(span.start, span.end))
            out.append(span)
        return out

    def _employers_before_titles(self, org_ents: list[Span], person_ents: list[Span]) -> list[Span]:
        """ "Vetra co-founder Ann Ho", "Nord Vetra Group head trader, Ann Ho": an untagged
        capitalised name right before an office that stands right before a person's name (a
        comma between them allowed) is the organisation they work for. One word alone counts
        only before a company office ("co-founder"), two or more before any title."""
        doc, lex = self.doc, self.lex
        if not self.tagged:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        for ent in person_ents:
            stop = ent.start - 1 if ent.start > 0 and doc[ent.start - 1].text == "," else ent.start
            j = stop
            while j > 0 and (lex.is_title_word(doc[j - 1].text) or doc[j - 1].text == "-"):
                j -= 1
            title = " ".join(t.lower_ for t in doc[j:stop]).replace(" - ", "-")
            if j == stop or not any(lex.is_title_head(t.text) for t in doc[j:stop]):
                continue
            start = j
            while (
                start > 0
                and doc[start - 1].is_alpha
                and _cap(doc[start - 1].text)
                and doc[start - 1].pos_ in ("PROPN", "NOUN")
                and not doc[start - 1].ent_type_
                and start - 1 not in claimed
                and j - start < 3
            ):
                start -= 1
                if doc[start].is_sent_start:
                    break
            span = doc[start:j]
            if start > 0 and (start - 1 in claimed or doc[start - 1].ent_type_):
                continue  # "Pentagon Acquisition Director X": a department inside a named body
            if len(span) and span[0].is_sent_start and not self._capitalised_inside(span[0]):
                continue  # "Longtime chairman X": a sentence's first word needs to be a name elsewhere
            if (
                not len(span)
                or (len(span) == 1 and not lex.is_corporate_title(title))
                or country_lookup(span.text)
                or any(lex.is_title_word(t.text) or t.lower_ in lex.org_kinds for t in span)
                or fold(span.text) in lex.orgs_not
            ):
                continue
            out.append(span)
        return out

    def _capitalised_inside(self, tok: Token) -> bool:
        """Whether the article writes `tok`'s word with a capital inside a sentence too."""
        if self._inner_capitals is None:
            self._inner_capitals = Counter(t.text for t in self.doc if not t.is_sent_start)
        return self._inner_capitals[tok.text] > (0 if tok.is_sent_start else 1)

    def _name_run(self, tok: Token) -> Span | None:
        """The capitalised name around `tok` ("Vetra", "Nord Vetra"), or None when it is not one
        that can name an organisation (a place, a title, a pronoun, a lower-case word)."""
        doc, lex = self.doc, self.lex
        if not (tok.is_alpha and _cap(tok.text) and tok.pos_ == "PROPN"):
            return None
        if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"):
            return None  # a place the gazetteer knows is turned away below
        ent = self._ent_at(tok.i) if tok.ent_type_ else None
        if ent is not None:
            start, end = ent.start, ent.end
        else:
            start, end = tok.i, tok.i + 1
            while start > 0 and doc[start - 1].pos_ == "PROPN" and _cap(doc[start - 1].text):
                if doc[start - 1].ent_type_ or doc[start - 1].is_sent_start:
                    break
                start -= 1
        span = doc[start:end]
        if any(lex.is_title_word(t.text) or t.lower_ in PRONOUNS for t in span):
            return None
        if country_lookup(span.text) or fold(span.text) in lex.orgs_not:
            return None
        return span

    def _untagged_people(self) -> list[Span]:
        """Full names the model left untagged, where the sentence shows a person.

        "Jean-Claude Trichet, the European Central Bank president, warned": two to four
        capitalised proper nouns in no entity, with a title in apposition ("X, the ...
        president,") or doing what only people do ("X warned", "X said").
        """
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return []
        out: list[Span] = []
        i, n = 0, len(doc)
        while i < n:
            if not _name_word(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < n and (
                _name_word(doc[j])
                or (doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_)
            ):
                j += 1
            while j > i and not _name_word(doc[j - 1]):
                j -= 1
            start, end = i, j
            i = max(j, i + 1)
            words = [t for t in doc[start:end] if t.text != "-"]
            if not 2 <= len(words) <= 4:
                continue
            head = doc[end - 1]
            if head.head.i in range(start, end) and head.head.i != head.i:
                continue  # the name's last word must head it
            if doc[end - 1].lower_ in lex.org_heads or any(lex.is_title_word(t.text) for t in words):
                continue
            if country_lookup(doc[start:end].text) or any(country_lookup(t.text) for t in words):
                continue
            titled = any(c.dep_ == "appos" and lex.is_title_head(c.text) and c.i > end for c in head.children)
            speaks = head.dep_ == "nsubj" and head.head.lower_ in PERSON_VERBS
            if titled or speaks:
                out.append(doc[start:end])
        return out

    def _person(self, start: int, end: int, surnames: set[str]) -> None:
        doc, lex = self.doc, self.lex
        opening = start
        while opening < end and (doc[opening].lower_ in DETERMINERS or doc[opening].is_punct):
            opening += 1
        start, end, titled = _strip_person(doc, start, end, lex)
        if end <= start:
            return
        if end - opening > 1 and opening < start and doc[end - 1].lower_ in lex.org_heads and not titled:
            # "Edmonton Sun": a place word opening an organisation's name is part of it.
            self.orgs.append(_Mention(opening, end, "ORG"))
            return
        words = [t.text for t in doc[start:end]]
        text = doc[start:end].text
        low = fold(text)
        if not _cap(words[0]) or low in PRONOUNS or len(words) > 6:
            return
        if any(any(c.isdigit() for c in w) for w in words):
            return
        # "Putin-Trump": a hyphenated pair of known surnames is two people.
        if "-" in words and len(words) == 3 and words[1] == "-":
            first, second = fold(words[0]), fold(words[2])
            known = surnames | lex.known_people
            if first in known and second in known:
                self.people.append(_Mention(start, start + 1, "PERSON", titled))
                self.people.append(_Mention(start + 2, end, "PERSON", titled))
                return
        given_and_surname = (
            len(words) == 2 and fold(words[0]) in lex.given_names and country_lookup(words[0]) is None
        )
        if text in lex.orgs_known or (doc[end - 1].lower_ in lex.org_heads and not given_and_surname):
            self.orgs.append(_Mention(start, end, "ORG"))  # "Deseret News", not "Jim Press"
            return
        if low in lex.orgs_not or doc[end - 1].lower_ in PLACE_HEADS:
            return
        if country_lookup(text) and not titled:
            return
        last = lookup_entry(words[-1]) if len(words) > 1 else None
        if last is not None and last.kind in ("name", "demonym") and fold(words[0]) not in lex.given_names:
            # "Garuda Indonesia", "Royal Dutch": a country word ends an organisation's name, but a
            # city or state ending a name after a given name is a surname ("Jack London").
            self.orgs.append(_Mention(start, end, "ORG"))
            return
        if len(words) > 1 and words[-1].isupper() and len(words[-1]) > 1 and "." not in words[-1]:
            return  # "Pro-Beijing DAB": a party's acronym
        if (
            len(words) > 2
            and fold(words[1]) in lex.given_names
            and fold(words[0]) not in lex.given_names
            and words[0].isalpha()
            and not words[0].isupper()
            and fold(words[0]) not in lex.known_people
        ):
            start += 1  # "Nonpartisan Paul Tse"
            words, text = words[1:], doc[start:end].text
        if start > 0 and doc[start - 1].lower_ == "the" and not titled:
            return
        if len(words) > 1 and all(w.isupper() for w in words if w.isalpha()):
            return  # headings and acronyms in capitals are not names
        self.people.append(_Mention(start, end, "PERSON", titled))

    def _org(self, start: int, end: int, surnames: set[str]) -> None:
        for s, e in self._org_parts(start, end):
            self._org_part(s, e, surnames)

    def _org_parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """Split an ORG span that holds two names.

        An acronym in brackets is an alias, never part of the name ("the Union of Free Farmers
        (UFF" or tokenised "( UFF )"), and an agency in brackets after a dateline is the
        agency only ("LONDON (Reuters"); "X at Y University" is a school at a university;
        "Harbour Post-KTV News" (no spaces round the hyphen, two words or more before it) is a
        poll's two partners.
        """
        doc = self.doc
        start, end = _strip_org(doc, start, end)
        for k in range(start + 1, end):
            if doc[k].text != "(":
                continue
            close = next((j for j in range(k + 1, end) if doc[j].text == ")"), end)
            left, inside = (start, k), (k + 1, close)
            if all(t.is_upper or not t.is_alpha for t in doc[start:k]):
                return [inside] if inside[1] > inside[0] else []  # a dateline
            if close - k == 2 and is_acronym(doc[k + 1].text):
                return [left, inside]
            return [left]
        for k in range(start + 2, end - 2):
            if (
                doc[k].lower_ == "at"
                and doc[end - 1].lower_ in self.lex.org_heads
                and all(_cap(t.text) for t in (doc[k - 1], doc[k + 1]))
            ):
                return [(start, k), (k + 1, end)]
        for k in range(start + 2, end - 1):
            if (
                doc[k].text == "-"
                and not doc[k - 1].whitespace_
                and not doc[k].whitespace_
                and all(t.is_alpha and _cap(t.text) for t in doc[start:k])
                and all(t.is_alpha and _cap(t.text) for t in doc[k + 1 : end])
            ):
                return [(start, k), (k + 1, end)]
        return [(start, end)]

    def _org_part(self, start: int, end: int, surnames: set[str]) -> None:
        doc, lex = self.doc, self.lex
        start, end = _strip_org(doc, start, end)
        if end <= start:
            return
        start, end, flight = _strip_flight(doc, start, end)
        if end <= start:
            return
        if flight:  # the airline of "Adam Air Flight 574"
            self.orgs.append(_Mention(start, end, "ORG"))
            return
        if (
            end - start > 1
            and start > 0
            and doc[start - 1].like_num
            and doc[start].text.isupper()
            and fold(doc[start].text) in lex.orgs_not
        ):
            start += 1  # "by 1300 GMT Vetra's shares": the time zone of a time, then the name
        text = doc[start:end].text
        low = fold(text)
        words = [t.text for t in doc[start:end]]
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in PLACE_KINDS:
            return  # "the town of Yeoncheon"
        if (
            len(words) >= 3
            and words[-2].lower() in CHAIN_JOINERS
            and (entry := lookup_entry(words[-1])) is not None
            and entry.kind == "demonym"
            and end < len(doc)
            and doc[end].is_lower
        ):
            # "Scientology on French television": the adjective belongs to the noun after it.
            end -= 2
            text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:-2]
        if (
            end - start > 1
            and doc[start].lower_.rstrip(".") in PERSONAL_HONORIFICS
            and all(t.is_alpha and _cap(t.text) for t in doc[start + 1 : end])
        ):
            start += 1  # "Mr Harlow" tagged whole as an organisation
            text, low, words = doc[start:end].text, fold(doc[start:end].text), words[1:]
            self.people.append(_Mention(start, end, "PERSON", titled=True))
            return
        if (
            start > 0
            and doc[start - 1].lower_.rstrip(".") in PERSONAL_HONORIFICS
            and all(t.is_alpha and _cap(t.text) for t in doc[start:end])
            and text not in lex.orgs_known
        ):
            self.people.append(_Mention(start, end, "PERSON", titled=True))
            return  # "Mr Halloran": a courtesy title names a person, whatever the model said
        # The model calls a surname an organisation now and then ("Jobs", "Zelenskiy's regime"):
        # the article's majority use decides, and a known organisation needs a clear majority.
        similar = self.person_words.similar(low)
        votes_person, votes_org = sum(self.person_votes[n] for n in similar), max(self.org_votes[low], 1)
        known_org = text in lex.orgs_known
        person_wins = votes_org <= 2 * votes_person and (not known_org or votes_org < votes_person)
        if len(words) == 1 and person_wins and (low in surnames or self.surnames.similar(low)):
            self.people.append(_Mention(start, end, "PERSON"))
            return
        if len(words) == 1 and not known_org:
            if votes_org <= 2 * self.norp_votes[low] or votes_org < self.single_person_votes[low]:
                return  # the article's other mentions make it a people or a person
            if len(low) > 3 and low.endswith("s") and low[:-1] in surnames:
                return  # "the Sams": a family, by its surname
        if (
            len(words) >= 3
            and (
                fold(words[-2]) in lex.given_names
                or self._named_alone(words[-1], start, end)
                or self._speaks_after_a_body(words, end)
                or _after_legal_suffix(words)
                or (
                    len(words) >= 4
                    and not any(fold(w) in CORPORATE_SUFFIXES for w in words[-2:])
                    and self._after_office_of(start)
                    and fold(words[-1])
                    not in lex.orgs_not  # "... for Progressive Hinduism": a faith, no surname
                )
            )
            and words[-2].isalpha()
            and _cap(words[-2])
            and words[-1].isalpha()
            and _cap(words[-1])
            and (fold(words[-1]) not in lex.org_heads or _after_legal_suffix(words))
            and text not in lex.orgs_known
        ):
            # "the Air Force for Acquisition Darleen Druyun": a name swallowed by the organisation.
            self.people.append(_Mention(end - 2, end, "PERSON"))
            start, end = _strip_org(doc, start, end - 2)
            while end > start and doc[end - 1].lower_ in ACRONYM_SKIP:
                end -= 1
            if end <= start:
                return
            words = [t.text for t in doc[start:end]]
            text, low = doc[start:end].text, fold(doc[start:end].text)
        if (
            len(words) > 1
            and all(lex.is_title_word(w) for w in words)
            and fold(words[-1]) not in lex.org_heads
        ):
            return  # "Shadow Home" (Secretary): a title, not a body
        while (
            len(words) > 1
            and lex.is_title_head(words[-1])
            and fold(words[-2]) not in ACRONYM_SKIP
            and text not in lex.orgs_known
        ):
            end -= 1  # "the State Department Spokesperson"
            text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:-1]
        if text not in lex.orgs_known:
            # Names the model calls organisations: a known public figure, or "Dean Kamen".
            if len(words) == 1 and low in lex.known_people and votes_org <= 2 * max(votes_person, 1):
                self.people.append(_Mention(start, end, "PERSON"))
                return
            if (
                len(words) == 2
                and fold(words[0]) in lex.given_names
                and words[1].isalpha()
                and _cap(words[1])
                and not words[1].isupper()
                and fold(words[1]) not in lex.org_heads
                and not (start > 0 and doc[start - 1].lower_ == "the")
            ):
                self.people.append(_Mention(start, end, "PERSON"))
                return
            if (
                2 <= len(words) <= 3
                and start > 0
                and lex.is_title_head(doc[start - 1].text)
                and doc[start - 1].is_lower
                and all(w.isalpha() and _cap(w) and not w.isupper() for w in words)
                and not any(fold(w) in lex.org_heads for w in words)
                and not any(country_lookup(w) for w in words)
            ):
                # "shadow chancellor Ann Ho": a name right after a title in lower case is the
                # holder's, whatever the model called it.
                self.people.append(_Mention(start, end, "PERSON", titled=True))
                return
        if text not in lex.orgs_known:
            while len(words) > 1 and _model_code(words[-1]):
                end -= 1  # "Norvane PX-7": the maker of a model
                text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:-1]
            if len(words) == 1 and _model_code(text):
                return  # "3D", "X5": a model or format, not an organisation
            if self.parsed and len(words) == 1 and doc[start].pos_ == "ADJ" and doc[start].dep_ == "amod":
                return  # "a Federal flag": an adjective, not a name
            if self.parsed and len(words) == 1 and is_acronym(text) and _with_common_nouns(doc[start]):
                return  # "every teacher, GP and nurse": letters in a list of common nouns
            cut = next(
                (
                    k
                    for k in range(1, len(words) - 1)
                    if lex.is_title_head(words[k])
                    and _cap(words[k])
                    and words[k + 1] == "of"
                    and fold(words[k - 1]) not in ACRONYM_SKIP
                ),
                None,
            )
            if cut is not None:
                end = start + cut  # "X Director of Public Affairs": the body, then an office
                text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:cut]
        if not _cap(text) and not text[:1].isdigit() and text not in lex.orgs_known and len(words) == 1:
            return  # "iPod", "vFinance": only a known name or a multi-word one is taken
        if (
            len(words) == 1
            and text.endswith("s")
            and any(c.isdigit() for c in text)
            and text[-2:-1].isdigit()
        ):
            return  # "A340s", "737s": aircraft or other models in the plural
        if len(words) > 1 and words[-1] == "System" and text not in lex.orgs_known:
            return  # "the Border Information System": a technical system, not a body
        code, _ = _leading_country(doc, start, end)
        self.orgs.append(_Mention(start, end, "ORG", country=code))

    def _after_office_of(self, start: int) -> bool:
        """ "Undersecretary of the Navy for Procurement Ann Ho": an organisation named as the
        field of an office just before it ends in the office holder's name."""
        doc, lex = self.doc, self.lex
        k = start - 1
        if k >= 0 and doc[k].lower_ == "the":
            k -= 1
        return k >= 1 and doc[k].lower_ == "of" and lex.is_title_head(doc[k - 1].text)

    def _speaks_after_a_body(self, words: list[str], end: int) -> bool:
        """ "the Council on Foreign Relations Ann Ho said": a body's name (ending in an
        organisation head) then two more capitalised words, and a verb only people use."""
        doc, lex = self.doc, self.lex
        return (
            len(words) >= 4
            and fold(words[-3]) in lex.org_heads
            and fold(words[-2]) not in lex.org_heads
            and not words[-1].isupper()
            and end < len(doc)
            and doc[end].lower_ in PERSON_VERBS
        )

    def _named_alone(self, word: str, start: int, end: int) -> bool:
        """Whether the article names a person by `word` alone outside tokens [start, end):
        a one-word PERSON entity, or the subject of a verb of speech ("Karam said")."""
        low = fold(word)
        if low in self.lex.org_heads or low in PLACE_HEADS or low in self.org_votes:
            return False
        if self._alone is None:
            self._alone = {}
            for ent in self.doc.ents:
                if len(ent) == 1 and ent.label_ == "PERSON":
                    self._alone.setdefault(fold(ent.text), []).append(ent.start)
            for tok in self.doc:
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in PERSON_VERBS:
                    self._alone.setdefault(fold(tok.text), []).append(tok.i)
        return any(not start <= i < end for i in self._alone.get(low, ()))

    def _people_named_like_places(self, taken: set[int]) -> None:
        """ "Lorna Paris, a Canadian woman, said ...": a full name in apposition with a noun for a
        person is a person even when its words name places, and so is its last word where it
        then acts alone ("Paris said", "Paris's father")."""
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return
        surnames: set[str] = set()
        appos = doc.vocab.strings.add("appos")
        for i in [k for k, v in enumerate(doc.to_array("DEP").tolist()) if v == appos]:
            tok = doc[i]
            if tok.head.i >= tok.i or tok.pos_ != "NOUN":
                continue
            if tok.lower_ not in PERSON_NOUNS and not lex.is_title_head(tok.text):
                continue
            head = tok.head
            start = head.i
            while (
                start > 0
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].head.i == head.i
                and doc[start - 1].pos_ == "PROPN"
            ):
                start -= 1
            span = doc[start : head.i + 1]
            if len(span) >= 2 and all(i in taken for i in range(span.start, span.end)):
                surnames.add(head.text)  # the model saw the person; the lone surname may still be missed
                continue
            if (
                len(span) < 2
                or any(i in taken for i in range(span.start, span.end))
                or not all(t.is_alpha and _cap(t.text) for t in span)
                or any(t.ent_type_ not in PLACE_ENTS for t in span)
                or country_lookup(span.text)
                or any(lex.is_title_word(t.text) or fold(t.text) in lex.honorifics for t in span)
            ):
                continue
            self.people.append(_Mention(span.start, span.end, "PERSON", titled=True))
            taken.update(range(span.start, span.end))
            surnames.add(head.text)
        if not surnames:
            return
        for tok in doc:
            if (
                tok.text in surnames
                and tok.i not in taken
                and tok.ent_type_ in PLACE_ENTS
                and tok.dep_ in ("nsubj", "nsubjpass", "poss")
            ):
                self.people.append(_Mention(tok.i, tok.i + 1, "PERSON", titled=True))
                taken.add(tok.i)

    def _leaders_of_governments(self) -> None:
        """ "the Rossi government", "the Bush administration": a surname naming a government is a
        person (not a party, people, place or known organisation)."""
        doc, lex = self.doc, self.lex
        in_orgs = {i for m in self.orgs for i in range(m.start, m.end)}
        for noun in doc[2:]:
            if noun.lower_ not in GOVERNMENT_NOUNS:
                continue
            tok = doc[noun.i - 1]
            if (
                doc[noun.i - 2].lower_ == "the"
                and tok.is_alpha
                and tok.is_title
                and tok.ent_type_ in ("", "PERSON", "GPE")
                and country_lookup(tok.text) is None
                and tok.text not in lex.orgs_known
                and fold(tok.text) not in lex.orgs_not
                and not lex.is_title_word(tok.text)
                and tok.i not in in_orgs
            ):
                self.people.append(_Mention(tok.i, tok.i + 1, "PERSON", titled=True))

    def _hyphen_pairs(self, surnames: set[str], taken: set[int]) -> None:
        """Catch "Putin-Trump summit" where the model tagged neither side as a person."""
        doc = self.doc
        known = surnames | self.lex.known_people
        for tok in doc:
            if tok.text != "-" or tok.i in taken or tok.i == 0 or tok.i + 1 >= len(doc):
                continue
            left, right = doc[tok.i - 1], doc[tok.i + 1]
            if left.whitespace_ or tok.whitespace_:
                continue
            if (
                fold(left.text) in known
                and fold(right.text) in known
                and _cap(left.text)
                and _cap(right.text)
                and left.i not in taken
                and right.i not in taken
            ):
                self.people.append(_Mention(left.i, left.i + 1, "PERSON"))
                self.people.append(_Mention(right.i, right.i + 1, "PERSON"))


# --------------------------------------------------------------------------- clustering people


def _name_parts(words: list[str]) -> list[str]:
    """Words of a name that identify it: no initials, no "Jr.", no punctuation."""
    parts = []
    for w in words:
        f = fold(w).rstrip(",")
        if f in NAME_SUFFIXES or not any(c.isalpha() for c in f):
            continue
        if len(f.rstrip(".")) == 1:
            continue
        parts.append(f.rstrip("."))
    return parts or [fold(w) for w in words]


def _similar_surname(a: str, b: str) -> bool:
    if a == b:
        return True
    return len(a) >= 6 and len(b) >= 6 and a[0] == b[0] and fuzz.ratio(a, b) >= 85


# Blocks bigger than this are searched only at their most recent entries: the candidates for a
# fuzzy match stay bounded however many distinct names a text holds.
_BLOCK_LIMIT = 64


class _SurnameIndex(Generic[_T]):
    """Surnames -> items, answering which items have a surname `_similar_surname` to a word.

    Exact surnames are looked up directly. A near spelling ("Kasyanov"/"Kasianov") passes
    `_similar_surname` only with the same first letter and a length of six or more, and one
    edit leaves its first three or its last three letters intact: only names sharing one of
    those two blocks are compared, so the cost per query is bounded, not the number of names.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[_T]] = {}
        self._blocks: dict[tuple[str, str], list[str]] = {}

    @staticmethod
    def _keys(word: str) -> tuple[tuple[str, str], ...]:
        if len(word) < 6:
            return ()
        return (("<", word[:3]), (">", word[0] + word[-3:]))

    def add(self, surname: str, item: _T) -> None:
        items = self._exact.get(surname)
        if items is None:
            self._exact[surname] = [item]
            for key in self._keys(surname):
                self._blocks.setdefault(key, []).append(surname)
        elif not any(i is item for i in items[-_BLOCK_LIMIT:]):
            items.append(item)

    def similar(self, word: str) -> list[_T]:
        """Items with a surname similar to `word`, in the order they were added (the most
        recent `_BLOCK_LIMIT` per surname: many people sharing one surname stay bounded)."""
        out = list(self._exact.get(word, ())[-_BLOCK_LIMIT:])
        seen = {word}
        for key in self._keys(word):
            for name in self._blocks.get(key, ())[-_BLOCK_LIMIT:]:
                if name in seen:
                    continue
                seen.add(name)
                if _similar_surname(word, name):
                    out.extend(i for i in self._exact[name][-_BLOCK_LIMIT:] if all(i is not o for o in out))
        return out


class _PersonCluster:
    def __init__(self, first: _Mention, parts: list[str], text: str, order: int) -> None:
        self.order = order
        self.mentions: list[_Mention] = [first]
        self.starts: list[int] = [first.start]
        self.full: list[list[str]] = [parts] if len(parts) > 1 else []
        self.singles: set[str] = set() if len(parts) > 1 else {parts[0]}
        self.texts: Counter[str] = Counter({text: 1})

    def add(self, m: _Mention, text: str) -> None:
        self.mentions.append(m)
        bisect.insort(self.starts, m.start)
        self.texts[text] += 1

    def last_before(self, position: int) -> int:
        k = bisect.bisect_left(self.starts, position)
        return self.starts[k - 1] if k else -1

    def given(self) -> set[str]:
        return {p[0] for p in self.full}


def _compatible_full(lex: Lexicon, a: list[str], b: list[str]) -> bool:
    if not _similar_surname(a[-1], b[-1]):
        return False
    fa, fb = a[0], b[0]
    if lex.same_given_name(fa, fb):
        return True
    return len(fa) >= 4 and len(fb) >= 4 and fa[0] == fb[0] and fuzz.ratio(fa, fb) >= 80


def _given_forms(lex: Lexicon, given: str) -> frozenset[str]:
    """A given name and its nicknames or formal forms: two names are the same given name when
    their forms meet (`Lexicon.same_given_name`)."""
    f = fold(given)
    return lex.nicknames.get(f, frozenset()) | {f}


def cluster_people(
    doc: Doc, mentions: list[_Mention], lex: Lexicon
) -> list[tuple[EntityCluster, list[_Mention]]]:
    """Group person mentions: full names by surname and compatible given name, then bare names.

    Surnames and given names are indexed, so each mention is compared with the few people
    whose names could match, not with everyone in the article.
    """
    clusters: list[_PersonCluster] = []
    by_surname: _SurnameIndex[_PersonCluster] = _SurnameIndex()
    by_given: dict[str, list[_PersonCluster]] = {}
    full = sorted(
        (m for m in mentions if len(_name_parts(m.words(doc))) > 1),
        key=lambda m: (-(m.end - m.start), m.start),
    )
    for m in full:
        parts = _name_parts(m.words(doc))
        text = m.text(doc)
        target = next(
            (
                c
                for c in sorted(by_surname.similar(parts[-1]), key=lambda c: c.order)
                if any(_compatible_full(lex, parts, p) for p in c.full)
            ),
            None,
        )
        if target is None:
            target = _PersonCluster(m, parts, text, len(clusters))
            clusters.append(target)
        else:
            target.add(m, text)
            if parts in target.full:
                continue
            target.full.append(parts)
        by_surname.add(parts[-1], target)
        for form in _given_forms(lex, parts[0]):
            known = by_given.setdefault(form, [])
            if not any(c is target for c in known[-_BLOCK_LIMIT:]):
                known.append(target)
    singles = sorted((m for m in mentions if len(_name_parts(m.words(doc))) <= 1), key=lambda m: m.start)
    for m in singles:
        word = _name_parts(m.words(doc))[0]
        text = m.text(doc)
        candidates = by_surname.similar(word)
        if not candidates:
            found = {
                c.order: c for form in _given_forms(lex, word) for c in by_given.get(form, [])[-_BLOCK_LIMIT:]
            }
            candidates = [found[k] for k in sorted(found)]
        if not candidates:
            if not _single_is_person(doc, m, lex):
                continue
            target = _PersonCluster(m, [word], text, len(clusters))
            clusters.append(target)
        else:
            target = _nearest(candidates, m.start)
            target.add(m, text)
            target.singles.add(word)
        by_surname.add(word, target)
    out = []
    for c in clusters:
        name = _best_person_name(c)
        spans = sorted(
            {(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)) for m in c.mentions}
        )
        out.append((EntityCluster(name=name, aliases=set(c.texts), spans=spans), c.mentions))
    out.sort(key=lambda pair: pair[0].spans[0])
    return out


def _nearest(candidates: list[_PersonCluster], position: int) -> _PersonCluster:
    """Of several people sharing a name part, the one mentioned last before `position`."""
    best = max(candidates, key=lambda c: c.last_before(position))
    if best.last_before(position) < 0:
        best = min(candidates, key=lambda c: c.starts[0])
    return best


def _best_person_name(c: _PersonCluster) -> str:
    def key(text: str) -> tuple[int, int, int]:
        return (len(_name_parts(text.split())), len(text.split()), c.texts[text])

    return max(c.texts, key=key)


def _single_is_person(doc: Doc, m: _Mention, lex: Lexicon) -> bool:
    """A bare one-word name with no full form in the article needs some evidence."""
    word = fold(doc[m.start].text)
    if m.titled or word in lex.known_people or word in lex.given_names:
        return True
    tok = doc[m.start]
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in PERSON_VERBS:
        return True
    after = doc[m.end] if m.end < len(doc) else None
    if after is not None and after.lower_ in PERSON_VERBS:
        return True
    if m.start >= 2 and doc[m.start - 1].lower_ == "," and doc[m.start - 2].lower_ in PERSON_VERBS:
        return True
    return False


# --------------------------------------------------------------------------- clustering organisations


# A site's name: a capitalised word (inner capitals allowed) and a common top-level domain;
# the domain is no part of the organisation's key ("CBC.ca" is "CBC").
_SITE_NAME = re.compile(r"[A-Z][A-Za-z0-9-]+\.(?:com|org|net|co\.uk|ca)")
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


class _OrgCluster:
    def __init__(self, m: _Mention, words: list[str], text: str, order: int = 0) -> None:
        self.order = order
        self.mentions = [m]
        self.forms: list[list[str]] = [words]
        self.texts: Counter[str] = Counter({text: 1})
        self.country = m.country


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


class _OrgIndex:
    """Organisation forms -> clusters, keyed by everything `_org_joins` compares.

    A form is filed under its key, a spelling-insensitive key (plural "s" dropped, letters
    sorted: "Untied"/"United"), its content words in order ("State Department"), every proper
    prefix and suffix of its key ("Ford" / "Ford Motor Company", "Treasury" / "U.S.
    Treasury"), its initials ("EADS") and, when it is an acronym, its letters; the same again
    without a leading country. A new form looks up the
    keys that could join it, so `_org_joins` runs on a few candidates, not on every cluster.
    """

    def __init__(self) -> None:
        self._keys: dict[tuple[str, tuple[str, ...]], list[_OrgCluster]] = {}

    @staticmethod
    def _filed(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
        out: list[tuple[str, tuple[str, ...]]] = []
        bare, code = _without_country(words)
        for form in (words, bare) if code else (words,):
            key = _org_key(form)
            out.append(("k", key))
            out.append(("n", _near_key(key)))
            out.append(("w", _content_words(key)))
            out.extend(("p", key[:k]) for k in range(1, len(key)))
            out.extend(("s", key[k:]) for k in range(1, len(key)))
            if len(form) > 1:
                out.extend(("i", (i,)) for i in _all_initials(form))
            joined = "".join(form).replace(".", "")
            if is_acronym(joined):
                out.append(("a", ("".join(c for c in joined if c.isalpha()),)))
        return out

    @staticmethod
    def _wanted(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
        out: list[tuple[str, tuple[str, ...]]] = []
        bare, code = _without_country(words)
        for form in (words, bare) if code else (words,):
            key = _org_key(form)
            out.append(("k", key))
            out.append(("n", _near_key(key)))
            out.append(("w", _content_words(key)))
            out.append(("p", key))  # a longer form that starts with this one
            out.append(("s", key))  # a longer form that ends with this one
            out.extend(("k", key[:k]) for k in range(1, len(key)))
            out.extend(("k", key[k:]) for k in range(1, len(key)))
            joined = "".join(form).replace(".", "")
            if is_acronym(joined):
                out.append(("i", ("".join(c for c in joined if c.isalpha()),)))
            if len(form) > 1:
                out.extend(("a", (i,)) for i in _all_initials(form))
        return out

    def add(self, words: list[str], cluster: _OrgCluster) -> None:
        for key in self._filed(words):
            known = self._keys.setdefault(key, [])
            if not known or known[-1] is not cluster:
                known.append(cluster)

    def candidates(self, words: list[str]) -> list[_OrgCluster]:
        """Clusters one of whose forms `_org_joins` with `words`, in the order they were made."""
        found: dict[int, _OrgCluster] = {}
        for key in self._wanted(words):
            for c in self._keys.get(key, ())[-_BLOCK_LIMIT:]:
                found.setdefault(id(c), c)
        return sorted(
            (c for c in found.values() if any(_org_joins(words, f) for f in c.forms)), key=lambda c: c.order
        )


def _content_words(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key's words without the small ones, in alphabetical order."""
    return tuple(sorted(w for w in key if w not in ACRONYM_SKIP))


def _near_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key that `_near_word` spellings share: a plural "s" dropped, the letters sorted."""
    return tuple("".join(sorted(w[:-1] if len(w) >= 5 and w.endswith("s") else w)) for w in key)


def cluster_orgs(
    doc: Doc, mentions: list[_Mention], lex: Lexicon
) -> list[tuple[EntityCluster, list[_Mention]]]:
    clusters: list[_OrgCluster] = []
    by_form: dict[tuple[str, ...], _OrgCluster] = {}
    # A party's every form ("Labour", "the Tories", "Tory MPs", "GOP") is one organisation.
    parties_found: dict[str, _OrgCluster] = {}
    for m in mentions:
        if m.party is None:
            continue
        known = parties_found.get(m.party.name)
        if known is None:
            parties_found[m.party.name] = _OrgCluster(m, m.words(doc), m.text(doc))
            parties_found[m.party.name].country = m.party.country
        else:
            known.mentions.append(m)
            known.texts[m.text(doc)] += 1
    mentions = [m for m in mentions if m.party is None]
    index = _OrgIndex()
    defined = _defined_acronyms(doc, mentions)
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    for m in ordered:
        words = m.words(doc)
        text = m.text(doc)
        same = by_form.get(tuple(words)) or by_form.get(defined.get(tuple(words), ()))
        candidates = [same] if same else index.candidates(words)
        if not candidates:
            clusters.append(_OrgCluster(m, words, text, len(clusters)))
            by_form[tuple(words)] = clusters[-1]
            index.add(words, clusters[-1])
            continue
        # An acronym goes to the organisation it abbreviates before any that merely starts with it.
        joined = "".join(words)
        if is_acronym(joined):
            letters = "".join(ch for ch in joined if ch.isalpha())
            exact = [
                c for c in candidates if any(len(f) > 1 and letters in _all_initials(f) for f in c.forms)
            ]
            candidates = exact or candidates
        target = max(candidates, key=lambda c: sum(c.texts.values()))
        target.mentions.append(m)
        if tuple(words) not in by_form:
            target.forms.append(words)
            by_form[tuple(words)] = target
            index.add(words, target)
        target.texts[text] += 1
        target.country = target.country or m.country
    lower_words = {t.lower_ for t in doc if t.is_lower and t.is_alpha}
    out = []
    for party_name, c in parties_found.items():
        spans = sorted(
            {(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)) for m in c.mentions}
        )
        cluster = EntityCluster(
            name=_party_name(party_name, c.texts), aliases=set(c.texts), spans=spans, country=c.country
        )
        out.append((cluster, c.mentions))
    for c in clusters:
        names = {fold(t.removeprefix("the ").removeprefix("The ")) for t in c.texts}
        if names <= lex.orgs_not:
            continue
        name = _best_org_name(c, lex)
        if name not in lex.orgs_known and len(c.texts) == 1 and country_lookup(name):
            continue  # a place the model took for an organisation
        if name not in lex.orgs_known and _common_noun(c, lower_words):
            continue  # "the Budget", "Cabinet secretary": a noun the article also writes in lower case
        if name not in lex.orgs_known and any(_a_product(doc, m, lex) for m in c.mentions):
            continue  # "the new model Vexa", "the 787 Dreamliner": a product, not its maker
        country = c.country or next((lex.orgs_known[t] for t in c.texts if lex.orgs_known.get(t)), None)
        spans = sorted(
            {(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)) for m in c.mentions}
        )
        out.append((EntityCluster(name=name, aliases=set(c.texts), spans=spans, country=country), c.mentions))
    out.sort(key=lambda pair: pair[0].spans[0])
    return out


def _common_noun(c: _OrgCluster, lower_words: set[str]) -> bool:
    """Whether every form of a one-word organisation is a word the article also writes in lower
    case ("Budget" beside "budget"): a capitalised common noun, not a name. Letters ("PAC")
    and words with inner capitals ("eBay") are names."""
    words = {t.removeprefix("the ").removeprefix("The ") for t in c.texts}
    # "pre-Budget": a lower-case prefix before the capitalised noun.
    words = {w.rsplit("-", 1)[-1] if w[:1].islower() else w for w in words}
    return all(
        " " not in w and w[:1].isupper() and w[1:].islower() and w.lower() in lower_words for w in words
    )


def _party_name(canonical: str, texts: Counter[str]) -> str:
    """The party's name as the article gives it in full ("National Front", an older name),
    its letters where it gives only those ("SNP"), else its usual name ("Conservative Party"
    for an article that says "the Tories")."""
    used = {t.removeprefix("the ").removeprefix("The ") for t in texts}
    if canonical in used:
        return canonical
    if all(is_acronym(t) for t in used):
        return max(used, key=lambda t: texts[t])  # "NDP": the letters may stand for another party
    lex = parties()
    full = [t for t in used if len(t.split()) > 1 and lex.party(t) is not None and t not in lex.by_member]
    if full:
        return max(full, key=len)
    # Only members' nouns: the name without its country ("Conservative Party" of Canada).
    party = lex.party(canonical)
    plain = [n for n in party.names if canonical.startswith(n + " of ")] if party is not None else []
    return min(plain, key=len) if plain else canonical


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


def _a_product(doc: Doc, m: _Mention, lex: Lexicon) -> bool:
    """A name written right after a product noun ("model Vexa") or led by a model number
    ("787 Dreamliner")."""
    before = doc[m.start - 1].lower_ if m.start > 0 else ""
    return before in lex.product_nouns or (m.end - m.start > 1 and doc[m.start].is_digit)


def _best_org_name(c: _OrgCluster, lex: Lexicon) -> str:
    def key(text: str) -> tuple[int, int, int, int, int]:
        return (
            int(text in lex.orgs_known),
            int(not is_acronym(text.replace(" ", ""))),
            int(_SITE_SUFFIX.search(text) is None),  # "Vetra" before "Vetra.ca"
            c.texts[text],
            len(text),
        )

    return max(c.texts, key=key)


# --------------------------------------------------------------------------- one kind per name

_Clustered = list[tuple[EntityCluster, list[_Mention]]]


def one_kind_per_name(
    doc: Doc, people: _Clustered, orgs: _Clustered, lex: Lexicon
) -> tuple[_Clustered, _Clustered]:
    """Where the model called one name a person in one place and an organisation in another,
    the article's fuller use decides.

    An organisation whose form is a person's full name in the article ("Dana Whitcombe" tagged
    ORG once), or one word that is a fully named person's surname or given name ("Whitcombe",
    "Dana") after the full name first appeared, is that person. A bare one-word "person" with
    no full name whose word names an organisation of the article ("Brannock" beside "Brannock
    Energy") is that organisation. Known organisations and parties stay as they are.
    """
    full_names: dict[str, int] = {}
    name_parts: dict[str, set[int]] = {}
    for k, (c, _) in enumerate(people):
        for alias in c.aliases:
            parts = _name_parts(alias.split())
            if len(parts) > 1:
                full_names.setdefault(fold(alias), k)
                for part in (parts[0], parts[-1]):
                    name_parts.setdefault(part, set()).add(k)
    moved: dict[int, list[tuple[EntityCluster, list[_Mention]]]] = {}
    kept_orgs: _Clustered = []
    for c, mentions in orgs:
        target = None
        if c.name not in lex.orgs_known and not any(m.party for m in mentions):
            texts = {fold(t.removeprefix("the ")) for t in c.aliases}
            named = {full_names[t] for t in texts if t in full_names}
            if len(named) == 1:
                target = named.pop()
            elif all(" " not in t for t in texts):
                owners = set().union(*(name_parts.get(t, set()) for t in texts))
                # A company named after its founder ("Ford") is named before him; a person is
                # introduced by the full name, then called by one of its words.
                if len(owners) == 1 and people[k := owners.pop()][0].spans[0] < c.spans[0]:
                    target = k
        if target is None:
            kept_orgs.append((c, mentions))
        else:
            moved.setdefault(target, []).append((c, mentions))
    org_words: dict[str, int] = {}
    for k, (c, _) in enumerate(kept_orgs):
        for alias in c.aliases:
            words = alias.removeprefix("the ").split()
            if words and not is_acronym(words[0]):
                org_words.setdefault(fold(words[0]), k)
    kept_people: _Clustered = []
    for k, (c, mentions) in enumerate(people):
        for org, org_mentions in moved.get(k, ()):
            c.aliases |= org.aliases
            c.spans = sorted(set(c.spans) | set(org.spans))
            mentions = mentions + [_Mention(m.start, m.end, "PERSON", m.titled) for m in org_mentions]
        bare = all(len(_name_parts(a.split())) == 1 for a in c.aliases)
        owner = {org_words[w] for w in (fold(a) for a in c.aliases) if w in org_words}
        if bare and len(owner) == 1 and not any(m.titled for m in mentions):
            org, org_mentions = kept_orgs[owner.pop()]
            org.aliases |= c.aliases
            org.spans = sorted(set(org.spans) | set(c.spans))
            org_mentions.extend(_Mention(m.start, m.end, "ORG") for m in mentions)
            continue
        kept_people.append((c, mentions))
    return kept_people, kept_orgs


# --------------------------------------------------------------------------- the component


@Language.factory("newsmeta_entities")
class EntitiesComponent:
    """Repairs the model's PERSON/ORG entities and merges each entity's name forms."""

    def __init__(self, nlp: Language, name: str = "newsmeta_entities") -> None:
        self.name = name
        self.lex = lexicon()
        self.org_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.org_matcher.add("ORG", [nlp.make_doc(n) for n in self.lex.orgs_known])
        self.party_matcher = party_matcher(nlp.vocab, nlp.make_doc)

    def __call__(self, doc: Doc) -> Doc:
        matches = [(s, e) for _, s, e in self.org_matcher(doc)]
        # Keep the longest of overlapping gazetteer matches ("ABC News" over "ABC").
        matches.sort(key=lambda se: (se[0], -(se[1] - se[0])))
        kept: list[tuple[int, int]] = []
        for s, e in matches:
            if not kept or s >= kept[-1][1]:
                kept.append((s, e))
        party_spans = find_parties(doc, self.party_matcher, _member_title)
        collector = _Collector(doc, self.lex, kept, party_spans)
        collector.run()
        people = cluster_people(doc, collector.people, self.lex)
        orgs = cluster_orgs(doc, collector.orgs, self.lex)
        people, orgs = one_kind_per_name(doc, people, orgs, self.lex)
        doc._.newsmeta_people = [c for c, _ in people]
        doc._.newsmeta_orgs = [c for c, _ in orgs]
        doc.spans[PEOPLE_KEY] = SpanGroup(doc, name=PEOPLE_KEY, spans=list(_spans(doc, people, "PERSON")))
        doc.spans[ORGS_KEY] = SpanGroup(doc, name=ORGS_KEY, spans=list(_spans(doc, orgs, "ORG")))
        return doc


def _spans(doc: Doc, clusters: list[tuple[EntityCluster, list[_Mention]]], label: str) -> Iterable[Span]:
    for cluster, mentions in clusters:
        for m in sorted(mentions, key=lambda m: m.start):
            yield Span(doc, m.start, m.end, label=label, kb_id=cluster.name)


def person_at(doc: Doc, start_char: int, end_char: int) -> EntityCluster | None:
    """The person cluster with a mention overlapping [start_char, end_char), or None."""
    return _cluster_at(doc._.newsmeta_people or [], start_char, end_char)


def org_at(doc: Doc, start_char: int, end_char: int) -> EntityCluster | None:
    """The organisation cluster with a mention overlapping [start_char, end_char), or None."""
    return _cluster_at(doc._.newsmeta_orgs or [], start_char, end_char)


def _cluster_at(clusters: list[EntityCluster], start_char: int, end_char: int) -> EntityCluster | None:
    for c in clusters:
        for s, e in c.spans:
            if s < end_char and start_char < e:
                return c
    return None
