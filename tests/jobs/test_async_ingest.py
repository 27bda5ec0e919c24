"""Asynchronous ingest through the API with the in-process queue (no queue set): 202, a job, results."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.conftest import make_client
from tests.jobs.conftest import wait_for

pytestmark = pytest.mark.model


def _finished(client: TestClient, location: str) -> dict[str, Any] | None:
    body: dict[str, Any] = client.get(location).json()
    return body if body["status"] in ("done", "failed") else None


def test_async_article_is_accepted_then_stored_and_listed(client: TestClient, seed_text: str) -> None:
    response = client.post("/articles?async=true", json={"text": seed_text, "title": "Seed"})
    assert response.status_code == 202
    accepted = response.json()
    assert response.headers["location"] == accepted["location"] == f"/jobs/{accepted['job_id']}"
    assert accepted["total"] == 1

    job = wait_for(lambda: _finished(client, accepted["location"]))
    assert job["status"] == "done"
    assert (job["done"], job["failed"], job["progress"]) == (1, 0, 1.0)
    [result] = job["results"]
    assert result["status"] == 201 and result["created"] is True
    article = client.get(f"/articles/{result['article_id']}").json()
    assert "Dmitry Peskov" in {p["name"] for p in article["extraction"]["people"]}
    assert [a["id"] for a in client.get("/articles").json()["items"]] == [result["article_id"]]


def test_async_batch_reports_a_result_per_item(client: TestClient, seed_text: str) -> None:
    stored = client.post("/articles", json={"text": "An article stored before the batch came."}).json()
    articles = [
        {"text": seed_text},
        {"text": "   "},  # invalid: failed at once, the others still go
        {"text": "An article stored before the batch came."},
        {"text": seed_text + "\n"},  # the same text as the first: stored once
        {"text": "Moscow said on Monday that talks would resume."},
    ]
    response = client.post("/articles/batch?async=true", json={"articles": articles})
    assert response.status_code == 202
    job = wait_for(lambda: _finished(client, response.headers["location"]))

    assert job["status"] == "done"
    assert (job["total"], job["done"], job["failed"]) == (5, 5, 1)
    results = job["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["status"] for r in results] == [201, 422, 200, 200, 201]
    assert results[1]["problem"]["status"] == 422
    assert results[2]["article_id"] == stored["id"]
    assert results[3]["article_id"] == results[0]["article_id"]
    listed = {a["id"] for a in client.get("/articles").json()["items"]}
    assert listed == {stored["id"], results[0]["article_id"], results[4]["article_id"]}


def test_job_counts_without_results_on_request(client: TestClient) -> None:
    response = client.post(
        "/articles/batch?async=true", json={"articles": [{"text": "One."}, {"text": "Two."}]}
    )
    job = wait_for(lambda: _finished(client, response.headers["location"]))
    slim = client.get(response.headers["location"], params={"results": "false"}).json()
    assert slim["results"] == [] and slim["done"] == job["done"] == 2


def test_unknown_job_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/jobs/0123456789abcdef0123456789abcdef")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


@pytest.mark.parametrize("value", ["maybe", "2", ""])
def test_a_bad_async_value_is_422(client: TestClient, value: str) -> None:
    response = client.post(f"/articles?async={value}", json={"text": "Some text."})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    batch = client.post(f"/articles/batch?async={value}", json={"articles": [{"text": "Some text."}]})
    assert batch.status_code == 422


def test_async_false_stores_at_once(client: TestClient) -> None:
    assert client.post("/articles?async=false", json={"text": "Stored now."}).status_code == 201


def test_async_posting_needs_a_write_key_and_reading_a_job_a_key(settings: Settings) -> None:
    """A job belongs to the key that made it (issue 14): reading one needs a key, even with reads open."""
    with make_client(settings, auth_enabled=True) as client:
        assert client.post("/articles?async=true", json={"text": "No key."}).status_code == 401
        assert client.post("/articles/batch?async=true", json={"articles": []}).status_code == 401
        assert client.get("/jobs/0123456789abcdef0123456789abcdef").status_code == 401
