"""Database engines (one per URL, SQLite tuned for a concurrent web server) and sessions.

Services only `flush()`; `session_scope()` commits or rolls back, so an article and
all its records land together or not at all.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from app.config import Settings

T = TypeVar("T")

# Connections each engine keeps open, and the threads that run read requests on it (`read`):
# as many as the connections, so that a burst of reads waits for a thread, never for a connection.
POOL_SIZE = 10
POOL_OVERFLOW = 10  # more connections, for the writers and the background work beside the reads

_engines: dict[tuple[str, int], Engine] = {}
_engines_lock = threading.Lock()


def get_engine(settings: Settings) -> Engine:
    """The process's engine for this database URL, created on first use."""
    key = (settings.database_url, settings.sqlite_busy_timeout_ms)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            if settings.is_sqlite:
                engine = _sqlite_engine(settings.database_url, settings.sqlite_busy_timeout_ms)
            else:
                engine = create_engine(
                    settings.database_url,
                    pool_pre_ping=True,
                    pool_size=POOL_SIZE,
                    max_overflow=POOL_OVERFLOW,
                    connect_args=_postgres_options(settings.database_url),
                )
            _engines[key] = engine
        return engine


def _postgres_options(url: str) -> dict[str, Any]:
    """No parallel workers for this service's queries, unless the URL sets its own `options`.

    The service answers many small requests at once. A parallel plan makes one of them start
    worker processes that compete with the others for the same cores, and its time varies with
    their start: a 90-day timeline of a busy person took 9 ms alone, 13 to 89 ms in parallel.
    """
    if "options" in make_url(url).query:
        return {}
    return {"options": "-c max_parallel_workers_per_gather=0"}


