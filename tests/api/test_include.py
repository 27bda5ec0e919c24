"""Routes added to the app directly (app/routers/include.py) behave and document as included ones."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.routers.include import include, route_settings


class Thing(BaseModel):
    name: str
    size: int = 0


def record(tag: str):  # noqa: ANN201 - a dependency factory
    def dependency(request: Request) -> None:
        request.state.__dict__.setdefault("order", []).append(tag)

    return dependency


def make_router() -> APIRouter:
    router = APIRouter(prefix="/things", tags=["things"], dependencies=[Depends(record("router"))])

    @router.post(
        "",
        status_code=201,
        response_model=Thing,
        response_model_exclude_defaults=True,
        summary="Make a thing",
        responses={409: {"description": "Already there"}},
        operation_id="makeThing",
        dependencies=[Depends(record("route"))],
    )
    def make(thing: Thing, request: Request) -> Thing:
        request.app.state.orders.append(list(request.state.order))
        return thing

    @router.get("/old", deprecated=True, include_in_schema=False)
    def old() -> dict[str, str]:
        return {"old": "yes"}

    return router


def build(direct: bool) -> FastAPI:
    app = FastAPI()
    app.state.orders = []
    if direct:
        include(app, make_router(), dependencies=[Depends(record("given"))])
    else:
        app.include_router(make_router(), dependencies=[Depends(record("given"))])
    return app


def test_the_openapi_document_is_the_one_include_router_gives() -> None:
    direct, included = build(direct=True), build(direct=False)
    assert TestClient(direct).get("/openapi.json").json() == TestClient(included).get("/openapi.json").json()
    assert "/things/old" not in TestClient(direct).get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("direct", [True, False], ids=["include", "include_router"])
def test_requests_get_the_route_settings_and_every_dependency_in_order(direct: bool) -> None:
    app = build(direct=direct)
    client = TestClient(app)
    made = client.post("/things", json={"name": "kettle"})
    assert made.status_code == 201
    assert made.json() == {"name": "kettle"}  # response_model_exclude_defaults kept
    assert app.state.orders == [["given", "router", "route"]]
    assert client.get("/things/old").json() == {"old": "yes"}
    assert client.get("/things").status_code == 405


def test_a_route_setting_with_no_attribute_to_copy_stops_the_app() -> None:
    route = make_router().routes[0]
    assert isinstance(route, APIRoute)
    settings = route_settings(route)
    assert settings["status_code"] == 201 and settings["operation_id"] == "makeThing"

    class Bare(APIRoute):
        def __getattribute__(self, name: str):  # noqa: ANN204 - the attribute a later FastAPI might add
            if name == "summary":
                raise AttributeError(name)
            return super().__getattribute__(name)

    bare = Bare("/x", lambda: None)
    with pytest.raises(TypeError, match="summary"):
        route_settings(bare)
