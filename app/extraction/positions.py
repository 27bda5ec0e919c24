"""Positions: who holds which title, for which organisation and country.

The `newsmeta_positions` component sets `doc._.newsmeta_positions`, a list of `Position`
records, from the people and organisations `newsmeta_entities` found and the countries
`newsmeta_countries` found. It reads titles in these shapes (docs/positions.md has more):

    premodifier      "UK Prime Minister Keir Starmer", "Kremlin spokesperson Dmitry Peskov",
                     "Tory leader X" (a party's member noun or adjective names the party),
                     "Sens. X (Ky.) and Y (Fla.)", "Clinton campaign manager X"
    apposition       "Sergey Lavrov, Russia's foreign minister,", "X, now foreign secretary,"
    copula           "X is chief executive of Y", "X was named CEO", "X stepped down as CEO",
                     "X will succeed Y as chairman", "Y named X its new CEO", "She is the head
                     of Y" (not when negated, hypothetical, conditional or wished for)
    "as" phrases     "trust in X as prime minister", "X's tenure as secretary of state",
                     "As chief executive, X ..."
    founding         "Y was founded by X", "Y, owned by X", "X founded Y", "X, who set up the
                     company, ..."
    description      "X has issued a rallying cry. The chancellor said ...": a definite
                     description as a main subject stands for the person just named

A title is normalised to the office alone, lower case ("UK Prime Minister" -> "prime
minister", "CEO" -> "chief executive officer"); its organisation and country come from
the words around it, the department or body the article names for it ("Home Secretary"
and the Home Office, "Senator" and the Senate), or the organisation's own country.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from app.extraction.countries import lookup as country_lookup
from app.extraction.people import (
    ORGS_KEY,
    PEOPLE_KEY,
    PERSON_VERBS,
    POSSESSIVE,
    EntityCluster,
    Lexicon,
    lexicon,
)
from app.extraction.people.parties import Party, parties
from app.extraction.quotes import QuoteFinder, find_quoted_spans, pronoun_resolver
from app.extraction.records import Position

if not Doc.has_extension("newsmeta_positions"):
    Doc.set_extension("newsmeta_positions", default=None)

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
DETS = frozenset({"the", "a", "an", "its", "their", "his", "her"})
PREPS = frozenset({"of", "at", "for", "with", "to", "from", "in"})
COPULAS = frozenset(
    {
        "is",
        "was",
        "be",
        "been",
        "became",
        "become",
        "becomes",
        "remains",
        "remained",
        "'s",
        "serves",
        "served",
        "named",
        "appointed",
        "elected",
        "made",
        "promoted",
        "elevated",
    }
)
# Verbs by which someone puts someone else in an office: "Y named X its chief executive",
# "X was promoted to chief operating officer". In the active voice the subject is not the holder.
APPOINTING = frozenset(
    "name names named naming appoint appoints appointed appointing elect elects elected electing "
    "make makes made making promote promotes promoted promoting elevate elevates elevated".split()
)
# "promoted to chief operating officer": the office after "to".
PROMOTING = frozenset("promote promotes promoted promoting elevate elevates elevated".split())
# "X would/could be president": an office imagined, not held.
HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should", "'d", "\u2019d"})
NARRATIVE = frozenset({"later", "eventually", "subsequently"})
# "if X becomes president", "unless X is elected leader".
CONDITIONS = frozenset({"if", "unless", "whether"})
# "X wants to serve as president": an office wished for, not held.
WISHING = frozenset(
    "want wants wanted wanting hope hopes hoped hoping plan plans planned planning seek seeks "
    "sought seeking aim aims aimed aiming intend intends intended aspire aspires aspired wish "
    "wishes wished try tries tried trying dream dreams dreamed vow vows vowed promise promises "
    "promised refuse refuses refused decline declines declined".split()
)
# Verbs of taking, holding or leaving an office, followed by "as <title>".
OFFICE_VERBS = frozenset(
    "serve serving served serves remain remaining remained remains stay stayed continue continued "
    "resign resigned resigning step stepped stepping succeed succeeded succeeding succeeds replace "
    "replaced replacing replaces take took taking takes return returned returns retire retired "
    "appoint appointed name named elect elected install installed confirm confirmed swear sworn "
    "reappoint reappointed re-elected reelected hire hired join joined joins start started begin began "
    "leave left quit quits work works worked working".split()
)
# "X succeeded W as chairman": verbs whose object held the office before the subject.
SUCCEEDING = frozenset("succeed succeeds succeeded succeeding replace replaces replaced replacing".split())
# "The company announced X as its new president": verbs that present someone in an office.
ANNOUNCING = frozenset({"announce", "announced", "announces", "unveiled", "unveils", "introduced"})
# "the company", "the carmaker": a definite description of the organisation in the news.
ORG_NOUNS = frozenset(
    "company firm group carmaker automaker manufacturer airline bank business corporation "
    "conglomerate maker retailer insurer lender party organisation organization agency".split()
)
# "X's bid as nominee": nouns for an office sought, not held.
SOUGHT_NOUNS = frozenset({"bid", "bids", "ambition", "ambitions", "hopes", "chance", "chances", "candidacy"})
# "his post as CEO": nouns for an office held.
OFFICE_NOUNS = frozenset({"post", "role", "position", "job", "office", "seat", "term", "tenure"})
FOUNDING = {
    "founded": "founder",
    "co-founded": "co-founder",
    "cofounded": "co-founder",
    "started": "founder",
    "established": "founder",
    "created": "founder",
    "owned": "owner",
}
# Words after a title head that still belong to it ("editor at large", "director general").
TITLE_TAILS = (("at", "large"), ("general",), ("emeritus",), ("-", "elect"), ("in", "chief"))
MAX_PHRASE = 10
# Offices named by their field: "minister of transport", "secretary of state", "chief of staff".
FIELD_HEADS = frozenset(
    {"minister", "secretary", "undersecretary", "director", "chief", "head", "commissioner", "professor"}
)
# "Minister of Education X", "Undersecretary for Health X": prepositions inside a field title.
FIELD_PREPS = frozenset({"of", "for"})
DATA = Path(__file__).resolve().parent / "data"
# The tokens of an organisation's name as the tokenizer splits it: "AFL-CIO" -> AFL, -, CIO.
FORM_TOKENS = re.compile(r"\w+(?:\.\w+)*\.?|[^\w\s]")


def _data_lines(filename: str) -> list[str]:
    text = (DATA / filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def _compounds() -> frozenset[tuple[str, str]]:
    """Two-word offices whose last word alone is none: "running mate", "civil servant"."""
    pairs = (line.lower().split() for line in _data_lines("titles_compounds.txt"))
    return frozenset((p[0], p[1]) for p in pairs if len(p) == 2)


@cache
def _department_nouns() -> frozenset[str]:
    return frozenset(line.lower() for line in _data_lines("titles_departments.txt"))


# Offices that head or serve in a government department, named by its field.
DEPARTMENT_HEADS = frozenset({"secretary", "minister", "undersecretary", "under-secretary"})
# Words of a title that say rank, not field: never matched to a department's name.
RANK_WORDS = frozenset({"deputy", "junior", "senior", "assistant", "acting", "interim", "chief", "of", "the"})


def _in_compound(doc: Doc, i: int) -> bool:
    pairs = _compounds()
    return (i + 1 < len(doc) and (doc[i].lower_, doc[i + 1].lower_) in pairs) or (
        i > 0 and (doc[i - 1].lower_, doc[i].lower_) in pairs
    )


def _hyphenated(doc: Doc, i: int, lex: Lexicon) -> bool:
    """Whether token `i` is part of a hyphenated title word the tokenizer split: "front-runner"."""
    for a in (i - 2, i - 1, i):
        if 0 <= a and a + 2 < len(doc) and doc[a + 1].text == "-":
            if not doc[a].whitespace_ and not doc[a + 1].whitespace_:
                if lex.is_title_word(doc[a].text + "-" + doc[a + 2].text):
                    return True
    return False


def _has_head(title: list[str], lex: Lexicon, plural: bool = False) -> bool:
    """Whether the words of a title hold an office's head noun."""
    title = " ".join(title).replace(" - ", "-").split()
    pairs = _compounds()
    return any(
        lex.is_title_head(w)
        or (plural and _singular_head(w, lex))
        or (k > 0 and (title[k - 1].lower(), w.lower()) in pairs)
        for k, w in enumerate(title)
    )


