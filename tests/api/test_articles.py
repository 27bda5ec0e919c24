"""The /articles API, run against SQLite and Postgres databases built by the migrations."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.config import Settings
from app.db import get_engine, session_scope
from app.models import Article, Mention, Person
from tests.conftest import make_client

pytestmark = pytest.mark.model


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    return body


def count(settings: Settings, column: Any) -> int:
    with session_scope(get_engine(settings)) as session:
        return int(session.execute(select(func.count(column))).scalar_one())


def test_posting_the_seed_article_returns_its_people_organisations_and_countries(
    client: TestClient, seed_text: str
) -> None:
    response = client.post("/articles", json={"text": seed_text, "title": "Seed"})
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"/articles/{body['id']}"
    extraction = body["extraction"]
    people = {p["name"] for p in extraction["people"]}
    assert {"Dmitry Peskov", "Keir Starmer", "Emmanuel Macron", "Vladimir Putin"} <= people
    assert "Kremlin" in {o["name"] for o in extraction["organisations"]}
    assert {"RU", "UA", "FR", "DE"} <= {c["code"] for c in extraction["countries"]}
    peskov = next(p for p in extraction["people"] if p["name"] == "Dmitry Peskov")
    for mention in peskov["mentions"]:
        assert seed_text[mention["start"] : mention["end"]] == mention["text"]
    assert body["extractor_name"] == "newsmeta"


def test_reading_an_article_back_gives_what_posting_returned(client: TestClient, seed_text: str) -> None:
    posted = client.post("/articles", json={"text": seed_text}).json()
    read = client.get(f"/articles/{posted['id']}")
    assert read.status_code == 200
    assert read.json() == posted


def test_reposting_same_text_returns_existing_article(
    client: TestClient, settings: Settings, seed_text: str
) -> None:
    first = client.post("/articles", json={"text": seed_text})
    people = count(settings, Person.id)
    mentions = count(settings, Mention.id)
    again = client.post("/articles", json={"text": seed_text + "\n"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert count(settings, Article.id) == 1
    assert (count(settings, Person.id), count(settings, Mention.id)) == (people, mentions)


def test_mojibake_is_repaired_before_storing_and_the_repaired_text_is_one_article(
    client: TestClient, settings: Settings
) -> None:
    written = "Mayor José María Ortega said on Monday that Raúl Peña would lead the Bogotá office."
    garbled = written.encode("utf-8").decode("latin-1").encode("utf-8").decode("latin-1")
    first = client.post("/articles", json={"text": garbled})
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["text"] == written
    people = {p["name"]: p for p in body["extraction"]["people"]}
    assert "José María Ortega" in people
    for mention in people["José María Ortega"]["mentions"]:
        assert written[mention["start"] : mention["end"]] == mention["text"]
    again = client.post("/articles", json={"text": written})
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert count(settings, Article.id) == 1


@pytest.mark.parametrize("key", ["url", "external_id"])
def test_reposting_same_url_or_external_id_returns_existing_article(
    client: TestClient, settings: Settings, key: str
) -> None:
    value = "https://example.org/a" if key == "url" else "feed-42"
    first = client.post("/articles", json={"text": "Angela Merkel visited Paris.", key: value})
    second = client.post("/articles", json={"text": "A corrected text about Angela Merkel.", key: value})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert count(settings, Article.id) == 1


def test_same_person_in_two_articles_is_one_person(client: TestClient, settings: Settings) -> None:
    client.post("/articles", json={"text": "French President Emmanuel Macron met farmers on Monday."})
    client.post("/articles", json={"text": "Emmanuel Macron spoke in Berlin, and Macron left."})
    people = client.get("/people", params={"name": "emmanuel macron"}).json()["items"]
    assert [p["name"] for p in people] == ["Emmanuel Macron"]
    assert len(client.get("/articles", params={"person": people[0]["id"]}).json()["items"]) == 2


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_or_whitespace_text_is_rejected(client: TestClient, text: str) -> None:
    body = assert_problem(client.post("/articles", json={"text": text}), 422)
    assert body["errors"][0]["loc"] == ["body", "text"]


def test_text_over_the_limit_is_413(settings: Settings) -> None:
    with make_client(settings, max_article_bytes=100) as small:
        body = assert_problem(small.post("/articles", json={"text": "word " * 50}), 413)
    assert "100" in body["detail"]


def test_body_over_the_limit_is_413(settings: Settings) -> None:
    with make_client(settings, max_body_bytes=1000) as small:
        assert_problem(small.post("/articles", json={"text": "x" * 5000}), 413)


def test_wrong_content_type_is_415(client: TestClient) -> None:
    assert_problem(
        client.post("/articles", content=b"Some text", headers={"content-type": "text/plain"}), 415
    )


@pytest.mark.parametrize(
    "payload", [b"{not json", b"[1, 2]", b'{"text": 5}', b'"just a string"', b"\xff\xfe"]
)
def test_malformed_json_is_a_client_error(client: TestClient, payload: bytes) -> None:
    response = client.post("/articles", content=payload, headers={"content-type": "application/json"})
    assert_problem(response, 422)


def test_unparseable_date_is_422(client: TestClient) -> None:
    body = assert_problem(
        client.post("/articles", json={"text": "Hello.", "published_at": "last Tuesday"}), 422
    )
    assert body["errors"][0]["loc"] == ["body", "published_at"]


def test_a_misspelt_field_is_422_naming_it_and_nothing_is_stored(client: TestClient) -> None:
    body = assert_problem(
        client.post("/articles", json={"text": "Hello there.", "publshed_at": "2024-01-01"}), 422
    )
    assert body["errors"][0]["loc"] == ["body", "publshed_at"]
    assert "publshed_at" in body["detail"]
    assert client.get("/articles").json()["items"] == []


def test_date_without_time_means_midnight_utc(client: TestClient) -> None:
    body = client.post("/articles", json={"text": "Hello.", "published_at": "2015-09-12"}).json()
    assert body["published_at"] == "2015-09-12T00:00:00Z"


@pytest.mark.parametrize("path", ["/articles/999999", "/people/999999", "/organisations/999999"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_deleting_unknown_article_is_404(client: TestClient) -> None:
    assert_problem(client.delete("/articles/999999"), 404)


@pytest.mark.parametrize("path", ["/articles/abc", "/articles/0", "/articles/99999999999999999999999"])
def test_malformed_ids_are_422(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 422)


def test_unknown_route_is_a_problem_404(client: TestClient) -> None:
    assert_problem(client.get("/nowhere"), 404)


def test_batch_stores_good_items_and_reports_bad_ones(client: TestClient, settings: Settings) -> None:
    articles = [
        {"text": "Boris Johnson spoke in London on Tuesday."},
        {"text": "   "},
        {"text": "Boris Johnson spoke in London on Tuesday."},
        "not an object",
        {"text": "Jacinda Ardern visited Tokyo.", "published_at": "yesterday-ish"},
        {"text": "Olaf Scholz met Emmanuel Macron in Berlin."},
    ]
    response = client.post("/articles/batch", json={"articles": articles})
    assert response.status_code == 200
    body = response.json()
    statuses = [r["status"] for r in body["results"]]
    assert statuses == [201, 422, 200, 422, 422, 201]
    assert body["results"][0]["article_id"] == body["results"][2]["article_id"]
    assert body["results"][1]["problem"]["status"] == 422
    assert (body["created"], body["existing"], body["failed"]) == (2, 1, 3)
    assert count(settings, Article.id) == 2


def test_batch_over_the_item_limit_is_413(settings: Settings) -> None:
    with make_client(settings, max_batch_items=2) as small:
        assert_problem(small.post("/articles/batch", json={"articles": [{"text": "a"}] * 3}), 413)


def test_empty_batch_is_422(client: TestClient) -> None:
    assert_problem(client.post("/articles/batch", json={"articles": []}), 422)


def _post_corpus(client: TestClient) -> list[int]:
    texts = [
        ("Russian President Vladimir Putin spoke in Moscow.", "2024-01-10T12:00:00Z"),
        ("German Chancellor Angela Merkel met NATO officials in Berlin.", "2024-02-10T12:00:00Z"),
        ("Vladimir Putin and Angela Merkel spoke by phone about Ukraine.", "2024-03-10T12:00:00+02:00"),
    ]
    return [client.post("/articles", json={"text": t, "published_at": d}).json()["id"] for t, d in texts]


def test_listing_filters_by_person_organisation_country_and_date(client: TestClient) -> None:
    a, b, c = _post_corpus(client)

    def ids(**params: str) -> list[int]:
        response = client.get("/articles", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [c, b, a]
    assert ids(person="Putin") == [c, a]
    assert ids(person="vladimir putin") == [c, a]
    assert ids(organisation="NATO") == [b]
    assert ids(country="DE") == [b]
    assert ids(country="germany") == [b]
    assert ids(country="deu") == [b]
    assert ids(published_from="2024-02-01", published_to="2024-03-01") == [b]
    assert ids(person="Putin", published_from="2024-02-01") == [c]


def test_unknown_filter_values_give_empty_results(client: TestClient) -> None:
    _post_corpus(client)
    for params in ({"person": "Nobody Atall"}, {"country": "Atlantis"}, {"organisation": "%_'\";--"}):
        response = client.get("/articles", params=params)
        assert response.status_code == 200
        assert response.json()["items"] == []


def test_listing_pages_with_cursor_and_link_header(client: TestClient) -> None:
    a, b, c = _post_corpus(client)
    first = client.get("/articles", params={"limit": 2})
    assert [i["id"] for i in first.json()["items"]] == [c, b]
    assert 'rel="next"' in first.headers["link"]
    second = client.get("/articles", params={"limit": 2, "cursor": first.json()["next_cursor"]})
    assert [i["id"] for i in second.json()["items"]] == [a]
    assert second.json()["next_cursor"] is None
    assert "link" not in second.headers


def test_the_link_header_leads_to_the_next_page_with_the_other_parameters_as_sent(
    client: TestClient,
) -> None:
    a, b, c = _post_corpus(client)
    # An unknown parameter is ignored but kept, with its encoding ("a b&c").
    first = client.get("/articles", params={"limit": 1, "note": "a b&c"})
    seen = [first.json()["items"][0]["id"]]
    link = first.headers["link"]
    while link:
        url = link.removeprefix("<").split(">;")[0]
        # Relative: the Host header a client sent is never reflected (setting NEWSMETA_PUBLIC_BASE_URL).
        assert url.startswith("/articles?") and "note=a+b%26c" in url
        assert url.count("cursor=") == 1 and "limit=1" in url
        page = client.get(url)
        seen += [item["id"] for item in page.json()["items"]]
        link = page.headers.get("link", "")
    assert seen == [c, b, a]


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "garbage"},
        {"cursor": "eyJpZCI6ICJ4In0"},
        {"limit": "0"},
        {"limit": "-5"},
        {"limit": "100000"},
        {"published_from": "not-a-date"},
    ],
)
def test_bad_paging_and_date_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    assert_problem(client.get("/articles", params=params), 422)


def test_deleting_an_article_removes_its_records_and_orphaned_entities(
    client: TestClient, settings: Settings
) -> None:
    kept = client.post("/articles", json={"text": "Angela Merkel visited Paris."}).json()
    gone = client.post("/articles", json={"text": "Angela Merkel met Jacinda Ardern in Wellington."}).json()
    assert client.delete(f"/articles/{gone['id']}").status_code == 204
    assert client.get(f"/articles/{gone['id']}").status_code == 404
    names = {p["name"] for p in client.get("/people").json()["items"]}
    assert "Angela Merkel" in names
    assert "Jacinda Ardern" not in names
    with session_scope(get_engine(settings)) as session:
        left = session.execute(select(Mention.article_id).distinct()).scalars().all()
    assert left == [kept["id"]]


def test_a_failure_while_storing_records_leaves_no_partial_article(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import ingest

    def explode(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ingest, "_store_records", explode)
    with TestClient(client.app, raise_server_exceptions=False) as raw:
        response = raw.post("/articles", json={"text": "Angela Merkel visited Paris."})
    assert_problem(response, 500)
    assert count(settings, Article.id) == 0


def test_openapi_documents_examples_and_problem_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["ArticleCreate"]["examples"][0]["text"]
    post = spec["paths"]["/articles"]["post"]
    assert {"201", "200", "413", "415", "422"} <= set(post["responses"])
    assert client.get("/docs").status_code == 200


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    "q", ['"unclosed', "NEAR(a b)", "*", "col:val", "AND OR NOT", "-x", "'; DROP TABLE article; --", "ü*:^"]
)
def test_full_text_syntax_in_q_never_fails(client: TestClient, q: str) -> None:
    _post_corpus(client)
    response = client.get("/articles", params={"q": q})
    assert response.status_code == 200, response.text


def test_full_text_search_combines_with_filters(client: TestClient) -> None:
    a, b, c = _post_corpus(client)

    def ids(**params: str) -> list[int]:
        return [i["id"] for i in client.get("/articles", params=params).json()["items"]]

    assert ids(q="phone") == [c]
    assert ids(q="spoke") == [c, a]
    assert ids(q='"by phone"') == [c]
    assert ids(q="spoke", person="Merkel") == [c]
    assert ids(q="officials NATO") == [b]
    assert ids(q="nonexistentword") == []


@pytest.mark.parametrize(("fmt", "accept"), [("csv", None), ("ndjson", None), (None, "text/csv")])
def test_article_lists_come_as_csv_or_ndjson(client: TestClient, fmt: str | None, accept: str | None) -> None:
    _post_corpus(client)
    params = {"limit": "2", **({"format": fmt} if fmt else {})}
    response = client.get("/articles", params=params, headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    assert 'rel="next"' in response.headers["link"]
    if fmt == "ndjson":
        assert response.headers["content-type"].startswith("application/x-ndjson")
        rows = [json.loads(line) for line in response.text.splitlines()]
    else:
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2 and all(row["id"] for row in rows)


def test_article_detail_supports_conditional_get(client: TestClient) -> None:
    article_id = client.post("/articles", json={"text": "Angela Merkel visited Paris."}).json()["id"]
    first = client.get(f"/articles/{article_id}")
    etag = first.headers["etag"]
    again = client.get(f"/articles/{article_id}", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"/articles/{article_id}", headers={"if-none-match": '"other"'}).status_code == 200


def test_cors_origins_are_configurable(settings: Settings) -> None:
    with make_client(settings, cors_origins=["http://dash.example"]) as c:
        response = c.get("/articles", headers={"origin": "http://dash.example"})
        assert response.headers["access-control-allow-origin"] == "http://dash.example"
        other = c.get("/articles", headers={"origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers
