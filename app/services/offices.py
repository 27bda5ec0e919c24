"""The `office` summary: one row per (person, title, organisation, country) with when it was first
and last seen and how many articles state it, kept in step with the position rows it summarises.

Every writer of position rows calls these in its own transaction, so the summary and the records
land (or roll back) together:

* `remember_records(session, article_id)` after an article's positions are inserted;
* `forget_records(session, article_id)` before an article's positions are deleted.

Re-extraction is forget, delete the old records, store the new, remember.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.models import Article, Position
from app.models.common import as_utc
from app.models.records import Office, office_key

_SYNONYMS = Path(__file__).resolve().parents[1] / "data" / "office_title_synonyms.txt"


@cache
def _synonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    canonical: dict[str, str] = {}
    for line in _SYNONYMS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "=" not in line:
            continue
        name, _, forms = line.partition("=")
        for form in forms.split("|"):
            if form.strip():
                canonical[form.strip().casefold()] = name.strip()
    phrases = sorted(canonical, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])")
    return pattern, canonical


def canonical_title(title: str) -> str:
    """One spelling per office: "spokesman", "spokeswoman" -> "spokesperson"; "CEO", "chief
    executive officer" -> "chief executive"; "PM" -> "prime minister" (app/data/office_title_synonyms.txt)."""
    pattern, canonical = _synonym_pattern()
    lowered = " ".join(title.casefold().split())
    return pattern.sub(lambda m: canonical[m.group(1)], lowered)[:200]


def stated_titles(session: Session, person_id: int, title: str) -> list[str]:
    """The titles a person's position rows use for this (canonical) office title."""
    rows = session.execute(
        select(col(Position.title)).where(col(Position.person_id) == person_id).distinct()
    ).scalars()
    return sorted({t for t in rows if canonical_title(t) == title} | {title})


@dataclass
class _Stated:
    """What one article says about one office: whether it states it as held, as former, or both."""

    person_id: int
    title: str
    organisation_id: int | None
    country_code: str | None
    present: bool = False
    former: bool = False


def _stated(session: Session, article_id: int) -> dict[str, _Stated]:
    """The offices an article's stored positions state, by office key."""
    out: dict[str, _Stated] = {}
    for pid, title, oid, code, former in session.execute(
        select(
            col(Position.person_id),
            col(Position.title),
            col(Position.organisation_id),
            col(Position.country_code),
            col(Position.former),
        ).where(col(Position.article_id) == article_id)
    ):
        title = canonical_title(title)
        s = out.setdefault(office_key(pid, title, oid, code), _Stated(pid, title, oid, code))
        if former:
            s.former = True
        else:
            s.present = True
    return out


def _seen_at(session: Session, article_id: int) -> datetime:
    published, created = session.execute(
        select(col(Article.published_at), col(Article.created_at)).where(col(Article.id) == article_id)
    ).one()
    seen = as_utc(published or created)
    assert seen is not None
    return seen


def _least(dialect: str, a: Any, b: Any) -> Any:
    # Either side may be null (no statement of that kind yet); the other one wins then.
    first, second = func.coalesce(a, b), func.coalesce(b, a)
    return func.least(first, second) if dialect == "postgresql" else func.min(first, second)


def _greatest(dialect: str, a: Any, b: Any) -> Any:
    first, second = func.coalesce(a, b), func.coalesce(b, a)
    return func.greatest(first, second) if dialect == "postgresql" else func.max(first, second)


