"""A job whose queue message Redis lost (a restart without persistence) is queued again by the
workers' sweep, and only such a job: one still carried by a message is left alone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from app.config import Settings
from app.db import get_engine, session_scope
from app.models import ArticleCreate, Job
from app.models.common import utcnow
from app.queue import QUEUE_NAME, DramatiqQueue, make_broker, sweep_lost_jobs
from app.services import jobs


@pytest.fixture
def queue_settings(settings: Settings, redis_url: str, queue_namespace: str) -> Iterator[Settings]:
    configured = settings.model_copy(
        update={"queue_url": redis_url, "queue_namespace": queue_namespace, "queue_sweep_seconds": 1}
    )
    yield configured
    broker = make_broker(configured)
    keys = list(broker.client.scan_iter(f"{queue_namespace}:*"))
    if keys:
        broker.client.delete(*keys)
    broker.close()


def _job(settings: Settings, *, age: timedelta, status: str = "queued") -> str:
    """A job created `age` ago, with no message sent for it."""
    with session_scope(get_engine(settings), write=True) as session:
        job = jobs.create_ingest_job(session=session, articles=[ArticleCreate(text="The talks resumed.")])
        session.execute(
            update(Job).where(col(Job.id) == job.id).values(created_at=utcnow() - age, status=status)
        )
        return job.id


def _queued_job_ids(broker: object) -> list[str]:
    from dramatiq import Message

    client = broker.client  # type: ignore[attr-defined]
    namespace = broker.namespace  # type: ignore[attr-defined]
    return sorted(str(Message.decode(raw).args[0]) for raw in client.hvals(f"{namespace}:{QUEUE_NAME}.msgs"))


def test_the_sweep_queues_again_only_unfinished_jobs_no_message_carries(queue_settings: Settings) -> None:
    lost_queued = _job(queue_settings, age=timedelta(minutes=5))
    lost_running = _job(queue_settings, age=timedelta(hours=2), status="running")
    carried = _job(queue_settings, age=timedelta(minutes=5))
    DramatiqQueue(queue_settings).enqueue(carried)
    _job(queue_settings, age=timedelta(seconds=1))  # may be committed but not yet sent
    _job(queue_settings, age=timedelta(minutes=5), status="done")
    _job(queue_settings, age=timedelta(minutes=5), status="failed")

    broker = make_broker(queue_settings)
    try:
        swept = sweep_lost_jobs(queue_settings, broker)
        assert sorted(swept) == sorted([lost_queued, lost_running])
        assert _queued_job_ids(broker) == sorted([lost_queued, lost_running, carried])

        # Every unfinished job now has its message: a later sweep queues nothing twice.
        broker.client.delete(f"{queue_settings.queue_namespace}:newsmeta-sweep")
        assert sweep_lost_jobs(queue_settings, broker) == []
        assert len(_queued_job_ids(broker)) == 3
    finally:
        broker.close()


def test_two_workers_sweeping_at_once_queue_a_lost_job_once(queue_settings: Settings) -> None:
    lost = _job(queue_settings, age=timedelta(minutes=5))
    first, second = make_broker(queue_settings), make_broker(queue_settings)
    try:
        assert sweep_lost_jobs(queue_settings, first) == [lost]
        assert sweep_lost_jobs(queue_settings, second) == []  # within the first one's sweep interval
        assert _queued_job_ids(first) == [lost]
    finally:
        first.close()
        second.close()
