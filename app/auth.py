"""Who may do what: API keys in `Authorization: Bearer` or `X-API-Key`, checked against scopes.

Writes need `write`, deletes `admin`; reads are open unless NEWSMETA_REQUIRE_READ_KEY
is set. A wrong or missing key is a 401, too small a scope a 403, too many requests a
429 with Retry-After.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.db import get_engine, session_scope
from app.deps import app_settings
from app.errors import Forbidden, TooManyRequests, Unauthorized
from app.limits import RateLimits, client_address
from app.models.apikey import ApiKeyPublic, Scope
from app.services import keys

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="newsmeta"'}
# Probes stay open even when reads need a key: orchestrators call them without one
OPEN_PATHS = frozenset({"/healthz", "/readyz"})
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


# A key's requests, an address's anonymous reads, its wrong keys (see app/limits.py). Each app
# keeps its own (create_app sets `app.state.limiter`); this one serves an app without.
LIMITER = RateLimits()


def _limiter(request: Request) -> RateLimits:
    found: RateLimits = getattr(request.app.state, "limiter", LIMITER)
    return found


def _lookup(settings: Settings, key: str) -> ApiKeyPublic | None:
    with session_scope(get_engine(settings)) as session:
        row = keys.find_key(session=session, key=key)
        return ApiKeyPublic.model_validate(row) if row is not None else None


def require(needed: Scope, *, always: bool = False) -> Callable[[Request], Awaitable[ApiKeyPublic | None]]:
    """A dependency that lets a request through only with a key of at least `needed` scope.

    `always`: a read that needs a key even when reads are open (a job is its key's alone).
    """

    async def check(request: Request) -> ApiKeyPublic | None:
        # Every request passes here: the settings are read directly, not as a dependency of
        # this one, which FastAPI would resolve as one more level on every request.
        settings = app_settings(request)
        # The dashboard's cookie counts for reads only (see KEY_COOKIE).
        key = presented_key(request, cookie=needed == "read") if settings.auth_enabled else None
        open_read = (
            needed == "read"
            and not always
            and (not settings.auth_enabled or not settings.require_read_key or request.url.path in OPEN_PATHS)
        )
        if open_read and (key is None or not settings.anonymous_rate_limit_per_minute):
            # An open read without a key is anonymous (limited by address when that is set); one
            # with a key is checked below only when anonymous reads are limited, so that a made-up
            # key cannot be the way around that limit.
            # (The read check runs on every route of a router: writes are no reads to count.)
            if (
                settings.anonymous_rate_limit_per_minute
                and request.method == "GET"
                and request.url.path not in OPEN_PATHS
            ):
                _limit(
                    request,
                    ("anonymous", _address(request)),
                    settings.anonymous_rate_limit_per_minute,
                    "reads without a key from this address",
                )
            return None
        if not settings.auth_enabled:
            return None
        if key is None:
            raise Unauthorized(
                f"this needs an API key with {needed} scope in 'Authorization: Bearer <key>' or 'X-API-Key'",
                headers=_CHALLENGE,
            )
        cached: dict[str, ApiKeyPublic | None] = request.state.__dict__.setdefault("api_keys", {})
        if key not in cached:
            failures = ("failed", _address(request))
            if settings.failed_auth_per_minute:
                # An address that sent too many wrong keys gets no answer on its next ones, right
                # or wrong, until it has waited: guessing keys goes at that pace at most.
                wait = _limiter(request).wait_time(failures, settings.failed_auth_per_minute, take=False)
                if wait:
                    raise TooManyRequests(
                        "too many wrong API keys from this address",
                        headers={"Retry-After": str(math.ceil(wait))},
                    )
            cached[key] = await run_in_threadpool(_lookup, settings, key)
            found = cached[key]
            if found is None and settings.failed_auth_per_minute:
                _limiter(request).wait_time(failures, settings.failed_auth_per_minute)
            if found is not None and settings.rate_limit_per_minute:
                _limit(request, found.id, settings.rate_limit_per_minute, "requests with this key")
        found = cached[key]
        if found is None:
            raise Unauthorized("unknown or revoked API key", headers=_CHALLENGE)
        if not keys.allows(found.scope, needed):
            raise Forbidden(f"this needs a key with {needed} scope; this key has {found.scope}")
        return found

    check.required_scope = needed  # type: ignore[attr-defined]  # for the OpenAPI security (app/openapi.py)
    return check


def _address(request: Request) -> str:
    return client_address(request.scope)


def _limit(request: Request, bucket: Hashable, per_minute: int, what: str) -> None:
    wait = _limiter(request).wait_time(bucket, per_minute)
    if wait:
        raise TooManyRequests(
            f"more than {per_minute} {what} a minute", headers={"Retry-After": str(math.ceil(wait))}
        )


ReadAccess = Depends(require("read"))
# The key of a request that reads something belonging to a key (a job): needed when auth is on.
OwnerKey = Annotated[ApiKeyPublic | None, Depends(require("read", always=True))]
WriteKey = Annotated[ApiKeyPublic | None, Depends(require("write"))]
AdminKey = Annotated[ApiKeyPublic | None, Depends(require("admin"))]
