"""Titles in an apposition beside a name: "Ann Holt, Brightwell's chief executive,", "Jack
Straw, now foreign secretary,", "the director of the Rail Agency, Tom Pell"."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from app.extraction.people import PERSON_VERBS, POSSESSIVE, EntityCluster
from app.extraction.positions.context import Context, Found
from app.extraction.positions.phrase import complement, is_phrase_token, read_phrase, read_tail, title_phrase
from app.extraction.positions.words import (
    DETS,
    FORMER,
    MAX_PHRASE,
    NOT_MODIFIERS,
    PREPS,
    STILL,
    is_title_token,
)


def _read_right(ctx: Context, start: int) -> tuple[list[Found], int]:
    """Title phrases after a name: ", [the] foreign minister of Russia[, ...]", ", one of the
    stars of the play" (one of a plural office holds it)."""
    doc, lex = ctx.doc, ctx.lex
    out: list[Found] = []
    i = start
    plural = i + 2 < len(doc) and doc[i].lower_ == "one" and doc[i + 1].lower_ == "of"
    if plural:
        i += 2
    while i < len(doc):
        # "X, now foreign secretary,": an adverb of time before the office.
        lead = i
        while i < len(doc) and (doc[i].lower_ in DETS or doc[i].lower_ in STILL):
            i += 1
        owner = _owner(ctx, i, plural, opened=i > lead)
        if owner is not None:  # "X, Holt's campaign manager,", "X, a former Holt aide,"
            former, owner_end = owner
            i = owner_end
        j = i
        while j < len(doc) and j - i < MAX_PHRASE and (is_phrase_token(ctx, j, plural) or doc[j].like_num):
            j += 1
        # The phrase ends on its title head; words after it belong to the next clause.
        end = j
        while end > i and not is_title_token(doc, end - 1, lex, plural):
            end -= 1
        if end <= i:
            break
        found = read_phrase(ctx, i, end, plural)
        if found is None:
            break
        end = read_tail(ctx, found, end)
        after = complement(ctx, found, end)
        if owner is not None:
            _owned(ctx, found, owner[1], former)
        out.append(found)
        if after < len(doc) and doc[after].lower_ == "and":
            i = after + 1
            continue
        break
    # "president and CEO of Boeing": the organisation read last belongs to every office.
    for f in out:
        f.org = f.org or next((g.org for g in out if g.org), None)
        f.country = f.country or next((g.country for g in out if g.country), None)
    return out, i


def _owner(ctx: Context, i: int, plural: bool = False, opened: bool = False) -> tuple[bool, int] | None:
    """A person named inside an office before its words: "[a former] Holt aide", "Holt's
    campaign manager", "Reed's attorney". Returns whether "former" stood first and the
    index after the person's name (and its possessive), when a title phrase follows. A name
    without a possessive needs a determiner or "former" before it (`opened`): "Holt, Reed
    wage delegate battle" is a list of names."""
    doc = ctx.doc
    k = i
    former = False
    while k < len(doc) and (
        doc[k].lower_.rstrip(".") in FORMER or (doc[k].is_lower and doc[k].lower_ in NOT_MODIFIERS)
    ):
        former, k = former or doc[k].lower_.rstrip(".") in FORMER, k + 1  # "a former", "a top"
    if k + 1 < len(doc) and doc[k].lower_.rstrip(".") in ctx.lex.honorifics:
        k += 1  # "X, Mrs. Holt's chief of staff,"
    if k not in ctx.person_by_tok or (k > 0 and ctx.person_by_tok.get(k - 1) == ctx.person_by_tok[k]):
        return None
    person = ctx.person_by_tok[k]
    while k < len(doc) and ctx.person_by_tok.get(k) == person:
        k += 1
    if k < len(doc) and doc[k].text in POSSESSIVE:
        k += 1
    elif not (opened or former):
        return None
    if k >= len(doc) or k in ctx.person_tok or not is_phrase_token(ctx, k, plural):
        return None
    return former, k


def _owned(ctx: Context, found: Found, phrase_start: int, former: bool) -> None:
    """The office of a phrase a person's name opens: "former" before the name is the office's,
    and "Holt's campaign manager" works for the Holt campaign."""
    found.former = found.former or former
    found.owned = True
    doc = ctx.doc
    k = phrase_start - 1
    if k >= 0 and doc[k].text in POSSESSIVE:
        k -= 1
    if found.org is None and doc[phrase_start].lower_ == "campaign" and k >= 0:
        found.org = EntityCluster(name=f"{doc[k].text} campaign")


