"""Request ids, /readyz and /metrics: what operators rely on to run the service."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.observability import JsonFormatter
from tests.conftest import make_client

pytestmark = pytest.mark.model


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    first = client.get("/articles")
    second = client.get("/articles/999999")
    assert len(first.headers["x-request-id"]) == 32
    assert second.headers["x-request-id"] != first.headers["x-request-id"]


def test_a_sane_client_request_id_is_echoed_and_junk_is_replaced(client: TestClient) -> None:
    assert client.get("/healthz", headers={"x-request-id": "job-42.a"}).headers["x-request-id"] == "job-42.a"
    replaced = client.get("/healthz", headers={"x-request-id": "bad id\twith junk"}).headers["x-request-id"]
    assert replaced != "bad id\twith junk" and len(replaced) == 32


def test_readyz_reports_database_migrations_and_model(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "model": "ok", "reads": "ok"}


def test_readyz_is_503_problem_when_the_database_is_unreachable(settings: Settings) -> None:
    with make_client(settings, database_url="postgresql://nobody@127.0.0.1:1/none", auto_migrate=False) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "database" in response.json()["detail"]


def test_readyz_is_503_when_migrations_are_pending(settings: Settings, tmp_path: object) -> None:
    with make_client(settings, database_url=f"sqlite:///{tmp_path}/empty.db", auto_migrate=False) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    assert "pending migrations" in response.json()["detail"]


def test_metrics_count_requests_and_ingested_articles(client: TestClient) -> None:
    client.post("/articles", json={"text": "Angela Merkel visited Paris on Monday."})
    client.get("/articles")
    body = client.get("/metrics").text
    assert 'newsmeta_http_requests_total{method="GET",route="/articles",status="200"}' in body
    assert 'newsmeta_articles_ingested_total{result="created"}' in body
    assert "newsmeta_http_request_duration_seconds_bucket" in body
    assert "newsmeta_extraction_seconds_count" in body


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord("newsmeta", logging.INFO, __file__, 1, "stored %s", ("x",), None)
    record.status = 201
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "stored x"
    assert line["status"] == 201
    assert line["request_id"] == "-"
    assert line["level"] == "info"
