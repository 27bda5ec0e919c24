"""FastAPI dependencies as Annotated aliases: `def route(session: SessionDep)`.

The cheap ones are `async def`: FastAPI runs a plain `def` dependency in the thread
pool, and a thread hop per trivial lookup costs more than the lookup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import get_engine, read_engine
from app.errors import UnsupportedMediaType
from app.extraction import Extractor, load_pipeline
from app.extraction.pool import ExtractorPool, get_pool
from app.queue import JobQueue, make_queue


async def _settings(request: Request) -> Settings:
    """The settings the app was created with (create_app stores them); the environment's otherwise."""
    settings: Settings | None = getattr(request.app.state, "settings", None)
    return settings or get_settings()


SettingsDep = Annotated[Settings, Depends(_settings)]


async def _engine(settings: SettingsDep) -> Engine:
    return get_engine(settings)


EngineDep = Annotated[Engine, Depends(_engine)]


async def _session(request: Request) -> AsyncIterator[Session]:
    """A read session per request (on Postgres in autocommit: app.db.read_engine), closed when
    the response is done; closing ends its read transaction and returns its connection.

    Requests that write open their own transaction (app.db.in_transaction), so this one has
    nothing to commit. Opening a session does no I/O (the connection is taken on first use,
    in the route's thread), nor does ending a read, so this runs on the event loop. It reads
    the settings itself rather than through SettingsDep and EngineDep: every read request
    takes one, and each level of dependencies costs FastAPI a resolution.
    """
    session = Session(read_engine(get_engine(await _settings(request))), expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(_session)]


async def _extractor(settings: SettingsDep) -> Extractor:
    return load_pipeline(settings.model)


ExtractorDep = Annotated[Extractor, Depends(_extractor)]


async def _extractor_pool(settings: SettingsDep) -> ExtractorPool:
    return get_pool(settings.model, workers=settings.extract_workers, batch_size=settings.extract_batch_size)


ExtractorPoolDep = Annotated[ExtractorPool, Depends(_extractor_pool)]


async def _job_queue(request: Request, settings: SettingsDep) -> JobQueue:
    """The queue create_app's lifespan made; without one (no lifespan ran), a new in-process one."""
    job_queue: JobQueue | None = getattr(request.app.state, "job_queue", None)
    if job_queue is None:
        job_queue = request.app.state.job_queue = make_queue(settings)
    return job_queue


JobQueueDep = Annotated[JobQueue, Depends(_job_queue)]


async def require_json(request: Request) -> None:
    """POST bodies are JSON: anything else is a 415, not a confusing validation error."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json (got {content_type or 'no content type'})"
        )
