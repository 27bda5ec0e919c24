"""The blocking client: `with Client(url) as client: for q in client.quotes(speaker="Peskov"): ...`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Literal, TypeVar

import httpx

from app.client import _core
from app.client._api import Api
from app.client._core import Call, Pages

T = TypeVar("T")
Item = TypeVar("Item")


class Client(Api):
    """newsmeta's API from Python, answers as the service's own models.

    Lists are iterators that follow the `Link` header page by page; 429 and 503 answers are
    retried after their `Retry-After` (up to `max_retries` times, waiting at most
    `max_retry_wait` seconds at once); any other error is raised as a `NewsmetaError`
    subclass carrying the problem details.
    """

    blocking: Literal[True] = True

    def __init__(
        self,
        base_url: str = _core.DEFAULT_URL,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        max_retry_wait: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=_core.headers(api_key),
            timeout=timeout,
            transport=transport,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying 429 and 503 as the server says; raise its problem otherwise."""
        attempt = 0
        while True:
            response = self._http.request(method, url, **kwargs)
            wait = _core.retry_delay(response, attempt, max_wait=self.max_retry_wait)
            if wait is None or attempt >= self.max_retries:
                _core.raise_for_problem(response)
                return response
            attempt += 1
            time.sleep(wait)

    def _send(self, call: Call[T]) -> T:
        return call.read(self.request(call.method, call.path, params=call.params, json=call.json))

    def _walk(self, pages: Pages[Item]) -> Iterator[Item]:
        url: str | None = pages.path
        params: Any = pages.params
        while url is not None:
            response = self.request("GET", url, params=params)
            yield from pages.items(response)
            url, params = _core.next_url(response), None  # the next link carries every parameter
