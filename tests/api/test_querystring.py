"""Query strings read as one model (app.routers.querystring) and read work on the reader threads
(app.db.read): what a client sees must be what FastAPI's own parameters gave it."""

from __future__ import annotations

import asyncio
import threading
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import Field
from sqlalchemy import text
from sqlmodel import Session

from app.config import Settings
from app.db import get_engine, read
from app.errors import NotFound, install_handlers
from app.observability import request_id
from app.routers.querystring import QueryModel, document, from_query


class Colour(StrEnum):
    red = "red"
    blue = "blue"


class Base(QueryModel):
    limit: int | None = Field(None, ge=1, le=50, description="How many.")
    format: Colour | None = Field(None, description="A colour.")


class Filter(Base):
    name: str | None = Field(None, max_length=5, description="A name.", examples=["Putin"])
    since: int = Field(0, description="Since when.")


def _app() -> FastAPI:
    router = APIRouter()

    @router.get("/things")
    async def things(query: Annotated[Filter, from_query(Filter)]) -> dict[str, Any]:
        return query.model_dump(mode="json")

    document(router)
    document(router)  # a second time changes nothing
    app = FastAPI()
    install_handlers(app)
    app.include_router(router)
    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app())


def test_the_query_string_is_read_as_the_model(client: TestClient) -> None:
    response = client.get("/things", params={"name": "Ann", "limit": "3", "format": "blue", "since": "7"})
    assert response.status_code == 200
    assert response.json() == {"limit": 3, "format": "blue", "name": "Ann", "since": 7}
    assert client.get("/things").json() == {"limit": None, "format": None, "name": None, "since": 0}


def test_unknown_parameters_are_ignored_and_a_repeated_one_takes_its_last_value(client: TestClient) -> None:
    response = client.get("/things?name=Ann&name=Bob&colour=green&limit=2")
    assert response.status_code == 200
    assert response.json()["name"] == "Bob" and response.json()["limit"] == 2


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("limit=0", "query.limit"),
        ("limit=x", "query.limit"),
        ("limit=", "query.limit"),
        ("name=toolong", "query.name"),
        ("format=green", "query.format"),
        ("since=1.5", "query.since"),
    ],
)
def test_a_bad_value_is_a_422_problem_naming_the_parameter(
    client: TestClient, query: str, where: str
) -> None:
    response = client.get(f"/things?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["detail"].startswith(f"{where}:")
    assert problem["errors"][0]["loc"] == where.split(".")


def test_every_field_is_a_documented_query_parameter_filters_first(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/things"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["name", "since", "limit", "format"]
    by_name = {p["name"]: p for p in parameters}
    assert all(p["in"] == "query" and p["required"] is False and p["description"] for p in parameters)
    assert by_name["name"]["example"] == "Putin"
    assert by_name["name"]["schema"]["anyOf"][0] == {"type": "string", "maxLength": 5}
    assert by_name["since"]["schema"]["default"] == 0
    # An enum is written out in place, with no reference left to resolve.
    assert by_name["format"]["schema"]["anyOf"][0]["enum"] == ["red", "blue"]
    assert "$ref" not in str(parameters)


# --- app.db.read ------------------------------------------------------------------------------


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'read.db'}")


def test_read_work_runs_off_the_event_loop_with_the_request_context(settings: Settings) -> None:
    def work(*, session: Session, n: int) -> tuple[int, str, str]:
        value = session.execute(text("SELECT :n + 1"), {"n": n}).scalar_one()
        return value, threading.current_thread().name, request_id.get()

    async def go() -> tuple[tuple[int, str, str], str]:
        request_id.set("abc123")
        return await read(settings, work, n=41), threading.current_thread().name

    (value, thread, rid), loop_thread = asyncio.run(go())
    assert value == 42 and rid == "abc123"
    assert thread.startswith("newsmeta-read") and thread != loop_thread
    assert get_engine(settings).pool.checkedout() == 0  # the session was closed, its connection returned


def test_read_work_that_fails_raises_in_the_route(settings: Settings) -> None:
    def work(*, session: Session) -> None:
        session.execute(text("SELECT 1"))
        raise NotFound("nothing here")

    with pytest.raises(NotFound, match="nothing here"):
        asyncio.run(read(settings, work))
    assert get_engine(settings).pool.checkedout() == 0


def test_a_read_quick_lately_runs_on_the_event_loop_and_one_past_its_budget_goes_back_to_a_thread(
    settings: Settings,
) -> None:
    """On SQLite a work that took under INLINE_UNDER_MS runs on the loop, without two thread
    wake-ups; stopped past INLINE_BUDGET_MS there, it is run again on a reader thread, whole."""
    slow = {"on": False}
    # A count that takes far longer than the budget, and gives the same answer on the thread.
    count = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
        "SELECT count(*) FROM n"
    )
    seen: list[str] = []

    def work(*, session: Session) -> tuple[int, str]:
        seen.append(threading.current_thread().name)
        value = session.execute(text(count if slow["on"] else "SELECT 3000000")).scalar_one()
        return value, request_id.get()

    async def go() -> list[tuple[int, str]]:
        request_id.set("abc123")
        answers = [await read(settings, work), await read(settings, work)]
        slow["on"] = True
        answers.append(await read(settings, work))
        return answers

    loop_thread = threading.current_thread().name  # asyncio.run runs the loop in this thread
    assert asyncio.run(go()) == [(3000000, "abc123")] * 3
    first, second, interrupted, rerun = seen
    assert first.startswith("newsmeta-read")  # unknown yet: measured on a thread
    assert second == loop_thread == interrupted  # quick: on the loop, until it was not
    assert rerun.startswith("newsmeta-read")
    assert get_engine(settings).pool.checkedout() == 0


def test_a_read_that_waits_never_runs_on_the_event_loop(settings: Settings) -> None:
    """A work that spends little processor time but waits (on the disk, a lock, anything) is
    no quick read: its clock time counts, so the loop is never held by it."""
    seen: list[str] = []

    def work(*, session: Session) -> int:
        seen.append(threading.current_thread().name)
        time.sleep(0.05)  # waiting, not computing
        return int(session.execute(text("SELECT 1")).scalar_one())

    async def go() -> list[int]:
        return [await read(settings, work) for _ in range(3)]

    assert asyncio.run(go()) == [1, 1, 1]
    assert all(name.startswith("newsmeta-read") for name in seen), seen
