"""What every table module shares: the constraint-naming convention, time and name keys."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

from sqlmodel import SQLModel

# Named constraints let Alembic drop and alter them the same way on SQLite and Postgres.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_NON_WORD = re.compile(r"[^\w]+")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC; aware ones are converted to it."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def name_key(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name: "Zelenskiy’s" ~ "zelenskiy s"."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", stripped).strip()
