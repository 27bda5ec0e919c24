"""A persistent pool of extraction processes, each loading the model once, each on a budget.

Extraction is CPU-bound and holds the GIL, so threads do not help; processes do.
`Extractor.extract_many(n_process=...)` starts a pool per call (fine for a script);
a server or a queue worker keeps this one for its lifetime instead, and feeds it
chunks of texts, so no request pays for starting processes or loading models.

Each process is watched by a thread of its own in the owner, which enforces the budget:
a chunk that runs past `timeout_seconds`, or a process whose resident memory passes
`max_rss_bytes`, is killed (SIGKILL) and the process replaced. A process that dies (the
OOM killer, an operator's `kill`) costs only the chunk it was running: the other
processes and their requests carry on, unlike a `ProcessPoolExecutor`, which breaks
whole when one child dies. A chunk that failed is retried one text at a time, so only
the text that really is over budget fails, with an `ExtractionError` saying why.

The children die with their owner, however it ends (even SIGKILL): they ask the kernel
for SIGKILL when their parent goes (PR_SET_PDEATHSIG, Linux) and a thread checks that
the owner still exists once a second.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from app.extraction.pipeline import DEFAULT_BATCH_CHARS, Extractor, load_pipeline
from app.extraction.records import Extraction
from app.extraction.windows import DEFAULT_WINDOW_CHARS

log = logging.getLogger("newsmeta.extraction")

DEFAULT_TIMEOUT_SECONDS = 60.0
"""Per-text deadline: twice what the largest allowed article (200 KB) takes on one busy core."""

DEFAULT_MAX_RSS_BYTES = 1_500_000_000
"""Resident memory one extraction process may reach: the model (~300 MB) plus windows' parses."""

_START_TIMEOUT_SECONDS = 600.0  # loading the model on a machine with every core busy
_POLL_SECONDS = 0.05
_FAILED_TO_START = "an extraction process failed to start; see the server log"


class ExtractionError(Exception):
    """A text the extraction processes could not finish; `reason` is for the client."""

    reason = "failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ExtractionTimedOut(ExtractionError):
    reason = "timeout"


class ExtractionOutOfMemory(ExtractionError):
    reason = "memory"


class ExtractionCrashed(ExtractionError):
    """The process died while extracting this text, twice: the text itself is the likely cause."""

    reason = "crashed"


class ExtractionUnavailable(ExtractionError):
    """The pool is shutting down, or could not start a process: try again later."""

    reason = "unavailable"


# --- The child ----------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent exits (Linux; a no-op elsewhere).

    The parent of a forkserver child is the fork server, which exits as soon as the owner
    does (it watches a pipe from the owner), so this reaches the owner's death too, even
    while the child is deep in C code where no Python thread gets to run.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _exit_with(owner: int) -> None:
    """End this child when the owner is gone (a fallback for systems without PDEATHSIG)."""
    while True:
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass
        time.sleep(1)


def _child_main(conn: Connection, model: str, owner: int, window_chars: int, batch_chars: int) -> None:
    _die_with_parent()
    # One process per core already: keep the numeric libraries from starting threads of their own.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    threading.Thread(target=_exit_with, args=(owner,), name="newsmeta-owner-watch", daemon=True).start()
    # SIGTERM or SIGINT to the whole group (a terminal's Ctrl-C) is the owner's to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    extractor = Extractor(model, window_chars=window_chars, batch_chars=batch_chars)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if request is None:
            os._exit(0)
        texts, batch_size = request
        try:
            reply: tuple[str, Any] = ("ok", list(extractor.extract_many(texts, batch_size=batch_size)))
        except Exception:
            reply = ("error", traceback.format_exc())
        conn.send(reply)


# --- The owner's side ---------------------------------------------------------------------------


@dataclass
class _Job:
    texts: list[str]
    future: Future[list[Extraction]] = field(default_factory=Future)


class _ChildFailed(Exception):
    """A child raised while extracting (a bug, not a budget): re-raised in the caller."""


