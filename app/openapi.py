"""The OpenAPI document as client generators and Swagger UI need it, and the docs pages served offline.

Operation ids are the route functions' names (`create_article`, `get_timeline`); the enums that
query parameters take are named components (`Interval`), not inline schemas a generator would
name after the operation; the security schemes say how keys are sent and each operation that
checks a key says so, which gives Swagger UI its Authorize button. `/docs` and `/redoc` load
their scripts from this server (the files ship in the fastapi-offline package), not from a CDN.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, JSONResponse

from app.auth import OPEN_PATHS

# Swagger UI (Apache-2.0) and ReDoc (MIT) as the fastapi-offline package (MIT) ships them.
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
DOCS_STATIC_URL = "/docs-static"
SECURITY_SCHEMES: dict[str, Any] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key (`newsmeta keys create`) as `Authorization: Bearer <key>`.",
    },
    "apiKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "The same key in the `X-API-Key` header instead.",
    },
}
_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"apiKeyHeader": []}]


def operation_id(route: APIRoute) -> str:
    """A route's operationId: its function's name (`list_quotes`), unique across the API."""
    return route.name


def install(
    app: FastAPI, routers: Sequence[APIRouter], *, reads_need_key: bool, guard: Sequence[Any] = ()
) -> None:
    """Serve the OpenAPI document with security and named enums, and /docs and /redoc offline.

    `routers` are those create_app includes; `reads_need_key` says it guards all their routes.
    `guard` (the read-key check, when reads need a key) guards the document and both pages too:
    create_app turns FastAPI's own /openapi.json off, as it cannot take dependencies.
    """
    app.openapi = lambda: _openapi(app, routers, reads_need_key)  # type: ignore[method-assign]
    app.mount(DOCS_STATIC_URL, StaticFiles(directory=DOCS_ASSETS), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = "/docs/oauth2-redirect"
    dependencies = list(guard)

    @app.get(openapi_url, include_in_schema=False, dependencies=dependencies)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=dependencies)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title}: API documentation",
            oauth2_redirect_url=f"{root}{redirect_url}",
            swagger_js_url=f"{root}{DOCS_STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_STATIC_URL}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "tryItOutEnabled": False},
        )

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False, dependencies=dependencies)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title}: API reference",
            redoc_js_url=f"{root}{DOCS_STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )


def _openapi(app: FastAPI, routers: Sequence[APIRouter], reads_need_key: bool) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=app.servers,
    )
    components = schema.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    schemas = components.setdefault("schemas", {})
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    for route in routes:
        if not route.include_in_schema:
            continue
        needs_key = (reads_need_key and route.path not in OPEN_PATHS) or bool(_key_scopes(route))
        for method in route.methods or ():
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            if needs_key:
                operation["security"] = _SECURITY
            # New dicts: the parameters may be the routes' own `openapi_extra`, shared by every app.
            operation["parameters"] = [
                {**p, "schema": _named_enums(p.get("schema", {}), schemas)}
                for p in operation.get("parameters", [])
            ]
            if not operation["parameters"]:
                del operation["parameters"]
    app.openapi_schema = schema
    return schema


def _key_scopes(route: APIRoute) -> list[str]:
    """The scopes the key checks on this route ask for (app.auth.require marks its checks)."""
    found = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        scope = getattr(dependency.call, "required_scope", None)
        if scope is not None:
            found.append(str(scope))
        pending.extend(dependency.dependencies)
    return found


def _named_enums(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """A parameter's inline enum (`title` "Interval") as a reference to the component of that name."""
    title = schema.get("title")
    if "enum" in schema and isinstance(title, str):
        definition = {k: schema[k] for k in ("enum", "type", "title") if k in schema}
        existing = schemas.setdefault(title, definition)
        if existing.get("enum") == schema["enum"]:
            siblings = {k: v for k, v in schema.items() if k in ("default", "description", "examples")}
            return {"$ref": f"#/components/schemas/{title}", **siblings}
    if "anyOf" in schema:
        return {**schema, "anyOf": [_named_enums(s, schemas) for s in schema["anyOf"]]}
    return schema
