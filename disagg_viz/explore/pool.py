"""Many independent simulations across cores. The Numba kernels release the GIL (nogil), so a
thread pool runs them in parallel and reuses the already-compiled kernels (no process start-up,
no re-compilation, no pickling). Progress is reported as jobs finish; a cancel event stops
everything at the next simulation."""

from __future__ import annotations

import os
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Callable, Iterable

from disagg_viz.explore.goodput import Cancelled


def workers() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:          # pragma: no cover - macOS, Windows
        return max(os.cpu_count() or 1, 1)


class Progress:
    """Thread-safe counter that calls ``callback(done, total)`` on every step."""

    def __init__(self, total: int, callback: Callable[[int, int], None] | None):
        self.total, self.done = total, 0
        self.callback = callback
        self._lock = threading.Lock()

    def step(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            done = self.done
        if self.callback:
            self.callback(done, self.total)


def run_all(jobs: Iterable[Callable[[], object]], cancel: threading.Event | None = None,
            threads: int | None = None) -> list:
    """Run the jobs (in order of the list) on a thread pool; results in the same order.
    Raises ``Cancelled`` if ``cancel`` is set, or the first job's exception."""
    jobs = list(jobs)
    cancel = cancel or threading.Event()
    with ThreadPoolExecutor(max_workers=threads or workers(), thread_name_prefix="explore") as ex:
        futures = [ex.submit(job) for job in jobs]
        try:
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        except KeyboardInterrupt:
            cancel.set()
            raise
        for f in futures:
            if f.done() and f.exception() is not None:
                cancel.set()
                for g in futures:
                    g.cancel()
                raise f.exception()
    if cancel.is_set():
        raise Cancelled()
    return [f.result() for f in futures]
