"""Reading articles back: one with all its records, or a filtered page of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select, tuple_
from sqlmodel import Session, col

from app.errors import NotFound
from app.models import (
    Article,
    ArticlePublic,
    ArticleRead,
    Country,
    ExtractionOut,
    Mention,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Position,
    Quote,
)
from app.models.article import CountryOut, MentionOut, OrganisationOut, PersonOut, PositionOut, QuoteOut
from app.models.common import as_utc, utc_column
from app.services import lookup, search
from app.services.pagination import (
    Listing,
    ListSort,
    PublishedKey,
    decode_cursor,
    driven_ids,
    encode_cursor,
)


def get_article(*, session: Session, article_id: int) -> ArticleRead:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article with id {article_id}")
    return ArticleRead.model_validate(
        {**article.model_dump(), "extraction": _extraction(session, article_id)}
    )


def _extraction(session: Session, article_id: int) -> ExtractionOut:
    rows = (
        session.execute(
            select(Mention).where(col(Mention.article_id) == article_id).order_by(col(Mention.start))
        )
        .scalars()
        .all()
    )
    by_person: dict[int, list[MentionOut]] = defaultdict(list)
    by_org: dict[int, list[MentionOut]] = defaultdict(list)
    by_country: dict[str, list[MentionOut]] = defaultdict(list)
    for m in rows:
        out = MentionOut(start=m.start, end=m.end, text=m.text)
        if m.person_id is not None:
            by_person[m.person_id].append(out)
        elif m.organisation_id is not None:
            by_org[m.organisation_id].append(out)
        elif m.country_code is not None:
            by_country[m.country_code].append(out)
    positions = (
        session.execute(
            select(Position).where(col(Position.article_id) == article_id).order_by(col(Position.start))
        )
        .scalars()
        .all()
    )
    quotes = (
        session.execute(select(Quote).where(col(Quote.article_id) == article_id).order_by(col(Quote.start)))
        .scalars()
        .all()
    )
    person_ids = (
        set(by_person)
        | {p.person_id for p in positions}
        | {q.speaker_id for q in quotes if q.speaker_id is not None}
    )
    org_ids = set(by_org) | {p.organisation_id for p in positions if p.organisation_id is not None}
    people = _names(session, Person, PersonAlias, "person_id", person_ids)
    orgs = _names(session, Organisation, OrganisationAlias, "organisation_id", org_ids)
    if person_ids - people.keys() or org_ids - orgs.keys():
        # On Postgres each statement of a read sees its own snapshot: a DELETE committed between
        # reading the records and their people took the article and the people it alone named.
        raise NotFound(f"no article with id {article_id}")
    codes = set(by_country)
    countries = (
        dict(
            session.execute(
                select(col(Country.code), col(Country.name)).where(col(Country.code).in_(codes))
            ).all()
        )
        if codes
        else {}
    )
    return ExtractionOut(
        people=[
            PersonOut(id=i, name=people[i][0], aliases=people[i][1], mentions=by_person[i])
            for i in sorted(by_person, key=lambda i: by_person[i][0].start)
        ],
        organisations=[
            OrganisationOut(id=i, name=orgs[i][0], aliases=orgs[i][1], mentions=by_org[i])
            for i in sorted(by_org, key=lambda i: by_org[i][0].start)
        ],
        countries=[
            CountryOut(code=c, name=countries.get(c, c), mentions=by_country[c])
            for c in sorted(by_country, key=lambda c: by_country[c][0].start)
        ],
        positions=[
            PositionOut(
                person=people[p.person_id][0],
                person_id=p.person_id,
                title=p.title,
                organisation=orgs[p.organisation_id][0] if p.organisation_id else None,
                organisation_id=p.organisation_id,
                country=p.country_code,
                former=p.former,
                start=p.start,
                end=p.end,
            )
            for p in positions
        ],
        quotes=[
            QuoteOut(
                id=q.id or 0,
                speaker=people[q.speaker_id][0] if q.speaker_id else None,
                speaker_id=q.speaker_id,
                kind=q.kind,
                text=q.text,
                cue=q.cue,
                start=q.start,
                end=q.end,
            )
            for q in quotes
        ],
    )


def _names(
    session: Session, table: Any, alias_table: Any, fk: str, ids: set[int]
) -> dict[int, tuple[str, list[str]]]:
    """id -> (canonical name, other aliases) for the given entities."""
    if not ids:
        return {}
    names = dict(session.execute(select(table.id, table.name).where(table.id.in_(ids))).all())
    aliases: dict[int, list[str]] = defaultdict(list)
    fk_col = getattr(alias_table, fk)
    for eid, alias in session.execute(
        select(fk_col, alias_table.alias).where(fk_col.in_(ids)).order_by(alias_table.alias)
    ):
        if alias != names.get(eid):
            aliases[eid].append(alias)
    return {i: (names[i], aliases[i]) for i in names}


def list_articles(
    *,
    session: Session,
    limit: int,
    cursor: str | None = None,
    q: str | None = None,
    person: str | None = None,
    organisation: str | None = None,
    country: str | None = None,
    published_from: datetime | None = None,
    published_to: datetime | None = None,
    sort: ListSort = "id",
) -> Listing:
    """Articles newest first (by id, or by publication time with `sort="published"`), filtered;
    unknown filter values give an empty page.

    With an entity filter or (on SQLite) a text query, the page is driven from the index of
    the most selective of them (the entity's mention index, or the FTS index walked newest
    first), fetched in growing batches, and each candidate is checked against the other
    filters with indexed probes; a date window of at most WINDOW_ARTICLES articles drives the
    page instead. Either way a page costs what it reads, not the archive.
    """
    after = PublishedKey.decode(cursor) if cursor and sort == "published" else None
    before = decode_cursor(cursor, fields=("id",))["id"] if cursor and sort == "id" else None
    found: list[tuple[str, Any]] = []  # (the mention column, its value), one per entity filter
    if person:
        ids = lookup.entity_ids(session=session, kind="person", value=person)
        if not ids:
            return _EMPTY
        found.append(("person_id", ids))
    if organisation:
        ids = lookup.entity_ids(session=session, kind="organisation", value=organisation)
        if not ids:
            return _EMPTY
        found.append(("organisation_id", ids))
    if country:
        code = lookup.country_code(session=session, value=country)
        if code is None:
            return _EMPTY
        found.append(("country_code", code))
    dated = published_from is not None, published_to is not None
    values = {"published_from": as_utc(published_from), "published_to": as_utc(published_to)}
    dates = published_within(*dated)  # bound to `values` wherever they are run
    if sort == "published":
        return _published_listing(session, found, q, dated, values, after=after, limit=limit)
    # On SQLite the text index can drive a page; on Postgres the text is a condition the planner weighs.
    text = q if q and search.walkable(session) else None
    if len(found) + (text is not None) == 1 and not dates and not (q and text is None):
        # One index drives the page and nothing else filters it: one statement, built once per shape.
        return _page(_single_driven(session, found, text, before=before, n=limit + 1), limit)
    # "mention is of X", one per entity filter
    entities = [_is_of(column, value) for column, value in found]
    window = _dated_window(session, dated, values) if dates and (entities or text) else None
    stmt: Any = None
    order: Any = col(Article.id)
    if window == _NO_ARTICLES:
        return _EMPTY
    if window is not None and not q:
        # The window's few articles, sorted: one statement, built once per shape.
        shape = _window_page(dated, tuple(column for column, _ in found), paged=before is not None)
        params = {**values, **dict(found), "lo": window[0], "hi": window[1], "before": before, "n": limit + 1}
        return _page(session.connection().execute(shape, params).all(), limit)
    if window is not None:
        # Few articles in the window: read them off the (published_at, id) index and sort them,
        # rather than walk every article newest first. The text is matched within their id range.
        order = col(Article.id) + 0
        stmt = _listing().where(*dates, *(_mentions(e) for e in entities))
        if q:
            stmt = stmt.where(search.matches(session, "article", q, ranges=[window]))
        if before is not None:
            stmt = stmt.where(order < before)
    elif entities or text:
        checks = list(dates)
        if q and text is None:
            checks.append(search.matches(session, "article", q))
        ids = _driven_page(session, entities, text, checks, values, before=before, want=limit + 1)
        stmt = _listing().where(col(Article.id).in_(ids)) if ids else None
    else:
        stmt = _listing().where(*dates)
        if q:
            stmt = stmt.where(search.matches(session, "article", q))
        if before is not None:
            stmt = stmt.where(order < before)
    rows = []
    if stmt is not None:
        rows = list(session.execute(stmt.order_by(order.desc()).limit(limit + 1), values).all())
    return _page(rows, limit)


def _published_listing(
    session: Session,
    found: list[tuple[str, Any]],
    q: str | None,
    dated: tuple[bool, bool],
    values: dict[str, Any],
    *,
    after: PublishedKey | None,
    limit: int,
) -> Listing:
    """A page in publication order: the dated articles after `after`, newest published first,
    then (once they run out) the undated ones, newest stored first.

    Each part is its own statement, so that each reads the (published_at, id) index in order
    from where the cursor points, on both databases (one statement sorting nulls last would
    need an index of its own, and a cursor among the dated would not bound the undated).
    """
    params: dict[str, Any] = {**values, **dict(found), "n": limit + 1}
    if q:
        terms = search.match_params("article", q)
        if terms is None:
            return _EMPTY
        params |= terms
    dialect = session.get_bind().dialect.name
    # On SQLite, the rarest entity's few articles are listed and sorted, rather than the whole
    # publication index walked until a page of them turns up (SQLite would walk it otherwise).
    rarest = None
    if found and dialect == "sqlite":
        fewest, at = min((_selectivity(session, _is_of(c, v)), i) for i, (c, v) in enumerate(found))
        rarest = at if fewest <= ENTITY_LISTED else None
    columns = tuple((column, isinstance(value, list), i == rarest) for i, (column, value) in enumerate(found))
    text: str | None = None
    if q:
        # On SQLite, the matches of a common word are too many to list before the walk of the
        # publication index starts: each article walked is probed for them instead.
        common = dialect == "sqlite" and search.count_upto(session, "article", q, TEXT_LISTED + 1)
        text = "probed" if common and common > TEXT_LISTED else "listed"
    rows: list[Any] = []
    if after is None or after.published_at is not None:
        if after is not None:
            params |= {"after_published": after.published_at, "before": after.id}
        stmt = _published_page(dialect, dated, columns, text, part="dated", paged=after is not None)
        rows = list(session.connection().execute(stmt, params).all())
    # An undated article is in no date window.
    if len(rows) <= limit and not any(dated):
        paged = after is not None and after.published_at is None
        if paged and after is not None:
            params["before"] = after.id
        params["n"] = limit + 1 - len(rows)
        stmt = _published_page(dialect, dated, columns, text, part="undated", paged=paged)
        rows += session.connection().execute(stmt, params).all()
    page = rows[:limit]
    items = [dict(zip(_LISTED_NAMES, row, strict=True)) for row in page]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = PublishedKey(items[-1]["published_at"], items[-1]["id"]).cursor()
    return Listing(items, next_cursor)


@cache
def _published_page(
    dialect: str,
    dated: tuple[bool, bool],
    columns: tuple[tuple[str, bool, bool], ...],
    text: str | None,
    *,
    part: str,
    paged: bool,
) -> Any:
    """One part (`dated` or `undated`) of a page in publication order, for the filters of a shape:
    the entities' mention columns (with whether their value is a list of ids, and whether their
    articles are listed rather than probed per article walked), the text (its
    matches `listed`, or `probed` per article on SQLite), the date window; their values and the
    cursor's (`after_published`, `before`) as parameters."""
    published: Any = col(Article.published_at)
    conditions = [
        *published_within(*dated),
        *(
            _mentioning(_is_of(c, bindparam(c, expanding=ids), listed=ids), by_list)
            for c, ids, by_list in columns
        ),
    ]
    if text == "probed":
        conditions.append(search.match_probe("article"))
    elif text:
        conditions.append(search.match_clause(dialect, "article"))
    if part == "dated":
        conditions.append(published.is_not(None))
        if paged:
            cursor_at = bindparam("after_published", type_=published.type)
            conditions.append(tuple_(published, col(Article.id)) < tuple_(cursor_at, bindparam("before")))
        order: tuple[Any, ...] = (published.desc(), col(Article.id).desc())
    else:
        conditions.append(published.is_(None))
        if paged:
            conditions.append(col(Article.id) < bindparam("before"))
        order = (col(Article.id).desc(),)
    return _listing().where(*conditions).order_by(*order).limit(bindparam("n"))


