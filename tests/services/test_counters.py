"""The entity counters (entity_stats, holder) stay what a from-scratch recount of the records says:
through ingest, a duplicate, delete, re-extraction, orphan removal, writers racing, the
migration's back-fill and a rebuild, on SQLite and Postgres."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app import migrate
from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import Extraction
from app.extraction.records import Mention as MentionRecord
from app.extraction.records import Person as PersonRecord
from app.extraction.records import Position as PositionRecord
from app.extraction.records import Quote as QuoteRecord
from app.services import counters, ingest
from tests.api.test_queries import EXTRACTOR, store
from tests.conftest import fresh_postgres_database

# What a page would count if it counted: every entity any record refers to, written straight
# against the records (one correlated count per figure), independent of the service's SQL.
RECOUNT_ENTITIES = {
    "person": """
        SELECT 'person', CAST(e.id AS TEXT),
            (SELECT COUNT(*) FROM mention WHERE person_id = e.id),
            (SELECT COUNT(DISTINCT article_id) FROM mention WHERE person_id = e.id),
            (SELECT COUNT(*) FROM quote WHERE speaker_id = e.id),
            (SELECT COUNT(*) FROM (
                SELECT article_id FROM mention WHERE person_id = e.id
                UNION SELECT article_id FROM position WHERE person_id = e.id
                UNION SELECT article_id FROM quote WHERE speaker_id = e.id) AS t)
        FROM person AS e""",
    "organisation": """
        SELECT 'organisation', CAST(e.id AS TEXT),
            (SELECT COUNT(*) FROM mention WHERE organisation_id = e.id),
            (SELECT COUNT(DISTINCT article_id) FROM mention WHERE organisation_id = e.id),
            0,
            (SELECT COUNT(*) FROM (
                SELECT article_id FROM mention WHERE organisation_id = e.id
                UNION SELECT article_id FROM position WHERE organisation_id = e.id) AS t)
        FROM organisation AS e""",
    "country": """
        SELECT 'country', e.code,
            (SELECT COUNT(*) FROM mention WHERE country_code = e.code),
            (SELECT COUNT(DISTINCT article_id) FROM mention WHERE country_code = e.code),
            0,
            (SELECT COUNT(*) FROM (
                SELECT article_id FROM mention WHERE country_code = e.code
                UNION SELECT article_id FROM position WHERE country_code = e.code) AS t)
        FROM country AS e""",
}
RECOUNT_HOLDERS = """
    SELECT p.person_id, 'organisation', CAST(p.organisation_id AS TEXT), COUNT(DISTINCT p.article_id),
        (SELECT COUNT(*) FROM quote WHERE speaker_id = p.person_id)
    FROM position AS p WHERE p.organisation_id IS NOT NULL GROUP BY p.person_id, p.organisation_id
    UNION ALL
    SELECT p.person_id, 'country', p.country_code, COUNT(DISTINCT p.article_id),
        (SELECT COUNT(*) FROM quote WHERE speaker_id = p.person_id)
    FROM position AS p WHERE p.country_code IS NOT NULL GROUP BY p.person_id, p.country_code
"""
STORED_ENTITIES = """
    SELECT CASE WHEN person_id IS NOT NULL THEN 'person'
                WHEN organisation_id IS NOT NULL THEN 'organisation' ELSE 'country' END,
        COALESCE(CAST(person_id AS TEXT), CAST(organisation_id AS TEXT), country_code),
        mentions, mention_articles, quotes, articles
    FROM entity_stats
"""
STORED_HOLDERS = """
    SELECT person_id, CASE WHEN organisation_id IS NOT NULL THEN 'organisation' ELSE 'country' END,
        COALESCE(CAST(organisation_id AS TEXT), country_code), articles, quotes
    FROM holder
