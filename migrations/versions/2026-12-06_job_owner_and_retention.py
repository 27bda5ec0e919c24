"""Jobs: the key that made each (only it and admins may read the job), and an index on when a
job finished, for deleting finished jobs and their stored inputs after their retention.

Revision ID: 0010_job_owner_and_retention
Revises: 0010_article_language
Create Date: 2026-12-06 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_job_owner_and_retention"
down_revision: str | None = "0010_article_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("owner_key_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_job_finished_at"), "job", ["finished_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_job_finished_at"), table_name="job")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("owner_key_id")
