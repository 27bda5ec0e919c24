"""The FastAPI application: create_app() wires settings, the extractor, routers and error handlers."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import migrate, openapi
from app.auth import ReadAccess
from app.config import Settings, get_settings
from app.errors import install_handlers
from app.extraction import load_pipeline
from app.extraction.language import load_language_model
from app.http_edges import Edges
from app.limits import ExpensiveReads, RateLimits
from app.middleware import BodySizeLimit
from app.observability import RequestContext, configure_logging
from app.queue import InProcessQueue, make_queue, pool_for
from app.routers import routers
from app.routers.include import include
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
        load_language_model()
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

    # With reads open (the default), reads pass no key check at all, rather than one that lets
    # every request through; writes and deletes check their own scope either way. Anonymous
    # reads go through it when they are rate-limited.
    needs_read_key = settings.auth_enabled and settings.require_read_key
    read_guard = [ReadAccess] if needs_read_key or settings.anonymous_rate_limit_per_minute else []
    app = FastAPI(
        title="newsmeta",
        version=_version(),
        summary="Structured metadata from news articles.",
        description=DESCRIPTION + _limits(settings),
        lifespan=lifespan,
        generate_unique_id_function=openapi.operation_id,
        # app.openapi.install serves the document (behind the read key when reads need one)
        # and the docs pages, from local files.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    openapi.install(app, routers, reads_need_key=needs_read_key, guard=read_guard if needs_read_key else [])
    app.state.settings = settings
    # Rate limits of this app (app/auth.py): here, or in Redis shared by every server process.
    app.state.limiter = RateLimits(settings.limits_url, namespace=settings.queue_namespace)
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
    app.add_middleware(
        Edges,
        routes_of=app,
        body_timeout=settings.body_timeout_seconds,
        public_base_url=settings.public_base_url,
    )
    app.add_middleware(ExpensiveReads, max_per_client=settings.max_expensive_reads_per_client)
    app.add_middleware(RequestContext)  # outermost: ids and timing cover everything below
    for router in routers:
        include(app, router, dependencies=read_guard)  # not app.include_router: see app/routers/include.py
    # The dashboard checks the read key itself: without one it shows a form, not a problem.
    install_dashboard(app)
    return app


def _limits(settings: Settings) -> str:
    """The limits of this server, as the API description states them (docs/reliability.md)."""
    return f"""
**Limits of this server** (settings; see docs/reliability.md): article text at most
{settings.max_article_bytes:,} bytes and request bodies {settings.max_body_bytes:,} bytes (413); at most
{settings.max_batch_items} articles a batch; pages of {settings.default_page_size} items by default and at
most {settings.max_page_size} (422); dates within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z once
in UTC (422); a read may spend {settings.read_timeout_ms:,} ms in the database (503 past it); one client
may run {settings.max_expensive_reads_per_client or "any number of"} aggregates or searches at once (429);
one article stores at most {settings.max_entities_per_article} people and as many organisations,
{settings.max_mentions_per_article:,} mentions and {settings.max_quotes_per_article:,} quotes and
positions. `newsmeta serve` refuses request heads over {settings.max_header_bytes:,} bytes or
{settings.max_header_count} fields (431).
"""


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
    # Never on stderr or stdout: they carry the JSON logs, which log collectors keep and ship.
    terminal = _open_terminal()
    if terminal is not None:
        with terminal:
            terminal.write(banner)
        log.info("first admin key (id %s) created and shown on the terminal", record.id)
        return
    path = _write_private(settings.first_key_file, key + "\n")
    log.warning(
        "first admin key (id %s) created; there is no terminal to show it on, so it is in %s "
        "(mode 0600): read it, then delete the file",
        record.id,
        path,
    )


def _open_terminal() -> TextIO | None:
    """The controlling terminal, whatever stderr is redirected to; None without one (a container,
    a service manager)."""
    try:
        return open("/dev/tty", "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError:
        return None


def _write_private(path: Path, content: str) -> Path:
    """Write `content` to a new file only its owner may read (an old one is replaced)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(content)
    return path


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsmeta")
    except PackageNotFoundError:
        return "0.0.0"


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
