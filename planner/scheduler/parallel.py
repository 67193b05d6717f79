"""Search processes: safe to start from a threaded web worker, and importing only the scheduler.

Forking a process from a multi-threaded program can copy a lock that another thread holds, and
the child then waits for it forever. So helper searches start from a fork server: a small
process started once (on the first solve) from a fresh interpreter, which has imported
`planner.scheduler` and nothing else and forks the helpers from itself. The fork server stays
warm for later solves of the same program, so only the first one pays the start-up (about half
a second, measured on a busy 2-core machine); the calling thread searches meanwhile.

A process started this way would also re-run the calling program's main module (the
`planner` script, gunicorn, pytest), so it is hidden while the helpers start.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import types
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import forkserver

from .instance import Instance, Place
from .search import SearchResult, anneal

PRELOAD = ["planner.scheduler.parallel"]
_MAIN_LOCK = threading.Lock()

# Set in each helper process when it starts (multiprocessing objects pass only that way).
_reports = None
_stop = None


def context():
    """The fork-server context, its server preloading the scheduler."""
    found = multiprocessing.get_context("forkserver")
    found.set_forkserver_preload(PRELOAD)
    return found


def warm_up() -> None:
    """Start the fork server now (it imports the scheduler while the caller constructs)."""
    context()
    forkserver.ensure_running()


@contextmanager
def main_hidden():
    """Hide the main module while processes start, so they do not import it again."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _start_helper(reports, stop) -> None:
    global _reports, _stop
    _reports, _stop = reports, stop


def _anneal_in_helper(
    instance: Instance, start: list[Place | None], until: float, **options
) -> SearchResult:
    """Search until the shared deadline (a helper starts later than the caller)."""
    return anneal(
        instance,
        start,
        seconds=until - time.monotonic(),
        progress=_reports.put,
        stop=_stop.is_set,
        **options,
    )


class Helpers:
    """Helper searches in processes; reports and the stop flag shared with the caller."""

    def __init__(self, count: int):
        found = context()
        self.reports = found.SimpleQueue()
        self.stop = found.Event()
        self.pool = ProcessPoolExecutor(
            max_workers=count,
            mp_context=found,
            initializer=_start_helper,
            initargs=(self.reports, self.stop),
        )
        self.futures = []

    def start(self, instance: Instance, start: list[Place | None], until: float, runs: list):
        """Start one search per options dict in `runs` (each with its own seed)."""
        with main_hidden():  # the processes start on submit
            self.futures = [
                self.pool.submit(_anneal_in_helper, instance, start, until, **options)
                for options in runs
            ]

    def drain(self) -> list:
        """The improvements reported since the last look."""
        found = []
        while not self.reports.empty():
            found.append(self.reports.get())
        return found

    def results(self) -> list[SearchResult]:
        """Wait for every helper's result."""
        return [future.result() for future in self.futures]

    def close(self) -> None:
        """Stop the helpers and let their processes go."""
        self.stop.set()
        self.pool.shutdown(wait=True, cancel_futures=True)
