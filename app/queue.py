"""Where jobs run: a thread in this process, or `newsmeta worker` processes through Dramatiq on Redis.

Either way the queue carries a job id and nothing else; the job lives in the
database (app/services/jobs.py). With NEWSMETA_QUEUE_URL unset, a thread in the
API process runs jobs one after another and, when it starts, picks up jobs an
earlier process left unfinished. With a redis:// URL, Dramatiq's Redis broker
delivers each job to one worker and acknowledges it only when the job returns;
a worker that dies (even SIGKILL) stops sending heartbeats, and its unacknowledged
jobs go back on the queue for another worker. A message Redis itself lost (a
restart without persistence) is found by the workers' sweep (`sweep_lost_jobs`):
an unfinished job that no message in Redis carries is queued again.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from app.config import Settings
from app.db import get_engine, session_scope
from app.errors import AppError
from app.extraction.pool import ExtractorPool, get_pool
from app.models import Job
from app.models.common import utcnow
from app.services import jobs

log = logging.getLogger("newsmeta.queue")

QUEUE_NAME = "newsmeta-jobs"
ACTOR_NAME = "newsmeta_run_job"
# A long re-extraction is one job; a dead worker is found by heartbeats, not by a time limit.
JOB_TIME_LIMIT_MS = 7 * 24 * 3600 * 1000


class QueueUnavailable(AppError):
    status = 503
    title = "Job queue unavailable"
    type = "/problems/queue-unavailable"


class JobQueue(Protocol):
    def enqueue(self, job_id: str) -> None: ...

    def close(self) -> None: ...


def pool_for(settings: Settings) -> ExtractorPool:
    return get_pool(
        settings.model,
        workers=settings.extract_workers,
        batch_size=settings.extract_batch_size,
        timeout_seconds=settings.extract_timeout_seconds,
        max_rss_bytes=settings.extract_max_rss_mb * 1_000_000,
    )


def execute(*, engine: Engine, settings: Settings, job_id: str) -> str:
    """Run a job; past its last attempt a failure marks it failed, before that it raises for a retry."""
    try:
        return jobs.run_job(engine=engine, extractor=pool_for(settings), settings=settings, job_id=job_id)
    except Exception as exc:
        with session_scope(engine) as session:
            job = session.get(Job, job_id)
            attempts = job.attempts if job is not None else settings.job_max_attempts
        if attempts >= settings.job_max_attempts:
            log.exception("job %s failed on attempt %d; giving up", job_id, attempts)
            jobs.mark_failed(
                engine=engine, job_id=job_id, error=f"{type(exc).__name__}: {exc}", settings=settings
            )
            return "failed"
        log.warning("job %s failed on attempt %d; it will be retried: %s", job_id, attempts, exc)
        raise


class InProcessQueue:
    """One thread running this process's jobs in order; failed runs come back after a pause."""

    def __init__(self, settings: Settings, *, retry_delay: float = 2.0) -> None:
        self.settings = settings
        self.engine = get_engine(settings)
        self.retry_delay = retry_delay
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    def start(self, *, recover: bool = True) -> None:
        """Start the thread; with `recover`, it first queues the jobs the database holds as unfinished."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, args=(recover,), name="newsmeta-jobs", daemon=True
                )
                self._thread.start()

    def enqueue(self, job_id: str) -> None:
        self.start(recover=False)
        self._queue.put(job_id)

    def _recover(self) -> None:
        try:
            with session_scope(self.engine) as session:
                unfinished = jobs.unfinished_job_ids(session=session)
        except Exception:
            # A server whose database is down still starts (and /readyz says why).
            log.exception("could not look for unfinished jobs")
            return
        for job_id in unfinished:
            self._queue.put(job_id)

    def _run(self, recover: bool) -> None:
        if recover:
            self._recover()
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                execute(engine=self.engine, settings=self.settings, job_id=job_id)
            except Exception:
                if not self._closed:
                    timer = threading.Timer(self.retry_delay, self._queue.put, args=(job_id,))
                    timer.daemon = True
                    timer.start()

    def close(self) -> None:
        """Stop after the job under way (an unfinished one is resumed by the next start)."""
        self._closed = True
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            # Jump the queue: pending jobs stay queued in the database for the next start.
            with self._queue.mutex:
                self._queue.queue.clear()
            self._queue.put(None)
            thread.join()


def make_broker(settings: Settings) -> Any:
    """Dramatiq's Redis broker with newsmeta's retry and dead-worker settings, and the job actor."""
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker
    from dramatiq.middleware import AgeLimit, Callbacks, Pipelines, Retries, ShutdownNotifications, TimeLimit

    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=settings.queue_url,
        namespace=settings.queue_namespace,
        heartbeat_timeout=settings.queue_heartbeat_timeout_ms,
        maintenance_chance=settings.queue_maintenance_chance,
        middleware=[
            AgeLimit(),
            TimeLimit(time_limit=JOB_TIME_LIMIT_MS),
            ShutdownNotifications(),
            Callbacks(),
            Pipelines(),
            Retries(max_retries=settings.job_max_attempts, min_backoff=1000, max_backoff=30_000),
        ],
    )
    dramatiq.set_broker(broker)

    def run_job(job_id: str) -> None:
        execute(engine=get_engine(settings), settings=settings, job_id=job_id)

    dramatiq.actor(actor_name=ACTOR_NAME, queue_name=QUEUE_NAME, broker=broker)(run_job)
    return broker


class DramatiqQueue:
    """Sends job ids to `newsmeta worker` processes through Redis."""

    def __init__(self, settings: Settings) -> None:
        self.broker = make_broker(settings)

    def enqueue(self, job_id: str) -> None:
        try:
            self.broker.get_actor(ACTOR_NAME).send(job_id)
        except Exception as exc:
            # Where the queue lives is for the log; the client learns only that it is unreachable.
            log.warning("could not queue job %s: %s: %s", job_id, type(exc).__name__, exc)
            raise QueueUnavailable(
                f"could not queue job {job_id}: the job queue is unreachable ({type(exc).__name__})"
            ) from exc

    def close(self) -> None:
        self.broker.close()


def make_queue(settings: Settings) -> InProcessQueue | DramatiqQueue:
    return DramatiqQueue(settings) if settings.queue_url else InProcessQueue(settings)


# A job younger than this may be committed but not yet sent: the sweep leaves it alone.
SWEEP_GRACE = timedelta(seconds=30)


def sweep_lost_jobs(settings: Settings, broker: Any, *, grace: timedelta = SWEEP_GRACE) -> list[str]:
    """Queue again the unfinished jobs whose message Redis no longer holds; their ids.

    Dramatiq keeps a message in its queue's `.msgs` hash (or the delay queue's) from
    enqueue until a worker acknowledges it, through delivery, retries and redelivery
    after a worker's death. An unfinished job with no such message was lost with
    Redis's memory. Running a job twice stores nothing twice (each item is claimed
    in its article's transaction), but one worker sweeps at a time all the same:
    a short Redis lock keeps two workers from queueing the same job twice.
    """
    from dramatiq import Message
    from dramatiq.common import dq_name

    client = broker.client
    lock = f"{broker.namespace}:newsmeta-sweep"
    if not client.set(lock, "1", nx=True, ex=max(1, int(settings.queue_sweep_seconds))):
        return []
    carried: set[str] = set()
    for name in (QUEUE_NAME, dq_name(QUEUE_NAME)):
        for raw in client.hvals(f"{broker.namespace}:{name}.msgs"):
            try:
                args = Message.decode(raw).args
            except Exception:  # noqa: BLE001 - someone else's message shape: not ours to judge
                continue
            if args:
                carried.add(str(args[0]))
    with session_scope(get_engine(settings)) as session:
        lost = [
            job_id
            for job_id in jobs.unfinished_job_ids(session=session, created_before=utcnow() - grace)
            if job_id not in carried
        ]
    actor = broker.get_actor(ACTOR_NAME)
    for job_id in lost:
        log.warning("job %s is unfinished but no queued message carries it; queueing it again", job_id)
        actor.send(job_id)
    return lost


def _sweep_until(stop: threading.Event, settings: Settings, broker: Any) -> None:
    while not stop.wait(settings.queue_sweep_seconds):
        try:
            sweep_lost_jobs(settings, broker)
        except Exception:
            log.exception("the sweep for lost jobs failed; trying again later")


def run_worker(settings: Settings, *, threads: int = 1) -> None:
    """Take jobs from the queue until SIGTERM or SIGINT (the job under way is finished first)."""
    from dramatiq import Worker

    if not settings.queue_url:
        raise SystemExit("newsmeta worker needs a queue: set NEWSMETA_QUEUE_URL=redis://host:6379/0")
    broker = make_broker(settings)
    pool = pool_for(settings)
    pool.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker = Worker(broker, worker_threads=threads, worker_timeout=1000)
    # Take a job only when a thread is free for it: a job prefetched behind a long one
    # would wait there while another worker sits idle.
    worker.queue_prefetch = threads
    worker.start()
    sweeper = threading.Thread(
        target=_sweep_until, args=(stop, settings, broker), name="newsmeta-sweep", daemon=True
    )
    sweeper.start()
    log.info("worker ready: queue %s, %d extraction processes", QUEUE_NAME, pool.workers)
    try:
        stop.wait()
    finally:
        worker.stop()
        broker.close()
        pool.close()
