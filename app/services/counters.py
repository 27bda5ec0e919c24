"""Maintained counters: `entity_stats` (each person's, organisation's and country's all-time counts)
and `holder` (each person holding positions at an organisation or in a country), kept in step with
the mention, position and quote rows they count, so entity pages read them instead of counting.

Every writer of records calls these in its own transaction, beside the office summary, so the
counters and the records land (or roll back) together:

* `remember_records(session, article_id)` after an article's records are inserted;
* `forget_records(session, article_id)` before an article's records are deleted.

Re-extraction is forget, delete the old records, store the new, remember. An article adds 1 to
each distinct-article count of every entity its records refer to, and its number of rows to the
row counts, so taking it out again is exact.

Concurrent writers (Postgres): every change is an INSERT ... ON CONFLICT DO UPDATE SET n = n +
excluded.n, which is atomic; rows are taken in one global order (people by id, organisations by
id, countries by code, then holder rows by (person, place)), so two writers cannot wait on each
other in a cycle. A holder row is only changed by a transaction that has already locked its
person's entity_stats row, which is what keeps the quote count copied into it exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from sqlalchemy import Connection, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.models import Mention, Position, Quote
from app.models.records import EntityStats, Holder

EntityColumn = Literal["person_id", "organisation_id", "country_code"]
PlaceColumn = Literal["organisation_id", "country_code"]
ENTITY_COLUMNS: tuple[EntityColumn, ...] = ("person_id", "organisation_id", "country_code")
PLACE_COLUMNS: tuple[PlaceColumn, ...] = ("organisation_id", "country_code")
COUNTS = ("mentions", "mention_articles", "quotes", "articles")


@dataclass
class _Counts:
    """One article's part of one entity's counters."""

    mentions: int = 0
    mention_articles: int = 0
    quotes: int = 0
    articles: int = 0


@dataclass
class _Article:
    """Everything one article's stored records add to the counters."""

    entities: dict[EntityColumn, dict[Any, _Counts]] = field(
        default_factory=lambda: {c: defaultdict(_Counts) for c in ENTITY_COLUMNS}
    )
    # (person, organisation) and (person, country) pairs its positions state: 1 article each.
    holders: dict[PlaceColumn, set[tuple[int, Any]]] = field(
        default_factory=lambda: {c: set() for c in PLACE_COLUMNS}
    )


def _article(session: Session, article_id: int) -> _Article:
    """What an article's stored mentions, positions and quotes count for, read by article id."""
    out = _Article()
    people, orgs, countries = (out.entities[c] for c in ENTITY_COLUMNS)
    for pid, oid, code, n in session.execute(
        select(col(Mention.person_id), col(Mention.organisation_id), col(Mention.country_code), func.count())
        .where(col(Mention.article_id) == article_id)
        .group_by(col(Mention.person_id), col(Mention.organisation_id), col(Mention.country_code))
    ):
        for counts, key in ((people, pid), (orgs, oid), (countries, code)):
            if key is not None:
                c = counts[key]
                c.mentions += int(n)
                c.mention_articles = c.articles = 1
    for pid, oid, code in session.execute(
        select(col(Position.person_id), col(Position.organisation_id), col(Position.country_code))
        .where(col(Position.article_id) == article_id)
        .distinct()
    ):
        people[pid].articles = 1
        if oid is not None:
            orgs[oid].articles = 1
            out.holders["organisation_id"].add((pid, oid))
        if code is not None:
            countries[code].articles = 1
            out.holders["country_code"].add((pid, code))
    for pid, n in session.execute(
        select(col(Quote.speaker_id), func.count())
        .where(col(Quote.article_id) == article_id, col(Quote.speaker_id).is_not(None))
        .group_by(col(Quote.speaker_id))
    ):
        people[pid].quotes += int(n)
        people[pid].articles = 1
    return out


def _insert(session: Session, table: Any) -> Any:
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)


