"""A router's routes added to the app's own router, as FastAPI's `include_router` once did.

FastAPI (0.12x on) keeps an included router as a branch that each request matches level by
level: the app's router asks every branch in turn whether one of its routes matches (with
bookkeeping in the request's scope for each route asked), and the branch that does matches its
routes again to handle the request. A route of the app itself is matched once, by its path's
regular expression: on GET /healthz that is 20 microseconds of a 95 microsecond floor, more
for the routes of the routers included last. What a client sees is the same: the paths, the
methods, the dependencies (those given here, then the router's, then the route's own) and the
OpenAPI document.

Every setting `APIRouter.add_api_route` takes is read off the route by the same name, so a
setting a later FastAPI adds is carried over too; one the route does not hold under that name
stops the app at start-up rather than being dropped without a word.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

# Settings of add_api_route that are not copied from a route attribute of the same name.
_GIVEN_HERE = frozenset({"self", "path", "endpoint", "dependencies", "route_class_override"})


def route_settings(route: APIRoute) -> dict[str, Any]:
    """The keyword arguments that make `add_api_route` rebuild `route` (bar path and endpoint)."""
    settings: dict[str, Any] = {}
    for name in inspect.signature(APIRouter.add_api_route).parameters:
        if name in _GIVEN_HERE:
            continue
        if not hasattr(route, name):
            raise TypeError(f"APIRoute has no attribute {name!r} to copy: see app/routers/include.py")
        settings[name] = getattr(route, name)
    return settings


def include(app: FastAPI, router: APIRouter, *, dependencies: Sequence[Any] = ()) -> None:
    """Add `router`'s routes to `app` directly, each behind `dependencies` and its own."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r}: only API routes can be added to the app directly")
        settings = route_settings(route)
        settings["tags"] = list(route.tags)
        settings["responses"] = dict(route.responses)
        app.router.add_api_route(
            route.path,
            route.endpoint,
            dependencies=[*dependencies, *route.dependencies],
            route_class_override=type(route),
            **settings,
        )
