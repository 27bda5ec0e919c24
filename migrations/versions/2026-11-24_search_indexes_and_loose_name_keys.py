"""Search: full-text indexes on articles and quotes, loose name keys, composite indexes for queries.

Full text is dialect-specific and kept out of the models: on SQLite, external-content
FTS5 tables kept in step by triggers; on Postgres, generated tsvector columns `search`
with GIN indexes. migrations/env.py tells autogenerate to leave both alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 20:42:32.869576
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLES = {"article": ("title", "text"), "quote": ("text",)}


def _skeleton(name: str) -> str:
    # Frozen copy of app.models.common.name_skeleton as of this revision.
    decomposed = unicodedata.normalize("NFKD", name)
    key = re.sub(r"[^\w]+", " ", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())
    words = []
    for word in key.split():
        for old, new in (("kh", "h"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("j", "y")):
            word = word.replace(old, new)
        kept = word[0] + "".join(c for c in word[1:] if c not in "aeiouy")
        words.append("".join(c for i, c in enumerate(kept) if i == 0 or c != kept[i - 1]))
    return " ".join(words)


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index("ix_article_published_at_id", ["published_at", "id"], unique=False)

    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.create_index("ix_mention_country_article", ["country_code", "article_id"], unique=False)
        batch_op.create_index("ix_mention_organisation_article", ["organisation_id", "article_id"], unique=False)
        batch_op.create_index("ix_mention_person_article", ["person_id", "article_id"], unique=False)

    for table in ("person_alias", "organisation_alias"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("skeleton", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        rows = op.get_bind().execute(sa.text(f"SELECT id, alias FROM {table}")).all()
        for row_id, alias in rows:
            op.get_bind().execute(
                sa.text(f"UPDATE {table} SET skeleton = :s WHERE id = :i"), {"s": _skeleton(alias), "i": row_id}
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("skeleton", existing_type=sqlmodel.sql.sqltypes.AutoString(length=300),
                                  nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_skeleton"), ["skeleton"], unique=False)

    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index("ix_position_country_person", ["country_code", "person_id"], unique=False)
        batch_op.create_index("ix_position_organisation_person", ["organisation_id", "person_id"], unique=False)

    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index("ix_quote_speaker_id_id", ["speaker_id", "id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _postgres_search_up()
    else:
        _sqlite_search_up()


def _sqlite_search_up() -> None:
    for table, columns in FTS_TABLES.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_au AFTER UPDATE ON {table} BEGIN "
            f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def _postgres_search_up() -> None:
    op.execute(
        "ALTER TABLE article ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', text), 'B')) STORED"
    )
    op.execute("CREATE INDEX ix_article_search ON article USING gin (search)")
    op.execute(
        "ALTER TABLE quote ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
    )
    op.execute("CREATE INDEX ix_quote_search ON quote USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in FTS_TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search")
    else:
        for table in FTS_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")

    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index("ix_quote_speaker_id_id")

    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index("ix_position_organisation_person")
        batch_op.drop_index("ix_position_country_person")

    for table in ("person_alias", "organisation_alias"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_skeleton"))
            batch_op.drop_column("skeleton")

    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index("ix_mention_person_article")
        batch_op.drop_index("ix_mention_organisation_article")
        batch_op.drop_index("ix_mention_country_article")

    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index("ix_article_published_at_id")
