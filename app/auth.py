"""Who may do what: API keys in `Authorization: Bearer` or `X-API-Key`, checked against scopes.

Writes need `write`, deletes `admin`; reads are open unless NEWSMETA_REQUIRE_READ_KEY
is set. A wrong or missing key is a 401, too small a scope a 403, too many requests a
429 with Retry-After.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.db import get_engine, session_scope
from app.deps import app_settings
from app.errors import Forbidden, TooManyRequests, Unauthorized
from app.models.apikey import ApiKeyPublic, Scope
from app.services import keys

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="newsmeta"'}
# Probes and metric scrapes stay open even when reads need a key: orchestrators and
# Prometheus call them without one.
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# The cookie the dashboard (/ui) keeps a reader's key in. It counts for reads only: a cookie goes
# with every request the browser makes, so a write or delete must name its key in a header.
KEY_COOKIE = "newsmeta_key"


def presented_key(request: Request, *, cookie: bool = False) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = request.headers.get("x-api-key", "").strip() or None
    if key is None and cookie:
        key = request.cookies.get(KEY_COOKIE, "").strip() or None
    return key


class RateLimiter:
    """A token bucket per key: `per_minute` requests a minute, refilled continuously."""

    def __init__(self) -> None:
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_time(self, key_id: int, per_minute: int) -> float:
        """0 if the request may go now (and take a token); else seconds until it may."""
        now = time.monotonic()
        rate = per_minute / 60
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[key_id] = (tokens - 1, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1 - tokens) / rate


LIMITER = RateLimiter()


def _lookup(settings: Settings, key: str) -> ApiKeyPublic | None:
    with session_scope(get_engine(settings)) as session:
        row = keys.find_key(session=session, key=key)
        return ApiKeyPublic.model_validate(row) if row is not None else None


def require(needed: Scope) -> Callable[[Request], Awaitable[ApiKeyPublic | None]]:
    """A dependency that lets a request through only with a key of at least `needed` scope."""

    async def check(request: Request) -> ApiKeyPublic | None:
        # Every request passes here: the settings are read directly, not as a dependency of
        # this one, which FastAPI would resolve as one more level on every request.
        settings = app_settings(request)
        if not settings.auth_enabled or (
            needed == "read" and (not settings.require_read_key or request.url.path in OPEN_PATHS)
        ):
            return None
        key = presented_key(request, cookie=needed == "read")
        if key is None:
            raise Unauthorized(
                f"this needs an API key with {needed} scope in 'Authorization: Bearer <key>' or 'X-API-Key'",
                headers=_CHALLENGE,
            )
        cached: dict[str, ApiKeyPublic | None] = request.state.__dict__.setdefault("api_keys", {})
        if key not in cached:
            cached[key] = await run_in_threadpool(_lookup, settings, key)
            found = cached[key]
            if found is not None and settings.rate_limit_per_minute:
                wait = LIMITER.wait_time(found.id, settings.rate_limit_per_minute)
                if wait:
                    raise TooManyRequests(
                        f"more than {settings.rate_limit_per_minute} requests a minute with this key",
                        headers={"Retry-After": str(math.ceil(wait))},
                    )
        found = cached[key]
        if found is None:
            raise Unauthorized("unknown or revoked API key", headers=_CHALLENGE)
        if not keys.allows(found.scope, needed):
            raise Forbidden(f"this needs a key with {needed} scope; this key has {found.scope}")
        return found

    return check


ReadAccess = Depends(require("read"))
WriteKey = Annotated[ApiKeyPublic | None, Depends(require("write"))]
AdminKey = Annotated[ApiKeyPublic | None, Depends(require("admin"))]
