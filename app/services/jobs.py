"""Jobs: create them, run them (on whichever worker the queue hands them to), report on them.

Running a job is safe to repeat and to interrupt. Each item is finished in one
transaction together with its article: the item is claimed (`status IS NULL` ->
set), the article and its records written, the job's counters moved. A worker
killed mid-job leaves whole articles only; the job's next run skips the items
already done, and a second runner racing the first finds them claimed.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, delete, select, update
from sqlmodel import Session, col

from app.config import Settings
from app.db import in_transaction, session_scope
from app.errors import AppError, NotFound, Problem, scrub_addresses
from app.extraction import Extraction
from app.models import Article, ArticleCreate, Job, JobItem, JobItemResult, JobPublic
from app.models.common import utcnow
from app.observability import ARTICLES_INGESTED, EXTRACTION_SECONDS
from app.services import ingest

log = logging.getLogger("newsmeta.jobs")

FINISHED = ("done", "failed")
_JOB_ID = re.compile("[0-9a-f]{32}")


def new_job_id() -> str:
    return secrets.token_hex(16)


def create_ingest_job(
    *,
    session: Session,
    articles: Sequence[ArticleCreate | Problem],
    job_id: str | None = None,
    owner_key_id: int | None = None,
) -> Job:
    """A queued ingest job, one item per article; a `Problem` stands for an item already failed."""
    job = Job(id=job_id or new_job_id(), kind="ingest", total=len(articles), owner_key_id=owner_key_id)
    session.add(job)
    session.flush()
    # Every row with the same keys: an executemany takes its columns from the first row.
    items: list[dict[str, Any]] = []
    for index, item in enumerate(articles):
        row: dict[str, Any] = {"job_id": job.id, "index": index, "status": None, "problem": None}
        if isinstance(item, Problem):
            row.update(input={}, status=item.status, problem=item.model_dump(exclude_none=True))
            job.done += 1
            job.failed += 1
        else:
            row["input"] = item.model_dump(mode="json")
        items.append(row)
    _insert_items(session, items)
    session.add(job)
    session.flush()
    return job


def submit(*, engine: Engine, enqueue: Callable[[str], None], create: Callable[[Session], Job]) -> Job:
    """Commit the job `create` makes, then queue it; a job the queue refused is marked failed."""
    with session_scope(engine, write=True) as session:
        job = create(session)
    try:
        enqueue(job.id)
    except Exception as exc:
        mark_failed(engine=engine, job_id=job.id, error=f"could not queue the job: {exc}")
        raise
    return job


def create_reextract_job(*, session: Session, article_ids: Sequence[int]) -> Job:
    """A queued job re-running the extractor over these articles."""
    job = Job(id=new_job_id(), kind="reextract", total=len(article_ids))
    session.add(job)
    session.flush()
    _insert_items(
        session,
        [{"job_id": job.id, "index": i, "input": {"article_id": a}} for i, a in enumerate(article_ids)],
    )
    session.flush()
    return job


def _insert_items(session: Session, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 1000):
        session.execute(JobItem.__table__.insert(), items[start : start + 1000])  # type: ignore[attr-defined]


def select_articles(
    *, session: Session, before_version: str | None = None, article_ids: Sequence[int] | None = None
) -> list[int]:
    """Ids of the articles to re-extract: those extracted by a version older than `before_version`,
    and/or these ids; all articles when neither is given."""
    query = select(col(Article.id), col(Article.extractor_version)).order_by(col(Article.id))
    if article_ids:
        query = query.where(col(Article.id).in_(article_ids))
    rows = session.execute(query).all()
    if before_version is None:
        return [article_id for article_id, _ in rows]
    limit = version_key(before_version)
    return [article_id for article_id, version in rows if version_key(version) < limit]


def version_key(version: str) -> tuple[int, ...]:
    """'0.10.1' -> (0, 10, 1), so versions compare as numbers, not strings."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def get_job(
    *, session: Session, job_id: str, with_results: bool = True, reader: JobReader | None = None
) -> JobPublic:
    """A job with its results; `reader` (None: anyone) sees only its own jobs unless an admin.

    Another key's job is "not found", as one that does not exist: ids are not to be probed."""
    # Only ids this service could have made reach the database (Postgres refuses a NUL in text).
    job = session.get(Job, job_id) if _JOB_ID.fullmatch(job_id) else None
    if job is not None and reader is not None and not reader.admin and job.owner_key_id != reader.key_id:
        job = None
    if job is None:
        raise NotFound(f"no job with id {job_id!r}")
    results: list[JobItemResult] = []
    if with_results:
        rows = session.execute(
            select(JobItem).where(col(JobItem.job_id) == job_id).order_by(col(JobItem.index))
        ).scalars()
        results = [
            JobItemResult(
                index=r.index, status=r.status, article_id=r.article_id, created=r.created, problem=r.problem
            )
            for r in rows
        ]
    return JobPublic(
        **job.model_dump(),
        progress=round(job.done / job.total, 4) if job.total else 1.0,
        results=results,
    )


