"""The asyncio client: `async with AsyncClient(url) as c: async for q in c.quotes(speaker="Peskov")`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal, TypeVar

import httpx

from app.client import _core
from app.client._api import Api
from app.client._core import Call, Pages

T = TypeVar("T")
Item = TypeVar("Item")


class AsyncClient(Api):
    """newsmeta's API from asyncio: `Client`'s methods as coroutines, its lists as async iterators.

    Retries and errors are `Client`'s: 429 and 503 are sent again after their `Retry-After`
    (waited with `asyncio.sleep`), any other error raised as a `NewsmetaError` subclass.
    """

    blocking: Literal[False] = False

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

    async def _send(self, call: Call[T]) -> T:
        return call.read(await self.request(call.method, call.path, params=call.params, json=call.json))

    async def _walk(self, pages: Pages[Item]) -> AsyncIterator[Item]:
        url: str | None = pages.path
        params: Any = pages.params
        while url is not None:
            response = await self.request("GET", url, params=params)
            for item in pages.items(response):
                yield item
            url, params = _core.next_url(response), None  # the next link carries every parameter
