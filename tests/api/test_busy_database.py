"""A write the database aborts as a deadlock victim is run again; one that keeps being aborted is a
503 with Retry-After (nothing was written), never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from app.services import ingest


class _Deadlock(Exception):
    sqlstate = "40P01"


def _deadlock() -> OperationalError:
    return OperationalError("DELETE FROM article ...", {}, _Deadlock("deadlock detected"))


def _post(client: TestClient) -> int:
    response = client.post("/articles", json={"text": "Angela Merkel met Emmanuel Macron in Paris."})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_delete_chosen_as_deadlock_victim_is_run_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = _post(client)
    real = ingest.delete_article
    calls = []

    def victim_once(**kwargs: Any) -> bool:
        calls.append(kwargs["article_id"])
        if len(calls) == 1:
            raise _deadlock()
        return real(**kwargs)

    monkeypatch.setattr(ingest, "delete_article", victim_once)
    assert client.delete(f"/articles/{article_id}").status_code == 204
    assert calls == [article_id, article_id]
    assert client.get(f"/articles/{article_id}").status_code == 404


def test_a_write_aborted_every_time_is_a_503_with_retry_after(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = _post(client)

    def always(**kwargs: Any) -> bool:
        raise _deadlock()

    monkeypatch.setattr(ingest, "delete_article", always)
    response = client.delete(f"/articles/{article_id}")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/busy"
    monkeypatch.undo()
    assert client.get(f"/articles/{article_id}").status_code == 200  # nothing was deleted


def test_other_database_errors_stay_500(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    article_id = _post(client)

    def broken(**kwargs: Any) -> bool:
        raise OperationalError("DELETE FROM article ...", {}, Exception("disk I/O error"))

    monkeypatch.setattr(ingest, "delete_article", broken)
    with TestClient(client.app, raise_server_exceptions=False) as plain:
        response = plain.delete(f"/articles/{article_id}")
    assert response.status_code == 500
    assert response.json()["title"] == "Internal server error"
