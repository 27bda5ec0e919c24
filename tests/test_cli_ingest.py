"""`newsmeta ingest` streams and reports bad lines, `SOURCE:` is the source, `reextract --id N...`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.cli import cli, iter_articles
from app.config import get_settings
from app.db import get_engine, session_scope
from app.models import Article, JobItem

pytestmark = pytest.mark.model
runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEWSMETA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSMETA_EXTRACT_WORKERS", "1")
    get_settings.cache_clear()
    yield str(tmp_path / "cli.db")
    get_settings.cache_clear()


def _articles() -> list[Article]:
    with session_scope(get_engine(get_settings())) as session:
        return list(session.execute(select(Article).order_by(Article.id)).scalars().all())


def test_bad_json_lines_are_reported_by_file_and_line_and_the_rest_go_in(
    database: str, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        b'{"text": "Angela Merkel visited Paris on Monday.", "id": "a"}\n'
        b"{not json\n"
        b'{"text": "caf\xe9 latte"}\n'
        b"\n"
        b'{"text": "The mayor of Springfield said the bridge would open in May.", "id": "b"}\n'
        b"42\n"
    )
    result = runner.invoke(cli, ["ingest", str(feed)])
    assert result.exit_code == 1, result.output
    assert f"{feed}:2: not JSON" in result.output
    assert f"{feed}:3: not UTF-8" in result.output
    assert f"{feed}:6: text: Input should be a valid string" in result.output  # JSON, but no article
    assert "2 created, 0 already stored, 3 failed" in result.output
    assert [a.external_id for a in _articles()] == ["a", "b"]


def test_json_lines_are_read_one_at_a_time(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "First."}\n{"text": "Second."}\n', encoding="utf-8")
    items = iter_articles([feed])
    assert next(items) == (f"{feed}:1", {"text": "First."}, None)
    # The file may still grow (or be huge): what comes after was not read ahead.
    with feed.open("a", encoding="utf-8") as handle:
        handle.write('{"text": "Third."}\n')
    assert [body for _, body, _ in items] == [{"text": "Second."}, {"text": "Third."}]


def test_source_header_fills_source_and_never_url(database: str, tmp_path: Path) -> None:
    source = "https://example.org/wiki/Page (Example Wiki, CC BY 2.5) via a corpus"
    for name, text in (("a", "Finance Minister Anna Berg said the budget was balanced."),
                       ("b", "Health Minister Tom Hale said the hospitals were ready.")):  # fmt: skip
        (tmp_path / f"{name}.txt").write_text(
            f"TITLE: {name}\nSOURCE: {source}\nDATE: 2025-01-02\n\n{text}\n"
        )
    long_source = "Example Wire " * 30
    (tmp_path / "c.txt").write_text(
        f"SOURCE: {long_source}\nURL: https://example.org/c\n\nA short text here.\n"
    )
    result = runner.invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    stored = {a.title or "c": a for a in _articles()}
    assert [(stored[n].source, stored[n].url) for n in "ab"] == [(source, None), (source, None)]
    assert stored["c"].url == "https://example.org/c"
    assert (
        stored["c"].source
        and len(stored["c"].source) <= 200
        and stored["c"].source.startswith("Example Wire")
    )


def test_ingest_shows_a_progress_bar_with_rate_and_eta(database: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"text": f"Angela Merkel spoke {i} times."}) + "\n" for i in range(3)))
    result = runner.invoke(cli, ["ingest", str(feed)])
    assert result.exit_code == 0, result.output
    bar = next(line for line in result.output.splitlines() if line.startswith("ingest"))
    assert "3/3" in bar and "/s" in bar and "eta" in bar


def test_reextract_takes_several_ids_after_one_id_flag(database: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(json.dumps({"text": f"Angela Merkel visited city number {i}."}) + "\n" for i in range(3))
    )
    assert runner.invoke(cli, ["ingest", str(feed)]).exit_code == 0
    first, _, third = (a.id for a in _articles())
    for args in (["--id", str(first), str(third)], ["--id", str(first), "--id", str(third)]):
        result = runner.invoke(cli, ["reextract", *args])
        assert result.exit_code == 0, result.output
        assert "re-extracting 2 articles" in result.output and "2 re-extracted, 0 failed" in result.output
    with session_scope(get_engine(get_settings())) as session:
        # The items' inputs are deleted once a job finishes (retention); their results stay.
        done = session.execute(select(JobItem.article_id)).scalars().all()
    assert sorted(done) == [first, first, third, third]
    assert runner.invoke(cli, ["reextract"]).exit_code != 0
