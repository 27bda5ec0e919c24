"""Helpers for the reliability suite: fresh migrated databases, seeded articles, problem checks,
and real `uvicorn` server processes on free ports for the concurrency and crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import migrate
from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import load_pipeline
from app.models import ArticleCreate
from app.services import ingest, keys

ROOT = Path(__file__).resolve().parents[2]

SEED_ARTICLES = [
    {
        "text": "Kremlin spokesperson Dmitry Peskov said on Monday that Russia remains open to talks. "
        "“We are ready,” Peskov said.",
        "title": "Kremlin on talks",
        "url": "https://example.org/news/1",
        "external_id": "seed-1",
        "source": "Example News",
        "published_at": "2024-05-01T09:30:00Z",
    },
    {
        "text": "German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin. "
        "Macron said Europe must stand together.",
        "published_at": "2024-06-02",
    },
    {"text": "NATO Secretary General Jens Stoltenberg visited Kyiv, Ukraine, on Tuesday."},
]


def assert_problem(response: httpx.Response | Any, status: int | None = None) -> dict[str, Any]:
    """A 4xx RFC 9457 answer: problem+json with `status` and `title` that match the response."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    if status is not None:
        assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert isinstance(body["title"], str) and body["title"]
    return body


def migrated(url: str, **overrides: Any) -> Settings:
    settings = Settings(database_url=url, auto_migrate=False, **overrides)
    migrate.upgrade(settings)
    return settings


def seed(settings: Settings, articles: list[dict[str, Any]] = SEED_ARTICLES) -> list[int]:
    """Store articles straight through the ingest service; their ids."""
    results = ingest.ingest_many(
        engine=get_engine(settings),
        extractor=load_pipeline(settings.model),
        settings=settings,
        articles=[ArticleCreate.model_validate(a) for a in articles],
    )
    return [r.article_id for r in results]


def new_key(settings: Settings, scope: keys.Scope) -> str:
    with session_scope(get_engine(settings), write=True) as session:
        key, _ = keys.create_key(session=session, scope=scope, name=f"reliability {scope}")
    return key


# --- Figures for the lead: printed at the end of the run (`pytest -rA` not needed) -------------

FIGURES: list[str] = []


def record(line: str) -> None:
    """A figure worth quoting (requests sent, errors, articles lost), shown in the terminal summary."""
    FIGURES.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("reliability figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


# --- Real server processes ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL the server and everything it started (its extraction processes): no shutdown
        handlers, no flushing; what a power cut, the OOM killer or a container stop does."""
        self._kill_group()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM, as an orchestrator stops a server; then SIGKILL whatever is left of its group."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def _kill_group(self) -> None:
        # The server runs in a session of its own, so its process group is its id and holds
        # its children too (a server's extraction processes can outlive it otherwise).
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMETA_")}
    env.update(
        NEWSMETA_DATABASE_URL=database_url,
        NEWSMETA_AUTH_ENABLED="false",
        NEWSMETA_LOG_LEVEL="info",
        **extra,
    )
    return env


def start_server(database_url: str, log: Path, *, startup_timeout: float = 120, **env: str) -> Server:
    """`uvicorn app.main:create_app --factory` on a free port, ready when /readyz says so."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=server_env(database_url, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", log=log)
    deadline = time.monotonic() + startup_timeout
    last = "no answer"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{server.log_text()[-3000:]}")
            try:
                ready = httpx.get(f"{server.url}/readyz", timeout=2)
                if ready.status_code == 200:
                    return server
                last = f"{ready.status_code} {ready.text[:300]}"
            except httpx.HTTPError as exc:
                last = repr(exc)
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"server not ready in {startup_timeout}s (/readyz: {last}):\n{server.log_text()[-3000:]}"
                )
            time.sleep(0.2)
    except BaseException:
        server.kill()
        raise


@contextmanager
def running_server(database_url: str, log: Path, **env: str) -> Iterator[Server]:
    server = start_server(database_url, log, **env)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sqlite_file_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newsmeta.db'}"
