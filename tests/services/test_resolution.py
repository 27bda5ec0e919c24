"""Cross-article identity: which stored person or organisation an article's entity joins, and why,
on SQLite and Postgres. Every article here is invented."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import Country, Extraction, ExtractorInfo, Mention, Organisation, Person, Position
from app.models import ArticleCreate
from app.services import ingest, offices, reresolution
from app.services.ingest import content_hash, store_article
from tests.services.test_counters import assert_counted

EXTRACTOR = ExtractorInfo(name="test", version="0", model="none")
_counter = iter(range(1_000_000))


def _mentions(*names: str) -> tuple[Mention, ...]:
    return tuple(Mention(start=0, end=len(n), text=n) for n in names)


def post(
    settings: Settings,
    *,
    people: dict[str, Sequence[str]] | None = None,
    orgs: dict[str, Sequence[str]] | None = None,
    countries: Sequence[str] = (),
    positions: Sequence[tuple[str, str, str | None, str | None]] = (),
    former: Sequence[str] = (),
    published_at: str | None = None,
) -> int:
    """Store one invented article with these records; its id."""
    people = people or {}
    orgs = orgs or {}
    body = f"Invented article {next(_counter)}: " + ", ".join([*people, *orgs])
    extraction = Extraction(
        people=tuple(Person(name=n, aliases=tuple(a), mentions=_mentions(n, *a)) for n, a in people.items()),
        organisations=tuple(
            Organisation(name=n, aliases=tuple(a), mentions=_mentions(n, *a)) for n, a in orgs.items()
        ),
        countries=tuple(Country(code=c, name=c, mentions=_mentions(c)) for c in countries),
        positions=tuple(
            Position(person=p, title=t, organisation=o, country=c, former=p in former, start=0, end=1)
            for p, t, o, c in positions
        ),
        extractor=EXTRACTOR,
    )
    from datetime import datetime

    article = ArticleCreate(
        text=body, published_at=datetime.fromisoformat(published_at) if published_at else None
    )
    with session_scope(get_engine(settings), write=True) as session:
        return store_article(
            session=session, article_in=article, digest=content_hash(body), extraction=extraction
        ).article_id


def entity_of(settings: Settings, article_id: int, name: str, kind: str = "person") -> tuple[int, str]:
    """(entity id, reason) of the link an article made for this name."""
    column = "person_id" if kind == "person" else "organisation_id"
    with get_engine(settings).connect() as conn:
        row = conn.execute(
            text(
                f"SELECT {column}, reason FROM entity_link"
                f" WHERE article_id = :a AND name = :n AND {column} IS NOT NULL"
            ),
            {"a": article_id, "n": name},
        ).one()
    return int(row[0]), str(row[1])


def office_rows(engine: Engine) -> list[tuple[Any, ...]]:
    sql = text(
        "SELECT person_id, title, organisation_id, country_code, article_count, present_count, former_count"
        " FROM office ORDER BY person_id, title, organisation_id, country_code"
    )
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sql)]


def assert_summaries_exact(engine: Engine) -> None:
    """Counters and the office summary are what a recount from the records says."""
    assert_counted(engine)
    kept = office_rows(engine)
    with engine.connect() as conn:
        tx = conn.begin()
        offices.rebuild(conn)
        rebuilt = [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT person_id, title, organisation_id, country_code, article_count, present_count,"
                    " former_count FROM office ORDER BY person_id, title, organisation_id, country_code"
                )
            )
        ]
        tx.rollback()
    assert kept == rebuilt


def test_a_surname_alone_joins_the_one_compatible_full_name(settings: Settings) -> None:
    first = post(settings, people={"Maria Kowalczyk": ["Kowalczyk"]}, countries=["PL"])
    second = post(settings, people={"Kowalczyk": []}, countries=["PL"])
    full, reason = entity_of(settings, first, "Maria Kowalczyk")
    assert (full, "surname") == entity_of(settings, second, "Kowalczyk") and reason == "new"


def test_two_people_sharing_a_surname_never_merge_and_the_surname_alone_stays_apart(
    settings: Settings,
) -> None:
    a = post(settings, people={"Bill Clinton": ["Clinton"]})
    b = post(settings, people={"Hillary Clinton": ["Clinton"]})
    c = post(settings, people={"Clinton": []})
    bill, hillary = entity_of(settings, a, "Bill Clinton")[0], entity_of(settings, b, "Hillary Clinton")[0]
    alone = entity_of(settings, c, "Clinton")[0]
    assert len({bill, hillary, alone}) == 3


def test_different_middle_initials_are_different_people(settings: Settings) -> None:
    a = post(settings, people={"George H. W. Bush": ["Bush"]})
    b = post(settings, people={"George W. Bush": ["Bush"]})
    assert entity_of(settings, a, "George H. W. Bush")[0] != entity_of(settings, b, "George W. Bush")[0]


def test_a_surname_with_two_candidates_joins_the_one_sharing_the_office(settings: Settings) -> None:
    a = post(
        settings,
        people={"Anna Lindqvist": ["Lindqvist"]},
        positions=[("Anna Lindqvist", "foreign minister", None, "SE")],
    )
    post(
        settings,
        people={"Erik Lindqvist": ["Lindqvist"]},
        positions=[("Erik Lindqvist", "goalkeeper", None, "NO")],
    )
    c = post(settings, people={"Lindqvist": []}, positions=[("Lindqvist", "foreign minister", None, "SE")])
    assert entity_of(settings, c, "Lindqvist") == (entity_of(settings, a, "Anna Lindqvist")[0], "surname")


def test_a_surname_stored_first_is_joined_when_the_full_name_arrives(settings: Settings) -> None:
    early = post(
        settings,
        people={"Okonjo": []},
        positions=[("Okonjo", "finance minister", None, "NG")],
        published_at="2020-01-01T00:00:00+00:00",
    )
    old_id = entity_of(settings, early, "Okonjo")[0]
    late = post(
        settings,
        people={"Ngozi Okonjo": ["Okonjo"]},
        positions=[("Ngozi Okonjo", "finance minister", None, "NG")],
        published_at="2021-01-01T00:00:00+00:00",
    )
    full = entity_of(settings, late, "Ngozi Okonjo")[0]
    assert entity_of(settings, early, "Okonjo")[0] == full != old_id
    engine = get_engine(settings)
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT new_id FROM entity_redirect WHERE kind = 'person' AND old_id = :o"),
                {"o": old_id},
            ).scalar()
            == full
        )
        assert conn.execute(text("SELECT COUNT(*) FROM person WHERE id = :o"), {"o": old_id}).scalar() == 0
        # one office row for both statements, two articles
        assert (
            conn.execute(text("SELECT article_count FROM office WHERE person_id = :p"), {"p": full}).scalar()
            == 2
        )
    assert_summaries_exact(engine)


def test_a_spelling_variant_joins_through_the_loose_key(settings: Settings) -> None:
    a = post(settings, people={"Volodymyr Zelenskiy": ["Zelenskiy"]}, countries=["UA"])
    b = post(settings, people={"Volodymyr Zelensky": ["Zelensky"]}, countries=["UA"])
    assert entity_of(settings, b, "Volodymyr Zelensky") == (
        entity_of(settings, a, "Volodymyr Zelenskiy")[0],
        "variant",
    )


def test_an_acronym_joins_the_full_name_an_article_paired_it_with(settings: Settings) -> None:
    early = post(settings, orgs={"NRB": []})
    paired = post(settings, orgs={"Nordic Rail Board": ["NRB"]})
    late = post(settings, orgs={"NRB": []})
    full = entity_of(settings, paired, "Nordic Rail Board", "organisation")[0]
    assert entity_of(settings, late, "NRB", "organisation") == (full, "exact") or entity_of(
        settings, late, "NRB", "organisation"
    ) == (full, "acronym")
    assert entity_of(settings, early, "NRB", "organisation")[0] == full
    assert_summaries_exact(get_engine(settings))


def test_company_suffixes_and_word_order_are_variants(settings: Settings) -> None:
    a = post(settings, orgs={"Halvorsen Shipping Company": []})
    b = post(settings, orgs={"Halvorsen Shipping Co.": []})
    c = post(settings, orgs={"Ministry of Fisheries": []}, countries=["NO"])
    d = post(settings, orgs={"Fisheries Ministry": []}, countries=["NO"])
    assert entity_of(settings, b, "Halvorsen Shipping Co.", "organisation") == (
        entity_of(settings, a, "Halvorsen Shipping Company", "organisation")[0],
        "variant",
    )
    assert (
        entity_of(settings, d, "Fisheries Ministry", "organisation")[0]
        == entity_of(settings, c, "Ministry of Fisheries", "organisation")[0]
    )


def test_generic_names_in_different_countries_stay_apart(settings: Settings) -> None:
    hk = post(settings, orgs={"Democratic Party": []}, countries=["HK"])
    us = post(settings, orgs={"Democratic Party": []}, countries=["US"])
    us2 = post(settings, orgs={"Democrats": []}, countries=["US"])
    uk = post(settings, orgs={"Green Party": []}, countries=["GB"])
    usg = post(settings, orgs={"Green Party": []}, countries=["US"])
    hm = post(settings, orgs={"HM Treasury": ["Treasury"]}, countries=["GB"])
    ust = post(settings, orgs={"US Treasury": ["Treasury"]}, countries=["US"])
    ust2 = post(settings, orgs={"Treasury": []}, countries=["US"])
    de = post(settings, orgs={"Supreme Court": []}, countries=["DE"])
    fr = post(settings, orgs={"Supreme Court": []}, countries=["FR"])

    def org(article: int, name: str) -> int:
        return entity_of(settings, article, name, "organisation")[0]

    assert org(hk, "Democratic Party") != org(us, "Democratic Party") == org(us2, "Democrats")
    assert org(uk, "Green Party") != org(usg, "Green Party")
    assert org(hm, "HM Treasury") != org(ust, "US Treasury") == org(ust2, "Treasury")
    assert org(de, "Supreme Court") != org(fr, "Supreme Court")
    # both Democratic parties answer a search by their name
    from app.services import lookup

    with session_scope(get_engine(settings)) as session:
        found = lookup.entity_ids(session=session, kind="organisation", value="Democratic Party")
    assert {org(hk, "Democratic Party"), org(us, "Democratic Party")} <= set(found)


def test_a_subsidiary_named_with_a_country_is_not_its_parent(settings: Settings) -> None:
    parent = post(settings, orgs={"Brandt Motors": ["Brandt"]})
    sub = post(settings, orgs={"Brandt Australia": ["Brandt"]}, countries=["AU"])
    alone = post(settings, orgs={"Brandt": []})
    p = entity_of(settings, parent, "Brandt Motors", "organisation")[0]
    assert entity_of(settings, sub, "Brandt Australia", "organisation")[0] != p
    assert entity_of(settings, alone, "Brandt", "organisation")[0] == p


def test_resolve_archive_joins_what_ingest_left_and_a_second_run_changes_nothing(settings: Settings) -> None:
    engine = get_engine(settings)
    a = post(settings, people={"Ingrid Solberg": ["Solberg"]})
    b = post(settings, people={"Erna Solberg": ["Solberg"]})
    c = post(settings, people={"Solberg": []})
    assert entity_of(settings, c, "Solberg")[0] not in (
        entity_of(settings, a, "Ingrid Solberg")[0],
        entity_of(settings, b, "Erna Solberg")[0],
    )
    with session_scope(engine, write=True) as session:  # the other candidate goes
        assert ingest.delete_article(session=session, article_id=b)
    seen: list[tuple[str, int, int, int]] = []
    first = reresolution.resolve_archive(engine=engine, progress=lambda *p: seen.append(p))
    second = reresolution.resolve_archive(engine=engine)
    assert first["person"] == 1 and second == {"person": 0, "organisation": 0}
    assert entity_of(settings, c, "Solberg")[0] == entity_of(settings, a, "Ingrid Solberg")[0]
    assert seen and seen[-1][1] == seen[-1][2]  # progress reached the end
    assert_summaries_exact(engine)


def test_resolution_beside_concurrent_ingest_keeps_every_summary_exact(settings: Settings) -> None:
    engine = get_engine(settings)
    for i in range(6):
        post(settings, people={f"Surname{i}": []}, positions=[(f"Surname{i}", "mayor", None, "IT")])

    def full(i: int) -> int:
        return post(
            settings,
            people={f"Giulia Surname{i}": [f"Surname{i}"]},
            positions=[(f"Giulia Surname{i}", "mayor", None, "IT")],
        )

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(full, i) for i in range(6)]
        futures.append(pool.submit(reresolution.resolve_archive, engine=engine))
        for f in futures:
            f.result()
    reresolution.resolve_archive(engine=engine)
    with engine.connect() as conn:
        names = sorted(conn.execute(text("SELECT name FROM person")).scalars())
    assert names == [f"Giulia Surname{i}" for i in range(6)]
    assert_summaries_exact(engine)


def test_the_resolve_command_reports_progress_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from app import migrate
    from app.cli import cli
    from app.config import get_settings

    url = f"sqlite:///{tmp_path / 'resolve.db'}"
    settings = Settings(database_url=url, auto_migrate=False)
    migrate.upgrade(settings)
    post(settings, people={"Tomas Berg": ["Berg"]})
    post(settings, people={"Anna Berg": ["Berg"]})
    post(settings, people={"Berg": []})
    with session_scope(get_engine(settings), write=True) as session:
        sql = text("SELECT article_id FROM entity_link WHERE name = 'Anna Berg'")
        row = session.execute(sql).scalar_one()
        ingest.delete_article(session=session, article_id=row)
    monkeypatch.setenv("NEWSMETA_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(cli, ["resolve"])
        second = CliRunner().invoke(cli, ["resolve"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "1 people and 0 organisations joined" in first.output
    assert "person: 2/2 checked" in first.output
    assert "0 people and 0 organisations joined" in second.output
