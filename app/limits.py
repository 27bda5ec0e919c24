"""Per-client limits: token buckets (a key's requests, an address's anonymous reads, an address's
wrong keys) and a cap on the expensive reads (aggregates, full-text searches) one address may have
running at once.

Everything here lives in the server process. With several processes (`uvicorn --workers`, several
containers) each counts on its own, so a client may get that many times the limit; put a shared
limiter in a proxy in front when that matters.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import Problem, problem_response

# Buckets kept before the full ones (clients quiet long enough to have every token back) are dropped.
_MAX_BUCKETS = 50_000


class TokenBuckets:
    """A token bucket per key: `per_minute` requests a minute, refilled continuously."""

    def __init__(self) -> None:
        self._buckets: dict[Hashable, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_time(self, key: Hashable, per_minute: int, *, take: bool = True) -> float:
        """0 if a request may go now (and, with `take`, uses a token); else seconds until it may."""
        now = time.monotonic()
        rate = per_minute / 60
        with self._lock:
            tokens, last = self._buckets.get(key, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens >= 1:
                if take:
                    tokens -= 1
                self._store(key, tokens, now, per_minute)
                return 0.0
            self._store(key, tokens, now, per_minute)
            return (1 - tokens) / rate

    def _store(self, key: Hashable, tokens: float, now: float, per_minute: int) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > _MAX_BUCKETS:
            full_after = 60  # seconds in which any bucket refills completely
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}


def client_address(scope: Scope) -> str:
    """The peer's address. Behind a proxy that is the proxy's: every client then shares its limits."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _is_expensive(scope: Scope) -> bool:
    """Aggregates and full-text searches: the reads whose cost grows with the archive."""
    if scope["method"] not in ("GET", "HEAD"):
        return False
    if scope["path"].startswith("/stats/"):
        return True
    query = scope.get("query_string", b"")
    return b"q=" in query and any(
        name == "q" and value.strip() for name, value in parse_qsl(query.decode("latin-1"))
    )


class ExpensiveReads:
    """429 for an expensive read from an address that already has `max_per_client` running.

    A request counts until its handler has finished, also when its client has gone: an abandoned
    aggregate still holds a reader thread until its query ends (or the read deadline stops it).
    """

    def __init__(self, app: ASGIApp, max_per_client: int) -> None:
        self.app = app
        self.max_per_client = max_per_client
        self.running: dict[str, int] = {}  # touched on the event loop only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.max_per_client or not _is_expensive(scope):
            await self.app(scope, receive, send)
            return
        who = client_address(scope)
        if self.running.get(who, 0) >= self.max_per_client:
            response = problem_response(
                Problem(
                    type="/problems/rate-limited",
                    title="Too many requests",
                    status=429,
                    detail=f"{self.max_per_client} aggregates or searches from this client are still "
                    "running (setting NEWSMETA_MAX_EXPENSIVE_READS_PER_CLIENT); wait for them",
                    instance=scope.get("path"),
                ),
                headers={"Retry-After": "1"},
            )
            await response(scope, receive, send)
            return
        self.running[who] = self.running.get(who, 0) + 1
        try:
            await self.app(scope, receive, send)
        finally:
            left = self.running[who] - 1
            if left:
                self.running[who] = left
            else:
                del self.running[who]
