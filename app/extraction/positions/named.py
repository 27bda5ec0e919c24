"""The noun a name renames: "a cleric named Ann Holt", "founded by a parent, Ann Holt". What the
sentence says of that noun it says of the person: "a cleric named X" holds "cleric", "a ranch
founded by a parent, X" was founded by X."""

from __future__ import annotations

from spacy.tokens import Span, Token

from app.extraction.positions.context import Context, Found
from app.extraction.positions.phrase import title_phrase
from app.extraction.positions.words import is_title_token

NAMING = frozenset({"named", "called"})


def renamed(span: Span) -> Token | None:
    """The noun before the name that the name renames: the head of "named X" / "called X" (a
    participle qualifying the noun), or the noun the name is in apposition to ("a parent, X")."""
    root = span.root
    head = root.head
    if root.dep_ == "oprd" and head.lower_ in NAMING and head.dep_ == "acl" and head.i < span.start:
        noun = head.head
    elif root.dep_ == "appos" and head.i < span.start and head.pos_ == "NOUN":
        noun = head
    else:
        return None
    return noun if noun.pos_ == "NOUN" and noun.i < span.start else None


def named_title(ctx: Context, span: Span) -> list[Found]:
    """ "a mosque run by a cleric named X", "a former staffer named X": the office of
    the noun a participle of naming gives the name (appositions are read by `after`)."""
    root = span.root
    if root.dep_ != "oprd":
        return []
    noun = renamed(span)
    if noun is None or not is_title_token(ctx.doc, noun.i, ctx.lex):
        return []
    found = title_phrase(ctx, noun)
    return [] if found is None else [found]
