"""Surname keys: `last_key` and `last_skeleton` on the alias tables, the last words of `key` and
`skeleton`, indexed, so that a single word ("Peskov", "Zelensky") finds the names ending in it
by an index lookup instead of a LIKE '% word' that reads every name.

Back-filled here from the existing keys.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("person_alias", "organisation_alias")
BATCH = 5000


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("last_key", sa.String(300), nullable=False, server_default=""))
            batch.add_column(sa.Column("last_skeleton", sa.String(300), nullable=False, server_default=""))
        _backfill(table)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("last_key", server_default=None)
            batch.alter_column("last_skeleton", server_default=None)
            batch.create_index(f"ix_{table}_last_key", ["last_key"])
            batch.create_index(f"ix_{table}_last_skeleton", ["last_skeleton"])


def _backfill(table: str) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT id, key, skeleton FROM {table} ORDER BY id")).all()
    update = sa.text(f"UPDATE {table} SET last_key = :key, last_skeleton = :skeleton WHERE id = :id")
    for start in range(0, len(rows), BATCH):
        conn.execute(
            update,
            [
                {"id": id_, "key": key.rsplit(" ", 1)[-1], "skeleton": skeleton.rsplit(" ", 1)[-1]}
                for id_, key, skeleton in rows[start : start + BATCH]
            ],
        )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_last_skeleton")
            batch.drop_index(f"ix_{table}_last_key")
            batch.drop_column("last_skeleton")
            batch.drop_column("last_key")
