"""Aggregates for dashboards: counts over time, top entities, co-occurrence networks.

None of these is a table; they are the answers of /stats, with the enums their parameters take.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from app.models.common import ApiModel


class Interval(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class Metric(StrEnum):
    mentions = "mentions"
    quotes = "quotes"
    articles = "articles"


class TopKind(StrEnum):
    people = "people"
    organisations = "organisations"
    countries = "countries"
    speakers = "speakers"


class GraphKind(StrEnum):
    people = "people"
    organisations = "organisations"
    countries = "countries"
    all = "all"


class GraphTable(StrEnum):
    edges = "edges"
    nodes = "nodes"


NodeType = Literal["person", "organisation", "country"]


class TimelinePoint(ApiModel):
    period: date = Field(description="First day of the period (weeks start on Monday), ISO 8601.")
    count: int = Field(ge=0)


class Timeline(ApiModel):
    """Counts per period, empty periods as zeros: every period from `published_from` to
    `published_to` when they are given, else from the first period with a count to the last (when
    that spans at most 10,000 periods; a longer span lists only the periods with counts)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "interval": "week",
                    "metric": "mentions",
                    "points": [
                        {"period": "2024-03-04", "count": 3},
                        {"period": "2024-03-11", "count": 0},
                        {"period": "2024-03-18", "count": 5},
                    ],
                }
            ]
        }
    )

    interval: Interval
    metric: Metric
    points: list[TimelinePoint]


class TopEntity(ApiModel):
    id: int = Field(description="The person's or organisation's id.")
    name: str
    count: int = Field(description="Articles mentioning them, or quotes for speakers.")


class TopCountry(ApiModel):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    count: int = Field(description="Articles mentioning the country.")


class TopList(ApiModel):
    """The entities with the highest counts, highest first, ties by name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "people",
                    "items": [
                        {"id": 12, "name": "Vladimir Putin", "count": 41},
                        {"id": 7, "name": "Dmitry Peskov", "count": 17},
                    ],
                },
                {"kind": "countries", "items": [{"code": "RU", "name": "Russian Federation", "count": 58}]},
            ]
        }
    )

    kind: TopKind
    items: list[TopEntity | TopCountry]


class GraphNode(ApiModel):
    id: str = Field(description='"person:<id>", "organisation:<id>" or "country:<alpha-2>".')
    type: NodeType
    name: str


class GraphEdge(ApiModel):
    source: str = Field(description="A node id; edges are undirected, source sorts before target.")
    target: str
    weight: int = Field(description="Articles in which both are mentioned.")


class Cooccurrence(ApiModel):
    """A network of entities mentioned in the same articles; nodes are the edges' ends."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "all",
                    "nodes": [
                        {"id": "person:12", "type": "person", "name": "Vladimir Putin"},
                        {"id": "country:RU", "type": "country", "name": "Russian Federation"},
                    ],
                    "edges": [{"source": "country:RU", "target": "person:12", "weight": 4}],
                    "articles": 37,
                    "truncated": False,
                }
            ]
        }
    )

    kind: GraphKind
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    articles: int = Field(description="How many articles the network was computed over.")
    truncated: bool = Field(
        description="More articles matched than `max_articles`; only the most recently stored were used."
    )