"""

Entities = dict[tuple[str, str], tuple[int, int, int, int]]
Holders = dict[tuple[int, str, str], tuple[int, int]]


def recount(engine: Engine) -> tuple[Entities, Holders]:
    with engine.connect() as conn:
        entities = {
            (kind, key): (int(m), int(ma), int(q), int(a))
            for sql in RECOUNT_ENTITIES.values()
            for kind, key, m, ma, q, a in conn.execute(text(sql))
            if a > 0
        }
        holders = {
            (int(pid), kind, key): (int(a), int(q))
            for pid, kind, key, a, q in conn.execute(text(RECOUNT_HOLDERS))
        }
    return entities, holders


def stored(engine: Engine) -> tuple[Entities, Holders]:
    with engine.connect() as conn:
        entities = {
            (kind, key): (int(m), int(ma), int(q), int(a))
            for kind, key, m, ma, q, a in conn.execute(text(STORED_ENTITIES))
        }
        holders = {
            (int(pid), kind, key): (int(a), int(q))
            for pid, kind, key, a, q in conn.execute(text(STORED_HOLDERS))
        }
    return entities, holders


def assert_counted(engine: Engine) -> tuple[Entities, Holders]:
    """The counters equal the recount, and there is something to compare."""
    counted = stored(engine)
    assert counted == recount(engine)
    assert counted[0], "no counters at all: nothing was compared"
    return counted


def ids(engine: Engine, table: str, names: list[str]) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT name, id FROM {table}")).all()
    found = {name: int(i) for name, i in rows}
    return {n: found[n] for n in names}


def _kremlin(settings: Settings, text_: str, published_at: str, **kwargs: Any) -> int:
    return store(
        settings,
        text_,
        published_at=published_at,
        people={"Dmitry Peskov": ("Peskov",), "Vladimir Putin": ("Putin",)},
        organisations=("Kremlin",),
        countries=(("RU", "Russia"),),
        positions=(
            ("Dmitry Peskov", "spokesperson", "Kremlin", "RU"),
            ("Vladimir Putin", "president", "Kremlin", "RU"),
        ),
        quotes=(("Dmitry Peskov", "direct", "We are ready."), ("Dmitry Peskov", "indirect", "talks go on")),
        **kwargs,
    )


def _corpus(settings: Settings) -> dict[str, int]:
    """Five articles: people mentioned twice in one text, two offices at one organisation stated in
    one article, quotes with and without a speaker, a person only quoted, one only in one article."""
    return {
        "kremlin1": _kremlin(
            settings, "Peskov of Russia and Putin. We are ready. talks go on.", "2024-01-01T00:00:00+00:00"
        ),
        "kremlin2": _kremlin(
            settings, "Putin of Russia, Peskov again. We are ready. talks go on", "2024-02-01T00:00:00+00:00"
        ),
        "lavrov": store(
            settings,
            "Russian Foreign Minister Sergey Lavrov, also Kremlin envoy, said sanctions would fail. "
            "Lavrov left.",
            published_at="2024-03-01T00:00:00+00:00",
            people={"Sergey Lavrov": ("Lavrov",)},
            organisations=("Kremlin",),
            countries=(("RU", "Russian"),),
            positions=(
                ("Sergey Lavrov", "foreign minister", None, "RU"),
                ("Sergey Lavrov", "envoy", "Kremlin", "RU"),
                ("Sergey Lavrov", "foreign minister", None, "RU"),
            ),
            quotes=(("Sergey Lavrov", "indirect", "sanctions would fail"), (None, "direct", "Lavrov left.")),
        ),
        "blinken": store(
            settings,
            "US Secretary of State Antony Blinken met Putin's envoy. Blinken said: Support will continue.",
            published_at="2024-04-01T00:00:00+00:00",
            people={"Antony Blinken": ("Blinken",), "Vladimir Putin": ("Putin",)},
            organisations=("State Department",),
            countries=(("US", "US"),),
            positions=(("Antony Blinken", "secretary of state", "State Department", "US"),),
            quotes=(("Antony Blinken", "direct", "Support will continue."),),
        ),
        "only": store(
            settings,
            "Acme Corp chief executive Jane Roe said profits rose in Ukraine.",
            published_at="2024-05-01T00:00:00+00:00",
            people={"Jane Roe": ()},
            organisations=("Acme Corp",),
            countries=(("UA", "Ukraine"),),
            positions=(("Jane Roe", "chief executive", "Acme Corp", "UA"),),
            quotes=(("Jane Roe", "indirect", "profits rose in Ukraine"),),
        ),
    }


def test_ingest_counts_every_entity_and_a_duplicate_changes_nothing(settings: Settings) -> None:
    engine = get_engine(settings)
    articles = _corpus(settings)
    entities, holders = assert_counted(engine)
    people = ids(engine, "person", ["Dmitry Peskov", "Vladimir Putin", "Sergey Lavrov"])
    kremlin = ids(engine, "organisation", ["Kremlin"])["Kremlin"]
    # Peskov: 2 mentions ("Peskov") in each of 2 articles, 2 quotes in each.
    assert entities[("person", str(people["Dmitry Peskov"]))] == (2, 2, 4, 2)
    assert entities[("organisation", str(kremlin))][1] == 3  # mentioned in three articles
    # Lavrov's two Kremlin-and-Russia statements are one article each.
    assert holders[(people["Sergey Lavrov"], "country", "RU")] == (1, 1)
    assert holders[(people["Sergey Lavrov"], "organisation", str(kremlin))] == (1, 1)
    assert holders[(people["Dmitry Peskov"], "organisation", str(kremlin))] == (2, 4)
    assert (
        _kremlin(
            settings, "Peskov of Russia and Putin. We are ready. talks go on.", "2024-01-01T00:00:00+00:00"
        )
        == articles["kremlin1"]
    )
    assert stored(engine) == (entities, holders)


def test_delete_and_orphans_take_their_counts_out(settings: Settings) -> None:
    engine = get_engine(settings)
    articles = _corpus(settings)
    roe = ids(engine, "person", ["Jane Roe"])["Jane Roe"]
    acme = ids(engine, "organisation", ["Acme Corp"])["Acme Corp"]
    for name in ("kremlin1", "only", "blinken"):
        with session_scope(engine, write=True) as session:
            assert ingest.delete_article(session=session, article_id=articles[name])
        entities, holders = assert_counted(engine)
    # Jane Roe and Acme Corp were only in "only": they are gone, and so are their counters; the UA
    # counters went when nothing referred to Ukraine any more.
    assert ("person", str(roe)) not in entities and ("organisation", str(acme)) not in entities
    assert ("country", "UA") not in entities and ("country", "US") not in entities
    assert not [k for k in holders if k[0] == roe]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM person WHERE id = :p"), {"p": roe}).scalar_one() == 0
    for name in ("kremlin2", "lavrov"):
        with session_scope(engine, write=True) as session:
            assert ingest.delete_article(session=session, article_id=articles[name])
    assert stored(engine) == recount(engine) == ({}, {})


def test_reextraction_moves_the_counts(settings: Settings) -> None:
    engine = get_engine(settings)
    articles = _corpus(settings)
    # The article now reads as Jane Roe (named twice), Globex chair in Kenya, quoted twice.
    corrected = Extraction(
        people=(
            PersonRecord(
                name="Jane Roe",
                aliases=("Roe",),
                mentions=(
                    MentionRecord(start=0, end=8, text="Jane Roe"),
                    MentionRecord(start=45, end=48, text="Roe"),
                ),
            ),
        ),
        positions=(
            PositionRecord(
                person="Jane Roe", title="chair", organisation="Globex", country="KE", start=0, end=30
            ),
        ),
        quotes=(
            QuoteRecord(speaker="Jane Roe", kind="direct", text="one", start=0, end=3),
            QuoteRecord(speaker="Jane Roe", kind="direct", text="two", start=4, end=7),
        ),
        extractor=EXTRACTOR,
    )
    acme = ids(engine, "organisation", ["Acme Corp"])["Acme Corp"]
    with session_scope(engine, write=True) as session:
        assert ingest.reextract_article(session=session, article_id=articles["only"], extraction=corrected)
    entities, holders = assert_counted(engine)
    roe = ids(engine, "person", ["Jane Roe"])["Jane Roe"]
    globex = ids(engine, "organisation", ["Globex"])["Globex"]
    assert entities[("person", str(roe))] == (2, 1, 2, 1)
    assert ("organisation", str(acme)) not in entities  # Acme Corp is an orphan now, and deleted
    assert ("country", "UA") not in entities
    assert holders[(roe, "organisation", str(globex))] == holders[(roe, "country", "KE")] == (1, 2)
    # And back: re-extracting Kremlin articles with nothing in them empties Peskov's quotes.
    empty = Extraction(extractor=EXTRACTOR)
    with session_scope(engine, write=True) as session:
        assert ingest.reextract_article(session=session, article_id=articles["kremlin1"], extraction=empty)
    entities, holders = assert_counted(engine)
    peskov = ids(engine, "person", ["Dmitry Peskov"])["Dmitry Peskov"]
    assert entities[("person", str(peskov))][2] == 2


def test_writers_racing_on_the_same_entities_all_count(settings: Settings) -> None:
    engine = get_engine(settings)

    def post(i: int) -> int:
        return _kremlin(
            settings, f"Peskov of Russia and Putin, number {i}.", f"20{10 + i % 15}-06-01T00:00:00+00:00"
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        posted = list(pool.map(post, range(40)))
    entities, _ = assert_counted(engine)
    assert entities[("country", "RU")][1] == 40

    def delete_or_post(i: int) -> None:
        if i % 2:
            with session_scope(engine, write=True) as session:
                ingest.delete_article(session=session, article_id=posted[i])
        else:
            post(100 + i)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(delete_or_post, range(40)))
    entities, holders = assert_counted(engine)
    assert entities[("country", "RU")][1] == 40
    peskov = ids(engine, "person", ["Dmitry Peskov"])["Dmitry Peskov"]
    assert holders[(peskov, "country", "RU")] == (40, 80)


def test_rebuild_gives_the_maintained_counters(settings: Settings) -> None:
    engine = get_engine(settings)
    _corpus(settings)
    maintained = assert_counted(engine)
    with engine.begin() as conn:
        counters.rebuild(conn)
    assert stored(engine) == maintained


@pytest.fixture(params=["sqlite", "postgres"])
def empty_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """An empty database of each kind, for this test alone (it migrates down and up)."""
    if request.param == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", auto_migrate=False)
        return
    with fresh_postgres_database() as url:
        yield Settings(database_url=url, auto_migrate=False)


def test_the_migration_back_fills_the_counters(empty_settings: Settings) -> None:
    migrate.upgrade(empty_settings)
    engine = get_engine(empty_settings)
    _corpus(empty_settings)
    maintained = assert_counted(engine)
    migrate.downgrade(empty_settings, "0006")
    migrate.upgrade(empty_settings)
    assert stored(engine) == maintained


def test_pages_show_the_counters(client: TestClient, settings: Settings) -> None:
    engine = get_engine(settings)
    _corpus(settings)
    entities, holders = assert_counted(engine)
    people = ids(engine, "person", ["Dmitry Peskov", "Vladimir Putin", "Sergey Lavrov", "Antony Blinken"])
    kremlin = ids(engine, "organisation", ["Kremlin"])["Kremlin"]

    peskov = client.get(f"/people/{people['Dmitry Peskov']}").json()
    mentions, _, quotes, articles = entities[("person", str(people["Dmitry Peskov"]))]
    assert (peskov["mention_count"], peskov["quote_count"], peskov["article_count"]) == (
        mentions,
        quotes,
        articles,
    )

    org = client.get(f"/organisations/{kremlin}").json()
    assert org["article_count"] == entities[("organisation", str(kremlin))][1] == 3
    # Most articles first, ties by id; Lavrov is one article at the Kremlin.
    assert [(p["id"], p["titles"], p["articles"]) for p in org["people"]] == sorted(
        [
            (people["Dmitry Peskov"], ["spokesperson"], 2),
            (people["Vladimir Putin"], ["president"], 2),
            (people["Sergey Lavrov"], ["envoy"], 1),
        ],
        key=lambda p: (-p[2], p[0]),
    )
    assert [(s["id"], s["quotes"]) for s in org["top_speakers"]] == [
        (people["Dmitry Peskov"], 4),
        (people["Sergey Lavrov"], 1),
    ]  # Putin holds office there but is never quoted

    russia = client.get("/countries/RU").json()
    assert russia["article_count"] == entities[("country", "RU")][1] == 3
    lavrov = next(p for p in russia["people"] if p["id"] == people["Sergey Lavrov"])
    # Two offices in Russia stated in one article (foreign minister twice, envoy once): one article,
    # and the titles in the order of the articles stating them, ties alphabetically.
    assert (lavrov["titles"], lavrov["articles"]) == (["envoy", "foreign minister"], 1)
    assert holders[(people["Sergey Lavrov"], "country", "RU")] == (1, 1)
    us = client.get("/countries/US").json()
    assert [(s["id"], s["quotes"]) for s in us["top_speakers"]] == [(people["Antony Blinken"], 1)]
