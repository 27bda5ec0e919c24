"""GET /articles with entity filters, driven from the mention index: several filters together
give exactly the articles matching all of them, newest first, and page without gaps."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.services import articles as article_service
from app.services import search
from tests.api.test_queries import store

N = 150  # more than the first batch of candidates, so batches grow while a page fills


class Archive:
    """N articles about Lavrov; every third mentions Russia, every fifth Peskov too, every
    seventh the word 'sanctions', every fourth Gazprom; dates one day apart from 2024-01-01."""

    def __init__(self, settings: Settings) -> None:
        self.facts: dict[int, dict[str, Any]] = {}
        for i in range(N):
            people = {"Sergey Lavrov": ("Lavrov",)}
            russia, peskov, sanctions, gazprom = i % 3 == 0, i % 5 == 0, i % 7 == 0, i % 4 == 0
            if peskov:
                people["Dmitry Peskov"] = ("Peskov",)
            words = ["Sergey Lavrov spoke"]
            words += ["with Dmitry Peskov"] if peskov else []
            words += ["in Russia"] if russia else []
            words += ["about sanctions"] if sanctions else ["about trade"]
            words += ["and Gazprom"] if gazprom else []
            day = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
            article_id = store(
                settings,
                " ".join(words) + f", number {i}.",
                published_at=f"{day}T12:00:00+00:00",
                people=people,
                organisations=("Gazprom",) if gazprom else (),
                countries=(("RU", "Russia"),) if russia else (),
            )
            self.facts[article_id] = {
                "russia": russia,
                "peskov": peskov,
                "sanctions": sanctions,
                "gazprom": gazprom,
                "day": day,
            }
        # Someone else entirely, so the rarest filter is not always the first one given.
        store(
            settings,
            "Antony Blinken in Russia.",
            people={"Antony Blinken": ()},
            countries=(("RU", "Russia"),),
        )

    def expected(self, **want: Any) -> list[int]:
        day_from, day_to = want.pop("day_from", "0"), want.pop("day_to", "9")
        return sorted(
            (
                i
                for i, f in self.facts.items()
                if all(f[k] == v for k, v in want.items()) and day_from <= f["day"] <= day_to
            ),
            reverse=True,
        )


@pytest.fixture
def archive(settings: Settings) -> Archive:
    return Archive(settings)


def ids(client: TestClient, **params: Any) -> list[int]:
    """Every page of /articles, followed by cursor."""
    out: list[int] = []
    cursor = None
    while True:
        response = client.get("/articles", params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        out += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return out


@pytest.mark.parametrize(
    ("params", "want"),
    [
        ({"person": "Lavrov"}, {}),
        ({"person": "Lavrov", "country": "RU"}, {"russia": True}),
        ({"country": "Russia", "person": "Peskov"}, {"russia": True, "peskov": True}),
        ({"person": "Peskov", "q": "sanctions"}, {"peskov": True, "sanctions": True}),
        (
            {
                "person": "Lavrov",
                "country": "RU",
                "published_from": "2024-02-01",
                "published_to": "2024-03-15",
            },
            {"russia": True, "day_from": "2024-02-01", "day_to": "2024-03-14"},
        ),
        ({"person": "Lavrov", "country": "RU", "q": "sanctions"}, {"russia": True, "sanctions": True}),
    ],
)
def test_combined_filters_give_every_matching_article_newest_first(
    client: TestClient,
    archive: Archive,
    params: dict[str, str],
    want: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(article_service, "WINDOW_ARTICLES", 0)  # dates too are checked per candidate
    expected = archive.expected(**want)
    assert expected, "the archive should have matches for every case"
    assert ids(client, limit=100, **params) == expected
    assert ids(client, limit=7, **params) == expected


def test_a_sparse_combination_still_fills_a_page_from_growing_batches(
    client: TestClient, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_service, "FIRST_BATCH", 4)
    expected = archive.expected(russia=True, peskov=True, sanctions=True)
    assert ids(client, person="Lavrov", country="RU", q="sanctions Peskov", limit=3) == expected
    assert ids(client, person="Lavrov", organisation="Nowhere") == []


def test_a_small_date_window_drives_the_page_the_same(client: TestClient, archive: Archive) -> None:
    # Few articles in the window: the page starts from the window, with the same answer.
    params = {
        "person": "Lavrov",
        "country": "RU",
        "published_from": "2024-03-01",
        "published_to": "2024-03-10",
    }
    assert ids(client, limit=2, **params) == archive.expected(
        russia=True, day_from="2024-03-01", day_to="2024-03-09"
    )


class TextWalks:
    """Records how often the FTS index was walked newest first (the text driving a page)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        walk = search.newest_params  # every walk of the index takes its parameters here

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return walk(*args, **kwargs)

        monkeypatch.setattr(search, "newest_params", counted)


