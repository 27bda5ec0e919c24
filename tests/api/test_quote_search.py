"""GET /quotes?q= with other filters: on SQLite the page is driven newest first off the FTS index,
or off the speaker's or the date window's quotes with the text matched per batch; either way
every matching quote comes once, newest first, across pages."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.services import quotes as quote_service
from app.services import search
from tests.api.test_queries import store

N = 60  # more than the first batch of candidates, so batches grow while a page fills


class Quotes:
    """N quotes, Peskov (RU) and Zelensky (UA) in turn; every third about sanctions, the others
    about talks; one article a day from 2024-01-01."""

    def __init__(self, settings: Settings) -> None:
        self.facts: dict[str, dict[str, Any]] = {}
        for i in range(N):
            peskov = i % 2 == 0
            speaker, country = ("Dmitry Peskov", "RU") if peskov else ("Volodymyr Zelensky", "UA")
            sanctions = i % 3 == 0
            said = f"the {'sanctions' if sanctions else 'talks'} matter, number {i}"
            day = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
            store(
                settings,
                f'{speaker} said "{said}".',
                published_at=f"{day}T12:00:00+00:00",
                people={speaker: ()},
                positions=((speaker, "spokesperson", None, country),),
                quotes=((speaker, "direct", said),),
            )
            self.facts[said] = {"peskov": peskov, "sanctions": sanctions, "day": day, "i": i}

    def expected(self, **want: Any) -> list[str]:
        day_from, day_to = want.pop("day_from", "0"), want.pop("day_to", "9")
        found = [
            (f["i"], said)
            for said, f in self.facts.items()
            if all(f[k] == v for k, v in want.items()) and day_from <= f["day"] <= day_to
        ]
        return [said for _, said in sorted(found, reverse=True)]  # stored in order: newest first


def texts(client: TestClient, **params: Any) -> list[str]:
    """Every page of /quotes, followed by cursor."""
    out: list[str] = []
    cursor = None
    while True:
        response = client.get("/quotes", params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        out += [q["text"] for q in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return out


@pytest.mark.parametrize("window_articles", [0, 5000])
@pytest.mark.parametrize(
    ("params", "want", "text_drives"),
    [
        ({"q": "sanctions"}, {"sanctions": True}, True),
        # 20 quotes on sanctions, 30 by Peskov: the text is the rarer, and drives.
        ({"q": "sanctions", "speaker": "Peskov"}, {"peskov": True, "sanctions": True}, True),
        # 40 on talks: Peskov's quotes drive, the text is matched within each batch's id ranges.
        ({"q": "talks", "speaker": "Peskov"}, {"peskov": True, "sanctions": False}, False),
        ({"q": "sanctions", "speaker_country": "UA"}, {"peskov": False, "sanctions": True}, True),
        (
            {"q": "talks", "published_from": "2024-01-05", "published_to": "2024-02-20"},
            {"sanctions": False, "day_from": "2024-01-05", "day_to": "2024-02-19"},
            True,
        ),
        ({"q": '(sanctions) "sanctions matter" sanctions: sanctions*'}, {"sanctions": True}, True),
    ],
)
def test_text_with_filters_pages_every_matching_quote_newest_first(
    client: TestClient,
    settings: Settings,
    params: dict[str, str],
    want: dict[str, Any],
    text_drives: bool,
    window_articles: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = Quotes(settings)
    monkeypatch.setattr(quote_service, "WINDOW_ARTICLES", window_articles)
    monkeypatch.setattr(quote_service, "FIRST_BATCH", 4)
    calls: list[int] = []
    walk = search.newest

    def counted(*args: Any, **kwargs: Any) -> list[int]:
        calls.append(1)
        return walk(*args, **kwargs)

    monkeypatch.setattr(search, "newest", counted)
    expected = corpus.expected(**want)
    assert len(expected) > 4, "every case should span several pages"
    assert texts(client, limit=3, **params) == expected
    assert texts(client, limit=100, **params) == expected
    windowed = "published_from" in params and window_articles > 0
    on_sqlite = settings.database_url.startswith("sqlite")
    assert bool(calls) == (on_sqlite and text_drives and not windowed)


def test_text_without_matches_or_words_gives_no_quotes(client: TestClient, settings: Settings) -> None:
    Quotes(settings)
    assert texts(client, q="nonexistentword") == []
    assert texts(client, q="***") == []
    assert texts(client, q="sanctions", speaker="Nobody Atall") == []
