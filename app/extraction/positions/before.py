"""Titles before a name: "Kremlin spokesperson Ann Holt", "Tory leader Ian Marsh", "Clinton
campaign manager Robert Monk", "Sens. Ray Colby (Ky.) and Mark Dunne (Fla.)", "Brightwell CEO
and co-founder Ann Holt"."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from app.extraction.people import POSSESSIVE, EntityCluster
from app.extraction.positions.context import Context, Found
from app.extraction.positions.phrase import is_phrase_token, read_phrase
from app.extraction.positions.words import (
    DETS,
    FIELD_HEADS,
    FIELD_PREPS,
    MAX_PHRASE,
    PREPS,
    is_field_prep,
    is_title_token,
    singular_head,
)


def _walk_left(ctx: Context, end: int) -> int:
    """Start of the run of title-phrase tokens ending just before `end`."""
    doc = ctx.doc
    i = end
    while i > 0 and end - i < MAX_PHRASE:
        j = i - 1
        if is_phrase_token(ctx, j, plural=True) or (i < end and _field_prep(ctx, j, i)):
            span = ctx.org_span.get(j) or ctx.country_at(j)
            i = span[0] if span is not None and span[0] < j else j
            continue
        # "Chief investment officer at Fort Pitt Capital Group": a preposition and its object
        # between the office and the name.
        if doc[j].lower_ in PREPS and i < end and (i in ctx.org_span or ctx.country_at(i) is not None):
            k = j - 1
            if k >= 0 and is_title_token(doc, k, ctx.lex):
                i = k
                continue
        if (
            doc[j].lower_ == "the"
            and j > 0
            and doc[j - 1].lower_ in PREPS
            and i < end
            and (i in ctx.org_span or ctx.country_at(i) is not None)
            and j > 1
            and is_title_token(doc, j - 2, ctx.lex)
        ):
            i = j - 2
            continue
        # The field reaches the name itself ("... Government Affairs X") or an organisation the
        # walk has just read ("... of the Harbour Institute X"); never over "and" or "'s".
        touches = (i < end and i in ctx.org_span) or all(
            doc[k].is_alpha and doc[k].text[:1].isupper() for k in range(j, end)
        )
        head = _field_head(ctx, j) if touches else None
        if head is not None:
            i = head
            continue
        break
    return i


def _field_prep(ctx: Context, j: int, i: int) -> bool:
    """ "of" in "Minister of Education X", and before a common noun the walk has just read
    ("chief of staff X", "director of communications X")."""
    doc = ctx.doc
    return is_field_prep(doc, j, ctx.lex) or (
        doc[j].lower_ in FIELD_PREPS
        and j > 0
        and doc[j - 1].lower_ in FIELD_HEADS
        and i == j + 1
        and doc[i].is_lower
        and doc[i].pos_ == "NOUN"
    )


# Words that may stand in the field or body of an office before a name, besides capitalised
# words and organisations: "Director of the Dallas chapter of the Council ...".
FIELD_GLUE = frozenset({"the", "of", "for", "and", "&", "-", "on"})


def _field_head(ctx: Context, j: int) -> int | None:
    """The office's head when token `j` ends its field or body written out before a name:
    "UMWA Director of Government Affairs X", "Secretary of the Air Force X", "Executive
    director of the Boston chapter of the Harbour Institute X" (US and UK styles alike).

    Reading back over capitalised words, organisations, "of/for/the/and" and lower-case
    nouns, the first "of"/"for" right after a title word gives the head; nothing else may stand
    between (a verb or a person ends the search).
    """
    doc, lex = ctx.doc, ctx.lex
    k = j
    while k > 0 and j - k < MAX_PHRASE:
        tok = doc[k]
        if k in ctx.person_tok:
            return None
        if tok.lower_ in FIELD_PREPS and k != j and is_title_token(doc, k - 1, lex):
            return k - 1
        if not (
            k in ctx.org_span
            or tok.lower_ in FIELD_GLUE
            or (tok.is_alpha and tok.text[:1].isupper() and tok.pos_ in ("PROPN", "NOUN", "ADJ"))
            or (tok.is_lower and tok.pos_ == "NOUN")
        ):
            return None
        k -= 1
    return None


class TitlesBefore:
    """Titles written before a name, read name by name through one document; it remembers the
    office of a plural title ("senators X and Y") and each name's office, for the next name."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.lex = ctx.lex
        self.by_mention_end: dict[int, Found] = {}
        self.listing: tuple[Found, int] | None = None

    def read(self, span: Span) -> list[Found]:
        ctx, doc = self.ctx, self.doc
        # The phrase must touch the name: "Kremlin spokesperson Dmitry Peskov"; an honorific
        # may stand between them ("Undersecretary for Health Mr. Bellini").
        end = span.start
        if end > 0 and doc[end - 1].lower_.rstrip(".") in self.lex.honorifics:
            end -= 1
        start = _walk_left(ctx, end)
        if start >= end:
            return self._listed(span)
        found = read_phrase(ctx, start, end, plural=True)
        if found is None:
            return self._listed(span)
        if found.org is None:
            found.org = _campaign(ctx, start)
        self.listing = None
        if singular_head(found.title[-1], self.lex):
            self.listing = (found, span.end)  # "senators X of A, Y of B and Z": one office each
        # "UAW President Ron Gettelfinger and Vice President Gerald Bantom": the second
        # office shares the first one's organisation.
        if start >= 2 and doc[start - 1].lower_ == "and" and start - 2 in ctx.person_end:
            prior = self.by_mention_end.get(start - 2)
            if prior is not None:
                found.org = found.org or prior.org
                found.country = found.country or prior.country
        out = [found, *self._coordinated(start)]
        # "Airbus and its CEO Ralph Crosby": "its" stands for the organisation named last.
        first = min(f.start for f in out)
        if found.org is None and first > 0 and doc[first - 1].lower_ in ("its", "their"):
            found.org = ctx.org_nearest_before(first - 1)
        for f in out:
            f.org = f.org or next((g.org for g in out if g.org), None)
            f.country = f.country or next((g.country for g in out if g.country), None)
        self.by_mention_end[span.end - 1] = found
        return out

    def _coordinated(self, start: int) -> list[Found]:
        """ "Apple CEO and co-founder Steve Jobs": offices joined by "and" before one name; the
        organisation read in any of them belongs to all."""
        ctx, doc = self.ctx, self.doc
        out: list[Found] = []
        while (
            start >= 2
            and doc[start - 1].lower_ == "and"
            and is_title_token(doc, start - 2, self.lex)
            and start - 2 not in ctx.person_tok
        ):
            end = start - 1
            start = _walk_left(ctx, end)
            found = read_phrase(ctx, start, end) if start < end else None
            if found is None or _object_of_preposition(doc, start):
                break  # "Assistant to the Secretary and Director X": the secretary is someone else
            out.append(found)
        return out

    def _listed(self, span: Span) -> list[Found]:
        """A later name in a list after a plural title: "councillors A of X, B of Y and C"."""
        if self.listing is None:
            return []
        found, last_end = self.listing
        doc, ctx = self.doc, self.ctx
        gap = doc[last_end : span.start]
        self.listing = None
        if (
            not 0 < len(gap) <= LIST_GAP
            or gap[-1].text not in {",", "and"}
            or any(t.is_sent_start for t in doc[last_end : span.start + 1])
            or not all(_list_gap_token(ctx, t) for t in gap)
        ):
            return []
        self.listing = (found, span.end)
        return [Found(list(found.title), found.org, found.country, found.former, found.start, found.end)]