def _rss_bytes(pid: int) -> int | None:
    """Resident memory of `pid` (Linux /proc), or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class _Slot:
    """One extraction process and the owner's thread that feeds and watches it."""

    def __init__(self, pool: ExtractorPool, index: int) -> None:
        self.pool = pool
        self.index = index
        self.lock = threading.Lock()
        self.process: BaseProcess | None = None
        self.conn: Connection | None = None
        self.ready = False
        self.thread = threading.Thread(target=self._serve, name=f"newsmeta-extract-{index}", daemon=True)

    # process life

    def spawn(self) -> None:
        """Start the process if there is none (it loads its model in the background)."""
        with self.lock:
            if self.process is not None and self.process.is_alive():
                return
            self._reap()
            ours, theirs = self.pool.context.Pipe()
            process = self.pool.context.Process(
                target=_child_main,
                args=(theirs, self.pool.model, os.getpid(), self.pool.window_chars, self.pool.batch_chars),
                name=f"newsmeta-extract-{self.index}",
                daemon=True,
            )
            process.start()
            theirs.close()
            self.process, self.conn, self.ready = process, ours, False

    def wait_ready(self) -> int:
        """Block until the process has loaded its model; its pid."""
        self.spawn()
        with self.lock:
            process, conn = self.process, self.conn
            assert process is not None and conn is not None
            if self.ready:
                assert process.pid is not None
                return process.pid
            started = time.monotonic()
            while not conn.poll(0.2):
                if self.pool.closed:
                    raise ExtractionUnavailable("extraction is shutting down")
                if not process.is_alive() or time.monotonic() - started > _START_TIMEOUT_SECONDS:
                    self._reap()
                    raise ExtractionUnavailable(_FAILED_TO_START)
            try:
                kind, pid = conn.recv()
            except (EOFError, OSError):
                self._reap()
                raise ExtractionUnavailable(
                    "an extraction process failed to start; see the server log"
                ) from None
            self.ready = kind == "ready"
            return int(pid)

    def kill(self) -> None:
        with self.lock:
            self._reap()

    def _reap(self) -> None:
        process, conn = self.process, self.conn
        self.process, self.conn, self.ready = None, None, False
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(timeout=5)

    # work

    def _serve(self) -> None:
        while True:
            job = self.pool.jobs.get()
            if job is None:
                return
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                result = self._run(job.texts)
            except BaseException as exc:
                job.future.set_exception(exc)
            else:
                job.future.set_result(result)

    @staticmethod
    def _poll(conn: Connection) -> bool:
        """True when the child answered or its end closed (recv then tells which)."""
        try:
            return conn.poll(_POLL_SECONDS)
        except (OSError, ValueError):  # closed under us by close()
            return True

    def _run(self, texts: list[str]) -> list[Extraction]:
        if self.pool.closed:
            raise ExtractionUnavailable("extraction is shutting down")
        pid = self.wait_ready()
        conn = self.conn
        assert conn is not None
        try:
            conn.send((texts, self.pool.batch_size))
        except (OSError, ValueError):
            self.kill()
            raise ExtractionCrashed("the extraction process died") from None
        started = time.monotonic()
        limit = self.pool.max_rss_bytes
        while not self._poll(conn):
            if self.pool.closed:
                self.kill()
                raise ExtractionUnavailable("extraction is shutting down")
            elapsed = time.monotonic() - started
            if elapsed > self.pool.timeout_seconds:
                self.kill()
                log.warning("extraction process %d killed: over its %.0f s deadline", pid, elapsed)
                raise ExtractionTimedOut(
                    f"extraction took longer than {self.pool.timeout_seconds:g} s "
                    "(setting NEWSMETA_EXTRACT_TIMEOUT_SECONDS)"
                )
            rss = _rss_bytes(pid) if limit else None
            if rss is not None and rss > limit:
                self.kill()
                log.warning("extraction process %d killed: %d MB resident", pid, rss // 1_000_000)
                raise ExtractionOutOfMemory(
                    f"extraction needed more than {limit // 1_000_000} MB "
                    "(setting NEWSMETA_EXTRACT_MAX_RSS_MB)"
                )
        try:
            kind, value = conn.recv()
        except (EOFError, OSError, ValueError):
            self.kill()
            if self.pool.closed:
                raise ExtractionUnavailable("extraction is shutting down") from None
            log.warning("extraction process %d died while extracting %d texts", pid, len(texts))
            raise ExtractionCrashed("the extraction process died while reading this text") from None
        if kind == "error":
            raise _ChildFailed(value)
        rss = _rss_bytes(pid) if limit else None
        if rss is not None and rss > limit:
            # Done in time, but what the allocator kept is over the cap: a fresh process next.
            log.info("extraction process %d recycled: %d MB resident", pid, rss // 1_000_000)
            self.kill()
        result: list[Extraction] = value
        return result


class ExtractorPool:
    """Extraction over `workers` processes (1: in this process, no children and no budget).

    Thread-safe: concurrent callers share the children. Texts go out in chunks of at most
    `batch_size` texts and `batch_chars` characters (a text longer than a window goes
    alone), each run through `nlp.pipe`, and come back in order.
    """

    def __init__(
        self,
        model: str,
        *,
        workers: int,
        batch_size: int = 16,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_rss_bytes: int = DEFAULT_MAX_RSS_BYTES,
        window_chars: int = DEFAULT_WINDOW_CHARS,
        batch_chars: int = DEFAULT_BATCH_CHARS,
    ) -> None:
        self.model = model
        self.workers = max(1, workers)
        self.batch_size = batch_size
        self.timeout_seconds = timeout_seconds
        self.max_rss_bytes = max_rss_bytes
        self.window_chars = window_chars
        self.batch_chars = batch_chars
        self.closed = False
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        # forkserver: children start from a clean process, not a fork of a threaded server
        # holding sockets and database connections; the server imports spaCy once for all.
        self.context = multiprocessing.get_context("forkserver")

    def _ensure_slots(self) -> list[_Slot]:
        with self._lock:
            if self.closed:
                raise ExtractionUnavailable("extraction is shutting down")
            if not self._slots:
                self._slots = [_Slot(self, i) for i in range(self.workers)]
                for slot in self._slots:
                    slot.thread.start()
            return self._slots

    def start(self) -> None:
        """Start every child and load its model now rather than on the first request."""
        if self.workers > 1:
            self.child_pids()

    def child_pids(self) -> list[int]:
        """The children's process ids (starting them if needed), e.g. to measure their memory."""
        if self.workers <= 1:
            return []
        slots = self._ensure_slots()
        for slot in slots:
            slot.spawn()
        return sorted(slot.wait_ready() for slot in slots)

    def extract_many(self, texts: Sequence[str]) -> list[Extraction]:
        """Extractions for `texts`, in order; the first text's `ExtractionError` is raised."""
        results = self.extract_each(texts)
        for result in results:
            if isinstance(result, ExtractionError):
                raise result
        return [r for r in results if not isinstance(r, ExtractionError)]

    def extract_each(self, texts: Sequence[str]) -> list[Extraction | ExtractionError]:
        """An extraction for each text, in order, or the `ExtractionError` that text met.

        A chunk that fails (deadline, memory, its process died) is retried one text at a
        time on fresh processes; a text that fails alone on a deadline or the memory cap
        fails at once, one whose process dies alone is tried once more.
        """
        if not texts:
            return []
        if self.workers <= 1:
            extractor = load_pipeline(self.model)
            return list(extractor.extract_many(texts, batch_size=self.batch_size))
        if self.closed:
            return [ExtractionUnavailable("extraction is shutting down")] * len(texts)
        out: list[Extraction | ExtractionError | None] = [None] * len(texts)
        chunks = self._chunks(texts)
        retry: list[int] = []
        for chunk, future in [(chunk, self._submit([texts[i] for i in chunk])) for chunk in chunks]:
            try:
                for i, extraction in zip(chunk, self._result(future), strict=True):
                    out[i] = extraction
            except ExtractionUnavailable as exc:
                for i in chunk:
                    out[i] = exc
            except ExtractionError as exc:
                if len(chunk) == 1 and not isinstance(exc, ExtractionCrashed):
                    out[chunk[0]] = exc
                else:
                    retry.extend(chunk)
        for i, future in [(i, self._submit([texts[i]])) for i in retry]:
            try:
                out[i] = self._result(future)[0]
            except ExtractionError as exc:
                if isinstance(exc, ExtractionCrashed):
                    exc = ExtractionCrashed(
                        "the extraction process died twice while reading this text "
                        "(the machine may be out of memory)"
                    )
                out[i] = exc
        return [r for r in out if r is not None]

    def _chunks(self, texts: Sequence[str]) -> list[list[int]]:
        """Indexes in chunks: small requests still spread over every child (an even share each)."""
        size = max(1, min(self.batch_size, -(-len(texts) // self.workers)))
        chunks: list[list[int]] = []
        current: list[int] = []
        chars = 0
        for i, text in enumerate(texts):
            if current and (
                len(current) >= size
                or chars + len(text) > self.batch_chars
                or len(text) > self.window_chars  # a long text goes alone
                or len(texts[current[-1]]) > self.window_chars
            ):
                chunks.append(current)
                current, chars = [], 0
            current.append(i)
            chars += len(text)
        if current:
            chunks.append(current)
        return chunks

    def _submit(self, texts: list[str]) -> Future[list[Extraction]]:
        job = _Job(texts)
        try:
            self._ensure_slots()
        except ExtractionUnavailable as exc:  # closed since the caller looked
            job.future.set_exception(exc)
            return job.future
        self.jobs.put(job)
        return job.future

    @staticmethod
    def _result(future: Future[list[Extraction]]) -> list[Extraction]:
        try:
            return future.result()
        except _ChildFailed as exc:
            raise RuntimeError(f"extraction failed in its process:\n{exc}") from None

    def close(self, *, wait: bool = True) -> None:
        """Stop the children now (SIGKILL: they hold nothing worth saving); texts in flight fail
        with `ExtractionUnavailable`. `wait`: until the owner's threads have ended too."""
        with self._lock:
            self.closed = True
            slots, self._slots = self._slots, []
        for _ in slots:
            self.jobs.put(None)
        for slot in slots:
            slot.kill()
        # Anything queued behind the stop markers would wait for ever: fail it.
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(ExtractionUnavailable("extraction is shutting down"))
        if wait:
            for slot in slots:
                slot.thread.join(timeout=5)


_POOLS: dict[tuple[Any, ...], ExtractorPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(
    model: str,
    *,
    workers: int,
    batch_size: int = 16,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    max_rss_bytes: int = DEFAULT_MAX_RSS_BYTES,
) -> ExtractorPool:
    """The process-wide pool for these parameters, made on first use (its children start lazily)."""
    key = (model, max(1, workers), batch_size, timeout_seconds, max_rss_bytes)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None or pool.closed:
            pool = _POOLS[key] = ExtractorPool(
                model,
                workers=workers,
                batch_size=batch_size,
                timeout_seconds=timeout_seconds,
                max_rss_bytes=max_rss_bytes,
            )
        return pool


def close_pools(*, wait: bool = True) -> None:
    """Stop every pool's children (at process exit, or in tests)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close(wait=wait)
