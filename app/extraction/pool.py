"""A persistent pool of extraction processes: made once, each child loading the model once.

Extraction is CPU-bound and holds the GIL, so threads do not help; processes do.
`Extractor.extract_many(n_process=...)` starts a pool per call (fine for a script);
a server or a queue worker keeps this one for its lifetime instead, and feeds it
chunks of texts, so no request pays for starting processes or loading models.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.extraction.pipeline import Extractor, load_pipeline
from app.extraction.records import Extraction

_CHILD: Extractor | None = None


def _init_child(model: str, owner: int) -> None:
    global _CHILD
    # One process per core already: keep the numeric libraries from starting threads of their own.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    threading.Thread(target=_exit_with, args=(owner,), name="newsmeta-owner-watch", daemon=True).start()
    _CHILD = Extractor(model)


def _exit_with(owner: int) -> None:
    """End this child when the process that owns the pool is gone, however it ended (even SIGKILL).

    A forkserver child's parent is the fork server, not the owner, and nothing else
    tells it that the owner died: without this it would live on, holding a model.
    """
    while True:
        time.sleep(1)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _extract_chunk(texts: list[str], batch_size: int) -> list[Extraction]:
    assert _CHILD is not None, "extraction process was not initialised"
    return list(_CHILD.extract_many(texts, batch_size=batch_size))


def _child_pid() -> int:
    return os.getpid()


class ExtractorPool:
    """Extraction over `workers` processes (1: in this process, no children).

    Thread-safe: concurrent callers share the children. Texts go out in chunks of
    `batch_size`, each run through `nlp.pipe`, and come back in order.
    """

    def __init__(self, model: str, *, workers: int, batch_size: int = 16) -> None:
        self.model = model
        self.workers = max(1, workers)
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # forkserver: children start from a clean process, not a fork of a
                # threaded server holding sockets and database connections.
                context = multiprocessing.get_context("forkserver")
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=context,
                    initializer=_init_child,
                    initargs=(self.model, os.getpid()),
                )
            return self._executor

    def start(self) -> None:
        """Start every child and load its model now rather than on the first request."""
        if self.workers > 1:
            self.child_pids()

    def child_pids(self) -> list[int]:
        """The children's process ids (starting them if needed), e.g. to measure their memory."""
        if self.workers <= 1:
            return []
        pool = self._pool()
        # Each child must load its model before answering; asking as many times as
        # there are children makes the executor start all of them.
        futures = [pool.submit(_child_pid) for _ in range(self.workers * 2)]
        return sorted({f.result() for f in futures})

    def extract_many(self, texts: Sequence[str]) -> list[Extraction]:
        """Extractions for `texts`, in order."""
        if not texts:
            return []
        if self.workers <= 1:
            return list(load_pipeline(self.model).extract_many(texts, batch_size=self.batch_size))
        # Small requests still spread over every child: chunks no bigger than an even share.
        size = max(1, min(self.batch_size, -(-len(texts) // self.workers)))
        chunks = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
        pool = self._pool()
        try:
            futures: list[Future[list[Extraction]]] = [
                pool.submit(_extract_chunk, chunk, self.batch_size) for chunk in chunks
            ]
            return [extraction for future in futures for extraction in future.result()]
        except BrokenProcessPool:
            # A child died (killed, out of memory): start afresh next time, fail this call.
            self.close(wait=False)
            raise

    def close(self, *, wait: bool = True) -> None:
        """Stop the children (`wait`: until they have exited)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)


_POOLS: dict[tuple[str, int, int], ExtractorPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(model: str, *, workers: int, batch_size: int = 16) -> ExtractorPool:
    """The process-wide pool for these parameters, made on first use (its children start lazily)."""
    key = (model, max(1, workers), batch_size)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = ExtractorPool(model, workers=workers, batch_size=batch_size)
        return pool


def close_pools() -> None:
    """Stop every pool's children (at process exit, or in tests)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()
