"""With the real queue (Dramatiq on Redis): a worker SIGKILLed mid-job loses nothing, stores nothing twice."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.db import get_engine, session_scope
from app.models import Article, ArticleCreate, Job
from app.queue import DramatiqQueue
from app.services import jobs
from tests.jobs.conftest import start_worker, stop, wait_for, worker_env

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _job(settings: Settings, job_id: str) -> Job:
    with session_scope(get_engine(settings)) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_killed_workers_job_is_retried_and_every_article_stored_once(
    pg_settings: Settings, redis_url: str, queue_namespace: str, seed_text: str, tmp_path: Path
) -> None:
    texts = [f"{seed_text}\n\nUpdate {i}: the talks were put off again." for i in range(40)]
    engine = get_engine(pg_settings)
    with session_scope(engine, write=True) as session:
        job = jobs.create_ingest_job(session=session, articles=[ArticleCreate(text=t) for t in texts])
    queue_settings = pg_settings.model_copy(
        update={"queue_url": redis_url, "queue_namespace": queue_namespace}
    )
    env = worker_env(pg_settings.database_url, redis_url, queue_namespace)
    log = tmp_path / "workers.log"
    first = start_worker(env, log)
    second = None
    try:
        DramatiqQueue(queue_settings).enqueue(job.id)
        # Kill the first worker once it has stored part of the job, not all of it.
        wait_for(lambda: 0 < _job(pg_settings, job.id).done < len(texts), what="the first worker's start")
        stop(first, signal.SIGKILL)
        interrupted = _job(pg_settings, job.id)
        assert interrupted.status == "running" and interrupted.done < len(texts)

        second = start_worker(env, log)
        finished = wait_for(
            lambda: (j := _job(pg_settings, job.id)).status in jobs.FINISHED and j, what="the retried job"
        )
    finally:
        stop(first, signal.SIGKILL)
        if second is not None:
            stop(second)

    assert finished.status == "done", log.read_text()
    assert finished.attempts == 2
    assert (finished.done, finished.failed) == (len(texts), 0)
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Article)).scalar_one() == len(texts)
        result = jobs.get_job(session=session, job_id=job.id)
    stored = [r.article_id for r in result.results]
    assert None not in stored and len(set(stored)) == len(texts)
