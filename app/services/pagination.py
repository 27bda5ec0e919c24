"""Opaque keyset cursors: a page ends at a key; the next page starts after it."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pydantic_core

from app.errors import InvalidInput
from app.models.common import MAX_ID

# Cursor fields that hold row ids; larger ones were never issued (and Postgres would refuse them).
_ID_FIELDS = frozenset({"id", "group"})


@dataclass(frozen=True)
class Listing:
    """A page of a list endpoint as plain rows: `items` are dicts shaped field for field as its
    page model's items (ArticlePage, QuotePage, PositionPage), datetimes aware and in UTC.

    A long page goes to JSON straight from these, in pydantic-core, without a validation per
    row and field: the rows come from our own tables, and validating them again cost as much
    as the query. tests/api/test_list_contracts.py holds every list answer to its page model.
    """

    items: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None

    def json(self) -> bytes:
        return pydantic_core.to_json({"items": self.items, "next_cursor": self.next_cursor})


def encode_cursor(key: dict[str, Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(
    cursor: str, *, fields: tuple[str, ...], nullable: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The key a cursor holds (integers, or null for the `nullable` fields); a cursor this
    server did not make is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise InvalidInput("cursor is not one this server issued") from exc
    if (
        not isinstance(key, dict)
        or set(key) != set(fields)
        or not all(
            (key[f] is None and f in nullable) or (isinstance(key[f], int) and not isinstance(key[f], bool))
            for f in fields
        )
        or not all(
            key[f] is None or (abs(key[f]) < 2**63 and (f not in _ID_FIELDS or 0 <= key[f] <= MAX_ID))
            for f in fields
        )
    ):
        raise InvalidInput("cursor is not one this server issued")
    return key


# How a list is ordered: by id (newest stored first), or by publication time (newest published
# first, undated articles last), ties by id.
ListSort = Literal["id", "published"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PublishedKey:
    """Where a page in publication order ended: the last row's publication time (None: the
    page ended among the undated) and its id. The next page starts after it."""

    published_at: datetime | None
    id: int

    def cursor(self) -> str:
        published = self.published_at
        micros = None if published is None else (published - _EPOCH) // timedelta(microseconds=1)
        return encode_cursor({"published": micros, "id": self.id})

    @classmethod
    def decode(cls, cursor: str) -> PublishedKey:
        key = decode_cursor(cursor, fields=("published", "id"), nullable=frozenset({"published"}))
        if key["published"] is None:
            return cls(None, key["id"])
        try:
            return cls(_EPOCH + timedelta(microseconds=key["published"]), key["id"])
        except OverflowError as exc:
            raise InvalidInput("cursor is not one this server issued") from exc


def driven_ids(
    walk: Callable[[int | None, int], list[int]],
    keep: Callable[[list[int]], Collection[int]] | None,
    *,
    before: int | None,
    want: int,
    first_batch: int,
    max_batch: int,
) -> list[int]:
    """Up to `want` ids below `before`, newest first, that `walk` yields and `keep` keeps.

    `walk(upper, n)` lists up to n candidate ids below `upper` newest first off one index
    (repeats allowed); `keep(candidates)` says which of a batch pass every other filter.
    Batches grow fourfold up to `max_batch`, so a page of common matches reads about a
    page of the index, and a page of rare ones does not take a query per candidate.
    """
    found: list[int] = []
    batch = max(first_batch, want)
    upper = before
    while len(found) < want:
        walked = walk(upper, batch)
        if not walked:
            break
        candidates = sorted(set(walked), reverse=True)
        upper = candidates[-1]
        if keep is not None:
            kept = set(keep(candidates))
            candidates = [c for c in candidates if c in kept]
        found += candidates
        if len(walked) < batch:
            break  # the index is exhausted
        batch = min(batch * 4, max_batch)
    return found[:want]
