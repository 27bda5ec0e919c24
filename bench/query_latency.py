"""Query latency: every query endpoint against the equivalent hand-written SQL, at two corpus sizes.

    PYTHONPATH=. .venv/bin/python bench/query_latency.py [--sizes 10000 100000]
        [--backends sqlite postgres] [--requests 40] [--only /people/ /countries/]

For each backend and size, a fresh database is built by the migrations and filled by
`bench/corpus.py` (articles at a constant daily rate, Zipf-popular entities). Then each
endpoint is called through the ASGI app in-process, alternating with its hand-written SQL
on the same connection pool, with the same randomly drawn parameters, and the sizes are
taken in turn request by request, so that the machine's ups and downs fall on every size
alike. Printed: p50/p95 of
the endpoint, p95 of the SQL, their ratio (target <= 3), and, for the last size, the growth
of each endpoint's p95 from the first size (target <= 1.5). A first line gives the floor:
GET /healthz, which runs no query, through the same stack.

The app runs on the event loop `newsmeta serve` gives it: uvloop, which the dependencies
install and uvicorn picks (asyncio's own loop when uvloop is missing; the first line says which).

Each drawn request's SQL is run once, untimed, before the three are timed, so that the
endpoint, its SQL and the bare route all find its rows in memory: on an archive larger than
the database's buffers, whichever ran first would otherwise pay for reads the others found
cached, and the growth measured would be the buffers', not the plan's.

An endpoint is timed as the server sees it, as the app's own latency histogram does: from
the ASGI call (a request already parsed, as uvicorn hands it over) to the last byte of the
body, every middleware, the routing, the dependencies and the route's thread included. No
HTTP client is timed: its work is the client's, not the endpoint's, and the SQL beside it is
timed without one too. What an in-process client adds per request is printed once, under
the floor (httpx's ASGI transport: GET /healthz through it).

The `stack95` column is the p95 of the same hand-written SQL served by a bare route added to
the benchmark's app (the read-session dependency, the statements, the rows dumped as JSON; no
parameters, no models): what the stack costs around that SQL before any endpoint logic. Where
it is already near 3x the SQL alone, the ratio target is out of reach for any endpoint here.

Postgres needs NEWSMETA_BENCH_POSTGRES_URL (see bench/harness.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from collections.abc import Callable
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from fastapi import Request, Response
from sqlalchemy import text
from sqlmodel import Session

from app.db import get_engine, read
from app.deps import app_settings
from app.main import create_app
from app.models.common import name_key
from bench.corpus import Corpus
from bench.harness import AsgiClient, archives, machine, pct, server_loop

Params = dict[str, Any]


@dataclass
class Case:
    name: str
    url: Callable[[Params], str]
    sql: Callable[[str], list[str]]  # dialect -> statements run in sequence with the same params
    draw: Callable[[Corpus, random.Random], Params]


def _person(c: Corpus, r: random.Random) -> Params:
    pid, name = r.choices(c.people, weights=c.person_weights)[0]
    return {"p": pid, "name": name}


def _country(c: Corpus, r: random.Random) -> str:
    return r.choices(c.countries, weights=c.country_weights)[0]


def _organisation(c: Corpus, r: random.Random) -> Params:
    return {"o": r.choices(c.organisations, weights=c.organisation_weights)[0][0]}


def _holder_sql(column: str, key: str) -> list[str]:
    """An organisation's or a country's holders (top 100 by articles, their offices there, their
    names) and top speakers (top 10 by quotes), off the holder index, as the pages read them."""
    top = f"SELECT person_id FROM holder WHERE {column} = {key} ORDER BY articles DESC, person_id LIMIT 100"
    return [
        f"SELECT person_id, articles FROM holder WHERE {column} = {key} ORDER BY articles DESC, person_id "
        "LIMIT 100",
        f"SELECT person_id, title, {column}, article_count FROM office WHERE person_id IN ({top})",
        f"SELECT id, name FROM person WHERE id IN ({top})",
        f"SELECT person_id, quotes FROM holder WHERE {column} = {key} AND quotes > 0 "
        "ORDER BY quotes DESC, person_id LIMIT 10",
        f"SELECT id, name FROM person WHERE id IN (SELECT person_id FROM holder WHERE {column} = {key} "
        "AND quotes > 0 ORDER BY quotes DESC, person_id LIMIT 10)",
    ]


def _window(c: Corpus, r: random.Random, days: int) -> Params:
    span = max(1, (c.last_day - c.first_day).days - days)
    start = c.first_day + timedelta(days=r.randrange(span))
    return {
        "d0": start.date().isoformat(),
        "d1": (start + timedelta(days=days)).date().isoformat(),
        "t0": start,
        "t1": start + timedelta(days=days),
    }


def _fts(dialect: str, table: str) -> str:
    if dialect == "postgresql":
        return f"{table}.search @@ websearch_to_tsquery('english', :q)"
    # FTS5 walks the doclists newest first and stops after a page: no sort, no full match list.
    return (
        f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :q "
        "ORDER BY rowid DESC LIMIT 51)"
    )


# Every field an article list shows (ArticlePublic): the SQL reads what the response holds.
ARTICLE_COLS = (
    "article.id, article.url, article.external_id, article.title, article.source, article.published_at, "
    "article.language, article.content_hash, article.created_at, article.extractor_name, "
    "article.extractor_version"
)
PAGE = "ORDER BY article.id DESC LIMIT 51"


def _bucket(dialect: str) -> str:
    if dialect == "postgresql":
        return "date_trunc('week', coalesce(article.published_at, article.created_at))"
    return (
        "date(coalesce(article.published_at, article.created_at), "
        "'-' || ((strftime('%w', coalesce(article.published_at, article.created_at)) + 6) % 7) || ' days')"
    )


# The lowest or highest id of the articles published in the window [:t0, :t1] ("+ 0": read off
# the window, not by walking the primary key until a row falls in it).
_WINDOW_IDS = "(SELECT {f}(id + 0) FROM article WHERE published_at >= :t0 AND published_at <= :t1)"

CASES = [
    Case(
        "GET /articles?person=",
        lambda p: f"/articles?person={p['p']}",
        lambda d: [
            f"SELECT {ARTICLE_COLS} FROM article WHERE article.id IN (SELECT DISTINCT article_id FROM mention "
            f"WHERE person_id = :p ORDER BY article_id DESC LIMIT 51) {PAGE}"
        ],
        _person,
    ),
    Case(
        "GET /articles?country=&published_from=&published_to=",
        lambda p: f"/articles?country={p['c']}&published_from={p['d0']}&published_to={p['d1']}",
        lambda d: [
            f"SELECT {ARTICLE_COLS} FROM article WHERE article.published_at >= :t0 AND "
            "article.published_at <= :t1 AND EXISTS (SELECT 1 FROM mention WHERE mention.article_id = "
            f"article.id AND mention.country_code = :c) {PAGE}"
        ],
        lambda c, r: {"c": _country(c, r), **_window(c, r, 7)},
    ),
    Case(
        "GET /articles?q=",
        lambda p: f"/articles?q={p['words']}",
        lambda d: [f"SELECT {ARTICLE_COLS} FROM article WHERE {_fts(d, 'article')} {PAGE}"],
        lambda c, r: (lambda w: {"words": w, "q": " ".join(f'"{x}"' for x in w.split())})(
            " ".join(r.sample(["sanctions", "drought", "pipeline", "tariffs", "vaccine", "ruling"], 2))
        ),
    ),
    Case(
        "GET /quotes?speaker=",
        lambda p: f"/quotes?speaker={p['name']}",
        # The request names the speaker, so the SQL first finds them by name (its normalised key),
        # then reads their quotes and their positions with the organisations' names, as shown.
        lambda d: [
            "SELECT person_id FROM person_alias WHERE key = :key",
            'SELECT quote.id, quote.text, quote.kind, quote.cue, quote.start, quote."end", person.id, '
            "person.name, article.id, article.title, article.url, article.published_at FROM quote "
            "JOIN article ON article.id = quote.article_id LEFT JOIN person ON person.id = quote.speaker_id "
            "WHERE quote.speaker_id = :p ORDER BY quote.id DESC LIMIT 51",
            "SELECT office.title, organisation.name, office.country_code FROM office "
            "LEFT JOIN organisation ON organisation.id = office.organisation_id "
            "WHERE office.person_id = :p ORDER BY office.article_count DESC, office.title",
        ],
        lambda c, r: (lambda p: {**p, "key": name_key(p["name"])})(_person(c, r)),
    ),
    Case(
        "GET /quotes?speaker_country=&published_from=&published_to=",
        lambda p: f"/quotes?speaker_country={p['c']}&published_from={p['d0']}&published_to={p['d1']}",
        # From the window's articles ("+ 0": not by walking every quote newest first), each quote's
        # speaker probed for a position in the country.
        # (Written as "speaker_id IN (holders of a position there)", it drove from every quote of
        # every such person on SQLite, 230 ms at 100k: a reference no endpoint should be held to.)
        lambda d: [
            'SELECT quote.id, quote.text, quote.kind, quote.cue, quote.start, quote."end", person.id, '
            "person.name, article.id, article.title, article.url, article.published_at FROM article "
            "JOIN quote ON quote.article_id = article.id LEFT JOIN person ON person.id = quote.speaker_id "
            "WHERE article.published_at >= :t0 AND article.published_at <= :t1 AND EXISTS (SELECT 1 "
            "FROM position WHERE position.person_id = quote.speaker_id AND position.country_code = :c) "
            "ORDER BY quote.id + 0 DESC LIMIT 51"
        ],
        lambda c, r: {"c": _country(c, r), **_window(c, r, 7)},
    ),
    Case(
        "GET /people/{id}",
        lambda p: f"/people/{p['p']}",
        lambda d: [
            "SELECT id, name FROM person WHERE id = :p",
            "SELECT alias FROM person_alias WHERE person_id = :p",
            "SELECT title, organisation_id, country_code, present_first_seen, present_last_seen, present_count, "
            "former_first_seen, former_last_seen, former_count FROM office WHERE person_id = :p "
            "ORDER BY last_seen DESC",
            "SELECT article_id FROM position WHERE person_id = :p ORDER BY title, organisation_id, country_code, "
            "former, article_id DESC LIMIT 100",
            # Quote, mention and article counts: the person's maintained counters.
            "SELECT mentions, quotes, articles FROM entity_stats WHERE person_id = :p",
            # Co-mentions over the person's newest 500 articles.
            "SELECT person_id, organisation_id, country_code, count(DISTINCT article_id) FROM mention "
            "WHERE article_id IN (SELECT DISTINCT article_id FROM mention WHERE person_id = :p "
            "ORDER BY article_id DESC LIMIT 500) GROUP BY person_id, organisation_id, country_code",
        ],
        _person,
    ),
    Case(
        "GET /organisations/{id}",
        lambda p: f"/organisations/{p['o']}",
        lambda d: [
            "SELECT id, name FROM organisation WHERE id = :o",
            "SELECT organisation_alias.alias, organisation.name FROM organisation_alias JOIN organisation ON "
            "organisation.id = organisation_alias.organisation_id WHERE organisation_alias.organisation_id = :o "
            "ORDER BY organisation_alias.alias",
            "SELECT mention_articles FROM entity_stats WHERE organisation_id = :o",
            *_holder_sql("organisation_id", ":o"),
            # Co-mentions over the organisation's newest 500 articles.
            "SELECT person_id, organisation_id, country_code, count(DISTINCT article_id) FROM mention "
            "WHERE article_id IN (SELECT DISTINCT article_id FROM mention WHERE organisation_id = :o "
            "ORDER BY article_id DESC LIMIT 500) GROUP BY person_id, organisation_id, country_code",
        ],
        _organisation,
    ),
    Case(
        "GET /countries/{code}",
        lambda p: f"/countries/{p['c']}",
        lambda d: [
            "SELECT code, alpha3, name FROM country WHERE code = :c",
            "SELECT mention_articles FROM entity_stats WHERE country_code = :c",
            "SELECT id, title, published_at FROM article WHERE id IN (SELECT DISTINCT article_id FROM mention "
            "WHERE country_code = :c ORDER BY article_id DESC LIMIT 10) ORDER BY id DESC",
            *_holder_sql("country_code", ":c"),
        ],
        lambda c, r: {"c": _country(c, r)},
    ),
    Case(
        "GET /positions?title=&country=",
        lambda p: f"/positions?title=minister&country={p['c']}",
        # With the holders' and organisations' names, which the response shows, joined to the page.
        lambda d: [
            "SELECT page.person_id, person.name, page.title, page.organisation_id, organisation.name, "
            "page.country_code, page.first_seen, page.last_seen, page.article_count FROM ("
            "SELECT * FROM office WHERE office.country_code = :c AND lower(office.title) LIKE '%minister%' "
            "ORDER BY office.last_seen DESC, office.id DESC LIMIT 51) AS page "
            "JOIN person ON person.id = page.person_id "
            "LEFT JOIN organisation ON organisation.id = page.organisation_id "
            "ORDER BY page.last_seen DESC, page.id DESC"
        ],
        lambda c, r: {"c": _country(c, r)},
    ),
    Case(
        "GET /stats/timeline?person=&interval=week (90 days)",
        lambda p: (
            f"/stats/timeline?metric=mentions&interval=week&person={p['p']}"
            f"&published_from={p['d0']}&published_to={p['d1']}"
        ),
        # The person's mentions within the window's id range, as the endpoint reads them: without
        # that bound SQLite read every mention of a popular person in the archive (67 ms at 100k).
        lambda d: [
            f"SELECT {_bucket(d)} AS period, count(*) FROM mention JOIN article ON article.id = mention.article_id "
            f"WHERE mention.person_id = :p AND mention.article_id BETWEEN {_WINDOW_IDS.format(f='min')} AND "
            f"{_WINDOW_IDS.format(f='max')} AND article.published_at >= :t0 AND article.published_at <= :t1 "
            "GROUP BY period ORDER BY period"
        ],
        lambda c, r: {**_person(c, r), **_window(c, r, 90)},
    ),
    Case(
        "GET /stats/top?kind=people&country= (30 days)",
        lambda p: f"/stats/top?kind=people&country={p['c']}&published_from={p['d0']}&published_to={p['d1']}",
        lambda d: [
            "SELECT mention.person_id, count(DISTINCT mention.article_id) AS n FROM mention JOIN article ON "
            "article.id = mention.article_id WHERE mention.person_id IS NOT NULL AND article.published_at >= :t0 "
            "AND article.published_at <= :t1 AND EXISTS (SELECT 1 FROM mention AS c WHERE c.article_id = "
            "article.id AND c.country_code = :c) GROUP BY mention.person_id ORDER BY n DESC LIMIT 10"
        ],
        lambda c, r: {"c": _country(c, r), **_window(c, r, 30)},
    ),
    Case(
        "GET /stats/cooccurrence?kind=people&country= (30 days)",
        lambda p: (
            f"/stats/cooccurrence?kind=people&country={p['c']}&published_from={p['d0']}"
            f"&published_to={p['d1']}"
        ),
        lambda d: [
            "SELECT a.person_id, b.person_id, count(*) AS w FROM mention AS a JOIN mention AS b ON "
            "b.article_id = a.article_id AND b.person_id > a.person_id JOIN article ON article.id = a.article_id "
            "WHERE a.person_id IS NOT NULL AND article.published_at >= :t0 AND article.published_at <= :t1 "
            "AND EXISTS (SELECT 1 FROM mention AS c WHERE c.article_id = article.id AND c.country_code = :c) "
            "GROUP BY a.person_id, b.person_id ORDER BY w DESC LIMIT 100"
        ],
        lambda c, r: {"c": _country(c, r), **_window(c, r, 30)},
    ),
]


def run(backend: str, sizes: list[int], requests: int, seed: int) -> dict[int, dict[str, Any]]:
    """Every size's archive built first, then measured together (see _measure)."""
    with ExitStack() as databases:
        targets = [
            _Target(size, create_app(settings), get_engine(settings), corpus)
            for size, settings, corpus in archives(databases, backend, sizes)
        ]
        with asyncio.Runner(loop_factory=server_loop()) as runner:
            return runner.run(_measure(targets, random.Random(seed), requests))


