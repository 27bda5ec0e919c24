"""sort=published on GET /articles and GET /quotes, on SQLite and Postgres: newest published
first, undated articles last, ties by id; cursors continue exactly where a page ended."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.services import articles as article_service
from app.services import quotes as quote_service
from app.services.pagination import encode_cursor
from tests.api.test_queries import store

# Stored in this order (ids ascending), which is not the order of publication: two share a
# publication time, one was sent with an offset, one has microseconds, three are undated.
DATES = [
    "2024-03-01T00:00:00+00:00",
    None,
    "2021-06-15T08:00:00+00:00",
    "2024-03-01T00:00:00+00:00",
    None,
    "2019-01-01T00:00:00+02:00",
    "2025-01-01T12:00:00+00:00",
    None,
    "2022-02-02T02:02:02.123456+00:00",
    "2018-12-31T23:00:00+00:00",
]


class Archive:
    """One article per date; every other one mentions Russia, every third says 'sanctions';
    each carries one quote by Sergey Lavrov."""

    def __init__(self, settings: Settings) -> None:
        self.facts: dict[int, dict[str, Any]] = {}
        self.quote_of: dict[int, int] = {}
        for i, date in enumerate(DATES):
            russia, sanctions = i % 2 == 0, i % 3 == 0
            said = f"talks number {i} went {'badly over sanctions' if sanctions else 'well'}"
            text = f"Sergey Lavrov said {said}" + (" in Russia." if russia else ".")
            article_id = store(
                settings,
                text,
                published_at=date,
                title=f"Article {i}",
                people={"Sergey Lavrov": ()},
                countries=(("RU", "Russia"),) if russia else (),
                quotes=(("Sergey Lavrov", "indirect", said),),
            )
            published = datetime.fromisoformat(date) if date else None
            self.facts[article_id] = {"published": published, "russia": russia, "sanctions": sanctions}

    def expected(
        self, *, russia: bool = False, sanctions: bool = False, since: str | None = None
    ) -> list[int]:
        """Article ids passing the filters, newest published first, undated last, ties by id."""
        floor = datetime.fromisoformat(since) if since else None
        kept = [
            (article_id, fact["published"])
            for article_id, fact in self.facts.items()
            if (not russia or fact["russia"])
            and (not sanctions or fact["sanctions"])
            and (floor is None or (fact["published"] is not None and fact["published"] >= floor))
        ]
        dated = sorted(((p, a) for a, p in kept if p is not None), reverse=True)
        undated = sorted((a for a, p in kept if p is None), reverse=True)
        return [a for _, a in dated] + undated


@pytest.fixture
def archive(settings: Settings) -> Archive:
    return Archive(settings)


def walk(client: TestClient, path: str, params: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Every item of a list, following the Link header from page to page; and the page count."""
    items: list[dict[str, Any]] = []
    response = client.get(path, params=params)
    pages = 0
    while True:
        assert response.status_code == 200, response.text
        pages += 1
        body = response.json()
        items += body["items"]
        if body["next_cursor"] is None:
            assert "Link" not in response.headers
            return items, pages
        link = response.headers["Link"]
        target = link[link.index("<") + 1 : link.index(">")]
        query = parse_qs(urlsplit(target).query)
        assert query["sort"] == ["published"]
        assert query["cursor"] == [body["next_cursor"]]
        response = client.get(target)
        assert pages <= 50, "the cursor does not advance"


def test_articles_come_in_publication_order_with_undated_last(client: TestClient, archive: Archive) -> None:
    response = client.get("/articles", params={"sort": "published", "limit": 100})
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == archive.expected()
    assert ids != sorted(ids, reverse=True)  # not merely the id order
    published = [item["published_at"] for item in response.json()["items"]]
    assert published[-3:] == [None, None, None]
    assert published[0] == "2025-01-01T12:00:00Z"


def test_default_order_is_still_newest_stored_first(client: TestClient, archive: Archive) -> None:
    ids = [item["id"] for item in client.get("/articles", params={"limit": 100}).json()["items"]]
    assert ids == sorted(archive.facts, reverse=True)


