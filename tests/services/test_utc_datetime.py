"""Timestamps that lists read straight from rows (`utc_column`) come back aware, in UTC, on SQLite
whatever form the stored text has."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, create_engine, insert, select, text

from app.models.common import UtcDateTime, utc_column


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2020-03-05 12:34:56.123456", datetime(2020, 3, 5, 12, 34, 56, 123456, tzinfo=UTC)),
        ("2020-03-05 12:34:56", datetime(2020, 3, 5, 12, 34, 56, tzinfo=UTC)),
        ("2020-03-05T12:34:56", datetime(2020, 3, 5, 12, 34, 56, tzinfo=UTC)),
        # Text with an offset of its own (not written by SQLAlchemy) is converted, not relabelled.
        ("2020-03-05 12:34:56+02:00", datetime(2020, 3, 5, 10, 34, 56, tzinfo=UTC)),
        (None, None),
    ],
)
def test_sqlite_text_is_read_back_as_an_aware_utc_datetime(
    tmp_path: Path, stored: str | None, expected: datetime | None
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'times.db'}")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("at", DateTime(True)))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (id, at) VALUES (1, :at)"), {"at": stored})
        found = conn.execute(select(utc_column(table.c.at))).scalar_one()
    assert found == expected
    assert found is None or found.utcoffset() is not None and found.tzinfo == UTC


def test_a_datetime_written_through_sqlalchemy_comes_back_the_same_instant(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'times.db'}")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("at", UtcDateTime()))
    table.metadata.create_all(engine)
    moment = datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, at=moment))
        assert conn.execute(select(table.c.at)).scalar_one() == moment


@pytest.mark.parametrize("stored", [1700000000, 2460000.5])
def test_a_value_that_is_not_text_fails_as_sqlalchemy_itself_fails(tmp_path: Path, stored: float) -> None:
    """A number written into the column by another program is no timestamp SQLAlchemy can read;
    the fast path must not turn that into an error of its own ('unsupported operand')."""
    engine = create_engine(f"sqlite:///{tmp_path / 'times.db'}")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("at", DateTime(True)))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (id, at) VALUES (1, :at)"), {"at": stored})
        with pytest.raises(TypeError) as plain:
            conn.execute(select(table.c.at)).scalar_one()
        with pytest.raises(TypeError) as fast:
            conn.execute(select(utc_column(table.c.at))).scalar_one()
    assert str(fast.value) == str(plain.value)
