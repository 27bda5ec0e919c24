"""A definite description standing for the person just named: "Gordon Brewer has issued a
rallying cry. The chancellor said ..."."""

from __future__ import annotations

from spacy.tokens import Span, Token

from app.extraction.people import PEOPLE_KEY
from app.extraction.positions.clauses import subject_of
from app.extraction.positions.context import Context, Found
from app.extraction.positions.phrase import title_phrase
from app.extraction.positions.words import norm_title
from app.extraction.records import Position

# How many sentences back a definite description may look for the person it stands for.
DESCRIPTION_REACH = 3


def described_subjects(
    ctx: Context, results: dict[tuple[str, str], Position]
) -> list[tuple[Span, str, Found]]:
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
        tok = subject_of(span)
        if tok.dep_ in ("nsubj", "nsubjpass"):
            other_subjects.setdefault(ctx.sent_index(tok.i), set()).add(span.kb_id_)
        # The one who acted, not one acted upon ("X was asked by the moderator"): active voice.
        if main_subject(tok) and tok.dep_ != "nsubjpass":
            subjects.setdefault(ctx.sent_index(tok.i), set()).add((span.kb_id_, span.start))
    out: list[tuple[Span, str, Found]] = []
    for i in ctx.subject_tokens():
        tok = doc[i]
        if (
            i in ctx.person_tok
            or not ctx.lex.is_title_head(tok.text)
            or not main_subject(tok)
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        ):
            continue
        found = title_phrase(ctx, tok)
        if found is None:
            continue
        title = norm_title(found.title, ctx.lex)
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


def main_subject(tok: Token) -> bool:
    """Whether `tok` is the subject of its sentence's main verb (or of one joined to it by "and")."""
    if tok.dep_ == "ROOT" and tok.pos_ in ("NOUN", "PROPN"):
        # "The Vermont senator aimed to win": the small model often takes the verb for a participle.
        return any(c.dep_ == "acl" and c.i > tok.i and c.tag_ == "VBD" for c in tok.children)
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