def _apply(session: Session, article: _Article, sign: int) -> None:
    """Add (sign 1) or take out (sign -1) an article's part, rows in the one global order."""
    stats: Any = EntityStats.__table__  # type: ignore[attr-defined]
    holders: Any = Holder.__table__  # type: ignore[attr-defined]
    for column in ENTITY_COLUMNS:
        counts = article.entities[column]
        if not counts:
            continue
        rows = [
            {column: key, **{name: sign * getattr(counts[key], name) for name in COUNTS}}
            for key in sorted(counts)
        ]
        stmt = _insert(session, stats).values(rows)
        set_ = {name: stats.c[name] + stmt.excluded[name] for name in COUNTS}
        session.execute(stmt.on_conflict_do_update(index_elements=[stats.c[column]], set_=set_))
    for column in PLACE_COLUMNS:
        pairs = article.holders[column]
        if not pairs:
            continue
        rows = [
            {"person_id": pid, column: place, "articles": sign, "quotes": 0} for pid, place in sorted(pairs)
        ]
        stmt = _insert(session, holders).values(rows)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[holders.c.person_id, holders.c[column]],
                set_={"articles": holders.c.articles + stmt.excluded.articles},
            )
        )
    people = sorted(article.entities["person_id"])
    if sign < 0:
        # Nothing refers to these any more: the rows go, as a recount would not have them.
        holder_people = sorted({pid for pairs in article.holders.values() for pid, _ in pairs})
        if holder_people:
            session.execute(
                delete(Holder).where(col(Holder.person_id).in_(holder_people), col(Holder.articles) <= 0)
            )
        for column in ENTITY_COLUMNS:
            keys = sorted(article.entities[column])
            if keys:
                session.execute(
                    delete(EntityStats).where(
                        getattr(EntityStats, column).in_(keys), col(EntityStats.articles) <= 0
                    )
                )
    # A new holder row, or a person whose quote count moved: copy the count into their holder rows.
    if people:
        current = (
            select(col(EntityStats.quotes))
            .where(col(EntityStats.person_id) == col(Holder.person_id))
            .scalar_subquery()
        )
        quotes = func.coalesce(current, 0)
        session.execute(
            update(Holder)
            .where(col(Holder.person_id).in_(people), col(Holder.quotes) != quotes)
            .values(quotes=quotes)
        )


def remember_records(session: Session, article_id: int) -> None:
    """Count an article's stored records into the counters (call after inserting them)."""
    _apply(session, _article(session, article_id), 1)


def forget_records(session: Session, article_id: int) -> None:
    """Take an article's stored records out of the counters (call before deleting them)."""
    _apply(session, _article(session, article_id), -1)


# --- Reading -------------------------------------------------------------------------------------


def entity_counts(session: Session, column: EntityColumn, key: object) -> EntityStats:
    """An entity's counters; all zero when no record refers to it."""
    row = session.connection().execute(_counts_of(column), {"key": key}).one_or_none()
    mentions, mention_articles, quotes, articles = row if row is not None else (0, 0, 0, 0)
    return EntityStats(mentions=mentions, mention_articles=mention_articles, quotes=quotes, articles=articles)


@cache
def _counts_of(column: EntityColumn) -> Any:
    """An entity's counters, by its key (`key`): built once per kind of entity."""
    counted = (EntityStats.mentions, EntityStats.mention_articles, EntityStats.quotes, EntityStats.articles)
    return select(*(col(c) for c in counted)).where(getattr(EntityStats, column) == bindparam("key"))


# --- Rebuilding ----------------------------------------------------------------------------------

# The counters recomputed from the records: for loaders that write records without going through
# ingest (bench/corpus.py) and for repairs. Migration 0007 holds a frozen copy.
_REFS = {
    "person_id": """
        SELECT person_id AS k, article_id, 1 AS m, 0 AS q FROM mention WHERE person_id IS NOT NULL
        UNION ALL SELECT person_id, article_id, 0, 0 FROM position
        UNION ALL SELECT speaker_id, article_id, 0, 1 FROM quote WHERE speaker_id IS NOT NULL""",
    "organisation_id": """
        SELECT organisation_id AS k, article_id, 1 AS m, 0 AS q FROM mention
            WHERE organisation_id IS NOT NULL
        UNION ALL SELECT organisation_id, article_id, 0, 0 FROM position WHERE organisation_id IS NOT NULL""",
    "country_code": """
        SELECT country_code AS k, article_id, 1 AS m, 0 AS q FROM mention WHERE country_code IS NOT NULL
        UNION ALL SELECT country_code, article_id, 0, 0 FROM position WHERE country_code IS NOT NULL""",
}
_REBUILD_STATS = """
INSERT INTO entity_stats ({column}, mentions, mention_articles, quotes, articles)
SELECT k, SUM(m), COUNT(DISTINCT CASE WHEN m = 1 THEN article_id END), SUM(q), COUNT(DISTINCT article_id)
FROM ({refs}) AS refs GROUP BY k
"""
_REBUILD_HOLDERS = """
INSERT INTO holder (person_id, {column}, articles, quotes)
SELECT p.person_id, p.{column}, COUNT(DISTINCT p.article_id), COALESCE(MAX(e.quotes), 0)
FROM position AS p LEFT JOIN entity_stats AS e ON e.person_id = p.person_id
WHERE p.{column} IS NOT NULL
GROUP BY p.person_id, p.{column}
"""


def rebuild(connection: Connection) -> None:
    """Recompute every counter row from the records, in the caller's transaction."""
    connection.execute(delete(Holder))
    connection.execute(delete(EntityStats))
    for column, refs in _REFS.items():
        connection.execute(text(_REBUILD_STATS.format(column=column, refs=refs)))
    for column in PLACE_COLUMNS:
        connection.execute(text(_REBUILD_HOLDERS.format(column=column)))
