"""The `newsmeta` command: serve, db upgrade, extract, ingest."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

cli = typer.Typer(help="newsmeta: structured metadata from news articles.", no_args_is_help=True)


@cli.callback()
def _root() -> None:
    """newsmeta: structured metadata from news articles."""


@cli.command()
def extract(
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use (default: the setting).")] = None,
    batch_size: Annotated[int, typer.Option(min=1)] = 16,
) -> None:
    """Read {"id", "text", ...} JSON lines on stdin; write {"id", "extraction"} JSON lines on stdout."""
    from app.extraction import DEFAULT_MODEL, load_pipeline

    extractor = load_pipeline(model or DEFAULT_MODEL)
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    texts = (str(r["text"]) for r in rows)
    for row, extraction in zip(rows, extractor.extract_many(texts, batch_size=batch_size), strict=True):
        out = {"id": row.get("id"), "extraction": extraction.model_dump(mode="json")}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


def main() -> None:
    cli()
