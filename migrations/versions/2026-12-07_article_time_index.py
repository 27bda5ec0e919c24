"""An index of each article's id with its times (published_at, created_at), for the aggregates
that join records to their articles to bucket or bound them by time.

A timeline of a much-mentioned person over a year joins 14,000 mentions to their articles at
100k articles: SQLite looked each up in the table (rows that carry the text), Postgres read
every article of the window from the heap (6,400 blocks) to hash them. This index answers both
from itself, a few hundred pages (SQLite by rowid probes of it; Postgres by an index-only range
scan once the article id is bounded by the window's id range, as app/services/stats.py does).

Revision ID: 0011_article_times
Revises: 0010_bi_views
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_article_times"
down_revision: str | None = "0010_bi_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_article_id_times", "article", ["id", "published_at", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_article_id_times", table_name="article")
