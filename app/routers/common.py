"""What every router shares: documented error responses, page sizes and Link headers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any
from urllib.parse import quote

import pydantic_core
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.requests import Request

from app.config import Settings
from app.errors import InvalidInput, Problem
from app.models.common import IsoDateTime
from app.routers.querystring import QueryModel
from app.services.pagination import Listing, ListSort

PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}}
    for code in (401, 403, 404, 413, 415, 422, 429, 503)
}


def page_size(limit: int | None, *, default: int, maximum: int) -> int:
    if limit is None:
        return default
    if limit > maximum:
        raise InvalidInput(f"limit must be at most {maximum} (setting NEWSMETA_MAX_PAGE_SIZE)")
    return limit


def link_header(request: Request, next_cursor: str) -> str:
    """RFC 8288: where the next page is, this request's path and query with the next cursor.

    Relative (RFC 3986 resolves it against the request's URL), or absolute on the configured
    public base URL: never built from the Host header, which the client chooses.
    """
    url = request.url
    # The other parameters are kept as sent, not parsed and encoded again.
    kept = [p for p in url.query.split("&") if p and p.partition("=")[0] != "cursor"]
    kept.append(f"cursor={quote(next_cursor, safe='')}")
    settings: Settings | None = getattr(request.app.state, "settings", None)
    base = (settings.public_base_url or "").rstrip("/") if settings else ""
    return f'<{base}{quote(url.path)}?{"&".join(kept)}>; rel="next"'


# --- Output formats: every list endpoint answers JSON, CSV or NDJSON ------------------------


class ListFormat(StrEnum):
    json = "json"
    csv = "csv"
    ndjson = "ndjson"


_MEDIA = {ListFormat.csv: "text/csv; charset=utf-8", ListFormat.ndjson: "application/x-ndjson"}
TABULAR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": "id,name\n1,Dmitry Peskov\n"},
            "application/x-ndjson": {"schema": {"type": "string"}, "example": '{"id": 1}\n{"id": 2}\n'},
        },
        "description": "The page as JSON, or its items as CSV or NDJSON (`format=` or `Accept`).",
    }
}
_FORMAT = "json (default), csv or ndjson; overrides the Accept header."


class Formatted(QueryModel):
    """The query parameter of every list endpoint: the answer's format."""

    format: ListFormat | None = Field(None, description=_FORMAT)


class Paged(Formatted):
    """The query parameters every paged list shares."""

    limit: int | None = Field(
        None,
        ge=1,
        description="Page size; its default and maximum are the server's (NEWSMETA_DEFAULT_PAGE_SIZE, "
        "NEWSMETA_MAX_PAGE_SIZE: 50 and 500 unless set; see the API description). Above the maximum: 422.",
    )
    cursor: str | None = Field(
        None,
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="`next_cursor` of the previous page: an opaque base64url token (letters, digits, "
        "`-`, `_`) valid for this list and its filters only; one this server did not issue is a 422.",
    )

    def page_size(self, settings: Settings) -> int:
        return page_size(self.limit, default=settings.default_page_size, maximum=settings.max_page_size)


class Sorted(QueryModel):
    """The order of a list that can follow publication time."""

    sort: ListSort = Field(
        "id",
        examples=["published"],
        description="id (default): newest stored first; published: newest published first, "
        "undated articles last (ties by id). A cursor holds its order: pass the same `sort` with it.",
    )


class PublishedWithin(QueryModel):
    """A publication-time window (an undated article is in none)."""

    published_from: IsoDateTime | None = Field(
        None, examples=["2025-08-01"], description="Published at or after (ISO 8601, years 1 to 9999 in UTC)."
    )
    published_to: IsoDateTime | None = Field(
        None,
        examples=["2025-08-31T23:59:59Z"],
        description="Published at or before (ISO 8601, years 1 to 9999 in UTC).",
    )


def negotiate(request: Request, requested: ListFormat | None) -> ListFormat:
    """The format a client asked for: `format=` first, then the Accept header, else JSON."""
    if requested is not None:
        return requested
    accept = request.headers.get("accept", "")
    if "text/csv" in accept:
        return ListFormat.csv
    if "ndjson" in accept or "jsonlines" in accept:
        return ListFormat.ndjson
    return ListFormat.json


def list_response(
    request: Request,
    page: BaseModel | Listing,
    fmt: ListFormat,
    *,
    rows: str = "items",
    columns: Sequence[str] = (),
) -> Any:
    """The page itself for JSON; its `rows` (items) as CSV or NDJSON otherwise.

    `columns` come first in the CSV, and make its header when there are no rows. The `Link`
    header and the `X-Next-Cursor` header carry the next page in every format.
    """
    next_cursor = getattr(page, "next_cursor", None)
    headers = {}
    if next_cursor:
        headers = {"Link": link_header(request, next_cursor), "X-Next-Cursor": next_cursor}
    if fmt is ListFormat.json:
        # Straight to JSON bytes in pydantic-core, with no intermediate dicts for json.dumps.
        body = page.json() if isinstance(page, Listing) else page.model_dump_json()
        return Response(body, media_type="application/json", headers=headers)
    if isinstance(page, Listing):
        items = pydantic_core.to_jsonable_python(page.items)
    else:
        items = [item.model_dump(mode="json") for item in getattr(page, rows, [])]
    if fmt is ListFormat.ndjson:
        body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    else:
        body = to_csv(items, columns=columns)
    return Response(body, media_type=_MEDIA[fmt], headers=headers)


def to_csv(items: list[dict[str, Any]], *, columns: Sequence[str] = ()) -> str:
    """Rows of flattened items: nested objects become dotted columns, lists JSON text."""
    rows = [_flatten(item) for item in items]
    header = list(columns)
    for row in rows:
        header.extend(c for c in row if c not in header)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: defuse_cell(value) for name, value in row.items()} for row in rows)
    return out.getvalue()


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): a title sent as
# '=HYPERLINK("http://evil", "click")' would become a live link, or a command, once opened.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, with a ' in front so it stays text.

    Only text: numbers the API itself wrote (a count, a negative offset) are left as they are.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


# --- Conditional GET: detail endpoints carry an ETag ------------------------------------------


def etag_response(request: Request, body: BaseModel) -> Response:
    """JSON with a strong ETag; 304 Not Modified when the client already has this version."""
    payload = body.__pydantic_serializer__.to_json(body)
    etag = '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if_none_match = request.headers.get("if-none-match", "")
    if (
        etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        or if_none_match.strip() == "*"
    ):
        return Response(status_code=304, headers=headers)
    return Response(payload, media_type="application/json", headers=headers)
