"""Query indexes: what the query endpoints (/quotes, /people, /positions, ...) read from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(
            "ix_position_person_office", ["person_id", "title", "organisation_id", "country_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index("ix_position_person_office")