def remember_records(session: Session, article_id: int) -> None:
    """Add an article's stored positions to the office summary (call after inserting them).

    One INSERT ... ON CONFLICT (key) DO UPDATE with min/max/+1, rows in key order: safe
    beside concurrent writers on Postgres (row locks taken in one order) and on SQLite.
    """
    stated = _stated(session, article_id)
    if not stated:
        return
    at = _seen_at(session, article_id)
    rows = []
    for key in sorted(stated):
        s = stated[key]
        rows.append(
            {
                "key": key,
                "person_id": s.person_id,
                "title": s.title,
                "organisation_id": s.organisation_id,
                "country_code": s.country_code,
                "first_seen": at,
                "last_seen": at,
                "article_count": 1,
                "present_first_seen": at if s.present else None,
                "present_last_seen": at if s.present else None,
                "present_count": int(s.present),
                "former_first_seen": at if s.former else None,
                "former_last_seen": at if s.former else None,
                "former_count": int(s.former),
            }
        )
    dialect = session.get_bind().dialect.name
    table: Any = Office.__table__  # type: ignore[attr-defined]
    stmt: Any = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(rows)
    new, old = stmt.excluded, table.c
    set_: dict[str, Any] = {"article_count": old.article_count + new.article_count}
    for prefix in ("", "present_", "former_"):
        first, last = f"{prefix}first_seen", f"{prefix}last_seen"
        set_[first] = _least(dialect, old[first], new[first])
        set_[last] = _greatest(dialect, old[last], new[last])
    set_["present_count"] = old.present_count + new.present_count
    set_["former_count"] = old.former_count + new.former_count
    session.execute(stmt.on_conflict_do_update(index_elements=[old.key], set_=set_))


def forget_records(session: Session, article_id: int) -> None:
    """Take an article's stored positions out of the office summary (call before deleting them).

    Counts go down by one; a first or last seen time is recomputed from the office's other
    statements only when this article was that boundary. The office rows are locked first
    (FOR UPDATE, in key order), so the recount sees every concurrent writer's committed rows.
    """
    stated = _stated(session, article_id)
    if not stated:
        return
    at = _seen_at(session, article_id)
    table: Any = Office.__table__  # type: ignore[attr-defined]
    offices = session.execute(
        select(table).where(table.c.key.in_(sorted(stated))).order_by(table.c.key).with_for_update()
    ).all()
    for office in offices:
        s = stated[office.key]
        if office.article_count <= 1:
            session.execute(delete(Office).where(col(Office.id) == office.id))
            continue
        values: dict[str, Any] = {"article_count": office.article_count - 1}
        for prefix, stated_here in (("present_", s.present), ("former_", s.former)):
            if stated_here:
                values.update(_without(session, office, prefix, article_id, at))
        values.update(_without(session, office, "", article_id, at))
        session.execute(update(Office).where(col(Office.id) == office.id).values(**values))


def _without(session: Session, office: Any, prefix: str, article_id: int, at: datetime) -> dict[str, Any]:
    """The `prefix` columns of an office once the article seen at `at` no longer states it."""
    first = as_utc(getattr(office, f"{prefix}first_seen"))
    last = as_utc(getattr(office, f"{prefix}last_seen"))
    out: dict[str, Any] = {}
    if prefix:
        count = getattr(office, f"{prefix}count") - 1
        out[f"{prefix}count"] = count
        if count <= 0:
            return {**out, f"{prefix}first_seen": None, f"{prefix}last_seen": None}
    if first is not None and last is not None and first < at < last:
        return out  # an inner statement: the span stays
    clauses: list[ColumnElement[bool]] = [
        col(Position.person_id) == office.person_id,
        col(Position.title).in_(stated_titles(session, office.person_id, office.title)),
        col(Position.organisation_id).is_(None)
        if office.organisation_id is None
        else col(Position.organisation_id) == office.organisation_id,
        col(Position.country_code).is_(None)
        if office.country_code is None
        else col(Position.country_code) == office.country_code,
        col(Position.article_id) != article_id,
    ]
    if prefix:
        clauses.append(col(Position.former) == (prefix == "former_"))
    published, created = col(Article.published_at), col(Article.created_at)
    lo, hi = session.execute(
        select(func.min(func.coalesce(published, created)), func.max(func.coalesce(published, created)))
        .select_from(Position)
        .join(Article, col(Article.id) == col(Position.article_id))
        .where(*clauses)
    ).one()
    out[f"{prefix}first_seen"], out[f"{prefix}last_seen"] = lo, hi
    return out