@dataclass
class _Found:
    title: list[str]
    org: EntityCluster | None
    country: str | None
    former: bool
    start: int  # token range of the evidence, the person excluded
    end: int


class _Context:
    """Per-document lookups: which tokens belong to an organisation, a country, a person."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        orgs = {c.name: c for c in doc._.newsmeta_orgs or []}
        self.org_span: dict[int, tuple[int, int, EntityCluster]] = {}
        for span in doc.spans[ORGS_KEY] if ORGS_KEY in doc.spans else []:
            cluster = orgs.get(span.kb_id_)
            if cluster is not None:
                for i in range(span.start, span.end):
                    self.org_span[i] = (span.start, span.end, cluster)
        self.country_span: dict[int, tuple[int, int, str]] = {}
        for ent in doc.ents:
            if ent.label_ in ("GPE", "NORP", "LOC"):
                code = country_lookup(ent.text)
                if code:
                    self._mark_country(ent.start, ent.end, code)
        for code, spans in (doc._.newsmeta_countries or {}).items():
            for s, e in spans:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is not None and not any(i in self.org_span for i in range(span.start, span.end)):
                    self._mark_country(span.start, span.end, code)
        self.quoted: list[tuple[int, int]] | None = None  # quotations' character spans, when needed
        self._parties: dict[str, EntityCluster] | None = None
        self._text: str | None = None
        self.person_end: dict[int, str] = {}
        self.person_tok: set[int] = set()
        for span in doc.spans[PEOPLE_KEY] if PEOPLE_KEY in doc.spans else []:
            self.person_end[span.end - 1] = span.kb_id_
            self.person_tok.update(range(span.start, span.end))
        self._refind_orgs()
        self._sent_index: list[int] | None = None
        self._sent_starts: list[int] | None = None
        self._subject_tokens: list[int] | None = None

    @property
    def text(self) -> str:
        """The document's text, joined from its tokens once."""
        if self._text is None:
            self._text = self.doc.text
        return self._text

    def sent_index(self, i: int) -> int:
        """The number of the sentence token `i` is in (counted from 0)."""
        if self._sent_index is None:
            starts = self.doc.to_array("SENT_START").tolist() if self.doc.has_annotation("SENT_START") else []
            k, index = -1, []
            for j, flag in enumerate(starts or [0] * len(self.doc)):
                k += 1 if flag == 1 or j == 0 else 0
                index.append(k)
            self._sent_index = index
        return self._sent_index[i]

    def sent_bounds(self, k: int) -> tuple[int, int]:
        """The token range of sentence number `k`."""
        self.sent_index(0)
        if self._sent_starts is None:
            index = self._sent_index or []
            self._sent_starts = [j for j in range(len(index)) if j == 0 or index[j] != index[j - 1]]
        starts = self._sent_starts
        if not starts:
            return 0, len(self.doc)
        return starts[k], starts[k + 1] if k + 1 < len(starts) else len(self.doc)

    def subject_tokens(self) -> list[int]:
        """Indices of the tokens that are a clause's subject or a sentence's root, computed once."""
        if self._subject_tokens is None:
            wanted = {self.doc.vocab.strings[d] for d in ("nsubj", "nsubjpass", "ROOT")}
            deps = self.doc.to_array("DEP").tolist()
            self._subject_tokens = [i for i, d in enumerate(deps) if d in wanted]
        return self._subject_tokens

    def _refind_orgs(self) -> None:
        """Mark again the organisations' distinctive names where the model missed them ("AFL-CIO
        President X" after "the AFL-CIO" was found): names of several words, with a hyphen or
        ampersand, or in capitals; a single ordinary word ("Union") is never matched alone."""
        doc = self.doc
        clusters = {c.name: c for _, _, c in self.org_span.values()}
        forms = [
            (form, cluster)
            for cluster in clusters.values()
            for form in {cluster.name, *cluster.aliases}
            if len(form) >= 3 and (" " in form or "-" in form or "&" in form or form.isupper())
        ]
        if not forms:
            return
        orths = doc.to_array("ORTH").tolist()
        strings = doc.vocab.strings
        for form, cluster in forms:
            parts = FORM_TOKENS.findall(form)
            if not parts or any(p not in strings for p in parts):
                continue  # a word the document never holds
            ids = [strings[p] for p in parts]
            n = len(ids)
            for start in (k for k, o in enumerate(orths) if o == ids[0]):
                end = start + n
                if orths[start:end] != ids or any(
                    i in self.org_span or i in self.person_tok for i in range(start, end)
                ):
                    continue
                before = doc[start - 1] if start > 0 else None
                after = doc[end] if end < len(doc) else None
                if (
                    before is not None and before.is_title and before.is_alpha and not before.is_sent_start
                ) or (after is not None and after.pos_ == "PROPN" and not self.lex.is_title_word(after.text)):
                    continue  # part of a longer name
                for i in range(start, end):
                    self.org_span[i] = (start, end, cluster)

    def party_at(self, i: int) -> tuple[int, int, EntityCluster] | None:
        """A party named by a member noun or adjective the entities left as a word: "Conservative
        shadow chancellor X", "Democratic nominee X", "Lib Dem spokesman X" (the adjective of a
        party whose name is "<adjective> Party" names it too)."""
        if self._parties is None:
            self._parties = self._party_clusters()
        lex = parties()
        doc = self.doc
        for n in (2, 1):
            if i + n > len(doc) or not doc[i].text[:1].isupper():
                continue
            text = doc[i : i + n].text
            options = [
                *lex.by_member.get(text, ()),
                *lex.by_name.get(text, ()),
                *lex.by_name.get(text + " Party", ()),
            ]
            if not options:
                continue
            party = next((p for p in options if p.name in self._parties), None)
            if party is None:
                codes = set(doc._.newsmeta_countries or {})
                party = next((p for p in options if p.country in codes), options[0])
            cluster = self._parties.get(party.name) or EntityCluster(name=party.name, country=party.country)
            return i, i + n, cluster
        return None

    def _party_clusters(self) -> dict[str, EntityCluster]:
        """The article's organisations that are parties, by the party's usual name."""
        lex = parties()
        out: dict[str, EntityCluster] = {}
        for _, _, cluster in self.org_span.values():
            for form in (cluster.name, *cluster.aliases):
                party: Party | None = lex.party(form)
                if party is not None:
                    out.setdefault(party.name, cluster)
        return out

    def is_party(self, cluster: EntityCluster) -> bool:
        lex = parties()
        return any(lex.party(form) is not None for form in (cluster.name, *cluster.aliases))

    def org_before(self, i: int) -> EntityCluster | None:
        """The organisation "the company" at token `i` most likely means: of those named before
        it, the one named most often (the story's subject), the latest on a tie; "the bank"
        prefers one whose name says bank."""
        counts: dict[str, int] = {}
        latest: dict[str, int] = {}
        clusters: dict[str, EntityCluster] = {}
        seen: set[int] = set()
        for k, (s, _, cluster) in self.org_span.items():
            if k >= i or s in seen:
                continue
            seen.add(s)
            counts[cluster.name] = counts.get(cluster.name, 0) + 1
            latest[cluster.name] = max(latest.get(cluster.name, -1), s)
            clusters[cluster.name] = cluster
        if not counts:
            return None
        noun = self.doc[i].lower_
        named = [n for n in counts if noun in n.lower().split() or noun + "s" in n.lower().split()]
        # On a tie, the one that acts as a subject ("Vetra said ...") before the one named last.
        acting = {
            cluster.name
            for k, (s, e, cluster) in self.org_span.items()
            if k == s and k < i and self.doc[s:e].root.dep_ in ("nsubj", "nsubjpass")
        }
        best = max(named or counts, key=lambda n: (counts[n], n in acting, latest[n]))
        return clusters[best]

    def org_described(self, i: int) -> EntityCluster | None:
        """The organisation "the company" / "the union" at token `i` names: any named before it
        for a generic noun (`org_before`), else one named before it whose name ends in the
        noun ("the project" for the Flag Consideration Project)."""
        noun = self.doc[i].lower_
        if noun in ORG_NOUNS:
            return self.org_before(i)
        best: EntityCluster | None = None
        for k, (s, _, cluster) in sorted(self.org_span.items()):
            words = cluster.name.lower().split()
            if k < i and k == s and words and words[-1] in (noun, noun + "s"):
                best = cluster
        return best

    def org_named_by(self, last_word: str) -> EntityCluster | None:
        """The article's organisation whose name ends in `last_word` ("the U.S. Senate"), if one."""
        found = {
            c.name: c
            for _, _, c in self.org_span.values()
            if c.name.lower().split() and c.name.lower().split()[-1] == last_word
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def department_of(self, title: str) -> EntityCluster | None:
        """The department the article names for an office named by its field: "home secretary"
        and the Home Office, "secretary of state" and the State Department; None for a shadow
        office (it is a party's) or when no single department fits."""
        words = title.replace("-", " ").split()
        if "shadow" in words or not DEPARTMENT_HEADS & set(words):
            return None
        field = set(words) - DEPARTMENT_HEADS - RANK_WORDS
        if not field:
            return None
        found: dict[str, EntityCluster] = {}
        for _, _, cluster in self.org_span.values():
            for form in (cluster.name, *cluster.aliases):
                name = set(form.lower().replace("-", " ").split())
                if name & _department_nouns() and name & field:
                    found[cluster.name] = cluster
        # "the State Department" and "the Department of State" may stay two: the one named most.
        return max(found.values(), key=lambda c: len(c.spans), default=None)

    def org_nearest_before(self, i: int) -> EntityCluster | None:
        """The organisation named last before token `i`: what "its" or "their" stands for."""
        best = max((k for k in self.org_span if k < i), default=None)
        return None if best is None else self.org_span[best][2]

    def org_for_office(self, i: int) -> EntityCluster | None:
        """The organisation an office held by the person at token `i` most likely belongs to,
        when the article does not say: the one named nearest in the same sentence, else the
        one the article names most often (at least twice; the first named on a tie)."""
        doc = self.doc
        lo, hi = self.sent_bounds(self.sent_index(i))
        # Words quoted from someone else do not say where the person works ("... beat Vetra").
        here = doc[i].idx
        if self.quoted is None:
            self.quoted = [(q.start, q.end) for q in find_quoted_spans(self.text)]
        quoted = [(a, b) for a, b in self.quoted if not a <= here < b]
        near = [
            (abs(k - i), k)
            for k, (s, _, _) in self.org_span.items()
            if k == s
            and lo <= k < hi
            and not self._a_source(k)
            and not any(a <= doc[k].idx < b for a, b in quoted)
        ]
        if near:
            return self.org_span[min(near)[1]][2]
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        clusters: dict[str, EntityCluster] = {}
        for k, (s, _, cluster) in self.org_span.items():
            if k != s:
                continue
            counts[cluster.name] = counts.get(cluster.name, 0) + 1
            first[cluster.name] = min(first.get(cluster.name, k), k)
            clusters[cluster.name] = cluster
        if not counts:
            return None
        name = max(counts, key=lambda n: (counts[n], -first[n]))
        return clusters[name] if counts[name] >= 2 else None

    def in_quote(self, i: int) -> bool:
        """Whether token `i` stands inside quotation marks."""
        if self.quoted is None:
            self.quoted = [(q.start, q.end) for q in find_quoted_spans(self.text)]
        here = self.doc[i].idx
        return any(a <= here < b for a, b in self.quoted)

    def _a_source(self, k: int) -> bool:
        """ "According to the Herald": an organisation cited as a source, not anyone's employer."""
        doc = self.doc
        j = k - 1
        if j >= 0 and doc[j].lower_ == "the":
            j -= 1
        return j >= 1 and doc[j].lower_ == "to" and doc[j - 1].lower_ == "according"

    def _mark_country(self, start: int, end: int, code: str) -> None:
        for i in range(start, end):
            self.country_span.setdefault(i, (start, end, code))

    def country_at(self, i: int) -> tuple[int, int, str] | None:
        hit = self.country_span.get(i)
        if hit is None and self.doc[i].text[:1].isupper() and i not in self.org_span:
            code = country_lookup(self.doc[i].text)
            if code:
                return i, i + 1, code
        return hit


def _norm_title(words: list[str], lex: Lexicon) -> str:
    out: list[str] = []
    for w in words:
        low = w.lower().rstrip(".")
        if not lex.is_title_word(low):
            low = _singular_head(low, lex) or low
        expanded = lex.title_abbreviations.get(low, low)
        for part in expanded.split():
            if part not in out:
                out.append(part)
    return " ".join(out).replace(" - ", "-")


def _singular_head(word: str, lex: Lexicon) -> str | None:
    """The office a plural title head names: "councillors" -> "councillor"; None otherwise."""
    low = word.lower()
    if len(low) > 3 and low.endswith("s") and lex.is_title_head(low[:-1]):
        return low[:-1]
    return None


def _is_field_prep(doc: Doc, i: int, lex: Lexicon) -> bool:
    """ "of"/"for" between a field office and its field: "Minister OF Education"."""
    return (
        doc[i].lower_ in FIELD_PREPS
        and 0 < i < len(doc) - 1
        and doc[i - 1].lower_ in FIELD_HEADS
        and doc[i + 1].lower_ in lex.title_modifiers
    )


def _is_title_token(doc: Doc, i: int, lex: Lexicon, plural: bool = False) -> bool:
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
    if plural and _singular_head(tok.text, lex):
        return True
    if _in_compound(doc, i) or _hyphenated(doc, i, lex):
        return True
    return (
        tok.text == "-"
        and 0 < i < len(doc) - 1
        and not doc[i - 1].whitespace_
        and not tok.whitespace_
        and lex.is_title_word(doc[i - 1].text)
        and lex.is_title_word(doc[i + 1].text)
    )


def _read(ctx: _Context, start: int, end: int, plural: bool = False) -> _Found | None:
    """Classify the tokens of a title phrase; None unless it holds a title head.

    `plural` lets a plural head stand for the office ("senators X and Y", before names only).
    """
    doc, lex = ctx.doc, ctx.lex
    title: list[str] = []
    org: EntityCluster | None = None
    country: str | None = None
    former = False
    i = start
    while i < end:
        tok = doc[i]
        org_hit = ctx.org_span.get(i)
        if org_hit is not None and not _title_word_in_org(ctx, org_hit, i, end):
            org = org or org_hit[2]
            i = max(i + 1, org_hit[1])
            continue
        party_hit = ctx.party_at(i) if tok.pos_ in ("ADJ", "PROPN", "NOUN", "") else None
        if party_hit is not None and party_hit[1] <= end and not lex.is_title_word(tok.text):
            org = org or party_hit[2]
            i = party_hit[1]
            continue
        c_hit = ctx.country_at(i)
        if c_hit is not None and not lex.is_title_word(tok.text):
            country = country or c_hit[2]
            i = max(i + 1, c_hit[1])
            continue
        if (
            org is None
            and not title
            and tok.is_lower
            and i + 1 < end
            and doc[i + 1].text in POSSESSIVE
            and i > 0
            and doc[i - 1].lower_ == "the"
        ):
            described = ctx.org_described(i)
            if described is not None:  # "the company's vice president", "the union's leader"
                org = described
                i += 2
                continue
        low = tok.lower_.rstrip(".")
        if low in FORMER:
            former = former or low != "then"
        elif _is_title_token(doc, i, lex, plural):
            title.append("-" if tok.text == "-" else tok.text)
        elif title and i + 1 < end and _is_field_prep(doc, i, lex):
            title.append(tok.lower_)
        elif (
            tok.is_lower
            and tok.pos_ in ("NOUN", "ADJ")
            and i + 1 < end
            and _is_title_token(doc, i + 1, lex)
            and low not in NOT_MODIFIERS
        ):
            title.append(tok.text)  # "equity strategist", "automotive analyst", "chief strategy expert"
        i += 1
    if not title or not _has_head(title, lex, plural):
        return None
    return _Found(title, org, country, former, start, end)


def _title_word_in_org(ctx: _Context, org_hit: tuple[int, int, EntityCluster], i: int, end: int) -> bool:
    """ "Home Secretary X" where "Home" alone was taken for the Home Office: a one-word
    mention that is a title word right before a title head belongs to the title."""
    start, stop, _ = org_hit
    return (
        stop - start == 1
        and stop < end
        and ctx.doc[i].lower_ in ctx.lex.title_modifiers
        and ctx.lex.is_title_head(ctx.doc[stop].text)
    )


def _is_phrase_token(ctx: _Context, i: int, plural: bool = False) -> bool:
    doc, lex = ctx.doc, ctx.lex
    tok = doc[i]
    return (
        i in ctx.org_span
        or ctx.country_at(i) is not None
        or _is_title_token(doc, i, lex, plural)
        or tok.lower_.rstrip(".") in FORMER
        or tok.text in POSSESSIVE
        or _abbreviation_dot(ctx, i)
        or (tok.is_lower and tok.pos_ in ("NOUN", "ADJ") and not tok.is_stop)
        or _party_word(doc, i)
        or ctx.party_at(i) is not None
    ) and i not in ctx.person_tok


def _abbreviation_dot(ctx: _Context, i: int) -> bool:
    """The full stop of an abbreviated title the tokenizer split off: "Sens. X and Y"."""
    doc = ctx.doc
    return (
        doc[i].text == "."
        and i > 0
        and not doc[i - 1].whitespace_
        and _singular_head(doc[i - 1].text, ctx.lex) is not None
        and doc[i - 1].lower_.rstrip("s") in ctx.lex.title_abbreviations
    )


def _party_word(doc: Doc, i: int) -> bool:
    """A party or group adjective in a title phrase: "a Republican senator", "a New Democrat MP"."""
    tok = doc[i]
    if tok.ent_type_ == "NORP":
        return True
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return tok.is_title and tok.pos_ == "PROPN" and nxt is not None and nxt.ent_type_ == "NORP"


def _walk_left(ctx: _Context, end: int) -> int:
    """Start of the run of title-phrase tokens ending just before `end`."""
    doc = ctx.doc
    i = end
    while i > 0 and end - i < MAX_PHRASE:
        j = i - 1
        if _is_phrase_token(ctx, j, plural=True) or (i < end and _is_field_prep(doc, j, ctx.lex)):
            span = ctx.org_span.get(j) or ctx.country_at(j)
            i = span[0] if span is not None and span[0] < j else j
            continue
        # "Chief investment officer at Fort Pitt Capital Group": a preposition and its object
        # between the office and the name.
        if doc[j].lower_ in PREPS and i < end and (i in ctx.org_span or ctx.country_at(i) is not None):
            k = j - 1
            if k >= 0 and _is_title_token(doc, k, ctx.lex):
                i = k
                continue
        if (
            doc[j].lower_ == "the"
            and j > 0
            and doc[j - 1].lower_ in PREPS
            and i < end
            and (i in ctx.org_span or ctx.country_at(i) is not None)
            and j > 1
            and _is_title_token(doc, j - 2, ctx.lex)
        ):
            i = j - 2
            continue
        break
    return i


def _complement(ctx: _Context, found: _Found, i: int) -> int:
    """Extend a title with "of/at/for ..." after it; returns the index after what was read."""
    doc, lex = ctx.doc, ctx.lex
    for _ in range(3):
        if i >= len(doc) or doc[i].lower_ not in PREPS:
            break
        j = i + 1
        while j < len(doc) and doc[j].lower_ in DETS:
            j += 1
        if j >= len(doc):
            break
        read = False
        # "minister of transport", "Secretary of State": the office's own field.
        if (
            doc[i].lower_ == "of"
            and found.title[-1].lower() in FIELD_HEADS
            and (j not in ctx.org_span or ctx.org_span[j][1] - ctx.org_span[j][0] == 1)
            and (doc[j].lower_ in lex.title_modifiers or (doc[j].is_lower and doc[j].pos_ == "NOUN"))
            and doc[j].lower_ not in ORG_NOUNS
            and not (j + 1 < len(doc) and doc[j + 1].text in POSSESSIVE)
        ):
            found.title += ["of", doc[j].text]
            found.end = i = j + 1
            continue
        # "chief executive of the company": the organisation the story is about; "chairman of
        # the project's panel": the organisation named before whose name ends in "Project".
        if (
            doc[i].lower_ in ("of", "at")
            and doc[j - 1].lower_ == "the"
            and j not in ctx.org_span
            and (doc[j].lower_ in ORG_NOUNS or (j + 1 < len(doc) and doc[j + 1].text in POSSESSIVE))
        ):
            described = ctx.org_described(j)
            if described is not None:
                found.org = found.org or described
                found.end = i = j + 1
                break
        while j < len(doc):
            org_hit = ctx.org_span.get(j)
            c_hit = ctx.country_at(j)
            if org_hit is not None:
                found.org = found.org or org_hit[2]
                j = org_hit[1]
                read = True
            elif c_hit is not None:
                found.country = found.country or c_hit[2]
                j = c_hit[1]
                read = True
            else:
                break
            if j < len(doc) and doc[j].text in POSSESSIVE:
                j += 1
                continue
            break
        if not read:
            break
        found.end = j
        i = j
    return i


def _read_right(ctx: _Context, start: int) -> tuple[list[_Found], int]:
    """Title phrases after a name: ", [the] foreign minister of Russia[, ...]"."""
    doc, lex = ctx.doc, ctx.lex
    out: list[_Found] = []
    i = start
    while i < len(doc):
        # "X, now foreign secretary,": an adverb of time before the office.
        while i < len(doc) and (doc[i].lower_ in DETS or doc[i].lower_ in STILL):
            i += 1
        j = i
        while j < len(doc) and j - i < MAX_PHRASE and (_is_phrase_token(ctx, j) or doc[j].like_num):
            j += 1
        # The phrase ends on its title head; words after it belong to the next clause.
        end = j
        while end > i and not _is_title_token(doc, end - 1, lex):
            end -= 1
        if end <= i:
            break
        found = _read(ctx, i, end)
        if found is None:
            break
        end = _tail(ctx, found, end)
        after = _complement(ctx, found, end)
        out.append(found)
        if after < len(doc) and doc[after].lower_ == "and":
            i = after + 1
            continue
        break
    # "president and CEO of Boeing": the organisation read last belongs to every office.
    for f in out:
        f.org = f.org or next((g.org for g in out if g.org), None)
        f.country = f.country or next((g.country for g in out if g.country), None)
    return out, i


def _tail(ctx: _Context, found: _Found, end: int) -> int:
    doc = ctx.doc
    for tail in TITLE_TAILS:
        words = [t.lower_ for t in doc[end : end + len(tail)]]
        if tuple(words) == tail:
            found.title += [t.text for t in doc[end : end + len(tail)]]
            found.end = end + len(tail)
            return end + len(tail)
    return end


def _title_phrase(ctx: _Context, noun: Token) -> _Found | None:
    """The title whose head is `noun` ("the interim CEO"), with its tail and complement
    ("of Apple"), or None when the words before it do not read as a title."""
    start = noun.left_edge.i
    while start < noun.i and ctx.doc[start].lower_ in DETS:
        start += 1
    found = _read(ctx, start, noun.i + 1)
    if found is not None:
        _complement(ctx, found, _tail(ctx, found, noun.i + 1))
    return found


def _governing_verb(tok: Token) -> Token:
    """The verb whose clause `tok` is in (itself when it is one)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _subject(span: Span) -> Token:
    """The token of a name that is a clause's subject ("Angela" may hang apart from "Corey")."""
    for tok in span:
        if tok.dep_ in ("nsubj", "nsubjpass") and not span.start <= tok.head.i < span.end:
            return tok
    return span.root


def _unasserted(verb: Token) -> bool:
    """Whether the clause of `verb` denies or only imagines what it says: "X is not the
    chairman", "X would become president", "if X is elected mayor"."""
    # "X would later become president" tells what happened next, not what might.
    narrated = any(c.dep_ == "advmod" and c.lower_ in NARRATIVE for c in verb.children)
    for c in verb.children:
        low = c.lower_
        if c.dep_ == "neg" or (c.dep_ == "mark" and low in CONDITIONS):
            return True
        if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in CONDITIONS for g in c.children):
            return True  # "X will become chairman if the board agrees"
        if c.dep_ == "aux" and low in HYPOTHETICAL and not (low == "would" and narrated):
            return True
    return False


