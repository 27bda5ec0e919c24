"""Every list answer is exactly what its page model says, on SQLite and Postgres.

The long lists (/articles, /quotes, /positions) are written to JSON straight from plain rows
(app.services.pagination.Listing), not through their page models. Here each answer, under
every filter and on a page with a next one, must validate as its model and come out of it
unchanged: no field missing, extra, renamed, retyped or in another time zone.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.config import Settings
from app.models import ArticlePage
from app.models.queries import PositionPage, QuotePage
from tests.api.test_queries import Corpus, get_ok

LISTS: list[tuple[str, type[BaseModel], dict[str, Any]]] = [
    ("/articles", ArticlePage, {}),
    ("/articles", ArticlePage, {"person": "Zelenskiy"}),
    ("/articles", ArticlePage, {"organisation": "Kremlin"}),
    ("/articles", ArticlePage, {"country": "RU"}),
    ("/articles", ArticlePage, {"q": "sanctions"}),
    (
        "/articles",
        ArticlePage,
        {"country": "UA", "published_from": "2024-01-01", "published_to": "2024-12-31"},
    ),
    ("/articles", ArticlePage, {"person": "Putin", "country": "RU", "q": "talks"}),
    ("/articles", ArticlePage, {"sort": "published"}),
    ("/articles", ArticlePage, {"sort": "published", "country": "RU", "q": "sanctions"}),
    ("/quotes", QuotePage, {}),
    ("/quotes", QuotePage, {"speaker": "Zelensky"}),
    ("/quotes", QuotePage, {"speaker_country": "RU", "published_from": "2024-01-01"}),
    ("/quotes", QuotePage, {"speaker_organisation": "Kremlin", "kind": "direct"}),
    ("/quotes", QuotePage, {"country": "US", "q": "talks"}),
    ("/quotes", QuotePage, {"sort": "published"}),
    ("/quotes", QuotePage, {"sort": "published", "speaker_country": "RU", "published_from": "2024-01-01"}),
    ("/positions", PositionPage, {}),
    ("/positions", PositionPage, {"title": "minister", "country": "RU"}),
    ("/positions", PositionPage, {"organisation": "Kremlin"}),
    ("/positions", PositionPage, {"person": "Lavrov"}),
]


@pytest.fixture
def corpus(settings: Settings) -> Corpus:
    return Corpus(settings)


def _as_the_model_says(model: type[BaseModel], body: dict[str, Any]) -> None:
    assert model.model_validate(body).model_dump(mode="json") == body


def _timestamps(value: Any) -> list[str]:
    """Every timestamp in an answer (the fields ending in _at or _seen)."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k.endswith(("_at", "_seen")) and isinstance(v, str)]
        return found + [t for v in value.values() for t in _timestamps(v)]
    if isinstance(value, list):
        return [t for v in value for t in _timestamps(v)]
    return []


@pytest.mark.parametrize(("path", "model", "params"), LISTS)
def test_every_list_answer_is_its_page_model(
    client: TestClient, corpus: Corpus, path: str, model: type[BaseModel], params: dict[str, Any]
) -> None:
    body = get_ok(client, path, **params)
    assert body["items"], f"{path} {params} should find something in the corpus"
    _as_the_model_says(model, body)
    # Times go out in UTC, as the models' own validators would put them.
    assert all(t.endswith("Z") for t in _timestamps(body)), _timestamps(body)


@pytest.mark.parametrize("path", ["/articles", "/quotes", "/positions"])
def test_a_page_with_a_next_one_is_its_page_model_too(client: TestClient, corpus: Corpus, path: str) -> None:
    response = client.get(path, params={"limit": 1})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] and response.headers["X-Next-Cursor"] == body["next_cursor"]
    _as_the_model_says(
        {"/articles": ArticlePage, "/quotes": QuotePage, "/positions": PositionPage}[path], body
    )


@pytest.mark.parametrize("path", ["/articles", "/quotes", "/positions"])
def test_ndjson_holds_the_same_items_as_json(client: TestClient, corpus: Corpus, path: str) -> None:
    items = get_ok(client, path)["items"]
    response = client.get(path, params={"format": "ndjson"})
    assert response.status_code == 200, response.text
    assert [json.loads(line) for line in response.text.splitlines()] == items


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/articles", {"person": "Nobody At All"}),
        ("/quotes", {"q": "***"}),
        ("/positions", {"country": "Atlantis"}),
    ],
)
def test_an_empty_list_is_its_page_model(
    client: TestClient, corpus: Corpus, path: str, params: dict[str, Any]
) -> None:
    assert get_ok(client, path, **params) == {"items": [], "next_cursor": None}
