"""A catalogue of bad inputs: each gets a 4xx problem+json answer (`status`, `title`), never a 5xx.

The list and detail endpoints, their string filters, dates, enums, limits and cursors are read
from the app's own OpenAPI document, so a new endpoint or filter is covered without editing
this file. Runs on SQLite and on Postgres (whose text and integer types are stricter).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.models.common import MAX_ID
from tests.conftest import fresh_postgres_database
from tests.reliability.conftest import assert_problem, migrated, new_key, seed

pytestmark = pytest.mark.model

# Small limits, so "over the limit" needs kilobytes, not megabytes.
LIMITS = {"max_article_bytes": 2_000, "max_body_bytes": 50_000, "max_batch_items": 5, "max_page_size": 100}
DOC = create_app(Settings(database_url="sqlite://")).openapi()


def _schema_text(parameter: dict[str, Any]) -> str:
    return json.dumps(parameter.get("schema", {}))


def _is_enum(parameter: dict[str, Any]) -> bool:
    text = _schema_text(parameter)
    return '"enum"' in text or "#/components/schemas/" in text


def _query(kind: str) -> list[tuple[str, str]]:
    """(path, parameter) for every query parameter of a GET without path parameters, by kind."""
    found = []
    for path, operations in DOC["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        for p in get.get("parameters", []):
            if p["in"] != "query":
                continue
            text = _schema_text(p)
            if kind == "date" and '"date-time"' in text:
                found.append((path, p["name"]))
            elif kind == "enum" and _is_enum(p) and p["name"] != "format":
                found.append((path, p["name"]))
            elif kind in ("limit", "cursor") and p["name"] == kind:
                found.append((path, p["name"]))
            elif (
                kind == "string"
                and '"string"' in text
                and '"date-time"' not in text
                and not _is_enum(p)
                and p["name"] != "cursor"
            ):
                found.append((path, p["name"]))
    return found


STRING_FILTERS = _query("string")
DATE_PARAMS = _query("date")
ENUM_PARAMS = _query("enum")
LIMIT_PARAMS = _query("limit")
CURSOR_PARAMS = _query("cursor")
DETAIL_PATHS = [
    (method.upper(), path, p)
    for path, operations in DOC["paths"].items()
    for method, op in operations.items()
    for p in op.get("parameters", [])
    if p["in"] == "path"
]


def test_the_catalogue_found_the_endpoints_it_should() -> None:
    """A guard on the enumeration itself: it must see the filters we know about."""
    assert ("/articles", "person") in STRING_FILTERS
    assert ("/quotes", "speaker_country") in STRING_FILTERS
    assert ("/articles", "published_from") in DATE_PARAMS
    assert ("/quotes", "kind") in ENUM_PARAMS
    assert ("/people", "limit") in LIMIT_PARAMS and ("/articles", "cursor") in CURSOR_PARAMS
    assert {("GET", "/articles/{article_id}"), ("DELETE", "/articles/{article_id}")} <= {
        (m, p) for m, p, _ in DETAIL_PATHS
    }


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app with auth on (an admin key in every request), seeded articles and small limits."""

    def serve(url: str) -> Iterator[TestClient]:
        settings = migrated(url, auth_enabled=True, **LIMITS)
        seed(settings)
        key = new_key(settings, "admin")
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            yield client

    if request.param == "postgres":
        with fresh_postgres_database() as url:
            yield from serve(url)
    else:
        yield from serve(f"sqlite:///{tmp_path_factory.mktemp('bad_inputs') / 'newsmeta.db'}")


# --- Bodies ---------------------------------------------------------------------------------

JSON = "application/json"
TEXT = "Angela Merkel visited Paris on Monday."


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


