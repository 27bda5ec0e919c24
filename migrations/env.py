"""Alembic environment: the URL comes from newsmeta's Settings, the target from app.models."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
from app.config import get_settings
from app.db import get_engine

config = context.config
target_metadata = SQLModel.metadata

# Full-text search is dialect-specific and lives only in the migrations (FTS5 tables
# on SQLite, generated tsvector columns on Postgres): autogenerate must not touch it.
_FTS_TABLE = ("article_fts", "quote_fts")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(_FTS_TABLE))


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    if (
        reflected
        and compare_to is None
        and type_ in ("column", "index")
        and name in ("search", *(f"ix_{t}_search" for t in ("article", "quote")))
    ):
        return False
    return True


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with get_engine(get_settings()).connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch lets ALTERs work on SQLite, which rebuilds tables to change them.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
