"""The public API calls behind the dashboard's pages: each names its endpoint and query (for the
page's "download CSV" and "API calls" links) and the service function the endpoint runs, with the
same arguments, so a page reads exactly what the API would answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from app.models.queries import QuoteKind
from app.models.stats import GraphKind, Interval, Metric, TopKind
from app.services import articles, entities, quotes, stats
from app.services.stats import ArticleFilter


@dataclass(frozen=True)
class ApiCall:
    """GET `path` with `query`; answered in-process by `work(session=..., **kwargs)`."""

    path: str
    query: tuple[tuple[str, str], ...]
    work: Callable[..., Any]
    kwargs: dict[str, Any] = field(default_factory=dict, compare=False)

    def url(self, fmt: str | None = None) -> str:
        """The endpoint's path and query (without the server's root path); `fmt` adds `format=`."""
        query = [*self.query, ("format", fmt)] if fmt else list(self.query)
        return self.path + ("?" + urlencode(query) if query else "")


def _query(**params: object) -> tuple[tuple[str, str], ...]:
    """The parameters that are set, in the order given, as the API spells them."""
    out = []
    for name, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, datetime):  # UTC; a midnight as the date alone, as people write it
            value = value.strftime("%Y-%m-%d" if value.time() == time.min else "%Y-%m-%dT%H:%M:%SZ")
        out.append((name, str(value)))
    return tuple(out)


def newest_articles(
    *, limit: int, person: str | None = None, organisation: str | None = None, country: str | None = None
) -> ApiCall:
    """The newest stored articles (by id), of an entity when one is given."""
    named = {"person": person, "organisation": organisation, "country": country}
    kwargs = {"limit": limit, **{k: v for k, v in named.items() if v}}
    return ApiCall("/articles", _query(**named, limit=limit), articles.list_articles, kwargs)


def article(article_id: int) -> ApiCall:
    return ApiCall(f"/articles/{article_id}", (), articles.get_article, {"article_id": article_id})


def person(person_id: int) -> ApiCall:
    return ApiCall(f"/people/{person_id}", (), entities.get_person, {"person_id": person_id})


def organisation(organisation_id: int) -> ApiCall:
    return ApiCall(
        f"/organisations/{organisation_id}",
        (),
        entities.get_organisation,
        {"organisation_id": organisation_id},
    )


def country(code: str) -> ApiCall:
    return ApiCall(f"/countries/{code}", (), entities.get_country, {"value": code})


def countries() -> ApiCall:
    return ApiCall("/countries", (), entities.list_countries)


def people_named(name: str, *, limit: int) -> ApiCall:
    kwargs = {"kind": "person", "name": name, "limit": limit}
    return ApiCall("/people", _query(name=name, limit=limit), entities.list_entities, kwargs)


def organisations_named(name: str, *, limit: int) -> ApiCall:
    kwargs = {"kind": "organisation", "name": name, "limit": limit}
    return ApiCall("/organisations", _query(name=name, limit=limit), entities.list_entities, kwargs)


def quote_list(
    *,
    limit: int,
    cursor: str | None = None,
    speaker: str | None = None,
    speaker_country: str | None = None,
    speaker_organisation: str | None = None,
    kind: QuoteKind | None = None,
    q: str | None = None,
) -> ApiCall:
    kwargs: dict[str, Any] = {
        "limit": limit,
        "cursor": cursor or None,
        "speaker": speaker or None,
        "speaker_country": speaker_country or None,
        "speaker_organisation": speaker_organisation or None,
        "kind": kind or None,
        "q": q or None,
    }
    query = _query(
        speaker=speaker,
        speaker_country=speaker_country,
        speaker_organisation=speaker_organisation,
        kind=kind,
        q=q,
        limit=limit,
        cursor=cursor,
    )
    return ApiCall("/quotes", query, quotes.list_quotes, kwargs)


@dataclass(frozen=True)
class Window:
    """The publication-time range a chart covers; None ends are open."""

    start: datetime | None = None
    end: datetime | None = None


def _filters(window: Window, **names: str | None) -> tuple[ArticleFilter, dict[str, object]]:
    given = {k: v for k, v in names.items() if v}
    found = ArticleFilter(published_from=window.start, published_to=window.end, **given)
    return found, {**given, "published_from": window.start, "published_to": window.end}


def timeline(
    *,
    metric: Metric,
    interval: Interval,
    window: Window,
    person: str | None = None,
    organisation: str | None = None,
    country: str | None = None,
    speaker: str | None = None,
) -> ApiCall:
    filters, shown = _filters(window, person=person, organisation=organisation, country=country)
    query = _query(metric=metric.value, interval=interval.value, speaker=speaker, **shown)
    kwargs = {"interval": interval, "metric": metric, "filters": filters, "speaker": speaker}
    return ApiCall("/stats/timeline", query, stats.timeline, kwargs)


def top(*, kind: TopKind, limit: int, window: Window) -> ApiCall:
    filters, shown = _filters(window)
    kwargs = {"kind": kind, "filters": filters, "limit": limit}
    return ApiCall("/stats/top", _query(kind=kind.value, limit=limit, **shown), stats.top, kwargs)


def cooccurrence(
    *,
    kind: GraphKind,
    limit: int,
    min_weight: int,
    max_articles: int,
    window: Window,
    country: str | None = None,
    person: str | None = None,
    organisation: str | None = None,
) -> ApiCall:
    filters, shown = _filters(window, country=country, person=person, organisation=organisation)
    kwargs = {
        "kind": kind,
        "filters": filters,
        "min_weight": min_weight,
        "limit": limit,
        "max_articles": max_articles,
    }
    query = _query(kind=kind.value, min_weight=min_weight, limit=limit, max_articles=max_articles, **shown)
    return ApiCall("/stats/cooccurrence", query, stats.cooccurrence, kwargs)


def urls(calls: Sequence[ApiCall]) -> list[str]:
    return [call.url() for call in calls]
