"""Background jobs keep the language rule: a text the pipeline does not cover never reaches it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from app.db import get_engine, session_scope
from app.models import Article
from app.services import jobs
from tests.api.test_language import ENGLISH, GERMAN, Recording
from tests.jobs.conftest import wait_for


def _finished(client: TestClient, location: str) -> dict[str, Any] | None:
    body: dict[str, Any] = client.get(location).json()
    return body if body["status"] in ("done", "failed") else None


def test_async_ingest_stores_a_german_article_unextracted(client: TestClient) -> None:
    response = client.post(
        "/articles/batch?async=true", json={"articles": [{"text": GERMAN}, {"text": ENGLISH}]}
    )
    assert response.status_code == 202
    job = wait_for(lambda: _finished(client, response.headers["location"]))
    german, english = (client.get(f"/articles/{r['article_id']}").json() for r in job["results"])
    assert (german["language"], german["extracted"], german["extraction"]["organisations"]) == (
        "de",
        False,
        [],
    )
    assert (english["language"], english["extracted"]) == ("en", True)


def test_reextract_passes_over_texts_in_languages_not_covered(client: TestClient, settings: Settings) -> None:
    german = client.post("/articles", json={"text": GERMAN}).json()["id"]
    english = client.post("/articles", json={"text": ENGLISH}).json()["id"]
    engine = get_engine(settings)
    with session_scope(engine, write=True) as session:
        job = jobs.create_reextract_job(session=session, article_ids=[german, english])
    recording = Recording()
    jobs.run_job(engine=engine, extractor=recording, settings=settings, job_id=job.id)
    assert recording.texts == [ENGLISH]
    with session_scope(engine) as session:
        assert session.get(Article, german).extracted is False  # type: ignore[union-attr]
        assert session.get(Article, english).extracted is True  # type: ignore[union-attr]
    assert client.get(f"/articles/{german}").json()["extraction"]["people"] == []
