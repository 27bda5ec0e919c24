"""app.extraction is a library: usable without the web service, and true to the eval contract."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def test_importing_the_extraction_library_loads_no_web_or_database_code() -> None:
    probe = (
        "import sys, app.extraction; "
        "print([m for m in ('fastapi', 'sqlmodel', 'sqlalchemy', 'starlette', 'app.main', 'app.models') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_posting_through_the_client_models_loads_no_model() -> None:
    """A script that builds an `ArticleCreate` (its text repaired by `encoding`) does not pay
    for spaCy: the pipeline is imported on first use of one of its names."""
    probe = (
        "import sys; from app.models import ArticleCreate; "
        "print(ArticleCreate(text='G\\u00c3\\u00bclen spoke').text, 'spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["G\u00fclen", "spoke", "False"]


@pytest.mark.model
def test_extraction_follows_the_eval_contract(seed_text: str) -> None:
    from app.extraction import extract

    result = extract(seed_text).model_dump(mode="json")
    assert set(result) >= {"people", "organisations", "countries", "positions", "quotes", "extractor"}
    assert result["extractor"]["name"] == "newsmeta"
    for country in result["countries"]:
        assert len(country["code"]) == 2 and country["code"].isupper()
    for kind in ("people", "organisations", "countries"):
        for entity in result[kind]:
            for mention in entity["mentions"]:
                assert seed_text[mention["start"] : mention["end"]] == mention["text"]
    for quote in result["quotes"]:
        assert quote["kind"] in ("direct", "indirect")


@pytest.mark.model
def test_extract_many_in_worker_processes_matches_one_process() -> None:
    from app.extraction import load_pipeline

    texts = ["Angela Merkel visited Paris on Monday.", "Boris Johnson spoke in London.", "Nothing here."] * 3
    extractor = load_pipeline()
    serial = list(extractor.extract_many(texts, batch_size=2))
    parallel = list(extractor.extract_many(texts, batch_size=2, n_process=2))
    assert parallel == serial


def test_a_line_break_starts_a_new_sentence() -> None:
    import spacy

    from app.extraction.pipeline import paragraph_breaks

    doc = paragraph_breaks(spacy.blank("en")("The minister spoke for an hour\nReporters left early"))
    starts = [t.text for t in doc if t.is_sent_start]
    assert "Reporters" in starts


@pytest.mark.model
def test_the_seed_article_gives_its_people_offices_countries_and_speakers(seed_text: str) -> None:
    """Regression on the article the project started from: what a new user sees first."""
    from app.extraction import extract

    result = extract(seed_text)
    assert {p.name for p in result.people} == {
        "Dmitry Peskov", "Keir Starmer", "Emmanuel Macron", "Donald Trump",
        "Vladimir Putin", "Sergey Lavrov", "Zelenskiy",
    }  # fmt: skip
    assert {"Kremlin", "NATO"} <= {o.name for o in result.organisations}
    codes = {"UA", "RU", "GB", "FR", "US", "DE", "IT", "PL", "ES", "RO", "HR"}
    assert {c.code for c in result.countries} == codes
    offices = {(p.person, p.title, p.organisation, p.country) for p in result.positions}
    assert offices >= {
        ("Dmitry Peskov", "spokesperson", "Kremlin", "RU"),
        ("Keir Starmer", "prime minister", None, "GB"),
        ("Emmanuel Macron", "president", None, "FR"),
        ("Donald Trump", "president", None, "US"),
        ("Vladimir Putin", "president", None, "RU"),
        ("Sergey Lavrov", "foreign minister", None, "RU"),
    }
    said = {(q.speaker, q.kind, q.text) for q in result.quotes}
    direct = "Russia remains open to resolving the conflict through political means"
    assert ("Dmitry Peskov", "direct", direct) in said
    assert ("Sergey Lavrov", "indirect", "European nations lack genuine interest in peace") in said
    assert any(s == "Emmanuel Macron" and k == "indirect" and "boots on the ground" in t for s, k, t in said)
    assert all(q.speaker is not None for q in result.quotes)
