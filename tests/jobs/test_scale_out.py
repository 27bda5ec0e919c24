"""The scale-out recipe, run for real: two API processes and two workers, one Postgres, one Redis.

Overlapping batches go to both APIs at once; every distinct article ends up stored
once, and every job done.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.db import get_engine, session_scope
from app.models import Article
from tests.jobs.conftest import start_worker, stop, wait_for, worker_env

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_two_apis_and_two_workers_store_each_article_once(
    pg_settings: Settings, redis_url: str, queue_namespace: str, seed_text: str, tmp_path: Path
) -> None:
    env = {
        **worker_env(pg_settings.database_url, redis_url, queue_namespace),
        "NEWSMETA_AUTH_ENABLED": "false",
    }
    log = tmp_path / "processes.log"
    exe = str(Path(sys.executable).parent / "newsmeta")
    ports = [_free_port(), _free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with log.open("ab") as out:
            for port in ports:
                processes.append(
                    subprocess.Popen(
                        [exe, "serve", "--port", str(port)],
                        env=env,
                        stdout=out,
                        stderr=out,
                        start_new_session=True,
                    )
                )
        processes += [start_worker(env, log), start_worker(env, log)]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_for(lambda b=base: _ready(b), what=f"the API at {base}")

        texts = [f"{seed_text}\n\nDay {i}: no talks were held." for i in range(24)]
        # API 0 gets articles 0-15, API 1 gets 8-23: a third of them twice, at the same time.
        posts = [
            (bases[0], texts[0:8]),
            (bases[1], texts[8:16]),
            (bases[0], texts[8:16]),
            (bases[1], texts[16:24]),
            (bases[1], texts[0:4]),
        ]

        def post(base: str, batch: list[str]) -> str:
            response = httpx.post(
                f"{base}/articles/batch",
                params={"async": "true"},
                json={"articles": [{"text": t} for t in batch]},
                timeout=60,
            )
            assert response.status_code == 202, response.text
            return f"{base}{response.headers['location']}"

        with ThreadPoolExecutor(len(posts)) as pool:
            locations = list(pool.map(lambda p: post(*p), posts))

        def all_done() -> list[dict[str, object]] | None:
            found = [httpx.get(location, timeout=10).json() for location in locations]
            return found if all(j["status"] in ("done", "failed") for j in found) else None

        finished = wait_for(all_done, timeout=300, what="the jobs")
    finally:
        for process in processes:
            stop(process)

    assert [j["status"] for j in finished] == ["done"] * len(posts), log.read_text()[-3000:]
    with session_scope(get_engine(pg_settings)) as session:
        assert session.execute(select(func.count()).select_from(Article)).scalar_one() == len(texts)
    ids_by_text: dict[str, set[int]] = {}
    for (_, batch), job in zip(posts, finished, strict=True):
        results = job["results"]
        assert isinstance(results, list)
        for text, result in zip(batch, results, strict=True):
            assert result["status"] in (200, 201)
            ids_by_text.setdefault(text, set()).add(result["article_id"])
    assert len(ids_by_text) == len(texts)
    assert all(len(ids) == 1 for ids in ids_by_text.values())
