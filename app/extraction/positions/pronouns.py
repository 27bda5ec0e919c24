"""Offices stated of a subject pronoun: "She is the head of Y", "He was named chairman", given
to the person the pronoun stands for: the Doc's one salience reading, which quotes use too."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from app.extraction.people import PEOPLE_KEY
from app.extraction.positions.clauses import copula
from app.extraction.positions.context import Context, Found
from app.extraction.positions.founding import founding
from app.extraction.positions.running import running
from app.extraction.quotes.salience import salience

# How many sentences back a pronoun's person may be named.
PRONOUN_REACH = 2


class PronounSubjects:
    """Reads offices of "he"/"she" subjects."""

    def __call__(self, doc: Doc, ctx: Context) -> list[tuple[Span, str, Found]]:
        out: list[tuple[Span, str, Found]] = []
        resolve: Callable[[Token], str | None] | None = None
        for i in ctx.subject_tokens():
            tok = doc[i]
            if tok.lower_ not in ("he", "she") or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            span = doc[tok.i : tok.i + 1]
            read = copula(ctx, span) or founding(ctx, span) or running(ctx, span)
            if not read:
                continue
            if resolve is None:
                resolve = salience(doc).resolve_pronoun
            person = resolve(tok)
            if person is not None and _only_person_near(doc, tok, ctx) == person:
                out += [(span, person, found) for found in read]
        return out


def _only_person_near(doc: Doc, tok: Token, ctx: Context) -> str | None:
    """The one person named from the nearest earlier sentence that names anyone (at most
    `PRONOUN_REACH` sentences back, blank ones not counted) up to `tok`, or None when there are
    none or several: the pronoun resolver knows no given names' gender, so an office goes to a
    pronoun's person only when no one else is in reach."""
    sal = salience(doc)

    def names_in(lo: int, hi: int) -> set[str]:
        # Mentions, and surnames the recogniser missed ("Ramos, silver-haired, became ...").
        names = {s.kb_id_ for s in doc.spans[PEOPLE_KEY] if lo <= s.start < hi}
        for t in doc[lo:hi]:
            if t.text[:1].isupper() and t.pos_ == "PROPN":
                name = sal.name_at(t) or sal.people.surnames.get(t.text)  # one opening a sentence too
                if name is not None:
                    names.add(name)
        return names

    k, seen = ctx.sent_index(tok.i), 0
    lo = ctx.sent_bounds(k)[0]
    names = names_in(lo, tok.i)
    while k > 0 and seen < PRONOUN_REACH:
        k -= 1
        lo, hi = ctx.sent_bounds(k)
        if not any(t.is_alpha for t in doc[lo:hi]):
            continue  # a paragraph break the parser took for a sentence
        seen += 1
        earlier = names_in(lo, hi)
        names |= earlier
        if earlier:
            break
    return names.pop() if len(names) == 1 else None
