"""The OpenAPI document as tools read it (security, operation ids, schema names) and /docs offline."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

BEARER = [{"bearerAuth": []}, {"apiKeyHeader": []}]


def _spec(**settings: Any) -> dict[str, Any]:
    spec: dict[str, Any] = create_app(Settings(database_url="sqlite://", **settings)).openapi()
    return spec


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, ops in spec["paths"].items() for method, op in ops.items()}


def test_security_schemes_say_how_keys_are_sent() -> None:
    schemes = _spec()["components"]["securitySchemes"]
    assert (schemes["bearerAuth"]["type"], schemes["bearerAuth"]["scheme"]) == ("http", "bearer")
    assert schemes["apiKeyHeader"]["in"] == "header" and schemes["apiKeyHeader"]["name"] == "X-API-Key"


def test_writes_and_deletes_carry_security_and_open_reads_do_not() -> None:
    ops = _operations(_spec())
    for key in (("post", "/articles"), ("post", "/articles/batch"), ("delete", "/articles/{article_id}")):
        assert ops[key]["security"] == BEARER, key
    for key in (("get", "/articles"), ("get", "/quotes"), ("get", "/stats/timeline"), ("get", "/healthz")):
        assert "security" not in ops[key], key


def test_with_read_keys_required_every_read_but_the_probes_carries_security() -> None:
    ops = _operations(_spec(auth_enabled=True, require_read_key=True))
    assert ops[("get", "/quotes")]["security"] == BEARER
    assert ops[("get", "/people/{person_id}")]["security"] == BEARER
    assert ops[("get", "/metrics")]["security"] == BEARER  # metrics need the read key too
    for probe in ("/healthz", "/readyz"):
        assert "security" not in ops[("get", probe)], probe


def test_operation_ids_are_the_route_names_and_unique() -> None:
    ops = _operations(_spec())
    ids = [op["operationId"] for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert ops[("post", "/articles")]["operationId"] == "create_article"
    assert ops[("get", "/quotes")]["operationId"] == "list_quotes"
    assert ops[("get", "/stats/timeline")]["operationId"] == "get_timeline"
    assert ops[("get", "/stats/cooccurrence")]["operationId"] == "get_cooccurrence"
    # No path or method glued on, as FastAPI's default ids have ("create_article_articles_post").
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", i) for i in ids), ids


def test_query_enums_are_named_components_not_inline_schemas() -> None:
    spec = _spec()
    schemas = spec["components"]["schemas"]
    params = {p["name"]: p for p in spec["paths"]["/stats/timeline"]["get"]["parameters"]}
    assert params["interval"]["schema"]["$ref"] == "#/components/schemas/Interval"
    assert params["interval"]["schema"]["default"] == "day"
    assert schemas["Interval"]["enum"] == ["day", "week", "month"]
    assert params["format"]["schema"]["anyOf"][0] == {"$ref": "#/components/schemas/ListFormat"}
    assert schemas["ListFormat"]["enum"] == ["json", "csv", "ndjson"]
    # No parameter keeps an inline copy of an enum class that a generator would name after its
    # operation ("TimelineStatsTimelineGetInterval").
    for (_, path), op in _operations(spec).items():
        for parameter in op.get("parameters", []):
            for part in [parameter["schema"], *parameter["schema"].get("anyOf", [])]:
                assert not ("enum" in part and "title" in part), (path, parameter["name"])
    # Schema names are model names: nothing like "TimelineStatsTimelineGetInterval".
    assert all(re.fullmatch(r"[A-Z][A-Za-z]*", name) for name in schemas), sorted(schemas)


def test_the_document_is_the_same_for_every_app_built() -> None:
    # The routes' parameter lists are shared by every app; building one must not alter another's.
    assert _spec() == _spec()


def test_docs_pages_load_only_local_assets_and_serve_them(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']|url: ?["']([^"']+)["']""", html.text)
        found = [u for pair in urls for u in pair if u]
        assert found, html.text
        for url in found:
            assert not re.match(r"(https?:)?//", url), f"{page} loads {url} from elsewhere"
            assert client.get(url).status_code == 200, url
        assert "cdn" not in html.text.lower()
    swagger = client.get("/docs").text
    assert "swagger-ui-bundle.js" in swagger and "/openapi.json" in swagger
    assert (
        client.get("/docs-static/swagger-ui-bundle.js")
        .headers["content-type"]
        .startswith(("application/javascript", "text/javascript"))
    )
