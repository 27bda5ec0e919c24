"""GET /articles with entity filters, driven from the mention index: several filters together
give exactly the articles matching all of them, newest first, and page without gaps."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.services import articles as article_service
from tests.api.test_queries import store

N = 150  # more than the first batch of candidates, so batches grow while a page fills


class Archive:
    """N articles about Lavrov; every third mentions Russia, every fifth Peskov too, every
    seventh the word 'sanctions'; dates one day apart from 2024-01-01."""

    def __init__(self, settings: Settings) -> None:
        self.facts: dict[int, dict[str, Any]] = {}
        for i in range(N):
            people = {"Sergey Lavrov": ("Lavrov",)}
            russia, peskov, sanctions = i % 3 == 0, i % 5 == 0, i % 7 == 0
            if peskov:
                people["Dmitry Peskov"] = ("Peskov",)
            words = ["Sergey Lavrov spoke"]
            words += ["with Dmitry Peskov"] if peskov else []
            words += ["in Russia"] if russia else []
            words += ["about sanctions"] if sanctions else ["about trade"]
            day = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
            article_id = store(
                settings,
                " ".join(words) + f", number {i}.",
                published_at=f"{day}T12:00:00+00:00",
                people=people,
                countries=(("RU", "Russia"),) if russia else (),
            )
            self.facts[article_id] = {"russia": russia, "peskov": peskov, "sanctions": sanctions, "day": day}
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
