"""Founders and owners: "Brightwell was founded by Ann Holt", "Ann Holt founded Brightwell",
"Dan Ode, who set up the institute, ...", "That company was owned by Karl Weiss"."""

from __future__ import annotations

from spacy.tokens import Span, Token

from app.extraction.people import EntityCluster
from app.extraction.positions.clauses import subject_of, unasserted
from app.extraction.positions.context import Context, Found
from app.extraction.positions.named import renamed
from app.extraction.positions.words import ORG_NOUNS

FOUNDING = {
    "founded": "founder",
    "co-founded": "co-founder",
    "cofounded": "co-founder",
    "started": "founder",
    "established": "founder",
    "created": "founder",
    "owned": "owner",
}


def founding(ctx: Context, span: Span) -> list[Found]:
    """ "FIRST was founded by Dean Kamen", "started by Steve Jobs and Steve Wozniak", "Y,
    owned by X"; "X founded Y", "X, who set up the company in 1980, ..."."""
    return _founded_by(ctx, span) or _founded(ctx, span)


def _founded_by(ctx: Context, span: Span) -> list[Found]:
    # "founded by a parent, X", "led by a cleric named X": the name renames the agent.
    tok = renamed(span) or span.root
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
        org = _org_in(ctx, s) or org
    first = min([verb.i, *(s.i for s in subjects)])
    if not subjects and verb.dep_ == "acl" and verb.head.i in ctx.org_span:
        org = ctx.org_span[verb.head.i][2]  # "Sansun Ltd, owned by X"
        first = verb.head.i
    elif not subjects and verb.dep_ == "acl":
        org = _described_by_noun(ctx, verb.head)
        first = verb.head.i
    if org is None:
        return []
    return [Found([title], org, None, False, first, tok.head.i + 1)]


def _founded(ctx: Context, span: Span) -> list[Found]:
    """The person as the subject of a verb of founding, or its antecedent through "who"."""
    root = subject_of(span)
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
        if title is None or title == "owner" or unasserted(verb):
            continue
        for obj in verb.children:
            if obj.dep_ == "dobj":
                org = _org_in(ctx, obj)
                if org is not None:
                    return [Found([title], org, None, False, verb.i, obj.i + 1)]
    return []


def _described_by_noun(ctx: Context, noun: Token) -> EntityCluster | None:
    """ "a riding ranch for children founded by X": the organisation named before whose name ends
    in the noun the participle qualifies ("Pine Creek Ranch"), or in the noun that one hangs
    on through a preposition (the parser may attach the participle to the nearer noun)."""
    for _ in range(2):
        if noun.pos_ == "NOUN" and noun.lower_ not in ORG_NOUNS:
            org = ctx.org_described(noun.i)
            if org is not None:
                return org
        if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
            return None
        noun = noun.head.head
    return None


def _org_in(ctx: Context, noun: Token) -> EntityCluster | None:
    """The organisation a noun phrase names ("the Harbour Institute") or stands for ("the company")."""
    for i in range(noun.left_edge.i, noun.i + 1):
        hit = ctx.org_span.get(i)
        if hit is not None:
            return hit[2]
    if noun.lower_ in ORG_NOUNS and any(c.lower_ in ("the", "that", "this") for c in noun.children):
        return ctx.org_described(noun.i)
    return None
