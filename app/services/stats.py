"""Aggregates for dashboards, counted by the database: records per period, top entities, co-occurrence.

Python only fills the empty periods of a timeline and looks up the names of a network's nodes.
The time of a record is its article's `published_at`, or `created_at` when that is unknown.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from app.errors import InvalidInput
from app.models import Article, Country, Mention, Organisation, Person, Quote
from app.models.common import as_utc
from app.models.stats import (
    Cooccurrence,
    GraphEdge,
    GraphKind,
    GraphNode,
    Interval,
    Metric,
    Timeline,
    TimelinePoint,
    TopCountry,
    TopEntity,
    TopKind,
    TopList,
)
from app.services import counters, lookup, search
from app.services.counters import EntityColumn

# A network is computed over at most this many articles (the most recently stored that match),
# so one request cannot join every mention with every other across the whole archive.
MAX_GRAPH_ARTICLES = 5000
DEFAULT_GRAPH_ARTICLES = 1000
# Entities of one article a network pairs up: those it mentions most (ties by id). At most
# 435 pairs an article, however many names it lists.
MAX_ENTITIES_PER_ARTICLE = 30


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles an aggregate counts: all given conditions hold."""

    q: str | None = None
    person: str | None = None
    organisation: str | None = None
    country: str | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None


@dataclass(frozen=True)
class _Resolved:
    """A filter with its names resolved to ids, and the id range of its time window's articles."""

    person_ids: list[int]
    organisation_ids: list[int]
    country_code: str | None
    id_range: tuple[int, int] | None
    on_article: list[ColumnElement[bool]]  # the time window and full text, on `article`

    def within(self, article_id: Any) -> list[ColumnElement[bool]]:
        """`article_id` (of any table) within the time window's id range, when there is a window."""
        return [article_id.between(*self.id_range)] if self.id_range else []

    def joined_within(self, article_id: Any) -> list[ColumnElement[bool]]:
        """`within` for a table joined to `article`, on both sides of the join: Postgres does not
        carry a range over a join, and bounded it reads the window's article times off
        ix_article_id_times instead of every article of the window from the table."""
        return self.within(article_id) + self.within(col(Article.id))

    def entities(self) -> list[tuple[EntityColumn, Callable[[Any], ColumnElement[bool]]]]:
        """Each entity the filter names: its mention column, and "the mention is of it"."""
        found: list[tuple[EntityColumn, Callable[[Any], ColumnElement[bool]]]] = []
        if self.person_ids:
            found.append(("person_id", lambda m: m.person_id.in_(self.person_ids)))
        if self.organisation_ids:
            found.append(("organisation_id", lambda m: m.organisation_id.in_(self.organisation_ids)))
        if self.country_code:
            found.append(("country_code", lambda m: m.country_code == self.country_code))
        return found

    def entity_conditions(self) -> list[ColumnElement[bool]]:
        """The article mentions each entity the filter names."""
        return [self.mentions(entity) for _, entity in self.entities()]

    def conditions(self) -> list[ColumnElement[bool]]:
        return self.on_article + self.entity_conditions()

    def named_entities(self) -> int:
        return sum(map(bool, (self.person_ids, self.organisation_ids, self.country_code)))

    def keys(self, column: EntityColumn) -> list[Any]:
        if column == "person_id":
            return list(self.person_ids)
        if column == "organisation_id":
            return list(self.organisation_ids)
        return [self.country_code]

    def mentions(self, entity: Callable[[Any], ColumnElement[bool]]) -> ColumnElement[bool]:
        # A mention alias of its own, so that a query over `mention` correlates only the article.
        other: Any = aliased(Mention)
        return exists().where(
            other.article_id == col(Article.id), *self.within(other.article_id), entity(other)
        )


