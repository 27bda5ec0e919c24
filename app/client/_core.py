"""What the sync and async clients share: errors, filters, retry timing and response parsing."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Literal, TypedDict, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from app.errors import Problem
from app.models import ArticleCreate

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Item = TypeVar("Item", covariant=True)
DEFAULT_URL = "http://127.0.0.1:8000"
RETRY_STATUSES = frozenset({429, 503})
DateLike = datetime | date | str


# --- Errors: every problem-details answer as a typed exception ------------------------------------


class NewsmetaError(Exception):
    """An answer of 4xx or 5xx: `problem` holds its RFC 9457 problem details."""

    status: int = 0

    def __init__(self, problem: Problem, response: httpx.Response) -> None:
        super().__init__(f"{problem.status} {problem.title}: {problem.detail or ''}".rstrip(": "))
        self.problem = problem
        self.response = response
        self.status = problem.status

    @property
    def detail(self) -> str | None:
        return self.problem.detail


class BadRequest(NewsmetaError):
    status = 400


class Unauthorized(NewsmetaError):
    """No key, or an unknown or revoked one (401)."""

    status = 401


class Forbidden(NewsmetaError):
    """The key's scope is too small (403)."""

    status = 403


class NotFound(NewsmetaError):
    status = 404


class PayloadTooLarge(NewsmetaError):
    status = 413


class UnsupportedMediaType(NewsmetaError):
    status = 415


class InvalidInput(NewsmetaError):
    """The request did not validate (422); `problem.errors` says where."""

    status = 422


class RateLimited(NewsmetaError):
    """Still 429 after the client's retries."""

    status = 429


class ServiceBusy(NewsmetaError):
    """Still 503 after the client's retries (nothing was written)."""

    status = 503


class ServerError(NewsmetaError):
    """Any other 5xx."""

    status = 500


_ERRORS: dict[int, type[NewsmetaError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        PayloadTooLarge,
        UnsupportedMediaType,
        InvalidInput,
        RateLimited,
        ServiceBusy,
    )
}


def raise_for_problem(response: httpx.Response) -> None:
    """Raise the typed error for a 4xx/5xx answer, problem details parsed from its body."""
    if response.status_code < 400:
        return
    try:
        problem = Problem.model_validate(response.json())
    except (ValueError, ValidationError):
        # Not problem details (a proxy's error page, say): the status and the text will do.
        title = response.reason_phrase or "Error"
        problem = Problem(title=title, status=response.status_code, detail=response.text[:500] or None)
    default = ServerError if response.status_code >= 500 else NewsmetaError
    raise _ERRORS.get(response.status_code, default)(problem, response)


# --- Retries --------------------------------------------------------------------------------------


def retry_delay(response: httpx.Response, attempt: int, *, max_wait: float) -> float | None:
    """Seconds to wait before trying again, or None when this answer is final.

    429 and 503 are answered before anything is written, so any request, a POST too, may be
    sent again; the wait is the server's `Retry-After` (seconds or an HTTP date), or a
    doubling back-off from half a second when it sends none. A wait above `max_wait` is not
    waited out: the error is raised instead.
    """
    if response.status_code not in RETRY_STATUSES:
        return None
    wait = parse_retry_after(response.headers.get("retry-after"))
    if wait is None:
        wait = 0.5 * 2**attempt
    return wait if wait <= max_wait else None


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# --- Requests ---------------------------------------------------------------------------------------


def query(params: Mapping[str, Any]) -> dict[str, str | int]:
    """Filters as query parameters: None left out, dates in ISO 8601."""
    found: dict[str, str | int] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, datetime | date):
            found[key] = value.isoformat()
        elif isinstance(value, bool):
            found[key] = "true" if value else "false"
        else:
            found[key] = value
    return found


def article_body(article: ArticleCreate | Mapping[str, Any] | str) -> dict[str, Any]:
    """The JSON of POST /articles: a model (checked here already), a mapping (checked by the
    server) or the text alone."""
    if isinstance(article, str):
        return {"text": article}
    if isinstance(article, ArticleCreate):
        return article.model_dump(mode="json", exclude_none=True)
    return dict(article)


def reader(model: type[M]) -> Callable[[httpx.Response], M]:
    """How an answer of `model` is read: straight from the JSON bytes."""

    def read(response: httpx.Response) -> M:
        return model.model_validate_json(response.content)

    return read


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One request and how to read its answer: what a client method builds and a client sends."""

    method: str
    path: str
    read: Callable[[httpx.Response], T]
    params: Mapping[str, str | int] | None = None
    json: Any = None


@dataclass(frozen=True, slots=True)
class Pages(Generic[Item]):
    """A list walked page by page: its first request; the next pages follow the `Link` header."""

    path: str
    page: type[BaseModel]  # ArticlePage, QuotePage, ...: a model whose `items` are Items
    params: Mapping[str, str | int]

    def items(self, response: httpx.Response) -> Sequence[Item]:
        items: Sequence[Item] = self.page.model_validate_json(response.content).items  # type: ignore[attr-defined]
        return items


def next_url(response: httpx.Response) -> str | None:
    """Where the next page is: the `Link: <...>; rel="next"` header."""
    link = response.links.get("next")
    return link.get("url") if link else None


def headers(api_key: str | None) -> dict[str, str]:
    found = {"Accept": "application/json", "User-Agent": "newsmeta-client"}
    if api_key:
        found["Authorization"] = f"Bearer {api_key}"
    return found


# --- Filters of the list and stats endpoints (keyword arguments, checked by mypy) -------------------


class _Window(TypedDict, total=False):
    published_from: DateLike
    published_to: DateLike


class StatsFilters(_Window, total=False):
    """What the aggregates filter on; the article list takes the same."""

    q: str
    person: str
    organisation: str
    country: str


ListSort = Literal["id", "published"]


class ArticleFilters(StatsFilters, total=False):
    sort: ListSort


class QuoteFilters(_Window, total=False):
    speaker: str
    speaker_country: str
    speaker_organisation: str
    country: str
    kind: Literal["direct", "indirect"]
    q: str
    sort: ListSort


class PersonFilters(TypedDict, total=False):
    name: str
    country: str
    organisation: str


class OrganisationFilters(TypedDict, total=False):
    name: str
    country: str
    person: str


class PositionFilters(TypedDict, total=False):
    title: str
    country: str
    organisation: str
    person: str
    as_of: DateLike


class TimelineFilters(StatsFilters, total=False):
    interval: Literal["day", "week", "month"]
    metric: Literal["mentions", "quotes", "articles"]
    speaker: str


class TopFilters(StatsFilters, total=False):
    kind: Literal["people", "organisations", "countries", "speakers"]
    limit: int


class CooccurrenceFilters(StatsFilters, total=False):
    kind: Literal["people", "organisations", "countries", "all"]
    min_weight: int
    limit: int
    max_articles: int