def _mentioning(entity: ColumnElement[bool], listed: bool) -> ColumnElement[bool]:
    """The article mentions the entity: a probe per article, or (`listed`) one list of its articles."""
    if not listed:
        return _mentions(entity)
    return col(Article.id).in_(select(col(Mention.article_id)).where(entity))


def _page(rows: Sequence[Any], limit: int) -> Listing:
    """The page of up to `limit` of `rows` (_LISTED columns, one more row if there is a next page)."""
    page = rows[:limit]
    next_cursor = encode_cursor({"id": page[-1].id}) if len(rows) > limit else None
    return Listing([dict(zip(_LISTED_NAMES, row, strict=True)) for row in page], next_cursor)


def _single_driven(
    session: Session, found: list[tuple[str, Any]], text: str | None, *, before: int | None, n: int
) -> Sequence[Any]:
    """The newest `n` articles below `before` mentioning the one entity in `found`, or else matching
    `text` on SQLite, newest first: one statement, the ids off the entity's (or the text's) index."""
    params: dict[str, Any] | None = {}
    if found:
        column, value = found[0]
    else:
        column, value = "text", None
        params = search.newest_params(text or "", before=before, limit=n)
    if params is None:
        return []
    # One id (the usual case) is compared as a value, not listed: an expanding IN is rewritten
    # into the statement's text on every execution.
    one = isinstance(value, list) and len(value) == 1
    stmt = _newest_page(session.get_bind().dialect.name, column, paged=before is not None, one=one)
    values = {**params, "entity": value[0] if one else value, "before": before, "n": n}
    return session.connection().execute(stmt, values).all()


