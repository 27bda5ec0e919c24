"""/stats: aggregates for dashboards (Grafana, Metabase, Superset, notebooks) as JSON, CSV or NDJSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import Field

from app.db import read
from app.deps import app_settings
from app.models.common import IsoDateTime
from app.models.stats import (
    Cooccurrence,
    GraphKind,
    GraphTable,
    Interval,
    Metric,
    Timeline,
    TopKind,
    TopList,
)
from app.routers.common import PROBLEMS, Formatted, ListFormat, list_response, negotiate, page_size, to_csv
from app.routers.querystring import from_query
from app.services import stats as stats_service
from app.services.stats import DEFAULT_GRAPH_ARTICLES, MAX_GRAPH_ARTICLES, ArticleFilter

router = APIRouter(prefix="/stats", tags=["stats"])


class StatsFilter(Formatted):
    """Which articles an aggregate counts, as query parameters."""

    q: str | None = Field(
        None,
        examples=["sanctions"],
        max_length=500,
        description='Full text of the articles: words and "quoted phrases", all must match.',
    )
    person: str | None = Field(
        None,
        examples=["Vladimir Putin"],
        max_length=300,
        description="Only articles mentioning this person: id, name or alias (any case).",
    )
    organisation: str | None = Field(
        None,
        examples=["NATO"],
        max_length=300,
        description="Only articles mentioning this organisation: id, name or alias.",
    )
    country: str | None = Field(
        None,
        examples=["RU"],
        max_length=200,
        description="Only articles mentioning this country: alpha-2, alpha-3 or name.",
    )
    published_from: IsoDateTime | None = Field(
        None,
        examples=["2025-01-01"],
        description="Published at or after (ISO 8601, years 1 to 9999 in UTC); undated articles "
        "by the time they were stored.",
    )
    published_to: IsoDateTime | None = Field(
        None,
        examples=["2025-06-30"],
        description="Published at or before (ISO 8601, years 1 to 9999 in UTC); a date alone means "
        "its midnight, UTC.",
    )

    def articles(self) -> ArticleFilter:
        return ArticleFilter(
            q=self.q,
            person=self.person,
            organisation=self.organisation,
            country=self.country,
            published_from=self.published_from,
            published_to=self.published_to,
        )


class TimelineQuery(StatsFilter):
    interval: Interval = Field(
        Interval.day, description="Period length: day, week (starting on Monday) or month."
    )
    metric: Metric = Field(
        Metric.mentions,
        description="What to count: mentions of the person, organisation or country filtered on "
        "(all mentions without one), quotes, or articles.",
    )
    speaker: str | None = Field(
        None,
        examples=["Peskov"],
        max_length=300,
        description="Quotes by this person only (id, name or alias); for the other metrics, "
        "articles that quote them.",
    )


class TopQuery(StatsFilter):
    kind: TopKind = Field(
        TopKind.people,
        description="people, organisations or countries (counted by the articles mentioning them) "
        "or speakers (counted by their quotes).",
    )
    limit: int | None = Field(
        None, ge=1, description="How many (default 10; the maximum is NEWSMETA_MAX_PAGE_SIZE)."
    )


class CooccurrenceQuery(StatsFilter):
    kind: GraphKind = Field(
        GraphKind.all, description="Node types: people, organisations, countries, or all of them."
    )
    min_weight: int = Field(1, ge=1, le=1_000_000, description="Leave out edges with fewer shared articles.")
    limit: int | None = Field(
        None, ge=1, description="Most edges returned (default 100; the maximum is NEWSMETA_MAX_PAGE_SIZE)."
    )
    max_articles: int = Field(
        DEFAULT_GRAPH_ARTICLES,
        ge=1,
        le=MAX_GRAPH_ARTICLES,
        description="Most articles the network is computed over, the most recently stored first "
        f"(at most {MAX_GRAPH_ARTICLES}).",
    )
    table: GraphTable = Field(
        GraphTable.edges,
        description="For CSV and NDJSON: the edges (source, target, weight) or the nodes (id, kind, name), "
        "the table a graph tool (Gephi, Cytoscape) joins to the edges for labels. JSON carries both.",
    )


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
async def get_timeline(request: Request, query: Annotated[TimelineQuery, from_query(TimelineQuery)]) -> Any:
    """Counts per day, week or month of mentions, quotes or articles; empty periods are zeros."""
    answer = await read(
        app_settings(request),
        stats_service.timeline,
        interval=query.interval,
        metric=query.metric,
        filters=query.articles(),
        speaker=query.speaker,
    )
    columns = ("period", "count")
    return list_response(request, answer, negotiate(request, query.format), rows="points", columns=columns)


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
async def get_top(request: Request, query: Annotated[TopQuery, from_query(TopQuery)]) -> Any:
    """The people, organisations, countries or speakers with the highest counts under a filter."""
    settings = app_settings(request)
    size = page_size(query.limit, default=10, maximum=settings.max_page_size)
    answer = await read(settings, stats_service.top, kind=query.kind, filters=query.articles(), limit=size)
    key = "code" if query.kind is TopKind.countries else "id"
    return list_response(request, answer, negotiate(request, query.format), columns=(key, "name", "count"))


@router.get(
    "/cooccurrence",
    response_model=Cooccurrence,
    description=(
        "Edges between entities mentioned in the same articles, weighted by the number of such "
        "articles, heaviest first; the nodes are the edges' ends. To bound the work, the network is "
        f"computed over the `max_articles` most recently stored articles that match the filter "
        f"(default {DEFAULT_GRAPH_ARTICLES}, at most {MAX_GRAPH_ARTICLES}); `articles` says how many "
        "were used and `truncated` whether more matched. CSV and NDJSON carry the edges, or with "
        "`table=nodes` the nodes (id, kind, name)."
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
async def get_cooccurrence(
    request: Request, query: Annotated[CooccurrenceQuery, from_query(CooccurrenceQuery)]
) -> Any:
    """A co-occurrence network: entities as nodes, shared articles as weighted edges."""
    settings = app_settings(request)
    answer = await read(
        settings,
        stats_service.cooccurrence,
        kind=query.kind,
        filters=query.articles(),
        min_weight=query.min_weight,
        limit=page_size(query.limit, default=100, maximum=settings.max_page_size),
        max_articles=query.max_articles,
    )
    fmt = negotiate(request, query.format)
    if query.table is GraphTable.nodes and fmt is not ListFormat.json:
        nodes = [{"id": node.id, "kind": node.type, "name": node.name} for node in answer.nodes]
        if fmt is ListFormat.csv:
            return Response(
                to_csv(nodes, columns=("id", "kind", "name")), media_type="text/csv; charset=utf-8"
            )
        body = "".join(json.dumps(node, ensure_ascii=False) + "\n" for node in nodes)
        return Response(body, media_type="application/x-ndjson")
    columns = ("source", "target", "weight")
    return list_response(request, answer, fmt, rows="edges", columns=columns)
