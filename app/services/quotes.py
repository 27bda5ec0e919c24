"""Quotes across all articles: filtered, newest first, each with its speaker and article.

A page is fetched by keyset on the quote id, in one statement with its articles and its
speakers' names; the speakers' positions come in one more, never one query per quote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlmodel import Session, col

from app.models import Article, Mention, Organisation, Person, Position, Quote
from app.models.common import as_utc
from app.models.queries import PositionBrief, QuoteKind, QuotePage
from app.models.records import Office
from app.services import lookup, search
from app.services.pagination import decode_cursor, driven_ids, encode_cursor

_EMPTY = QuotePage(items=[], next_cursor=None)
# Up to this many articles in a date window, a page starts from the window rather than the newest quote.
WINDOW_ARTICLES = 5000
# A speaker's quotes are counted up to this many, to tell whether they or the text are fewer.
SELECTIVITY_PROBE = 10_000
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
) -> QuotePage:
    """Quotes newest first (by id); unknown filter values give an empty page."""
    stmt: Any = select(Quote)
    order: Any = col(Quote.id)
    windowed = False
    dated = []
    if published_from:
        dated.append(col(Article.published_at) >= as_utc(published_from))
    if published_to:
        dated.append(col(Article.published_at) <= as_utc(published_to))
    if dated:
        window = select(col(Article.id)).where(*dated)
        if _few(session, window):
            # Start from the window's articles (published_at index) and sort their quotes: walking
            # every quote newest first would take longer the older the window and the bigger the archive.
            stmt = stmt.where(col(Quote.article_id).in_(window))
            order = col(Quote.id) + 0  # not the primary key's order, so the planner starts from the window
            windowed = True
        else:
            stmt = stmt.join(Article, col(Article.id) == col(Quote.article_id)).where(*dated)
    before = decode_cursor(cursor, fields=("id",))["id"] if cursor else None
    if before is not None:
        stmt = stmt.where(order < before)
    speaker_ids: list[int] = []
    if speaker:
        speaker_ids = lookup.entity_ids(session=session, kind="person", value=speaker)
        if not speaker_ids:
            return _EMPTY
        stmt = stmt.where(col(Quote.speaker_id).in_(speaker_ids))
    if speaker_country:
        code = lookup.country_code(session=session, value=speaker_country)
        if code is None:
            return _EMPTY
        stmt = stmt.where(_holds(col(Position.country_code) == code, windowed=windowed))
    if speaker_organisation:
        org_ids = lookup.entity_ids(session=session, kind="organisation", value=speaker_organisation)
        if not org_ids:
            return _EMPTY
        stmt = stmt.where(_holds(col(Position.organisation_id).in_(org_ids), windowed=windowed))
    if country:
        code = lookup.country_code(session=session, value=country)
        if code is None:
            return _EMPTY
        stmt = stmt.where(
            exists().where(
                col(Mention.country_code) == code, col(Mention.article_id) == col(Quote.article_id)
            )
        )
    if kind:
        stmt = stmt.where(col(Quote.kind) == kind)
    if q and search.walkable(session):
        ids = _text_page(session, stmt, order, q, speaker_ids, windowed, before=before, want=limit + 1)
        stmt, order = select(Quote).where(col(Quote.id).in_(ids)), col(Quote.id)
    elif q:
        stmt = stmt.where(search.matches(session, "quote", q))
    # The page's quote ids as a subquery of the statement that reads them with their articles and
    # speakers' names; the speakers' positions come in one more. Two statements a page, whatever its size.
    ids = stmt.with_only_columns(col(Quote.id)).order_by(order.desc()).limit(limit + 1)
    rows = session.execute(
        select(*_QUOTE_COLUMNS, *_ARTICLE_COLUMNS, col(Person.name))
        .join(Article, col(Article.id) == col(Quote.article_id))
        .outerjoin(Person, col(Person.id) == col(Quote.speaker_id))
        .where(col(Quote.id).in_(ids))
        .order_by(col(Quote.id).desc())
    ).all()
    page = rows[:limit]
    next_cursor = encode_cursor({"id": page[-1][0]}) if len(rows) > limit else None
    # One validation of the whole page, of plain dicts: a model per quote, speaker and article
    # would cost a validation call each.
    return QuotePage.model_validate({"items": _public(session, page), "next_cursor": next_cursor})


_QUOTE_COLUMNS = (
    col(Quote.id),
    col(Quote.kind),
    col(Quote.text),
    col(Quote.cue),
    col(Quote.start),
    col(Quote.end),
    col(Quote.speaker_id),
)
_ARTICLE_COLUMNS = (col(Article.id), col(Article.title), col(Article.url), col(Article.published_at))


def _text_page(
    session: Session,
    stmt: Any,
    order: Any,
    q: str,
    speaker_ids: list[int],
    windowed: bool,
    *,
    before: int | None,
    want: int,
) -> list[int]:
    """Ids of up to `want` quotes below `before`, newest first, that `stmt` (every other filter)
    keeps and whose text matches `q`, on SQLite.

    Listing every match of a common word before the newest page is picked costs the archive.
    So the FTS index is walked newest first in growing batches and each batch is checked
    against the other filters; unless a date window's few articles, or a speaker quoted less
    often than the text matches, are the smaller start: then their quotes are walked instead
    and the text is matched only within the id ranges each batch spans.
    """
    by_text = not windowed
    if speaker_ids and by_text:
        quoted = select(col(Quote.id)).where(col(Quote.speaker_id).in_(speaker_ids)).limit(SELECTIVITY_PROBE)
        fewest = session.execute(select(func.count()).select_from(quoted.subquery())).scalar_one()
        by_text = search.count_upto(session, "quote", q, fewest + 1) <= fewest
    ids_of = stmt.with_only_columns(col(Quote.id))

    def walk(upper: int | None, n: int) -> list[int]:
        if by_text:
            return search.newest(session, "quote", q, before=upper, limit=n)
        walked = ids_of if upper is None else ids_of.where(order < upper)
        return list(session.execute(walked.order_by(order.desc()).limit(n)).scalars())

    def keep(candidates: list[int]) -> set[int]:
        if by_text:
            passing = ids_of.where(col(Quote.id).in_(candidates))
        else:
            ranges = search.id_ranges(candidates)
            passing = select(col(Quote.id)).where(
                col(Quote.id).in_(candidates), search.matches(session, "quote", q, ranges=ranges)
            )
        return set(session.execute(passing).scalars())

    return driven_ids(walk, keep, before=before, want=want, first_batch=FIRST_BATCH, max_batch=MAX_BATCH)


def _holds(where: ColumnElement[bool], *, windowed: bool) -> ColumnElement[bool]:
    """The quote's speaker holds a position matching `where`.

    Within a date window the candidate quotes are few, so each probes the (country or
    organisation, person) index; otherwise the holders are listed once, however many
    quotes are walked to fill the page.
    """
    if windowed:
        return exists().where(where, col(Position.person_id) == col(Quote.speaker_id))
    return col(Quote.speaker_id).in_(select(col(Position.person_id)).where(where))


def _few(session: Session, window: Any) -> bool:
    """Whether a date window holds at most WINDOW_ARTICLES articles: an index range probe, bounded."""
    probe = window.order_by(None).limit(1).offset(WINDOW_ARTICLES)
    return session.execute(probe).first() is None


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


def speaker_positions(session: Session, person_ids: set[int]) -> dict[int, list[PositionBrief]]:
    """Each person's distinct positions, stated by the most articles first: one statement.

    They come from the office summary, which keeps each office's article count: counting the
    speaker's position rows instead would cost more the more often they are quoted.
    """
    if not person_ids:
        return {}
    held = session.execute(
        select(col(Office.person_id), col(Office.title), col(Organisation.name), col(Office.country_code))
        .outerjoin(Organisation, col(Organisation.id) == col(Office.organisation_id))
        .where(col(Office.person_id).in_(person_ids))
        .order_by(col(Office.person_id), col(Office.article_count).desc(), col(Office.title))
    ).all()
    positions: dict[int, list[PositionBrief]] = defaultdict(list)
    for person_id, title, organisation, code in held:
        brief = PositionBrief(title=title, organisation=organisation, country=code)
        if brief not in positions[person_id]:  # two organisations may share a name
            positions[person_id].append(brief)
    return positions
