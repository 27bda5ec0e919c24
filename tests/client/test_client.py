"""The typed client against a live server (SQLite and Postgres): pages, retries, typed problems."""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

import app.client._async as async_module
import app.client._sync as sync_module
from app.client import (
    AsyncClient,
    Client,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    ServerError,
    ServiceBusy,
    Unauthorized,
)
from app.models import ArticleCreate, ArticleRead
from app.models.queries import QuotePublic
from app.models.stats import Cooccurrence, Timeline
from tests.client.conftest import RATE_LIMIT_PER_MINUTE, Live
from tests.reliability.conftest import new_key


class Recording(httpx.HTTPTransport):
    """The real transport, noting each request's method, path and status."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.seen.append((request.method, request.url.path, response.status_code))
        return response


def test_quotes_walks_every_page_through_the_link_header(live: Live) -> None:
    everything = httpx.get(f"{live.url}/quotes", params={"speaker": "Peskov", "limit": 500}).json()["items"]
    assert len(everything) >= 3  # the seed's quotes and the two invented articles'
    transport = Recording()
    with Client(live.url, transport=transport) as client:
        quotes = list(client.quotes(speaker="Peskov", page_size=1))
    assert all(isinstance(q, QuotePublic) for q in quotes)
    assert [q.id for q in quotes] == [q["id"] for q in everything]
    assert {q.speaker.name for q in quotes if q.speaker} == {"Dmitry Peskov"}
    # One request per page, and one more that finds the last page has no next link.
    assert [path for _, path, _ in transport.seen] == ["/quotes"] * len(everything)


def test_filters_reach_the_server(live: Live) -> None:
    with Client(live.url) as client:
        titles = [a.title for a in client.articles(person="Peskov", published_from=date(2025, 3, 10))]
        assert set(titles) == {"Peskov on sanctions", "Seed"}
        march = client.timeline(
            person="Peskov", interval="week", published_from="2025-03-01", published_to="2025-03-31"
        )
        graph = client.cooccurrence(kind="people", min_weight=1)
    assert isinstance(march, Timeline) and sum(p.count for p in march.points) >= 3
    assert isinstance(graph, Cooccurrence) and graph.edges


def test_create_get_and_delete_an_article(live: Live) -> None:
    text = f"Finance Minister Anna Berg said the budget was balanced. Note {time.time_ns()}."
    with Client(live.url, api_key=live.admin_key) as client:
        created = client.create_article(ArticleCreate(text=text, title="Budget"))
        assert isinstance(created, ArticleRead) and created.title == "Budget"
        again = client.create_article({"text": text})
        assert again.id == created.id
        assert client.get_article(created.id).text == text
        client.delete_article(created.id)
        with pytest.raises(NotFound):
            client.get_article(created.id)


def test_a_curator_merges_renames_and_splits_people_through_the_client(live: Live) -> None:
    stamp = time.time_ns()
    with Client(live.url, api_key=live.admin_key) as client:
        # Two names for one invented writer: a pen name in one article, the legal name in another.
        pen = client.create_article(
            f"The writer Ilse Varga said on Monday that the book was finished. Note {stamp}."
        )
        legal = client.create_article(
            f"The writer Ilona Vargova said on Monday that the tour would start in May. Note {stamp}."
        )
        pen_id = next(p.id for p in pen.extraction.people if p.name == "Ilse Varga")
        legal_id = next(p.id for p in legal.extraction.people if p.name == "Ilona Vargova")
        assert pen_id != legal_id

        merged = client.merge_people(legal_id, pen_id)
        assert merged.id == legal_id and "Ilse Varga" in merged.aliases
        assert client.get_person(pen_id).id == legal_id  # the old id keeps answering
        assert {q.text for q in client.quotes(speaker="Ilse Varga")} >= {"the book was finished"}

        renamed = client.update_person(legal_id, name="Ilona Varga-Vargova", external_id="Q999999001")
        assert (renamed.name, renamed.external_id) == ("Ilona Varga-Vargova", "Q999999001")
        assert client.update_person(legal_id, name="Ilona Vargova").external_id == "Q999999001"
        assert client.update_person(legal_id, external_id=None).external_id is None

        history = client.person_history(legal_id)
        assert [(m.old_id, m.new_id) for m in history.merged] == [(pen_id, legal_id)]
        assert {link.article_id for link in history.links} == {pen.id, legal.id}

        split = client.split_person(legal_id, alias="Ilse Varga")
        assert split.id != legal_id and split.name == "Ilse Varga"
        assert [a.id for a in client.articles(person=str(split.id))] == [pen.id]
    with Client(live.url) as anonymous, pytest.raises(Unauthorized):
        anonymous.merge_people(legal_id, split.id)


def test_problems_are_raised_as_typed_exceptions(live: Live) -> None:
    with Client(live.url, api_key=live.admin_key) as client:
        with pytest.raises(NotFound) as missing:
            client.get_article(10**9)
        assert missing.value.problem.status == 404 and missing.value.problem.instance == f"/articles/{10**9}"
        with pytest.raises(InvalidInput) as invalid:
            client.create_article({"text": "   "})
        assert invalid.value.problem.errors and invalid.value.problem.errors[0]["loc"] == ["body", "text"]
    with Client(live.url) as anonymous, pytest.raises(Unauthorized):
        anonymous.create_article("Someone said something.")
    reader = new_key(live.settings, "read")
    with Client(live.url, api_key=reader) as client, pytest.raises(Forbidden) as forbidden:
        client.create_article("Someone said something.")
    assert "write scope" in (forbidden.value.detail or "")


def test_429_is_retried_after_the_servers_retry_after(live: Live) -> None:
    key = new_key(live.settings, "write")  # a bucket of its own
    transport = Recording()
    text = "The mayor of Springfield said the bridge would open in May."
    ids: list[int] = []
    # The bucket refills a token a second: on a slow machine the limit's worth of posts does not
    # empty it, so post until the server has refused one and the client has waited it out.
    with Client(live.url, api_key=key, transport=transport) as client:
        while len(ids) < 3 * RATE_LIMIT_PER_MINUTE:
            ids.append(client.create_article(text).id)
            if any(status == 429 for _, _, status in transport.seen):
                break
    assert len(set(ids)) == 1
    statuses = [status for _, _, status in transport.seen]
    assert statuses.count(429) >= 1  # the server did refuse, and the client waited and went on
    assert statuses.count(201) + statuses.count(200) == len(ids)


def test_429_is_raised_when_retries_are_spent(live: Live) -> None:
    key = new_key(live.settings, "write")
    with Client(live.url, api_key=key, max_retries=0) as client, pytest.raises(RateLimited) as limited:
        for _ in range(3 * RATE_LIMIT_PER_MINUTE):  # more than a slow machine's refill can serve
            client.create_article("The mayor of Shelbyville said the tunnel would open in June.")
    assert limited.value.response.headers["retry-after"].isdigit()


def test_async_client_gives_the_same_answers(live: Live) -> None:
    async def run() -> tuple[list[int], list[int], int]:
        async with AsyncClient(live.url, api_key=live.admin_key) as client:
            ids = [q.id async for q in client.quotes(speaker="Peskov", page_size=2)]
            articles = [a.id async for a in client.articles(page_size=1)]
            first = await client.get_article(articles[-1])
            with pytest.raises(NotFound):
                await client.get_person(10**9)
            return ids, articles, first.id

    ids, articles, first = asyncio.run(run())
    with Client(live.url) as client:
        assert ids == [q.id for q in client.quotes(speaker="Peskov")]
        assert articles == [a.id for a in client.articles()]
    assert first == articles[-1]


# --- Retry timing, without a server -----------------------------------------------------------------


def _answers(*responses: httpx.Response) -> httpx.MockTransport:
    queue = list(responses)
    return httpx.MockTransport(lambda request: queue.pop(0))


def _problem(status: int, **headers: str) -> httpx.Response:
    body = {"type": "about:blank", "title": "Busy", "status": status}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json", **headers})


def test_retry_after_seconds_and_dates_are_waited_out(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(sync_module.time, "sleep", waits.append)
    in_a_while = email.utils.formatdate(time.time() + 30, usegmt=True)
    transport = _answers(
        _problem(503, **{"Retry-After": "2"}),
        _problem(429, **{"Retry-After": in_a_while}),
        httpx.Response(200, json=[{"code": "RU", "alpha3": "RUS", "name": "Russian Federation"}]),
    )
    with Client("http://newsmeta.test", transport=transport) as client:
        assert client.countries()[0].code == "RU"
    assert waits[0] == 2.0
    assert 25 <= waits[1] <= 31


def test_a_wait_longer_than_allowed_is_not_waited(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(sync_module.time, "sleep", waits.append)
    transport = _answers(_problem(503, **{"Retry-After": "3600"}))
    with Client("http://newsmeta.test", transport=transport, max_retry_wait=60) as client:
        with pytest.raises(ServiceBusy) as busy:
            client.countries()
    assert waits == [] and busy.value.status == 503


def test_the_async_client_waits_out_retry_after_and_walks_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(async_module.asyncio, "sleep", no_sleep)
    page = {"items": [], "next_cursor": None}
    answers = [
        _problem(503, **{"Retry-After": "2"}),
        httpx.Response(200, json=[{"code": "RU", "alpha3": "RUS", "name": "Russian Federation"}]),
        httpx.Response(200, json=page, headers={"Link": '</quotes?speaker=X&cursor=abc>; rel="next"'}),
        httpx.Response(200, json=page),
    ]
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return answers.pop(0)

    async def run() -> tuple[str, list[QuotePublic]]:
        transport = httpx.MockTransport(answer)
        async with AsyncClient("http://newsmeta.test", transport=transport) as client:
            countries = await client.countries()
            return countries[0].code, [q async for q in client.quotes(speaker="X", page_size=7)]

    assert asyncio.run(run()) == ("RU", [])
    assert waits == [2.0]
    assert seen[2:] == [
        "http://newsmeta.test/quotes?speaker=X&limit=7",
        "http://newsmeta.test/quotes?speaker=X&cursor=abc",
    ]


def test_an_error_page_that_is_not_a_problem_is_still_typed() -> None:
    transport = _answers(httpx.Response(502, text="<html>Bad gateway</html>"))
    with Client("http://newsmeta.test", transport=transport) as client, pytest.raises(ServerError) as err:
        client.countries()
    assert err.value.status == 502 and "Bad gateway" in (err.value.detail or "")


def test_ingest_posts_through_the_client_and_reports_bad_lines(live: Live, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import cli

    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "The governor of Ohio said the new road would open in June.", "id": "ohio-1"})
        + "\n{oops\n"
        + json.dumps({"text": "  ", "id": "blank"})
        + "\n",
        encoding="utf-8",
    )
    key = new_key(live.settings, "write")
    result = CliRunner().invoke(cli, ["ingest", str(feed), "--url", live.url, "--api-key", key])
    assert result.exit_code == 1, result.output
    assert f"{feed}:2: not JSON" in result.output
    assert f"{feed}:3: " in result.output and "text must not be empty" in result.output
    assert "1 created, 0 already stored, 2 failed" in result.output
    with Client(live.url) as client:
        assert [a.external_id for a in client.articles(q="governor Ohio road")] == ["ohio-1"]
