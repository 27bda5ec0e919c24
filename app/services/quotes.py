"""Quotes across all articles: filtered, newest first, each with its speaker and article.

A page is fetched by keyset on the quote id, in one statement with its articles and its
speakers' names; the speakers' positions come in one more, never one query per quote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, select, tuple_
from sqlmodel import Session, col

from app.models import Article, Mention, Organisation, Person, Quote
from app.models.common import as_utc, utc_column
from app.models.queries import QuoteKind
from app.models.records import Holder, Office
from app.services import lookup, search
from app.services.articles import published_within
from app.services.pagination import (
    Listing,
    ListSort,
    PublishedKey,
    decode_cursor,
    driven_ids,
    encode_cursor,
)

_EMPTY = Listing()
# Up to this many articles in a date window, a page starts from the window rather than the newest quote.
WINDOW_ARTICLES = 5000
# A speaker's quotes are counted up to this many, to tell whether they or the text are fewer.
SELECTIVITY_PROBE = 10_000
# In publication order on SQLite, a text matching more quotes than this is probed per quote walked.
TEXT_LISTED = 2000
# On Postgres, a text matching at most this many quotes has its matches listed before a page is
# picked: the planner has no statistics for a word it has never seen and guesses it common, so it
# walked every quote newest first looking for one no quote holds (0.5 s at 100k articles).
FEW_MATCHES = 500
# Candidate quote ids read per batch when the text drives a page: the first batch, and the largest.
FIRST_BATCH, MAX_BATCH = 64, 8192


def list_quotes(
    *,
    session: Session,
    limit: int,
    cursor: str | None = None,
    speaker: str | None = None,
    speaker_country: str | None = None,
    speaker_organisation: str | None = None,
    country: str | None = None,
    kind: QuoteKind | None = None,
    q: str | None = None,
    published_from: datetime | None = None,
    published_to: datetime | None = None,
    sort: ListSort = "id",
) -> Listing:
    """Quotes newest first (by id; or with `sort="published"` by their articles' publication
    time, then id, quotes of undated articles last); unknown filter values give an empty page.

    The filters given make the page's shape; its statements are built once per shape
    (`_Shape`) and each request runs them with its own values.
    """
    params: dict[str, Any] = {"n": limit + 1}
    by_published = sort == "published"
    after = PublishedKey.decode(cursor) if cursor and by_published else None
    before = decode_cursor(cursor, fields=("id",))["id"] if cursor and not by_published else None
    if published_from:
        params["published_from"] = as_utc(published_from)
    if published_to:
        params["published_to"] = as_utc(published_to)
    if speaker:
        params["speaker"] = lookup.entity_ids(session=session, kind="person", value=speaker)
        if not params["speaker"]:
            return _EMPTY
    if speaker_country:
        params["speaker_country"] = lookup.country_code(session=session, value=speaker_country)
        if params["speaker_country"] is None:
            return _EMPTY
    if speaker_organisation:
        params["speaker_organisation"] = lookup.entity_ids(
            session=session, kind="organisation", value=speaker_organisation
        )
        if not params["speaker_organisation"]:
            return _EMPTY
    if country:
        params["country"] = lookup.country_code(session=session, value=country)
        if params["country"] is None:
            return _EMPTY
    if kind:
        params["kind"] = kind
    # In publication order the text is a condition: the FTS walk goes by id.
    walked = bool(q) and search.walkable(session) and not by_published
    if q:
        terms = search.match_params("quote", q)
        if terms is None:
            return _EMPTY  # nothing to search for: nothing matches
        params |= terms
    dated = bool(published_from), bool(published_to)
    # Up to WINDOW_ARTICLES articles in the date window: the page starts from the window (the
    # published_at index) and sorts its quotes, rather than walk every quote newest first, which
    # would take longer the older the window and the bigger the archive.
    windowed = (
        not by_published
        and any(dated)
        and (
            session.connection()
            .execute(_window_probe(*dated), {**params, "window_articles": WINDOW_ARTICLES})
            .first()
            is None
        )
    )
    shape = _Shape(
        dialect=session.get_bind().dialect.name,
        published_from=dated[0],
        published_to=dated[1],
        windowed=windowed,
        paged=before is not None and not walked,
        filters=tuple(f for f in _FILTERS if f in params),
        text="walked" if walked else _text_condition(session, q, by_published=by_published) if q else None,
    )
    if by_published:
        return _published_listing(session, shape, params, after=after, limit=limit)
    if walked:
        # On SQLite the text index is walked newest first, checked against the other filters.
        ids = _text_page(session, shape, params, q or "", before=before, want=limit + 1)
        rows = session.connection().execute(_listed(), {"ids": ids}).all()
    else:
        if before is not None:
            params["before"] = before
        rows = session.connection().execute(_page(shape), params).all()
    page = rows[:limit]
    next_cursor = encode_cursor({"id": page[-1][0]}) if len(rows) > limit else None
    return Listing(_public(session, page), next_cursor)


def _published_listing(
    session: Session, shape: _Shape, params: dict[str, Any], *, after: PublishedKey | None, limit: int
) -> Listing:
    """A page in publication order: the quotes of dated articles after `after` (their article's
    publication time, then quote id, descending), then those of undated articles by id; each
    part one statement reading from where the cursor points."""
    rows: list[Any] = []
    if after is None or after.published_at is not None:
        if after is not None:
            params |= {"after_published": after.published_at, "before": after.id}
        part = replace(shape, part="dated", paged=after is not None)
        rows = list(session.connection().execute(_page(part), params).all())
    # An undated article is in no date window.
    if len(rows) <= limit and not (shape.published_from or shape.published_to):
        paged = after is not None and after.published_at is None
        if paged and after is not None:
            params["before"] = after.id
        params["n"] = limit + 1 - len(rows)
        part = replace(shape, part="undated", paged=paged)
        rows += session.connection().execute(_page(part), params).all()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = PublishedKey(page[-1][10], page[-1][0]).cursor()
    return Listing(_public(session, page), next_cursor)


def _text_condition(session: Session, q: str, *, by_published: bool) -> str:
    """How the text filters a page it does not drive: a condition ("matched"); in publication
    order on SQLite, when its matches are more than TEXT_LISTED, probed per quote walked
    ("probed"); on Postgres, when they are at most FEW_MATCHES, listed first ("listed")."""
    dialect = session.get_bind().dialect.name
    if by_published and dialect == "sqlite":
        if search.count_upto(session, "quote", q, TEXT_LISTED + 1) > TEXT_LISTED:
            return "probed"
    if dialect == "postgresql" and search.count_upto(session, "quote", q, FEW_MATCHES + 1) <= FEW_MATCHES:
        return "listed"
    return "matched"


# The filters that take a value, in the order a shape lists them.
_FILTERS = ("speaker", "speaker_country", "speaker_organisation", "country", "kind")


@dataclass(frozen=True)
class _Shape:
    """Which filters a quote page has: its statements are built once per shape, with the
    filters' values as bind parameters named after them."""

    dialect: str
    published_from: bool
    published_to: bool
    windowed: bool  # the date window's articles start the page
    paged: bool  # a cursor bounds the page (`before`)
    filters: tuple[str, ...]
    # "walked" (SQLite's FTS walk picks the ids), "matched" (a condition), "probed" (a probe per
    # quote, in publication order on SQLite), "listed" (the few matches listed first, on
    # Postgres) or None
    text: str | None
    # In publication order: the quotes of dated articles ("dated") or of undated ones ("undated");
    # None: by id.
    part: str | None = None

    @property
    def order(self) -> Any:
        # In a window, not the primary key's order, so the planner starts from the window.
        return col(Quote.id) + 0 if self.windowed else col(Quote.id)


