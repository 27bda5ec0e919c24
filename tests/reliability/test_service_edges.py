"""Issue 14's service edges, each replayed with a bounded input on SQLite and on Postgres:
dates at the ends of the range, a POST racing a DELETE, CSV cells that a spreadsheet would run
as formulas, job retention and ownership, HEAD and Allow, and what problem details may say."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlmodel import Session, col

from app.config import Settings
from app.db import get_engine, in_transaction
from app.extraction import records
from app.main import create_app
from app.models import ArticleCreate, Job, JobItem
from app.models.common import utcnow
from app.services import articles as article_service
from app.services import caps, ingest
from tests.conftest import fresh_postgres_database
from tests.reliability.conftest import assert_problem, migrated, new_key, seed
from tests.reliability.test_bad_inputs import DATE_PARAMS, DOC

pytestmark = pytest.mark.model

# Times whose UTC instant lies outside years 1 to 9999: `astimezone` overflows on them.
EDGE_DATES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-00:01"]
# Times at the very ends that stay inside the range once in UTC.
INSIDE_EDGES = ["0001-01-01T00:00:00Z", "0001-01-01T01:00:00+01:00", "9999-12-31T23:59:59Z"]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "postgres":
        with fresh_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('edges') / 'newsmeta.db'}"


@pytest.fixture(scope="module")
def api(backend: str) -> Iterator[TestClient]:
    """Auth on, an admin key in every request, seeded articles."""
    settings = migrated(backend, auth_enabled=True, extract_workers=1)
    seed(settings)
    key = new_key(settings, "admin")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


# --- 5. Dates at the edges of the range ------------------------------------------------------


@pytest.mark.parametrize("when", EDGE_DATES)
def test_an_article_dated_past_the_range_once_in_utc_is_422(api: TestClient, when: str) -> None:
    body = assert_problem(
        api.post("/articles", json={"text": "Olaf Scholz spoke.", "published_at": when}), 422
    )
    assert "published_at" in body["detail"] and "range" in body["detail"]


@pytest.mark.parametrize("when", EDGE_DATES)
def test_one_edge_date_in_a_batch_fails_its_item_alone(api: TestClient, when: str) -> None:
    items = [
        {"text": f"Angela Merkel visited Rome ({when}).", "published_at": when},
        {"text": f"Emmanuel Macron visited Madrid ({when})."},
    ]
    response = api.post("/articles/batch", json={"articles": items})
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["status"] == 422 and first["problem"]["status"] == 422
    assert second["status"] in (200, 201)


@pytest.mark.parametrize("when", EDGE_DATES)
def test_an_edge_date_posted_async_is_422_at_once(api: TestClient, when: str) -> None:
    response = api.post(
        "/articles", params={"async": "true"}, json={"text": "Jens Stoltenberg spoke.", "published_at": when}
    )
    assert_problem(response, 422)


@pytest.mark.parametrize(("path", "name"), DATE_PARAMS, ids=[f"{p}?{n}" for p, n in DATE_PARAMS])
@pytest.mark.parametrize("when", EDGE_DATES)
def test_edge_dates_in_every_date_filter_are_422(api: TestClient, path: str, name: str, when: str) -> None:
    assert_problem(api.get(path, params={name: when}), 422)


@pytest.mark.parametrize("when", INSIDE_EDGES)
def test_the_last_instants_inside_the_range_are_accepted(api: TestClient, when: str) -> None:
    assert api.get("/articles", params={"published_from": when}).status_code == 200
    response = api.post("/articles", json={"text": f"Mark Rutte spoke at {when}.", "published_at": when})
    assert response.status_code in (200, 201), response.text


# --- 8. CSV exports: no cell a spreadsheet would run ------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_PATHS = [
    path
    for path, operations in DOC["paths"].items()
    if "{" not in path and any(p["name"] == "format" for p in operations.get("get", {}).get("parameters", []))
]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def formula_article(api: TestClient) -> int:
    article = {
        "text": '"=HYPERLINK(""http://evil.example"")," said Olaf Scholz. '
        "@SUM(A1) was the view of NATO in Berlin, Germany.",
        "title": '=HYPERLINK("http://evil.example","click")',
        "source": "@SUM(1+1)",
        "external_id": "+cmd|' /C calc'!A0",
        "url": "-2+3+cmd|' /C calc'!A0",
        "published_at": "2024-05-03T10:00:00Z",
    }
    response = api.post("/articles", json=article)
    assert response.status_code in (200, 201), response.text
    article_id: int = response.json()["id"]
    return article_id


def test_every_csv_export_was_found() -> None:
    assert {"/articles", "/quotes", "/people"} <= set(CSV_PATHS)


@pytest.mark.parametrize("path", CSV_PATHS)
def test_csv_exports_defuse_cells_that_start_a_formula(
    api: TestClient, formula_article: int, path: str
) -> None:
    response = api.get(path, params={"format": "csv"})
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or _is_number(cell), (path, cell)


def test_a_defused_title_keeps_its_text_after_the_quote(api: TestClient, formula_article: int) -> None:
    response = api.get("/articles", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    titles = {row["title"] for row in rows}
    assert """'=HYPERLINK("http://evil.example","click")""" in titles
    assert "'@SUM(1+1)" in {row["source"] for row in rows}


