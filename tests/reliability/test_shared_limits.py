"""Rate limits shared by every server process through Redis (NEWSMETA_LIMITS_URL).

Two apps on one database stand for two server processes (`uvicorn --workers 2`, two
containers): without a shared store each counts its own requests, so a client gets the limit
once per process; with one, the limit holds across them. The limits never touch the database,
so SQLite alone is enough here.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.limits import RateLimits
from app.main import create_app
from tests.reliability.conftest import assert_problem, migrated, new_key


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return migrated(
        f"sqlite:///{tmp_path_factory.mktemp('limits') / 'newsmeta.db'}", auth_enabled=True, extract_workers=1
    )


def server(base: Settings, **overrides: Any) -> TestClient:
    return TestClient(create_app(base.model_copy(update=overrides)), raise_server_exceptions=False)


def test_two_processes_share_one_anonymous_read_limit_through_redis(
    base: Settings, redis_url: str, queue_namespace: str
) -> None:
    shared = {
        "limits_url": redis_url,
        "queue_namespace": queue_namespace,
        "anonymous_rate_limit_per_minute": 3,
    }
    with server(base, **shared) as first, server(base, **shared) as second:
        assert first.get("/people").status_code == 200
        assert second.get("/people").status_code == 200
        assert first.get("/people").status_code == 200
        # The fourth read in the minute is refused by either process.
        refused = second.get("/people")
        assert_problem(refused, 429)
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert_problem(first.get("/people"), 429)


def test_wrong_keys_counted_by_one_process_lock_the_address_out_of_the_other(
    base: Settings, redis_url: str, queue_namespace: str
) -> None:
    admin = new_key(base, "admin")
    shared = {"limits_url": redis_url, "queue_namespace": queue_namespace, "failed_auth_per_minute": 2}
    post = {"text": "Keir Starmer visited Dublin."}
    with server(base, **shared) as first, server(base, **shared) as second:
        assert first.post("/articles", json=post, headers={"X-API-Key": "nm_guess1"}).status_code == 401
        assert second.post("/articles", json=post, headers={"X-API-Key": "nm_guess2"}).status_code == 401
        # Guessing on another process goes no faster: even the right key waits now.
        assert_problem(first.post("/articles", json=post, headers={"X-API-Key": admin}), 429)


def test_deployments_with_different_namespaces_do_not_share_counts(
    base: Settings, redis_url: str, queue_namespace: str
) -> None:
    limit = {"limits_url": redis_url, "anonymous_rate_limit_per_minute": 1}
    with (
        server(base, **limit, queue_namespace=f"{queue_namespace}-a") as first,
        server(base, **limit, queue_namespace=f"{queue_namespace}-b") as second,
    ):
        assert first.get("/people").status_code == 200
        assert second.get("/people").status_code == 200
        assert_problem(first.get("/people"), 429)
        assert first.app.state.limiter.shared is True


def test_without_a_shared_store_each_process_counts_its_own(base: Settings) -> None:
    with (
        server(base, anonymous_rate_limit_per_minute=1) as first,
        server(base, anonymous_rate_limit_per_minute=1) as second,
    ):
        assert first.get("/people").status_code == 200
        assert second.get("/people").status_code == 200
        assert_problem(first.get("/people"), 429)


def test_an_unreachable_redis_turns_no_request_into_an_error(base: Settings) -> None:
    # Port 1 on the loopback: refused at once. The process counts on its own meanwhile.
    down = {"limits_url": "redis://127.0.0.1:1/0", "anonymous_rate_limit_per_minute": 2}
    with server(base, **down) as api:
        codes = [api.get("/people").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert api.app.state.limiter.shared is False


def test_a_moving_window_refuses_past_the_limit_and_says_how_long_to_wait() -> None:
    limits = RateLimits()
    assert [limits.wait_time("key", 2) for _ in range(2)] == [0.0, 0.0]
    wait = limits.wait_time("key", 2)
    assert 59 <= wait <= 60
    # A look without taking counts nothing, and other keys have their own windows.
    assert limits.wait_time(("other", "key"), 1, take=False) == 0.0
    assert limits.wait_time(("other", "key"), 1) == 0.0
    assert limits.wait_time(("other", "key"), 1) > 0
