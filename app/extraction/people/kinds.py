"""Kind decisions: whether a candidate is a person, an organisation, or neither (a product,
place, title, common noun); and, after clustering, one kind per name across the article.

The per-mention decisions live in `person_kinds.py` and `org_kinds.py`, the thing tests they
share in `things.py`; this module joins them and holds the per-name agreement."""

from __future__ import annotations

from spacy.tokens import Doc

from app.extraction.people.lexicon import (
    Lexicon,
    fold,
    is_acronym,
)
from app.extraction.people.mentions import EntityCluster, _Mention
from app.extraction.people.names import _name_parts
from app.extraction.people.org_kinds import _OrgKinds
from app.extraction.people.person_kinds import _PersonKinds


class _Kinds(_PersonKinds, _OrgKinds):
    """Decide each candidate's kind and record it as a person or organisation mention."""


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
