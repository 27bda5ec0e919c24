"""The dashboard's pages: read-only HTML under /ui, drawn on the server from the same service calls
the JSON API makes (app/ui/calls.py), with hand-written SVG charts and no script at all.

Every page lists the API calls behind it, and every chart links to its call as CSV. When reads
need a key (NEWSMETA_REQUIRE_READ_KEY), a page without one shows a form that keeps the key in an
HttpOnly cookie, which the API accepts for reads alone (app/auth.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from app.auth import KEY_COOKIE, _lookup, require
from app.db import read
from app.deps import app_settings
from app.errors import AppError
from app.models.common import MAX_ID
from app.models.queries import QuoteKind
from app.models.stats import GraphKind, Interval, Metric, Timeline, TopKind
from app.routers.include import include
from app.services import keys
from app.ui import calls, charts
from app.ui.calls import ApiCall, Window

HERE = Path(__file__).resolve().parent
router = APIRouter(prefix="/ui", include_in_schema=False)

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every template, whatever its name: nothing reaches a page unescaped
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# No script runs on these pages, and nothing is loaded from elsewhere: a name that slipped
# through escaping still could not run. Charts are inline SVG, styled by the one stylesheet.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
QUOTES_PER_PAGE = 25
SEARCH_LIMIT = 10
TOP = 10
# Charts cover a window that ends on the newest publication date among the newest stored articles
# (of the entity, on its page): where the archive's data is, not today, which may be long after.
# A window bounds what a chart reads, so a page costs the same in a ten-year archive as in a new one.
ANCHOR_ARTICLES = 20
# The overview's windows, in days, and the entity pages' (with the period each one plots).
# Longer ones cost more than a page may (bench/dashboard_latency.py): the API serves them.
SPANS = {"7d": 7, "30d": 30}
DEFAULT_SPAN = "7d"
TIMELINE_SPANS = {"90d": (90, Interval.day), "1y": (365, Interval.week)}
DEFAULT_TIMELINE_SPAN = "1y"
# The network's articles: the newest this many that match (the API's default is 1000).
GRAPH_ARTICLES = {"100": 100, "250": 250}
DEFAULT_GRAPH_ARTICLES = "100"
GRAPH_KINDS = {k.value: k for k in GraphKind}


@dataclass
class Page:
    """One request's page: where links point, and the API calls it made, in order."""

    request: Request
    made: list[ApiCall] = field(default_factory=list)

    @property
    def root(self) -> str:
        return str(self.request.scope.get("root_path", "")).rstrip("/")

    @property
    def ui(self) -> str:
        return self.root + "/ui"

    async def get(self, call: ApiCall) -> Any:
        self.made.append(call)
        return await read(app_settings(self.request), call.work, **call.kwargs)

    async def all(self, *batch: ApiCall) -> list[Any]:
        """The calls at once, each on its own reader thread (a quick SQLite one on the loop, see
        `app.db.read`), as a browser would send them."""
        return list(await asyncio.gather(*(self.get(call) for call in batch)))

    def api(self, call: ApiCall, fmt: str | None = None) -> str:
        return self.root + call.url(fmt)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = _ENV.get_template(template).render(
            ui=self.ui,
            root=self.root,
            api=self.api,
            calls=self.made,
            path=self.request.url.path,
            **context,
        )
        return HTMLResponse(body, status_code=status, headers=HEADERS)


async def _serve(request: Request, build: Callable[[Page], Awaitable[Response]]) -> Response:
    """A page, once the reader may read: otherwise the key form (or the error as a page)."""
    page = Page(request)
    try:
        await require("read")(request)
        return await build(page)
    except AppError as exc:
        if exc.status == 401:
            return _key_form(page, error=exc.detail if presented(request) else None, status=401)
        response = page.render("error.html", status=exc.status, title=exc.title, detail=exc.detail)
        response.headers.update(exc.headers or {})
        return response


def presented(request: Request) -> bool:
    headers = request.headers
    return bool(headers.get("authorization") or headers.get("x-api-key") or request.cookies.get(KEY_COOKIE))


def _key_form(page: Page, *, error: str | None = None, status: int = 200) -> HTMLResponse:
    wanted = page.request.url.path + (f"?{page.request.url.query}" if page.request.url.query else "")
    return page.render("key.html", status=status, error=error, next=_safe_next(wanted, page.ui))