class _Finder:
    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.ctx = _Context(doc, lex)
        self.doc = doc
        self.lex = lex
        self.by_mention_end: dict[int, _Found] = {}
        self.listing: tuple[_Found, int] | None = None

    def premodifier(self, span: Span) -> list[_Found]:
        ctx, doc = self.ctx, self.doc
        # The phrase must touch the name: "Kremlin spokesperson Dmitry Peskov"; an honorific
        # may stand between them ("Undersecretary for Health Mr. Bellini").
        end = span.start
        if end > 0 and doc[end - 1].lower_.rstrip(".") in self.lex.honorifics:
            end -= 1
        start = _walk_left(ctx, end)
        if start >= end:
            return self._listed(span)
        found = _read(ctx, start, end, plural=True)
        if found is None:
            return self._listed(span)
        if found.org is None:
            found.org = _campaign(ctx, start)
        self.listing = None
        if _singular_head(found.title[-1], self.lex):
            self.listing = (found, span.end)  # "senators X of A, Y of B and Z": one office each
        # "UAW President Ron Gettelfinger and Vice President Gerald Bantom": the second
        # office shares the first one's organisation.
        if start >= 2 and doc[start - 1].lower_ == "and" and start - 2 in ctx.person_end:
            prior = self.by_mention_end.get(start - 2)
            if prior is not None:
                found.org = found.org or prior.org
                found.country = found.country or prior.country
        out = [found, *self._coordinated(start)]
        # "Airbus and its CEO Ralph Crosby": "its" stands for the organisation named last.
        first = min(f.start for f in out)
        if found.org is None and first > 0 and doc[first - 1].lower_ in ("its", "their"):
            found.org = ctx.org_nearest_before(first - 1)
        for f in out:
            f.org = f.org or next((g.org for g in out if g.org), None)
            f.country = f.country or next((g.country for g in out if g.country), None)
        self.by_mention_end[span.end - 1] = found
        return out

    def _coordinated(self, start: int) -> list[_Found]:
        """ "Apple CEO and co-founder Steve Jobs": offices joined by "and" before one name; the
        organisation read in any of them belongs to all."""
        ctx, doc = self.ctx, self.doc
        out: list[_Found] = []
        while (
            start >= 2
            and doc[start - 1].lower_ == "and"
            and _is_title_token(doc, start - 2, self.lex)
            and start - 2 not in ctx.person_tok
        ):
            end = start - 1
            start = _walk_left(ctx, end)
            found = _read(ctx, start, end) if start < end else None
            if found is None or _object_of_preposition(doc, start):
                break  # "Assistant to the Secretary and Director X": the secretary is someone else
            out.append(found)
        return out

    def _listed(self, span: Span) -> list[_Found]:
        """A later name in a list after a plural title: "councillors A of X, B of Y and C"."""
        if self.listing is None:
            return []
        found, last_end = self.listing
        doc, ctx = self.doc, self.ctx
        gap = doc[last_end : span.start]
        self.listing = None
        if (
            not 0 < len(gap) <= LIST_GAP
            or gap[-1].text not in {",", "and"}
            or any(t.is_sent_start for t in doc[last_end : span.start + 1])
            or not all(_list_gap_token(ctx, t) for t in gap)
        ):
            return []
        self.listing = (found, span.end)
        return [_Found(list(found.title), found.org, found.country, found.former, found.start, found.end)]

    def apposition(self, span: Span) -> list[_Found]:
        ctx, doc = self.ctx, self.doc
        out: list[_Found] = []
        # Right: "Sergey Lavrov, Russia's foreign minister," / "Peter Boockvar an equity strategist".
        nxt = span.end
        if nxt < len(doc) and (doc[nxt].text == "," or doc[nxt].lower_ in ("a", "an")):
            found, _ = _read_right(ctx, nxt + 1 if doc[nxt].text == "," else nxt)
            out += found
        # Left: "the director of Saudi Arabia's Civil Defense Authority, Suleiman al-Amr".
        if span.start >= 2 and doc[span.start - 1].text == ",":
            end = _before_parenthesis(doc, span.start - 1)
            start = _walk_left_appos(ctx, end)
            if start < end:
                found_left = _read(ctx, start, end)
                if found_left is not None:
                    out.append(found_left)
        return out

    def copula(self, span: Span) -> list[_Found]:
        """ "X is chief executive of Y", "X was named CEO", "X, who is ..." from the parse; else an
        office in an "as" phrase or after a verb of appointing."""
        return (
            self._stated(span)
            or self._as_office(span)
            or self._named_as(span)
            or self._possessed_as(span)
            or self._fronted_as(span)
            or self._appointed_object(span)
        )

    def _stated(self, span: Span) -> list[_Found]:
        ctx, doc = self.ctx, self.doc
        head = _subject(span)
        verb = None
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lower_ in COPULAS:
            verb = head.head
        elif (
            span.end + 2 < len(doc)
            and doc[span.end].text == ","
            and doc[span.end + 1].lower_ == "who"
            and doc[span.end + 2].lower_ in COPULAS
        ):
            verb = doc[span.end + 2]
        if verb is None:
            return []
        if verb.dep_ in ("aux", "auxpass") and verb.head.i > verb.i:
            verb = verb.head  # "X, who was appointed ... as chairman": the participle holds "as"
        if _unasserted(verb):
            return []
        if verb.lower_ in APPOINTING and not any(c.dep_ == "auxpass" for c in verb.children):
            return []  # "X named the finance minister": the office is the object's
        promoted = verb.lower_ in PROMOTING
        for child in verb.rights:
            if (
                child.dep_ in ("attr", "oprd", "dobj")
                or (child.dep_ == "prep" and child.lower_ == "as")
                or (promoted and child.dep_ == "prep" and child.lower_ == "to")
            ):
                noun = child
                if child.dep_ == "prep":
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if not objs:
                        continue
                    noun = objs[0]
                if not _is_title_token(doc, noun.i, ctx.lex):
                    continue
                found = _title_phrase(ctx, noun)
                if found is not None:
                    return [found, *self._conjoined(noun, found)]
        return []

    def _conjoined(self, noun: Token, first: _Found) -> list[_Found]:
        """ "as both chief executive and chairman": each conjoined office, sharing the organisation."""
        out = []
        for conj in noun.conjuncts:
            if conj.i > noun.i and _is_title_token(self.doc, conj.i, self.lex):
                found = _title_phrase(self.ctx, conj)
                if found is not None:
                    found.org = found.org or first.org
                    found.country = found.country or first.country
                    out.append(found)
        return out

    def _named_as(self, span: Span) -> list[_Found]:
        """ "Y named X as its new chief executive", "Y announced X as its president": the name
        stands right before "as", which hangs on a verb of appointing; "its" is the subject."""
        ctx, doc = self.ctx, self.doc
        prep = doc[span.end] if span.end < len(doc) else None
        if prep is None or prep.lower_ != "as" or prep.dep_ != "prep":
            return []
        verb = prep.head
        if span.start <= verb.i < span.end:
            verb = span.root.head  # "name [X as chairwoman]": the parser hung "as" on the name
        if verb.pos_ in ("VERB", "AUX"):
            if verb.lower_ not in OFFICE_VERBS and verb.lower_ not in ANNOUNCING:
                return []
            if _unasserted(verb) or verb.lower_ in SUCCEEDING:
                return []  # "X succeeded W as chairman": the office is X's now, not W's
        elif verb.pos_ not in ("NOUN", "PROPN", "ADP") or _unasserted(_governing_verb(verb)):
            return []  # "satisfied with X as nominee", "would trust X as prime minister"
        # Otherwise "as" hangs on a noun or a preposition: "trust in X as prime minister",
        # "with X as the nominee".
        if any(
            c.dep_ in ("nsubj", "nsubjpass") and c.i in range(span.start, span.end) for c in verb.children
        ):
            return []  # "X stepped down as CEO" is the subject's own office: _as_office reads it
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if not objs or not _is_title_token(doc, objs[0].i, ctx.lex):
            return []
        found = _title_phrase(ctx, objs[0])
        if found is None:
            return []
        if found.org is None and any(c.lower_ in ("its", "their") for c in objs[0].children):
            found.org = self._subject_org(verb)
        return [found, *self._conjoined(objs[0], found)]

    def _as_title(self, prep: Token) -> list[_Found]:
        """The office (and those joined to it by "and") that a preposition "as" introduces."""
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        # "as star and executive producer": the first of the joined nouns that is an office.
        nouns = [
            t for o in objs[:1] for t in (o, *o.conjuncts) if _is_title_token(self.doc, t.i, self.ctx.lex)
        ]
        if not nouns:
            return []
        found = _title_phrase(self.ctx, nouns[0])
        return [] if found is None else [found, *self._conjoined(nouns[0], found)]

    def _possessed_as(self, span: Span) -> list[_Found]:
        """ "X's tenure as secretary of state", "X's meetings as mayor": a noun the person owns,
        qualified by the office they held."""
        root = span.root
        if root.dep_ != "poss" or root.head.lower_ in SOUGHT_NOUNS:
            return []
        for prep in root.head.children:
            if prep.dep_ == "prep" and prep.lower_ == "as" and prep.i > root.i:
                return self._as_title(prep)
        return []

    def _fronted_as(self, span: Span) -> list[_Found]:
        """ "As chief executive, X cut costs": an office in a fronted "as" phrase is the subject's."""
        root = _subject(span)
        if root.dep_ not in ("nsubj", "nsubjpass"):
            return []
        verb = root.head
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "as" and prep.i < span.start:
                if _unasserted(verb):
                    return []  # "As president, X would ..."
                return self._as_title(prep)
        return []

    def _appointed_object(self, span: Span) -> list[_Found]:
        """ "Y named X its new chief executive", "voters elected X president": the name is the
        object of a verb of appointing and the office follows it without "as"."""
        ctx, doc = self.ctx, self.doc
        root = span.root
        if span.end >= len(doc) or doc[span.end].is_punct:
            return []
        nouns: list[Token] = []
        if root.dep_ == "dobj":
            verb = root.head
            nouns = [c for c in verb.rights if c.dep_ in ("oprd", "attr") and c.i >= span.end]
            nouns += [c for c in root.rights if c.dep_ == "appos" and c.i >= span.end]
            if verb.lower_ in PROMOTING:  # "Y promoted X to chief financial officer"
                nouns += [
                    g
                    for c in verb.rights
                    if c.dep_ == "prep" and c.lower_ == "to" and c.i >= span.end
                    for g in c.children
                    if g.dep_ == "pobj"
                ]
        elif (
            root.dep_ in ("compound", "nmod")
            and root.head.i >= span.end
            and root.head.dep_ in ("dobj", "oprd")
        ):
            verb = root.head.head  # "elected Karl Weiss president": the name parsed as a modifier
            nouns = [root.head]
        else:
            return []
        if verb.lower_ not in APPOINTING or verb.pos_ != "VERB" or _unasserted(verb):
            return []
        for noun in nouns:
            if not _is_title_token(doc, noun.i, ctx.lex):
                continue
            start = span.end
            while start < noun.i and doc[start].lower_ in DETS | {"to"}:
                start += 1
            found = _read(ctx, start, noun.i + 1)
            if found is None:
                continue
            _complement(ctx, found, _tail(ctx, found, noun.i + 1))
            if found.org is None and any(t.lower_ in ("its", "their") for t in doc[span.end : noun.i]):
                found.org = self._subject_org(verb)
            return [found]
        return []

    def _subject_org(self, verb: Token) -> EntityCluster | None:
        """The organisation a verb's subject names, or the one "the company" refers back to."""
        ctx = self.ctx
        for subj in verb.children:
            if subj.dep_ not in ("nsubj", "nsubjpass"):
                continue
            for i in range(subj.left_edge.i, subj.right_edge.i + 1):
                hit = ctx.org_span.get(i)
                if hit is not None:
                    return hit[2]
            if subj.lower_ in ORG_NOUNS:
                return ctx.org_before(subj.i)
        return None

    def _as_office(self, span: Span) -> list[_Found]:
        """ "X stepped down as CEO", "X will succeed Y as chairman", "X was forced to resign as
        foreign minister", "X ... has been serving as interim CEO", "X left his post as CEO"."""
        ctx, doc = self.ctx, self.doc
        head = _subject(span)
        if head.dep_ not in ("nsubj", "nsubjpass"):
            return []
        verbs = [head.head]
        for _ in range(2):
            for v in list(verbs):
                if v.lower_ in WISHING:
                    continue  # "X wants to serve as president": not an office held
                verbs += [
                    c
                    for c in v.children
                    if c.dep_ in ("xcomp", "conj") and c.pos_ in ("VERB", "AUX") and c not in verbs
                ]
        preps: list[Token] = []
        for v in verbs:
            if v.lemma_.lower() not in OFFICE_VERBS and v.lower_ not in OFFICE_VERBS:
                continue
            if _unasserted(v) or (v.dep_ == "xcomp" and _unasserted(v.head)):
                continue
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ == "as":
                    preps.append(c)
                elif c.dep_ in ("prep", "dobj"):
                    # "from his post as CEO": the office is the subject's own.
                    for noun in [c, *(g for g in c.children if g.dep_ == "pobj")]:
                        if noun.lower_ in OFFICE_NOUNS and any(
                            g.dep_ == "poss" and g.lower_ in ("his", "her", "their") for g in noun.children
                        ):
                            preps += [g for g in noun.children if g.dep_ == "prep" and g.lower_ == "as"]
        for prep in preps:
            objs = [c for c in prep.children if c.dep_ == "pobj"]
            if not objs or not _is_title_token(doc, objs[0].i, ctx.lex):
                continue
            found = _title_phrase(ctx, objs[0])
            if found is not None:
                return [found]
        return []

    def founding(self, span: Span) -> list[_Found]:
        """ "FIRST was founded by Dean Kamen", "started by Steve Jobs and Steve Wozniak", "Y,
        owned by X"; "X founded Y", "X, who set up the company in 1980, ..."."""
        return self._founded_by(span) or self._founded(span)

    def _founded_by(self, span: Span) -> list[_Found]:
        tok = span.root
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ != "pobj" or tok.head.lower_ != "by":
            return []
        verb = tok.head.head
        title = FOUNDING.get(verb.lower_)
        if title is None:
            return []
        shared = any(c.dep_ == "conj" for c in tok.children) or span.root.dep_ == "conj"
        if shared and title == "founder":
            title = "co-founder"
        subjects = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
        org = None
        for s in subjects:
            org = self._org_in(s) or org
        first = min([verb.i, *(s.i for s in subjects)])
        if not subjects and verb.dep_ == "acl" and verb.head.i in self.ctx.org_span:
            org = self.ctx.org_span[verb.head.i][2]  # "Sansun Ltd, owned by X"
            first = verb.head.i
        if org is None:
            return []
        return [_Found([title], org, None, False, first, tok.head.i + 1)]

    def _founded(self, span: Span) -> list[_Found]:
        """The person as the subject of a verb of founding, or its antecedent through "who"."""
        root = _subject(span)
        verbs = [root.head] if root.dep_ == "nsubj" else []
        for holder in (root, *(c for c in root.children if c.dep_ == "appos")):
            verbs += [
                c
                for c in holder.children
                if c.dep_ == "relcl"
                and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)
            ]
        for verb in verbs:
            # "X created Y" is as often a charge ("the accusation that X created the group").
            title = FOUNDING.get(verb.lower_) if verb.lower_ not in ("created", "started") else None
            if verb.lower_ in ("set", "sets") and any(
                c.dep_ == "prt" and c.lower_ == "up" for c in verb.children
            ):
                title = "founder"
            if title is None or title == "owner" or _unasserted(verb):
                continue
            for obj in verb.children:
                if obj.dep_ == "dobj":
                    org = self._org_in(obj)
                    if org is not None:
                        return [_Found([title], org, None, False, verb.i, obj.i + 1)]
        return []

    def _org_in(self, noun: Token) -> EntityCluster | None:
        """The organisation a noun phrase names ("the Harbour Institute") or stands for ("the company")."""
        for i in range(noun.left_edge.i, noun.i + 1):
            hit = self.ctx.org_span.get(i)
            if hit is not None:
                return hit[2]
        if noun.lower_ in ORG_NOUNS and any(c.lower_ in ("the", "that", "this") for c in noun.children):
            return self.ctx.org_described(noun.i)
        return None