# The whole summary recomputed from the position rows: for loaders that write records without
# going through ingest (bench/corpus.py) and for repairs. Migration 0006 holds a frozen copy.
_REBUILD = """
INSERT INTO office (key, person_id, title, organisation_id, country_code, first_seen, last_seen,
    article_count, present_first_seen, present_last_seen, present_count,
    former_first_seen, former_last_seen, former_count)
SELECT CAST(p.person_id AS TEXT) || ':' || COALESCE(CAST(p.organisation_id AS TEXT), '') || ':'
        || COALESCE(p.country_code, '') || ':' || p.title,
    p.person_id, p.title, p.organisation_id, p.country_code,
    MIN(COALESCE(a.published_at, a.created_at)), MAX(COALESCE(a.published_at, a.created_at)),
    COUNT(DISTINCT p.article_id),
    MIN(CASE WHEN p.former THEN NULL ELSE COALESCE(a.published_at, a.created_at) END),
    MAX(CASE WHEN p.former THEN NULL ELSE COALESCE(a.published_at, a.created_at) END),
    COUNT(DISTINCT CASE WHEN p.former THEN NULL ELSE p.article_id END),
    MIN(CASE WHEN p.former THEN COALESCE(a.published_at, a.created_at) END),
    MAX(CASE WHEN p.former THEN COALESCE(a.published_at, a.created_at) END),
    COUNT(DISTINCT CASE WHEN p.former THEN p.article_id END)
FROM position AS p JOIN article AS a ON a.id = p.article_id
GROUP BY p.person_id, p.title, p.organisation_id, p.country_code
"""


def rebuild(connection: Connection) -> None:
    """Recompute every office row from the position rows, in the caller's transaction: grouped by
    canonical title, which SQL cannot compute, so the grouping by title happens here."""
    connection.execute(delete(Office))
    connection.execute(text(_REBUILD))
    rows = connection.execute(select(Office.__table__)).mappings().all()  # type: ignore[attr-defined]
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[
            office_key(
                row["person_id"], canonical_title(row["title"]), row["organisation_id"], row["country_code"]
            )
        ].append(row)
    for key, members in groups.items():
        if len(members) == 1 and members[0]["key"] == key:
            continue
        connection.execute(delete(Office).where(col(Office.id).in_([m["id"] for m in members])))
        first = members[0]
        title = canonical_title(first["title"])
        person, org, code = first["person_id"], first["organisation_id"], first["country_code"]
        titles = sorted({m["title"] for m in members})
        values: dict[str, Any] = {
            "key": key,
            "person_id": person,
            "title": title,
            "organisation_id": org,
            "country_code": code,
        }
        at = func.coalesce(col(Article.published_at), col(Article.created_at))
        base = [
            col(Position.person_id) == person,
            col(Position.title).in_(titles),
            col(Position.organisation_id).is_(None) if org is None else col(Position.organisation_id) == org,
            col(Position.country_code).is_(None) if code is None else col(Position.country_code) == code,
        ]
        for prefix, extra in (
            ("", []),
            ("present_", [col(Position.former).is_(False)]),
            ("former_", [col(Position.former).is_(True)]),
        ):
            lo, hi, n = connection.execute(
                select(func.min(at), func.max(at), func.count(func.distinct(col(Position.article_id))))
                .select_from(Position)
                .join(Article, col(Article.id) == col(Position.article_id))
                .where(*base, *extra)
            ).one()
            values[f"{prefix}first_seen"], values[f"{prefix}last_seen"] = lo, hi
            values["article_count" if not prefix else f"{prefix}count"] = int(n)
        connection.execute(Office.__table__.insert().values(**values))  # type: ignore[attr-defined]
