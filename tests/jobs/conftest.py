"""Fixtures for jobs: an empty job table per test, a deadline-bound wait for a job, Redis when reachable."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from app.config import Settings
from app.db import get_engine

REDIS_URL = os.environ.get("NEWSMETA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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


@pytest.fixture
def redis_url() -> str:
    """A Redis database of the tests' own (emptied), or a skip saying why."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"the queue tests need Redis at {REDIS_URL} (NEWSMETA_TEST_REDIS_URL): {exc}")
    client.flushdb()
    client.close()
    return REDIS_URL
