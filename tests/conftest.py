"""Shared fixtures: databases built by the migrations (SQLite always, Postgres when configured),
and an API client per backend.

Postgres tests need NEWSMETA_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test);
the suite creates a database of its own beside that one and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import migrate
from app.config import Settings
from app.db import dispose_engines, get_engine
from app.main import create_app

ROOT = Path(__file__).resolve().parent.parent
# The project's seed article (../shared/seeds/000_48e7fb3830019a21.txt), kept so the suite runs anywhere.
SEED = ROOT / "tests" / "fixtures" / "seed_article.txt"
POSTGRES_URL = os.environ.get("NEWSMETA_TEST_POSTGRES_URL", "")
DATA_TABLES = (
    "entity_link",
    "entity_redirect",
    "entity_pin",
    "api_key",
    "office",
    "holder",
    "entity_stats",
    "mention",
    "position",
    "quote",
    "person_alias",
    "organisation_alias",
    "person",
    "organisation",
    "article",
)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database beside NEWSMETA_TEST_POSTGRES_URL's; drop it afterwards."""
    if not POSTGRES_URL:
        pytest.skip(
            "Postgres tests need NEWSMETA_TEST_POSTGRES_URL, e.g. postgresql://postgres@127.0.0.1:5432/test"
        )
    admin_url = Settings(database_url=POSTGRES_URL).database_url
    name = f"newsmeta_test_{uuid.uuid4().hex[:12]}"
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


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A Postgres database for this test session."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'newsmeta.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def migrated_settings(request: pytest.FixtureRequest) -> Settings:
    """Settings for a database the migrations built, once per backend per session."""
    url = request.getfixturevalue(f"{request.param}_url")
    # Auth is off for the behaviour tests; tests/api/test_auth.py turns it on.
    settings = Settings(database_url=url, auto_migrate=False, auth_enabled=False)
    migrate.upgrade(settings)
    return settings


@pytest.fixture
def settings(migrated_settings: Settings) -> Settings:
    """The session's database, emptied of articles and entities before each test."""
    engine = get_engine(migrated_settings)
    with engine.begin() as conn:
        for table in DATA_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
    return migrated_settings


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def make_client(settings: Settings, **overrides: object) -> TestClient:
    """A client for an app whose settings differ from the fixture's (limits, say)."""
    return TestClient(create_app(settings.model_copy(update=overrides)))


REDIS_URL = os.environ.get("NEWSMETA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    """The Redis for queue and shared-limit tests, or a skip saying why."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"these tests need Redis at {REDIS_URL} (NEWSMETA_TEST_REDIS_URL): {exc}")
    client.close()
    return REDIS_URL


@pytest.fixture
def queue_namespace() -> str:
    """Redis keys of this test's own: test runs sharing a Redis must not take each other's jobs or counts."""
    return f"newsmeta-test-{uuid.uuid4().hex[:12]}"