@cache
def _newest_page(dialect: str, driver: str, *, paged: bool, one: bool) -> Any:
    """The statement of `_single_driven` for a driving mention column (or "text"), with its
    values as parameters (`entity`, `before`, `n`, and the text's): built once per shape,
    since building and keying a statement costs about what running this one does. `one`: the
    entity is a single id, not a list."""
    if driver == "text":
        newest: Any = search.newest_sql(dialect, "article", paged=paged)
    else:
        listed = driver != "country_code" and not one
        entity = _is_of(driver, bindparam("entity", expanding=listed), listed=listed)
        newest = _newest_mentioning(entity, bindparam("before") if paged else None, bindparam("n"))
    page = _listing().where(col(Article.id).in_(newest))
    return page.order_by(col(Article.id).desc()).limit(bindparam("n"))


def _is_of(column: str, value: Any, *, listed: bool | None = None) -> ColumnElement[bool]:
    """The mention is of this entity: `column` is person_id or organisation_id (a list of ids,
    unless `listed` is False), or country_code (one code); `value` may be a bind parameter."""
    if listed is None:
        listed = column != "country_code"
    entity: ColumnElement[bool] = (
        getattr(Mention, column).in_(value) if listed else getattr(Mention, column) == value
    )
    return entity


_EMPTY = Listing()