# (case id, body, content type or None for none, expected status)
BODIES: list[tuple[str, bytes, str | None, int]] = [
    ("empty body", b"", JSON, 422),
    ("empty text", _json({"text": ""}), JSON, 422),
    ("whitespace text", _json({"text": " \n\t\u00a0 "}), JSON, 422),
    ("text over the article limit", _json({"text": "Merkel spoke. " * 200}), JSON, 413),
    ("body over the body limit", _json({"text": TEXT, "title": "x" * 60_000}), JSON, 413),
    ("binary body (a JPEG)", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, JSON, 400),
    ("invalid UTF-8 in a string", b'{"text": "Merkel \xff\xfe spoke"}', JSON, 400),
    ("text is a number", _json({"text": 5}), JSON, 422),
    ("text is a list", _json({"text": ["a"]}), JSON, 422),
    ("text is an object", _json({"text": {"nested": {"deeper": [1, {"x": None}]}}}), JSON, 422),
    ("text is true", _json({"text": True}), JSON, 422),
    ("text is null", _json({"text": None}), JSON, 422),
    ("no text, other fields", _json({"title": "A title", "url": "https://example.org/x"}), JSON, 422),
    ("nested 20,000 deep", b"[" * 20_000 + b"]" * 20_000, JSON, 400),
    ("NUL in text", _json({"text": "Merkel\x00 spoke."}), JSON, 422),
    ("NUL in title", _json({"text": TEXT, "title": "a\x00b"}), JSON, 422),
    ("NUL in language", _json({"text": TEXT, "language": "e\x00n"}), JSON, 422),
    ("lone surrogate in text", b'{"text": "Merkel \\ud800 spoke."}', JSON, 422),
    ("JSON array", _json([{"text": TEXT}]), JSON, 422),
    ("JSON null", b"null", JSON, 422),
    ("JSON string", _json(TEXT), JSON, 422),
    ("truncated JSON", b'{"text": "Merkel', JSON, 422),
    ("integer of 5,000 digits", b'{"text": "x", "published_at": ' + b"9" * 5000 + b"}", JSON, 400),
    ("unparseable date", _json({"text": TEXT, "published_at": "last Tuesday"}), JSON, 422),
    ("impossible date", _json({"text": TEXT, "published_at": "2024-02-30"}), JSON, 422),
    ("date as a number", _json({"text": TEXT, "published_at": 1700000000}), JSON, 422),
    ("date as a numeric string", _json({"text": TEXT, "published_at": "2024"}), JSON, 422),
    ("url over 2,000 characters", _json({"text": TEXT, "url": "https://e.org/" + "a" * 2000}), JSON, 422),
    ("external_id over 200 characters", _json({"text": TEXT, "external_id": "x" * 201}), JSON, 422),
    ("language over 16 characters", _json({"text": TEXT, "language": "x" * 17}), JSON, 422),
    ("plain text content type", TEXT.encode(), "text/plain", 415),
    ("no content type", _json({"text": TEXT}), None, 415),
    ("form-encoded", b"text=Merkel+spoke", "application/x-www-form-urlencoded", 415),
    ("multipart", b"--b\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b", 415),
    ("XML", b"<article><text>Merkel</text></article>", "application/xml", 415),
]