@dataclass
class _Target:
    """One size's archive: its app (with the bare /_bench/sql route added), engine and corpus."""

    size: int
    app: Any
    engine: Any
    corpus: Corpus
    current: dict[str, Any] = field(default_factory=dict)  # what /_bench/sql runs next

    def __post_init__(self) -> None:
        current = self.current

        def run_current(session: Session) -> list[list[Any]]:
            return [session.execute(text(s), current["params"]).all() for s in current["statements"]]

        @self.app.get("/_bench/sql", include_in_schema=False)
        async def sql_through_stack(request: Request) -> Response:
            rows = await read(app_settings(request), run_current)
            return Response(json.dumps([[list(r) for r in found] for found in rows], default=str))

    def run_sql(self, statements: list[str], params: Params) -> None:
        with self.engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement), params).fetchall()


async def _measure(targets: list[_Target], rng: random.Random, requests: int) -> dict[int, dict[str, Any]]:
    """Each endpoint's requests, taking the sizes in turn request by request: a machine that
    slows down for a while slows every size alike, and the growth from one to the next stays
    a property of the plans, not of when each size was measured."""
    results: dict[int, dict[str, Any]] = {t.size: {} for t in targets}
    async with AsyncExitStack() as running:
        for target in targets:
            await running.enter_async_context(target.app.router.lifespan_context(target.app))
        clients = {t.size: AsgiClient(t.app) for t in targets}
        # The floor: what any request costs in this stack (middleware, routing), with no
        # parameters and no query; and, for scale, the same request through an in-process client.
        floor: dict[int, list[float]] = {t.size: [] for t in targets}
        through_httpx: dict[int, list[float]] = {t.size: [] for t in targets}
        async with AsyncExitStack() as opened:
            https = {
                t.size: await opened.enter_async_context(
                    httpx.AsyncClient(transport=httpx.ASGITransport(app=t.app), base_url="http://bench")
                )
                for t in targets
            }
            for i in range(requests):
                for target in targets:
                    t = time.perf_counter()
                    await clients[target.size].get("/healthz")
                    elapsed = time.perf_counter() - t
                    t = time.perf_counter()
                    await https[target.size].get("/healthz")
                    if i >= 3:
                        floor[target.size].append(elapsed * 1000)
                        through_httpx[target.size].append((time.perf_counter() - t) * 1000)
        for target in targets:
            ms = floor[target.size], through_httpx[target.size]
            results[target.size][FLOOR] = (statistics.median(ms[0]), pct(ms[0], 0.95), 0.0, 0.0)
            results[target.size][CLIENT] = (statistics.median(ms[1]), pct(ms[1], 0.95), 0.0, 0.0)
        for case in CASES:
            params = {t.size: [case.draw(t.corpus, rng) for _ in range(requests)] for t in targets}
            api: dict[int, list[float]] = {t.size: [] for t in targets}
            raw: dict[int, list[float]] = {t.size: [] for t in targets}
            stack: dict[int, list[float]] = {t.size: [] for t in targets}
            missing = False
            for i in range(requests):
                for target in targets:
                    p, client = params[target.size][i], clients[target.size]
                    statements = case.sql(target.engine.dialect.name)
                    # Untimed, once: the rows this request reads are then in memory for every side.
                    # (Timed cold, whichever ran first paid for the reads the others found cached.)
                    target.run_sql(statements, p)
                    t = time.perf_counter()
                    status, body = await client.get(case.url(p))
                    elapsed = time.perf_counter() - t
                    if status == 404 and json.loads(body).get("detail") is None:
                        missing = True  # the route does not exist (yet)
                        break
                    if status != 200:
                        raise SystemExit(f"{case.name}: {status} {body[:300]!r}")
                    t = time.perf_counter()
                    target.run_sql(statements, p)
                    raw_elapsed = time.perf_counter() - t
                    target.current.update(statements=statements, params=p)
                    t = time.perf_counter()
                    status, body = await client.get("/_bench/sql")
                    stack_elapsed = time.perf_counter() - t
                    assert status == 200, body[:300]
                    if i >= 3:  # warm-up
                        api[target.size].append(elapsed * 1000)
                        raw[target.size].append(raw_elapsed * 1000)
                        stack[target.size].append(stack_elapsed * 1000)
                if missing:
                    break
            for target in targets:
                a, r, b = api[target.size], raw[target.size], stack[target.size]
                results[target.size][case.name] = (
                    None if missing else (statistics.median(a), pct(a, 0.95), pct(r, 0.95), pct(b, 0.95))
                )
    return results


