"""The FastAPI application: create_app() wires settings, the extractor, routers and error handlers."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import migrate
from app.auth import ReadAccess
from app.config import Settings, get_settings
from app.errors import install_handlers
from app.extraction import load_pipeline
from app.middleware import BodySizeLimit
from app.observability import RequestContext, configure_logging
from app.queue import InProcessQueue, make_queue, pool_for
from app.routers import routers
from app.ui import install as install_dashboard

log = logging.getLogger("newsmeta")

DESCRIPTION = """
POST news articles; get back the **people**, **organisations**, **positions**,
**countries** and attributed **quotes** in them, stored for later queries.

Every error is an RFC 9457 problem-details object (`application/problem+json`).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # However the app is served (newsmeta serve, uvicorn --factory, gunicorn), errors reach
    # the log as JSON lines with their request id and traceback.
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            migrate.upgrade(settings)
        if settings.auth_enabled:
            _first_admin_key(settings)
        # Load the model before the first request, once per process, and start the
        # extraction processes (each loads its own) now rather than on the first batch.
        load_pipeline(settings.model)
        pool_for(settings).start()
        job_queue = make_queue(settings)
        if isinstance(job_queue, InProcessQueue):
            job_queue.start(recover=True)
        app.state.job_queue = job_queue
        _freeze_startup_objects()
        log.info("newsmeta ready: database %s, model %s", _safe_url(settings.database_url), settings.model)
        try:
            yield
        finally:
            job_queue.close()

    app = FastAPI(
        title="newsmeta",
        version=_version(),
        summary="Structured metadata from news articles.",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["Link", "ETag", "X-Next-Cursor", "Location"],
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContext)  # outermost: ids and timing cover everything below
    # With reads open (the default), reads pass no key check at all, rather than one that lets
    # every request through; writes and deletes check their own scope either way.
    read_guard = [ReadAccess] if settings.auth_enabled and settings.require_read_key else []
    for router in routers:
        app.include_router(router, dependencies=read_guard)
    # The dashboard checks the read key itself: without one it shows a form, not a problem.
    install_dashboard(app)
    return app


_frozen = False


def _freeze_startup_objects() -> None:
    """What is loaded by the first start-up (the language model above all, some 190,000 objects)
    lives as long as the process: kept out of the collector's sight, a full collection no longer
    walks it, which took about 100 ms, a stall for every request in flight. Once per process, and
    after a collection, so that no garbage is kept for good."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


def _first_admin_key(settings: Settings) -> None:
    """On the first start with auth on and no keys, make an admin key and print it, once."""
    from app.db import get_engine, session_scope
    from app.services import keys

    with session_scope(get_engine(settings), write=True) as session:
        created = keys.create_first_admin_key(session=session)
    if created is None:
        return
    key, record = created
    banner = (
        f"\n  newsmeta created its first API key (admin scope, id {record.id}). It is shown only now:\n\n"
        f"      {key}\n\n"
        "  Send it as 'Authorization: Bearer <key>' to post and delete articles; make narrower keys with\n"
        "  'newsmeta keys create --scope write'. Reads need no key unless NEWSMETA_REQUIRE_READ_KEY=true.\n"
    )
    sys.stderr.write(banner)
    sys.stderr.flush()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsmeta")
    except PackageNotFoundError:
        return "0.0.0"


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
