"""The query API (/quotes, /people, /organisations, /countries, /positions) on SQLite and Postgres.

Records are written straight through `store_article` with hand-built extractions, so the
tests do not depend on what the statistical model happens to find.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from app import db
from app.config import Settings
from app.db import engines, get_engine, session_scope
from app.extraction import Extraction
from app.extraction.records import (
    Country,
    ExtractorInfo,
    Mention,
    Organisation,
    Person,
    Position,
    Quote,
)
from app.models import ArticleCreate
from app.services import quotes as quote_service
from app.services.ingest import content_hash, store_article

EXTRACTOR = ExtractorInfo(name="test", version="0", model="none")


def _mentions(text: str, *names: str) -> tuple[Mention, ...]:
    found = []
    for name in names:
        at = text.find(name)
        if at >= 0:
            found.append(Mention(start=at, end=at + len(name), text=name))
    return tuple(found) or (Mention(start=0, end=1, text=text[:1]),)


def store(
    settings: Settings,
    text: str,
    *,
    published_at: str | None = None,
    title: str | None = None,
    url: str | None = None,
    people: dict[str, tuple[str, ...]] | None = None,
    organisations: tuple[str, ...] = (),
    countries: tuple[tuple[str, str], ...] = (),
    positions: tuple[tuple[str, str, str | None, str | None], ...] = (),
    former: tuple[str, ...] = (),
    quotes: tuple[tuple[str | None, str, str], ...] = (),
) -> int:
    """Store an article with these records: people {name: aliases}, positions (person, title, org,
    country), quotes (speaker, kind, text); returns the article id."""
    people = people or {}
    extraction = Extraction(
        people=tuple(Person(name=n, aliases=a, mentions=_mentions(text, n, *a)) for n, a in people.items()),
        organisations=tuple(Organisation(name=o, mentions=_mentions(text, o)) for o in organisations),
        countries=tuple(
            Country(code=code, name=code, mentions=_mentions(text, word)) for code, word in countries
        ),
        positions=tuple(
            Position(person=p, title=t, organisation=o, country=c, former=p in former, start=0, end=len(text))
            for p, t, o, c in positions
        ),
        quotes=tuple(
            Quote(speaker=s, kind=k, text=q, start=max(text.find(q), 0), end=max(text.find(q), 0) + len(q))  # type: ignore[arg-type]
            for s, k, q in quotes
        ),
        extractor=EXTRACTOR,
    )
    article = ArticleCreate(
        text=text,
        title=title,
        url=url,
        published_at=datetime.fromisoformat(published_at) if published_at else None,
    )
    with session_scope(get_engine(settings), write=True) as session:
        return store_article(
            session=session, article_in=article, digest=content_hash(text), extraction=extraction
        ).article_id


class Corpus:
    """Five articles across thirty years: presidents, foreign ministers, a spokesperson, quotes."""

    def __init__(self, settings: Settings) -> None:
        self.kozyrev = store(
            settings,
            "Foreign Minister Andrei Kozyrev said Russia wanted partnership with the West.",
            published_at="1995-05-01T10:00:00+00:00",
            title="Kozyrev on the West",
            people={"Andrei Kozyrev": ("Kozyrev",)},
            countries=(("RU", "Russia"),),
            positions=(("Andrei Kozyrev", "foreign minister", None, "RU"),),
            quotes=(("Andrei Kozyrev", "indirect", "Russia wanted partnership with the West"),),
        )
        self.kyiv = store(
            settings,
            "Ukrainian President Volodymyr Zelenskiy said: “We will defend every village.” "
            "Russian President Vladimir Putin, speaking in the Kremlin, said the talks had stalled.",
            published_at="2024-01-10T12:00:00+00:00",
            title="Zelenskiy vows defence",
            url="https://example.org/kyiv",
            people={"Volodymyr Zelenskiy": ("Zelenskiy",), "Vladimir Putin": ("Putin",)},
            organisations=("Kremlin",),
            countries=(("UA", "Ukrainian"), ("RU", "Russian")),
            positions=(
                ("Volodymyr Zelenskiy", "president", None, "UA"),
                ("Vladimir Putin", "president", "Kremlin", "RU"),
            ),
            quotes=(
                ("Volodymyr Zelenskiy", "direct", "We will defend every village."),
                ("Vladimir Putin", "indirect", "the talks had stalled"),
            ),
        )
        self.moscow = store(
            settings,
            "Russian Foreign Minister Sergey Lavrov said sanctions would fail. Kremlin spokesperson "
            "Dmitry Peskov said: “Russia remains open to talks with the United States.”",
            published_at="2024-03-05T08:30:00+00:00",
            title="Lavrov on sanctions",
            people={"Sergey Lavrov": ("Lavrov",), "Dmitry Peskov": ("Peskov",)},
            organisations=("Kremlin",),
            countries=(("RU", "Russian"), ("US", "United States")),
            positions=(
                ("Sergey Lavrov", "foreign minister", None, "RU"),
                ("Dmitry Peskov", "spokesperson", "Kremlin", "RU"),
            ),
            quotes=(
                ("Sergey Lavrov", "indirect", "sanctions would fail"),
                ("Dmitry Peskov", "direct", "Russia remains open to talks with the United States."),
            ),
        )
        self.washington = store(
            settings,
            "US Secretary of State Antony Blinken met Volodymyr Zelenskiy. “Support for Ukraine will "
            "continue,” Blinken said. Zelenskiy said: “We need air defence now.” “It was a long night.”",
            published_at="2024-06-01T09:00:00+00:00",
            title="Blinken meets Zelenskiy",
            people={"Antony Blinken": ("Blinken",), "Volodymyr Zelenskiy": ("Zelenskiy",)},
            organisations=("State Department",),
            countries=(("US", "US"), ("UA", "Ukraine")),
            positions=(
                ("Antony Blinken", "secretary of state", "State Department", "US"),
                ("Volodymyr Zelenskiy", "president", None, "UA"),
            ),
            quotes=(
                ("Antony Blinken", "direct", "Support for Ukraine will continue,"),
                ("Volodymyr Zelenskiy", "direct", "We need air defence now."),
                (None, "direct", "It was a long night."),
            ),
        )
        # No publication date: first_seen and last_seen fall back to when it was stored.
        self.undated = store(
            settings,
            "Former foreign minister Sergey Lavrov and Vladimir Putin spoke again.",
            people={"Sergey Lavrov": ("Lavrov",), "Vladimir Putin": ("Putin",)},
            countries=(("RU", "Russia"),),
            positions=(("Sergey Lavrov", "foreign minister", None, "RU"),),
            former=("Sergey Lavrov",),
        )


@pytest.fixture
def corpus(settings: Settings) -> Corpus:
    return Corpus(settings)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def get_ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def quote_texts(client: TestClient, **params: Any) -> list[str]:
    return [q["text"] for q in get_ok(client, "/quotes", **params)["items"]]


def person_id(client: TestClient, name: str) -> int:
    items = get_ok(client, "/people", name=name)["items"]
    assert len(items) == 1, items
    return int(items[0]["id"])


def organisation_id(client: TestClient, name: str) -> int:
    items = get_ok(client, "/organisations", name=name)["items"]
    assert len(items) == 1, items
    return int(items[0]["id"])


# --- /quotes ---------------------------------------------------------------------------------------


def test_quotes_come_newest_first_with_speaker_positions_and_article(
    client: TestClient, corpus: Corpus
) -> None:
    items = get_ok(client, "/quotes")["items"]
    assert len(items) == 8
    assert [q["id"] for q in items] == sorted((q["id"] for q in items), reverse=True)
    peskov = next(q for q in items if q["text"].startswith("Russia remains open"))
    assert peskov["kind"] == "direct"
    assert peskov["speaker"]["name"] == "Dmitry Peskov"
    assert peskov["speaker"]["positions"] == [
        {"title": "spokesperson", "organisation": "Kremlin", "country": "RU"}
    ]
    assert peskov["article"] == {
        "id": corpus.moscow,
        "title": "Lavrov on sanctions",
        "url": None,
        "published_at": "2024-03-05T08:30:00Z",
    }
    assert {"id", "kind", "text", "cue", "start", "end", "speaker", "article"} <= set(peskov)
    nobody = next(q for q in items if q["text"] == "It was a long night.")
    assert nobody["speaker"] is None


def test_speaker_positions_are_distinct(client: TestClient, corpus: Corpus) -> None:
    zelenskiy = [q for q in get_ok(client, "/quotes")["items"] if q["speaker"]]
    zelenskiy = [q for q in zelenskiy if q["speaker"]["name"] == "Volodymyr Zelenskiy"]
    assert len(zelenskiy) == 2
    for quote in zelenskiy:
        assert quote["speaker"]["positions"] == [
            {"title": "president", "organisation": None, "country": "UA"}
        ]


def test_speaker_filter_finds_zelenskiy_when_asked_for_zelensky(client: TestClient, corpus: Corpus) -> None:
    expected = ["We need air defence now.", "We will defend every village."]
    assert quote_texts(client, speaker="Zelensky") == expected
    assert quote_texts(client, speaker="Volodymyr Zelensky") == expected
    assert quote_texts(client, speaker="Zelenskyy") == expected


@pytest.mark.parametrize("value", ["Zelenskiy", "volodymyr zelenskiy", "ZELENSKIY", "Zelénskiy"])
def test_speaker_filter_takes_names_aliases_any_case_and_accents(
    client: TestClient, corpus: Corpus, value: str
) -> None:
    assert len(quote_texts(client, speaker=value)) == 2


def test_speaker_filter_takes_an_id_and_a_bare_surname(client: TestClient, corpus: Corpus) -> None:
    lavrov = person_id(client, "Sergey Lavrov")
    assert quote_texts(client, speaker=str(lavrov)) == ["sanctions would fail"]
    # "Putin" is an alias; "Blinken" is one too, but a surname alone finds a full name anyway.
    assert quote_texts(client, speaker="putin") == ["the talks had stalled"]


def test_speaker_country_filter_keeps_speakers_holding_positions_there(
    client: TestClient, corpus: Corpus
) -> None:
    russians = {
        "Russia remains open to talks with the United States.",
        "sanctions would fail",
        "the talks had stalled",
        "Russia wanted partnership with the West",
    }
    for value in ("RU", "rus", "Russian Federation"):
        assert set(quote_texts(client, speaker_country=value)) == russians
    assert quote_texts(client, speaker_country="US") == ["Support for Ukraine will continue,"]


def test_speaker_organisation_filter_keeps_speakers_holding_positions_there(
    client: TestClient, corpus: Corpus
) -> None:
    kremlin = ["Russia remains open to talks with the United States.", "the talks had stalled"]
    assert quote_texts(client, speaker_organisation="Kremlin") == kremlin
    assert quote_texts(client, speaker_organisation="kremlin") == kremlin
    assert quote_texts(client, speaker_organisation=str(organisation_id(client, "Kremlin"))) == kremlin


def test_country_filter_keeps_quotes_whose_article_mentions_it(client: TestClient, corpus: Corpus) -> None:
    texts = quote_texts(client, country="United States")
    assert texts == [
        "It was a long night.",
        "We need air defence now.",
        "Support for Ukraine will continue,",
        "Russia remains open to talks with the United States.",
        "sanctions would fail",
    ]
    assert quote_texts(client, country="UA", speaker="Putin") == ["the talks had stalled"]


def test_kind_filter_keeps_direct_or_indirect_speech(client: TestClient, corpus: Corpus) -> None:
    assert set(quote_texts(client, kind="indirect")) == {
        "sanctions would fail",
        "the talks had stalled",
        "Russia wanted partnership with the West",
    }
    assert len(quote_texts(client, kind="direct")) == 5


def test_invalid_kind_is_422(client: TestClient) -> None:
    body = assert_problem(client.get("/quotes", params={"kind": "sarcastic"}), 422)
    assert body["errors"][0]["loc"] == ["query", "kind"]


def test_q_searches_the_quote_text(client: TestClient, corpus: Corpus) -> None:
    assert quote_texts(client, q="village") == ["We will defend every village."]
    assert quote_texts(client, q='"air defence"') == ["We need air defence now."]
    assert quote_texts(client, q="talks", speaker="Peskov") == [
        "Russia remains open to talks with the United States."
    ]
    # The article's words are not the quote's: "Kremlin" appears only around the quotes.
    assert quote_texts(client, q="Kremlin") == []


@pytest.mark.parametrize(
    "q", ['"unclosed', "NEAR(a b)", "*", "col:val", "AND OR NOT", "-x", "'; DROP TABLE quote; --", "ü*:^"]
)
def test_full_text_syntax_in_q_never_fails(client: TestClient, corpus: Corpus, q: str) -> None:
    response = client.get("/quotes", params={"q": q})
    assert response.status_code == 200, response.text


def test_published_dates_filter_by_the_article(client: TestClient, corpus: Corpus) -> None:
    assert set(quote_texts(client, published_from="2024-03-01", published_to="2024-03-31")) == {
        "sanctions would fail",
        "Russia remains open to talks with the United States.",
    }
    assert quote_texts(client, published_to="2000-01-01") == ["Russia wanted partnership with the West"]
    assert len(quote_texts(client, published_from="2024-06-01T09:00:00Z")) == 3


@pytest.mark.parametrize("window_articles", [0, 5000])
def test_date_filtered_quotes_page_alike_whether_read_from_the_window_or_the_newest_quote(
    client: TestClient, corpus: Corpus, monkeypatch: pytest.MonkeyPatch, window_articles: int
) -> None:
    monkeypatch.setattr(quote_service, "WINDOW_ARTICLES", window_articles)
    ids: list[int] = []
    cursor = None
    while True:
        params = {"published_from": "2024-01-01", "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = get_ok(client, "/quotes", **params)
        ids += [q["id"] for q in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(ids) == 7 and ids == sorted(ids, reverse=True)


@pytest.mark.parametrize("window_articles", [0, 5000])
def test_speaker_country_and_organisation_within_a_date_window_either_way(
    client: TestClient, corpus: Corpus, monkeypatch: pytest.MonkeyPatch, window_articles: int
) -> None:
    monkeypatch.setattr(quote_service, "WINDOW_ARTICLES", window_articles)
    assert quote_texts(client, speaker_country="RU", published_from="2024-01-01") == [
        "Russia remains open to talks with the United States.",
        "sanctions would fail",
        "the talks had stalled",
    ]
    assert quote_texts(client, speaker_organisation="Kremlin", published_from="2024-02-01") == [
        "Russia remains open to talks with the United States."
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"speaker": "Nobody Atall"},
        {"speaker": "%_'\";--"},
        {"speaker_country": "Atlantis"},
        {"speaker_organisation": "Ministry of Silly Walks"},
        {"country": "Narnia"},
        {"speaker": "999999"},
        {"q": "nonexistentword"},
    ],
)
def test_unknown_filter_values_give_empty_quotes(
    client: TestClient, corpus: Corpus, params: dict[str, str]
) -> None:
    assert get_ok(client, "/quotes", **params) == {"items": [], "next_cursor": None}


def test_quotes_page_with_cursor_and_link_header(client: TestClient, corpus: Corpus) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = client.get("/quotes", params=params)
        body = response.json()
        seen += [q["id"] for q in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in response.headers
            break
        assert 'rel="next"' in response.headers["link"]
    assert len(seen) == 8 and seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "garbage"},
        {"cursor": "eyJpZCI6ICJ4In0"},
        {"limit": "0"},
        {"limit": "100000"},
        {"published_from": "not-a-date"},
        {"published_to": "2024-13-45"},
        {"format": "xml"},
    ],
)
def test_bad_quote_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    assert_problem(client.get("/quotes", params=params), 422)


def test_quotes_come_as_csv_and_ndjson(client: TestClient, corpus: Corpus) -> None:
    response = client.get("/quotes", params={"format": "csv", "speaker": "Peskov"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["speaker.name"] == "Dmitry Peskov"
    assert rows[0]["article.title"] == "Lavrov on sanctions"
    assert json.loads(rows[0]["speaker.positions"])[0]["title"] == "spokesperson"
    response = client.get("/quotes", params={"limit": 2}, headers={"accept": "application/x-ndjson"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert len(response.text.splitlines()) == 2
    assert 'rel="next"' in response.headers["link"]


@pytest.fixture
def statements(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    executed: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        executed.append(statement)

    # Every read on a reader thread: a quick read tried on the event loop (app.db.read) that a
    # busy machine interrupts past its budget runs again on a thread, and its statements would
    # count twice. What is counted here is what a page costs, wherever it runs.
    monkeypatch.setattr(db, "INLINE_UNDER_MS", 0.0)
    for engine in engines(settings):
        event.listen(engine, "before_cursor_execute", record)
    yield executed
    for engine in engines(settings):
        event.remove(engine, "before_cursor_execute", record)


def test_a_page_of_quotes_costs_the_same_queries_whatever_its_length(
    client: TestClient, corpus: Corpus, statements: list[str]
) -> None:
    client.get("/quotes", params={"limit": 3})  # one speaker with an organisation, as in the full page
    one = len(statements)
    statements.clear()
    client.get("/quotes", params={"limit": 8})
    assert len(statements) == one


def selects(statements: list[str]) -> int:
    return sum(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in statements)


def test_hot_pages_run_as_few_statements_as_the_hand_written_sql(
    client: TestClient, corpus: Corpus, statements: list[str]
) -> None:
    """What bench/query_latency.py compares with SQL: each page reads its rows and names in the
    fewest statements (a statement costs a round trip and SQLAlchemy's per-statement work)."""
    peskov = get_ok(client, "/people", name="Peskov")["items"][0]["id"]
    get_ok(client, "/countries/RU")  # the country table is read once per process, here
    statements.clear()
    assert get_ok(client, "/articles", person=str(peskov))["items"]
    # The id is followed through entity_redirect (one unique-index lookup: a merged-away id means
    # the entity it was merged into), then the page and its ids in one.
    assert selects(statements) == 2
    statements.clear()
    page = get_ok(client, "/quotes", speaker="Dmitry Peskov")["items"]
    assert page and page[0]["speaker"]["positions"] and page[0]["article"]["title"]
    assert selects(statements) == 3  # the name, the quotes with articles and names, the positions
    statements.clear()
    offices = get_ok(client, "/positions", title="spokesperson", country="Russia")["items"]
    assert offices and offices[0]["person"]["name"] == "Dmitry Peskov"
    assert selects(statements) == 1
    statements.clear()
    assert get_ok(client, "/countries/RU")["name"]
    assert selects(statements) == 5  # counters, latest articles, holders, their offices, speakers


# --- /people ---------------------------------------------------------------------------------------


def names(body: dict[str, Any]) -> list[str]:
    return [i["name"] for i in body["items"]]


def test_people_filter_by_country_and_organisation_of_their_positions(
    client: TestClient, corpus: Corpus
) -> None:
    # Listed by id; people first seen in the same article get ids in name order.
    assert sorted(names(get_ok(client, "/people", country="RU"))) == [
        "Andrei Kozyrev",
        "Dmitry Peskov",
        "Sergey Lavrov",
        "Vladimir Putin",
    ]
    assert names(get_ok(client, "/people", country="Ukraine")) == ["Volodymyr Zelenskiy"]
    assert sorted(names(get_ok(client, "/people", organisation="Kremlin"))) == [
        "Dmitry Peskov",
        "Vladimir Putin",
    ]
    assert names(get_ok(client, "/people", organisation="Kremlin", country="US")) == []
    assert names(get_ok(client, "/people", name="Zelensky")) == ["Volodymyr Zelenskiy"]
    assert get_ok(client, "/people", country="Atlantis")["items"] == []
    assert get_ok(client, "/people", organisation="Nowhere Inc")["items"] == []


def test_people_list_comes_as_csv(client: TestClient, corpus: Corpus) -> None:
    response = client.get("/people", params={"format": "csv", "limit": 2})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    as_json = get_ok(client, "/people", limit=2)["items"]
    assert [r["name"] for r in rows] == [p["name"] for p in as_json]
    assert [json.loads(r["aliases"]) for r in rows] == [p["aliases"] for p in as_json]
    assert any(r["aliases"] != "[]" for r in rows)
    assert 'rel="next"' in response.headers["link"]


def test_person_page_has_positions_over_time_counts_and_co_mentions(
    client: TestClient, corpus: Corpus
) -> None:
    lavrov = person_id(client, "Lavrov")
    body = get_ok(client, f"/people/{lavrov}")
    assert body["name"] == "Sergey Lavrov"
    assert body["aliases"] == ["Lavrov"]
    assert (body["quote_count"], body["article_count"]) == (1, 2)
    assert body["mention_count"] == 4  # "Sergey Lavrov" and "Lavrov" in each article
    former, stated = body["positions"]  # the undated article counts as seen when stored: last
    assert (former["title"], former["country"], former["former"]) == ("foreign minister", "RU", True)
    assert former["article_ids"] == [corpus.undated]
    assert former["first_seen"] == former["last_seen"]
    assert former["first_seen"] > "2026"
    assert (stated["former"], stated["article_ids"]) == (False, [corpus.moscow])
    assert stated["first_seen"] == stated["last_seen"] == "2024-03-05T08:30:00Z"
    co = body["co_mentions"]
    assert [(p["name"], p["articles"]) for p in co["people"]] == [("Vladimir Putin", 1), ("Dmitry Peskov", 1)]
    assert [(o["name"], o["articles"]) for o in co["organisations"]] == [("Kremlin", 1)]
    assert [(c["code"], c["articles"]) for c in co["countries"]] == [("RU", 2), ("US", 1)]


def test_person_page_groups_a_position_stated_twice(client: TestClient, corpus: Corpus) -> None:
    body = get_ok(client, f"/people/{person_id(client, 'Zelenskiy')}")
    [president] = body["positions"]
    assert president["title"] == "president" and president["organisation"] is None
    assert president["article_ids"] == [corpus.kyiv, corpus.washington]
    assert (president["first_seen"], president["last_seen"]) == (
        "2024-01-10T12:00:00Z",
        "2024-06-01T09:00:00Z",
    )
    putin = get_ok(client, f"/people/{person_id(client, 'Putin')}")
    assert putin["positions"][0]["organisation"]["name"] == "Kremlin"


def test_person_page_supports_conditional_get(client: TestClient, corpus: Corpus) -> None:
    path = f"/people/{person_id(client, 'Peskov')}"
    first = client.get(path)
    again = client.get(path, headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


# --- /organisations --------------------------------------------------------------------------------


def test_organisations_filter_by_country_and_person_of_positions(client: TestClient, corpus: Corpus) -> None:
    assert names(get_ok(client, "/organisations", country="RU")) == ["Kremlin"]
    assert names(get_ok(client, "/organisations", country="usa")) == ["State Department"]
    assert names(get_ok(client, "/organisations", person="Blinken")) == ["State Department"]
    assert names(get_ok(client, "/organisations", person="Zelensky")) == []
    assert get_ok(client, "/organisations", person="Nobody Atall")["items"] == []
    response = client.get("/organisations", params={"format": "ndjson"})
    assert [json.loads(line)["name"] for line in response.text.splitlines()] == [
        "Kremlin",
        "State Department",
    ]


def test_organisation_page_has_its_people_speakers_and_co_mentions(
    client: TestClient, corpus: Corpus
) -> None:
    kremlin = organisation_id(client, "Kremlin")
    response = client.get(f"/organisations/{kremlin}")
    body = response.json()
    assert body["name"] == "Kremlin" and body["article_count"] == 2
    assert [(p["name"], p["titles"], p["articles"]) for p in body["people"]] == [
        ("Vladimir Putin", ["president"], 1),
        ("Dmitry Peskov", ["spokesperson"], 1),
    ]
    assert [(s["name"], s["quotes"]) for s in body["top_speakers"]] == [
        ("Vladimir Putin", 1),
        ("Dmitry Peskov", 1),
    ]
    co = body["co_mentions"]
    assert {c["code"] for c in co["countries"]} == {"RU", "UA", "US"}
    assert co["organisations"] == []
    assert len(co["people"]) == 4
    again = client.get(f"/organisations/{kremlin}", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304


# --- /countries ------------------------------------------------------------------------------------


def test_countries_list_stays_a_list_and_comes_as_csv(client: TestClient) -> None:
    countries = get_ok(client, "/countries")
    assert {"code": "RU", "alpha3": "RUS", "name": "Russian Federation"} in countries
    rows = list(csv.DictReader(io.StringIO(client.get("/countries", params={"format": "csv"}).text)))
    assert len(rows) == len(countries) and set(rows[0]) == {"code", "alpha3", "name"}


@pytest.mark.parametrize("value", ["RU", "ru", "RUS", "Russian Federation"])
def test_country_page_takes_codes_and_names(client: TestClient, corpus: Corpus, value: str) -> None:
    body = get_ok(client, f"/countries/{value}")
    assert body["code"] == "RU" and body["article_count"] == 4
    assert [a["id"] for a in body["latest_articles"]] == [
        corpus.undated,
        corpus.moscow,
        corpus.kyiv,
        corpus.kozyrev,
    ]
    assert body["latest_articles"][1]["title"] == "Lavrov on sanctions"
    people = {p["name"]: (p["titles"], p["articles"]) for p in body["people"]}
    assert people == {
        "Sergey Lavrov": (["foreign minister"], 2),
        "Andrei Kozyrev": (["foreign minister"], 1),
        "Vladimir Putin": (["president"], 1),
        "Dmitry Peskov": (["spokesperson"], 1),
    }
    assert body["people"][0]["name"] == "Sergey Lavrov"
    assert {s["name"] for s in body["top_speakers"]} == set(people)


def test_unknown_country_is_404_and_known_one_has_an_etag(client: TestClient, corpus: Corpus) -> None:
    assert_problem(client.get("/countries/Atlantis"), 404)
    first = client.get("/countries/UA")
    assert first.json()["people"][0]["name"] == "Volodymyr Zelenskiy"
    assert client.get("/countries/UA", headers={"if-none-match": first.headers["etag"]}).status_code == 304


@pytest.mark.parametrize("path", ["/people/999999", "/organisations/999999", "/countries/ZZ"])
def test_unknown_entity_pages_are_404(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 404)


# --- /positions ------------------------------------------------------------------------------------


def positions(client: TestClient, **params: Any) -> list[tuple[str, str, str | None]]:
    return [
        (p["person"]["name"], p["title"], p["country"])
        for p in get_ok(client, "/positions", **params)["items"]
    ]


def test_foreign_ministers_of_russia_across_time(client: TestClient, corpus: Corpus) -> None:
    items = get_ok(client, "/positions", title="Foreign Minister", country="Russia")["items"]
    assert [(p["person"]["name"], p["article_count"]) for p in items] == [
        ("Sergey Lavrov", 2),
        ("Andrei Kozyrev", 1),
    ]
    lavrov, kozyrev = items
    assert lavrov["first_seen"] == "2024-03-05T08:30:00Z" and lavrov["last_seen"] > "2026"
    assert kozyrev["first_seen"] == kozyrev["last_seen"] == "1995-05-01T10:00:00Z"


def test_position_title_matches_every_word_given(client: TestClient, corpus: Corpus) -> None:
    assert {p[0] for p in positions(client, title="minister")} == {"Sergey Lavrov", "Andrei Kozyrev"}
    assert positions(client, title="state secretary") == [("Antony Blinken", "secretary of state", "US")]
    assert positions(client, title="prime minister") == []
    assert positions(client, title="%") == []
    assert positions(client, title="...") == []


def test_positions_filter_by_organisation_and_person(client: TestClient, corpus: Corpus) -> None:
    assert positions(client, organisation="Kremlin") == [
        ("Dmitry Peskov", "spokesperson", "RU"),
        ("Vladimir Putin", "president", "RU"),
    ]
    assert positions(client, person="Zelensky") == [("Volodymyr Zelenskiy", "president", "UA")]
    for params in ({"person": "Nobody Atall"}, {"organisation": "Nowhere"}, {"country": "Narnia"}):
        assert get_ok(client, "/positions", **params) == {"items": [], "next_cursor": None}


def test_positions_are_latest_seen_first_and_page_by_cursor(client: TestClient, corpus: Corpus) -> None:
    everything = get_ok(client, "/positions", limit=100)["items"]
    assert len(everything) == 6
    assert [p["last_seen"] for p in everything] == sorted((p["last_seen"] for p in everything), reverse=True)
    paged: list[Any] = []
    cursor = None
    while True:
        response = client.get("/positions", params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        paged += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if not cursor:
            break
        assert 'rel="next"' in response.headers["link"]
    assert paged == everything


def test_positions_come_as_csv(client: TestClient, corpus: Corpus) -> None:
    response = client.get("/positions", params={"format": "csv", "country": "UA"})
    [row] = csv.DictReader(io.StringIO(response.text))
    assert (row["person.name"], row["title"], row["article_count"]) == (
        "Volodymyr Zelenskiy",
        "president",
        "2",
    )


@pytest.mark.parametrize(
    "params", [{"cursor": "garbage"}, {"cursor": "eyJpZCI6MX0"}, {"limit": "100000"}, {"limit": "-1"}]
)
def test_bad_position_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    assert_problem(client.get("/positions", params=params), 422)


@pytest.mark.parametrize("path", ["/people", "/organisations"])
def test_bad_entity_list_parameters_are_422(client: TestClient, path: str) -> None:
    assert_problem(client.get(path, params={"cursor": "garbage"}), 422)
    assert_problem(client.get(path, params={"limit": "100000"}), 422)


# --- Documentation -----------------------------------------------------------------------------------


def test_openapi_documents_every_query_parameter_and_gives_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = ["/quotes", "/people", "/organisations", "/countries", "/positions", "/countries/{country}"]
    for path in paths:
        operation = spec["paths"][path]["get"]
        assert operation["summary"], path
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
    schemas = spec["components"]["schemas"]
    for model in ("QuotePublic", "PersonRead", "OrganisationRead", "CountryRead", "PositionPublic"):
        assert schemas[model]["examples"], model
    assert "422" in spec["paths"]["/quotes"]["get"]["responses"]