@pytest.mark.parametrize(
    ("body", "content_type", "status"), [c[1:] for c in BODIES], ids=[c[0] for c in BODIES]
)
def test_bad_article_bodies_are_refused_with_a_problem(
    api: TestClient, body: bytes, content_type: str | None, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    assert_problem(api.post("/articles", content=body, headers=headers), status)


def test_a_body_streamed_past_the_limit_without_a_length_is_413(api: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    response = api.post("/articles", content=chunks(), headers={"content-type": JSON})
    assert_problem(response, 413)


BATCHES: list[tuple[str, Any, int]] = [
    ("empty list", {"articles": []}, 422),
    ("too many items", {"articles": [{"text": f"Item {i}."} for i in range(6)]}, 413),
    ("articles not a list", {"articles": "Merkel spoke."}, 422),
    ("articles an object", {"articles": {"text": TEXT}}, 422),
    ("no articles", {}, 422),
    ("a bare list", [{"text": TEXT}], 422),
    ("over the body limit", {"articles": [{"text": TEXT, "title": "x" * 30_000}] * 2}, 413),
]


@pytest.mark.parametrize(("body", "status"), [c[1:] for c in BATCHES], ids=[c[0] for c in BATCHES])
def test_bad_batches_are_refused_with_a_problem(api: TestClient, body: Any, status: int) -> None:
    assert_problem(api.post("/articles/batch", json=body), status)


def test_bad_items_in_a_batch_get_their_own_problem_and_sink_nothing(api: TestClient) -> None:
    items = [{"text": ""}, {"text": 5}, {"text": "x" * 3000}, "junk", {"text": "Olaf Scholz met NATO staff."}]
    response = api.post("/articles/batch", json={"articles": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == [422, 422, 413, 422, 201]
    for result in results[:4]:
        assert result["problem"]["status"] == result["status"] and result["problem"]["title"]


def test_unknown_fields_in_an_article_are_refused_by_name(api: TestClient) -> None:
    """A misspelt or invented field is a 422 naming it: silently dropping it would lose metadata."""
    response = api.post("/articles", json={"text": "Jacinda Ardern spoke in Wellington.", "bogus": {"a": 1}})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "bogus"]
    batch = api.post("/articles/batch", json={"articles": [{"text": "Ardern spoke.", "bogus": 1}]})
    assert [r["status"] for r in batch.json()["results"]] == [422]


# --- Query parameters -----------------------------------------------------------------------

# SQL and full-text syntax, wildcards, NULs and numbers no id has: each names nothing.
HOSTILE = [
    "' OR 1=1 --",
    "1 OR 1=1",
    "Robert'); DROP TABLE article;--",
    '"',
    '"unclosed phrase',
    "*",
    "zq*",
    "NEAR(",
    "NEAR(a b)",
    "col:val",
    ":",
    "^",
    "-x",
    "AND OR NOT",
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "999999999999999999999999",
    str(MAX_ID + 1),
    "²",
    "🙂",
    " ",
]


def _empty(body: Any) -> bool:
    """No results: an empty list, or an object whose lists are all empty."""
    if isinstance(body, list):
        return not body
    return all(not value for value in body.values() if isinstance(value, list))


@pytest.mark.parametrize(("path", "name"), STRING_FILTERS, ids=[f"{p}?{n}" for p, n in STRING_FILTERS])
def test_hostile_string_filters_find_nothing_and_never_fail(api: TestClient, path: str, name: str) -> None:
    failures = []
    for value in HOSTILE:
        response = api.get(path, params={name: value})
        if value == " ":  # blank: no filter at all
            ok = response.status_code == 200
        else:
            ok = response.status_code == 200 and _empty(response.json())
        if not ok:
            failures.append((value, response.status_code, response.text[:200]))
    assert not failures


@pytest.mark.parametrize(("path", "name"), STRING_FILTERS, ids=[f"{p}?{n}" for p, n in STRING_FILTERS])
def test_string_filters_over_their_length_are_422(api: TestClient, path: str, name: str) -> None:
    assert_problem(api.get(path, params={name: "x" * 1001}), 422)


BAD_LIMITS = ["0", "-1", "abc", "1.5", "", str(LIMITS["max_page_size"] + 1), "99999999999999999999999"]


@pytest.mark.parametrize(("path", "name"), LIMIT_PARAMS, ids=[p for p, _ in LIMIT_PARAMS])
@pytest.mark.parametrize("value", BAD_LIMITS)
def test_bad_limits_are_422(api: TestClient, path: str, name: str, value: str) -> None:
    assert_problem(api.get(path, params={name: value}), 422)


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


BAD_CURSORS = [
    "garbage",
    "%%%",
    "\x00",
    _b64({"id": "x"}),
    _b64([1, 2]),
    _b64({"id": 1, "extra": 2}),
    _b64({"id": 2**40}),
    _b64({"id": True}),
    _b64({"last_seen": 10**20, "group": 1}),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
]


@pytest.mark.parametrize(("path", "name"), CURSOR_PARAMS, ids=[p for p, _ in CURSOR_PARAMS])
@pytest.mark.parametrize("value", BAD_CURSORS, ids=range(len(BAD_CURSORS)))
def test_malformed_cursors_are_422(api: TestClient, path: str, name: str, value: str) -> None:
    assert_problem(api.get(path, params={name: value}), 422)


BAD_DATES = [
    "not-a-date",
    "2024-13-45",
    "2024-02-30",
    "2024",
    "1700000000",
    "0.5",
    "-1",
    "2024-01-01T25:00:00",
]


@pytest.mark.parametrize(("path", "name"), DATE_PARAMS, ids=[f"{p}?{n}" for p, n in DATE_PARAMS])
@pytest.mark.parametrize("value", BAD_DATES)
def test_bad_dates_are_422(api: TestClient, path: str, name: str, value: str) -> None:
    assert_problem(api.get(path, params={name: value}), 422)


@pytest.mark.parametrize(("path", "name"), ENUM_PARAMS, ids=[f"{p}?{n}" for p, n in ENUM_PARAMS])
@pytest.mark.parametrize("value", ["bogus", "", "' OR 1=1 --", "DIRECT "])
def test_bad_enum_values_are_422(api: TestClient, path: str, name: str, value: str) -> None:
    assert_problem(api.get(path, params={name: value}), 422)


@pytest.mark.parametrize("path", sorted({p for p, _ in LIMIT_PARAMS}))
def test_a_bad_output_format_is_422(api: TestClient, path: str) -> None:
    assert_problem(api.get(path, params={"format": "xml"}), 422)


# --- Detail endpoints -----------------------------------------------------------------------


def _unknown_and_malformed(parameter: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Values naming nothing (404) and values outside the parameter's documented schema (422)."""
    schema = parameter["schema"]
    if schema.get("type") == "integer":
        return ["999999", str(MAX_ID)], ["abc", "0", "-1", "1.5", str(MAX_ID + 1), "9" * 30, "%00"]
    malformed = []
    if schema.get("minLength", 0) > 1:
        malformed.append("x" * (schema["minLength"] - 1))
    if "maxLength" in schema:
        malformed.append("y" * (schema["maxLength"] + 1))
    return ["ZZ", "Atlantis", "' OR 1=1 --", "NEAR(x", "%00%00", "%F0%9F%99%82" * 2], malformed


@pytest.mark.parametrize(
    ("method", "path", "parameter"), DETAIL_PATHS, ids=[f"{m} {p}" for m, p, _ in DETAIL_PATHS]
)
def test_unknown_ids_are_404_and_malformed_ones_422(
    api: TestClient, method: str, path: str, parameter: dict[str, Any]
) -> None:
    unknown, malformed = _unknown_and_malformed(parameter)
    placeholder = "{" + parameter["name"] + "}"
    for value in unknown:
        assert_problem(api.request(method, path.replace(placeholder, value)), 404)
    for value in malformed:
        assert_problem(api.request(method, path.replace(placeholder, value)), 422)


def test_unknown_routes_and_methods_are_problems(api: TestClient) -> None:
    assert_problem(api.get("/nowhere"), 404)
    assert_problem(api.put("/articles", json={"text": TEXT}), 405)
    assert_problem(api.patch("/articles/1", json={"text": TEXT}), 405)


# --- Data at the edges of the calendar -------------------------------------------------------


def test_articles_dated_in_the_years_1_and_9999_do_not_break_the_timeline(tmp_path: Path) -> None:
    settings = migrated(f"sqlite:///{tmp_path / 'calendar.db'}", auth_enabled=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for text, date in [
            ("Angela Merkel spoke.", "0001-01-01T00:00:00Z"),
            ("Angela Merkel spoke again.", "9999-12-31T23:59:59Z"),
            ("Angela Merkel spoke today.", "2024-05-01"),
        ]:
            assert client.post("/articles", json={"text": text, "published_at": date}).status_code == 201
        for interval in ("day", "week", "month"):
            response = client.get("/stats/timeline", params={"interval": interval, "metric": "articles"})
            assert response.status_code == 200, response.text
            points = response.json()["points"]
            assert sum(p["count"] for p in points) == 3
            assert len(points) <= 10_000
