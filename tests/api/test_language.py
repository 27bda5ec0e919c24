"""Articles carry their language; a text the pipeline does not cover never reaches its model."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.extraction import Extraction, load_pipeline
from app.extraction.language import detect_language, primary_subtag
from app.services import ingest
from tests.conftest import make_client

# Invented sentences.
GERMAN = (
    "Der Bundeskanzler sagte am Montag in Berlin, die Regierung werde die Hilfe für die Ukraine "
    "fortsetzen. „Wir stehen an der Seite unserer Partner“, sagte der Sprecher des Ministeriums."
)
FRENCH = (
    "Le président a déclaré lundi à Paris que le gouvernement poursuivrait son aide. « Nous "
    "resterons unis », a affirmé la porte-parole du ministère des Affaires étrangères."
)
ENGLISH = (
    "Kremlin spokesperson Dmitry Peskov said on Monday that Russia remains open to talks. "
    "“We are ready,” Peskov said."
)


def test_detects_short_german_french_and_english_texts() -> None:
    assert detect_language(GERMAN)[0] == "de"  # type: ignore[index]
    assert detect_language(FRENCH)[0] == "fr"  # type: ignore[index]
    assert detect_language(ENGLISH)[0] == "en"  # type: ignore[index]
    assert detect_language("Peskov said so.") is None  # too short to tell


def test_language_tags_compare_on_their_primary_subtag() -> None:
    assert primary_subtag("de-AT") == primary_subtag("DE_at") == "de"
    assert Settings(model="de_core_news_sm").pipeline_languages == {"de"}
    assert Settings().pipeline_languages == {"en"}
    assert Settings(languages=["en", "fr-FR"]).pipeline_languages == {"en", "fr"}


def test_a_german_article_is_stored_unextracted(client: TestClient) -> None:
    response = client.post("/articles", json={"text": GERMAN, "title": "Hilfe"})
    assert response.status_code == 201
    body = response.json()
    assert (body["language"], body["language_detected"], body["extracted"]) == ("de", "de", False)
    assert body["extraction"] == {
        "people": [],
        "organisations": [],
        "countries": [],
        "positions": [],
        "quotes": [],
    }
    assert client.get("/organisations", params={"name": "Bundeskanzler"}).json()["items"] == []
    listed = client.get("/articles").json()["items"]
    assert [(a["title"], a["extracted"]) for a in listed] == [("Hilfe", False)]


def test_a_declared_language_wins_over_detection(client: TestClient) -> None:
    body = client.post("/articles", json={"text": ENGLISH, "language": "fr"}).json()
    assert (body["language"], body["language_detected"], body["extracted"]) == ("fr", "en", False)
    assert body["extraction"]["people"] == []


def test_an_english_article_is_extracted_and_says_so(client: TestClient) -> None:
    body = client.post("/articles", json={"text": ENGLISH}).json()
    assert (body["language"], body["extracted"]) == ("en", True)
    assert "Dmitry Peskov" in [p["name"] for p in body["extraction"]["people"]]
    # "en-GB" is English too.
    other = client.post("/articles", json={"text": FRENCH.replace("lundi", "mardi"), "language": "en-GB"})
    assert other.json()["extracted"] is True


def test_refusing_setting_answers_422_and_a_batch_keeps_its_other_items(settings: Settings) -> None:
    with make_client(settings, unsupported_language="reject") as client:
        refused = client.post("/articles", json={"text": FRENCH})
        assert refused.status_code == 422
        problem = refused.json()
        assert problem["type"] == "/problems/unsupported-language" and "'fr'" in problem["detail"]
        batch = client.post(
            "/articles/batch", json={"articles": [{"text": GERMAN}, {"text": ENGLISH}]}
        ).json()
        assert [r["status"] for r in batch["results"]] == [422, 201]
        assert client.get("/articles").json()["items"][0]["language"] == "en"


class Recording:
    """The real extractor, noting which texts reach it."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.extractor = load_pipeline(Settings().model)

    def extract_many(self, texts: Sequence[str], /) -> list[Extraction]:
        self.texts += texts
        return list(self.extractor.extract_many(texts))


@pytest.mark.model
def test_only_covered_texts_reach_the_model() -> None:
    settings = Settings()
    recording = Recording()
    languages = [ingest._language(code, code, settings) for code in ("de", "en", "fr")]
    found = ingest.extract_covered(
        extractor=recording, settings=settings, texts=[GERMAN, ENGLISH, FRENCH], languages=languages
    )
    assert recording.texts == [ENGLISH]
    assert [bool(e.people) for e in found] == [False, True, False]
