"""What every table module shares: the constraint-naming convention, time and name keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from sqlalchemy import DateTime, Dialect, TypeDecorator, type_coerce
from sqlmodel import SQLModel

# Named constraints let Alembic drop and alter them the same way on SQLite and Postgres.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ApiModel(BaseModel):
    """The base of every response schema that is not a table.

    Plain pydantic rather than SQLModel: SQLModel's __init__ costs about eight times
    as much, and one page of results builds a few hundred of these. `from_attributes`
    lets a schema read a table row directly.
    """

    model_config = ConfigDict(from_attributes=True)


_NON_WORD = re.compile(r"[^\w]+")


def utcnow() -> datetime:
    return datetime.now(UTC)


# The instants a timestamp may name: those of years 1 to 9999 in UTC. A time at the edge of that
# range with an offset (0001-01-01T00:00:00+01:00) names an instant outside it.
DATE_RANGE = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z"


def as_utc(value: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC; aware ones are converted to it.

    A ValueError (a 422 from a validator) for a time whose UTC instant falls outside years
    1 to 9999, rather than the OverflowError `astimezone` raises, which would be a 500.
    """
    if value is None or value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} is outside the range of dates ({DATE_RANGE})") from None


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp read back as an aware UTC datetime on every database (SQLite keeps it naive).

    For statements whose rows go to the client as they are (`utc_column`): the conversion then
    happens once per value as the row is read, not in a model validator afterwards.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], datetime | None]:
        # One call per value rather than TypeDecorator's chain of four: a page reads a hundred.
        parse = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
        if parse is None:  # the driver gives datetimes (Postgres: aware ones)
            return as_utc

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            parsed: datetime = parse(value)  # type: ignore[assignment]
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)

        if dialect.name != "sqlite":
            return process

        def from_utc_text(value: Any, _parse: Callable[[str], datetime] = datetime.fromisoformat) -> Any:
            # SQLite keeps UTC as ISO text without an offset: with one appended, a single C call
            # gives the aware datetime, seven times quicker than parsing and then replacing the
            # zone (a page reads a hundred). Text in any other form takes the general way.
            if value is None:
                return None
            try:
                return _parse(value + "+00:00")
            except (TypeError, ValueError):  # not text, or not in that form
                return process(value)

        return from_utc_text


def utc_column(column: Any) -> Any:
    """`column` (a timestamp) under its own name, read back as an aware UTC datetime."""
    return type_coerce(column, UtcDateTime()).label(column.key)


# Row ids are INTEGER columns: 32-bit on Postgres. A larger id names nothing, and sending one
# to Postgres is an error ("integer out of range"), so filters, paths and cursors stop here.
MAX_ID = 2**31 - 1

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def not_a_number(value: Any) -> Any:
    """Refuse a bare number where a date belongs: pydantic would read `2024` as 2024 seconds
    after the Unix epoch, so `published_from=2024` would silently mean 1970."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("expected an ISO 8601 date or date-time such as 2024-05-01T09:30:00Z, not a number")
    return value


# A date or date-time in ISO 8601 text (a date alone is its midnight); never a Unix timestamp.
# Converted to UTC here, so that a time whose UTC instant is out of range is a 422 at the edge.
IsoDateTime = Annotated[datetime, BeforeValidator(not_a_number), AfterValidator(as_utc)]


def name_key(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name: "Zelenskiy’s" ~ "zelenskiy s"."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", stripped).strip()


_SKELETON_SUBS = (("kh", "h"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("j", "y"))


def name_skeleton(name: str) -> str:
    """A looser key for finding a name spelt another way: "Zelensky", "Zelenskiy" and "Zelenskyy"
    all become "zlnsk"; "Sergei"/"Sergey" become "srg".

    Each word keeps its first letter and its consonants, with y treated as a vowel,
    common transliteration pairs folded and doubled letters collapsed. It is for
    searching only, never for deciding that two names are one person.
    """
    words = []
    for word in name_key(name).split():
        for old, new in _SKELETON_SUBS:
            word = word.replace(old, new)
        kept = word[0] + "".join(c for c in word[1:] if c not in "aeiouy")
        collapsed = "".join(c for i, c in enumerate(kept) if i == 0 or c != kept[i - 1])
        words.append(collapsed)
    return " ".join(words)


def last_word(key: str) -> str:
    """The last word of a name key or skeleton: what a surname alone is matched against."""
    return key.rsplit(" ", 1)[-1]


def alias_keys(alias: str) -> dict[str, str]:
    """The lookup columns of an alias row: its key, skeleton and their last words."""
    key, skeleton = name_key(alias), name_skeleton(alias)
    return {
        "key": key,
        "skeleton": skeleton,
        "last_key": last_word(key),
        "last_skeleton": last_word(skeleton),
    }