# --- 6. A POST racing a DELETE of the same article --------------------------------------------


def test_a_post_racing_a_delete_of_the_same_article_is_never_404(api: TestClient) -> None:
    """Each round posts an article while another thread deletes it: the POST finds the stored
    article, the DELETE removes it, and the POST must still answer with an article (stored
    again, 201, or found, 200), never 404 for the article it was asked to store."""
    article = {"text": "Pedro Sanchez met Keir Starmer in Madrid on the day of the race."}
    first = api.post("/articles", json=article)
    assert first.status_code in (200, 201), first.text
    article_id = first.json()["id"]
    posts: Counter[int] = Counter()
    deletes: Counter[int] = Counter()
    with ThreadPoolExecutor(2) as pool:
        for _ in range(150):
            start = threading.Barrier(2)

            def post(start: threading.Barrier = start) -> Any:
                start.wait()
                return api.post("/articles", json=article)

            def delete(target: int = article_id, start: threading.Barrier = start) -> Any:
                start.wait()
                return api.delete(f"/articles/{target}")

            posted, deleted = pool.submit(post), pool.submit(delete)
            response, gone = posted.result(timeout=60), deleted.result(timeout=60)
            posts[response.status_code] += 1
            deletes[gone.status_code] += 1
            assert response.status_code in (200, 201), response.text
            assert response.json()["text"] == article["text"]
            article_id = response.json()["id"]
    assert set(deletes) <= {204, 404}, deletes
    assert posts[201] >= 1, posts  # the race was run: some posts stored the article again