def _safe_next(value: str, ui: str) -> str:
    """Only a path of this dashboard: never another host, never a scheme."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(ui) or "\\" in value:
        return ui + "/"
    return value


# --- Overview, search, quotes, network --------------------------------------------------------------


@router.get("/")
async def overview(request: Request, span: str = DEFAULT_SPAN) -> Response:
    """Articles per day, and the top speakers, people, organisations and countries, of a window."""

    async def build(page: Page) -> Response:
        chosen = span if span in SPANS else DEFAULT_SPAN
        window = _window(await page.get(calls.newest_articles(limit=ANCHOR_ARTICLES)), SPANS[chosen])
        per_day = calls.timeline(metric=Metric.articles, interval=Interval.day, window=window)
        tops = {kind: calls.top(kind=kind, limit=TOP, window=window) for kind in TopKind}
        line, *answers = await page.all(per_day, *tops.values())
        lists = {}
        for (kind, call), answer in zip(tops.items(), answers, strict=True):
            lists[kind.value] = (call, charts.bars([_top_row(page, kind, item) for item in answer.items]))
        return page.render(
            "overview.html",
            span=chosen,
            spans=list(SPANS),
            window=window,
            per_day=per_day,
            chart=_timeline_chart(line, window),
            tops=lists,
        )

    return await _serve(request, build)


def _top_row(page: Page, kind: TopKind, item: Any) -> tuple[str, int, str]:
    if kind is TopKind.countries:
        return item.name, item.count, f"{page.ui}/countries/{item.code}"
    where = "organisations" if kind is TopKind.organisations else "people"
    return item.name, item.count, f"{page.ui}/{where}/{item.id}"


@router.get("/search")
async def search(request: Request, q: str = "") -> Response:
    """People, organisations and countries by name, and quotes by their words."""

    async def build(page: Page) -> Response:
        text = q.strip()[:300]
        found: dict[str, Any] = {"people": [], "organisations": [], "countries": [], "quotes": []}
        if text:
            people, orgs, every_country, said = await page.all(
                calls.people_named(text, limit=SEARCH_LIMIT),
                calls.organisations_named(text, limit=SEARCH_LIMIT),
                calls.countries(),
                calls.quote_list(q=text, limit=SEARCH_LIMIT),
            )
            needle = text.casefold()
            found = {
                "people": people.items,
                "organisations": orgs.items,
                "countries": [
                    c
                    for c in every_country
                    if needle in c.name.casefold() or needle in (c.code.casefold(), c.alpha3.casefold())
                ][:SEARCH_LIMIT],
                "quotes": said.items,
            }
        return page.render("search.html", q=text, found=found)

    return await _serve(request, build)


@router.get("/quotes")
async def quote_feed(
    request: Request,
    speaker: str = "",
    speaker_country: str = "",
    q: str = "",
    kind: str = "",
    cursor: str = "",
) -> Response:
    """Quotes newest first, by speaker, speaker's country, kind and words; a page at a time."""

    async def build(page: Page) -> Response:
        chosen_kind: QuoteKind | None = (
            "direct" if kind == "direct" else "indirect" if kind == "indirect" else None
        )
        filters = {
            "speaker": speaker.strip()[:300],
            "speaker_country": speaker_country.strip()[:200],
            "q": q.strip()[:500],
        }
        feed = calls.quote_list(
            limit=QUOTES_PER_PAGE, cursor=cursor[:200] or None, kind=chosen_kind, **filters
        )
        listing, every_country = await page.all(feed, calls.countries())
        shown = {**filters, "kind": chosen_kind or ""}
        more = None
        if listing.next_cursor:
            kept = {k: v for k, v in shown.items() if v}
            more = f"{page.ui}/quotes?" + urlencode({**kept, "cursor": listing.next_cursor})
        first_page = calls.quote_list(limit=QUOTES_PER_PAGE, kind=chosen_kind, **filters)
        return page.render(
            "quotes.html",
            filters=shown,
            quotes=listing.items,
            countries=every_country,
            more=more,
            csv=page.api(first_page, "csv"),
            paged=bool(cursor),
        )

    return await _serve(request, build)


