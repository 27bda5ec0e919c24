"""The BI views the migrations create: readable rows for Metabase or Superset, on both databases."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from app.config import Settings
from app.db import get_engine
from tests.reliability.conftest import SEED_ARTICLES, seed

COLUMNS = {
    "v_quotes": [
        "quote_id", "kind", "quote", "cue", "speaker_id", "speaker_name", "speaker_title",
        "speaker_organisation", "speaker_country", "speaker_country_name", "article_id",
        "article_title", "article_url", "article_source", "published_at", "article_date",
    ],
    "v_mentions": [
        "mention_id", "entity_kind", "entity_name", "person_id", "organisation_id", "country_code",
        "mention_text", "start_offset", "end_offset", "article_id", "article_title", "published_at",
        "article_date",
    ],
    "v_positions": [
        "position_id", "person_id", "person_name", "title", "former", "organisation_id",
        "organisation_name", "country_code", "country_name", "article_id", "article_title",
        "published_at", "article_date",
    ],
    "v_articles": [
        "article_id", "title", "url", "source", "published_at", "stored_at", "article_date", "language",
        "extracted", "extractor_version", "external_id",
    ],
}  # fmt: skip


def _rows(settings: Settings, sql: str) -> list[dict[str, Any]]:
    with get_engine(settings).connect() as conn:
        return [dict(row._mapping) for row in conn.execute(text(sql))]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_every_view_has_its_readable_columns(settings: Settings) -> None:
    for view, columns in COLUMNS.items():
        with get_engine(settings).connect() as conn:
            result = conn.execute(text(f"SELECT * FROM {view} WHERE 1 = 0"))
            assert list(result.keys()) == columns, view


def test_quotes_read_with_speaker_name_country_and_article(settings: Settings) -> None:
    seed(settings)
    rows = _rows(settings, "SELECT * FROM v_quotes WHERE speaker_name = 'Dmitry Peskov'")
    assert rows, _rows(settings, "SELECT * FROM v_quotes")
    for row in rows:
        assert (row["speaker_country"], row["speaker_country_name"]) == ("RU", "Russian Federation")
        assert (row["speaker_title"], row["speaker_organisation"]) == ("spokesperson", "Kremlin")
        assert row["article_title"] == SEED_ARTICLES[0]["title"]
        assert row["article_source"] == "Example News"
        assert _day(row["article_date"]) == date(2024, 5, 1)
    assert "We are ready" in {row["quote"] for row in rows}


def test_positions_and_mentions_name_people_organisations_and_countries(settings: Settings) -> None:
    seed(settings)
    positions = _rows(settings, "SELECT * FROM v_positions")
    peskov = [p for p in positions if p["person_name"] == "Dmitry Peskov"]
    assert [(p["title"], p["organisation_name"], p["country_name"]) for p in peskov] == [
        ("spokesperson", "Kremlin", "Russian Federation")
    ]
    mentions = _rows(settings, "SELECT * FROM v_mentions")
    kinds = {m["entity_kind"] for m in mentions}
    assert kinds == {"person", "organisation", "country"}
    assert all(m["entity_name"] for m in mentions)
    assert ("organisation", "NATO") in {(m["entity_kind"], m["entity_name"]) for m in mentions}
    scholz = [m for m in mentions if m["entity_name"] == "Olaf Scholz"]
    assert scholz and all(_day(m["article_date"]) == date(2024, 6, 2) for m in scholz)


def test_articles_view_dates_undated_articles_by_when_they_were_stored(settings: Settings) -> None:
    seed(settings)
    # Two of the seed articles have no title: a list, not a dict keyed by title.
    rows = _rows(settings, "SELECT * FROM v_articles")
    titled = next(r for r in rows if r["title"] == "Kremlin on talks")
    assert _day(titled["article_date"]) == date(2024, 5, 1)
    undated = [r for r in rows if r["published_at"] is None]
    assert undated
    for row in undated:
        stored = row["stored_at"]
        stored_day = stored.date() if hasattr(stored, "date") else date.fromisoformat(str(stored)[:10])
        assert _day(row["article_date"]) == stored_day
    assert all(r["language"] == "en" and r["extracted"] in (True, 1) for r in rows)
