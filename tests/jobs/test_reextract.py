"""Re-extraction replaces an article's records with a newer extractor's, without duplicates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.db import get_engine, session_scope
from app.extraction import Extraction, load_pipeline
from app.models import Article, Job
from app.services import jobs

pytestmark = pytest.mark.model

TABLES = ("mention", "position", "quote", "person", "organisation", "article")


class NewerExtractor:
    """The real extractor, reporting a newer version (as after an upgrade)."""

    def __init__(self, settings: Settings, version: str = "9.0.0") -> None:
        self.inner = load_pipeline(settings.model)
        self.info = self.inner.info.model_copy(update={"version": version})

    def extract_many(self, texts: Sequence[str], /) -> Iterable[Extraction]:
        for extraction in self.inner.extract_many(texts):
            yield extraction.model_copy(update={"extractor": self.info})


def _counts(settings: Settings) -> dict[str, int]:
    with get_engine(settings).connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _versions(settings: Settings) -> set[str]:
    with session_scope(get_engine(settings)) as session:
        return set(session.execute(select(Article.extractor_version)).scalars())


def _post_two(client: TestClient, seed_text: str) -> None:
    articles = [
        {"text": seed_text},
        {"text": "Foreign Minister Sergei Lavrov said Russia was ready to talk."},
    ]
    assert client.post("/articles/batch", json={"articles": articles}).status_code == 200


def test_reextraction_replaces_records_without_duplicates(
    client: TestClient, settings: Settings, seed_text: str
) -> None:
    _post_two(client, seed_text)
    before = _counts(settings)
    assert before["mention"] and before["quote"] and before["person"]
    engine = get_engine(settings)
    with session_scope(engine, write=True) as session:
        ids = jobs.select_articles(session=session)
        job = jobs.create_reextract_job(session=session, article_ids=ids)

    status = jobs.run_job(engine=engine, extractor=NewerExtractor(settings), settings=settings, job_id=job.id)

    assert status == "done"
    assert _counts(settings) == before
    assert _versions(settings) == {"9.0.0"}
    with session_scope(engine) as session:
        finished = jobs.get_job(session=session, job_id=job.id)
    assert (finished.done, finished.failed) == (2, 0)
    assert {r.article_id for r in finished.results} == set(ids)


def test_running_a_finished_reextraction_again_changes_nothing(
    client: TestClient, settings: Settings, seed_text: str
) -> None:
    _post_two(client, seed_text)
    engine = get_engine(settings)
    with session_scope(engine, write=True) as session:
        job = jobs.create_reextract_job(session=session, article_ids=jobs.select_articles(session=session))
    newer = NewerExtractor(settings)
    jobs.run_job(engine=engine, extractor=newer, settings=settings, job_id=job.id)
    after_first = _counts(settings)
    with session_scope(engine, write=True) as session:
        session.execute(text("UPDATE job SET status = 'running'"))  # as if the queue delivered it twice
    jobs.run_job(engine=engine, extractor=newer, settings=settings, job_id=job.id)
    assert _counts(settings) == after_first


def test_before_version_selects_only_older_articles(
    client: TestClient, settings: Settings, seed_text: str
) -> None:
    _post_two(client, seed_text)
    engine = get_engine(settings)
    with session_scope(engine, write=True) as session:
        first, second = jobs.select_articles(session=session)
        session.execute(text("UPDATE article SET extractor_version = '0.10.0' WHERE id = :id"), {"id": first})
        session.execute(text("UPDATE article SET extractor_version = '0.9.0' WHERE id = :id"), {"id": second})
    with session_scope(engine) as session:
        # Versions compare as numbers: 0.9.0 is older than 0.10.0.
        assert jobs.select_articles(session=session, before_version="0.10.0") == [second]
        assert jobs.select_articles(session=session, before_version="0.9.0") == []
        assert jobs.select_articles(session=session, before_version="0.10.1") == [first, second]
        assert jobs.select_articles(session=session, article_ids=[first]) == [first]


def test_reextract_command_runs_in_process_with_no_queue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_text: str
) -> None:
    monkeypatch.setenv("NEWSMETA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSMETA_EXTRACT_WORKERS", "1")
    monkeypatch.delenv("NEWSMETA_QUEUE_URL", raising=False)
    get_settings.cache_clear()
    try:
        (tmp_path / "a.txt").write_text(seed_text, encoding="utf-8")
        runner = CliRunner()
        assert runner.invoke(cli, ["ingest", str(tmp_path / "a.txt")]).exit_code == 0
        settings = get_settings()
        before = _counts(settings)
        with session_scope(get_engine(settings), write=True) as session:
            session.execute(text("UPDATE article SET extractor_version = '0.0.1'"))

        result = runner.invoke(cli, ["reextract", "--before-version", "0.0.2"])

        assert result.exit_code == 0, result.output
        assert "1 re-extracted, 0 failed" in result.output
        assert _counts(settings) == before
        assert _versions(settings) == {load_pipeline(settings.model).info.version}
        with session_scope(get_engine(settings)) as session:
            assert session.execute(select(func.count()).select_from(Job)).scalar_one() == 1
    finally:
        get_settings.cache_clear()


def test_reextract_command_needs_a_selection() -> None:
    result = CliRunner().invoke(cli, ["reextract"])
    assert result.exit_code != 0
