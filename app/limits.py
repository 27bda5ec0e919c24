"""Per-client limits: rate limits (a key's requests, an address's anonymous reads, an address's
wrong keys) and a cap on the expensive reads (aggregates, full-text searches) one address may have
running at once.

Rate limits are moving windows ("N requests in any 60 seconds") kept by the `limits` library: in
this process, or in Redis (setting NEWSMETA_LIMITS_URL) so that every server process counts the same
requests. If Redis cannot be reached, each process counts on its own until it can again: a limit
never turns into an error. The running expensive reads are always counted per process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Hashable
from functools import lru_cache
from urllib.parse import parse_qsl

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import Problem, problem_response

log = logging.getLogger(__name__)

# After Redis failed, how long the process counts on its own before it tries Redis again.
_SHARED_RETRY_SECONDS = 5.0
# A Redis that does not answer within this is taken as down (a limit check is on every request).
_REDIS_TIMEOUT_SECONDS = 0.25


@lru_cache(maxsize=64)
def _per_minute(amount: int) -> RateLimitItem:
    return RateLimitItemPerMinute(amount)


def _identifier(key: Hashable) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return ":".join(str(part) for part in parts)


class RateLimits:
    """Per-key moving-window limits: at most `per_minute` requests in any 60 seconds.

    `url`: redis://host:port/db to share the counts between processes; None keeps them here.
    """

    def __init__(self, url: str | None = None, *, namespace: str = "newsmeta") -> None:
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared: MovingWindowRateLimiter | None = None
        self._shared_down_until = 0.0
        if url:
            storage: Storage = RedisStorage(
                url,
                key_prefix=f"{namespace}:limits",
                wrap_exceptions=True,
                socket_timeout=_REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
            )
            self._shared = MovingWindowRateLimiter(storage)

    @property
    def shared(self) -> bool:
        """Whether the counts are kept in Redis (and Redis answered the last time it was asked)."""
        return self._shared is not None and time.monotonic() >= self._shared_down_until

    def wait_time(self, key: Hashable, per_minute: int, *, take: bool = True) -> float:
        """0 if a request may go now (and, with `take`, counts it); else seconds until one may."""
        if self.shared:
            assert self._shared is not None
            try:
                return self._wait(self._shared, key, per_minute, take)
            except Exception as error:  # noqa: BLE001 - any storage failure: count here instead
                self._shared_down_until = time.monotonic() + _SHARED_RETRY_SECONDS
                log.warning(
                    "rate limits: Redis did not answer (%s); counting in this process for %.0f s",
                    type(error).__name__,
                    _SHARED_RETRY_SECONDS,
                )
        return self._wait(self._local, key, per_minute, take)

    @staticmethod
    def _wait(limiter: MovingWindowRateLimiter, key: Hashable, per_minute: int, take: bool) -> float:
        item, identifier = _per_minute(per_minute), _identifier(key)
        allowed = limiter.hit(item, identifier) if take else limiter.test(item, identifier)
        if allowed:
            return 0.0
        reset_at = limiter.get_window_stats(item, identifier).reset_time
        return max(reset_at - time.time(), 0.001)


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