def _campaign(ctx: Context, start: int) -> EntityCluster | None:
    """ "Clinton campaign manager X", "Smith's campaign chairman X": a candidate's campaign is
    the organisation of a campaign office."""
    doc = ctx.doc
    k = start - 1
    if doc[start].text in POSSESSIVE and start + 1 < len(doc):
        start += 1
    if doc[start].lower_ != "campaign" or k < 0 or k not in ctx.person_tok:
        return None
    return EntityCluster(name=f"{doc[k].text} campaign")


def _object_of_preposition(doc: Doc, start: int) -> bool:
    """Whether the phrase at `start` follows a preposition, with or without a determiner."""
    k = start - 1
    if k >= 0 and doc[k].lower_ in DETS:
        k -= 1
    return k >= 0 and doc[k].lower_ in PREPS


# What may stand between two names of a list: "A of the Labour Party, B (LP) and C".
LIST_GAP = 8
LIST_WORDS = frozenset({",", "and", "of", "from", "the", "(", ")", "-"})


def _list_gap_token(ctx: Context, tok: Token) -> bool:
    return (
        tok.lower_ in LIST_WORDS
        or tok.i in ctx.org_span
        or (tok.text[:1].isupper() and tok.i not in ctx.person_tok and tok.pos_ in ("PROPN", ""))
    )
