"""FastAPI dependencies as Annotated aliases: `def route(settings: SettingsDep)`.

The cheap ones are `async def`: FastAPI runs a plain `def` dependency in the thread
pool, and a thread hop per trivial lookup costs more than the lookup. Read routes take no
session: they hand their work to `app.db.read`, which runs it in one on a reader thread (or,
a quick SQLite read, on the event loop).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from app.config import Settings, get_settings
from app.db import get_engine
from app.errors import UnsupportedMediaType
from app.extraction import Extractor, load_pipeline
from app.extraction.pool import ExtractorPool
from app.queue import JobQueue, make_queue, pool_for


def app_settings(request: Request) -> Settings:
    """The settings the app was created with (create_app stores them); the environment's otherwise."""
    settings: Settings | None = getattr(request.app.state, "settings", None)
    return settings or get_settings()


async def _settings(request: Request) -> Settings:
    return app_settings(request)


SettingsDep = Annotated[Settings, Depends(_settings)]


async def _engine(settings: SettingsDep) -> Engine:
    return get_engine(settings)


EngineDep = Annotated[Engine, Depends(_engine)]


async def _extractor(settings: SettingsDep) -> Extractor:
    return load_pipeline(settings.model)


ExtractorDep = Annotated[Extractor, Depends(_extractor)]


async def _extractor_pool(settings: SettingsDep) -> ExtractorPool:
    return pool_for(settings)


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