@router.get("/network")
async def network(
    request: Request,
    kind: str = "people",
    country: str = "",
    person: str = "",
    organisation: str = "",
    min_weight: int = 1,
    articles: str = DEFAULT_GRAPH_ARTICLES,
) -> Response:
    """Who is mentioned with whom, over the newest matching articles, as a circle of chords."""

    async def build(page: Page) -> Response:
        chosen = GRAPH_KINDS.get(kind, GraphKind.people)
        weight = min(max(min_weight, 1), 1000)
        over = articles if articles in GRAPH_ARTICLES else DEFAULT_GRAPH_ARTICLES
        call = calls.cooccurrence(
            kind=chosen,
            limit=60,
            min_weight=weight,
            max_articles=GRAPH_ARTICLES[over],
            window=Window(),
            country=country.strip()[:200] or None,
            person=person.strip()[:300] or None,
            organisation=organisation.strip()[:300] or None,
        )
        graph = await page.get(call)
        nodes = [(n.id, n.type, n.name, _node_href(page, n.id)) for n in graph.nodes]
        edges = [(e.source, e.target, e.weight) for e in graph.edges]
        return page.render(
            "network.html",
            graph=graph,
            drawing=charts.circle(nodes, edges),
            call=call,
            kinds=list(GRAPH_KINDS),
            sizes=list(GRAPH_ARTICLES),
            filters={
                "articles": over,
                "kind": chosen.value,
                "country": country,
                "person": person,
                "organisation": organisation,
                "min_weight": weight,
            },
        )

    return await _serve(request, build)


def _node_href(page: Page, node: str) -> str:
    kind, _, key = node.partition(":")
    where = {"person": "people", "organisation": "organisations", "country": "countries"}[kind]
    return f"{page.ui}/{where}/{key}"


# --- A person, an organisation, a country, an article -------------------------------------------

EntityId = Annotated[int, PathParam(ge=1, le=MAX_ID)]


@router.get("/people/{person_id}")
async def person_page(request: Request, person_id: EntityId, span: str = DEFAULT_TIMELINE_SPAN) -> Response:
    """A person: positions over time, quotes with their articles, co-mentions, mentions per period."""

    async def build(page: Page) -> Response:
        key = str(person_id)
        said = calls.quote_list(speaker=key, limit=QUOTES_PER_PAGE)
        newest = calls.newest_articles(limit=ANCHOR_ARTICLES, person=key)
        (person, listing), _, mentions, line, chosen = await _with_timeline(
            page, span, (calls.person(person_id), said), newest, person=key
        )
        rows = [
            (
                _office(p.title, p.organisation.name if p.organisation else None, p.country),
                p.first_seen,
                p.last_seen,
                p.former,
                p.article_count,
            )
            for p in person.positions
        ]
        return page.render(
            "person.html",
            person=person,
            positions=charts.spans(rows),
            quotes=listing.items,
            more_quotes=f"{page.ui}/quotes?speaker={person_id}" if listing.next_cursor else None,
            said=said,
            mentions=mentions,
            chart=line,
            span=chosen,
            spans=list(TIMELINE_SPANS),
        )

    return await _serve(request, build)


@router.get("/organisations/{organisation_id}")
async def organisation_page(
    request: Request, organisation_id: EntityId, span: str = DEFAULT_TIMELINE_SPAN
) -> Response:
    """An organisation: who holds positions there, its most quoted, co-mentions, mentions per period."""

    async def build(page: Page) -> Response:
        key = str(organisation_id)
        newest = calls.newest_articles(limit=ANCHOR_ARTICLES, organisation=key)
        org, latest, mentions, line, chosen = await _with_timeline(
            page, span, calls.organisation(organisation_id), newest, organisation=key
        )
        return page.render(
            "organisation.html",
            org=org,
            speakers=charts.bars([(s.name, s.quotes, f"{page.ui}/people/{s.id}") for s in org.top_speakers]),
            latest=latest.items,
            mentions=mentions,
            chart=line,
            span=chosen,
            spans=list(TIMELINE_SPANS),
        )

    return await _serve(request, build)


@router.get("/countries/{code}")
async def country_page(request: Request, code: str, span: str = DEFAULT_TIMELINE_SPAN) -> Response:
    """A country: its latest articles, people holding office in it, top speakers, mentions per period."""

    async def build(page: Page) -> Response:
        value = code.strip()[:200]
        newest = calls.newest_articles(limit=ANCHOR_ARTICLES, country=value)
        country, _, mentions, line, chosen = await _with_timeline(
            page, span, calls.country(value), newest, country=value
        )
        return page.render(
            "country.html",
            country=country,
            speakers=charts.bars(
                [(s.name, s.quotes, f"{page.ui}/people/{s.id}") for s in country.top_speakers]
            ),
            mentions=mentions,
            chart=line,
            span=chosen,
            spans=list(TIMELINE_SPANS),
        )

    return await _serve(request, build)


