"""The `newsmeta` command: serve, db upgrade, extract, ingest, worker, reextract, resolve."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

cli = typer.Typer(help="newsmeta: structured metadata from news articles.", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema: apply or inspect migrations.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
keys_cli = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
cli.add_typer(keys_cli, name="keys")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: setting NEWSMETA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: setting NEWSMETA_PORT).")] = None,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Run the HTTP API (applies pending migrations first, loads the model once).

    SIGTERM or SIGINT: requests under way get NEWSMETA_SHUTDOWN_GRACE_SECONDS to finish,
    then the extraction processes are killed (a request still waiting on one gets a 503)
    and the server exits: seconds, however long the articles in flight would have taken.
    """
    import uvicorn

    from app.config import get_settings
    from app.extraction.pool import close_pools
    from app.http_edges import uvicorn_options
    from app.observability import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    options: dict[str, Any] = {
        "factory": True,
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level,
        "log_config": None,  # keep the JSON handlers configured above
        "timeout_graceful_shutdown": max(1, math.ceil(settings.shutdown_grace_seconds)),
        **uvicorn_options(settings),  # header, connection and keep-alive limits (app/http_edges.py)
    }
    try:
        if reload:
            uvicorn.run("app.main:create_app", reload=True, **options)
        else:
            config = uvicorn.Config("app.main:create_app", **options)
            server = _graceful_server(config, grace=settings.shutdown_grace_seconds)
            server.run()
            if not server.started:  # as uvicorn.run: the port was taken, start-up failed
                raise typer.Exit(code=3)
    finally:
        close_pools(wait=False)


