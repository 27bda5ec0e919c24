"""Entity resolution: why each article's entity joined its canonical row (`entity_link`), merged-away
ids and the record of merges (`entity_redirect`), curated name decisions (`entity_pin`), a loose
`resolve_key` on the alias tables and a `first_key` on person_alias, and a curated `external_id` (Wikidata QID) on people and
organisations. Only additions: no existing column changes.

`resolve_key` and `first_key` are back-filled by `newsmeta resolve` (it depends on Python normalisation rules);
until then it is empty and resolution falls back on the exact keys.

Revision ID: 0010_entity_resolution
Revises: 0010_job_owner_and_retention
Create Date: 2026-12-06 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_entity_resolution"
down_revision: str | None = "0010_job_owner_and_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALIASES = ("person_alias", "organisation_alias")
ENTITIES = ("person", "organisation")


def upgrade() -> None:
    for table in ALIASES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("resolve_key", sa.String(300), nullable=False, server_default=""))
            batch.create_index(f"ix_{table}_resolve_key", ["resolve_key"])
    with op.batch_alter_table("person_alias") as batch:
        batch.add_column(sa.Column("first_key", sa.String(300), nullable=False, server_default=""))
        batch.create_index("ix_person_alias_first_key", ["first_key"])
    for table in ENTITIES:
        # Plain ALTER TABLE, not a batch copy: other tables' foreign keys refer to these.
        op.add_column(table, sa.Column("external_id", sa.String(100), nullable=True))
    op.create_table(
        "entity_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_entity_link_one_entity"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_entity_link_article_id_article"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_entity_link_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_entity_link_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_link")),
    )
    op.create_index(op.f("ix_entity_link_article_id"), "entity_link", ["article_id"])
    op.create_index(op.f("ix_entity_link_person_id"), "entity_link", ["person_id"])
    op.create_index(op.f("ix_entity_link_organisation_id"), "entity_link", ["organisation_id"])
    op.create_table(
        "entity_redirect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("new_id", sa.Integer(), nullable=False),
        sa.Column("old_name", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_redirect")),
        sa.UniqueConstraint("kind", "old_id", name=op.f("uq_entity_redirect_kind_old_id")),
    )
    op.create_index("ix_entity_redirect_new", "entity_redirect", ["kind", "new_id"])
    op.create_table(
        "entity_pin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_pin")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_entity_pin_kind_key")),
    )
    op.create_index(op.f("ix_entity_pin_entity_id"), "entity_pin", ["entity_id"])
    op.create_index(
        "ix_office_title_country_first_held", "office", ["title", "country_code", "present_first_seen"]
    )
    op.create_index(
        "ix_office_title_organisation_first_held",
        "office",
        ["title", "organisation_id", "present_first_seen"],
    )
    _canonical_office_titles()


def _canonical_office_titles() -> None:
    """Regroup the office summary by canonical title ("spokesman" and "spokesperson" are one office).

    Uses the service's rebuild and synonyms file rather than a frozen copy: the grouping is by
    a data file, not SQL, and a later edit of that file is applied by `newsmeta resolve`."""
    from app.services.offices import canonical_title, rebuild

    conn = op.get_bind()
    titles = conn.execute(sa.text("SELECT DISTINCT title FROM office")).scalars()
    if any(canonical_title(t) != t for t in titles):
        rebuild(conn)


def downgrade() -> None:
    op.drop_index("ix_office_title_organisation_first_held", table_name="office")
    op.drop_index("ix_office_title_country_first_held", table_name="office")
    op.drop_index(op.f("ix_entity_pin_entity_id"), table_name="entity_pin")
    op.drop_table("entity_pin")
    op.drop_index("ix_entity_redirect_new", table_name="entity_redirect")
    op.drop_table("entity_redirect")
    op.drop_index(op.f("ix_entity_link_organisation_id"), table_name="entity_link")
    op.drop_index(op.f("ix_entity_link_person_id"), table_name="entity_link")
    op.drop_index(op.f("ix_entity_link_article_id"), table_name="entity_link")
    op.drop_table("entity_link")
    for table in ENTITIES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN external_id")  # SQLite 3.35+ and Postgres
    with op.batch_alter_table("person_alias") as batch:
        batch.drop_index("ix_person_alias_first_key")
        batch.drop_column("first_key")
    for table in ALIASES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_resolve_key")
            batch.drop_column("resolve_key")