def _resolve(session: Session, filters: ArticleFilter) -> _Resolved | None:
    """The filter resolved; None when it names something unknown, or its window holds no article.

    A time window also gives the range of the ids of its articles. Articles are mostly stored
    in the order they are published, so that range is narrow, and bounding `article_id` by it
    lets the (entity, article) indexes of the record tables skip the rest of the archive
    instead of reading every record of a popular entity. It stays correct, if less useful,
    for an archive stored out of order: every article in the window has an id in its range.
    """
    lo, hi = as_utc(filters.published_from), as_utc(filters.published_to)
    if lo is not None and hi is not None and lo > hi:
        raise InvalidInput("published_from must not be after published_to")
    person_ids: list[int] = []
    if filters.person:
        person_ids = lookup.entity_ids(session=session, kind="person", value=filters.person)
        if not person_ids:
            return None
    organisation_ids: list[int] = []
    if filters.organisation:
        organisation_ids = lookup.entity_ids(session=session, kind="organisation", value=filters.organisation)
        if not organisation_ids:
            return None
    code = None
    if filters.country:
        code = lookup.country_code(session=session, value=filters.country)
        if code is None:
            return None
    on_article: list[ColumnElement[bool]] = []
    id_range = None
    if lo is not None or hi is not None:
        dated, undated = _time_window(lo, hi)
        # Each branch on its own index, read without the table: as one OR, Postgres reads every
        # article of the window from the table, pages that a large archive no longer keeps in
        # its buffers. "+ 0" keeps it from finding min/max by walking the primary key until a
        # row falls in the window (slow when the window is far from either end).
        ids = union_all(
            *(select((col(Article.id) + 0).label("id")).where(branch) for branch in (dated, undated))
        ).subquery()
        first, last = session.execute(select(func.min(ids.c.id), func.max(ids.c.id))).one()
        if first is None:
            return None
        id_range = (int(first), int(last))
        on_article.append(or_(dated, undated))
    if filters.q:
        # Within a window only its id range can match: on SQLite the text's matches are listed
        # over that range, not over the archive (a common word matches most articles).
        ranges = [id_range] if id_range else None
        on_article.append(search.matches(session, "article", filters.q, ranges=ranges))
    return _Resolved(person_ids, organisation_ids, code, id_range, on_article)