@cache
def _window_probe(published_from: bool, published_to: bool) -> Any:
    """Whether the date window holds more than WINDOW_ARTICLES articles: a row when it does.
    An index range probe, bounded."""
    window = select(col(Article.id)).where(*published_within(published_from, published_to))
    return window.limit(1).offset(bindparam("window_articles"))


@cache
def _filtered(shape: _Shape) -> Any:
    """The ids of the quotes passing every filter of the shape (not the walked text), unordered."""
    stmt: Any = select(col(Quote.id))
    dates = published_within(shape.published_from, shape.published_to)
    if shape.windowed:
        stmt = stmt.where(col(Quote.article_id).in_(select(col(Article.id)).where(*dates)))
    elif dates or shape.part:
        stmt = stmt.join(Article, col(Article.id) == col(Quote.article_id)).where(*dates)
    published: Any = col(Article.published_at)
    if shape.part == "dated":
        stmt = stmt.where(published.is_not(None))
        if shape.paged:
            cursor_at = bindparam("after_published", type_=published.type)
            stmt = stmt.where(tuple_(published, col(Quote.id)) < tuple_(cursor_at, bindparam("before")))
    elif shape.part == "undated":
        stmt = stmt.where(published.is_(None))
        if shape.paged:
            stmt = stmt.where(col(Quote.id) < bindparam("before"))
    elif shape.paged:
        stmt = stmt.where(shape.order < bindparam("before"))
    for name in shape.filters:
        if name == "speaker":
            stmt = stmt.where(col(Quote.speaker_id).in_(bindparam(name, expanding=True)))
        elif name == "speaker_country":
            stmt = stmt.where(_holds(col(Holder.country_code) == bindparam(name), windowed=shape.windowed))
        elif name == "speaker_organisation":
            held = col(Holder.organisation_id).in_(bindparam(name, expanding=True))
            stmt = stmt.where(_holds(held, windowed=shape.windowed))
        elif name == "country":
            mentioned = col(Mention.country_code) == bindparam(name)
            stmt = stmt.where(exists().where(mentioned, col(Mention.article_id) == col(Quote.article_id)))
        else:
            stmt = stmt.where(col(Quote.kind) == bindparam(name))
    if shape.text == "matched":
        stmt = stmt.where(search.match_clause(shape.dialect, "quote"))
    elif shape.text == "listed":
        stmt = stmt.where(search.match_listed("quote"))
    elif shape.text == "probed":
        stmt = stmt.where(search.match_probe("quote"))
    return stmt