def apposition(ctx: Context, span: Span) -> list[Found]:
    doc = ctx.doc
    out: list[Found] = []
    # Right: "Sergey Lavrov, Russia's foreign minister," / "Peter Boockvar an equity strategist".
    nxt = span.end
    if nxt < len(doc) and (doc[nxt].text == "," or doc[nxt].lower_ in ("a", "an")):
        found, _ = _read_right(ctx, nxt + 1 if doc[nxt].text == "," else nxt)
        out += found
    # "X, Y's brother and fellow television comedian,": an office joined by "and" to an
    # apposition that names none.
    read = {f.start for f in out}
    for appos in (c for c in span.root.children if c.dep_ == "appos" and c.i > span.end):
        for noun in appos.conjuncts:
            if noun.i > appos.i and noun.pos_ == "NOUN" and is_title_token(doc, noun.i, ctx.lex):
                found_conj = title_phrase(ctx, noun)
                if found_conj is not None and found_conj.start not in read:
                    out.append(found_conj)
    # Left: "the director of Saudi Arabia's Civil Defense Authority, Suleiman al-Amr".
    if span.start >= 2 and doc[span.start - 1].text == ",":
        end = _before_parenthesis(doc, span.start - 1)
        start = _walk_left_appos(ctx, end)
        if start < end:
            found_left = read_phrase(ctx, start, end)
            if found_left is not None:
                if start > 0 and (doc[start - 1].text in POSSESSIVE or start - 1 in ctx.person_tok):
                    _owned(ctx, found_left, start, False)  # "Holt's campaign spokesman, X"
                out.append(found_left)
    return out


def _before_parenthesis(doc: Doc, end: int) -> int:
    """Skip a parenthesis closing just before `end`: "the head of NRA (National Rail Agency), X"."""
    if end > 0 and doc[end - 1].text == ")":
        for k in range(end - 2, max(end - 10, 0), -1):
            if doc[k].text == "(":
                return k
            if doc[k].text in {")", ",", "."}:
                break
    return end


def _walk_left_appos(ctx: Context, end: int) -> int:
    """Start of "[the] <title phrase> [of <org>]" ending just before a comma at `end`."""
    doc = ctx.doc
    i = end
    while i > 0 and end - i < MAX_PHRASE:
        j = i - 1
        if is_phrase_token(ctx, j):
            span = ctx.org_span.get(j) or ctx.country_at(j)
            i = span[0] if span is not None and span[0] < j else j
            continue
        if doc[j].lower_ in PREPS | DETS and j > 0:
            # "director of [Saudi Arabia's] Civil Defense Authority": keep going over the preposition.
            k = j - 1
            while k > 0 and doc[k].lower_ in DETS | PREPS:
                k -= 1
            if is_title_token(doc, k, ctx.lex) and doc[j].lower_ in PREPS | {"the"}:
                i = k
                continue
        break
    # "Reed's attorney, X", "a former Holt aide, X": a person's name opens the phrase; it
    # must stand on its own before that name.
    owner_end = i
    if i > 0 and i < end and (i - 1 in ctx.person_tok or doc[i].text in POSSESSIVE):
        k = i - 1
        if k in ctx.person_by_tok:
            person = ctx.person_by_tok[k]
            while k > 0 and ctx.person_by_tok.get(k - 1) == person:
                k -= 1
            name_start = k
            while k > 0 and doc[k - 1].lower_.rstrip(".") in FORMER | DETS | ctx.lex.honorifics:
                k -= 1
            if doc[i].text in POSSESSIVE or k < name_start:  # not a list of names
                owner_end = i + 1 if doc[i].text in POSSESSIVE else i
                i = k
    if owner_end > i and owner_end < end:
        if i > 0 and not (doc[i - 1].is_punct or doc[i - 1].is_sent_end or doc[i - 1].lower_ in PREPS):
            return end
        return owner_end
    # The phrase must stand on its own: after a determiner, a preposition, a comma or the start.
    # "..., said Vetra Group head trader, Ann Ho": a verb of speech may open it too.
    if i > 0 and not (
        doc[i - 1].lower_ in DETS | PREPS
        or doc[i - 1].is_punct
        or doc[i - 1].is_sent_end
        or doc[i - 1].lower_ in PERSON_VERBS
    ):
        return end
    return i