# The columns a list shows, read as plain rows: loading ORM objects only to copy them into
# ArticlePublic would cost more than the query itself (and lists never show the text).
_LISTED_NAMES = tuple(ArticlePublic.model_fields)
_LISTED = tuple(
    utc_column(getattr(Article, name)) if name in ("published_at", "created_at") else getattr(Article, name)
    for name in _LISTED_NAMES
)


def _listing() -> Any:
    return select(*_LISTED)


# Up to this many articles matching the text (on SQLite), a page in publication order lists the
# matches; more, and it probes each article it walks.
TEXT_LISTED = 2000
# Up to this many mentions of the rarest entity filter (on SQLite), such a page lists its articles.
ENTITY_LISTED = 5000
# A date window of at most this many articles drives an entity- or text-filtered page by itself.
WINDOW_ARTICLES = 5000
# Entity filters and the text are ranked by their match count, counted up to this many index entries.
SELECTIVITY_PROBE = 10_000
# Candidate article ids fetched from the driving index: the first batch, and the largest.
FIRST_BATCH, MAX_BATCH = 64, 8192
# What _dated_window answers for a window without articles.
_NO_ARTICLES = (0, -1)


def _mentions(entity: ColumnElement[bool]) -> ColumnElement[bool]:
    """The article mentions this entity: one probe of the (entity, article) index."""
    return exists().where(entity, col(Mention.article_id) == col(Article.id))


def _newest_mentioning(entity: ColumnElement[bool], before: Any, n: Any) -> Any:
    """The ids of the newest `n` articles below `before` that mention the entity, off its
    (entity, article) index."""
    mentioned = select(col(Mention.article_id)).where(entity)
    if before is not None:
        mentioned = mentioned.where(col(Mention.article_id) < before)
    return mentioned.distinct().order_by(col(Mention.article_id).desc()).limit(n)


