"""Fixtures for jobs: an empty job table per test, a deadline-bound wait for a job, a worker's environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app import migrate
from app.config import Settings
from app.db import get_engine
from tests.conftest import fresh_postgres_database


@pytest.fixture(autouse=True)
def _no_jobs(request: pytest.FixtureRequest) -> None:
    """Jobs left by another test would be resumed by the next app's in-process queue."""
    if "settings" in request.fixturenames:
        settings: Settings = request.getfixturevalue("settings")
        with get_engine(settings).begin() as conn:
            conn.execute(text("DELETE FROM job_item"))
            conn.execute(text("DELETE FROM job"))


def wait_for(check: Callable[[], Any], *, timeout: float = 120, what: str = "the job") -> Any:
    """Poll `check` until it returns something truthy; fail (not hang) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"{what} did not finish within {timeout:.0f} s")


def worker_env(database_url: str, queue_url: str, namespace: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSMETA_DATABASE_URL": database_url,
        "NEWSMETA_QUEUE_URL": queue_url,
        "NEWSMETA_QUEUE_NAMESPACE": namespace,
        "NEWSMETA_EXTRACT_WORKERS": "1",
        "NEWSMETA_EXTRACT_BATCH_SIZE": "2",  # small steps, so the kill lands mid-job
        # Find the dead worker in seconds, not a minute: every broker command looks.
        "NEWSMETA_QUEUE_HEARTBEAT_TIMEOUT_MS": "3000",
        "NEWSMETA_QUEUE_MAINTENANCE_CHANCE": "1000000",
    }


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "newsmeta"
    with log.open("ab") as out:
        return subprocess.Popen([str(exe), "worker"], env=env, stdout=out, stderr=out, start_new_session=True)


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def pg_settings() -> Iterator[Settings]:
    with fresh_postgres_database() as url:
        settings = Settings(database_url=url, auto_migrate=False, auth_enabled=False)
        migrate.upgrade(settings)
        yield settings