@dataclass(frozen=True)
class JobReader:
    """Who asks for a job: a key's id, and whether it is an admin's."""

    key_id: int | None
    admin: bool


# --- Retention: stored inputs (article texts) and finished jobs do not stay for ever -----------


def forget_article(*, session: Session, article_id: int) -> None:
    """Drop the stored inputs of the job items that made or found this article (its text), in the
    caller's transaction: deleting an article deletes its text everywhere."""
    session.execute(
        update(JobItem)
        .where(col(JobItem.article_id) == article_id, col(JobItem.status).is_not(None))
        .values(input={})
    )


def purge(*, engine: Engine, settings: Settings) -> None:
    """Delete the jobs finished longer ago than NEWSMETA_JOB_RETENTION_DAYS (their items too),
    and the inputs of those finished longer ago than NEWSMETA_JOB_INPUT_RETENTION_HOURS."""
    now = utcnow()
    old_jobs = select(col(Job.id)).where(
        col(Job.finished_at) < now - timedelta(days=settings.job_retention_days)
    )
    with session_scope(engine, write=True) as session:
        session.execute(delete(JobItem).where(col(JobItem.job_id).in_(old_jobs)))
        session.execute(delete(Job).where(col(Job.id).in_(old_jobs)))
        if settings.job_input_retention_hours:
            kept_until = now - timedelta(hours=settings.job_input_retention_hours)
            session.execute(
                update(JobItem)
                .where(col(JobItem.job_id).in_(select(col(Job.id)).where(col(Job.finished_at) < kept_until)))
                .values(input={})
            )


def _finished(session: Session, settings: Settings, job_id: str) -> None:
    """A job has finished: with no input retention its items' inputs go now, in its transaction."""
    if not settings.job_input_retention_hours:
        session.execute(update(JobItem).where(col(JobItem.job_id) == job_id).values(input={}))


def unfinished_job_ids(*, session: Session, created_before: datetime | None = None) -> list[str]:
    """Jobs queued or running, oldest first (only those created before `created_before`, if given)."""
    query = select(col(Job.id)).where(col(Job.status).not_in(FINISHED)).order_by(col(Job.created_at))
    if created_before is not None:
        query = query.where(col(Job.created_at) < created_before)
    return list(session.execute(query).scalars())


class GiveUp(Exception):
    """The job has been started too often; it is marked failed and not retried."""


