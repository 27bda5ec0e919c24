"""Offices over time: equivalent titles are one office, `former` and `current`, and who held an
office on a date (`/positions?as_of=`). Invented articles; SQLite and Postgres."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from app.db import get_engine
from app.services.offices import canonical_title
from tests.services.test_resolution import assert_summaries_exact, post


def rows(client: TestClient, **params: str) -> list[dict[str, Any]]:
    r = client.get("/positions", params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def test_titles_are_read_through_the_synonyms() -> None:
    assert canonical_title("Spokesman") == "spokesperson"
    assert canonical_title("spokeswoman") == "spokesperson"
    assert canonical_title("deputy spokesman") == "deputy spokesperson"
    assert canonical_title("CEO") == canonical_title("chief executive officer") == "chief executive"
    assert canonical_title("PM") == "prime minister"
    assert canonical_title("foreign minister") == "foreign minister"
    assert canonical_title("spokesmanship") == "spokesmanship"  # whole words only


def test_spokesman_and_spokesperson_are_one_office(client: TestClient, settings: Settings) -> None:
    post(
        settings,
        people={"Teodor Halvard": []},
        orgs={"Fjord Energy": []},
        positions=[("Teodor Halvard", "spokesman", "Fjord Energy", "NO")],
        published_at="2021-01-01T00:00:00+00:00",
    )
    post(
        settings,
        people={"Teodor Halvard": []},
        orgs={"Fjord Energy": []},
        positions=[("Teodor Halvard", "spokesperson", "Fjord Energy", "NO")],
        published_at="2021-06-01T00:00:00+00:00",
    )
    [office] = rows(client, title="spokesman")
    assert (office["title"], office["article_count"]) == ("spokesperson", 2)
    assert office["current"] and not office["former"]
    person = client.get(f"/people/{office['person']['id']}").json()
    [held] = person["positions"]
    assert (held["title"], held["article_count"], held["current"]) == ("spokesperson", 2, True)
    assert len(held["article_ids"]) == 2
    assert_summaries_exact(get_engine(settings))


def test_a_successor_or_a_former_statement_ends_the_current_office(
    client: TestClient, settings: Settings
) -> None:
    post(
        settings,
        people={"Stellan Marr": []},
        orgs={"Orchard Computers": []},
        positions=[("Stellan Marr", "CEO", "Orchard Computers", "US")],
        published_at="2005-01-01T00:00:00+00:00",
    )
    post(
        settings,
        people={"Stellan Marr": [], "Tamsin Cole": []},
        orgs={"Orchard Computers": []},
        positions=[
            ("Stellan Marr", "chief executive", "Orchard Computers", "US"),
            ("Tamsin Cole", "chief executive officer", "Orchard Computers", "US"),
        ],
        former=["Stellan Marr"],
        published_at="2011-08-25T00:00:00+00:00",
    )
    found = {r["person"]["name"]: r for r in rows(client, title="CEO", organisation="Orchard Computers")}
    assert set(found) == {"Stellan Marr", "Tamsin Cole"}
    assert found["Stellan Marr"]["former"] and not found["Stellan Marr"]["current"]
    assert found["Tamsin Cole"]["current"] and not found["Tamsin Cole"]["former"]
    assert found["Stellan Marr"]["first_seen"].startswith("2005-01-01")
    assert found["Stellan Marr"]["last_seen"].startswith("2011-08-25")


def test_as_of_answers_who_held_an_office_on_a_date(client: TestClient, settings: Settings) -> None:
    for name, year in (
        ("Arvid Kolm", "1995"),
        ("Arvid Kolm", "1996"),
        ("Berit Sand", "2004"),
        ("Berit Sand", "2020"),
    ):
        post(
            settings,
            people={name: []},
            positions=[(name, "foreign minister", None, "SE")],
            published_at=f"{year}-03-01T00:00:00+00:00",
        )
    # someone else's office of the same title in another country does not end it
    post(
        settings,
        people={"Carl Dahl": []},
        positions=[("Carl Dahl", "foreign minister", None, "NO")],
        published_at="2010-01-01T00:00:00+00:00",
    )

    def holders(day: str) -> list[str]:
        return [
            r["person"]["name"] for r in rows(client, title="foreign minister", country="Sweden", as_of=day)
        ]

    assert holders("1990-01-01") == []
    assert holders("1996-01-01") == ["Arvid Kolm"]
    assert holders("2010-06-01") == ["Berit Sand"]
    assert holders("2030-01-01") == ["Berit Sand"]
    for bad in ("not a date", "2024"):
        assert client.get("/positions", params={"as_of": bad}).status_code == 422
    current = {r["person"]["name"]: r["current"] for r in rows(client, title="foreign minister")}
    assert current == {"Arvid Kolm": False, "Berit Sand": True, "Carl Dahl": True}
