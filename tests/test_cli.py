"""The newsmeta command: extract speaks the scorer's format; ingest loads files into the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.db import get_engine, session_scope
from app.models import Article

pytestmark = pytest.mark.model
runner = CliRunner()


def test_extract_reads_and_writes_json_lines(seed_text: str) -> None:
    lines = [json.dumps({"id": "seed", "text": seed_text}), "", json.dumps({"id": 7, "text": "Hello."})]
    result = runner.invoke(cli, ["extract"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["seed", 7]
    assert "Dmitry Peskov" in {p["name"] for p in rows[0]["extraction"]["people"]}


def test_extract_rejects_a_line_without_text() -> None:
    result = runner.invoke(cli, ["extract"], input='{"id": 1}\n')
    assert result.exit_code != 0


def test_ingest_loads_text_files_and_json_lines_into_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_text: str
) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("NEWSMETA_DATABASE_URL", f"sqlite:///{db}")
    get_settings.cache_clear()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("TITLE: Seed\nDATE: 2025-08-20\n\n" + seed_text, encoding="utf-8")
    (folder / "b.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Angela Merkel visited Paris.", "date": "2015-01-02"})
        + "\n"
        + json.dumps({"text": "   "})
        + "\n",
        encoding="utf-8",
    )
    try:
        first = runner.invoke(cli, ["ingest", str(folder)])
        again = runner.invoke(cli, ["ingest", str(folder / "a.txt")])
        with session_scope(get_engine(get_settings())) as session:
            articles = session.execute(select(Article).order_by(Article.id)).scalars().all()
            total = session.execute(select(func.count(Article.id))).scalar_one()
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 1  # the blank line failed; the others went in
    assert "2 created" in first.output and "1 failed" in first.output
    assert "0 created, 1 already stored" in again.output
    assert total == 2
    assert articles[0].title == "Seed" and articles[0].published_at is not None
    assert articles[1].external_id == "x1"