def _dated_window(
    session: Session, dated: tuple[bool, bool], values: dict[str, Any]
) -> tuple[int, int] | None:
    """The (lowest, highest) article id in the date window when it holds at most WINDOW_ARTICLES
    articles (_NO_ARTICLES when none), else None: one bounded read of the (published_at, id) index."""
    bounds = _window_bounds(*dated)
    n, lo, hi = session.connection().execute(bounds, {**values, "cap": WINDOW_ARTICLES + 1}).one()
    if n > WINDOW_ARTICLES:
        return None
    return _NO_ARTICLES if n == 0 else (int(lo), int(hi))


def published_within(published_from: bool, published_to: bool) -> list[ColumnElement[bool]]:
    """The article was published at or after `:published_from` and at or before `:published_to`,
    for the bounds that are given: bind parameters, so a statement can be built once."""
    dates = []
    if published_from:
        dates.append(col(Article.published_at) >= bindparam("published_from"))
    if published_to:
        dates.append(col(Article.published_at) <= bindparam("published_to"))
    return dates


@cache
def _window_bounds(published_from: bool, published_to: bool) -> Any:
    window: Any = select(col(Article.id).label("id")).where(*published_within(published_from, published_to))
    counted = window.limit(bindparam("cap")).subquery()
    return select(func.count(), func.min(counted.c.id), func.max(counted.c.id))


@cache
def _window_page(dated: tuple[bool, bool], columns: tuple[str, ...], *, paged: bool) -> Any:
    """A page of the date window's articles that mention every entity of `columns` (their values
    as parameters named after them), sorted newest first: the window's (published_at, id) index
    drives it, not the primary key's order."""
    order = col(Article.id) + 0
    # Each entity's mentions are read within the window's id range (`lo`, `hi`): unbounded, Postgres
    # may merge the window with every mention of a busy country, a read that grows with the archive.
    in_window = col(Mention.article_id).between(bindparam("lo"), bindparam("hi"))
    mentioned = [
        _mentions(and_(_is_of(c, bindparam(c, expanding=c != "country_code")), in_window)) for c in columns
    ]
    stmt = _listing().where(*published_within(*dated), *mentioned)
    if paged:
        stmt = stmt.where(order < bindparam("before"))
    return stmt.order_by(order.desc()).limit(bindparam("n"))


def _selectivity(session: Session, entity: ColumnElement[bool]) -> int:
    """The entity's mention count, up to SELECTIVITY_PROBE: a bounded walk of its index."""
    capped = select(col(Mention.id)).where(entity).limit(SELECTIVITY_PROBE).subquery()
    return int(session.execute(select(func.count()).select_from(capped)).scalar_one())


def _driven_page(
    session: Session,
    entities: list[ColumnElement[bool]],
    text: str | None,
    checks: list[ColumnElement[bool]],
    values: dict[str, Any],
    *,
    before: int | None,
    want: int,
) -> list[int]:
    """Up to `want` article ids below `before`, newest first, mentioning every entity, matching
    `text` and passing `checks` (with their parameters' `values`).

    Candidates come newest first off the index of the most selective filter: an entity's
    (entity, article) index, or the FTS index of `text` when fewer articles match it than
    mention the rarest entity. The other entities are probed per candidate, and the text is
    matched only within the id ranges a batch spans (a common word would otherwise list every
    match in the archive before the first candidate is tested).
    """
    driver: ColumnElement[bool] | None = None  # None: the text drives
    if len(entities) == 1 and text is None:
        driver = entities[0]
    elif entities:
        fewest, rarest = min((_selectivity(session, e), i) for i, e in enumerate(entities))
        driver = entities[rarest]
        # Counting the text's matches stops one past the rarest entity's count: bounded by it.
        if text is not None and search.count_upto(session, "article", text, fewest + 1) <= fewest:
            driver = None
    others = [e for e in entities if e is not driver]

    def walk(upper: int | None, n: int) -> list[int]:
        if driver is None:
            return search.newest(session, "article", text or "", before=upper, limit=n)
        return list(session.execute(_newest_mentioning(driver, upper, n)).scalars())

    def keep(candidates: list[int]) -> set[int]:
        conditions = [*checks, *(_mentions(e) for e in others)]
        if text is not None and driver is not None:
            conditions.append(search.matches(session, "article", text, ranges=search.id_ranges(candidates)))
        passing = select(col(Article.id)).where(col(Article.id).in_(candidates), *conditions)
        return set(session.execute(passing, values).scalars())

    filtered = bool(checks or others or (text is not None and driver is not None))
    return driven_ids(
        walk,
        keep if filtered else None,
        before=before,
        want=want,
        first_batch=FIRST_BATCH,
        max_batch=MAX_BATCH,
    )