def _reading(ids: Any, *, by_published: bool = False) -> Any:
    """The quotes `ids` lists, newest first (by id, or by their articles' publication time then
    id), with their articles and speakers' names."""
    order = (col(Article.published_at).desc(),) if by_published else ()
    return (
        select(*_QUOTE_COLUMNS, *_ARTICLE_COLUMNS, col(Person.name))
        .join(Article, col(Article.id) == col(Quote.article_id))
        .outerjoin(Person, col(Person.id) == col(Quote.speaker_id))
        .where(col(Quote.id).in_(ids))
        .order_by(*order, col(Quote.id).desc())
    )


@cache
def _page(shape: _Shape) -> Any:
    """A page of the shape: its `n` quote ids as a subquery of the statement that reads them
    with their articles and speakers' names (the speakers' positions come in one more)."""
    if shape.part == "dated":
        order: tuple[Any, ...] = (col(Article.published_at).desc(), col(Quote.id).desc())
    else:
        order = (shape.order.desc(),)
    ids = _filtered(shape).order_by(*order).limit(bindparam("n"))
    return _reading(ids, by_published=shape.part == "dated")


@cache
def _listed() -> Any:
    """The quotes of a list of ids (`ids`), read as `_page` reads them."""
    return _reading(bindparam("ids", expanding=True))


_QUOTE_COLUMNS = (
    col(Quote.id),
    col(Quote.kind),
    col(Quote.text),
    col(Quote.cue),
    col(Quote.start),
    col(Quote.end),
    col(Quote.speaker_id),
)
_ARTICLE_COLUMNS = (col(Article.id), col(Article.title), col(Article.url), utc_column(Article.published_at))


def _text_page(
    session: Session, shape: _Shape, params: dict[str, Any], q: str, *, before: int | None, want: int
) -> list[int]:
    """Ids of up to `want` quotes below `before`, newest first, that pass the shape's other
    filters (with `params`) and whose text matches `q`, on SQLite.

    Listing every match of a common word before the newest page is picked costs the archive.
    So the FTS index is walked newest first in growing batches and each batch is checked
    against the other filters; unless a date window's few articles, or a speaker quoted less
    often than the text matches, are the smaller start: then their quotes are walked instead
    and the text is matched only within the id ranges each batch spans.
    """
    by_text = not shape.windowed
    if by_text:
        fewest = _speakers_quotes(session, params)
        if fewest is not None:
            by_text = search.count_upto(session, "quote", q, fewest + 1) <= fewest
    ids_of = _filtered(shape)
    order = shape.order

    def walk(upper: int | None, n: int) -> list[int]:
        if by_text:
            return search.newest(session, "quote", q, before=upper, limit=n)
        walked = ids_of if upper is None else ids_of.where(order < upper)
        return list(session.execute(walked.order_by(order.desc()).limit(n), params).scalars())

    def keep(candidates: list[int]) -> set[int]:
        if by_text:
            passing = ids_of.where(col(Quote.id).in_(candidates))
        else:
            ranges = search.id_ranges(candidates)
            passing = select(col(Quote.id)).where(
                col(Quote.id).in_(candidates), search.matches(session, "quote", q, ranges=ranges)
            )
        return set(session.execute(passing, params).scalars())

    return driven_ids(walk, keep, before=before, want=want, first_batch=FIRST_BATCH, max_batch=MAX_BATCH)


