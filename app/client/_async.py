"""The asyncio client: `async with AsyncClient(url) as c: async for q in c.quotes(speaker="Peskov")`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, TypeVar, Unpack
from urllib.parse import quote

import httpx

from app.client import _core
from app.client._core import (
    ArticleFilters,
    CooccurrenceFilters,
    OrganisationFilters,
    PersonFilters,
    PositionFilters,
    QuoteFilters,
    TimelineFilters,
    TopFilters,
)
from app.models import (
    ArticleBatchOut,
    ArticleCreate,
    ArticlePage,
    ArticlePublic,
    ArticleRead,
    CountryPublic,
    JobPublic,
    OrganisationPage,
    OrganisationPublic,
    PersonPage,
    PersonPublic,
)
from app.models.queries import (
    CountryRead,
    OrganisationRead,
    PersonRead,
    PositionPage,
    PositionPublic,
    QuotePage,
    QuotePublic,
)
from app.models.stats import Cooccurrence, Timeline, TopList

P = TypeVar("P", ArticlePage, QuotePage, PersonPage, OrganisationPage, PositionPage)


class AsyncClient:
    """newsmeta's API from asyncio, answers as the service's own models.

    Lists are iterators that follow the `Link` header page by page; 429 and 503 answers are
    retried after their `Retry-After` (up to `max_retries` times, waiting at most
    `max_retry_wait` seconds at once); any other error is raised as a `NewsmetaError`
    subclass carrying the problem details.
    """

    def __init__(
        self,
        base_url: str = _core.DEFAULT_URL,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        max_retry_wait: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=_core.headers(api_key),
            timeout=timeout,
            transport=transport,
        )

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    # --- Plumbing -------------------------------------------------------------------------------

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying 429 and 503 as the server says; raise its problem otherwise."""
        attempt = 0
        while True:
            response = await self._http.request(method, url, **kwargs)
            wait = _core.retry_delay(response, attempt, max_wait=self.max_retry_wait)
            if wait is None or attempt >= self.max_retries:
                _core.raise_for_problem(response)
                return response
            attempt += 1
            await asyncio.sleep(wait)

    async def _get(self, model: type[_core.M], path: str, params: Mapping[str, Any] | None = None) -> _core.M:
        return _core.parse(model, await self.request("GET", path, params=_core.query(params or {})))

    async def _walk(
        self, page_model: type[P], path: str, params: Mapping[str, Any], page_size: int | None
    ) -> AsyncIterator[Any]:
        url: str | None = path
        query: dict[str, Any] | None = _core.query({**params, "limit": page_size})
        while url is not None:
            response = await self.request("GET", url, params=query)
            page = page_model.model_validate_json(response.content)
            for item in page.items:
                yield item
            url, query = _core.next_url(response), None  # the next link carries every parameter

    # --- Articles -------------------------------------------------------------------------------

    async def create_article(self, article: ArticleCreate | Mapping[str, Any] | str) -> ArticleRead:
        """Store an article (or find the stored one) and return it with its records."""
        return _core.parse(
            ArticleRead, await self.request("POST", "/articles", json=_core.article_body(article))
        )

    async def create_articles(
        self, articles: Sequence[ArticleCreate | Mapping[str, Any] | str]
    ) -> ArticleBatchOut:
        """Store many at once; each item's outcome is in `results` (a bad one does not raise)."""
        body = {"articles": [_core.article_body(a) for a in articles]}
        return _core.parse(ArticleBatchOut, await self.request("POST", "/articles/batch", json=body))

    async def get_article(self, article_id: int) -> ArticleRead:
        return await self._get(ArticleRead, f"/articles/{int(article_id)}")

    async def delete_article(self, article_id: int) -> None:
        await self.request("DELETE", f"/articles/{int(article_id)}")

    def articles(
        self, *, page_size: int | None = None, **filters: Unpack[ArticleFilters]
    ) -> AsyncIterator[ArticlePublic]:
        """Every article matching the filters, newest first, fetched page by page."""
        return self._walk(ArticlePage, "/articles", filters, page_size)

    # --- Quotes, people, organisations, countries, positions ---------------------------------------

    def quotes(
        self, *, page_size: int | None = None, **filters: Unpack[QuoteFilters]
    ) -> AsyncIterator[QuotePublic]:
        """Every quote matching the filters (`speaker="Peskov"`), newest first, page by page."""
        return self._walk(QuotePage, "/quotes", filters, page_size)

    def people(
        self, *, page_size: int | None = None, **filters: Unpack[PersonFilters]
    ) -> AsyncIterator[PersonPublic]:
        return self._walk(PersonPage, "/people", filters, page_size)

    async def get_person(self, person_id: int) -> PersonRead:
        return await self._get(PersonRead, f"/people/{int(person_id)}")

    def organisations(
        self, *, page_size: int | None = None, **filters: Unpack[OrganisationFilters]
    ) -> AsyncIterator[OrganisationPublic]:
        return self._walk(OrganisationPage, "/organisations", filters, page_size)

    async def get_organisation(self, organisation_id: int) -> OrganisationRead:
        return await self._get(OrganisationRead, f"/organisations/{int(organisation_id)}")

    async def countries(self) -> list[CountryPublic]:
        response = await self.request("GET", "/countries")
        return [CountryPublic.model_validate(c) for c in response.json()]

    async def get_country(self, country: str) -> CountryRead:
        return await self._get(CountryRead, f"/countries/{quote(country, safe='')}")

    def positions(
        self, *, page_size: int | None = None, **filters: Unpack[PositionFilters]
    ) -> AsyncIterator[PositionPublic]:
        return self._walk(PositionPage, "/positions", filters, page_size)

    async def get_job(self, job_id: str, *, results: bool = True) -> JobPublic:
        return await self._get(JobPublic, f"/jobs/{job_id}", {"results": results})

    # --- Aggregates ------------------------------------------------------------------------------

    async def timeline(self, **filters: Unpack[TimelineFilters]) -> Timeline:
        return await self._get(Timeline, "/stats/timeline", filters)

    async def top(self, **filters: Unpack[TopFilters]) -> TopList:
        return await self._get(TopList, "/stats/top", filters)

    async def cooccurrence(self, **filters: Unpack[CooccurrenceFilters]) -> Cooccurrence:
        return await self._get(Cooccurrence, "/stats/cooccurrence", filters)
