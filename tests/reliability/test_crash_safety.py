"""Crash safety: SIGKILL the server in the middle of a batch ingest, restart it on the same
database, and find the database sound, no article stored without all its records, and a
re-post of the whole ingest storing every article exactly once."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from app.config import Settings
from app.extraction import load_pipeline
from app.services.ingest import content_hash
from tests.conftest import fresh_postgres_database
from tests.reliability.conftest import record, running_server, start_server

pytestmark = [pytest.mark.slow, pytest.mark.model]

BATCHES = 10
BATCH_SIZE = 50
FIRST = ["Angela", "Olaf", "Emmanuel", "Jacinda", "Boris", "Dmitry", "Keir", "Ursula"]
LAST = ["Merkel", "Scholz", "Macron", "Ardern", "Johnson", "Peskov", "Starmer", "Leyen"]


def articles() -> list[dict[str, str]]:
    """Short articles with people, an organisation, a country, a position and a quote each."""
    out = []
    for i in range(BATCHES * BATCH_SIZE):
        a, b = FIRST[i % 8], LAST[(i * 3) % 8]
        out.append(
            {
                "text": f"German Chancellor {a} {b} met NATO officials in France on day {i}. "
                f'"We agreed on step {i}," {b} said.',
                "external_id": f"crash-{i}",
            }
        )
    return out


COUNTS = """
SELECT a.id, a.text,
  (SELECT count(*) FROM mention m WHERE m.article_id = a.id),
  (SELECT count(*) FROM position p WHERE p.article_id = a.id),
  (SELECT count(*) FROM quote q WHERE q.article_id = a.id)
FROM article a
"""


def stored(database_url: str) -> list[tuple[Any, ...]]:
    engine = create_engine(Settings(database_url=database_url).database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(COUNTS))]
    finally:
        engine.dispose()


def expected_counts(texts: list[str]) -> dict[str, tuple[int, int, int]]:
    """(mentions, positions, quotes) the extractor finds in each text: what a whole article has."""
    extractor = load_pipeline(Settings().model)
    counts = {}
    for t, ex in zip(texts, extractor.extract_many(texts), strict=True):
        mentions = sum(len(e.mentions) for e in (*ex.people, *ex.organisations, *ex.countries))
        counts[t] = (mentions, len(ex.positions), len(ex.quotes))
    return counts


def ingest(base_url: str, items: list[dict[str, str]], done: list[int], stop: threading.Event) -> None:
    """POST the articles in batches until done or the server dies."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for start in range(0, len(items), BATCH_SIZE):
            if stop.is_set():
                return
            try:
                response = client.post(
                    "/articles/batch", json={"articles": items[start : start + BATCH_SIZE]}
                )
            except httpx.HTTPError:
                return  # the server was killed
            done.append(response.status_code)


def crash_and_recover(database_url: str, tmp_path: Path, backend: str) -> None:
    items = articles()
    texts = [a["text"] for a in items]
    log = tmp_path / "server.log"
    server = start_server(database_url, log)
    done: list[int] = []
    stop = threading.Event()
    writer = threading.Thread(target=ingest, args=(server.url, items, done, stop))
    try:
        writer.start()
        # Kill once some articles are in and the ingest is well under way, not finished.
        deadline = time.monotonic() + 120
        while len(stored(database_url)) < 2 * BATCH_SIZE + 7:
            assert time.monotonic() < deadline, "the ingest never got going"
            assert writer.is_alive(), "the ingest finished before it could be interrupted"
            time.sleep(0.05)
        server.kill()
    finally:
        stop.set()
        server.kill()
        writer.join(timeout=60)
    assert not writer.is_alive()
    if backend == "SQLite":
        assert integrity(database_url) == "ok"
    before = stored(database_url)
    assert 0 < len(before) < len(items), "the kill should land in the middle of the ingest"

    with running_server(database_url, log) as again:
        with httpx.Client(base_url=again.url, timeout=120) as client:
            statuses: Counter[int] = Counter()
            for start in range(0, len(items), BATCH_SIZE):
                response = client.post(
                    "/articles/batch", json={"articles": items[start : start + BATCH_SIZE]}
                )
                assert response.status_code == 200, response.text
                statuses.update(r["status"] for r in response.json()["results"])
    after = stored(database_url)
    if backend == "SQLite":
        assert integrity(database_url) == "ok"

    want = expected_counts(texts)
    partial_before = [row[0] for row in before if tuple(row[2:]) != want[row[1]]]
    partial_after = [row[0] for row in after if tuple(row[2:]) != want[row[1]]]
    hashes = Counter(content_hash(row[1]) for row in after)
    record(
        f"crash safety on {backend}: SIGKILL after {len(done)} of {BATCHES} batches answered, "
        f"{len(before)} of {len(items)} articles stored, {len(partial_before)} partial; re-post: "
        f"{statuses[201]} created, {statuses[200]} already stored, {len(after)} stored, "
        f"{sum(n - 1 for n in hashes.values())} duplicated, {len(partial_after)} partial"
    )
    assert partial_before == [] and partial_after == []
    assert statuses == Counter({201: len(items) - len(before), 200: len(before)})
    assert len(after) == len(items) and set(hashes) == {content_hash(t) for t in texts}
    assert all(n == 1 for n in hashes.values())


def integrity(database_url: str) -> str:
    path = make_url(database_url).database
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_a_killed_server_leaves_no_partial_article_and_the_ingest_resumes_on_sqlite(tmp_path: Path) -> None:
    crash_and_recover(f"sqlite:///{tmp_path / 'newsmeta.db'}", tmp_path, "SQLite")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.mark.postgres
def test_a_killed_server_leaves_no_partial_article_and_the_ingest_resumes_on_postgres(
    postgres_database: str, tmp_path: Path
) -> None:
    crash_and_recover(postgres_database, tmp_path, "Postgres")
