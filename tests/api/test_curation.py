"""The curation API: merge, split, rename and external ids, with every summary exact afterwards and
old ids still answering; admin scope only. SQLite and Postgres."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import Settings
from app.db import get_engine
from app.services import reresolution
from tests.api.test_auth import new_key
from tests.conftest import make_client
from tests.services.test_resolution import assert_summaries_exact, entity_of, post


def _two_people(settings: Settings) -> tuple[int, int, int, int]:
    """Two rows the rules kept apart for one real person; (article a, article b, id a, id b)."""
    a = post(
        settings,
        people={"Wilhelmina Achterberg": ["Achterberg"]},
        positions=[("Wilhelmina Achterberg", "mayor", "Utrecht Council", "NL")],
        published_at="2020-01-01T00:00:00+00:00",
    )
    b = post(
        settings,
        people={"Mina Achterberg-Vos": ["Achterberg-Vos"]},
        positions=[("Mina Achterberg-Vos", "mayor", "Utrecht Council", "NL")],
        published_at="2022-01-01T00:00:00+00:00",
    )
    pa, pb = (
        entity_of(settings, a, "Wilhelmina Achterberg")[0],
        entity_of(settings, b, "Mina Achterberg-Vos")[0],
    )
    assert pa != pb
    return a, b, pa, pb


def test_merging_people_moves_everything_and_the_old_id_keeps_answering(
    client: TestClient, settings: Settings
) -> None:
    a, b, pa, pb = _two_people(settings)
    r = client.post(f"/people/{pa}/merge", json={"id": pb})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["id"] == pa and page["article_count"] == 2
    assert "Mina Achterberg-Vos" in page["aliases"]
    [office] = [p for p in page["positions"] if p["title"] == "mayor"]
    assert office["article_count"] == 2
    old = client.get(f"/people/{pb}")
    assert old.status_code == 200 and old.json()["id"] == pa
    assert {p["id"] for p in client.get("/people", params={"name": "Achterberg-Vos"}).json()["items"]} == {pa}
    found = client.get("/articles", params={"person": str(pa)}).json()["items"]
    assert {x["id"] for x in found} == {a, b}
    history = client.get(f"/people/{pa}/history").json()
    assert [(m["old_id"], m["reason"]) for m in history["merged"]] == [(pb, "curated")]
    assert history["merged"][0]["created_at"].endswith("Z")  # UTC on SQLite too
    assert_summaries_exact(get_engine(settings))


def test_a_merge_survives_reingest_and_re_resolution(client: TestClient, settings: Settings) -> None:
    _, _, pa, pb = _two_people(settings)
    assert client.post(f"/people/{pa}/merge", json={"id": pb}).status_code == 200
    again = post(settings, people={"Mina Achterberg-Vos": []})
    assert entity_of(settings, again, "Mina Achterberg-Vos") == (pa, "curated")
    assert reresolution.resolve_archive(engine=get_engine(settings)) == {"person": 0, "organisation": 0}
    assert client.get(f"/people/{pa}").json()["article_count"] == 3


def test_splitting_an_alias_off_makes_a_new_entity_that_keeps_it(
    client: TestClient, settings: Settings
) -> None:
    a = post(settings, orgs={"Kestrel Group": ["Kestrel"]}, countries=["NZ"])
    b = post(settings, orgs={"Kestrel": []}, countries=["NZ"])
    org = entity_of(settings, a, "Kestrel Group", "organisation")[0]
    assert entity_of(settings, b, "Kestrel", "organisation")[0] == org
    r = client.post(f"/organisations/{org}/split", json={"alias": "Kestrel", "name": "Kestrel Airlines"})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["id"] != org and new["name"] == "Kestrel Airlines" and new["article_count"] == 1
    assert client.get(f"/organisations/{org}").json()["article_count"] == 1
    later = post(settings, orgs={"Kestrel": []}, countries=["NZ"])
    assert entity_of(settings, later, "Kestrel", "organisation") == (new["id"], "curated")
    assert_summaries_exact(get_engine(settings))


def test_splitting_articles_off_and_refusing_to_move_everything(
    client: TestClient, settings: Settings
) -> None:
    a, b, pa, pb = _two_people(settings)
    client.post(f"/people/{pa}/merge", json={"id": pb})
    r = client.post(f"/people/{pa}/split", json={"article_ids": [b], "name": "Mina Achterberg-Vos"})
    assert r.status_code == 201, r.text
    assert r.json()["article_count"] == 1 and r.json()["positions"][0]["title"] == "mayor"
    everything = client.post(f"/people/{pa}/split", json={"article_ids": [a], "name": "Someone"})
    assert everything.status_code == 422
    assert client.post(f"/people/{pa}/split", json={}).status_code == 422
    assert_summaries_exact(get_engine(settings))


def test_rename_and_external_id_are_carried_by_pages_and_lists(
    client: TestClient, settings: Settings
) -> None:
    a = post(settings, people={"Jo Okafor": ["Okafor"]})
    pid = entity_of(settings, a, "Jo Okafor")[0]
    r = client.patch(f"/people/{pid}", json={"name": "Josephine Okafor", "external_id": "Q123456"})
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["external_id"]) == ("Josephine Okafor", "Q123456")
    assert "Jo Okafor" in r.json()["aliases"]
    [item] = client.get("/people", params={"name": "Josephine Okafor"}).json()["items"]
    assert item["external_id"] == "Q123456"
    csv = client.get("/people", params={"name": "Okafor", "format": "csv"}).text
    assert "Q123456" in csv
    cleared = client.patch(f"/people/{pid}", json={"external_id": None}).json()
    assert cleared["external_id"] is None and cleared["name"] == "Josephine Okafor"


def test_merging_unknown_or_same_ids_is_refused(client: TestClient, settings: Settings) -> None:
    _, _, pa, pb = _two_people(settings)
    assert client.post(f"/people/{pa}/merge", json={"id": 999999}).status_code == 404
    assert client.post(f"/people/{pa}/merge", json={"id": pa}).status_code == 422
    assert client.post(f"/people/{pa}/merge", content=b"id=1").status_code == 415
    assert client.post("/people/999999/merge", content=b"id=1").status_code == 404


def test_curation_needs_an_admin_key(settings: Settings) -> None:
    _, _, pa, pb = _two_people(settings)
    with make_client(settings, auth_enabled=True) as client:
        writer = new_key(settings, "write")
        admin = new_key(settings, "admin")
        assert client.post(f"/people/{pa}/merge", json={"id": pb}).status_code == 401
        denied = client.post(f"/people/{pa}/merge", json={"id": pb}, headers={"X-API-Key": writer})
        assert denied.status_code == 403
        ok = client.post(f"/people/{pa}/merge", json={"id": pb}, headers={"X-API-Key": admin})
        assert ok.status_code == 200
        history = client.get(f"/people/{pa}/history", headers={"X-API-Key": admin}).json()
        assert history["merged"][0]["actor"] == "test admin"


def test_merges_beside_concurrent_ingest_keep_the_summaries_exact(
    client: TestClient, settings: Settings
) -> None:
    pairs = [_two_people_named(settings, i) for i in range(4)]
    assert len({p for pair in pairs for p in pair}) == 8

    def ingest(i: int) -> int:
        return post(
            settings,
            people={f"Wilma Sample{i}": [f"Sample{i}"]},
            positions=[(f"Wilma Sample{i}", "mayor", "Utrecht Council", "NL")],
        )

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(ingest, i) for i in range(4)]
        merges = [pool.submit(client.post, f"/people/{pa}/merge", json={"id": pb}) for pa, pb in pairs]
        for f in futures:
            f.result()
        assert all(m.result().status_code == 200 for m in merges)
    engine = get_engine(settings)
    with engine.connect() as conn:
        holders = conn.execute(text("SELECT COUNT(*) FROM holder")).scalar()
    assert holders and holders > 0
    assert_summaries_exact(engine)


def _two_people_named(settings: Settings, i: int) -> tuple[int, int]:
    surname = ["Bakker", "Visser", "Smit", "Mulder"][i]
    a = post(
        settings,
        people={f"Anneke {surname}": []},
        positions=[(f"Anneke {surname}", "mayor", "Utrecht Council", "NL")],
    )
    b = post(
        settings,
        people={f"Ans {surname}-Vos": []},
        positions=[(f"Ans {surname}-Vos", "alderman", "Utrecht Council", "NL")],
    )
    pa, pb = entity_of(settings, a, f"Anneke {surname}")[0], entity_of(settings, b, f"Ans {surname}-Vos")[0]
    assert pa != pb
    return pa, pb
