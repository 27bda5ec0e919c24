"""The /stats aggregates (timeline, top, cooccurrence) on SQLite and Postgres.

Records are written straight through `store_article` with hand-built extractions, so every
count below is known exactly and does not depend on the statistical model.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import Extraction
from app.extraction.records import Country, ExtractorInfo, Mention, Organisation, Person, Quote
from app.models import ArticleCreate
from app.services.ingest import store_article
from tests.conftest import make_client

EXTRACTOR = ExtractorInfo(name="test", version="0", model="none")

PUTIN, MERKEL, PESKOV, MARTI, ARDERN = (
    "Vladimir Putin",
    "Angela Merkel",
    "Dmitry Peskov",
    "José Martí",
    "Jacinda Ardern",
)
NATO, KREMLIN = "North Atlantic Treaty Organization", "Kremlin"


def _mentioned(name: str, times: int) -> tuple[Mention, ...]:
    return tuple(Mention(start=10 * i, end=10 * i + 5, text=name[:5]) for i in range(times))


def store(
    settings: Settings,
    key: str,
    *,
    published_at: str | None,
    text: str = "",
    people: dict[str, int] | None = None,
    organisations: dict[str, int] | None = None,
    countries: dict[str, int] | None = None,
    quotes: tuple[str | None, ...] = (),
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> int:
    """Store an article whose entities are mentioned the given number of times; quotes by speaker."""
    aliases = aliases or {}
    extraction = Extraction(
        people=tuple(
            Person(name=n, aliases=aliases.get(n, ()), mentions=_mentioned(n, k))
            for n, k in (people or {}).items()
        ),
        organisations=tuple(
            Organisation(name=n, aliases=aliases.get(n, ()), mentions=_mentioned(n, k))
            for n, k in (organisations or {}).items()
        ),
        countries=tuple(
            Country(code=c, name=c, mentions=_mentioned(c, k)) for c, k in (countries or {}).items()
        ),
        quotes=tuple(
            Quote(speaker=s, kind="direct", text=f"quote {i}", start=0, end=7) for i, s in enumerate(quotes)
        ),
        extractor=EXTRACTOR,
    )
    article_in = ArticleCreate(text=f"{key}. {text}", published_at=published_at)  # type: ignore[arg-type]
    with session_scope(get_engine(settings), write=True) as session:
        result = store_article(session=session, article_in=article_in, digest=key, extraction=extraction)
    return result.article_id


@dataclass
class Corpus:
    ids: list[int]
    person: dict[str, int]


@pytest.fixture
def corpus(client: TestClient, settings: Settings) -> Corpus:
    """Five articles in March-May 2024 and one without a publication date.

    A1 Mon 2024-03-04: Putin x2, Peskov, Kremlin, RU; a quote by Peskov; text "pipeline".
    A2 Sun 2024-03-10 23:30 UTC (Monday 01:30 at +02:00): Putin, Merkel, Peskov, RU x2, DE;
       quotes by Putin and Merkel.
    A3 Mon 2024-03-25: Merkel, NATO, DE, UA; two quotes by Merkel.
    A4 Thu 2024-05-02: Putin, Martí, NATO, UA; one quote nobody is named for.
    A5 undated (stored now): Ardern, NZ.
    """
    ids = [
        store(
            settings,
            "a1",
            published_at="2024-03-04T10:00:00Z",
            text="Talks on the gas pipeline resumed.",
            people={PUTIN: 2, PESKOV: 1},
            organisations={KREMLIN: 1},
            countries={"RU": 1},
            quotes=(PESKOV,),
        ),
        store(
            settings,
            "a2",
            published_at="2024-03-11T01:30:00+02:00",
            people={PUTIN: 1, MERKEL: 1, PESKOV: 1},
            countries={"RU": 2, "DE": 1},
            quotes=(PUTIN, MERKEL),
        ),
        store(
            settings,
            "a3",
            published_at="2024-03-25T08:00:00Z",
            people={MERKEL: 1},
            organisations={NATO: 1},
            countries={"DE": 1, "UA": 1},
            quotes=(MERKEL, MERKEL),
            aliases={NATO: ("NATO",)},
        ),
        store(
            settings,
            "a4",
            published_at="2024-05-02T12:00:00Z",
            people={PUTIN: 1, MARTI: 1},
            organisations={NATO: 1},
            countries={"UA": 1},
            quotes=(None,),
        ),
        store(settings, "a5", published_at=None, people={ARDERN: 1}, countries={"NZ": 1}),
    ]
    people = {p["name"]: p["id"] for p in client.get("/people", params={"limit": 50}).json()["items"]}
    return Corpus(ids=ids, person=people)


def assert_problem(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def points(client: TestClient, **params: Any) -> list[tuple[str, int]]:
    response = client.get("/stats/timeline", params=params)
    assert response.status_code == 200, response.text
    return [(p["period"], p["count"]) for p in response.json()["points"]]


def weeks(start: str, counts: list[int]) -> list[tuple[str, int]]:
    first = date.fromisoformat(start)
    return [((first + timedelta(weeks=i)).isoformat(), n) for i, n in enumerate(counts)]


SPRING = {
    "published_from": "2024-03-01",
    "published_to": "2024-05-31",
}  # leaves out the undated article, stored today


# --- /stats/timeline --------------------------------------------------------------------------


def test_timeline_counts_a_persons_mentions_per_week_with_empty_weeks_as_zeros(
    client: TestClient, corpus: Corpus
) -> None:
    response = client.get("/stats/timeline", params={"person": "Putin", "interval": "week"})
    body = response.json()
    assert (body["interval"], body["metric"]) == ("week", "mentions")
    # A1 (2) and A2 (1) share the week of Monday 4 March; A4 is in the week of Monday 29 April.
    assert points(client, person="Putin", interval="week") == weeks("2024-03-04", [3, 0, 0, 0, 0, 0, 0, 0, 1])


def test_timeline_weeks_start_on_monday_in_utc(client: TestClient, corpus: Corpus) -> None:
    # A2 was published on Monday 11 March at 01:30 +02:00: Sunday 10 March in UTC.
    assert points(client, person="Angela Merkel", interval="week", metric="articles") == weeks(
        "2024-03-04", [1, 0, 0, 1]
    )
    for period, _ in points(client, interval="week", metric="articles"):
        assert date.fromisoformat(period).weekday() == 0


def test_timeline_by_day_fills_every_day_between_first_and_last(client: TestClient, corpus: Corpus) -> None:
    got = points(client, person=str(corpus.person[MERKEL]), interval="day", metric="articles")
    assert len(got) == 16
    assert got[0] == ("2024-03-10", 1)
    assert got[-1] == ("2024-03-25", 1)
    assert all(n == 0 for _, n in got[1:-1])


def test_timeline_by_month_counts_articles_and_fills_empty_months(client: TestClient, corpus: Corpus) -> None:
    assert points(client, interval="month", metric="articles", **SPRING) == [
        ("2024-03-01", 3),
        ("2024-04-01", 0),
        ("2024-05-01", 1),
    ]


def test_timeline_counts_quotes_including_unattributed_ones(client: TestClient, corpus: Corpus) -> None:
    assert points(client, interval="month", metric="quotes", **SPRING) == [
        ("2024-03-01", 5),
        ("2024-04-01", 0),
        ("2024-05-01", 1),
    ]


def test_timeline_speaker_keeps_their_quotes(client: TestClient, corpus: Corpus) -> None:
    assert points(client, interval="week", metric="quotes", speaker="merkel") == weeks(
        "2024-03-04", [1, 0, 0, 2]
    )


def test_timeline_speaker_with_other_metrics_keeps_the_articles_quoting_them(
    client: TestClient, corpus: Corpus
) -> None:
    assert points(client, interval="month", metric="articles", speaker="Dmitry Peskov") == [("2024-03-01", 1)]
    # Mentions of Putin, in the articles that quote Peskov (A1 only).
    assert points(client, interval="month", speaker="Peskov", person="Putin") == [("2024-03-01", 2)]


def test_timeline_country_by_code_alpha3_or_name(client: TestClient, corpus: Corpus) -> None:
    assert points(client, interval="month", country="ru") == [("2024-03-01", 3)]
    expected = weeks("2024-03-04", [1, 0, 0, 1])
    for value in ("DE", "deu", "germany"):
        assert points(client, interval="week", country=value) == expected


def test_timeline_organisation_by_alias_any_case(client: TestClient, corpus: Corpus) -> None:
    assert points(client, interval="month", metric="articles", organisation="nato") == [
        ("2024-03-01", 1),
        ("2024-04-01", 0),
        ("2024-05-01", 1),
    ]


def test_timeline_person_filter_ignores_accents_and_case(client: TestClient, corpus: Corpus) -> None:
    assert points(client, interval="month", person="jose marti") == [("2024-05-01", 1)]


def test_timeline_without_an_entity_counts_every_mention_in_the_matching_articles(
    client: TestClient, corpus: Corpus
) -> None:
    # A1: Putin x2, Peskov, Kremlin, RU.
    assert points(client, interval="day", q="pipeline") == [("2024-03-04", 5)]


def test_timeline_with_several_entities_counts_their_mentions_in_articles_naming_all(
    client: TestClient, corpus: Corpus
) -> None:
    # Only A2 mentions both Merkel and Russia: Merkel once, Russia twice.
    assert points(client, interval="day", person="Merkel", country="RU") == [("2024-03-10", 3)]


def test_timeline_published_window(client: TestClient, corpus: Corpus) -> None:
    got = points(
        client,
        interval="month",
        metric="articles",
        published_from="2024-03-05",
        published_to="2024-03-31T23:59:59Z",
    )
    assert got == [("2024-03-01", 2)]


def test_time_windows_hold_articles_stored_out_of_publication_order(
    client: TestClient, settings: Settings, corpus: Corpus
) -> None:
    # Stored last (highest id) but published between A2 and A3.
    store(settings, "a6", published_at="2024-03-20T09:00:00Z", people={PUTIN: 1}, countries={"RU": 1})
    window = {"published_from": "2024-03-15", "published_to": "2024-03-31"}
    # Every day of the window, the empty ones at either end too.
    assert points(client, interval="day", metric="articles", **window) == [
        *[(f"2024-03-{d}", 0) for d in range(15, 20)],
        ("2024-03-20", 1),
        *[(f"2024-03-{d}", 0) for d in range(21, 25)],
        ("2024-03-25", 1),
        *[(f"2024-03-{d}", 0) for d in range(26, 32)],
    ]
    assert points(client, interval="month", person="Putin", **window) == [("2024-03-01", 1)]
    assert top(client, kind="countries", **window) == [
        ("DE", "Germany", 1),
        ("RU", "Russian Federation", 1),
        ("UA", "Ukraine", 1),
    ]
    assert edges(graph(client, kind="countries", **window)) == {frozenset(("country:DE", "country:UA")): 1}


def test_timeline_undated_articles_count_when_they_were_stored(client: TestClient, corpus: Corpus) -> None:
    today = datetime.now(UTC).date()
    assert points(client, interval="day", person="Ardern") == [(today.isoformat(), 1)]
    since = (today - timedelta(days=1)).isoformat()
    assert points(client, interval="day", metric="articles", published_from=since) == [
        (since, 0),  # the window starts the day before
        (today.isoformat(), 1),
    ]


def test_timeline_as_csv_and_ndjson_carries_the_points(client: TestClient, corpus: Corpus) -> None:
    params = {"interval": "month", "metric": "articles", **SPRING}
    as_csv = client.get("/stats/timeline", params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text == "period,count\n2024-03-01,3\n2024-04-01,0\n2024-05-01,1\n"
    by_accept = client.get("/stats/timeline", params=params, headers={"accept": "text/csv"})
    assert by_accept.text == as_csv.text
    as_ndjson = client.get("/stats/timeline", params={**params, "format": "ndjson"})
    assert as_ndjson.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in as_ndjson.text.splitlines()]
    assert lines == [
        {"period": "2024-03-01", "count": 3},
        {"period": "2024-04-01", "count": 0},
        {"period": "2024-05-01", "count": 1},
    ]


def test_empty_timeline_csv_still_has_its_header(client: TestClient, corpus: Corpus) -> None:
    response = client.get("/stats/timeline", params={"person": "Nobody Atall", "format": "csv"})
    assert response.text == "period,count\n"


# --- /stats/top -------------------------------------------------------------------------------


def top(client: TestClient, **params: Any) -> list[tuple[Any, str, int]]:
    response = client.get("/stats/top", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kind"] == params.get("kind", "people")
    return [(i.get("id", i.get("code")), i["name"], i["count"]) for i in body["items"]]


def test_top_people_count_distinct_articles_ties_by_name(client: TestClient, corpus: Corpus) -> None:
    p = corpus.person
    assert top(client) == [
        (p[PUTIN], PUTIN, 3),  # mentioned twice in A1, counted once
        (p[MERKEL], MERKEL, 2),
        (p[PESKOV], PESKOV, 2),
        (p[ARDERN], ARDERN, 1),
        (p[MARTI], MARTI, 1),
    ]


def test_top_limit_keeps_the_highest(client: TestClient, corpus: Corpus) -> None:
    assert [name for _, name, _ in top(client, limit=2)] == [PUTIN, MERKEL]


def test_top_organisations(client: TestClient, corpus: Corpus) -> None:
    assert [(name, n) for _, name, n in top(client, kind="organisations")] == [(NATO, 2), (KREMLIN, 1)]


def test_top_countries_have_codes_and_names(client: TestClient, corpus: Corpus) -> None:
    assert top(client, kind="countries") == [
        ("DE", "Germany", 2),
        ("RU", "Russian Federation", 2),  # two mentions in A2, one article
        ("UA", "Ukraine", 2),
        ("NZ", "New Zealand", 1),
    ]


def test_top_speakers_count_quotes(client: TestClient, corpus: Corpus) -> None:
    assert [(name, n) for _, name, n in top(client, kind="speakers")] == [
        (MERKEL, 3),
        (PESKOV, 1),
        (PUTIN, 1),
    ]


def test_top_under_filters(client: TestClient, corpus: Corpus) -> None:
    assert [(name, n) for _, name, n in top(client, country="Germany")] == [
        (MERKEL, 2),
        (PESKOV, 1),
        (PUTIN, 1),
    ]
    assert [(name, n) for _, name, n in top(client, organisation="NATO", kind="countries")] == [
        ("Ukraine", 2),
        ("Germany", 1),
    ]
    assert [(name, n) for _, name, n in top(client, person="Putin", kind="speakers")] == [
        (MERKEL, 1),
        (PESKOV, 1),
        (PUTIN, 1),
    ]
    assert [name for _, name, _ in top(client, q="pipeline")] == [PESKOV, PUTIN]  # 1 each: by name
    window = {"published_from": "2024-03-20", "published_to": "2024-06-01"}
    assert [(name, n) for _, name, n in top(client, **window)] == [(MERKEL, 1), (MARTI, 1), (PUTIN, 1)]


def test_top_as_csv_and_ndjson(client: TestClient, corpus: Corpus) -> None:
    as_csv = client.get("/stats/top", params={"kind": "countries", "limit": 2, "format": "csv"})
    assert list(csv.reader(io.StringIO(as_csv.text))) == [
        ["code", "name", "count"],
        ["DE", "Germany", "2"],
        ["RU", "Russian Federation", "2"],
    ]
    as_ndjson = client.get("/stats/top", params={"limit": 1}, headers={"accept": "application/x-ndjson"})
    assert [json.loads(line) for line in as_ndjson.text.splitlines()] == [
        {"id": corpus.person[PUTIN], "name": PUTIN, "count": 3}
    ]


def test_top_limit_above_the_setting_is_422(settings: Settings, corpus: Corpus) -> None:
    with make_client(settings, max_page_size=3) as small:
        assert len(small.get("/stats/top", params={"limit": 3}).json()["items"]) == 3
        assert "3" in assert_problem(small.get("/stats/top", params={"limit": 4}))["detail"]


# --- /stats/cooccurrence ----------------------------------------------------------------------


def graph(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/stats/cooccurrence", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def edges(body: dict[str, Any]) -> dict[frozenset[str], int]:
    return {frozenset((e["source"], e["target"])): e["weight"] for e in body["edges"]}


def test_cooccurrence_of_people_weights_edges_by_shared_articles(client: TestClient, corpus: Corpus) -> None:
    p = {name: f"person:{i}" for name, i in corpus.person.items()}
    body = graph(client, kind="people")
    assert edges(body) == {
        frozenset((p[PUTIN], p[PESKOV])): 2,
        frozenset((p[PUTIN], p[MERKEL])): 1,
        frozenset((p[MERKEL], p[PESKOV])): 1,
        frozenset((p[PUTIN], p[MARTI])): 1,
    }
    assert body["edges"][0]["weight"] == 2
    assert [e["weight"] for e in body["edges"]] == sorted((e["weight"] for e in body["edges"]), reverse=True)
    assert all(e["source"] < e["target"] for e in body["edges"])
    assert {(n["id"], n["type"], n["name"]) for n in body["nodes"]} == {
        (p[name], "person", name) for name in (PUTIN, PESKOV, MERKEL, MARTI)
    }
    assert (body["kind"], body["articles"], body["truncated"]) == ("people", 5, False)


def test_cooccurrence_of_all_kinds_under_a_country_with_min_weight(
    client: TestClient, corpus: Corpus
) -> None:
    p = corpus.person
    body = graph(client, country="RU", min_weight=2)
    putin, peskov = f"person:{p[PUTIN]}", f"person:{p[PESKOV]}"
    assert edges(body) == {
        frozenset((putin, peskov)): 2,
        frozenset((putin, "country:RU")): 2,
        frozenset((peskov, "country:RU")): 2,
    }
    assert {(n["id"], n["type"], n["name"]) for n in body["nodes"]} == {
        (putin, "person", PUTIN),
        (peskov, "person", PESKOV),
        ("country:RU", "country", "Russian Federation"),
    }
    assert body["articles"] == 2


def test_cooccurrence_of_organisations_and_countries(client: TestClient, corpus: Corpus) -> None:
    assert edges(graph(client, kind="countries")) == {
        frozenset(("country:RU", "country:DE")): 1,
        frozenset(("country:DE", "country:UA")): 1,
    }
    assert graph(client, kind="organisations")["edges"] == []  # no article names two organisations


def test_cooccurrence_limit_keeps_the_heaviest_edges(client: TestClient, corpus: Corpus) -> None:
    # Five pairs share two articles: Putin-Peskov, Putin-RU, Peskov-RU, Merkel-DE, NATO-UA.
    body = graph(client, limit=3)
    assert [e["weight"] for e in body["edges"]] == [2, 2, 2]
    assert {n["id"] for n in body["nodes"]} == {
        end for e in body["edges"] for end in (e["source"], e["target"])
    }


def test_cooccurrence_reads_at_most_max_articles_newest_first(client: TestClient, corpus: Corpus) -> None:
    body = graph(client, country="RU", max_articles=1)
    assert (body["articles"], body["truncated"]) == (1, True)
    # A2 alone: Putin, Merkel, Peskov, RU, DE -> every pair once.
    assert len(body["edges"]) == 10
    assert set(edges(body).values()) == {1}


def test_cooccurrence_as_csv_and_ndjson_carries_the_edges(client: TestClient, corpus: Corpus) -> None:
    params = {"kind": "people", "min_weight": 2}
    p = corpus.person
    expected = sorted([f"person:{p[PUTIN]}", f"person:{p[PESKOV]}"])
    rows = list(
        csv.reader(io.StringIO(client.get("/stats/cooccurrence", params={**params, "format": "csv"}).text))
    )
    assert rows == [["source", "target", "weight"], [*expected, "2"]]
    as_ndjson = client.get("/stats/cooccurrence", params={**params, "format": "ndjson"})
    assert [json.loads(line) for line in as_ndjson.text.splitlines()] == [
        {"source": expected[0], "target": expected[1], "weight": 2}
    ]


def test_timeline_is_zero_filled_over_the_requested_window(client: TestClient, corpus: Corpus) -> None:
    window = {"published_from": "2024-02-14", "published_to": "2024-06-30T12:00:00Z"}
    got = points(client, interval="month", metric="articles", **window)
    assert got == [
        ("2024-02-01", 0),
        ("2024-03-01", 3),
        ("2024-04-01", 0),
        ("2024-05-01", 1),
        ("2024-06-01", 0),
    ]
    weeks = points(client, interval="week", person="Putin", **window)
    assert weeks[0][0] == "2024-02-12" and weeks[-1][0] == "2024-06-24"  # the Mondays of both ends
    assert len(weeks) == 20 and sum(n for _, n in weeks) == sum(n for _, n in points(client, person="Putin"))
    # A window with nothing in it (or a name that matches nothing) is all zeros, ready to chart.
    empty = {"published_from": "2023-01-01", "published_to": "2023-03-31"}
    assert points(client, interval="month", **empty) == [
        ("2023-01-01", 0),
        ("2023-02-01", 0),
        ("2023-03-01", 0),
    ]
    assert [n for _, n in points(client, interval="month", person="Nobody Atall", **empty)] == [0, 0, 0]


def test_cooccurrence_node_table_as_csv_and_ndjson(client: TestClient, corpus: Corpus) -> None:
    params = {"kind": "all", "min_weight": 2, "table": "nodes"}
    graph_json = client.get("/stats/cooccurrence", params={**params}).json()
    as_csv = client.get("/stats/cooccurrence", params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows and list(rows[0]) == ["id", "kind", "name"]
    assert rows == [{"id": n["id"], "kind": n["type"], "name": n["name"]} for n in graph_json["nodes"]]
    assert {"id": f"person:{corpus.person[PUTIN]}", "kind": "person", "name": PUTIN} in rows
    # Every edge's ends are in the node table.
    edge_rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/stats/cooccurrence", params={**params, "table": "edges", "format": "csv"}).text
            )
        )
    )
    assert {e["source"] for e in edge_rows} | {e["target"] for e in edge_rows} == {r["id"] for r in rows}
    as_ndjson = client.get("/stats/cooccurrence", params={**params, "format": "ndjson"})
    assert [json.loads(line) for line in as_ndjson.text.splitlines()] == rows


# --- Unknown values, bad values ---------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"person": "Nobody Atall"},
        {"person": "999999"},
        {"organisation": "%_'\";--"},
        {"country": "Atlantis"},
        {"speaker": "Nobody Atall"},
        {"q": "zyzzyva"},
        {"published_from": "2030-01-01"},
    ],
)
@pytest.mark.parametrize("path", ["/stats/timeline", "/stats/top", "/stats/cooccurrence"])
def test_unknown_filter_values_give_empty_results(
    client: TestClient, corpus: Corpus, path: str, params: dict[str, str]
) -> None:
    if "speaker" in params and path != "/stats/timeline":
        params = {"person": params["speaker"]}
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("points", body.get("items", body.get("edges"))) == []


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "NOT",
        "a AND (b",
        "'; DROP TABLE article; --",
        "-pipeline",
        "NEAR(a b)",
        "^:\\",
        '"gas pipeline"',
    ],
)
@pytest.mark.parametrize("path", ["/stats/timeline", "/stats/top", "/stats/cooccurrence"])
def test_full_text_syntax_in_q_never_fails(client: TestClient, corpus: Corpus, path: str, q: str) -> None:
    assert client.get(path, params={"q": q}).status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/stats/timeline", {"interval": "hour"}),
        ("/stats/timeline", {"metric": "words"}),
        ("/stats/timeline", {"published_from": "not-a-date"}),
        ("/stats/timeline", {"published_to": "2024-13-01"}),
        ("/stats/timeline", {"published_from": "2024-05-01", "published_to": "2024-04-01"}),
        ("/stats/timeline", {"format": "xml"}),
        ("/stats/top", {"kind": "planets"}),
        ("/stats/top", {"limit": "0"}),
        ("/stats/top", {"limit": "100000"}),
        ("/stats/top", {"published_from": "yesterday"}),
        ("/stats/cooccurrence", {"kind": "people,countries"}),
        ("/stats/cooccurrence", {"min_weight": "0"}),
        ("/stats/cooccurrence", {"limit": "-1"}),
        ("/stats/cooccurrence", {"limit": "100000"}),
        ("/stats/cooccurrence", {"max_articles": "0"}),
        ("/stats/cooccurrence", {"max_articles": "1000000"}),
    ],
)
def test_bad_parameters_are_422_problems(client: TestClient, path: str, params: dict[str, str]) -> None:
    assert_problem(client.get(path, params=params))


def test_every_stats_parameter_is_documented_and_every_answer_has_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    stats_paths = {path: ops for path, ops in spec["paths"].items() if path.startswith("/stats/")}
    assert set(stats_paths) == {"/stats/timeline", "/stats/top", "/stats/cooccurrence"}
    for path, ops in stats_paths.items():
        operation = ops["get"]
        assert operation["tags"] == ["stats"]
        for parameter in operation["parameters"]:
            assert parameter.get("description"), f"{path} {parameter['name']}"
        assert set(operation["responses"]["200"]["content"]) >= {
            "application/json",
            "text/csv",
            "application/x-ndjson",
        }
    for schema in ("Timeline", "TopList", "Cooccurrence"):
        assert spec["components"]["schemas"][schema]["examples"]
    assert "5000" in stats_paths["/stats/cooccurrence"]["get"]["description"]