FLOOR = "GET /healthz (no parameters, no query: the floor)"
CLIENT = "  the same through httpx's ASGI client (not timed elsewhere)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="TEXT",
        help="measure only the endpoints whose name contains one",
    )
    args = parser.parse_args()
    if args.only:
        CASES[:] = [case for case in CASES if any(text in case.name for text in args.only)]
    print(machine(args.requests, "endpoint"))
    for backend in args.backends:
        by_size = run(backend, args.sizes, args.requests, args.seed)
        first, last = args.sizes[0], args.sizes[-1]
        print(f"\n{backend}")
        header = f"{'endpoint':58} " + " ".join(
            f"{f'p50@{s // 1000}k':>9} {f'p95@{s // 1000}k':>9} {f'sql95@{s // 1000}k':>10} "
            f"{f'stack95@{s // 1000}k':>12} {'ratio':>6}"
            for s in args.sizes
        )
        print(header + f" {'growth':>7}")
        for line in (FLOOR, CLIENT):
            floors = [by_size[size][line] for size in args.sizes]
            print(
                f"{line:58} "
                + " ".join(f"{f[0]:9.2f} {f[1]:9.2f} {'-':>10} {'-':>12} {'-':>6}" for f in floors if f)
            )
        for case in CASES:
            cells = []
            for size in args.sizes:
                r = by_size[size][case.name]
                cells.append(
                    "   (no such endpoint yet)"
                    if r is None
                    else f"{r[0]:9.2f} {r[1]:9.2f} {r[2]:10.2f} {r[3]:12.2f} {r[1] / max(r[2], 1e-3):6.2f}"
                )
            a, b = by_size[first][case.name], by_size[last][case.name]
            growth = f"{b[1] / a[1]:7.2f}" if a and b and len(args.sizes) > 1 else "      -"
            print(f"{case.name:58} " + " ".join(cells) + f" {growth}")
    print(
        "\ntargets: ratio (endpoint p95 / SQL p95) <= 3; growth (p95 at largest / smallest size) <= 1.5"
        "\nstack95: the same SQL through a bare route of the same app (no parameters, no models)"
    )


if __name__ == "__main__":
    main()