def _campaign(ctx: _Context, start: int) -> EntityCluster | None:
    """ "Clinton campaign manager X", "Smith's campaign chairman X": a candidate's campaign is
    the organisation of a campaign office."""
    doc = ctx.doc
    k = start - 1
    if doc[start].text in POSSESSIVE and start + 1 < len(doc):
        start += 1
    if doc[start].lower_ != "campaign" or k < 0 or k not in ctx.person_tok:
        return None
    return EntityCluster(name=f"{doc[k].text} campaign")


def _object_of_preposition(doc: Doc, start: int) -> bool:
    """Whether the phrase at `start` follows a preposition, with or without a determiner."""
    k = start - 1
    if k >= 0 and doc[k].lower_ in DETS:
        k -= 1
    return k >= 0 and doc[k].lower_ in PREPS


def _before_parenthesis(doc: Doc, end: int) -> int:
    """Skip a parenthesis closing just before `end`: "the head of NRA (National Rail Agency), X"."""
    if end > 0 and doc[end - 1].text == ")":
        for k in range(end - 2, max(end - 10, 0), -1):
            if doc[k].text == "(":
                return k
            if doc[k].text in {")", ",", "."}:
                break
    return end


# What may stand between two names of a list: "A of the Labour Party, B (LP) and C".
LIST_GAP = 8
LIST_WORDS = frozenset({",", "and", "of", "from", "the", "(", ")", "-"})


