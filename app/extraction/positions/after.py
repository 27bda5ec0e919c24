"""Titles in an apposition beside a name: "Ann Holt, Brightwell's chief executive,", "Jack
Straw, now foreign secretary,", "the director of the Rail Agency, Tom Pell"."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from app.extraction.people import PERSON_VERBS
from app.extraction.positions.context import Context, Found
from app.extraction.positions.phrase import complement, is_phrase_token, read_phrase, read_tail, title_phrase
from app.extraction.positions.words import DETS, MAX_PHRASE, PREPS, STILL, is_title_token


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
        while i < len(doc) and (doc[i].lower_ in DETS or doc[i].lower_ in STILL):
            i += 1
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
