"""Lists in publication order (sort=published) beside the default id order, through the app.

    PYTHONPATH=. .venv/bin/python bench/published_order.py [--size 20000] [--backends sqlite postgres]

A fresh migrated database per backend, filled by `bench/corpus.py`, with one article in twenty
then made undated. Printed per request: p50 and p95 in ms over `--requests` calls, for the
first page and for a page 20 pages deep (the cursor walked there first), in both orders.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from fastapi.testclient import TestClient
from sqlalchemy import text

from app import migrate
from app.config import Settings
from app.db import get_engine
from app.main import create_app
from bench.corpus import generate
from bench.query_latency import database

PATHS = [
    "/articles",
    "/articles?country={country}",
    "/articles?person={person}",
    "/articles?q=sanctions",
    "/quotes",
    "/quotes?speaker_country={country}",
]


def _deep(client: TestClient, url: str, pages: int) -> str:
    """The URL of the page `pages` pages in (or the last one)."""
    for _ in range(pages):
        response = client.get(url)
        link = response.headers.get("Link")
        if not link:
            break
        url = link[link.index("<") + 1 : link.index(">")]
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, size {args.size}")  # noqa: T201
    for backend in args.backends:
        with database(backend, args.size) as url:
            settings = Settings(database_url=url, auto_migrate=False, auth_enabled=False)
            migrate.upgrade(settings)
            engine = get_engine(settings)
            corpus = generate(engine, args.size)
            with engine.begin() as conn:
                conn.execute(text("UPDATE article SET published_at = NULL WHERE id % 20 = 0"))
                conn.execute(text("ANALYZE"))
            country = corpus.countries[len(corpus.countries) // 2]
            person = corpus.people[len(corpus.people) // 3][1]
            with TestClient(create_app(settings)) as client:
                for path in PATHS:
                    base = path.format(country=country, person=person)
                    for sort in ("id", "published"):
                        joiner = "&" if "?" in base else "?"
                        first = f"{base}{joiner}limit=50" + ("&sort=published" if sort == "published" else "")
                        for label, url in (("first", first), ("deep", _deep(client, first, 20))):
                            times = []
                            for _ in range(args.requests):
                                t0 = time.perf_counter()
                                response = client.get(url)
                                times.append((time.perf_counter() - t0) * 1000)
                                assert response.status_code == 200, response.text
                            times.sort()
                            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                            print(  # noqa: T201
                                f"{backend:8} {base:34} sort={sort:9} {label:5} "
                                f"p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms"
                            )


if __name__ == "__main__":
    main()
