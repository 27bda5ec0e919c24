"""The `newsmeta_entities` spaCy component, and lookups of the clusters it leaves on a Doc."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from app.extraction.people.collector import _Collector
from app.extraction.people.kinds import one_kind_per_name
from app.extraction.people.lexicon import _member_title, lexicon
from app.extraction.people.mentions import ORGS_KEY, PEOPLE_KEY, EntityCluster, _Mention
from app.extraction.people.org_clusters import cluster_orgs
from app.extraction.people.parties import find_parties, party_matcher
from app.extraction.people.people_clusters import cluster_people

for _ext in ("newsmeta_people", "newsmeta_orgs"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


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
