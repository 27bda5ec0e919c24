"""Domain errors and their rendering as RFC 9457 problem details.

Code below the routers raises `AppError` subclasses; one set of handlers turns
them, validation errors and HTTP errors into `application/problem+json`.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.db import is_retryable, is_timeout

log = logging.getLogger("newsmeta")

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    type: str = Field(default="about:blank", description="A URI that identifies the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What went wrong in this request.")
    instance: str | None = Field(default=None, description="The request path.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Validation errors: where (loc), what (msg) and the error type."
    )


class AppError(Exception):
    status: int = 500
    title: str = "Internal server error"
    type: str = "about:blank"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class NotFound(AppError):
    status = 404
    title = "Not found"
    type = "/problems/not-found"


class PayloadTooLarge(AppError):
    status = 413
    title = "Payload too large"
    type = "/problems/payload-too-large"


class InvalidInput(AppError):
    status = 422
    title = "Invalid input"
    type = "/problems/invalid-input"


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"
    type = "/problems/unauthorized"


class Forbidden(AppError):
    status = 403
    title = "Forbidden"
    type = "/problems/forbidden"


class TooManyRequests(AppError):
    status = 429
    title = "Too many requests"
    type = "/problems/rate-limited"


class ExtractionOverBudget(AppError):
    """An article the extractor could not read within its deadline or memory cap: sending it
    again will not help, so not a 5xx; the extraction process was replaced and nothing stored."""

    status = 422
    title = "Article too costly to extract"
    type = "/problems/extraction-over-budget"


class ExtractionUnavailable(AppError):
    status = 503
    title = "Extraction unavailable"
    type = "/problems/extraction-unavailable"


class UnsupportedMediaType(AppError):
    status = 415
    title = "Unsupported media type"
    type = "/problems/unsupported-media-type"


class BodyTooLarge(HTTPException):
    """A streamed body grew past NEWSMETA_MAX_BODY_BYTES. An HTTPException because FastAPI turns
    any other exception raised while it reads a body into a 400 "error parsing the body"."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413, f"request body is larger than {max_bytes} bytes (setting NEWSMETA_MAX_BODY_BYTES)"
        )


_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://\S+)"  # URLs (redis://..., postgresql://user@host/db)
    r"|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"  # IPv4, with a port
    r"|\[[0-9a-fA-F:]+\](?::\d+)?"  # [IPv6]:port
    r"|(?<![\w:])[0-9a-f]*::[0-9a-f:]*(?![\w:])"  # a bare IPv6 address (::1, fe80::1)
    r"|\blocalhost(?::\d+)?\b"
    r"|\b[a-z][\w.-]*:\d{2,5}\b"  # host:port (redis:6379)
    r"|\b(?:port|Port) \d+\b",
    re.IGNORECASE,
)


def scrub_addresses(text: str) -> str:
    """`text` without network addresses, ports and URLs: what an error from a driver says about
    where the database or the queue lives is for the log, not for the client."""
    return _ADDRESS.sub("<internal>", text)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    if problem.detail:
        problem = problem.model_copy(update={"detail": scrub_addresses(problem.detail)})
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        item = {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        errors.append(jsonable_encoder(item))
    return errors


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return problem_response(
            Problem(
                type=exc.type,
                title=exc.title,
                status=exc.status,
                detail=exc.detail,
                instance=request.url.path,
                errors=exc.errors,
            ),
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", []))
        return problem_response(
            Problem(
                type="/problems/invalid-input",
                title="Invalid input",
                status=422,
                detail=f"{where}: {first.get('msg', 'invalid')}" if first else None,
                instance=request.url.path,
                errors=errors,
            )
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = (
            HTTPStatus(exc.status_code).phrase
            if exc.status_code in HTTPStatus._value2member_map_
            else "Error"
        )
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        kind = "about:blank"
        if exc.status_code == 413:  # the same problem as a body refused by its Content-Length
            kind, title = PayloadTooLarge.type, PayloadTooLarge.title
        return problem_response(
            Problem(type=kind, title=title, status=exc.status_code, detail=detail, instance=request.url.path),
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(OperationalError)
    async def _database_busy(request: Request, exc: OperationalError) -> JSONResponse:
        if is_timeout(exc):
            log.warning("read deadline passed on %s %s", request.method, request.url.path)
            return problem_response(
                Problem(
                    type="/problems/query-timeout",
                    title="Query took too long",
                    status=503,
                    instance=request.url.path,
                    detail="The database did not answer within the read deadline (setting "
                    "NEWSMETA_READ_TIMEOUT_MS); narrow the query (a time window, a smaller limit) or "
                    "try again later.",
                ),
                headers={"Retry-After": "5"},
            )
        if not is_retryable(exc):
            return await _unexpected(request, exc)
        # A deadlock victim or a locked database after its retries: nothing was written, and the
        # same request a moment later will go through.
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc.orig)
        return problem_response(
            Problem(
                type="/problems/busy",
                title="Service busy",
                status=503,
                instance=request.url.path,
                detail="The database was busy with conflicting writes; nothing was changed. Try again.",
            ),
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            Problem(
                title="Internal server error",
                status=500,
                instance=request.url.path,
                detail="The server failed to handle this request; it has been logged.",
            )
        )