def _time_window(lo: datetime | None, hi: datetime | None) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Published within [lo, hi], or, for articles without a publication time, stored within it:
    the two branches, to be joined by OR.

    Two branches rather than a bound on coalesce(...), so that each can use an index:
    `ix_article_published_at_id` for the first, its leading NULLs for the second.
    """
    published, created = col(Article.published_at), col(Article.created_at)
    dated: list[ColumnElement[bool]] = []
    undated: list[ColumnElement[bool]] = [published.is_(None)]
    if lo is not None:
        dated.append(published >= lo)
        undated.append(created >= lo)
    if hi is not None:
        dated.append(published <= hi)
        undated.append(created <= hi)
    return and_(*dated), and_(*undated)


# --- Timeline ---------------------------------------------------------------------------------


def _period(dialect: str, interval: Interval, when: ColumnElement[Any]) -> ColumnElement[Any]:
    """The first day of the period holding `when` (a UTC time): Monday for weeks, the 1st for months."""
    if dialect == "postgresql":
        # A literal unit, not a bound parameter, so the expression in GROUP BY matches the SELECT's.
        unit: ColumnElement[str] = literal_column(f"'{interval.value}'")
        return cast(func.date_trunc(unit, func.timezone("UTC", when)), Date)
    if interval is Interval.day:
        return func.date(when)
    if interval is Interval.week:
        # 'weekday 0' moves forward to Sunday (or stays), six days back is that week's Monday.
        return func.date(when, literal_column("'weekday 0'"), literal_column("'-6 days'"))
    return func.strftime(literal_column("'%Y-%m-01'"), when)


def timeline(
    *,
    session: Session,
    interval: Interval,
    metric: Metric,
    filters: ArticleFilter,
    speaker: str | None = None,
) -> Timeline:
    """Counts of mentions, quotes or articles per period, empty periods included as zeros.

    Mentions are those of the filter's person, organisation or country (all mentions when
    none is given). `speaker` keeps only their quotes; for the other metrics it keeps the
    articles that quote them.
    """
    answer = Timeline(interval=interval, metric=metric, points=[])
    resolved = _resolve(session, filters)
    speaker_ids: list[int] | None = None
    if speaker:
        speaker_ids = lookup.entity_ids(session=session, kind="person", value=speaker)
    first, last = (
        _period_start(value.date(), interval) if value is not None else None
        for value in (as_utc(filters.published_from), as_utc(filters.published_to))
    )
    if resolved is None or speaker_ids == []:
        answer.points = _zero_filled((), interval, first=first, last=last)
        return answer
    when = func.coalesce(col(Article.published_at), col(Article.created_at))
    period = _period(session.get_bind().dialect.name, interval, when).label("period")
    conditions = list(resolved.on_article)
    if metric is Metric.articles:
        stmt = select(period, func.count()).select_from(Article)
        conditions += resolved.within(col(Article.id)) + resolved.entity_conditions()
    elif metric is Metric.mentions:
        stmt = (
            select(period, func.count())
            .select_from(Mention)
            .join(Article, col(Article.id) == col(Mention.article_id))
        )
        conditions += resolved.joined_within(col(Mention.article_id))
        named: list[ColumnElement[bool]] = []
        if resolved.person_ids:
            named.append(col(Mention.person_id).in_(resolved.person_ids))
        if resolved.organisation_ids:
            named.append(col(Mention.organisation_id).in_(resolved.organisation_ids))
        if resolved.country_code:
            named.append(col(Mention.country_code) == resolved.country_code)
        if named:
            conditions.append(or_(*named))
        if len(named) > 1:  # with one entity, counting its mentions already says the article names it
            conditions += resolved.entity_conditions()
    else:
        stmt = (
            select(period, func.count())
            .select_from(Quote)
            .join(Article, col(Article.id) == col(Quote.article_id))
        )
        conditions += resolved.joined_within(col(Quote.article_id)) + resolved.entity_conditions()
        if speaker_ids:
            conditions.append(col(Quote.speaker_id).in_(speaker_ids))
    if speaker_ids and metric is not Metric.quotes:
        quoting: Any = aliased(Quote)
        conditions.append(
            exists().where(
                quoting.article_id == col(Article.id),
                *resolved.within(quoting.article_id),
                quoting.speaker_id.in_(speaker_ids),
            )
        )
    rows = session.execute(stmt.where(*conditions).group_by(period).order_by(period)).all()
    answer.points = _zero_filled(((_as_date(p), int(n)) for p, n in rows), interval, first=first, last=last)
    return answer


def _period_start(day: date, interval: Interval) -> date:
    """The first day of the period holding `day`, as the database computes it."""
    if interval is Interval.week:
        return day - timedelta(days=day.weekday())
    if interval is Interval.month:
        return day.replace(day=1)
    return day


def _as_date(value: Any) -> date:
    # Postgres returns a date; SQLite's date functions return ISO text.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _next_period(day: date, interval: Interval) -> date:
    if interval is Interval.day:
        return day + timedelta(days=1)
    if interval is Interval.week:
        return day + timedelta(days=7)
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1) + timedelta(days=days_in_month)


# The most periods a timeline fills in with zeros. One article dated in the year 1 among today's
# would otherwise make a daily timeline of 740,000 points; past this, only periods with counts.
MAX_FILLED_POINTS = 10_000


def _zero_filled(
    counts: Iterable[tuple[date, int]],
    interval: Interval,
    *,
    first: date | None = None,
    last: date | None = None,
) -> list[TimelinePoint]:
    """Every period from `first` to `last` (the periods of published_from and published_to when
    they were given; else the first and the last period with a count), empty ones as zeros."""
    by_period = dict(counts)
    if not by_period and (first is None or last is None):
        return []
    first = first if first is not None else min(by_period)
    last = last if last is not None else max(by_period)
    if by_period:  # counts fall inside a window, but never drop one that does not
        first, last = min(first, min(by_period)), max(last, max(by_period))
    points = []
    day = first
    while True:
        points.append(TimelinePoint(period=day, count=by_period.get(day, 0)))
        if day >= last:  # the period after one in December 9999 is past date.max
            return points
        if len(points) >= MAX_FILLED_POINTS:  # too long a span: the periods with counts only
            return [TimelinePoint(period=p, count=n) for p, n in sorted(by_period.items())]
        day = _next_period(day, interval)


# --- Top entities -----------------------------------------------------------------------------


def top(*, session: Session, kind: TopKind, filters: ArticleFilter, limit: int) -> TopList:
    """The entities with most articles mentioning them (speakers: most quotes) under the filter."""
    answer = TopList(kind=kind, items=[])
    resolved = _resolve(session, filters)
    if resolved is None:
        return answer
    key: Any
    table: Any
    if kind is TopKind.speakers:
        key, count, table = col(Quote.speaker_id), func.count(), Quote
    else:
        key = {
            TopKind.people: col(Mention.person_id),
            TopKind.organisations: col(Mention.organisation_id),
            TopKind.countries: col(Mention.country_code),
        }[kind]
        count, table = func.count(distinct(col(Mention.article_id))), Mention
    counted = select(key.label("key"), count.label("n")).where(
        key.is_not(None), *resolved.within(table.article_id)
    )
    conditions = resolved.conditions()
    if conditions:
        counted = counted.join(Article, col(Article.id) == table.article_id).where(
            *conditions, *resolved.within(col(Article.id))
        )
    counts = counted.group_by(key).cte("counts")
    # Names only for the groups that can make the list: the limit-th count, ties included.
    threshold = select(counts.c.n).order_by(counts.c.n.desc()).offset(limit - 1).limit(1).scalar_subquery()
    names: Any = {TopKind.countries: Country, TopKind.organisations: Organisation}.get(kind, Person)
    name_key = col(Country.code) if kind is TopKind.countries else names.id
    rows = session.execute(
        select(counts.c.key, names.name, counts.c.n)
        .join(names, name_key == counts.c.key)
        .where(counts.c.n >= func.coalesce(threshold, 0))
        .order_by(counts.c.n.desc(), names.name, counts.c.key)
        .limit(limit)
    ).all()
    if kind is TopKind.countries:
        answer.items = [TopCountry(code=k, name=name, count=n) for k, name, n in rows]
    else:
        answer.items = [TopEntity(id=k, name=name, count=n) for k, name, n in rows]
    return answer


# --- Co-occurrence network --------------------------------------------------------------------


def _matching(session: Session, resolved: _Resolved) -> Any:
    """The ids of the articles the filter matches (column `id`), newest (highest id) first.

    When the filter names entities, the rarest one's (entity, article) mention index drives it,
    walked newest first, and the others and the window are conditions on each of its articles.
    Walking every article newest first and probing each for the entity costs the whole archive
    for a rarely mentioned one (100,000 probes at 100k articles for one named in a handful). The
    maintained counters (entity_stats) say which entity is the rarest.
    """
    named = resolved.entities()
    if not named:
        article_id = col(Article.id)
        return select(article_id.label("id")).where(*resolved.conditions()).order_by(article_id.desc())

    def articles_of(column: EntityColumn) -> int:
        # At most: an article mentioning two of the ids is counted twice, which does not matter here.
        return sum(counters.entity_counts(session, column, k).mention_articles for k in resolved.keys(column))

    rarest = min(range(len(named)), key=lambda i: (articles_of(named[i][0]), i))
    m: Any = aliased(Mention)
    others = [resolved.mentions(entity) for i, (_, entity) in enumerate(named) if i != rarest]
    stmt = select(m.article_id.label("id")).where(named[rarest][1](m), *resolved.within(m.article_id))
    if resolved.on_article or others:
        stmt = stmt.join(Article, col(Article.id) == m.article_id).where(*resolved.on_article, *others)
    return stmt.distinct().order_by(m.article_id.desc())


def _node_id(kind: GraphKind, mention: Any) -> tuple[ColumnElement[str], ColumnElement[bool] | None]:
    """A mention's node id ("person:12", "country:RU") and the condition for the node types wanted.

    The prefixes are literal SQL, not bound parameters, so that GROUP BY repeats the SELECT's
    expression exactly (Postgres compares them as written).
    """
    person = literal_column("'person:'", String) + cast(mention.person_id, String)
    organisation = literal_column("'organisation:'", String) + cast(mention.organisation_id, String)
    country = literal_column("'country:'", String) + mention.country_code
    if kind is GraphKind.people:
        return person, mention.person_id.is_not(None)
    if kind is GraphKind.organisations:
        return organisation, mention.organisation_id.is_not(None)
    if kind is GraphKind.countries:
        return country, mention.country_code.is_not(None)
    return (
        case(
            (mention.person_id.is_not(None), person),
            (mention.organisation_id.is_not(None), organisation),
            else_=country,
        ),
        None,
    )


def cooccurrence(
    *,
    session: Session,
    kind: GraphKind,
    filters: ArticleFilter,
    min_weight: int = 1,
    limit: int = 100,
    max_articles: int = DEFAULT_GRAPH_ARTICLES,
) -> Cooccurrence:
    """Pairs of entities mentioned in the same articles, weighted by how many, heaviest first.

    Only the `max_articles` most recently stored articles matching the filter are read.
    """
    answer = Cooccurrence(kind=kind, nodes=[], edges=[], articles=0, truncated=False)
    resolved = _resolve(session, filters)
    if resolved is None:
        return answer
    matching = _matching(session, resolved)
    found = session.execute(
        select(func.count()).select_from(matching.limit(max_articles + 1).subquery())
    ).scalar_one()
    answer.articles, answer.truncated = min(found, max_articles), found > max_articles
    if not found:
        return answer
    articles = matching.limit(max_articles).subquery()
    # Each article's distinct entities first, at most MAX_ENTITIES_PER_ARTICLE of them (those it
    # mentions most), then pairs of those: the work is bounded per article, whereas pairs of
    # mentions grew with the square of its mentions (8,000 mentions: 25 s). Each (article, node)
    # is one row, so counting a pair's rows counts its articles.
    m: Any = aliased(Mention)
    node, wanted = _node_id(kind, m)
    per_article = (
        select(m.article_id.label("article_id"), node.label("node"), func.count().label("n"))
        .where(m.article_id.in_(select(articles.c.id)), *resolved.within(m.article_id))
        .group_by(m.article_id, node)
    )
    if wanted is not None:
        per_article = per_article.where(wanted)
    counted = per_article.subquery("counted")
    rank = func.row_number().over(
        partition_by=counted.c.article_id, order_by=(counted.c.n.desc(), counted.c.node)
    )
    ranked = select(counted.c.article_id, counted.c.node, rank.label("rank")).subquery("ranked")
    nodes = (
        select(ranked.c.article_id, ranked.c.node)
        .where(ranked.c.rank <= MAX_ENTITIES_PER_ARTICLE)
        .cte("nodes")
    )
    weight = func.count()
    a: Any
    b: Any
    if session.get_bind().dialect.name == "sqlite":
        # SQLite joins two scans of a materialised CTE by a nested loop with no index: every node
        # against every other of all the articles, which grows with the square of the articles
        # (250 articles: 2.5 s under load). Each article's nodes as one JSON array, paired within
        # the article by two json_each, cost what the pairs do.
        per = (
            select(nodes.c.article_id, func.json_group_array(nodes.c.node).label("nodes"))
            .group_by(nodes.c.article_id)
            .subquery("per_article")
        )
        a = func.json_each(per.c.nodes).table_valued("value").alias("a")
        b = func.json_each(per.c.nodes).table_valued("value").alias("b")
        pairs = (
            select(a.c.value.label("source"), b.c.value.label("target"), weight)
            .select_from(per)
            .join(a, true())
            .join(b, a.c.value < b.c.value)
        )
        source, target = a.c.value, b.c.value
    else:
        a, b = nodes.alias("a"), nodes.alias("b")
        pairs = select(a.c.node, b.c.node, weight).join(
            b, and_(b.c.article_id == a.c.article_id, a.c.node < b.c.node)
        )
        source, target = a.c.node, b.c.node
    rows = session.execute(
        pairs.group_by(source, target)
        .having(weight >= min_weight)
        .order_by(weight.desc(), source, target)
        .limit(limit)
    ).all()
    answer.edges = [GraphEdge(source=s, target=t, weight=w) for s, t, w in rows]
    answer.nodes = _nodes(session, sorted({n for e in answer.edges for n in (e.source, e.target)}))
    return answer


def _nodes(session: Session, node_ids: list[str]) -> list[GraphNode]:
    wanted: dict[str, set[Any]] = {"person": set(), "organisation": set(), "country": set()}
    for node in node_ids:
        kind, _, key = node.partition(":")
        wanted[kind].add(key if kind == "country" else int(key))
    names = {
        "person": lookup.names(session=session, table=Person, ids=wanted["person"]),
        "organisation": lookup.names(session=session, table=Organisation, ids=wanted["organisation"]),
        "country": lookup.names(session=session, table=Country, ids=wanted["country"]),
    }
    nodes = []
    for node in node_ids:
        kind, _, key = node.partition(":")
        name = names[kind].get(key if kind == "country" else int(key), key)
        nodes.append(GraphNode(id=node, type=kind, name=name))  # type: ignore[arg-type]
    return nodes
