"""Reads that cannot starve the server: a read deadline on both databases (503 past it), a
co-occurrence network whose work is bounded per article, a cap on one client's expensive reads,
/readyz saying when the readers are saturated, and rate limits for anonymous reads and wrong keys.
On SQLite and on Postgres."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, text
from sqlmodel import Session

from app.config import Settings
from app.db import POOL_SIZE, get_engine
from app.main import create_app
from app.models import Article, Mention, Person
from app.models.common import utcnow
from app.services import stats as stats_service
from tests.conftest import fresh_postgres_database
from tests.reliability.conftest import assert_problem, migrated, new_key, record, seed

pytestmark = pytest.mark.model

# Counts to a hundred million in the database: far longer than any read deadline below.
SLOW_SQL = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
    "SELECT count(*) FROM c"
)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def base(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A migrated, seeded database; tests make apps on it with the limits they test."""
    if request.param == "postgres":
        with fresh_postgres_database() as url:
            settings = migrated(url, auth_enabled=False, extract_workers=1)
            seed(settings)
            yield settings
    else:
        settings = migrated(
            f"sqlite:///{tmp_path_factory.mktemp('reads') / 'newsmeta.db'}",
            auth_enabled=False,
            extract_workers=1,
        )
        seed(settings)
        yield settings


def client(base: Settings, **limits: Any) -> TestClient:
    return TestClient(create_app(base.model_copy(update=limits)), raise_server_exceptions=False)


# --- The read deadline ---------------------------------------------------------------------------


