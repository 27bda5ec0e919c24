"""Reading a title phrase: which of its tokens are the office, its organisation, its country
and "former"; its tail ("editor at large") and complement ("of Brightwell", "at ING")."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc, Token

from app.extraction.people import POSSESSIVE, EntityCluster
from app.extraction.positions.context import Context, Found
from app.extraction.positions.words import (
    DEPARTMENT_HEADS,
    DETS,
    FIELD_HEADS,
    FIELD_PREPS,
    FORMER,
    NOT_MODIFIERS,
    ORG_NOUNS,
    PREPS,
    TITLE_TAILS,
    data_lines,
    has_head,
    is_field_prep,
    is_title_token,
    singular_head,
)


def read_phrase(ctx: Context, start: int, end: int, plural: bool = False) -> Found | None:
    """Classify the tokens of a title phrase; None unless it holds a title head.

    `plural` lets a plural head stand for the office ("senators X and Y", before names only).
    """
    doc, lex = ctx.doc, ctx.lex
    title: list[str] = []
    org: EntityCluster | None = None
    country: str | None = None
    former = False
    field: str | None = None  # "of"/"for" after a field office: the field's words follow
    i = start
    while i < end:
        tok = doc[i]
        org_hit = ctx.org_span.get(i)
        if org_hit is not None and not _title_word_in_org(ctx, org_hit, i, end):
            org = org or org_hit[2]
            if field and title and title[-1].lower() in DEPARTMENT_HEADS:
                # "Secretary of the Air Force": the body is the office's field too.
                title += [field, *(t.text for t in doc[i : org_hit[1]])]
                field = None
            i = max(i + 1, org_hit[1])
            continue
        party_hit = ctx.party_at(i) if tok.pos_ in ("ADJ", "PROPN", "NOUN", "") else None
        if party_hit is not None and party_hit[1] <= end and not lex.is_title_word(tok.text):
            org = org or party_hit[2]
            i = party_hit[1]
            continue
        c_hit = ctx.country_at(i)
        if c_hit is not None and not lex.is_title_word(tok.text):
            country = country or c_hit[2]
            i = max(i + 1, c_hit[1])
            continue
        if (
            org is None
            and not title
            and tok.is_lower
            and i + 1 < end
            and doc[i + 1].text in POSSESSIVE
            and i > 0
            and doc[i - 1].lower_ == "the"
        ):
            described = ctx.org_described(i)
            if described is not None:  # "the company's vice president", "the union's leader"
                org = described
                i += 2
                continue
        low = tok.lower_.rstrip(".")
        if low in FORMER:
            former = former or low != "then"
        elif is_title_token(doc, i, lex, plural):
            title.append("-" if tok.text == "-" else tok.text)
        elif title and i + 1 < end and is_field_prep(doc, i, lex):
            title.append(tok.lower_)
        elif title and i + 1 < end and low in FIELD_PREPS and title[-1].lower() in FIELD_HEADS:
            field = low
        elif (
            field
            and tok.is_alpha
            and (
                tok.text[:1].isupper()
                or (
                    tok.is_lower
                    and tok.pos_ == "NOUN"
                    and i + 1 == end
                    and doc[i - 1].lower_ == field
                    and low not in ORG_NOUNS
                )
            )
            and ctx.country_at(i) is None
        ):
            # "Director of Government Affairs", "Minister for Europe", "chief of staff X"
            title += [field, tok.text]
        elif (
            _lower(tok)
            and tok.pos_ in ("NOUN", "ADJ")
            and i + 1 < end
            and is_title_token(doc, i + 1, lex)
            and low not in NOT_MODIFIERS
        ):
            title.append(tok.text)  # "equity strategist", "automotive analyst", "chief strategy expert"
        i += 1
    if not title or not has_head(title, lex, plural):
        return None
    return Found(title, org, country, former, start, end)


def _lower(tok: Token) -> bool:
    """Lower case, or capitalised only for opening a sentence ("Mayoral candidate X said")."""
    return tok.is_lower or (bool(tok.is_sent_start) and tok.text[:1].isupper() and tok.text[1:].islower())


def _title_word_in_org(ctx: Context, org_hit: tuple[int, int, EntityCluster], i: int, end: int) -> bool:
    """ "Home Secretary X" where "Home" alone was taken for the Home Office: a one-word
    mention that is a title word right before a title head belongs to the title."""
    start, stop, _ = org_hit
    return (
        stop - start == 1
        and stop < end
        and ctx.doc[i].lower_ in ctx.lex.title_modifiers
        and ctx.lex.is_title_head(ctx.doc[stop].text)
    )


def is_phrase_token(ctx: Context, i: int, plural: bool = False) -> bool:
    doc, lex = ctx.doc, ctx.lex
    tok = doc[i]
    return (
        i in ctx.org_span
        or ctx.country_at(i) is not None
        or is_title_token(doc, i, lex, plural)
        or tok.lower_.rstrip(".") in FORMER
        # "a top aide", "a longtime adviser": words that say when or which (several are stop words).
        or (tok.is_lower and tok.lower_ in NOT_MODIFIERS)
        or tok.text in POSSESSIVE
        or _abbreviation_dot(ctx, i)
        or (_lower(tok) and tok.pos_ in ("NOUN", "ADJ") and not tok.is_stop)
        # "the leading Green candidate", "a Central Asia analyst": a participle modifying
        # the office, a region (not a country) qualifying it.
        or (tok.is_lower and tok.dep_ == "amod")
        or tok.ent_type_ == "LOC"
        or _party_word(doc, i)
        or ctx.party_at(i) is not None
    ) and i not in ctx.person_tok


def _abbreviation_dot(ctx: Context, i: int) -> bool:
    """The full stop of an abbreviated title the tokenizer split off: "Sens. X and Y", "Col. X",
    "Sgt. X" (the tokenizer keeps "Gen." whole, not these)."""
    doc = ctx.doc
    if doc[i].text != "." or i == 0 or doc[i - 1].whitespace_:
        return False
    prev = doc[i - 1].lower_
    plural = (
        singular_head(doc[i - 1].text, ctx.lex) is not None
        and prev.rstrip("s") in ctx.lex.title_abbreviations
    )
    return plural or (prev in ctx.lex.title_abbreviations and doc[i - 1].text[:1].isupper())


def _party_word(doc: Doc, i: int) -> bool:
    """A party or group adjective in a title phrase: "a Republican senator", "a New Democrat MP"."""
    tok = doc[i]
    if tok.ent_type_ == "NORP":
        return True
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return tok.is_title and tok.pos_ == "PROPN" and nxt is not None and nxt.ent_type_ == "NORP"


def complement(ctx: Context, found: Found, i: int) -> int:
    """Extend a title with "of/at/for ..." after it; returns the index after what was read."""
    doc, lex = ctx.doc, ctx.lex
    for _ in range(3):
        if i >= len(doc) or doc[i].lower_ not in PREPS:
            break
        j = i + 1
        while j < len(doc) and doc[j].lower_ in DETS:
            j += 1
        if j >= len(doc):
            break
        read = False
        # "minister of transport", "Secretary of State": the office's own field; "head of
        # product development", "head of congressional affairs": a field of two words.
        k = _two_word_field(doc, j) if doc[i].lower_ == "of" and found.title[-1].lower() in FIELD_HEADS else j
        if (
            doc[i].lower_ == "of"
            and found.title[-1].lower() in FIELD_HEADS
            and (j not in ctx.org_span or ctx.org_span[j][1] - ctx.org_span[j][0] == 1)
            and (k > j or doc[j].lower_ in lex.title_modifiers or (doc[j].is_lower and doc[j].pos_ == "NOUN"))
            and doc[k].lower_ not in ORG_NOUNS
            and not (k + 1 < len(doc) and doc[k + 1].text in POSSESSIVE)
        ):
            found.title += ["of", *(t.text for t in doc[j : k + 1])]
            found.end = i = k + 1
            continue
        # "chief executive of the company": the organisation the story is about; "chairman of
        # the project's panel": the organisation named before whose name ends in "Project".
        if (
            doc[i].lower_ in ("of", "at")
            and doc[j - 1].lower_ == "the"
            and j not in ctx.org_span
            and (doc[j].lower_ in ORG_NOUNS or (j + 1 < len(doc) and doc[j + 1].text in POSSESSIVE))
        ):
            described = ctx.org_described(j)
            if described is not None:
                found.org = found.org or described
                found.end = i = j + 1
                break
        while j < len(doc):
            org_hit = ctx.org_span.get(j)
            c_hit = ctx.country_at(j)
            if org_hit is not None:
                found.org = found.org or org_hit[2]
                j = org_hit[1]
                read = True
            elif c_hit is not None:
                found.country = found.country or c_hit[2]
                j = c_hit[1]
                read = True
            else:
                break
            if j < len(doc) and doc[j].text in POSSESSIVE:
                j += 1
                continue
            break
        if not read:
            break
        found.end = j
        i = j
    return i


def _two_word_field(doc: Doc, j: int) -> int:
    """The last token of a field of two lower-case words at `j` ("product development",
    "congressional affairs": a modifier and the noun it modifies, the phrase ending there),
    else `j`."""
    if j + 1 >= len(doc):
        return j
    first, second = doc[j], doc[j + 1]
    after = doc[j + 2] if j + 2 < len(doc) else None
    if (
        first.is_lower
        and second.is_lower
        and first.pos_ in ("ADJ", "NOUN")
        and second.pos_ == "NOUN"
        and first.head.i == second.i
        and (after is None or after.pos_ not in ("NOUN", "PROPN"))
        and not (first.pos_ == "NOUN" and first.i in (c.i for c in second.children if c.dep_ == "poss"))
    ):
        return j + 1
    return j


def read_tail(ctx: Context, found: Found, end: int) -> int:
    doc = ctx.doc
    for tail in TITLE_TAILS:
        words = [t.lower_ for t in doc[end : end + len(tail)]]
        if tuple(words) == tail:
            found.title += [t.text for t in doc[end : end + len(tail)]]
            found.end = end + len(tail)
            return end + len(tail)
    return end


def title_phrase(ctx: Context, noun: Token) -> Found | None:
    """The title whose head is `noun` ("the interim CEO"), with its tail and complement
    ("of Apple"), or None when the words before it do not read as a title."""
    start = noun.left_edge.i
    while start < noun.i and ctx.doc[start].lower_ in DETS:
        start += 1
    found = read_phrase(ctx, start, noun.i + 1)
    if found is not None:
        complement(ctx, found, read_tail(ctx, found, noun.i + 1))
        _race(ctx, noun, found)
    return found


# Offices sought in a race: "a candidate in the presidential election".
SEEKING = frozenset({"candidate", "nominee", "contender", "hopeful", "challenger"})


@cache
def race_words() -> frozenset[str]:
    return frozenset(data_lines("titles_races.txt"))


def _race(ctx: Context, noun: Token, found: Found) -> None:
    """ "a candidate in Peru's presidential election", "a candidate for the party's presidential
    nomination": the race a candidate runs in names the office ("presidential candidate"), and a
    party that owns the race is its organisation (data/titles_races.txt)."""
    if noun.lower_ not in SEEKING:
        return
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "for"):
            continue
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            race = [c for c in obj.children if c.dep_ in ("amod", "compound") and c.lower_ in race_words()]
            if not race or any(w.lower() == race[0].lower_ for w in found.title):
                continue
            found.title.insert(len(found.title) - 1, race[0].lower_)
            for owner in (c for c in obj.children if c.dep_ == "poss"):
                hit = ctx.org_span.get(owner.i) or ctx.party_at(owner.i)
                if hit is not None and found.org is None:
                    found.org = hit[2]
            return
