"""Quotes across all articles: filtered, newest first, each with its speaker and article.

A page is fetched by keyset on the quote id; the speakers, their positions and the
articles of that page are then loaded in one query each, never one per quote.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlmodel import Session, col

from app.models import Article, Mention, Organisation, Person, Position, Quote
from app.models.common import as_utc
from app.models.queries import ArticleRef, PositionBrief, QuoteKind, QuotePage, QuotePublic, SpeakerRef
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
    rows = list(session.execute(stmt.order_by(order.desc()).limit(limit + 1)).scalars())
    page = rows[:limit]
    items = _public(session, page)
    next_cursor = encode_cursor({"id": page[-1].id}) if len(rows) > limit else None
    return QuotePage(items=items, next_cursor=next_cursor)


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


def _public(session: Session, quotes: list[Quote]) -> list[QuotePublic]:
    speaker_ids = {q.speaker_id for q in quotes if q.speaker_id is not None}
    article_ids = {q.article_id for q in quotes}
    speakers = speaker_refs(session, speaker_ids)
    articles = {
        a.id: ArticleRef.model_validate(a._asdict())
        for a in session.execute(
            select(col(Article.id), col(Article.title), col(Article.url), col(Article.published_at)).where(
                col(Article.id).in_(article_ids)
            )
        )
    }
    return [
        QuotePublic(
            id=q.id or 0,
            kind=q.kind,  # type: ignore[arg-type]  # the table's check constraint keeps it a QuoteKind
            text=q.text,
            cue=q.cue,
            start=q.start,
            end=q.end,
            speaker=speakers.get(q.speaker_id) if q.speaker_id is not None else None,
            article=articles[q.article_id],
        )
        for q in quotes
    ]


def speaker_refs(session: Session, person_ids: set[int]) -> dict[int, SpeakerRef]:
    """People with every distinct position stored for them, stated by the most articles first."""
    if not person_ids:
        return {}
    names = dict(
        session.execute(select(col(Person.id), col(Person.name)).where(col(Person.id).in_(person_ids))).all()
    )
    # From the office summary, which keeps each office's article count: counting the speaker's
    # position rows instead would cost more the more often they are quoted.
    held = session.execute(
        select(
            col(Office.person_id),
            col(Office.title),
            col(Office.organisation_id),
            col(Office.country_code),
            col(Office.article_count),
        )
        .where(col(Office.person_id).in_(person_ids))
        .order_by(col(Office.person_id), col(Office.article_count).desc(), col(Office.title))
    ).all()
    org_ids = {row[2] for row in held if row[2] is not None}
    orgs = (
        dict(
            session.execute(
                select(col(Organisation.id), col(Organisation.name)).where(col(Organisation.id).in_(org_ids))
            ).all()
        )
        if org_ids
        else {}
    )
    positions: dict[int, list[PositionBrief]] = defaultdict(list)
    for person_id, title, org_id, code, _ in held:
        brief = PositionBrief(title=title, organisation=orgs.get(org_id), country=code)
        if brief not in positions[person_id]:  # two organisations may share a name
            positions[person_id].append(brief)
    return {pid: SpeakerRef(id=pid, name=name, positions=positions[pid]) for pid, name in names.items()}
