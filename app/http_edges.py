"""The HTTP edge: what holds without a proxy in front of `newsmeta serve`.

- `LimitedHttpToolsProtocol`, uvicorn's httptools protocol with what it has no setting for: a
  ceiling on the request line and headers together and on their number (431 at once, before a
  20 MB header is read), and a deadline for them (slowloris: the connection is closed).
- `uvicorn_options()`: those and uvicorn's own limits (concurrency, keep-alive) from the settings.
- `Edges`, an ASGI middleware: HEAD on every GET route, a complete `Allow` on 405, redirects
  without the request's Host, and a deadline for each piece of a request body (408).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httptools
from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.config import Settings, get_settings
from app.errors import PROBLEM_JSON, Problem, problem_response

# --- The server's protocol ---------------------------------------------------------------------


class _HeadTooLarge(Exception):
    pass


def _problem_bytes(status: int, reason: str, title: str, detail: str) -> bytes:
    body = Problem(
        type=f"/problems/{title.lower().replace(' ', '-')}", title=title, status=status, detail=detail
    )
    payload = body.model_dump_json(exclude_none=True).encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n"
    ).encode() + payload


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """httptools with limits on a request's head: its size in bytes, its header count, its time.

    httptools gathers a header's value however long it grows (a 400 MB header took minutes and a
    gigabyte); here the bytes of a head are counted as they arrive and the request is refused
    with 431 once they pass NEWSMETA_MAX_HEADER_BYTES. A client that does not finish its head
    within NEWSMETA_HEADER_TIMEOUT_SECONDS of connecting or starting it is disconnected.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = get_settings()
        self._max_head = limits.max_header_bytes
        self._max_count = limits.max_header_count
        self._head_timeout = limits.header_timeout_seconds
        self._awaiting_head = True
        self._head_bytes = 0
        self._header_count = 0
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self._awaiting_head and self._head_timer is None:
            self._arm_head_timer()  # the first byte of a request on a kept-alive connection
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as exc:
            if isinstance(exc.__context__, _HeadTooLarge):
                self._refuse_head()
            else:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
            return
        if self._awaiting_head:
            # All of `data` went to an unfinished head (chunks are at most 256 KB, so the parser
            # never holds much more than the limit).
            self._head_bytes += len(data)
            if self._head_bytes > self._max_head:
                self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._awaiting_head = True
        self._header_count = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self._max_count:
            raise _HeadTooLarge
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._awaiting_head = False
        self._head_bytes = 0
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._awaiting_head = True  # the next request's head; its timer starts with its first byte

    def _refuse_head(self) -> None:
        self._cancel_head_timer()
        if self.transport.is_closing():
            return
        self.logger.warning("Request head over the limit refused with 431.")
        self.transport.write(
            _problem_bytes(
                431,
                "Request Header Fields Too Large",
                "Request header fields too large",
                f"the request line and headers must fit in {self._max_head} bytes and "
                f"{self._max_count} fields (settings NEWSMETA_MAX_HEADER_BYTES, NEWSMETA_MAX_HEADER_COUNT)",
            )
        )
        self.transport.close()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self._head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self._awaiting_head or self.transport.is_closing():
            return
        if self._head_bytes or self._header_count:  # a request started and stalled: say why
            self.transport.write(
                _problem_bytes(
                    408,
                    "Request Timeout",
                    "Request timeout",
                    "the request's headers did not arrive in time (setting NEWSMETA_HEADER_TIMEOUT_SECONDS)",
                )
            )
        self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The HTTP limits `newsmeta serve` runs uvicorn with (see docs/reliability.md)."""
    return {
        "http": "app.http_edges:LimitedHttpToolsProtocol",
        "limit_concurrency": settings.max_connections,
        "timeout_keep_alive": settings.keep_alive_timeout_seconds,
        # Used only if someone switches the protocol to h11: its own ceiling on a request's head.
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "server_header": False,
    }


# --- The application's edge --------------------------------------------------------------------


class BodyTimeout(HTTPException):
    """An HTTPException for the reason BodyTooLarge is one: FastAPI turns others raised while it
    reads a body into a 400."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            408,
            f"no part of the request body arrived for {seconds:g} s (setting NEWSMETA_BODY_TIMEOUT_SECONDS)",
        )


class Edges:
    """HEAD answered as GET without the body; 405 with every method of the path in `Allow`;
    `Location` of redirects without the Host a client sent; a deadline per piece of body."""

    def __init__(
        self, app: ASGIApp, *, routes_of: FastAPI, body_timeout: float, public_base_url: str | None
    ) -> None:
        self.app = app
        self.routes_of = routes_of
        self.body_timeout = body_timeout
        self.base = public_base_url.rstrip("/") if public_base_url else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        started = False

        body_done = False

        async def timed_receive() -> Message:
            # Only the body is timed: a later receive() (a streaming response waiting for the
            # client to leave) may wait as long as it likes.
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                raise BodyTimeout(self.body_timeout) from None
            body_done = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def edge_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                if status == 405 or 300 <= status < 400:
                    message = dict(
                        message, headers=self._fixed_headers(scope, status, message.get("headers", []))
                    )
            elif message["type"] == "http.response.body" and head:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            await self.app(scope, timed_receive, edge_send)
        except BodyTimeout as exc:
            if started:
                raise
            response = problem_response(
                Problem(
                    type="/problems/request-timeout",
                    title="Request timeout",
                    status=408,
                    detail=str(exc.detail),
                    instance=scope.get("path"),
                ),
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)

    def _fixed_headers(
        self, scope: Scope, status: int, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        fixed = []
        for name, value in headers:
            if name.lower() == b"allow" and status == 405:
                value = ", ".join(self._allowed(scope)).encode()
            elif name.lower() == b"location":
                value = self._local(value.decode("latin-1")).encode("latin-1")
            fixed.append((name, value))
        return fixed

    def _allowed(self, scope: Scope) -> list[str]:
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):  # routes are matched below the mount point
            path = path[len(root) :]
        methods = set(_methods_for(self.routes_of.router.routes, path))
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods)

    def _local(self, location: str) -> str:
        """A redirect's target as a path on this service, or on its configured public URL."""
        parts = urlsplit(location)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.base + path if parts.netloc else location


def _methods_for(routes: Any, path: str) -> Iterator[str]:
    """The methods of every route whose path matches, routers included in routers looked into."""
    for route in routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and getattr(route, "methods", None):
            if regex.match(path):
                yield from route.methods
            continue
        inner = getattr(route, "original_router", None)  # FastAPI's wrapper of an included router
        if inner is not None:
            yield from _methods_for(inner.routes, path)


# --- Documentation behind the read key -----------------------------------------------------------
