"""Who held which office when: the office summary, one row per (person, title, organisation, country).

Each filter has an index on the summary ending in (last_seen, id), so a page is one range scan
whatever the size of the archive (see app/services/offices.py for how it is kept)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, func, or_, select, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.errors import InvalidInput
from app.models import Organisation, Person
from app.models.common import as_utc, utc_column
from app.models.records import Office
from app.services import lookup, offices
from app.services.pagination import Listing, decode_cursor, encode_cursor

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_WORD = re.compile(r"\w+")
_EMPTY = Listing()


def list_positions(
    *,
    session: Session,
    limit: int,
    cursor: str | None = None,
    title: str | None = None,
    country: str | None = None,
    organisation: str | None = None,
    person: str | None = None,
    as_of: datetime | None = None,
) -> Listing:
    """Position groups, latest seen first; unknown filter values give an empty page.

    `title` keeps titles containing every word given, in any case ("minister"
    finds "foreign minister"; "spokesman" finds the spokesperson office). A group is seen when an
    article stating it was published (or, without a date, stored). `as_of` keeps who held each
    office on that date: stated as held by then, nobody else stated in it since, not yet former.
    """
    params: dict[str, Any] = {"n": limit + 1}
    if title is not None:
        # "spokesman" finds the spokesperson office, "CEO" the chief executive (office summary titles
        # are canonical: app/services/offices.py).
        words = _WORD.findall(offices.canonical_title(title))
        if not words:
            return _EMPTY
        params |= {f"word_{i}": f"%{_escape(w)}%" for i, w in enumerate(words)}
    if country:
        params["country"] = lookup.country_code(session=session, value=country)
        if params["country"] is None:
            return _EMPTY
    if organisation:
        params["organisation"] = lookup.entity_ids(session=session, kind="organisation", value=organisation)
        if not params["organisation"]:
            return _EMPTY
    if person:
        params["person"] = lookup.entity_ids(session=session, kind="person", value=person)
        if not params["person"]:
            return _EMPTY
    if as_of is not None:
        params["as_of"] = as_utc(as_of)
    if cursor:
        key = decode_cursor(cursor, fields=("last_seen", "group"))
        try:
            params["after_seen"] = _EPOCH + key["last_seen"] * _MICROSECOND
        except OverflowError as exc:  # past the year 9999: not a cursor this server made
            raise InvalidInput("cursor is not one this server issued") from exc
        params["after_group"] = key["group"]
    shape = (
        len(words) if title is not None else 0,
        *(name in params for name in ("country", "organisation", "person", "as_of", "after_seen")),
    )
    rows = session.connection().execute(_page(*shape), params).all()
    page = rows[:limit]
    # Plain dicts, as PositionPage's items (see Listing); the timestamps come back aware, in UTC.
    items = [
        {
            "person": {"id": pid, "name": person_name},
            "title": t,
            "organisation": {"id": oid, "name": org_name} if oid is not None else None,
            "country": code,
            "first_seen": first,
            "last_seen": last,
            "article_count": n,
            "former": bool(former),
            "current": bool(current),
        }
        for pid, t, oid, code, first, last, n, _, person_name, org_name, former, current in page
    ]
    next_cursor = None
    if len(rows) > limit:
        last_at = as_utc(page[-1][5])
        assert last_at is not None
        next_cursor = encode_cursor({"last_seen": (last_at - _EPOCH) // _MICROSECOND, "group": page[-1][7]})
    return Listing(items, next_cursor)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _stated_later(office: Any, after: Any, until: Any = None) -> Any:
    """Whether someone else was stated as holding `office`'s office (same title, organisation and
    country; `office` is the table or a subquery's columns) first after `after` (and by `until`).

    Split by which of country and organisation the office has, so that each branch is a range of
    one index, (title, country, first held) or (title, organisation, first held), on both databases.
    """

    def later(place: Any, value: Any, other_place: Any, other_value: Any) -> Any:
        other = aliased(Office)
        clauses = [
            other.title == office.title,
            getattr(other, place) == value,
            other.present_first_seen > after,
            other.person_id != office.person_id,
            or_(
                getattr(other, other_place) == other_value,
                and_(getattr(other, other_place).is_(None), other_value.is_(None)),
            ),
        ]
        if until is not None:
            clauses.append(other.present_first_seen <= until)
        return select(col(other.id)).where(*clauses).exists()

    return case(
        (
            office.country_code.is_not(None),
            later("country_code", office.country_code, "organisation_id", office.organisation_id),
        ),
        (
            office.organisation_id.is_not(None),
            later("organisation_id", office.organisation_id, "country_code", office.country_code),
        ),
        else_=False,
    )


# Bounded: the number of title words is the client's (up to a hundred in 200 characters).
@lru_cache(maxsize=256)
def _page(words: int, country: bool, organisation: bool, person: bool, as_of: bool, paged: bool) -> Any:
    """A page of offices for this shape of filters, with its values as parameters (`word_0`...,
    `country`, `organisation`, `person`, `as_of`, `after_seen` and `after_group`, `n`): built once
    per shape. Each row says whether its latest statement is `former`, and whether it is `current`:
    not former, and nobody else stated in the same office (title, organisation, country) later.

    The page is picked first, then the holders' and organisations' names are joined to its rows
    alone in the same statement: joined before the limit, every office of a busy country would be.
    """
    stmt: Any = select(
        col(Office.person_id),
        col(Office.title),
        col(Office.organisation_id),
        col(Office.country_code),
        col(Office.first_seen),
        col(Office.last_seen),
        col(Office.article_count),
        col(Office.id),
        col(Office.present_first_seen),
        col(Office.present_last_seen),
        col(Office.former_last_seen),
    )
    lowered = func.lower(col(Office.title))
    stmt = stmt.where(*(lowered.like(bindparam(f"word_{i}"), escape="\\") for i in range(words)))
    if country:
        stmt = stmt.where(col(Office.country_code) == bindparam("country"))
    if organisation:
        stmt = stmt.where(col(Office.organisation_id).in_(bindparam("organisation", expanding=True)))
    if person:
        stmt = stmt.where(col(Office.person_id).in_(bindparam("person", expanding=True)))
    if as_of:
        # Held on the date: stated as held by then, nobody else stated in it since, not called
        # former since its last statement as held.
        at: Any = bindparam("as_of", type_=Office.__table__.c.last_seen.type)  # type: ignore[attr-defined]
        stmt = stmt.where(
            col(Office.present_first_seen) <= at,
            ~_stated_later(Office, col(Office.present_first_seen), at),
            or_(
                col(Office.former_first_seen).is_(None),
                col(Office.former_first_seen) > at,
                col(Office.former_first_seen) <= col(Office.present_last_seen),
            ),
        )
    if paged:
        # Typed as the columns they follow: a tuple comparison does not lend them its elements' types.
        after = tuple_(
            bindparam("after_seen", type_=Office.__table__.c.last_seen.type),  # type: ignore[attr-defined]
            bindparam("after_group", type_=Integer),
        )
        stmt = stmt.where(tuple_(col(Office.last_seen), col(Office.id)) < after)
    page_q = (
        stmt.order_by(col(Office.last_seen).desc(), col(Office.id).desc()).limit(bindparam("n")).subquery()
    )
    former = and_(
        page_q.c.former_last_seen.is_not(None),
        or_(page_q.c.present_last_seen.is_(None), page_q.c.former_last_seen >= page_q.c.present_last_seen),
    )
    superseded = _stated_later(page_q.c, page_q.c.present_last_seen)
    shown = [
        c for c in page_q.c if c.key not in ("present_first_seen", "present_last_seen", "former_last_seen")
    ]
    return (
        select(
            *(utc_column(c) if c.key in ("first_seen", "last_seen") else c for c in shown),
            col(Person.name),
            col(Organisation.name),
            case((former, True), else_=False).label("former"),
            case((former, False), (superseded, False), else_=True).label("current"),
        )
        .join(Person, col(Person.id) == page_q.c.person_id)
        .outerjoin(Organisation, col(Organisation.id) == page_q.c.organisation_id)
        .order_by(page_q.c.last_seen.desc(), page_q.c.id.desc())
    )