def _speakers_quotes(session: Session, params: dict[str, Any]) -> int | None:
    """How many quotes the speaker filters leave at most (None: no speaker filter), for choosing
    whether they or the text start a page: the speaker's quotes counted up to SELECTIVITY_PROBE,
    and for the speaker's country or organisation the quotes of the people holding a position
    there, which their holder rows carry (app/services/counters.py): one indexed sum.

    (A rare country's speakers have a few dozen quotes; walking a common word's matches newest
    first until enough of them turned up read most of the text index: 3 s at 100k articles.)
    """
    found: list[int] = []
    if params.get("speaker"):
        quoted = select(col(Quote.id)).where(col(Quote.speaker_id).in_(params["speaker"]))
        capped = quoted.limit(SELECTIVITY_PROBE).subquery()
        found.append(session.execute(select(func.count()).select_from(capped)).scalar_one())
    for name, place in (("speaker_country", col(Holder.country_code)), ("speaker_organisation", None)):
        if name not in params:
            continue
        where = place == params[name] if place is not None else col(Holder.organisation_id).in_(params[name])
        quotes = session.execute(select(func.coalesce(func.sum(col(Holder.quotes)), 0)).where(where))
        found.append(int(quotes.scalar_one()))
    return min(found) if found else None


def _holds(where: ColumnElement[bool], *, windowed: bool) -> ColumnElement[bool]:
    """The quote's speaker holds a position matching `where`.

    Within a date window the candidate quotes are few, so each probes the (person, country or
    organisation) index; otherwise the holders are listed once, however many quotes are walked
    to fill the page. The holders are read from `holder`, one row per person and place, kept
    in step with the positions (app/services/counters.py): its statistics tell Postgres how
    many people a place has, where those of `position` (a row per statement) led it to walk
    every quote newest first for a country of seven speakers (2 to 3.5 s at 100k articles).
    """
    if windowed:
        return exists().where(where, col(Holder.person_id) == col(Quote.speaker_id))
    return col(Quote.speaker_id).in_(select(col(Holder.person_id)).where(where))


def _public(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """QuotePublic fields from rows of (_QUOTE_COLUMNS, _ARTICLE_COLUMNS, the speaker's name)."""
    positions = speaker_positions(session, {row[6] for row in rows if row[6] is not None})
    return [
        {
            "id": quote_id,
            "kind": kind,
            "text": text,
            "cue": cue,
            "start": start,
            "end": end,
            "speaker": (
                {"id": speaker_id, "name": speaker, "positions": positions.get(speaker_id, [])}
                if speaker_id is not None
                else None
            ),
            "article": {"id": article_id, "title": title, "url": url, "published_at": dated},
        }
        for quote_id, kind, text, cue, start, end, speaker_id, article_id, title, url, dated, speaker in rows
    ]


def speaker_positions(session: Session, person_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """Each person's distinct positions (PositionBrief fields), stated by the most articles first:
    one statement.

    They come from the office summary, which keeps each office's article count: counting the
    speaker's position rows instead would cost more the more often they are quoted.
    """
    if not person_ids:
        return {}
    positions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[int, str, str | None, str | None]] = set()
    for person_id, title, organisation, code in session.connection().execute(
        _held(), {"people": list(person_ids)}
    ):
        if (person_id, title, organisation, code) not in seen:  # two organisations may share a name
            seen.add((person_id, title, organisation, code))
            positions[person_id].append({"title": title, "organisation": organisation, "country": code})
    return positions


@cache
def _held() -> Any:
    """The offices of a list of people (`people`), with their organisations' names."""
    return (
        select(col(Office.person_id), col(Office.title), col(Organisation.name), col(Office.country_code))
        .outerjoin(Organisation, col(Organisation.id) == col(Office.organisation_id))
        .where(col(Office.person_id).in_(bindparam("people", expanding=True)))
        .order_by(col(Office.person_id), col(Office.article_count).desc(), col(Office.title))
    )
