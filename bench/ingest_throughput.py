"""Ingest throughput: the bare model, the full extractor, and end-to-end HTTP batch ingest, in one run.

    .venv/bin/python bench/ingest_throughput.py [--repeat 40] [--postgres postgresql://postgres@127.0.0.1:5432/test]

The 52 Wikinews articles in ../shared/eval/articles are repeated `--repeat` times,
each copy made distinct by a line of its own (so none is skipped as already stored).
Measured on the same texts, on this machine:

1. bare spaCy `nlp.pipe` (the model alone), in this process;
2. the full newsmeta extractor (`extract_many`), in this process;
3. end to end: `newsmeta serve` in a subprocess, `POST /articles/batch` of 100
   articles, two requests in flight, into SQLite and (with --postgres) into a fresh
   Postgres database, with NEWSMETA_EXTRACT_WORKERS=1 (extraction in the server
   process) and =2 (two extraction processes).

Each server's memory (RSS of the server and of every process under it, model
loaded, after the run) is printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import spacy
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.extraction import DEFAULT_MODEL, Extractor

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "eval" / "articles"
BATCH = 100


def load_texts(repeat: int) -> list[str]:
    bodies = []
    for path in sorted(ARTICLES.glob("*.txt")):
        _, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        bodies.append(body.strip())
    return [f"{body}\n\nCopy {i}." for i in range(repeat) for body in bodies]


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def bare_model(model: str, texts: list[str]) -> float:
    nlp = spacy.load(model)
    for _ in nlp.pipe(texts[:20], batch_size=16):
        pass
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return rate(len(texts), time.perf_counter() - start)


def full_extractor(model: str, texts: list[str]) -> float:
    extractor = Extractor(model)
    list(extractor.extract_many(texts[:20]))
    start = time.perf_counter()
    for _ in extractor.extract_many(texts, batch_size=16):
        pass
    return rate(len(texts), time.perf_counter() - start)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def end_to_end(database_url: str, texts: list[str], workers: int) -> tuple[float, list[tuple[str, float]]]:
    """Articles/s through the HTTP batch endpoint, and (process, RSS MB) of the server's processes."""
    port = free_port()
    env = {
        **os.environ,
        "NEWSMETA_DATABASE_URL": database_url,
        "NEWSMETA_AUTH_ENABLED": "false",
        "NEWSMETA_EXTRACT_WORKERS": str(workers),
        "NEWSMETA_LOG_LEVEL": "warning",
    }
    env.pop("NEWSMETA_QUEUE_URL", None)
    exe = Path(sys.executable).parent / "newsmeta"
    server = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the server on {database_url} did not start")
            time.sleep(0.2)
        client = httpx.Client(base_url=base, timeout=600)

        def post(batch: list[str]) -> None:
            response = client.post("/articles/batch", json={"articles": [{"text": t} for t in batch]})
            response.raise_for_status()
            assert response.json()["created"] == len(batch), response.text[:300]

        batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
        post(["Warm-up: Foreign Minister Sergei Lavrov spoke in Moscow."] * 1)
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(post, batches))
        speed = rate(len(texts), time.perf_counter() - start)
        memory = [("server", rss_mb(server.pid))]
        memory += [(f"child {pid}", rss_mb(pid)) for pid in descendants(server.pid)]
        return speed, memory
    finally:
        server.terminate()
        server.wait(timeout=60)


def fresh_postgres(admin_url: str) -> tuple[str, str]:
    url = make_url(admin_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"newsmeta_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), name


def drop_postgres(admin_url: str, name: str) -> None:
    url = make_url(admin_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="Copies of the 52 articles (40: 2080).")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--postgres", default=os.environ.get("NEWSMETA_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()

    texts = load_texts(args.repeat)
    words = sum(len(t.split()) for t in texts)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, {platform.python_implementation()} "
        f"{platform.python_version()}, spaCy {spacy.__version__}, model {args.model}"
    )
    print(f"texts: {len(texts)} distinct articles, {words} words")
    bare = bare_model(args.model, texts)
    print(f"{'bare spaCy nlp.pipe:':48s}{bare:7.1f} articles/s")
    full = full_extractor(args.model, texts)
    print(f"{'full extractor (extract_many):':48s}{full:7.1f} articles/s   {full / bare:.2f}x bare")

    runs: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", lambda: (f"sqlite:///{tmp}/{uuid.uuid4().hex}.db", ""))]
        if args.postgres:
            targets.append(("postgres", lambda: fresh_postgres(args.postgres)))
        for backend, make in targets:
            for workers in (1, 2):
                url, name = make()
                try:
                    speed, memory = end_to_end(url, texts, workers)
                finally:
                    if name:
                        drop_postgres(args.postgres, name)
                runs[backend, workers] = speed
                label = f"HTTP batch ingest, {backend}, {workers} extraction proc.:"
                print(f"{label:48s}{speed:7.1f} articles/s   {speed / bare:.2f}x bare")
                print("    memory (RSS, MB): " + ", ".join(f"{who} {mb:.0f}" for who, mb in memory))
    print("targets: single-process ingest >= 0.6x bare; 2 processes >= 1.7x one; < 600 MB per process")
    for backend in ("sqlite", "postgres"):
        if (backend, 1) in runs:
            one, two = runs[backend, 1], runs[backend, 2]
            print(f"  {backend}: 1 process {one / bare:.2f}x bare; 2 processes {two / one:.2f}x 1 process")


if __name__ == "__main__":
    main()
