"""The organisation and country of an office once every title is read: the body of a seat
("Senator X" and "the Senate"), the department of an office named by its field ("Home
Secretary" and "the Home Office"), the organisation a company office most likely belongs to,
and the article's own country for offices that name none."""

from __future__ import annotations

from spacy.tokens import Doc

from app.extraction.people import Lexicon
from app.extraction.people.parties import parties
from app.extraction.positions.context import Context
from app.extraction.records import Position


def settle_offices(
    ctx: Context,
    lex: Lexicon,
    results: dict[tuple[str, str], Position],
    anchors: dict[tuple[str, str], int],
    owned: set[tuple[str, str]] | None = None,
) -> None:
    """Give each office the organisation the article ties it to, when its words did not;
    `anchors` holds the person's token where each was read; an office on another person's
    staff (`owned`: "X, Mrs. Holt's communications director") is not given the organisation
    its sentence names."""
    party_names = {c.name for _, _, c in ctx.org_span.values() if ctx.is_party(c)}
    party_names |= {
        p.organisation for p in results.values() if p.organisation and parties().party(p.organisation)
    }
    for key, anchor in anchors.items():
        p = results[key]
        body = lex.title_bodies.get(p.title.split()[-1])
        if body is not None and (p.organisation is None or p.organisation in party_names):
            org = ctx.org_named_by(body)
            if org is not None:  # "(Republican) Senator X" in an article about "the Senate"
                results[key] = p = p.model_copy(update={"organisation": org.name})
        if p.organisation is None:
            org = ctx.department_of(p.title)
            if org is not None:  # "Home Secretary X" in an article naming the Home Office
                update = {"organisation": org.name, "country": org.country or p.country}
                results[key] = p = p.model_copy(update=update)
        if (
            p.organisation is None
            and p.country is None
            and lex.is_corporate_title(p.title)
            and key not in (owned or set())
        ):
            org = ctx.org_for_office(anchor)
            if org is not None:
                results[key] = p.model_copy(update={"organisation": org.name, "country": org.country})


def article_countries(ctx: Context) -> dict[str, list[tuple[int, int]]]:
    """The article's country mentions (character spans) that place the story, by code."""
    doc = ctx.doc
    countries = {
        code: [(s, e) for s, e in spans if not is_stance(doc, s, e)]
        for code, spans in (doc._.newsmeta_countries or {}).items()
    }
    # A national party named stands for its country: "the Tories" place a story in Britain
    # (when the article names that country too: several countries have a "Democratic Party").
    for i, (start, _, cluster) in ctx.org_span.items():
        if i == start and cluster.country in countries and ctx.is_party(cluster):
            countries.setdefault(cluster.country, []).append((doc[start].idx, doc[start].idx + 1))
    return {c: v for c, v in countries.items() if v}


def is_stance(doc: Doc, start: int, end: int) -> bool:
    """ "pro-Beijing", "anti-American": a country named as a stance, not where the story is."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.start < 2:
        return False
    hyphen, word = doc[span.start - 1], doc[span.start - 2]
    return hyphen.text == "-" and not hyphen.whitespace_ and word.lower_ in ("pro", "anti")


def with_article_country(
    positions: list[Position], countries: dict[str, list[tuple[int, int]]]
) -> list[Position]:
    """Give a position with no country of its own the article's country, when the article has one.

    News about one country names its officials without repeating it ("Senator Bob Corker",
    "Presiding Judge Martin Mann" in a story set in London). An article has a country when
    one country takes at least half of its country mentions, and at least two of them
    unless it is the only country named; or, in a story that names many countries once or
    twice (where people come from, where a deal reaches), when one is named at least three
    times and at least twice as often as any other.
    """
    counts = {code: len(spans) for code, spans in countries.items()}
    if not counts:
        return positions
    ranked = sorted(counts.values(), reverse=True)
    code, top = max(counts.items(), key=lambda kv: kv[1])
    total = sum(counts.values())
    dominant = top >= 3 and len(ranked) > 1 and top >= 2 * ranked[1]
    if (top * 2 < total or (top < 2 and len(counts) > 1)) and not dominant:
        return positions
    return [p if p.country else p.model_copy(update={"country": code}) for p in positions]
