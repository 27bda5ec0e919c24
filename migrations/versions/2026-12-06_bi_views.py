"""Views for BI tools (Metabase, Superset, a notebook's SQL): quotes, mentions, positions and articles
with readable columns (speaker name and country, article title and date, organisation name), so an
analyst pointed at the database needs no joins over the normalised tables. Read-only, on both
databases; see docs/bi.md.

`article_date` is the day (UTC) of the article's publication time, or of when it was stored when
it has none, the time every /stats aggregate counts by.

Revision ID: 0010_bi_views
Revises: 0010_entity_resolution
Create Date: 2026-12-06 12:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_bi_views"
down_revision: str | None = "0010_entity_resolution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = ("v_quotes", "v_mentions", "v_positions", "v_articles")


def _sql(dialect: str) -> dict[str, str]:
    when = "COALESCE(a.published_at, a.created_at)"
    day = f"CAST(({when} AT TIME ZONE 'UTC') AS DATE)" if dialect == "postgresql" else f"date({when})"
    # A speaker's role in the quote's own article (the first position stated there), and their
    # country: that position's, else the country they hold positions in that most articles state.
    stated = 'FROM "position" AS sp WHERE sp.article_id = q.article_id AND sp.person_id = q.speaker_id'
    speaker_country = (
        f"COALESCE((SELECT MIN(sp.country_code) {stated} AND sp.country_code IS NOT NULL), "
        "(SELECT h.country_code FROM holder AS h WHERE h.person_id = q.speaker_id "
        "AND h.country_code IS NOT NULL ORDER BY h.articles DESC, h.country_code LIMIT 1))"
    )
    return {
        "v_articles": f"""
SELECT a.id AS article_id, a.title, a.url, a.source, a.published_at, a.created_at AS stored_at,
    {day} AS article_date, a.language, a.extracted, a.extractor_version, a.external_id
FROM article AS a""",
        "v_quotes": f"""
SELECT q.id AS quote_id, q.kind, q.text AS quote, q.cue,
    q.speaker_id, s.name AS speaker_name,
    (SELECT sp.title {stated} ORDER BY sp.start LIMIT 1) AS speaker_title,
    (SELECT o.name {stated.replace('WHERE', 'JOIN organisation AS o ON o.id = sp.organisation_id WHERE')}
        ORDER BY sp.start LIMIT 1) AS speaker_organisation,
    sc.code AS speaker_country, sc.name AS speaker_country_name,
    q.article_id, a.title AS article_title, a.url AS article_url, a.source AS article_source,
    a.published_at, {day} AS article_date
FROM quote AS q
JOIN article AS a ON a.id = q.article_id
LEFT JOIN person AS s ON s.id = q.speaker_id
LEFT JOIN country AS sc ON sc.code = {speaker_country}""",
        "v_mentions": f"""
SELECT m.id AS mention_id,
    CASE WHEN m.person_id IS NOT NULL THEN 'person'
         WHEN m.organisation_id IS NOT NULL THEN 'organisation' ELSE 'country' END AS entity_kind,
    COALESCE(p.name, o.name, c.name) AS entity_name,
    m.person_id, m.organisation_id, m.country_code,
    m.text AS mention_text, m.start AS start_offset, m."end" AS end_offset,
    m.article_id, a.title AS article_title, a.published_at, {day} AS article_date
FROM mention AS m
JOIN article AS a ON a.id = m.article_id
LEFT JOIN person AS p ON p.id = m.person_id
LEFT JOIN organisation AS o ON o.id = m.organisation_id
LEFT JOIN country AS c ON c.code = m.country_code""",
        "v_positions": f"""
SELECT ps.id AS position_id, ps.person_id, p.name AS person_name, ps.title, ps.former,
    ps.organisation_id, o.name AS organisation_name, ps.country_code, c.name AS country_name,
    ps.article_id, a.title AS article_title, a.published_at, {day} AS article_date
FROM "position" AS ps
JOIN article AS a ON a.id = ps.article_id
JOIN person AS p ON p.id = ps.person_id
LEFT JOIN organisation AS o ON o.id = ps.organisation_id
LEFT JOIN country AS c ON c.code = ps.country_code""",
    }


def upgrade() -> None:
    for name, select in _sql(op.get_bind().dialect.name).items():
        op.execute(f"CREATE VIEW {name} AS {select}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
