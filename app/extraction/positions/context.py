"""Per-document lookups the readers share: which tokens name an organisation, a party, a
country or a person; sentences and subjects; and which organisation an office belongs to when
the title phrase does not say ("the company", a department, the organisation named nearest)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from app.extraction.countries import lookup as country_lookup
from app.extraction.people import ORGS_KEY, PEOPLE_KEY, EntityCluster, Lexicon
from app.extraction.people.parties import Party, parties
from app.extraction.positions.words import (
    DEPARTMENT_HEADS,
    FORM_TOKENS,
    ORG_NOUNS,
    RANK_WORDS,
    department_nouns,
)
from app.extraction.quotes import find_quoted_spans


@dataclass
class Found:
    title: list[str]
    org: EntityCluster | None
    country: str | None
    former: bool
    start: int  # token range of the evidence, the person excluded
    end: int
    # "X, Mrs. Holt's communications director": the office is another person's staff, so the
    # organisation is not guessed from the sentence.
    owned: bool = False


class Context:
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
        self.person_by_tok: dict[int, str] = {}
        for span in doc.spans[PEOPLE_KEY] if PEOPLE_KEY in doc.spans else []:
            self.person_end[span.end - 1] = span.kb_id_
            self.person_tok.update(range(span.start, span.end))
            self.person_by_tok.update((i, span.kb_id_) for i in range(span.start, span.end))
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
                if name & department_nouns() and name & field:
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