def run_job(*, engine: Engine, extractor: ingest.TextExtractor, settings: Settings, job_id: str) -> str:
    """Run (or resume) a job to its end; its final status. Raises for the queue to retry."""
    with session_scope(engine, write=True) as session:
        job = session.get(Job, job_id)
        if job is None:
            log.warning("job %s not found; nothing to do", job_id)
            return "missing"
        if job.status in FINISHED:
            return job.status
        job.attempts += 1
        if job.attempts > settings.job_max_attempts:
            job.status = "failed"
            job.error = job.error or f"gave up after {settings.job_max_attempts} attempts"
            job.finished_at = utcnow()
            session.add(job)
            _finished(session, settings, job_id)
            return "failed"
        job.status = "running"
        job.started_at = job.started_at or utcnow()
        kind = job.kind
        session.add(job)
    try:
        step = settings.extract_batch_size * max(1, settings.extract_workers)
        while True:
            with session_scope(engine) as session:
                pending = list(
                    session.execute(
                        select(col(JobItem.index), col(JobItem.input))
                        .where(col(JobItem.job_id) == job_id, col(JobItem.status).is_(None))
                        .order_by(col(JobItem.index))
                        .limit(step)
                    ).all()
                )
            if not pending:
                break
            if kind == "reextract":
                _reextract_items(
                    engine=engine, extractor=extractor, settings=settings, job_id=job_id, items=pending
                )
            else:
                _ingest_items(
                    engine=engine, extractor=extractor, settings=settings, job_id=job_id, items=pending
                )
    except Exception as exc:
        with session_scope(engine, write=True) as session:
            session.execute(
                update(Job)
                .where(col(Job.id) == job_id)
                .values(error=scrub_addresses(f"{type(exc).__name__}: {exc}")[:2000])
            )
        raise
    with session_scope(engine, write=True) as session:
        session.execute(
            update(Job)
            .where(col(Job.id) == job_id, col(Job.status).not_in(FINISHED))
            .values(status="done", finished_at=utcnow(), error=None)
        )
        _finished(session, settings, job_id)
    try:
        purge(engine=engine, settings=settings)
    except Exception:  # the job is done whatever became of the housekeeping
        log.exception("could not purge old jobs")
    return "done"


def mark_failed(*, engine: Engine, job_id: str, error: str, settings: Settings | None = None) -> None:
    with session_scope(engine, write=True) as session:
        session.execute(
            update(Job)
            .where(col(Job.id) == job_id, col(Job.status).not_in(FINISHED))
            .values(status="failed", finished_at=utcnow(), error=scrub_addresses(error)[:2000])
        )
        if settings is None or not settings.job_input_retention_hours:
            session.execute(update(JobItem).where(col(JobItem.job_id) == job_id).values(input={}))


class _AlreadyDone(Exception):
    """Another runner finished this item first: roll back this one's transaction."""


def _claim(session: Session, job_id: str, index: int, **result: Any) -> None:
    """Set an item's result if no one has yet, and count it on the job; in the caller's transaction."""
    claimed = session.execute(
        update(JobItem)
        .where(col(JobItem.job_id) == job_id, col(JobItem.index) == index, col(JobItem.status).is_(None))
        .values(**result)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise _AlreadyDone
    failed = 1 if result["status"] >= 400 else 0
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id)
        .values(done=col(Job.done) + 1, failed=col(Job.failed) + failed)
    )


def _finish_item(engine: Engine, job_id: str, index: int, write: Any) -> None:
    """One item's transaction: `write(session)` returns the item's result, claimed before commit."""

    def finish(session: Session) -> None:
        _claim(session, job_id, index, **write(session))

    try:
        in_transaction(engine, finish)
    except _AlreadyDone:
        log.info("job %s item %d was finished by another run", job_id, index)


