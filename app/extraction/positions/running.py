"""Offices stated by a verb of running something: "X, who heads the agency,", "X co-manages
the Four-Kings team", "He anchors the channel's nightly news programme" (data/titles_verbs.tsv).

The verb states an office only when its object is an organisation or a thing a person heads,
hosts or manages (data/titles_verb_objects.txt): "X leads the polls" and "X hosted a dinner"
state none."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span, Token

from app.extraction.people import POSSESSIVE, EntityCluster
from app.extraction.positions.clauses import subject_of, unasserted
from app.extraction.positions.context import Context, Found
from app.extraction.positions.words import ORG_NOUNS, data_lines


@cache
def office_verbs() -> dict[str, str]:
    return dict(tuple(line.split("\t", 1)) for line in data_lines("titles_verbs.tsv"))  # type: ignore[misc]


@cache
def office_objects() -> frozenset[str]:
    return frozenset(line.lower() for line in data_lines("titles_verb_objects.txt"))


def running(ctx: Context, span: Span) -> list[Found]:
    """The office a verb of running states of the person: as its subject, through "and" ("X
    writes a column and hosts a show") or through "who"."""
    root = subject_of(span)
    verbs: list[Token] = [root.head] if root.dep_ == "nsubj" else []
    for holder in (root, *(c for c in root.children if c.dep_ == "appos")):
        verbs += [
            c
            for c in holder.children
            if c.dep_ == "relcl"
            and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)
        ]
    verbs += [
        c
        for v in list(verbs)
        for c in v.children
        if c.dep_ == "conj"
        and c.pos_ == "VERB"
        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
    ]
    out: list[Found] = []
    for verb in verbs:
        title = office_verbs().get(verb.lower_)
        if title is None or verb.pos_ != "VERB" or unasserted(verb):
            continue
        for obj in verb.children:
            if obj.dep_ != "dobj":
                continue
            org = _org_of(ctx, obj)
            if org is None and obj.lower_ not in office_objects():
                continue
            out.append(Found([title], org, org.country if org else None, False, verb.i, obj.i + 1))
            break
    return out


def _org_of(ctx: Context, obj: Token) -> EntityCluster | None:
    """The organisation an object names ("the Four-Kings team", "Univision") or stands for
    ("the company", "the channel's news programme")."""
    for i in range(obj.left_edge.i, obj.i + 1):
        hit = ctx.org_span.get(i)
        if hit is not None:
            return hit[2]
    doc = ctx.doc
    for tok in (obj, *(c for c in obj.children if c.dep_ == "poss")):
        definite = any(c.lower_ == "the" for c in tok.children)
        owned = tok.i != obj.i and tok.i + 1 < len(doc) and doc[tok.i + 1].text in POSSESSIVE
        if definite and (tok.lower_ in ORG_NOUNS or owned):
            found = ctx.org_described(tok.i)
            if found is not None:
                return found
    return None
