"""Dashboard latency: every dashboard page against the public API calls it makes, at one or more sizes.

    PYTHONPATH=. .venv/bin/python bench/dashboard_latency.py [--sizes 100000]
        [--backends sqlite postgres] [--requests 40] [--only /ui/people]

As bench/query_latency.py does, a fresh database per backend and size is built by the migrations
and filled by `bench/corpus.py`, and every request is timed as the server sees it: from the ASGI
call to the last byte of the body, on the event loop `newsmeta serve` runs.

For each drawn request the page is loaded once untimed (so that its rows are in memory for both
sides), then timed; then each API call the page names in its footer ("The API calls behind this
page", the same links the page's "download CSV" links are made of) is timed on its own, one after
the other, as a script fetching the same data would make them. Printed per page: p50/p95 of the
page, p50/p95 of the sum of its API calls, their ratio (page p95 / API-sum p95), the number of
calls, and whether the page's p95 is under the 300 ms target. A page that makes its independent
calls at once (each on its own reader thread) can come in under the sum of its calls.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import re
import statistics
import time
from collections.abc import Callable
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.main import create_app
from bench.corpus import Corpus
from bench.harness import AsgiClient, archives, machine, pct, server_loop

TARGET_MS = 300.0
_CALL = re.compile(r'class="api-call" href="([^"]+)"')


@dataclass
class Page:
    name: str
    url: Callable[[Corpus, random.Random], str]


def _person(c: Corpus, r: random.Random) -> tuple[int, str]:
    return r.choices(c.people, weights=c.person_weights)[0]


def _country(c: Corpus, r: random.Random) -> str:
    return r.choices(c.countries, weights=c.country_weights)[0]


def _organisation(c: Corpus, r: random.Random) -> int:
    return int(r.choices(c.organisations, weights=c.organisation_weights)[0][0])


PAGES = [
    Page("/ui/ (overview, last 7 days)", lambda c, r: "/ui/"),
    Page("/ui/?span=30d (overview, last 30 days)", lambda c, r: "/ui/?span=30d"),
    Page("/ui/search?q=<surname>", lambda c, r: f"/ui/search?q={quote(_person(c, r)[1].split()[-1])}"),
    Page("/ui/people/{id}", lambda c, r: f"/ui/people/{_person(c, r)[0]}"),
    Page("/ui/people/{id}?span=90d", lambda c, r: f"/ui/people/{_person(c, r)[0]}?span=90d"),
    Page("/ui/organisations/{id}", lambda c, r: f"/ui/organisations/{_organisation(c, r)}"),
    Page("/ui/countries/{code}", lambda c, r: f"/ui/countries/{_country(c, r)}"),
    Page("/ui/quotes", lambda c, r: "/ui/quotes"),
    Page("/ui/quotes?speaker=<name>", lambda c, r: f"/ui/quotes?speaker={quote(_person(c, r)[1])}"),
    Page(
        "/ui/quotes?speaker_country=&q=",
        lambda c, r: f"/ui/quotes?speaker_country={_country(c, r)}&q={r.choice(['sanctions', 'drought'])}",
    ),
    Page(
        "/ui/network?kind=people&country=", lambda c, r: f"/ui/network?kind=people&country={_country(c, r)}"
    ),
    Page("/ui/network?kind=all&person=", lambda c, r: f"/ui/network?kind=all&person={_person(c, r)[0]}"),
    Page(
        "/ui/network?kind=all&articles=250",
        lambda c, r: "/ui/network?kind=all&articles=250",
    ),
    Page("/ui/articles/{id}", lambda c, r: f"/ui/articles/{r.randint(1, c.articles)}"),
]


def _endpoint(url: str) -> str:
    """The route an API call went to: `/people/58?x=1` is `/people/{id}`."""
    path = re.sub(r"/\d+(?=/|$)", "/{id}", url.partition("?")[0])
    return re.sub(r"^/countries/[^/{]+$", "/countries/{code}", path)


def api_calls(body: bytes) -> list[str]:
    return [html.unescape(u) for u in _CALL.findall(body.decode("utf-8"))]


async def _get(client: AsgiClient, url: str) -> float:
    t = time.perf_counter()
    status, body = await client.get(url)
    elapsed = (time.perf_counter() - t) * 1000
    if status != 200:
        raise SystemExit(f"{url}: {status} {body[:300]!r}")
    return elapsed


async def _measure(
    targets: list[tuple[int, Any, Corpus]], rng: random.Random, requests: int
) -> dict[int, dict[str, Any]]:
    results: dict[int, dict[str, Any]] = {size: {} for size, _, _ in targets}
    async with AsyncExitStack() as running:
        for _, app, _ in targets:
            await running.enter_async_context(app.router.lifespan_context(app))
        clients = {size: AsgiClient(app) for size, app, _ in targets}
        floor: dict[int, list[float]] = {size: [] for size, _, _ in targets}
        for i in range(requests):
            for size, _, _ in targets:
                elapsed = await _get(clients[size], "/healthz")
                if i >= 3:
                    floor[size].append(elapsed)
        for size, _, _ in targets:
            results[size]["floor"] = (statistics.median(floor[size]), pct(floor[size], 0.95))
        for page in PAGES:
            urls = {size: [page.url(corpus, rng) for _ in range(requests)] for size, _, corpus in targets}
            timed: dict[int, list[float]] = {size: [] for size, _, _ in targets}
            summed: dict[int, list[float]] = {size: [] for size, _, _ in targets}
            counts: dict[int, list[int]] = {size: [] for size, _, _ in targets}
            by_path: dict[int, dict[str, list[float]]] = {size: {} for size, _, _ in targets}
            for i in range(requests):
                for size, _, _ in targets:
                    client, url = clients[size], urls[size][i]
                    status, body = await client.get(url)  # untimed: its rows in memory for both sides
                    if status != 200:
                        raise SystemExit(f"{url}: {status} {body[:300]!r}")
                    calls = api_calls(body)
                    for call in calls:
                        await client.get(call)
                    elapsed = await _get(client, url)
                    api = [await _get(client, call) for call in calls]
                    if i >= 3:  # warm-up
                        timed[size].append(elapsed)
                        summed[size].append(sum(api))
                        counts[size].append(len(calls))
                        for call, ms in zip(calls, api, strict=True):
                            by_path[size].setdefault(_endpoint(call), []).append(ms)
            for size, _, _ in targets:
                p, a = timed[size], summed[size]
                results[size][page.name] = (
                    statistics.median(p),
                    pct(p, 0.95),
                    statistics.median(a),
                    pct(a, 0.95),
                    statistics.median(counts[size]),
                    max(((pct(ms, 0.95), path) for path, ms in by_path[size].items()), default=(0.0, "-")),
                )
    return results


def run(backend: str, sizes: list[int], requests: int, seed: int) -> dict[int, dict[str, Any]]:
    with ExitStack() as databases:
        targets = [
            (size, create_app(settings), corpus)
            for size, settings, corpus in archives(databases, backend, sizes)
        ]
        with asyncio.Runner(loop_factory=server_loop()) as runner:
            return runner.run(_measure(targets, random.Random(seed), requests))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", nargs="+", default=[], metavar="TEXT", help="pages whose name contains one")
    args = parser.parse_args()
    if args.only:
        PAGES[:] = [page for page in PAGES if any(text in page.name for text in args.only)]
    print(machine(args.requests, "page"))
    for backend in args.backends:
        by_size = run(backend, args.sizes, args.requests, args.seed)
        for size in args.sizes:
            found = by_size[size]
            floor = found["floor"]
            print(
                f"\n{backend}, {size:,} articles (floor, GET /healthz: p50 {floor[0]:.2f} p95 {floor[1]:.2f})"
            )
            print(
                f"{'page':42} {'p50':>8} {'p95':>8} {'api50':>8} {'api95':>8} {'ratio':>6} {'calls':>5} "
                f"{'<300ms':>6}  slowest call (its p95)"
            )
            for page in PAGES:
                p50, p95, a50, a95, n, (slow95, slow) = found[page.name]
                ok = "yes" if p95 < TARGET_MS else "NO"
                print(
                    f"{page.name:42} {p50:8.2f} {p95:8.2f} {a50:8.2f} {a95:8.2f} "
                    f"{p95 / max(a95, 1e-3):6.2f} {n:5.0f} {ok:>6}  {slow} ({slow95:.1f})"
                )
    print(
        "\np50/p95: the page; api50/api95: the sum of the API calls it names, each timed on its own;"
        "\nratio: page p95 / API-sum p95; target: every page's p95 under 300 ms"
    )


if __name__ == "__main__":
    main()