def _list_gap_token(ctx: _Context, tok: Token) -> bool:
    return (
        tok.lower_ in LIST_WORDS
        or tok.i in ctx.org_span
        or (tok.text[:1].isupper() and tok.i not in ctx.person_tok and tok.pos_ in ("PROPN", ""))
    )


def _walk_left_appos(ctx: _Context, end: int) -> int:
    """Start of "[the] <title phrase> [of <org>]" ending just before a comma at `end`."""
    doc = ctx.doc
    i = end
    while i > 0 and end - i < MAX_PHRASE:
        j = i - 1
        if _is_phrase_token(ctx, j):
            span = ctx.org_span.get(j) or ctx.country_at(j)
            i = span[0] if span is not None and span[0] < j else j
            continue
        if doc[j].lower_ in PREPS | DETS and j > 0:
            # "director of [Saudi Arabia's] Civil Defense Authority": keep going over the preposition.
            k = j - 1
            while k > 0 and doc[k].lower_ in DETS | PREPS:
                k -= 1
            if _is_title_token(doc, k, ctx.lex) and doc[j].lower_ in PREPS | {"the"}:
                i = k
                continue
        break
    # The phrase must stand on its own: after a determiner, a preposition, a comma or the start.
    # "..., said Vetra Group head trader, Ann Ho": a verb of speech may open it too.
    if i > 0 and not (
        doc[i - 1].lower_ in DETS | PREPS
        or doc[i - 1].is_punct
        or doc[i - 1].is_sent_end
        or doc[i - 1].lower_ in PERSON_VERBS
    ):
        return end
    return i