async def _with_timeline(
    page: Page, span: str, own: ApiCall | tuple[ApiCall, ...], newest: ApiCall, **entity: str
) -> tuple[Any, Any, ApiCall, charts.TimelineChart, str]:
    """An entity page's calls: its own (one, or several as a tuple) beside its newest articles,
    then its mentions over the chosen span up to the newest of those; the answers in that order.
    A 404 comes from the entity's own call."""
    chosen = span if span in TIMELINE_SPANS else DEFAULT_TIMELINE_SPAN
    days, every = TIMELINE_SPANS[chosen]
    first = own if isinstance(own, tuple) else (own,)
    *found, latest = await page.all(*first, newest)
    window = _window(latest, days)
    mentions = calls.timeline(metric=Metric.mentions, interval=every, window=window, **entity)
    line: Timeline = await page.get(mentions)
    answer = tuple(found) if isinstance(own, tuple) else found[0]
    return answer, latest, mentions, _timeline_chart(line, window), chosen


@router.get("/articles/{article_id}")
async def article_page(request: Request, article_id: EntityId) -> Response:
    """An article: its metadata, text, and everything extracted from it."""

    async def build(page: Page) -> Response:
        found = await page.get(calls.article(article_id))
        return page.render("article.html", article=found, link=_web_link(found.url))

    return await _serve(request, build)


# --- The key form --------------------------------------------------------------------------------


@router.get("/key")
async def key_form(request: Request, next: str = "") -> Response:
    """The form that asks for a read key, when reads need one."""
    page = Page(request)
    return page.render("key.html", error=None, next=_safe_next(next, page.ui))


@router.post("/key")
async def keep_key(request: Request) -> Response:
    """Check the key posted from the form; keep a good one in an HttpOnly cookie for this site."""
    page = Page(request)
    form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
    key = (form.get("key") or [""])[0].strip()
    target = _safe_next((form.get("next") or [""])[0], page.ui)
    settings = app_settings(request)
    if settings.auth_enabled:
        found = await run_in_threadpool(_lookup, settings, key) if key else None
        if found is None:
            return page.render("key.html", status=401, error="unknown or revoked API key", next=target)
        if not keys.allows(found.scope, "read"):
            return page.render("key.html", status=403, error="this key may not read", next=target)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        KEY_COOKIE,
        key,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=page.root + "/",
    )
    return response


@router.post("/key/forget")
async def forget_key(request: Request) -> Response:
    """Drop the kept key."""
    page = Page(request)
    response = RedirectResponse(page.ui + "/", status_code=303)
    response.delete_cookie(KEY_COOKIE, path=page.root + "/")
    return response


# --- Shared pieces -------------------------------------------------------------------------------


def _office(title: str, organisation: str | None, country: str | None) -> str:
    where = ", ".join(x for x in (organisation, country) if x)
    return f"{title} ({where})" if where else title


def _web_link(url: str | None) -> str | None:
    """A link only to a web page: a stored `javascript:` or `data:` URL stays text."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def _window(newest: Any, days: int) -> Window:
    """The `days` up to the newest publication date among `newest` (a page of articles); open
    when there are none."""
    dates = [d for a in newest.items if (d := a.get("published_at") or a.get("created_at")) is not None]
    if not dates:
        return Window()
    end = datetime.combine(max(dates).date(), time(23, 59, 59), tzinfo=UTC)
    return Window(start=_day_start(end.date() - timedelta(days=days - 1)), end=end)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _timeline_chart(line: Timeline, window: Window) -> charts.TimelineChart:
    return charts.timeline(
        [(p.period, p.count) for p in line.points],
        start=window.start.date() if window.start else None,
        end=window.end.date() if window.end else None,
    )


def install(app: FastAPI) -> None:
    """Serve the dashboard at /ui (its stylesheet at /ui/static) and send / there."""
    include(app, router)  # matched as the app's own routes (app/routers/include.py)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")

    @app.get("/", include_in_schema=False)
    async def home() -> Response:
        # Relative, so it lands on the dashboard behind a proxy that serves the API under a prefix.
        return Response(status_code=307, headers={"Location": "ui/"})

    @app.get("/ui", include_in_schema=False)
    async def ui_home() -> Response:
        return Response(status_code=307, headers={"Location": "ui/"})


__all__ = ["install", "router"]
