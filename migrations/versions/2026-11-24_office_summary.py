"""Office summary: one row per (person, title, organisation, country) with first and last seen and
article count, so /positions and a person's page read a page off an index instead of grouping
every position row. The position index for a person's offices gains `former` and `article_id`,
so the newest articles stating one office are a range of it.

The unique `key` is a text made of the four columns (office_key in app/models/records.py): a
unique index over the nullable organisation and country would let duplicates in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OFFICE_INDEXES = {
    "ix_office_last_seen_id": ["last_seen", "id"],
    "ix_office_person_last_seen": ["person_id", "last_seen", "id"],
    "ix_office_country_last_seen": ["country_code", "last_seen", "id"],
    "ix_office_organisation_last_seen": ["organisation_id", "last_seen", "id"],
}

# Frozen copy of app.models.records.office_key as of this revision, in SQL.
BACKFILL = """
INSERT INTO office (key, person_id, title, organisation_id, country_code, first_seen, last_seen,
    article_count, present_first_seen, present_last_seen, present_count,
    former_first_seen, former_last_seen, former_count)
SELECT CAST(p.person_id AS TEXT) || ':' || COALESCE(CAST(p.organisation_id AS TEXT), '') || ':'
        || COALESCE(p.country_code, '') || ':' || p.title,
    p.person_id, p.title, p.organisation_id, p.country_code,
    MIN(COALESCE(a.published_at, a.created_at)), MAX(COALESCE(a.published_at, a.created_at)),
    COUNT(DISTINCT p.article_id),
    MIN(CASE WHEN p.former THEN NULL ELSE COALESCE(a.published_at, a.created_at) END),
    MAX(CASE WHEN p.former THEN NULL ELSE COALESCE(a.published_at, a.created_at) END),
    COUNT(DISTINCT CASE WHEN p.former THEN NULL ELSE p.article_id END),
    MIN(CASE WHEN p.former THEN COALESCE(a.published_at, a.created_at) END),
    MAX(CASE WHEN p.former THEN COALESCE(a.published_at, a.created_at) END),
    COUNT(DISTINCT CASE WHEN p.former THEN p.article_id END)
FROM position AS p JOIN article AS a ON a.id = p.article_id
GROUP BY p.person_id, p.title, p.organisation_id, p.country_code
"""


def upgrade() -> None:
    op.create_table(
        "office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("present_first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("present_last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("present_count", sa.Integer(), nullable=False),
        sa.Column("former_first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("former_last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("former_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_office_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_office_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["country_code"], ["country.code"], name=op.f("fk_office_country_code_country")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office")),
        sa.UniqueConstraint("key", name=op.f("uq_office_key")),
    )
    with op.batch_alter_table("office", schema=None) as batch_op:
        for name, columns in OFFICE_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    op.execute(BACKFILL)

    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index("ix_position_person_office")
        batch_op.create_index(
            "ix_position_person_office",
            ["person_id", "title", "organisation_id", "country_code", "former", "article_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index("ix_position_person_office")
        batch_op.create_index(
            "ix_position_person_office", ["person_id", "title", "organisation_id", "country_code"], unique=False
        )
    with op.batch_alter_table("office", schema=None) as batch_op:
        for name in OFFICE_INDEXES:
            batch_op.drop_index(name)
    op.drop_table("office")