@Language.factory("newsmeta_positions")
class PositionsComponent:
    """Finds (person, title, organisation, country) for the people `newsmeta_entities` found."""

    def __init__(self, nlp: Language, name: str = "newsmeta_positions") -> None:
        self.name = name
        self.lex = lexicon()
        self._quotes: QuoteFinder | None = None  # its pronoun resolution, loaded when first needed

    def __call__(self, doc: Doc) -> Doc:
        if PEOPLE_KEY not in doc.spans:
            doc._.newsmeta_positions = []
            return doc
        finder = _Finder(doc, self.lex)
        results: dict[tuple[str, str], Position] = {}
        anchors: dict[tuple[str, str], int] = {}  # the person's token where each was read
        spans = sorted(doc.spans[PEOPLE_KEY], key=lambda s: s.start)
        for span in spans:
            for found in (
                *finder.premodifier(span),
                *finder.apposition(span),
                *finder.copula(span),
                *finder.founding(span),
            ):
                self._record(doc, results, anchors, span.kb_id_, span, found)
        if spans:
            for span, person, found in self._pronoun_subjects(doc, finder):
                self._record(doc, results, anchors, person, span, found)
            for span, person, found in _described_subjects(finder.ctx, results):
                self._record(doc, results, anchors, person, span, found)
        party_names = {c.name for _, _, c in finder.ctx.org_span.values() if finder.ctx.is_party(c)}
        party_names |= {
            p.organisation for p in results.values() if p.organisation and parties().party(p.organisation)
        }
        for key, anchor in anchors.items():
            p = results[key]
            body = self.lex.title_bodies.get(p.title.split()[-1])
            if body is not None and (p.organisation is None or p.organisation in party_names):
                org = finder.ctx.org_named_by(body)
                if org is not None:  # "(Republican) Senator X" in an article about "the Senate"
                    results[key] = p = p.model_copy(update={"organisation": org.name})
            if p.organisation is None:
                org = finder.ctx.department_of(p.title)
                if org is not None:  # "Home Secretary X" in an article naming the Home Office
                    update = {"organisation": org.name, "country": org.country or p.country}
                    results[key] = p = p.model_copy(update=update)
            if p.organisation is None and p.country is None and self.lex.is_corporate_title(p.title):
                org = finder.ctx.org_for_office(anchor)
                if org is not None:
                    results[key] = p.model_copy(update={"organisation": org.name, "country": org.country})
        positions = _drop_subsumed(list(results.values()))
        countries = {
            code: [(s, e) for s, e in spans if not _stance(doc, s, e)]
            for code, spans in (doc._.newsmeta_countries or {}).items()
        }
        # A national party named stands for its country: "the Tories" place a story in Britain
        # (when the article names that country too: several countries have a "Democratic Party").
        ctx = finder.ctx
        for i, (start, _, cluster) in ctx.org_span.items():
            if i == start and cluster.country in countries and ctx.is_party(cluster):
                countries.setdefault(cluster.country, []).append((doc[start].idx, doc[start].idx + 1))
        doc._.newsmeta_positions = _with_article_country(positions, {c: v for c, v in countries.items() if v})
        return doc

    def _record(
        self,
        doc: Doc,
        results: dict[tuple[str, str], Position],
        anchors: dict[tuple[str, str], int],
        person: str,
        span: Span,
        found: _Found,
    ) -> None:
        """Add what was read at `span` as `person`'s position, or fill in the one already read."""
        title = _norm_title(found.title, self.lex)
        lower = found.title[0].islower()
        if not title or (title in AMBIGUOUS and lower and (found.org is None or title in HOMONYMS)):
            return
        country = found.country or (found.org.country if found.org else None)
        start = min(doc[found.start].idx, span.start_char)
        last = doc[max(found.end - 1, found.start)]
        end = max(last.idx + len(last.text), span.end_char)
        key = (person, title)
        old = results.get(key)
        anchors.setdefault(key, span.start)
        if old is None:
            results[key] = Position(
                person=person,
                title=title,
                organisation=found.org.name if found.org else None,
                country=country,
                former=found.former,
                start=start,
                end=end,
            )
        else:
            results[key] = old.model_copy(
                update={
                    "organisation": old.organisation or (found.org.name if found.org else None),
                    "country": old.country or country,
                }
            )

    def _pronoun_subjects(self, doc: Doc, finder: _Finder) -> list[tuple[Span, str, _Found]]:
        """ "She is the head of Y", "He was named chairman": an office stated of a subject
        pronoun, given to the person it stands for (resolved as quote speakers are)."""
        out: list[tuple[Span, str, _Found]] = []
        resolve: Callable[[Token], str | None] | None = None
        for i in finder.ctx.subject_tokens():
            tok = doc[i]
            if tok.lower_ not in ("he", "she") or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            span = doc[tok.i : tok.i + 1]
            read = finder.copula(span) or finder.founding(span)
            if not read:
                continue
            if resolve is None:
                if self._quotes is None:
                    self._quotes = QuoteFinder()
                resolve = pronoun_resolver(doc, self._quotes)
            person = resolve(tok)
            if person is not None and self._only_person_near(doc, tok, finder.ctx) == person:
                out += [(span, person, found) for found in read]
        return out

    @staticmethod
    def _only_person_near(doc: Doc, tok: Token, ctx: _Context) -> str | None:
        """The one person named in the sentence of `tok` up to it and in the sentence before,
        or None when there are none or several: the pronoun resolver knows no given names'
        gender, so an office goes to a pronoun's person only when no one else is in reach."""
        lo, _ = ctx.sent_bounds(max(ctx.sent_index(tok.i) - 1, 0))
        names = {s.kb_id_ for s in doc.spans[PEOPLE_KEY] if lo <= s.start < tok.i}
        return names.pop() if len(names) == 1 else None