def test_a_read_past_the_deadline_is_a_503_problem_and_the_next_read_is_served(
    base: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_top(*, session: Session, **_: Any) -> Any:
        return session.execute(text(SLOW_SQL)).scalar()

    monkeypatch.setattr(stats_service, "top", slow_top)
    with client(base, read_timeout_ms=300) as api:
        started = time.monotonic()
        response = api.get("/stats/top", params={"kind": "people"})
        assert time.monotonic() - started < 20  # cancelled, not run to its end
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == "/problems/query-timeout" and "Retry-After" in response.headers
        # The connection went back to the pool without the deadline: later reads are not cut short.
        for _ in range(POOL_SIZE + 2):
            assert api.get("/articles", params={"limit": 1}).status_code == 200
    with get_engine(base).connect() as conn:
        if conn.dialect.name == "postgresql":
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "0"


# --- Co-occurrence of a mention-dense article ---------------------------------------------------


def _dense_article(settings: Settings, people: int, mentions_each: int) -> int:
    """An article naming `people` people `mentions_each` times each, written straight to the tables."""
    engine = get_engine(settings)
    with Session(engine) as session:
        article_id = session.execute(
            insert(Article)
            .values(
                text="A very long list of names.",
                content_hash=f"dense-{people}-{mentions_each}-{time.time_ns()}",
                extractor_name="test",
                extractor_version="0",
                language="en",
                created_at=utcnow(),
            )
            .returning(Article.id)
        ).scalar_one()
        stamp = time.time_ns()
        ids = (
            session.execute(
                insert(Person).returning(Person.id),
                [{"name": f"Person {stamp} {i}", "key": f"person {stamp} {i}"} for i in range(people)],
            )
            .scalars()
            .all()
        )
        rows = [
            {
                "article_id": article_id,
                "person_id": pid,
                "start": n,
                "end": n + 1,
                "text": "x",
                "extractor_version": "0",
            }
            for pid in ids
            for n in range(mentions_each)
        ]
        session.execute(insert(Mention), rows)
        session.commit()
    return int(article_id)


def test_a_mention_dense_article_makes_a_bounded_cooccurrence_network(base: Settings) -> None:
    """8,000 mentions of 2,000 people in one article: 32 million mention pairs before, a bounded
    number of entity pairs now."""
    _dense_article(base, people=2_000, mentions_each=4)
    with client(base) as api:
        started = time.monotonic()
        response = api.get("/stats/cooccurrence", params={"kind": "people", "limit": 500})
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed < 10, elapsed  # 25 s on SQLite before
    record(
        f"co-occurrence, one article with 8,000 mentions of 2,000 people ({base.database_url[:8]}): "
        f"{elapsed:.2f} s"
    )
    edges = response.json()["edges"]
    cap = stats_service.MAX_ENTITIES_PER_ARTICLE
    assert 0 < len(edges) <= cap * (cap - 1) // 2 + 500  # the dense article's pairs are capped
    assert all(edge["weight"] >= 1 for edge in edges)


# --- One client's expensive reads ------------------------------------------------------------


class Held:
    """/stats/top held until `release` is set; `entered` counts the requests holding."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = 0
        self._lock = threading.Lock()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 20
        while self.entered < count:
            assert time.monotonic() < deadline, f"only {self.entered} of {count} reads started"
            time.sleep(0.02)


@pytest.fixture
def blocked_top(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    held = Held()
    real = stats_service.top

    def holding(**kwargs: Any) -> Any:
        with held._lock:
            held.entered += 1
        held.release.wait(30)
        return real(**kwargs)

    monkeypatch.setattr(stats_service, "top", holding)
    yield held
    held.release.set()


def test_one_client_gets_429_past_its_expensive_reads_and_cheap_reads_still_go(
    base: Settings, blocked_top: Held
) -> None:
    with client(base, max_expensive_reads_per_client=2) as api, ThreadPoolExecutor(2) as pool:
        running = [pool.submit(api.get, "/stats/top", params={"kind": "people"}) for _ in range(2)]
        blocked_top.wait_for(2)
        third = api.get("/stats/top", params={"kind": "people"})
        assert_problem(third, 429)
        assert "Retry-After" in third.headers
        assert api.get("/articles", params={"limit": 1}).status_code == 200  # not an expensive read
        blocked_top.release.set()
        assert [r.result(timeout=30).status_code for r in running] == [200, 200]
        assert api.get("/stats/top", params={"kind": "people"}).status_code == 200


def test_readyz_reports_saturated_readers_and_recovers(base: Settings, blocked_top: Held) -> None:
    with client(base, max_expensive_reads_per_client=0) as api, ThreadPoolExecutor(POOL_SIZE) as pool:
        running = [pool.submit(api.get, "/stats/top", params={"kind": "people"}) for _ in range(POOL_SIZE)]
        blocked_top.wait_for(POOL_SIZE)
        ready = api.get("/readyz")
        assert ready.status_code == 503 and "saturated" in ready.json()["detail"], ready.text
        assert ready.headers["content-type"].startswith("application/problem+json")
        blocked_top.release.set()
        assert all(r.result(timeout=30).status_code == 200 for r in running)
        assert api.get("/readyz").status_code == 200


# --- Rate limits by address ------------------------------------------------------------------


def test_anonymous_reads_are_rate_limited_by_address_and_keyed_reads_are_not(base: Settings) -> None:
    read_key = new_key(base, "read")
    with client(base, auth_enabled=True, anonymous_rate_limit_per_minute=3) as api:
        codes = [api.get("/articles", params={"limit": 1}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = api.get("/people")
        assert_problem(limited, 429)
        assert int(limited.headers["Retry-After"]) >= 1
        keyed = {"Authorization": f"Bearer {read_key}"}
        assert all(api.get("/articles", headers=keyed).status_code == 200 for _ in range(5))
        # A made-up key is no way around the limit.
        assert_problem(api.get("/articles", headers={"Authorization": "Bearer nm_madeup"}), 401)
        assert api.get("/healthz").status_code == 200  # probes are never limited


def test_with_auth_off_every_read_is_anonymous_and_limited_by_address(base: Settings) -> None:
    with client(base, auth_enabled=False, anonymous_rate_limit_per_minute=2) as api:
        codes = [api.get("/people").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert api.post("/articles", json={"text": "Writes are not reads: Olaf Scholz."}).status_code in (
            200,
            201,
        )


def test_wrong_keys_are_rate_limited_by_address_without_being_checked(base: Settings) -> None:
    admin = new_key(base, "admin")
    with client(base, auth_enabled=True, failed_auth_per_minute=3) as api:
        post = {"text": "Keir Starmer visited Dublin."}
        wrong = [api.post("/articles", json=post, headers={"X-API-Key": f"nm_guess{i}"}) for i in range(3)]
        assert [r.status_code for r in wrong] == [401, 401, 401]
        # The fourth guess is not looked up: even the right key waits, so a guess learns nothing.
        right = api.post("/articles", json=post, headers={"X-API-Key": admin})
        assert_problem(right, 429)
        assert "Retry-After" in right.headers


# --- Documentation and metrics behind the read key ----------------------------------------------


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/metrics", "/articles"])
def test_with_read_keys_required_the_schema_docs_and_metrics_need_one_too(base: Settings, path: str) -> None:
    read_key = new_key(base, "read")
    with client(base, auth_enabled=True, require_read_key=True) as api:
        assert_problem(api.get(path), 401)
        assert api.get(path, headers={"Authorization": f"Bearer {read_key}"}).status_code == 200
        assert api.get("/healthz").status_code == 200 and api.get("/readyz").status_code == 200


def test_the_document_served_behind_the_key_is_the_apps_own(base: Settings) -> None:
    read_key = new_key(base, "read")
    with client(base, auth_enabled=True, require_read_key=True) as api:
        document = api.get("/openapi.json", headers={"X-API-Key": read_key}).json()
    assert "/articles" in document["paths"] and "/openapi.json" not in document["paths"]
