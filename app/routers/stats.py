"""/stats: aggregates for dashboards (Grafana, Metabase, Superset, notebooks) as JSON, CSV or NDJSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from app.deps import SessionDep, SettingsDep
from app.models.common import IsoDateTime
from app.models.stats import Cooccurrence, GraphKind, Interval, Metric, Timeline, TopKind, TopList
from app.routers.common import PROBLEMS, FormatParam, list_response, negotiate, page_size
from app.services import stats as stats_service
from app.services.stats import DEFAULT_GRAPH_ARTICLES, MAX_GRAPH_ARTICLES, ArticleFilter

router = APIRouter(prefix="/stats", tags=["stats"])


def _filter(
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Full text of the articles: words and "quoted phrases", all must match.',
        ),
    ] = None,
    person: Annotated[
        str | None,
        Query(
            max_length=300, description="Only articles mentioning this person: id, name or alias (any case)."
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        Query(max_length=300, description="Only articles mentioning this organisation: id, name or alias."),
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=200, description="Only articles mentioning this country: alpha-2, alpha-3 or name."),
    ] = None,
    published_from: Annotated[
        IsoDateTime | None,
        Query(description="Published at or after (ISO 8601); undated articles by the time they were stored."),
    ] = None,
    published_to: Annotated[
        IsoDateTime | None,
        Query(description="Published at or before (ISO 8601); a date alone means its midnight, UTC."),
    ] = None,
) -> ArticleFilter:
    return ArticleFilter(
        q=q,
        person=person,
        organisation=organisation,
        country=country,
        published_from=published_from,
        published_to=published_to,
    )


FilterDep = Annotated[ArticleFilter, Depends(_filter)]


def _tabular(what: str, csv_example: str, ndjson_example: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": csv_example},
                "application/x-ndjson": {"schema": {"type": "string"}, "example": ndjson_example},
            },
            "description": f"JSON, or {what} as CSV or NDJSON rows (`format=` or `Accept`).",
        }
    }


@router.get(
    "/timeline",
    response_model=Timeline,
    responses={
        **PROBLEMS,
        **_tabular(
            "the points",
            "period,count\n2024-03-04,3\n2024-03-11,0\n",
            '{"period": "2024-03-04", "count": 3}\n{"period": "2024-03-11", "count": 0}\n',
        ),
    },
)
def timeline(
    request: Request,
    session: SessionDep,
    filters: FilterDep,
    interval: Annotated[
        Interval, Query(description="Period length: day, week (starting on Monday) or month.")
    ] = Interval.day,
    metric: Annotated[
        Metric,
        Query(
            description="What to count: mentions of the person, organisation or country filtered on "
            "(all mentions without one), quotes, or articles."
        ),
    ] = Metric.mentions,
    speaker: Annotated[
        str | None,
        Query(
            max_length=300,
            description="Quotes by this person only (id, name or alias); for the other metrics, "
            "articles that quote them.",
        ),
    ] = None,
    fmt: FormatParam = None,
) -> Any:
    """Counts per day, week or month of mentions, quotes or articles; empty periods are zeros."""
    answer = stats_service.timeline(
        session=session, interval=interval, metric=metric, filters=filters, speaker=speaker
    )
    return list_response(request, answer, negotiate(request, fmt), rows="points", columns=("period", "count"))


@router.get(
    "/top",
    response_model=TopList,
    responses={
        **PROBLEMS,
        **_tabular(
            "the items",
            "id,name,count\n12,Vladimir Putin,41\n7,Dmitry Peskov,17\n",
            '{"id": 12, "name": "Vladimir Putin", "count": 41}\n',
        ),
    },
)
def top(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    filters: FilterDep,
    kind: Annotated[
        TopKind,
        Query(
            description="people, organisations or countries (counted by the articles mentioning them) "
            "or speakers (counted by their quotes)."
        ),
    ] = TopKind.people,
    limit: Annotated[
        int | None, Query(ge=1, description="How many (default 10; the maximum is NEWSMETA_MAX_PAGE_SIZE).")
    ] = None,
    fmt: FormatParam = None,
) -> Any:
    """The people, organisations, countries or speakers with the highest counts under a filter."""
    size = page_size(limit, default=10, maximum=settings.max_page_size)
    answer = stats_service.top(session=session, kind=kind, filters=filters, limit=size)
    key = "code" if kind is TopKind.countries else "id"
    return list_response(request, answer, negotiate(request, fmt), columns=(key, "name", "count"))


@router.get(
    "/cooccurrence",
    response_model=Cooccurrence,
    description=(
        "Edges between entities mentioned in the same articles, weighted by the number of such "
        "articles, heaviest first; the nodes are the edges' ends. To bound the work, the network is "
        f"computed over the `max_articles` most recently stored articles that match the filter "
        f"(default {DEFAULT_GRAPH_ARTICLES}, at most {MAX_GRAPH_ARTICLES}); `articles` says how many "
        "were used and `truncated` whether more matched. CSV and NDJSON carry the edges."
    ),
    responses={
        **PROBLEMS,
        **_tabular(
            "the edges",
            "source,target,weight\ncountry:RU,person:12,4\n",
            '{"source": "country:RU", "target": "person:12", "weight": 4}\n',
        ),
    },
)
def cooccurrence(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    filters: FilterDep,
    kind: Annotated[
        GraphKind, Query(description="Node types: people, organisations, countries, or all of them.")
    ] = GraphKind.all,
    min_weight: Annotated[
        int, Query(ge=1, le=1_000_000, description="Leave out edges with fewer shared articles.")
    ] = 1,
    limit: Annotated[
        int | None,
        Query(ge=1, description="Most edges returned (default 100; the maximum is NEWSMETA_MAX_PAGE_SIZE)."),
    ] = None,
    max_articles: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_GRAPH_ARTICLES,
            description="Most articles the network is computed over, the most recently stored first "
            f"(at most {MAX_GRAPH_ARTICLES}).",
        ),
    ] = DEFAULT_GRAPH_ARTICLES,
    fmt: FormatParam = None,
) -> Any:
    """A co-occurrence network: entities as nodes, shared articles as weighted edges."""
    answer = stats_service.cooccurrence(
        session=session,
        kind=kind,
        filters=filters,
        min_weight=min_weight,
        limit=page_size(limit, default=100, maximum=settings.max_page_size),
        max_articles=max_articles,
    )
    return list_response(
        request, answer, negotiate(request, fmt), rows="edges", columns=("source", "target", "weight")
    )
