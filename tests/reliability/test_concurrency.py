"""Exactly once under concurrency: 16 writers post 2,000 articles to a real server, a fifth of
them duplicates (some posted at the same moment by different writers), as single posts and
small batches. Every request succeeds, every distinct article is stored once, none is lost, and
the entity counters the writers kept equal a recount of what they stored."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.config import Settings
from app.services.ingest import content_hash
from tests.conftest import fresh_postgres_database
from tests.reliability.conftest import record, running_server
from tests.services.test_counters import recount, stored

pytestmark = [pytest.mark.slow, pytest.mark.model]

WRITERS = 16
POSTS = 2_000
DISTINCT = 1_600  # the other 400 posts repeat one of these

FIRST = ["Angela", "Olaf", "Emmanuel", "Jacinda", "Boris", "Dmitry", "Keir", "Ursula", "Jens", "Pedro"]
LAST = [
    "Merkel",
    "Scholz",
    "Macron",
    "Ardern",
    "Johnson",
    "Peskov",
    "Starmer",
    "Leyen",
    "Stoltenberg",
    "Sanchez",
]
PLACES = ["Berlin", "Paris", "London", "Moscow", "Madrid", "Kyiv", "Brussels", "Rome"]


def articles() -> list[str]:
    """DISTINCT short articles, each naming two people and a place: quick to extract."""
    rng = random.Random(2024)
    texts = []
    for i in range(DISTINCT):
        a, b = rng.sample(range(len(LAST)), 2)
        texts.append(
            f"{FIRST[a]} {LAST[a]} met {FIRST[b]} {LAST[b]} in {rng.choice(PLACES)} on day {i} of the talks. "
            f"{LAST[a]} said the meeting number {i} went well."
        )
    return texts


@dataclass
class Unit:
    """What one request carries: one article (POST /articles) or a few (POST /articles/batch)."""

    texts: list[str]
    single: bool


def workload(texts: list[str]) -> list[list[Unit]]:
    """The requests of each writer: POSTS articles, DISTINCT of them different.

    Of the POSTS - DISTINCT repeats, most are pairs in adjacent units, which go to two writers
    in the same round and so race each other; some are a text twice in one batch, the rest a
    plain re-post later on.
    """
    rng = random.Random(7)
    shuffled = list(texts)
    rng.shuffle(shuffled)
    racing, in_batch, reposted, rest = shuffled[:360], shuffled[360:380], shuffled[380:400], shuffled[380:]
    blocks: list[list[Unit]] = []
    for t in racing:
        blocks.append([Unit([t], single=True), Unit([t], single=rng.random() < 0.5)])
    for t in in_batch:
        blocks.append([Unit([t, t], single=False)])
    i = 0
    while i < len(rest):
        size = rng.choice([1, 1, 1, 2, 3, 5])
        blocks.append([Unit(rest[i : i + size], single=size == 1)])
        i += size
    rng.shuffle(blocks)
    blocks += [[Unit([t], single=True)] for t in reposted]
    units = [u for block in blocks for u in block]
    assert sum(len(u.texts) for u in units) == POSTS
    return [units[w::WRITERS] for w in range(WRITERS)]


@dataclass
class Outcome:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)  # text -> times answered "created"
    answered: Counter[str] = field(default_factory=Counter)  # text -> times answered at all
    lock: threading.Lock = field(default_factory=threading.Lock)


def write(base_url: str, units: list[Unit], outcome: Outcome) -> None:
    with httpx.Client(base_url=base_url, timeout=120) as client:
        for unit in units:
            try:
                if unit.single:
                    response = client.post("/articles", json={"text": unit.texts[0]})
                    statuses = [response.status_code] if response.status_code in (200, 201) else []
                else:
                    response = client.post(
                        "/articles/batch", json={"articles": [{"text": t} for t in unit.texts]}
                    )
                    statuses = (
                        [r["status"] for r in response.json()["results"]]
                        if response.status_code == 200
                        else []
                    )
            except Exception as exc:  # noqa: BLE001 - a failed request is a finding, not a crash
                with outcome.lock:
                    outcome.requests += 1
                    outcome.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with outcome.lock:
                outcome.requests += 1
                if response.status_code not in (200, 201) or any(s not in (200, 201) for s in statuses):
                    outcome.errors.append(f"{response.status_code}: {response.text[:300]}")
                    continue
                for t, s in zip(unit.texts, statuses, strict=True):
                    outcome.answered[t] += 1
                    outcome.created[t] += s == 201


WITHOUT_MENTIONS = (
    "SELECT count(*) FROM article a WHERE NOT EXISTS (SELECT 1 FROM mention m WHERE m.article_id = a.id)"
)


def _differing(counted: tuple[dict[Any, Any], ...], recounted: tuple[dict[Any, Any], ...]) -> int:
    """Counter rows missing, extra or different from the recount."""
    return sum(
        len({k for k in set(a) | set(b) if a.get(k) != b.get(k)})
        for a, b in zip(counted, recounted, strict=True)
    )


def run(database_url: str, log: Path, backend: str) -> None:
    texts = articles()
    plan = workload(texts)
    posted = sum(len(u.texts) for units in plan for u in units)
    outcome = Outcome()
    with running_server(database_url, log) as server:
        threads = [threading.Thread(target=write, args=(server.url, units, outcome)) for units in plan]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        assert not any(t.is_alive() for t in threads), "a writer hung"
    engine = create_engine(Settings(database_url=database_url).database_url)
    try:
        with engine.connect() as conn:
            hashes = Counter(conn.execute(text("SELECT content_hash FROM article")).scalars())
            bare = conn.execute(text(WITHOUT_MENTIONS)).scalar_one()
        # The entity counters the writers maintained, against a recount of what they stored.
        counted, recounted = stored(engine), recount(engine)
    finally:
        engine.dispose()
    distinct = {content_hash(t) for units in plan for u in units for t in u.texts}
    lost = len(distinct - set(hashes))
    duplicated = sum(n - 1 for n in hashes.values() if n > 1)
    created_twice = sum(1 for n in outcome.created.values() if n > 1)
    never_created = sum(1 for t in outcome.answered if outcome.created[t] == 0)
    server_log = log.read_text(encoding="utf-8", errors="replace")
    record(
        f"exactly-once on {backend}: {WRITERS} writers, {posted} articles posted "
        f"({len(distinct)} distinct) in {outcome.requests} requests; errors {len(outcome.errors)}, "
        f"lost {lost}, duplicated {duplicated}, answered 'created' twice {created_twice}, "
        f"stored without records {bare}; entity counters {len(counted[0])}, holders {len(counted[1])}, "
        f"differing from a recount {_differing(counted, recounted)}"
    )
    assert outcome.errors == []
    assert lost == 0 and duplicated == 0 and len(hashes) == len(distinct)
    assert created_twice == 0 and never_created == 0
    assert bare == 0
    assert counted[0] and counted == recounted
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log


def test_concurrent_writers_store_every_article_exactly_once_on_sqlite(tmp_path: Path) -> None:
    run(f"sqlite:///{tmp_path / 'newsmeta.db'}", tmp_path / "server.log", "SQLite")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.mark.postgres
def test_concurrent_writers_store_every_article_exactly_once_on_postgres(
    postgres_database: str, tmp_path: Path
) -> None:
    run(postgres_database, tmp_path / "server.log", "Postgres")
