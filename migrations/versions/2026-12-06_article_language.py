"""Articles record the language detected in their text and whether anything was extracted from them
(false for a language the pipeline does not cover). Existing articles were all extracted.

Revision ID: 0010_article_language
Revises: 0009
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_article_language"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases, not a batch copy: on SQLite a copied article table would
# lose the full-text triggers beside it. (SQLite drops a column natively since 3.35.)


def upgrade() -> None:
    op.add_column("article", sa.Column("language_detected", sqlmodel.sql.sqltypes.AutoString(length=16)))
    op.add_column("article", sa.Column("extracted", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    op.drop_column("article", "extracted")
    op.drop_column("article", "language_detected")