def _graceful_server(config: Any, *, grace: float) -> Any:
    """uvicorn's server, stopping the extraction processes a second before its grace period ends:
    a request still waiting on one then gets its 503 answer instead of being cancelled (a 500)."""
    import asyncio
    import socket
    import threading

    import uvicorn

    from app.extraction.pool import close_pools

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            stop = threading.Thread(target=close_pools, kwargs={"wait": False}, daemon=True)
            timer = asyncio.get_running_loop().call_later(max(0.0, grace - 1.0), stop.start)
            try:
                await super().shutdown(sockets)
            finally:
                timer.cancel()

    return Server(config)


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply pending migrations to the configured database."""
    from app import migrate
    from app.config import get_settings

    migrate.upgrade(get_settings(), revision)
    typer.echo(f"database at {revision}")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")]) -> None:
    """Revert migrations down to REVISION."""
    from app import migrate
    from app.config import get_settings

    migrate.downgrade(get_settings(), revision)
    typer.echo(f"database at {revision}")


class KeyScope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


@keys_cli.command("create")
def keys_create(
    scope: Annotated[KeyScope, typer.Option(help="read, write (posts) or admin (deletes too).")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "",
) -> None:
    """Make a key and print it; only its hash is stored, so this is the one time it is shown."""
    from app import migrate
    from app.config import get_settings
    from app.db import get_engine, session_scope
    from app.services import keys

    settings = get_settings()
    migrate.upgrade(settings)
    with session_scope(get_engine(settings), write=True) as session:
        key, record = keys.create_key(session=session, scope=scope.value, name=name)
    typer.echo(key)
    typer.echo(f"key {record.id} ({record.scope}) created; it will not be shown again", err=True)


@keys_cli.command("list")
def keys_list() -> None:
    """List keys: id, scope, name, first characters, created and revoked times (never the keys)."""
    from app.config import get_settings
    from app.db import get_engine, session_scope
    from app.services import keys

    with session_scope(get_engine(get_settings())) as session:
        for k in keys.list_keys(session=session):
            revoked = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "live"
            typer.echo(
                f"{k.id}\t{k.scope}\t{k.prefix}...\t{k.created_at:%Y-%m-%d %H:%M}\t{revoked}\t{k.name}"
            )


@keys_cli.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see `keys list`).")]) -> None:
    """Revoke a key: requests with it are refused from now on."""
    from app.config import get_settings
    from app.db import get_engine, session_scope
    from app.services import keys

    with session_scope(get_engine(get_settings()), write=True) as session:
        done = keys.revoke_key(session=session, key_id=key_id)
    if not done:
        typer.echo(f"no live key with id {key_id}", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"key {key_id} revoked")


@cli.command()
def extract(
    model: Annotated[
        str | None, typer.Option(help="spaCy pipeline (default: setting NEWSMETA_MODEL).")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Texts per nlp.pipe batch.")] = 16,
) -> None:
    """Read {"id", "text", ...} JSON lines on stdin; write {"id", "extraction"} JSON lines on stdout."""
    from app.config import get_settings
    from app.extraction import load_pipeline

    extractor = load_pipeline(model or get_settings().model)
    rows = []
    for number, line in enumerate(sys.stdin, start=1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise typer.BadParameter(f"line {number}: expected an object with a string 'text'")
            rows.append(row)
    texts = (row["text"] for row in rows)
    with _progress("extract") as progress:
        task = progress.add_task("extract", total=len(rows))
        for row, extraction in zip(rows, extractor.extract_many(texts, batch_size=batch_size), strict=True):
            out = {"id": row.get("id"), "extraction": extraction.model_dump(mode="json")}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            progress.advance(task)
        sys.stdout.flush()


@cli.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Text files, folders, or .jsonl files.")],
    url: Annotated[
        str | None,
        typer.Option(
            help="Post to this running server (e.g. http://127.0.0.1:8000) "
            "instead of writing to the configured database."
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per batch.")] = 64,
    api_key: Annotated[
        str | None, typer.Option(envvar="NEWSMETA_API_KEY", help="Key with write scope, for --url.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Extraction processes (default: setting NEWSMETA_EXTRACT_WORKERS)."),
    ] = None,
) -> None:
    """Load articles from files into newsmeta, with a progress bar.

    JSON lines are read one at a time; a line that is not an article is reported with its file
    and line number and the rest go on (the exit status is 1 if any failed).
    """
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True)
    sink = _HttpSink(url, api_key) if url else _DatabaseSink(workers)
    totals = {"created": 0, "existing": 0, "failed": 0}
    with _progress("ingest", console=console) as progress:
        task = progress.add_task("ingest", total=count_articles(paths))
        batch: list[tuple[str, dict[str, Any]]] = []

        def flush() -> None:
            for outcome, origin, detail in sink.send(batch):
                totals[outcome] += 1
                if outcome == "failed":
                    progress.console.print(
                        f"[red]failed[/red] {escape(origin)}: {escape(detail)}",
                        markup=True,
                        highlight=False,
                        soft_wrap=True,
                    )
            progress.advance(task, len(batch))
            batch.clear()

        for origin, body, error in iter_articles(paths):
            if body is None:
                totals["failed"] += 1
                progress.console.print(
                    f"[red]failed[/red] {escape(origin)}: {escape(error or '')}",
                    markup=True,
                    highlight=False,
                    soft_wrap=True,
                )
                progress.advance(task)
                continue
            batch.append((origin, body))
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    console.print(
        f"{totals['created']} created, {totals['existing']} already stored, {totals['failed']} failed"
    )
    if totals["failed"]:
        raise typer.Exit(code=1)


_JSON_LINES = (".jsonl", ".ndjson")
_TEXT_FILES = (".txt", ".text")


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        yield from (f for f in files if f.suffix in _JSON_LINES + _TEXT_FILES)


def count_articles(paths: list[Path]) -> int:
    """How many articles the files hold (non-blank JSON lines, text files): the progress bar's total."""
    total = 0
    for file in _files(paths):
        if file.suffix in _JSON_LINES:
            with file.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def iter_articles(paths: list[Path]) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """(origin, article body, None), or (origin, None, what is wrong) for a line or file that is not
    an article, for every article in the given files and folders in a stable order. JSON lines
    are read one at a time, so a file of any size streams."""
    for file in _files(paths):
        if file.suffix in _JSON_LINES:
            with file.open("rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    if not raw.strip():
                        continue
                    origin = f"{file}:{number}"
                    try:
                        yield origin, _from_json(json.loads(raw.decode("utf-8"))), None
                    except UnicodeDecodeError as exc:
                        yield origin, None, f"not UTF-8 ({exc.reason} at byte {exc.start})"
                    except json.JSONDecodeError as exc:
                        yield origin, None, f"not JSON: {exc.msg} at column {exc.colno}"
        else:
            try:
                yield str(file), _from_text(file.read_text(encoding="utf-8")), None
            except UnicodeDecodeError as exc:
                yield str(file), None, f"not UTF-8 ({exc.reason} at byte {exc.start})"


_JSON_FIELDS = {"text", "title", "url", "external_id", "source", "published_at", "language"}


def _from_json(row: Any) -> dict[str, Any]:
    """A JSON line as an article; `id` and `date` (the eval inputs' names) are understood too."""
    if not isinstance(row, dict):
        return {"text": row}
    body = {k: v for k, v in row.items() if k in _JSON_FIELDS}
    if "id" in row and "external_id" not in body:
        body["external_id"] = str(row["id"])
    if "date" in row and "published_at" not in body:
        body["published_at"] = row["date"]
    return body


# SOURCE is where the text came from (a publisher, or a page and its licence), not the article's
# own URL: two articles from one source must not collide on the unique url.
_HEADERS = {"TITLE": "title", "DATE": "published_at", "SOURCE": "source", "PUBLISHER": "source", "URL": "url"}
_MAX_SOURCE = 200  # ArticleCreate.source's max_length


def _from_text(raw: str) -> dict[str, Any]:
    """A text file; leading `TITLE:`/`DATE:`/`SOURCE:`/`URL:` lines and a blank line are its metadata."""
    head, sep, body = raw.partition("\n\n")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon or key.strip().upper() not in _HEADERS:
            meta = {}
            break
        field, value = _HEADERS[key.strip().upper()], value.strip()
        if field == "source" and len(value) > _MAX_SOURCE:
            value = value[: _MAX_SOURCE - 1].rsplit(" ", 1)[0] + "…"
        meta.setdefault(field, value)  # SOURCE before PUBLISHER: the first one given wins
    if sep and meta:
        return {"text": body.strip(), **meta}
    return {"text": raw.strip()}


def _progress(label: str, *, console: Any = None) -> Any:
    """A progress bar on stderr: done of total, rate, time spent and time left."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f}/s" if speed else "-/s", style="progress.data.speed")

    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    return Progress(*columns, console=console or Console(stderr=True))


class _HttpSink:
    """Posts batches through the typed client (which waits out 429 and 503 as the server says)."""

    def __init__(self, url: str, api_key: str | None) -> None:
        from app.client import Client

        self.client = Client(url, api_key=api_key, timeout=600)

    def send(self, batch: list[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, str, str]]:
        import httpx

        from app.client import NewsmetaError

        try:
            answer = self.client.create_articles([body for _, body in batch])
        except (NewsmetaError, httpx.HTTPError) as exc:
            for origin, _ in batch:
                yield "failed", origin, str(exc)[:300]
            return
        for (origin, _), result in zip(batch, answer.results, strict=True):
            problem = result.problem or {}
            yield _outcome(result.status), origin, str(problem.get("detail") or problem.get("title") or "")


class _DatabaseSink:
    def __init__(self, workers: int | None) -> None:
        from app import migrate
        from app.config import get_settings
        from app.db import get_engine
        from app.queue import pool_for

        self.settings = get_settings()
        if workers is not None:
            self.settings = self.settings.model_copy(update={"extract_workers": workers})
        migrate.upgrade(self.settings)
        self.engine = get_engine(self.settings)
        self.extractor = pool_for(self.settings)

    def send(self, batch: list[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, str, str]]:
        from pydantic import ValidationError

        from app.errors import AppError
        from app.models import ArticleCreate
        from app.services import ingest

        valid = []
        for origin, body in batch:
            try:
                article = ArticleCreate.model_validate(body)
                ingest.check_size(article, settings=self.settings)
                valid.append((origin, article))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "article"
                yield "failed", origin, f"{where}: {first['msg']}"
            except AppError as exc:
                yield "failed", origin, str(exc).splitlines()[0]
        results = ingest.ingest_each(
            engine=self.engine,
            extractor=self.extractor,
            settings=self.settings,
            articles=[a for _, a in valid],
        )
        for (origin, _), res in zip(valid, results, strict=True):
            if isinstance(res, AppError):
                yield "failed", origin, f"{res.status} {res.title}: {res.detail}"
            else:
                yield ("created" if res.created else "existing"), origin, ""


@cli.command()
def worker(
    threads: Annotated[int, typer.Option(min=1, help="Jobs run at once by this process.")] = 1,
) -> None:
    """Run jobs from the queue (NEWSMETA_QUEUE_URL) until stopped; run as many as you like, anywhere."""
    from app import migrate
    from app.config import get_settings
    from app.observability import configure_logging
    from app.queue import run_worker

    settings = get_settings()
    configure_logging(settings.log_level)
    if settings.auto_migrate:
        migrate.upgrade(settings)
    run_worker(settings, threads=threads)


@cli.command()
def reextract(
    all_articles: Annotated[bool, typer.Option("--all", help="Every stored article.")] = False,
    before_version: Annotated[
        str | None,
        typer.Option(help="Articles extracted by an extractor older than this version, e.g. 0.5.0."),
    ] = None,
    article_id: Annotated[
        list[int] | None,
        typer.Option("--id", help="These articles: --id 1 14 15 (or --id 1 --id 14).", metavar="N..."),
    ] = None,
    more_ids: Annotated[
        list[int] | None,
        typer.Argument(help="The rest of the ids after --id.", metavar="N", show_default=False),
    ] = None,
    wait: Annotated[
        bool, typer.Option(help="Follow the job to its end (always, when there is no queue).")
    ] = True,
) -> None:
    """Re-run the current extractor over stored articles, replacing their records one article at a time."""
    import time

    from rich.console import Console

    from app import migrate
    from app.config import get_settings
    from app.db import get_engine, session_scope
    from app.queue import InProcessQueue, make_queue
    from app.services import jobs

    # Click options take one value each: the ids after the first come in as arguments.
    article_id = [*(article_id or []), *(more_ids or [])] or None
    if not (all_articles or before_version or article_id):
        raise typer.BadParameter("say which articles: --all, --before-version V or --id N...")
    settings = get_settings()
    migrate.upgrade(settings)
    engine = get_engine(settings)
    with session_scope(engine, write=True) as session:
        ids = jobs.select_articles(session=session, before_version=before_version, article_ids=article_id)
        job = jobs.create_reextract_job(session=session, article_ids=ids)
    console = Console(stderr=True)
    job_queue = make_queue(settings)
    if isinstance(job_queue, InProcessQueue):
        job_queue.start(recover=False)
        wait = True
    job_queue.enqueue(job.id)
    console.print(f"job {job.id}: re-extracting {len(ids)} articles")
    if not wait:
        job_queue.close()
        return
    with _progress("reextract", console=console) as progress:
        task = progress.add_task("reextract", total=len(ids))
        while True:
            with session_scope(engine) as session:
                state = jobs.get_job(session=session, job_id=job.id, with_results=False)
            progress.update(task, completed=state.done)
            if state.status in jobs.FINISHED:
                break
            time.sleep(0.5)
    job_queue.close()
    console.print(f"{state.done - state.failed} re-extracted, {state.failed} failed: job {state.status}")
    if state.status != "done" or state.failed:
        raise typer.Exit(code=1)


@cli.command()
def resolve() -> None:
    """Re-run entity resolution over the archive: join the people and organisations the rules now
    say are one (idempotent; each join is its own short transaction, so ingest can go on)."""
    from rich.console import Console

    from app import migrate
    from app.config import get_settings
    from app.db import get_engine
    from app.services import reresolution

    settings = get_settings()
    migrate.upgrade(settings)
    console = Console(stderr=True)

    def report(kind: str, done: int, total: int, merged: int) -> None:
        console.print(f"{kind}: {done}/{total} checked, {merged} joined")

    merged = reresolution.resolve_archive(engine=get_engine(settings), progress=report)
    console.print(f"resolved: {merged['person']} people and {merged['organisation']} organisations joined")


def _outcome(status: int) -> str:
    return "created" if status == 201 else "existing" if status == 200 else "failed"


@cli.callback()
def _root() -> None:
    """newsmeta: structured metadata from news articles."""


def main() -> None:
    cli()