def test_an_article_deleted_between_finding_and_reading_it_is_stored_again(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race above, made certain: the DELETE lands just after the POST found the article."""
    article = {"text": "Ursula von der Leyen met Jens Stoltenberg in Brussels, the interleaved day."}
    article_id = api.post("/articles", json=article).json()["id"]
    engine = get_engine(api.app.state.settings)  # type: ignore[attr-defined]
    real = article_service.get_article
    calls: list[int] = []

    def deleted_first(*, session: Any, article_id: int) -> Any:
        if not calls:
            in_transaction(engine, lambda s: ingest.delete_article(session=s, article_id=article_id))
        calls.append(article_id)
        return real(session=session, article_id=article_id)

    monkeypatch.setattr(article_service, "get_article", deleted_first)
    response = api.post("/articles", json=article)
    assert response.status_code == 201, response.text
    assert response.json()["text"] == article["text"] and calls[0] == article_id and len(calls) == 2
    assert api.get(f"/articles/{response.json()['id']}").status_code == 200


# --- 9. Job retention and ownership -------------------------------------------------------------


def _wait_done(api: TestClient, job_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"/jobs/{job_id}", headers=headers).json()
        if job.get("status") in ("done", "failed"):
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} did not finish")


def _inputs(settings: Settings, job_id: str) -> list[dict[str, Any]]:
    with Session(get_engine(settings)) as session:
        rows = session.execute(select(col(JobItem.input)).where(col(JobItem.job_id) == job_id)).scalars()
        return list(rows)


def test_a_finished_job_keeps_no_text_and_answers_only_its_key_or_an_admin(api: TestClient) -> None:
    settings: Settings = api.app.state.settings  # type: ignore[attr-defined]
    mine = {"Authorization": f"Bearer {new_key(settings, 'write')}"}
    theirs = {"Authorization": f"Bearer {new_key(settings, 'write')}"}
    text = "Mette Frederiksen met Sanna Marin in Copenhagen for the retention test."
    accepted = api.post("/articles", params={"async": "true"}, json={"text": text}, headers=mine)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    job = _wait_done(api, job_id, mine)
    assert job["status"] == "done" and job["results"][0]["status"] == 201
    assert _inputs(settings, job_id) == [{}]  # the text went when the job finished
    assert_problem(api.get(f"/jobs/{job_id}", headers=theirs), 404)  # as if there were no such job
    assert_problem(api.get(f"/jobs/{job_id}", headers={"Authorization": ""}), 401)
    assert api.get(f"/jobs/{job_id}").status_code == 200  # the fixture's admin key


def test_deleting_an_article_deletes_its_text_from_kept_job_inputs(api: TestClient) -> None:
    settings = api.app.state.settings.model_copy(update={"job_input_retention_hours": 24})  # type: ignore[attr-defined]
    text = "Leo Varadkar met Micheal Martin in Dublin, a text kept for a day."
    with TestClient(create_app(settings)) as client:
        client.headers.update(api.headers)
        job_id = client.post("/articles", params={"async": "true"}, json={"text": text}).json()["job_id"]
        job = _wait_done(client, job_id)
        assert _inputs(settings, job_id)[0]["text"] == text  # kept for the retention
        assert client.delete(f"/articles/{job['results'][0]['article_id']}").status_code == 204
    assert _inputs(settings, job_id) == [{}]


def test_finished_jobs_are_deleted_after_their_retention(api: TestClient) -> None:
    settings: Settings = api.app.state.settings  # type: ignore[attr-defined]
    first = api.post("/articles", params={"async": "true"}, json={"text": "Old job: Olaf Scholz in Bonn."})
    old_id = first.json()["job_id"]
    _wait_done(api, old_id)
    with get_engine(settings).begin() as conn:
        conn.execute(
            update(Job).where(col(Job.id) == old_id).values(finished_at=utcnow() - timedelta(days=8))
        )
    second = api.post("/articles", params={"async": "true"}, json={"text": "New job: Olaf Scholz in Kiel."})
    _wait_done(api, second.json()["job_id"])  # a job finishing purges the expired ones
    assert_problem(api.get(f"/jobs/{old_id}"), 404)
    assert _inputs(settings, old_id) == []


# --- 7. The records of one article are bounded, and so is its write ------------------------------


def _spelt(number: int) -> str:
    """`number` as letters no spelling-variant key folds together (`name_skeleton` drops vowels
    and digits' repeats): each digit a consonant pair, starts and ends from disjoint sets."""
    pairs = ("bk", "cl", "dm", "fn", "gp", "hr", "js", "qt", "xv", "zw")
    return "".join(pairs[int(d)] for d in str(number)).capitalize()


class _ListOfNames:
    """An extractor that finds `people` people, each mentioned `each` times, in any text: names
    real enough that identity resolution keeps every one apart."""

    def __init__(self, people: int, each: int) -> None:
        self.people, self.each = people, each

    def extract_many(self, texts: Any, /) -> Any:
        for text in texts:
            stamp = abs(hash(text))
            people = tuple(
                records.Person(
                    name=f"Ann{_spelt(stamp % 1000)} {_spelt(100_000 + i)}",
                    mentions=tuple(records.Mention(start=i, end=i + 1, text="x") for _ in range(self.each)),
                )
                for i in range(self.people)
            )
            quotes = (records.Quote(speaker=people[-1].name, kind="direct", text="We will.", start=0, end=8),)
            yield records.Extraction(
                people=people,
                quotes=quotes,
                extractor=records.ExtractorInfo(name="t", version="0", model="m"),
            )


def test_an_article_naming_22000_people_stores_its_most_mentioned_within_the_limits(api: TestClient) -> None:
    """The review's 660 KB article: 22,000 people held the SQLite write lock for 17 s. The most
    mentioned within NEWSMETA_MAX_ENTITIES_PER_ARTICLE are stored, in a bounded write."""
    settings: Settings = api.app.state.settings  # type: ignore[attr-defined]
    extractor = _ListOfNames(people=22_000, each=1)
    article = ArticleCreate(text=f"A list of 22,000 names, {time.time_ns()}.")
    started = time.monotonic()
    (result,) = ingest.ingest_many(
        engine=get_engine(settings), extractor=extractor, settings=settings, articles=[article]
    )
    elapsed = time.monotonic() - started
    assert result.created
    stored = api.get(f"/articles/{result.article_id}").json()["extraction"]
    assert len(stored["people"]) == settings.max_entities_per_article
    assert elapsed < 30, elapsed  # about a minute at this machine's pace before, for all 22,000
    assert stored["quotes"][0]["speaker"] is None  # its speaker was not among those kept


def test_the_record_caps_keep_the_most_mentioned_and_respect_the_mention_budget() -> None:
    people = tuple(
        records.Person(
            name=f"Person {i}",
            mentions=tuple(records.Mention(start=i, end=i + 1, text="x") for _ in range(1 + i % 3)),
        )
        for i in range(30)
    )
    positions = (
        records.Position(person="Person 2", title="minister", organisation="Gone Org", start=0, end=1),
        records.Position(person="Person 0", title="mayor", start=0, end=1),
    )
    extraction = records.Extraction(
        people=people, positions=positions, extractor=records.ExtractorInfo(name="t", version="0", model="m")
    )
    small = caps.bounded(extraction, caps.RecordLimits(entities=10, mentions=25, quotes=5, positions=5))
    assert len(small.people) == 10
    assert all(len(p.mentions) == 3 for p in small.people[:8])  # the most mentioned: i % 3 == 2
    assert sum(len(p.mentions) for p in small.people) == 25
    assert [(p.person, p.organisation) for p in small.positions] == [("Person 2", None)]
    assert (
        caps.bounded(extraction, caps.RecordLimits(entities=100, mentions=100, quotes=5, positions=5))
        is extraction
    )