# How many sentences back a definite description may look for the person it stands for.
DESCRIPTION_REACH = 3


def _described_subjects(
    ctx: _Context, results: dict[tuple[str, str], Position]
) -> list[tuple[Span, str, _Found]]:
    """ "Gordon Brown has issued a rallying cry. The chancellor said ...": a definite description
    of an office as a clause's subject stands for the person the story was just about.

    The person is the one named as a subject in the nearest sentence before (within
    `DESCRIPTION_REACH`) that has a named subject at all, and only when that sentence has one
    such person, who holds no office read so far, and no one else holds this office; never in
    quoted words.
    """
    doc = ctx.doc
    if not doc.has_annotation("DEP"):
        return []
    holders_of: dict[str, set[str]] = {}
    for person, title in results:
        holders_of.setdefault(title, set()).add(person)
    holders = {person for person, _ in results}
    subjects: dict[int, set[tuple[str, int]]] = {}
    named_in: dict[int, set[str]] = {}  # the people named in each sentence
    other_subjects: dict[int, set[str]] = {}  # people who are subjects of any clause
    for span in doc.spans[PEOPLE_KEY]:
        named_in.setdefault(ctx.sent_index(span.start), set()).add(span.kb_id_)
        tok = _subject(span)
        if tok.dep_ in ("nsubj", "nsubjpass"):
            other_subjects.setdefault(ctx.sent_index(tok.i), set()).add(span.kb_id_)
        # The one who acted, not one acted upon ("X was asked by the moderator"): active voice.
        if _main_subject(tok) and tok.dep_ != "nsubjpass":
            subjects.setdefault(ctx.sent_index(tok.i), set()).add((span.kb_id_, span.start))
    out: list[tuple[Span, str, _Found]] = []
    for i in ctx.subject_tokens():
        tok = doc[i]
        if (
            i in ctx.person_tok
            or not ctx.lex.is_title_head(tok.text)
            or not _main_subject(tok)
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        ):
            continue
        found = _title_phrase(ctx, tok)
        if found is None:
            continue
        title = _norm_title(found.title, ctx.lex)
        k = ctx.sent_index(i)
        for back in range(k - 1, max(k - 1 - DESCRIPTION_REACH, -1), -1):
            named = subjects.get(back)
            if not named:
                continue
            people = {person for person, _ in named}
            if other_subjects.get(back, set()) - people:
                break  # "Y said X has several ways": X may be the one meant
            # Someone named before who holds this office is the one meant.
            rivals = holders_of.get(title, set()) & set().union(
                *(named_in.get(j, set()) for j in range(k + 1))
            )
            if len(people) == 1 and not people & holders and not rivals and not ctx.in_quote(i):
                person, start = next(iter(named))
                out.append((doc[start : start + 1], person, found))
                holders_of.setdefault(title, set()).add(person)
                holders.add(person)
            break
    return out


