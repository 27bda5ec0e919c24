"""What every router shares: documented error responses, page sizes and Link headers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from app.errors import InvalidInput, Problem

PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}} for code in (404, 413, 415, 422)
}


def page_size(limit: int | None, *, default: int, maximum: int) -> int:
    if limit is None:
        return default
    if limit > maximum:
        raise InvalidInput(f"limit must be at most {maximum} (setting NEWSMETA_MAX_PAGE_SIZE)")
    return limit


def link_header(request: Request, next_cursor: str) -> str:
    """RFC 8288: where the next page is."""
    return f'<{request.url.include_query_params(cursor=next_cursor)}>; rel="next"'