@pytest.mark.parametrize("window_articles", [0, 5000])  # dates checked per candidate, or driving
@pytest.mark.parametrize(
    ("params", "want", "text_drives"),
    [
        ({"q": "sanctions"}, {"sanctions": True}, True),
        # 22 articles say 'sanctions', 30 mention Peskov: the text is the rarer, and drives.
        ({"q": "sanctions", "person": "Peskov"}, {"peskov": True, "sanctions": True}, True),
        # 128 say 'trade': Peskov drives, and the text is matched within each batch's id ranges.
        ({"q": "trade", "person": "Peskov"}, {"peskov": True, "sanctions": False}, False),
        ({"q": "sanctions", "country": "Russia"}, {"russia": True, "sanctions": True}, True),
        ({"q": "sanctions", "organisation": "Gazprom"}, {"gazprom": True, "sanctions": True}, True),
        ({"q": "trade", "organisation": "Gazprom"}, {"gazprom": True, "sanctions": False}, False),
        (
            {"q": "sanctions", "published_from": "2024-02-01", "published_to": "2024-04-15"},
            {"sanctions": True, "day_from": "2024-02-01", "day_to": "2024-04-14"},
            True,
        ),
        (
            {
                "q": "trade",
                "person": "Lavrov",
                "country": "RU",
                "organisation": "Gazprom",
                "published_from": "2024-01-10",
                "published_to": "2024-05-20",
            },
            {
                "sanctions": False,
                "russia": True,
                "gazprom": True,
                "day_from": "2024-01-10",
                "day_to": "2024-05-19",
            },
            False,
        ),
        # Syntax characters are text: each of these terms is the word 'sanctions' or its phrase.
        ({"q": '(sanctions) "about sanctions" sanctions: sanctions*'}, {"sanctions": True}, True),
        (
            {"q": 'sanctions* "about sanctions"', "person": "Peskov"},
            {"peskov": True, "sanctions": True},
            True,
        ),
    ],
)
def test_text_with_filters_pages_every_match_newest_first(
    client: TestClient,
    archive: Archive,
    settings: Settings,
    params: dict[str, str],
    want: dict[str, Any],
    text_drives: bool,
    window_articles: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(article_service, "WINDOW_ARTICLES", window_articles)
    monkeypatch.setattr(article_service, "FIRST_BATCH", 4)  # pages fill over several batches
    walks = TextWalks(monkeypatch)
    expected = archive.expected(**want)
    assert len(expected) > 4, "every case should span several pages"
    assert ids(client, limit=3, **params) == expected
    assert ids(client, limit=100, **params) == expected
    dated = "published_from" in params and window_articles > 0
    on_sqlite = settings.database_url.startswith("sqlite")
    assert (walks.calls > 0) == (on_sqlite and text_drives and not dated)


def test_text_matching_more_than_one_batch_walks_the_index_in_batches(
    client: TestClient, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_service, "FIRST_BATCH", 4)
    monkeypatch.setattr(article_service, "MAX_BATCH", 8)
    # Batches of at most 8 ids off the FTS index: a page of 5 sparse matches takes several.
    expected = archive.expected(sanctions=False, gazprom=True, russia=True)
    assert ids(client, q="trade Russia Gazprom", limit=5) == expected
    assert ids(client, q="trade", limit=50) == archive.expected(sanctions=False)


def test_text_without_words_or_without_matches_gives_an_empty_page(
    client: TestClient, archive: Archive
) -> None:
    assert ids(client, q="***") == []
    assert ids(client, q="nonexistentword", person="Lavrov") == []
    assert ids(client, q="sanctions", person="Blinken") == []


def test_id_ranges_cover_the_ids_and_split_at_the_widest_gaps() -> None:
    ids_ = [5, 6, 7, 7 + search.RANGE_GAP, 1_000, 50_000, 50_001]
    assert search.id_ranges(ids_) == [(5, 7 + search.RANGE_GAP), (1_000, 1_000), (50_000, 50_001)]
    spread = list(range(0, 1_000_000, 1_000))  # 1000 ids, gaps all wider than RANGE_GAP
    ranges = search.id_ranges(spread)
    assert len(ranges) == search.MAX_RANGES
    assert all(lo <= hi for lo, hi in ranges) and all(a[1] < b[0] for a, b in pairwise(ranges))
    assert all(any(lo <= i <= hi for lo, hi in ranges) for i in spread)
    assert search.id_ranges([]) == []
