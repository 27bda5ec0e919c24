"""A merged-away id keeps working in every filter that takes an id, as it does on the entity's
page: a dashboard's saved `/quotes?speaker=OLD` finds the merged person's quotes. SQLite and
Postgres; every article here is invented."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import Extraction, Mention, Organisation, Person, Position, Quote
from app.models import ArticleCreate
from app.services.ingest import content_hash, store_article
from tests.services.test_resolution import EXTRACTOR, entity_of

_counter = iter(range(1_000_000))


def _post(settings: Settings, *, person: str, organisation: str, published_at: str) -> int:
    """One invented article: a mayor of an organisation, quoted once; its id."""
    body = f"Invented redirect article {next(_counter)}: {person} of {organisation} spoke."
    extraction = Extraction(
        people=(Person(name=person, mentions=(Mention(start=0, end=len(person), text=person),)),),
        organisations=(
            Organisation(
                name=organisation, mentions=(Mention(start=0, end=len(organisation), text=organisation),)
            ),
        ),
        countries=(),
        positions=(
            Position(person=person, title="mayor", organisation=organisation, country="NL", start=0, end=1),
        ),
        quotes=(
            Quote(speaker=person, kind="direct", text=f"The harbour will reopen ({body}).", start=0, end=1),
        ),
        extractor=EXTRACTOR,
    )
    article = ArticleCreate(text=body, published_at=datetime.fromisoformat(published_at))
    with session_scope(get_engine(settings), write=True) as session:
        return store_article(
            session=session, article_in=article, digest=content_hash(body), extraction=extraction
        ).article_id


@pytest.fixture
def merged(client: TestClient, settings: Settings) -> dict[str, Any]:
    """Two people and two organisations the rules kept apart, then merged by a curator."""
    a = _post(
        settings, person="Griet Zwanenburg", organisation="Havenraad Delfzijl", published_at="2021-03-01"
    )
    b = _post(
        settings,
        person="Margaretha Zwanenburg-Kok",
        organisation="Delfzijl Port Board",
        published_at="2023-05-01",
    )
    person, old_person = (
        entity_of(settings, a, "Griet Zwanenburg")[0],
        entity_of(settings, b, "Margaretha Zwanenburg-Kok")[0],
    )
    org = entity_of(settings, a, "Havenraad Delfzijl", "organisation")[0]
    old_org = entity_of(settings, b, "Delfzijl Port Board", "organisation")[0]
    assert person != old_person and org != old_org
    assert client.post(f"/people/{person}/merge", json={"id": old_person}).status_code == 200
    assert client.post(f"/organisations/{org}/merge", json={"id": old_org}).status_code == 200
    return {"articles": {a, b}, "person": person, "old_person": old_person, "org": org, "old_org": old_org}


# Every filter that takes a person's or an organisation's id: (path, parameter, kind, what to compare).
ID_FILTERS = [
    ("/articles", "person", "person", "items"),
    ("/articles", "organisation", "organisation", "items"),
    ("/quotes", "speaker", "person", "items"),
    ("/quotes", "speaker_organisation", "organisation", "items"),
    ("/positions", "person", "person", "items"),
    ("/positions", "organisation", "organisation", "items"),
    ("/people", "name", "person", "items"),
    ("/people", "organisation", "organisation", "items"),
    ("/organisations", "name", "organisation", "items"),
    ("/organisations", "person", "person", "items"),
    ("/stats/timeline", "person", "person", "points"),
    ("/stats/timeline", "organisation", "organisation", "points"),
    ("/stats/timeline", "speaker", "person", "points"),
    ("/stats/top", "person", "person", "items"),
    ("/stats/top", "organisation", "organisation", "items"),
    ("/stats/cooccurrence", "person", "person", "edges"),
]


@pytest.mark.parametrize(("path", "param", "kind", "field"), ID_FILTERS)
def test_a_filter_on_a_merged_away_id_finds_what_the_surviving_id_finds(
    client: TestClient, merged: dict[str, Any], path: str, param: str, kind: str, field: str
) -> None:
    old, new = (
        (merged["old_person"], merged["person"]) if kind == "person" else (merged["old_org"], merged["org"])
    )
    extra = {"interval": "month", "published_from": "2021-01-01", "published_to": "2023-12-31"}
    params = extra if path == "/stats/timeline" else {}
    by_new = client.get(path, params={**params, param: str(new)})
    by_old = client.get(path, params={**params, param: str(old)})
    assert by_new.status_code == by_old.status_code == 200, by_old.text
    assert by_old.json()[field] == by_new.json()[field]
    assert by_new.json()[field], f"{path}?{param}={new} found nothing to compare"


def test_filters_by_a_merged_away_id_see_both_articles(client: TestClient, merged: dict[str, Any]) -> None:
    old_person, old_org = str(merged["old_person"]), str(merged["old_org"])
    for sort in ("id", "published"):
        articles = client.get("/articles", params={"person": old_person, "sort": sort}).json()["items"]
        assert {a["id"] for a in articles} == merged["articles"]
        quotes = client.get("/quotes", params={"speaker": old_person, "sort": sort}).json()["items"]
        assert {q["article"]["id"] for q in quotes} == merged["articles"]
    by_org = client.get("/articles", params={"organisation": old_org}).json()["items"]
    assert {a["id"] for a in by_org} == merged["articles"]
    [office] = client.get("/positions", params={"person": old_person}).json()["items"]
    assert office["article_count"] == 2
    [person] = client.get("/people", params={"name": old_person}).json()["items"]
    assert person["id"] == merged["person"]


def test_an_id_merged_twice_follows_to_the_last_survivor(
    client: TestClient, settings: Settings, merged: dict[str, Any]
) -> None:
    c = _post(
        settings,
        person="Trijntje Zwanenburg-Bos",
        organisation="Havenraad Delfzijl",
        published_at="2024-01-01",
    )
    third = entity_of(settings, c, "Trijntje Zwanenburg-Bos")[0]
    assert third != merged["person"]
    assert client.post(f"/people/{third}/merge", json={"id": merged["person"]}).status_code == 200
    for old in (merged["old_person"], merged["person"]):
        assert client.get(f"/people/{old}").json()["id"] == third
        articles = client.get("/articles", params={"person": str(old)}).json()["items"]
        assert {a["id"] for a in articles} == {*merged["articles"], c}


def test_an_unknown_id_still_matches_nothing(client: TestClient, merged: dict[str, Any]) -> None:
    assert client.get("/quotes", params={"speaker": "987654"}).json()["items"] == []
    assert client.get("/articles", params={"person": "987654"}).json()["items"] == []
    assert client.get("/people/987654").status_code == 404