def dispose_engines() -> None:
    """Close every pooled connection (tests, and before forking worker processes)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _read_engines.clear()
        for readers in _readers.values():
            readers.shutdown(wait=False)
        _readers.clear()
        for inline in _inline.values():
            if inline is not None:
                inline.engine.dispose()
        _inline.clear()


_read_engines: dict[Engine, Engine] = {}


def read_engine(engine: Engine) -> Engine:
    """The engine read-only requests run on: `engine` itself, or on Postgres a view of it in autocommit.

    At Postgres's READ COMMITTED every statement takes its own snapshot inside a transaction
    block or out of it, so for reads BEGIN and COMMIT would only add two round trips. On SQLite
    the transaction is what holds a request's statements to one snapshot, so it stays.
    """
    if engine.dialect.name != "postgresql":
        return engine
    found = _read_engines.get(engine)
    if found is None:
        found = _read_engines.setdefault(engine, engine.execution_options(isolation_level="AUTOCOMMIT"))
    return found


_readers: dict[Engine, ThreadPoolExecutor] = {}
# A forked child (a worker process) starts its own threads: the parent's are not in it.
os.register_at_fork(after_in_child=_readers.clear)
os.register_at_fork(after_in_child=lambda: _inline.clear())


async def read(settings: Settings, work: Callable[..., T], /, **kwargs: Any) -> T:
    """`work(session=..., **kwargs)` in a read session of the settings' database, awaited: read
    routes are `async def` and hand their queries here.

    On SQLite, a work that has lately taken under INLINE_UNDER_MS runs on the event loop itself
    (`_Inline`): handing it to a thread and back costs about what it does (two thread wake-ups),
    and on a busy machine each wake-up waits for a core, a tail of milliseconds. Any other read
    runs on that database's reader threads: the session is opened, used and closed in the
    thread, so nothing slow touches the database on the event loop. Against FastAPI's running a
    plain `def` route in its thread pool, this spares the session dependency's context manager
    and anyio's heavier hop, and the reader threads are bounded by the connection pool. The
    request's context variables (its id, for the logs) go with the work.
    """
    engine = get_engine(settings)
    with _in_flight_lock:
        _in_flight[engine] = _in_flight.get(engine, 0) + 1
    try:
        inline = _inline_for(engine)
        started = time.perf_counter()
        if inline is not None:
            ran, result = inline.run(work, kwargs)
            if ran:
                return cast(T, result)
        timeout_ms = settings.read_timeout_ms - int((time.perf_counter() - started) * 1000)
        readers = _readers.get(engine)
        if readers is None:
            with _engines_lock:
                readers = _readers.get(engine)
                if readers is None:
                    readers = _readers[engine] = ThreadPoolExecutor(
                        POOL_SIZE, thread_name_prefix="newsmeta-read"
                    )
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            readers, context.run, _in_read_session, engine, work, kwargs, max(timeout_ms, 1), inline
        )
    finally:
        # Counted until the thread is done, not until the client leaves: an abandoned request
        # still holds its reader thread (and connection) until its query ends.
        with _in_flight_lock:
            _in_flight[engine] -= 1


# A read whose work has taken under this much time lately (processor or clock time, whichever is
# larger, in each of its recent runs, wherever they ran) runs on the event loop on SQLite; one
# that takes INLINE_BUDGET_MS there, or finds the database locked, is stopped and run again on a
# reader thread.
INLINE_UNDER_MS = 3.0
INLINE_BUDGET_MS = 8
INLINE_WAIT_MS = 25
_FADE = 0.8  # how much a work's slowest recent time counts one run later


class _Inline:
    """Quick SQLite reads on the event loop: one connection of their own (never waiting for the
    pool's), no busy wait (a locked database sends the read to the threads, which wait), and
    INLINE_BUDGET_MS of processor time. Each work's recent time decides whether it is tried here."""

    def __init__(self, url: str) -> None:
        self.engine = _sqlite_engine(url, 0, reads_only=True, poolclass=StaticPool)
        self.lock = threading.Lock()  # one event loop at a time (tests run several)
        self.recent: dict[tuple[str, str], float] = {}  # work -> its recent time, ms

    def run(self, work: Callable[..., T], kwargs: dict[str, Any]) -> tuple[bool, T | None]:
        """(True, its answer) if `work` ran here; (False, None): run it on a reader thread."""
        key = _work_key(work)
        recent = self.recent.get(key)
        if recent is None or recent >= INLINE_UNDER_MS or not self.lock.acquire(blocking=False):
            return False, None
        started = time.thread_time()
        try:
            with Session(self.engine, expire_on_commit=False) as session, _cpu_budget(session, started):
                started, clock = time.thread_time(), time.perf_counter()  # the work's own time
                result = work(session=session, **kwargs)
        except OperationalError as exc:
            if str(exc.orig) not in ("interrupted", "database is locked"):
                raise
            # Stopped: taken as slow, until quick runs on the threads bring its time back down.
            self.recent[key] = max(self.recent.get(key, 0.0), float(INLINE_BUDGET_MS))
            return False, None
        finally:
            self.lock.release()
        self.took(key, time.thread_time() - started, time.perf_counter() - clock)
        return True, result

    def took(self, key: tuple[str, str], cpu: float, wall: float) -> None:
        """Note a run's processor and clock time. The larger counts: a work that waits (on the
        disk, on a lock, on anything but the processor) is no quick read, however little
        processor time it spends, and must never hold the loop.

        The slowest of its recent runs, older ones counting less and less: a work whose time
        straddles the gate (a page of a big country and of a small one) stays on the threads."""
        self.recent[key] = max(max(cpu, wall) * 1000, self.recent.get(key, 0.0) * _FADE)


@contextmanager
def _cpu_budget(session: Session, started: float) -> Iterator[None]:
    """Interrupt the statement running once this thread has spent INLINE_BUDGET_MS of processor
    time since `started` (processor time: a machine too busy to run the loop is not the read's),
    or INLINE_WAIT_MS have passed (a read from disk waits without spending processor time)."""
    raw: Any = session.connection().connection.dbapi_connection
    until, wait_until = started + INLINE_BUDGET_MS / 1000, time.monotonic() + INLINE_WAIT_MS / 1000
    raw.set_progress_handler(lambda: time.thread_time() > until or time.monotonic() > wait_until, 10_000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def _work_key(work: Callable[..., Any]) -> tuple[str, str]:
    """A work by where it is defined: a closure made per request is still one work."""
    return getattr(work, "__module__", None) or "", getattr(work, "__qualname__", None) or repr(type(work))


_inline: dict[Engine, _Inline | None] = {}


def _inline_for(engine: Engine) -> _Inline | None:
    """The event loop's reader of a SQLite file database; None for any other."""
    if engine not in _inline:
        url = engine.url
        is_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        with _engines_lock:
            if engine not in _inline:
                _inline[engine] = _Inline(url.render_as_string(hide_password=False)) if is_file else None
    return _inline[engine]


def engines(settings: Settings) -> list[Engine]:
    """Every engine that runs statements on the settings' database: the pooled one and, on a
    SQLite file, the event loop's reader's (for a listener that must see every statement)."""
    engine = get_engine(settings)
    inline = _inline_for(engine)
    return [engine] if inline is None else [engine, inline.engine]


_in_flight: dict[Engine, int] = {}
_in_flight_lock = threading.Lock()


def read_load(settings: Settings) -> tuple[int, int]:
    """(reads waiting or running, reader threads) on the settings' database: /readyz's saturation."""
    engine = get_engine(settings)
    return _in_flight.get(engine, 0), POOL_SIZE


def _in_read_session(
    engine: Engine,
    work: Callable[..., T],
    kwargs: dict[str, Any],
    timeout_ms: int,
    inline: _Inline | None = None,
) -> T:
    # Closing ends the read transaction (SQLite) and returns the connection; there is nothing to commit.
    with Session(read_engine(engine), expire_on_commit=False) as session, _deadline(session, timeout_ms):
        started, clock = time.thread_time(), time.perf_counter()  # the work's own time
        try:
            result = work(session=session, **kwargs)
        finally:
            if inline is not None:  # a failed or cancelled run counts too: it was no quick read
                inline.took(_work_key(work), time.thread_time() - started, time.perf_counter() - clock)
    return result


@contextmanager
def _deadline(session: Session, timeout_ms: int) -> Iterator[None]:
    """Bound the time a read spends in the database; past it the database cancels the statement
    and `is_timeout` says so (an error handler answers 503).

    SQLite: a progress handler, called every few thousand virtual-machine steps, interrupts the
    statement running when the request's deadline has passed: the deadline covers the whole
    request. Postgres: `statement_timeout` for the session, each statement, reset afterwards,
    as the connection goes back to a pool that writers share.
    """
    connection = session.connection()
    if engine_dialect(connection) == "sqlite":
        raw: Any = connection.connection.dbapi_connection
        deadline = time.monotonic() + timeout_ms / 1000
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
        return
    connection.exec_driver_sql(f"SET statement_timeout = {int(timeout_ms)}")
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql("RESET statement_timeout")
        except DBAPIError:
            connection.invalidate()  # a broken connection is not returned to the pool with the setting


def engine_dialect(connection: Any) -> str:
    name: str = connection.dialect.name
    return name


def is_timeout(exc: DBAPIError) -> bool:
    """A statement cancelled for running past the read deadline (see `_deadline`)."""
    code = getattr(exc.orig, "sqlstate", None)
    return code == "57014" or str(exc.orig) == "interrupted"


def _sqlite_engine(url: str, busy_timeout_ms: int, *, reads_only: bool = False, **pooled: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:" and not pooled:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        pooled = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}, **pooled
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN, so we can choose its kind below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    if reads_only:

        @event.listens_for(engine, "begin")
        def _on_read_begin(conn: Any) -> None:
            # Straight to the driver: through SQLAlchemy's execution, BEGIN cost a quick read 15 us.
            conn.connection.driver_connection.execute("BEGIN DEFERRED")

        return engine

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front: a deferred transaction that later
        # tries to upgrade can fail at once with "database is locked" instead of waiting.
        mode = "IMMEDIATE" if conn.get_execution_options().get("sqlite_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        if write and engine.dialect.name == "sqlite":
            session.connection(execution_options={"sqlite_write": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def is_retryable(exc: DBAPIError) -> bool:
    """Deadlock victims and serialisation failures (Postgres), a busy database (SQLite): try again.

    Also a foreign-key violation on Postgres: under READ COMMITTED a concurrent writer can fold
    a person or organisation this transaction resolved a name to into another one (cross-article
    re-resolution) and commit first; run again, the name resolves to the surviving entity.
    """
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01", "23503") or "database is locked" in str(exc.orig)


def in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = 4) -> T:
    """`work(session)` in a write transaction, run again if the database aborted it as a deadlock
    victim or for an entity a concurrent writer merged away (`is_retryable`): such a
    transaction wrote nothing, so running it again is safe.

    Writers take their locks in one order (app/services/ingest.py), so this is a safety net
    for the interleavings no order rules out (a delete beside an ingest of the same people).
    """
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine, write=True) as session:
                return work(session)
        except (OperationalError, IntegrityError) as exc:
            if attempt == attempts or not is_retryable(exc):
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")
