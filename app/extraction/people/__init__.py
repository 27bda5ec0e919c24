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

The package, one job a module (names with a leading underscore are private to the package):

    lexicon.py          word lists from `data/` and small word tests
    mentions.py         Mention, EntityCluster, and the per-Doc state the passes share
    candidates.py       candidate spans from the model's entities, and recoveries of missed names
    spans.py            repairs of a span's edges (titles, honorifics, brackets, flights)
    kinds.py            person, organisation or neither: joins the two below; one kind per name
    person_kinds.py     a person candidate's kind, and people the parse shows
    org_kinds.py        an organisation candidate's kind, split and cut at its edges
    things.py           names of products, contests, taxes, fields (neither kind)
    employers.py        an employer named after a staff noun ("an analyst for X")
    founders.py         a body named after a person ("the Tarrant Family Foundation")
    collector.py        the candidate pass and the kind decisions, in order
    names.py            person name parts and the similar-surname index
    people_clusters.py  mentions -> people
    org_forms.py        organisation keys, acronyms and short forms
    org_clusters.py     mentions -> organisations (parties first)
    parties.py          political parties, their short forms and member nouns
    component.py        the spaCy component, `person_at`, `org_at`
"""

from __future__ import annotations

from app.extraction.people.component import EntitiesComponent, org_at, person_at
from app.extraction.people.lexicon import PERSON_VERBS, POSSESSIVE, Lexicon, fold, is_acronym, lexicon
from app.extraction.people.mentions import ORGS_KEY, PEOPLE_KEY, EntityCluster

__all__ = [
    "ORGS_KEY",
    "PEOPLE_KEY",
    "PERSON_VERBS",
    "POSSESSIVE",
    "EntitiesComponent",
    "EntityCluster",
    "Lexicon",
    "fold",
    "is_acronym",
    "lexicon",
    "org_at",
    "person_at",
]