@pytest.mark.parametrize("limit", [1, 2, 3, 4])
def test_walking_article_pages_yields_each_article_once_in_publication_order(
    client: TestClient, archive: Archive, limit: int
) -> None:
    items, pages = walk(client, "/articles", {"sort": "published", "limit": limit})
    assert [item["id"] for item in items] == archive.expected()
    assert pages == -(-len(DATES) // limit)


@pytest.mark.parametrize("limit", [1, 3])
def test_walking_quote_pages_follows_their_articles_publication(
    client: TestClient, archive: Archive, limit: int
) -> None:
    items, _ = walk(client, "/quotes", {"sort": "published", "limit": limit})
    assert [item["article"]["id"] for item in items] == archive.expected()
    assert len({item["id"] for item in items}) == len(DATES)


@pytest.mark.parametrize(
    ("params", "want"),
    [
        ({"country": "RU"}, {"russia": True}),
        ({"q": "sanctions"}, {"sanctions": True}),
        ({"country": "RU", "q": "sanctions"}, {"russia": True, "sanctions": True}),
        ({"published_from": "2020-01-01"}, {"since": "2020-01-01T00:00:00+00:00"}),
        ({"person": "Lavrov", "published_from": "2019-01-01"}, {"since": "2019-01-01T00:00:00+00:00"}),
    ],
)
def test_filters_combine_with_publication_order(
    client: TestClient, archive: Archive, params: dict[str, Any], want: dict[str, Any]
) -> None:
    expected = archive.expected(**want)
    assert 0 < len(expected) < len(DATES)
    articles, _ = walk(client, "/articles", {**params, "sort": "published", "limit": 2})
    assert [item["id"] for item in articles] == expected
    quote_params = {("speaker" if k == "person" else k): v for k, v in params.items()}
    quotes, _ = walk(client, "/quotes", {**quote_params, "sort": "published", "limit": 2})
    assert [item["article"]["id"] for item in quotes] == expected


def test_a_common_word_is_probed_per_article_in_publication_order(
    client: TestClient, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On SQLite, more matches than TEXT_LISTED are probed article by article, not listed first.
    monkeypatch.setattr(article_service, "TEXT_LISTED", 1)
    monkeypatch.setattr(quote_service, "TEXT_LISTED", 1)
    cases = [({"q": "sanctions"}, {"sanctions": True}), ({"q": "talks", "country": "RU"}, {"russia": True})]
    for params, want in cases:
        articles, _ = walk(client, "/articles", {**params, "sort": "published", "limit": 2})
        assert [item["id"] for item in articles] == archive.expected(**want)
        quotes, _ = walk(client, "/quotes", {**params, "sort": "published", "limit": 2})
        assert [item["article"]["id"] for item in quotes] == archive.expected(**want)


def test_a_common_entity_is_probed_per_article_in_publication_order(
    client: TestClient, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On SQLite, an entity with more mentions than ENTITY_LISTED is probed article by article.
    monkeypatch.setattr(article_service, "ENTITY_LISTED", 0)
    cases = [({"country": "RU"}, {"russia": True}), ({"person": "Lavrov", "country": "RU"}, {"russia": True})]
    for params, want in cases:
        articles, _ = walk(client, "/articles", {**params, "sort": "published", "limit": 2})
        assert [item["id"] for item in articles] == archive.expected(**want)


@pytest.mark.parametrize("path", ["/articles", "/quotes"])
def test_an_unknown_sort_is_a_422_problem(client: TestClient, path: str) -> None:
    response = client.get(path, params={"sort": "bogus"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "sort" in response.text


@pytest.mark.parametrize("path", ["/articles", "/quotes"])
def test_a_cursor_of_the_other_order_or_forged_is_refused(
    client: TestClient, archive: Archive, path: str
) -> None:
    by_id = client.get(path, params={"limit": 1}).json()["next_cursor"]
    by_published = client.get(path, params={"limit": 1, "sort": "published"}).json()["next_cursor"]
    assert client.get(path, params={"sort": "published", "cursor": by_id}).status_code == 422
    assert client.get(path, params={"cursor": by_published}).status_code == 422
    for forged in ({"published": 2**62, "id": 5}, {"published": "2024-01-01", "id": 5}, {"published": None}):
        response = client.get(path, params={"sort": "published", "cursor": encode_cursor(forged)})
        assert response.status_code == 422, forged
        assert response.headers["content-type"].startswith("application/problem+json")


def test_csv_and_ndjson_follow_publication_order(client: TestClient, archive: Archive) -> None:
    params = {"sort": "published", "limit": 4}
    as_csv = client.get("/articles", params={**params, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [int(row["id"]) for row in rows] == archive.expected()[:4]
    assert "sort=published" in as_csv.headers["Link"]
    as_ndjson = client.get("/quotes", params={**params, "format": "ndjson"})
    lines = [json.loads(line) for line in as_ndjson.text.splitlines()]
    assert [line["article"]["id"] for line in lines] == archive.expected()[:4]
    following = client.get("/quotes", params={**params, "cursor": as_ndjson.headers["X-Next-Cursor"]})
    assert [item["article"]["id"] for item in following.json()["items"]] == archive.expected()[4:8]