def _main_subject(tok: Token) -> bool:
    """Whether `tok` is the subject of its sentence's main verb (or of one joined to it by "and")."""
    if tok.dep_ == "ROOT" and tok.pos_ in ("NOUN", "PROPN"):
        # "The Vermont senator aimed to win": the small model often takes the verb for a participle.
        return any(c.dep_ == "acl" and c.i > tok.i and c.tag_ == "VBD" for c in tok.children)
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def _stance(doc: Doc, start: int, end: int) -> bool:
    """ "pro-Beijing", "anti-American": a country named as a stance, not where the story is."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.start < 2:
        return False
    hyphen, word = doc[span.start - 1], doc[span.start - 2]
    return hyphen.text == "-" and not hyphen.whitespace_ and word.lower_ in ("pro", "anti")


def _with_article_country(
    positions: list[Position], countries: dict[str, list[tuple[int, int]]]
) -> list[Position]:
    """Give a position with no country of its own the article's country, when the article has one.

    News about one country names its officials without repeating it ("Senator Bob Corker",
    "Presiding Judge Martin Mann" in a story set in London). An article has a country when
    one country takes at least half of its country mentions, and at least two of them
    unless it is the only country named; or, in a story that names many countries once or
    twice (where people come from, where a deal reaches), when one is named at least three
    times and at least twice as often as any other.
    """
    counts = {code: len(spans) for code, spans in countries.items()}
    if not counts:
        return positions
    ranked = sorted(counts.values(), reverse=True)
    code, top = max(counts.items(), key=lambda kv: kv[1])
    total = sum(counts.values())
    dominant = top >= 3 and len(ranked) > 1 and top >= 2 * ranked[1]
    if (top * 2 < total or (top < 2 and len(counts) > 1)) and not dominant:
        return positions
    return [p if p.country else p.model_copy(update={"country": code}) for p in positions]


def _drop_subsumed(positions: list[Position]) -> list[Position]:
    """Keep "director general" over "director" for the same person: one office, two readings."""
    out = []
    for p in positions:
        words = set(p.title.replace("-", " ").split())
        if any(
            q is not p and q.person == p.person and words < set(q.title.replace("-", " ").split())
            for q in positions
        ):
            continue
        out.append(p)
    return out
