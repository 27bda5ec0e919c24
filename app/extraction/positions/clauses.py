"""Offices stated by a clause: copulas and verbs of appointing ("X is chief executive of Y", "X
was named CEO", "Y named X as its chief executive", "X, who is ...") and "as" phrases ("X stepped
down as CEO", "X's tenure as secretary of state", "As chief executive, X ..."); not when the
clause denies, imagines, conditions or wishes for it."""

from __future__ import annotations

from spacy.tokens import Span, Token

from app.extraction.people import EntityCluster
from app.extraction.positions.context import Context, Found
from app.extraction.positions.phrase import title_phrase
from app.extraction.positions.words import ORG_NOUNS, is_title_token

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
# "X wants to remain as chairman", "to carry on as leader": keeping an office presupposes holding it,
# so a wish does not make it unheld.
CONTINUING = frozenset(
    "remain remains remained remaining stay stays stayed staying "
    "continue continues continued continuing".split()
)
# "X succeeded W as chairman": verbs whose object held the office before the subject.
SUCCEEDING = frozenset("succeed succeeds succeeded succeeding replace replaces replaced replacing".split())
# "The company announced X as its new president": verbs that present someone in an office.
ANNOUNCING = frozenset({"announce", "announced", "announces", "unveiled", "unveils", "introduced"})
# "X's bid as nominee": nouns for an office sought, not held.
SOUGHT_NOUNS = frozenset({"bid", "bids", "ambition", "ambitions", "hopes", "chance", "chances", "candidacy"})
# "his post as CEO": nouns for an office held.
OFFICE_NOUNS = frozenset({"post", "role", "position", "job", "office", "seat", "term", "tenure"})


def governing_verb(tok: Token) -> Token:
    """The verb whose clause `tok` is in (itself when it is one)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def subject_of(span: Span) -> Token:
    """The token of a name that is a clause's subject ("Angela" may hang apart from "Corey")."""
    for tok in span:
        if tok.dep_ in ("nsubj", "nsubjpass") and not span.start <= tok.head.i < span.end:
            return tok
    return span.root


def unasserted(verb: Token) -> bool:
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


def copula(ctx: Context, span: Span) -> list[Found]:
    """ "X is chief executive of Y", "X was named CEO", "X, who is ..." from the parse; else an
    office in an "as" phrase or after a verb of appointing."""
    return (
        _stated(ctx, span)
        or _as_office(ctx, span)
        or _named_as(ctx, span)
        or _possessed_as(ctx, span)
        or _fronted_as(ctx, span)
    )


def _stated(ctx: Context, span: Span) -> list[Found]:
    """The office a copula or a passive verb of appointing states of the person: as its
    subject, through ", who is", or in a clause joined by "and" ("X has been with the firm for
    years, and is now its head of design")."""
    doc = ctx.doc
    head = subject_of(span)
    verbs: list[Token] = []
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lower_ in COPULAS:
        verbs.append(head.head)
    elif (
        span.end + 2 < len(doc)
        and doc[span.end].text == ","
        and doc[span.end + 1].lower_ == "who"
        and doc[span.end + 2].lower_ in COPULAS
    ):
        verbs.append(doc[span.end + 2])
    joined = [v for v in _joined_clauses(span) if v.lower_ in COPULAS]
    for verb in verbs + joined:
        found = _stated_by(ctx, verb)
        if found and verb in joined and found[0].org is None:
            found[0].org = _org_of_clause(ctx, verb.head)
        if found:
            return found
    return []


def _org_of_clause(ctx: Context, verb: Token) -> EntityCluster | None:
    """ "X has been with General Motors for years, and is now head of design": the organisation
    the first of two joined clauses places the person in ("with", "at", "for")."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("with", "at", "for"):
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.i in ctx.org_span:
                    return ctx.org_span[obj.i][2]
    return None


def _stated_by(ctx: Context, verb: Token) -> list[Found]:
    doc = ctx.doc
    if verb.dep_ in ("aux", "auxpass") and verb.head.i > verb.i:
        verb = verb.head  # "X, who was appointed ... as chairman": the participle holds "as"
    if unasserted(verb):
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
            if not is_title_token(doc, noun.i, ctx.lex):
                continue
            found = title_phrase(ctx, noun)
            if found is not None:
                return [found, *_conjoined(ctx, noun, found)]
    return []


def _joined_clauses(span: Span) -> list[Token]:
    """Verbs the person is the subject of through "and" or a relative clause: "X founded the
    firm and is its chairman", "X, the activist who founded Y and is a national committeeman",
    "X, a pollster who advised the campaign and is a strategist for Y" (a verb joined by "and"
    that has no subject of its own shares the first one's)."""
    head = subject_of(span)
    first: list[Token] = [head.head] if head.dep_ in ("nsubj", "nsubjpass") else []
    for holder in (span.root, *(c for c in span.root.children if c.dep_ == "appos")):
        first += [
            c
            for c in holder.children
            if c.dep_ == "relcl"
            and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)
        ]
    return [
        c
        for verb in first
        for c in verb.children
        if c.dep_ == "conj"
        and c.pos_ in ("VERB", "AUX")
        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
    ]


def _conjoined(ctx: Context, noun: Token, first: Found) -> list[Found]:
    """ "as both chief executive and chairman": each conjoined office, sharing the organisation."""
    out = []
    for conj in noun.conjuncts:
        if conj.i > noun.i and is_title_token(ctx.doc, conj.i, ctx.lex):
            found = title_phrase(ctx, conj)
            if found is not None:
                found.org = found.org or first.org
                found.country = found.country or first.country
                out.append(found)
    return out