def _ingest_items(
    *,
    engine: Engine,
    extractor: ingest.TextExtractor,
    settings: Settings,
    job_id: str,
    items: list[Any],
) -> None:
    todo: list[tuple[int, ArticleCreate, str]] = []
    for index, raw in items:
        try:
            article = ArticleCreate.model_validate(raw)
            ingest.check_size(article, settings=settings)
        except (ValidationError, AppError) as exc:
            problem = Problem(
                type="/problems/invalid-input", title="Invalid input", status=422, detail=str(exc)
            )
            _finish_item(engine, job_id, index, lambda _s, p=problem: _failed(p))
            continue
        digest = ingest.content_hash(article.text)
        with session_scope(engine) as session:
            found = ingest.find_existing(session=session, article_in=article, digest=digest)
        if found is not None:
            _finish_item(
                engine, job_id, index, lambda _s, f=found: {"status": 200, "article_id": f, "created": False}
            )
            ARTICLES_INGESTED.labels("existing").inc()
        else:
            todo.append((index, article, digest))
    if not todo:
        return
    languages = [ingest.article_language(article, settings=settings) for _, article, _ in todo]
    started = time.perf_counter()
    extractions = ingest.extract_covered(
        extractor=extractor,
        settings=settings,
        texts=[article.text for _, article, _ in todo],
        languages=languages,
    )
    EXTRACTION_SECONDS.observe(time.perf_counter() - started)
    for (index, article, digest), extraction, language in zip(todo, extractions, languages, strict=True):
        if isinstance(extraction, AppError):
            _fail_item(engine, job_id, index, extraction)
            continue

        def write(
            session: Session,
            a: ArticleCreate = article,
            d: str = digest,
            e: Extraction = extraction,
            lang: ingest.Language = language,
        ) -> Any:
            res = ingest.store_article(session=session, article_in=a, digest=d, extraction=e, language=lang)
            ARTICLES_INGESTED.labels("created" if res.created else "existing").inc()
            return {
                "status": 201 if res.created else 200,
                "article_id": res.article_id,
                "created": res.created,
            }

        _finish_item(engine, job_id, index, write)


def _reextract_items(
    *, engine: Engine, extractor: ingest.TextExtractor, settings: Settings, job_id: str, items: list[Any]
) -> None:
    ids = {index: int(raw["article_id"]) for index, raw in items}
    with session_scope(engine) as session:
        rows = session.execute(
            select(
                col(Article.id), col(Article.text), col(Article.language), col(Article.language_detected)
            ).where(col(Article.id).in_(ids.values()))
        ).all()
        texts: dict[int, str] = {row[0]: row[1] for row in rows}
        languages = {row[0]: ingest.stored_language(row[2], row[3], settings=settings) for row in rows}
    for index, article_id in ids.items():
        if article_id not in texts:
            problem = Problem(
                type="/problems/not-found", title="Not found", status=404, detail=f"no article {article_id}"
            )
            _finish_item(engine, job_id, index, lambda _s, p=problem: _failed(p))
    todo = [(index, article_id) for index, article_id in ids.items() if article_id in texts]
    if not todo:
        return
    extractions = ingest.extract_covered(
        extractor=extractor,
        settings=settings,
        texts=[texts[article_id] for _, article_id in todo],
        languages=[languages[article_id] for _, article_id in todo],
    )
    for (index, article_id), extraction in zip(todo, extractions, strict=True):
        if isinstance(extraction, AppError):
            _fail_item(engine, job_id, index, extraction)
            continue

        def write(
            session: Session,
            a: int = article_id,
            e: Extraction = extraction,
            x: bool = languages[article_id].supported,
        ) -> Any:
            if not ingest.reextract_article(session=session, article_id=a, extraction=e, extracted=x):
                return _failed(
                    Problem(
                        type="/problems/not-found", title="Not found", status=404, detail=f"no article {a}"
                    )
                )
            return {"status": 200, "article_id": a, "created": False}

        _finish_item(engine, job_id, index, write)


def _fail_item(engine: Engine, job_id: str, index: int, error: AppError) -> None:
    """An item the extractor refused (over budget) fails alone; one it could not run now
    (shutting down, 503) fails the attempt, so the job is retried."""
    if error.status >= 500:
        raise error
    problem = Problem(type=error.type, title=error.title, status=error.status, detail=error.detail)
    _finish_item(engine, job_id, index, lambda _s: _failed(problem))


def _failed(problem: Problem) -> dict[str, Any]:
    return {"status": problem.status, "problem": problem.model_dump(exclude_none=True)}
