"""Apply Alembic migrations from code: at server start and for `newsmeta db upgrade`."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.config import Settings
from app.db import get_engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(settings: Settings) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings, revision: str = "head") -> None:
    cfg = alembic_config(settings)
    with get_engine(settings).begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(settings: Settings, revision: str) -> None:
    cfg = alembic_config(settings)
    with get_engine(settings).begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


@functools.cache
def script_heads() -> frozenset[str]:
    """The newest revisions among the migration scripts: read once, as the code does not change
    under a running process (/readyz asks on every probe)."""
    return frozenset(ScriptDirectory(str(ROOT / "migrations")).get_heads())


def is_at_head(settings: Settings) -> bool:
    heads = script_heads()
    with get_engine(settings).connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
