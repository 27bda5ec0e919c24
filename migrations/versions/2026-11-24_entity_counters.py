"""Entity counters: `entity_stats` holds each person's, organisation's and country's all-time counts
(mentions, articles mentioning, quotes spoken, articles referring to it at all) and `holder` each
person holding positions at an organisation or in a country (articles stating it, the person's
quote count), kept in step with the records by ingest, so entity pages read a row or an index
range instead of counting the entity's whole archive.

Both are back-filled from the existing records here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Count descending, ties by person ascending: the order the organisation and country pages read.
HOLDER_INDEXES = {
    "ix_holder_organisation_articles": ["organisation_id", sa.text("articles DESC"), "person_id"],
    "ix_holder_country_articles": ["country_code", sa.text("articles DESC"), "person_id"],
    "ix_holder_organisation_quotes": ["organisation_id", sa.text("quotes DESC"), "person_id"],
    "ix_holder_country_quotes": ["country_code", sa.text("quotes DESC"), "person_id"],
}

# Frozen copy of app.services.counters.rebuild as of this revision.
REFS = {
    "person_id": """
        SELECT person_id AS k, article_id, 1 AS m, 0 AS q FROM mention WHERE person_id IS NOT NULL
        UNION ALL SELECT person_id, article_id, 0, 0 FROM position
        UNION ALL SELECT speaker_id, article_id, 0, 1 FROM quote WHERE speaker_id IS NOT NULL""",
    "organisation_id": """
        SELECT organisation_id AS k, article_id, 1 AS m, 0 AS q FROM mention
            WHERE organisation_id IS NOT NULL
        UNION ALL SELECT organisation_id, article_id, 0, 0 FROM position WHERE organisation_id IS NOT NULL""",
    "country_code": """
        SELECT country_code AS k, article_id, 1 AS m, 0 AS q FROM mention WHERE country_code IS NOT NULL
        UNION ALL SELECT country_code, article_id, 0, 0 FROM position WHERE country_code IS NOT NULL""",
}
BACKFILL_STATS = """
INSERT INTO entity_stats ({column}, mentions, mention_articles, quotes, articles)
SELECT k, SUM(m), COUNT(DISTINCT CASE WHEN m = 1 THEN article_id END), SUM(q), COUNT(DISTINCT article_id)
FROM ({refs}) AS refs GROUP BY k
"""
BACKFILL_HOLDERS = """
INSERT INTO holder (person_id, {column}, articles, quotes)
SELECT p.person_id, p.{column}, COUNT(DISTINCT p.article_id), COALESCE(MAX(e.quotes), 0)
FROM position AS p LEFT JOIN entity_stats AS e ON e.person_id = p.person_id
WHERE p.{column} IS NOT NULL
GROUP BY p.person_id, p.{column}
"""


def upgrade() -> None:
    op.create_table(
        "entity_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("mention_articles", sa.Integer(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN country_code IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_entity_stats_one_entity"),
        ),
        sa.ForeignKeyConstraint(
            ["country_code"], ["country.code"], name=op.f("fk_entity_stats_country_code_country")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_entity_stats_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_entity_stats_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_stats")),
        sa.UniqueConstraint("country_code", name=op.f("uq_entity_stats_country_code")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_entity_stats_organisation_id")),
        sa.UniqueConstraint("person_id", name=op.f("uq_entity_stats_person_id")),
    )
    op.create_table(
        "holder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN country_code IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_holder_one_place"),
        ),
        sa.ForeignKeyConstraint(
            ["country_code"], ["country.code"], name=op.f("fk_holder_country_code_country")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_holder_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_holder_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holder")),
        sa.UniqueConstraint("person_id", "country_code", name=op.f("uq_holder_person_id_country_code")),
        sa.UniqueConstraint("person_id", "organisation_id", name=op.f("uq_holder_person_id_organisation_id")),
    )
    with op.batch_alter_table("holder", schema=None) as batch_op:
        for name, columns in HOLDER_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    for column, refs in REFS.items():
        op.execute(BACKFILL_STATS.format(column=column, refs=refs))
    for column in ("organisation_id", "country_code"):
        op.execute(BACKFILL_HOLDERS.format(column=column))


def downgrade() -> None:
    with op.batch_alter_table("holder", schema=None) as batch_op:
        for name in HOLDER_INDEXES:
            batch_op.drop_index(name)
    op.drop_table("holder")
    op.drop_table("entity_stats")
