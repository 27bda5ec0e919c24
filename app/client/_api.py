"""Every call of the API, written once for both clients.

Each method of `Api` only builds its request: a `Call` (method, path, parameters, how to read the
answer) or, for a list, the `Pages` to walk. It takes no `self`: `@sends` and `@walks` bind it to
the client it is read from, which does the I/O. `Client` sends blocking and returns the answer;
`AsyncClient` returns a coroutine of it (a list: an async iterator). mypy sees the right one of
the two through the overloads of `__get__`, so `client.quotes(speker=...)` is still caught.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, Generic, Literal, ParamSpec, Protocol, Self, TypeVar, Unpack, overload
from urllib.parse import quote

from pydantic import TypeAdapter

from app.client._core import (
    ArticleFilters,
    Call,
    CooccurrenceFilters,
    M,
    OrganisationFilters,
    Pages,
    PersonFilters,
    PositionFilters,
    QuoteFilters,
    TimelineFilters,
    TopFilters,
    article_body,
    query,
    reader,
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
from app.models.curation import EntityUpdate, History, MergeIn, SplitIn
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

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")
Item = TypeVar("Item")
ArticleIn = ArticleCreate | Mapping[str, Any] | str


class Blocking(Protocol):
    """What `@sends` and `@walks` need of the blocking client."""

    blocking: Literal[True]

    def _send(self, call: Call[T]) -> T: ...

    def _walk(self, pages: Pages[Item]) -> Iterator[Item]: ...


class Awaiting(Protocol):
    """What `@sends` and `@walks` need of the asyncio client."""

    blocking: Literal[False]

    async def _send(self, call: Call[T]) -> T: ...

    def _walk(self, pages: Pages[Item]) -> AsyncIterator[Item]: ...


class _Method(Generic[P, R]):
    """A client method made of the function that builds its request (its docs are the method's)."""

    def __init__(self, build: Callable[P, R]) -> None:
        self.build = build
        self.__name__ = build.__name__
        self.__doc__ = build.__doc__
        self.__wrapped__ = build


class sends(_Method[P, Call[T]]):
    """A client method from a function that builds its `Call`: blocking on `Client`, a coroutine
    function on `AsyncClient`."""

    @overload
    def __get__(self, client: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, client: Blocking, owner: type | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(self, client: Awaiting, owner: type | None = None) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, client: Any, owner: type | None = None) -> Any:
        if client is None:
            return self
        build = self.build
        if client.blocking:

            @functools.wraps(build)
            def send(*args: Any, **kwargs: Any) -> Any:
                return client._send(build(*args, **kwargs))

            return send

        @functools.wraps(build)
        async def send_async(*args: Any, **kwargs: Any) -> Any:
            return await client._send(build(*args, **kwargs))

        return send_async


class walks(_Method[P, Pages[Item]]):
    """A client method from a function that builds the `Pages` of a list: an iterator over every
    item on `Client`, an async iterator on `AsyncClient`; each fetches a page when it needs one."""

    @overload
    def __get__(self, client: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, client: Blocking, owner: type | None = None) -> Callable[P, Iterator[Item]]: ...
    @overload
    def __get__(self, client: Awaiting, owner: type | None = None) -> Callable[P, AsyncIterator[Item]]: ...
    def __get__(self, client: Any, owner: type | None = None) -> Any:
        if client is None:
            return self
        build = self.build

        @functools.wraps(build)
        def walk(*args: Any, **kwargs: Any) -> Any:
            return client._walk(build(*args, **kwargs))

        return walk


def _get(model: type[M], path: str, params: Mapping[str, Any] | None = None) -> Call[M]:
    return Call("GET", path, reader(model), query(params or {}))


def _pages(page: type[Any], path: str, filters: Mapping[str, Any], page_size: int | None) -> Pages[Any]:
    return Pages(path, page, query({**filters, "limit": page_size}))


_COUNTRIES = TypeAdapter(list[CountryPublic])


class Unset(Enum):
    """The default of an argument left as it is (`external_id=None` clears it; left out keeps it)."""

    UNSET = "unset"


UNSET = Unset.UNSET
_Entity = TypeVar("_Entity", PersonRead, OrganisationRead)


def _merge(page: type[_Entity], path: str, entity_id: int, other_id: int) -> Call[_Entity]:
    body = MergeIn(id=int(other_id)).model_dump()
    return Call("POST", f"{path}/{int(entity_id)}/merge", reader(page), json=body)


def _split(
    page: type[_Entity],
    path: str,
    entity_id: int,
    alias: str | None,
    article_ids: Sequence[int],
    name: str | None,
) -> Call[_Entity]:
    body = SplitIn(alias=alias, article_ids=[int(i) for i in article_ids], name=name)
    return Call(
        "POST", f"{path}/{int(entity_id)}/split", reader(page), json=body.model_dump(exclude_none=True)
    )


def _update(
    page: type[_Entity], path: str, entity_id: int, name: str | None, external_id: str | None | Unset
) -> Call[_Entity]:
    fields: dict[str, Any] = {"name": name} if name is not None else {}
    if external_id is not UNSET:
        fields["external_id"] = external_id
    body = EntityUpdate(**fields).model_dump(mode="json", include=set(fields))
    return Call("PATCH", f"{path}/{int(entity_id)}", reader(page), json=body)


class Api:
    """newsmeta's API from Python, answers as the service's own models (see Client, AsyncClient)."""

    # --- Articles -------------------------------------------------------------------------------

    @sends
    def create_article(article: ArticleIn) -> Call[ArticleRead]:
        """Store an article (or find the stored one) and return it with its records."""
        return Call("POST", "/articles", reader(ArticleRead), json=article_body(article))

    @sends
    def create_articles(articles: Sequence[ArticleIn]) -> Call[ArticleBatchOut]:
        """Store many at once; each item's outcome is in `results` (a bad one does not raise)."""
        body = {"articles": [article_body(a) for a in articles]}
        return Call("POST", "/articles/batch", reader(ArticleBatchOut), json=body)

    @sends
    def get_article(article_id: int) -> Call[ArticleRead]:
        return _get(ArticleRead, f"/articles/{int(article_id)}")

    @sends
    def delete_article(article_id: int) -> Call[None]:
        return Call("DELETE", f"/articles/{int(article_id)}", lambda response: None)

    @walks
    def articles(*, page_size: int | None = None, **filters: Unpack[ArticleFilters]) -> Pages[ArticlePublic]:
        """Every article matching the filters, newest first, fetched page by page."""
        return _pages(ArticlePage, "/articles", filters, page_size)

    # --- Quotes, people, organisations, countries, positions ---------------------------------------

    @walks
    def quotes(*, page_size: int | None = None, **filters: Unpack[QuoteFilters]) -> Pages[QuotePublic]:
        """Every quote matching the filters (`speaker="Peskov"`), newest first, page by page."""
        return _pages(QuotePage, "/quotes", filters, page_size)

    @walks
    def people(*, page_size: int | None = None, **filters: Unpack[PersonFilters]) -> Pages[PersonPublic]:
        return _pages(PersonPage, "/people", filters, page_size)

    @sends
    def get_person(person_id: int) -> Call[PersonRead]:
        return _get(PersonRead, f"/people/{int(person_id)}")

    @walks
    def organisations(
        *, page_size: int | None = None, **filters: Unpack[OrganisationFilters]
    ) -> Pages[OrganisationPublic]:
        return _pages(OrganisationPage, "/organisations", filters, page_size)

    @sends
    def get_organisation(organisation_id: int) -> Call[OrganisationRead]:
        return _get(OrganisationRead, f"/organisations/{int(organisation_id)}")

    @sends
    def countries() -> Call[list[CountryPublic]]:
        return Call("GET", "/countries", lambda response: _COUNTRIES.validate_json(response.content))

    @sends
    def get_country(country: str) -> Call[CountryRead]:
        return _get(CountryRead, f"/countries/{quote(country, safe='')}")

    @walks
    def positions(
        *, page_size: int | None = None, **filters: Unpack[PositionFilters]
    ) -> Pages[PositionPublic]:
        return _pages(PositionPage, "/positions", filters, page_size)

    @sends
    def get_job(job_id: str, *, results: bool = True) -> Call[JobPublic]:
        return _get(JobPublic, f"/jobs/{job_id}", {"results": results})

    # --- Aggregates ------------------------------------------------------------------------------

    @sends
    def timeline(**filters: Unpack[TimelineFilters]) -> Call[Timeline]:
        return _get(Timeline, "/stats/timeline", filters)

    @sends
    def top(**filters: Unpack[TopFilters]) -> Call[TopList]:
        return _get(TopList, "/stats/top", filters)

    @sends
    def cooccurrence(**filters: Unpack[CooccurrenceFilters]) -> Call[Cooccurrence]:
        return _get(Cooccurrence, "/stats/cooccurrence", filters)

    # --- Curation (an admin key) -------------------------------------------------------------------

    @sends
    def merge_people(person_id: int, other_id: int) -> Call[PersonRead]:
        """Fold person `other_id` into `person_id`; the old id keeps answering (a redirect)."""
        return _merge(PersonRead, "/people", person_id, other_id)

    @sends
    def split_person(
        person_id: int, *, alias: str | None = None, article_ids: Sequence[int] = (), name: str | None = None
    ) -> Call[PersonRead]:
        """Move the articles naming the person `alias`, or these articles' records, to a new person."""
        return _split(PersonRead, "/people", person_id, alias, article_ids, name)

    @sends
    def update_person(
        person_id: int, *, name: str | None = None, external_id: str | None | Unset = UNSET
    ) -> Call[PersonRead]:
        """Rename a person (the old name stays an alias) or set its external id (None clears it)."""
        return _update(PersonRead, "/people", person_id, name, external_id)

    @sends
    def person_history(person_id: int) -> Call[History]:
        """The ids merged into a person and why each article was linked to it."""
        return _get(History, f"/people/{int(person_id)}/history")

    @sends
    def merge_organisations(organisation_id: int, other_id: int) -> Call[OrganisationRead]:
        """Fold organisation `other_id` into `organisation_id`; the old id keeps answering."""
        return _merge(OrganisationRead, "/organisations", organisation_id, other_id)

    @sends
    def split_organisation(
        organisation_id: int,
        *,
        alias: str | None = None,
        article_ids: Sequence[int] = (),
        name: str | None = None,
    ) -> Call[OrganisationRead]:
        """Move the articles naming it `alias`, or these articles' records, to a new organisation."""
        return _split(OrganisationRead, "/organisations", organisation_id, alias, article_ids, name)

    @sends
    def update_organisation(
        organisation_id: int, *, name: str | None = None, external_id: str | None | Unset = UNSET
    ) -> Call[OrganisationRead]:
        """Rename an organisation or set its external id (None clears it)."""
        return _update(OrganisationRead, "/organisations", organisation_id, name, external_id)

    @sends
    def organisation_history(organisation_id: int) -> Call[History]:
        """The ids merged into an organisation and why each article was linked to it."""
        return _get(History, f"/organisations/{int(organisation_id)}/history")
