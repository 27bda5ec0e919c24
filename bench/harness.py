"""What the latency benchmarks share: a scratch database per backend and size filled with the
synthetic corpus (bench/corpus.py), the event loop `newsmeta serve` runs, a GET through the ASGI
app timed as the server sees it, and percentiles.

Postgres needs NEWSMETA_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
a database is created beside it for each size and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import platform
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import migrate
from app.config import Settings
from app.db import dispose_engines, get_engine
from bench.corpus import Corpus, generate


@contextmanager
def database(backend: str, size: int) -> Iterator[str]:
    """The URL of an empty database for one size: a temporary SQLite file, or a Postgres database
    created beside NEWSMETA_BENCH_POSTGRES_URL's; gone afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / f'bench{size}.db'}"
        return
    admin_url = Settings(
        database_url=os.environ.get(
            "NEWSMETA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        )
    ).database_url
    name = f"newsmeta_bench_{size}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def archives(stack: ExitStack, backend: str, sizes: list[int]) -> list[tuple[int, Settings, Corpus]]:
    """A migrated database per size filled with the corpus (dropped when `stack` closes), with
    the settings an app serves it with and what was generated."""
    built = []
    for size in sizes:
        url = stack.enter_context(database(backend, size))
        # No access log: a line per request written to the terminal would be timed with each call.
        settings = Settings(database_url=url, auto_migrate=False, auth_enabled=False, log_level="warning")
        migrate.upgrade(settings)
        started = time.perf_counter()
        corpus = generate(get_engine(settings), size)
        print(f"  {backend} {size}: corpus generated in {time.perf_counter() - started:.0f} s", flush=True)
        built.append((size, settings, corpus))
    return built


def server_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop `newsmeta serve` runs the app on, as uvicorn chooses it (loop="auto"):
    uvloop when it is installed, as the project's dependencies install it; else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def machine(requests: int, what: str) -> str:
    """The first line of a benchmark's output: the machine, its load, and how it was measured."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"machine: {platform.machine()} {os.cpu_count()} cpus (load average {load}), Python "
        f"{platform.python_version()}; {requests} requests per {what} (3 warm-up), times in ms; "
        f"event loop: {'uvloop' if server_loop() else 'asyncio'}"
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class AsgiClient:
    """GET through the ASGI app as a server hands it a parsed request: no client work is timed."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def get(self, url: str) -> tuple[int, bytes]:
        path, _, query = url.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"bench"), (b"accept", b"*/*")],
            "client": ("127.0.0.1", 50000),
            "server": ("bench", 80),
        }
        status = 0
        body: list[bytes] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(body)
