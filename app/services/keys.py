"""Create, check, list and revoke API keys.

A key is `nm_` and 40 random URL-safe characters, from the operating system's secure
generator; it carries enough entropy that a plain sha256 (looked up by an index) is
the right way to store it: a slow password hash would buy nothing and cost every request.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from app.models.apikey import SCOPE_RANK, ApiKey, ApiKeyPublic, Scope
from app.models.common import utcnow

KEY_PREFIX = "nm_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(*, session: Session, scope: Scope, name: str = "") -> tuple[str, ApiKeyPublic]:
    """A new key: the secret (show it once) and its public record."""
    if scope not in SCOPE_RANK:
        raise ValueError(f"unknown scope {scope!r}")
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    row = ApiKey(name=name, scope=scope, prefix=key[:10], key_hash=hash_key(key))
    session.add(row)
    session.flush()
    return key, ApiKeyPublic.model_validate(row)


# Any fixed number: the Postgres advisory lock under which a first key is made.
_FIRST_KEY_LOCK = 0x6E6D_6B31


def create_first_admin_key(*, session: Session) -> tuple[str, ApiKeyPublic] | None:
    """An admin key if there is no live key yet, else None; one only, however many servers start at once.

    Replicas starting together on a fresh database each find no key: on Postgres a transaction
    advisory lock makes them look one after another; on SQLite the write session's
    BEGIN IMMEDIATE already does.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_FIRST_KEY_LOCK)))
    if count_live_keys(session=session):
        return None
    return create_key(session=session, scope="admin", name="created on first start")


def find_key(*, session: Session, key: str) -> ApiKey | None:
    """The live key record for a presented key, or None (unknown or revoked)."""
    return session.execute(
        select(ApiKey).where(col(ApiKey.key_hash) == hash_key(key), col(ApiKey.revoked_at).is_(None))
    ).scalar_one_or_none()


def list_keys(*, session: Session) -> list[ApiKeyPublic]:
    rows = session.execute(select(ApiKey).order_by(col(ApiKey.id))).scalars().all()
    return [ApiKeyPublic.model_validate(r) for r in rows]


def revoke_key(*, session: Session, key_id: int) -> bool:
    result = session.execute(
        update(ApiKey)
        .where(col(ApiKey.id) == key_id, col(ApiKey.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def count_live_keys(*, session: Session) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(ApiKey).where(col(ApiKey.revoked_at).is_(None))
        ).scalar_one()
    )


def allows(scope: str, needed: str) -> bool:
    return SCOPE_RANK.get(scope, 0) >= SCOPE_RANK[needed]