def _named_as(ctx: Context, span: Span) -> list[Found]:
    """ "Y named X as its new chief executive", "Y announced X as its president": the name
    stands right before "as", which hangs on a verb of appointing; "its" is the subject."""
    doc = ctx.doc
    prep = doc[span.end] if span.end < len(doc) else None
    if prep is None or prep.lower_ != "as" or prep.dep_ != "prep":
        return []
    verb = prep.head
    if span.start <= verb.i < span.end:
        verb = span.root.head  # "name [X as chairwoman]": the parser hung "as" on the name
    if verb.pos_ in ("VERB", "AUX"):
        if verb.lower_ not in OFFICE_VERBS and verb.lower_ not in ANNOUNCING:
            return []
        if unasserted(verb) or verb.lower_ in SUCCEEDING:
            return []  # "X succeeded W as chairman": the office is X's now, not W's
    elif verb.pos_ not in ("NOUN", "PROPN", "ADP") or unasserted(governing_verb(verb)):
        return []  # "satisfied with X as nominee", "would trust X as prime minister"
    # Otherwise "as" hangs on a noun or a preposition: "trust in X as prime minister",
    # "with X as the nominee".
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.i in range(span.start, span.end) for c in verb.children):
        return []  # "X stepped down as CEO" is the subject's own office: _as_office reads it
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if not objs or not is_title_token(doc, objs[0].i, ctx.lex):
        return []
    found = title_phrase(ctx, objs[0])
    if found is None:
        return []
    if found.org is None and any(c.lower_ in ("its", "their") for c in objs[0].children):
        found.org = _subject_org(ctx, verb)
    return [found, *_conjoined(ctx, objs[0], found)]


def _as_title(ctx: Context, prep: Token) -> list[Found]:
    """The office (and those joined to it by "and") that a preposition "as" introduces."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    # "as star and executive producer": the first of the joined nouns that is an office.
    nouns = [t for o in objs[:1] for t in (o, *o.conjuncts) if is_title_token(ctx.doc, t.i, ctx.lex)]
    if not nouns:
        return []
    found = title_phrase(ctx, nouns[0])
    return [] if found is None else [found, *_conjoined(ctx, nouns[0], found)]


def _possessed_as(ctx: Context, span: Span) -> list[Found]:
    """ "X's tenure as secretary of state", "X's meetings as mayor": a noun the person owns,
    qualified by the office they held."""
    root = span.root
    if root.dep_ != "poss" or root.head.lower_ in SOUGHT_NOUNS:
        return []
    for prep in root.head.children:
        if prep.dep_ == "prep" and prep.lower_ == "as" and prep.i > root.i:
            return _as_title(ctx, prep)
    return []


def _fronted_as(ctx: Context, span: Span) -> list[Found]:
    """ "As chief executive, X cut costs": an office in a fronted "as" phrase is the subject's."""
    root = subject_of(span)
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return []
    verb = root.head
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "as" and prep.i < span.start:
            if unasserted(verb):
                return []  # "As president, X would ..."
            return _as_title(ctx, prep)
    return []


def _subject_org(ctx: Context, verb: Token) -> EntityCluster | None:
    """The organisation a verb's subject names, or the one "the company" refers back to."""
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


def _continuing(verb: Token) -> bool:
    """ "remain", "stay", "continue", "carry on": verbs of keeping an office one holds."""
    if verb.lemma_.lower() in CONTINUING or verb.lower_ in CONTINUING:
        return True
    return verb.lower_ in ("carry", "carries", "carried", "carrying") and any(
        c.dep_ == "prt" and c.lower_ == "on" for c in verb.children
    )


def _as_office(ctx: Context, span: Span) -> list[Found]:
    """ "X stepped down as CEO", "X will succeed Y as chairman", "X was forced to resign as
    foreign minister", "X ... has been serving as interim CEO", "X left his post as CEO"."""
    doc = ctx.doc
    head = subject_of(span)
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return []
    verbs = [head.head]
    for _ in range(2):
        for v in list(verbs):
            wished = v.lower_ in WISHING
            verbs += [
                c
                for c in v.children
                if c.dep_ in ("xcomp", "conj")
                and c.pos_ in ("VERB", "AUX")
                and c not in verbs
                # "X wants to serve as president" wishes for an office; "X wants to remain
                # as chairman" / "to carry on as leader" still holds it.
                and (not wished or (c.dep_ == "xcomp" and _continuing(c)))
            ]
    preps: list[Token] = []
    for v in verbs:
        office_verb = v.lemma_.lower() in OFFICE_VERBS or v.lower_ in OFFICE_VERBS or _continuing(v)
        if unasserted(v) or (v.dep_ == "xcomp" and unasserted(v.head)):
            continue
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "as" and office_verb:
                preps.append(c)
            elif (c.dep_ == "dobj" and office_verb) or c.dep_ == "prep":
                # "from his post as CEO": the office is the subject's own, whatever the verb
                # ("X will steer the firm from his position as chairman"); "X used his post as
                # chairman" only after a verb of office (he may use someone else's).
                for noun in [c, *(g for g in c.children if g.dep_ == "pobj")]:
                    if noun.lower_ in OFFICE_NOUNS and any(
                        g.dep_ == "poss" and g.lower_ in ("his", "her", "their") for g in noun.children
                    ):
                        preps += [g for g in noun.children if g.dep_ == "prep" and g.lower_ == "as"]
    for prep in preps:
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if not objs or not is_title_token(doc, objs[0].i, ctx.lex):
            continue
        found = title_phrase(ctx, objs[0])
        if found is not None:
            return [found]
    return []
