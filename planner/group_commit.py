"""Group commit: small writes from many request threads, committed together.

A durable commit waits for the disk (SQLite in WAL with synchronous=FULL: one fsync of the
log per commit, some 250 a second on a plain disk). A vote is a few rows, so that wait, not
the work, would set the pace of a rush. Here one writer thread per process takes every unit
of work that is waiting, runs them one after another in one transaction and commits once;
each request is answered only after that commit returned, so every acknowledged write is on
disk as before, and the units that arrive while the disk works form the next batch.

A unit is a function of a SQLAlchemy Connection that returns a result and writes only
through that connection (Core statements on the models' tables). If one fails, the batch is
rolled back and each of its units runs again in a transaction of its own, so a bad unit
costs only its own request. PostgreSQL runs the same code (its commits wait for the disk
too); only the first statement differs: SQLite takes the write lock at once (BEGIN
IMMEDIATE), which spares a reader's upgrade to a writer the "database is locked" error.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from flask import Flask
from sqlalchemy.engine import Connection, Engine

MOST_PER_BATCH = 64  # a batch stays short, so the first in it does not wait for the last
WAIT_SECONDS = 30  # a request gives up waiting (and is not acknowledged) after this
IDLE_SECONDS = 60  # the writer thread stops after this long without work

Unit = Callable[[Connection], Any]


class GroupCommitter:
    """One writer thread that commits the units of many requests together."""

    def __init__(self, engine: Engine, *, idle_seconds: float = IDLE_SECONDS):
        self.engine = engine
        self._idle_seconds = idle_seconds
        self._begin = "BEGIN IMMEDIATE" if engine.dialect.name == "sqlite" else "BEGIN"
        self._turns = _Turns.of(engine)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self.batches = 0  # how many commits, for tests and curious operators

    def run(self, unit: Unit) -> Any:
        """Run `unit` in the next batch; its result once the batch is committed."""
        future: Future = Future()
        self._queue.put((unit, future))
        self._ensure_writer()
        return future.result(WAIT_SECONDS)

    def _ensure_writer(self) -> None:
        # Under the lock, so a writer that is just leaving (see _next) cannot be missed. A
        # forked worker inherits the object but not the thread: it starts its own.
        with self._start:
            if (
                self._thread is None
                or self._pid != os.getpid()
                or not self._thread.is_alive()  # never expected: the writer catches all
            ):
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._write, name="group-commit", daemon=True
                )
                self._thread.start()

    def _write(self) -> None:
        while (first := self._next()) is not None:
            batch = [first]
            while len(batch) < MOST_PER_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _next(self):
        """The next unit to run, waiting for it; None when idle long enough to stop (an
        app that no longer gets votes keeps no thread; the next vote starts one)."""
        while True:
            try:
                return self._queue.get(timeout=self._idle_seconds)
            except queue.Empty:
                with self._start:
                    if self._queue.empty():
                        self._thread = None
                        return None

    def _commit(self, batch: list[tuple[Unit, Future]]) -> None:
        try:
            results = self._transaction([unit for unit, _future in batch])
        except Exception as error:  # the request answers it
            if len(batch) == 1:
                batch[0][1].set_exception(error)
                return
            for one in batch:  # each alone, so only the failing one fails
                self._commit([one])
            return
        for (_unit, future), result in zip(batch, results, strict=True):
            future.set_result(result)

    def _transaction(self, units: list[Unit]) -> list[Any]:
        """Run the units in one transaction and commit it; roll back if any fails."""
        with (
            self._turns,
            self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn,
        ):
            conn.exec_driver_sql(self._begin)
            try:
                results = [unit(conn) for unit in units]
                conn.exec_driver_sql("COMMIT")
            except BaseException:
                _roll_back(conn)
                raise
        self.batches += 1
        return results


class _Turns:
    """The writers of all processes on one SQLite file take turns under a file lock.

    SQLite's own wait for its write lock polls, sleeping longer each time (up to 100 ms), so
    the writers of several gunicorn processes would nap while the lock is free, and a vote's
    latency would grow by those naps. A blocking lock on a file beside the database wakes the
    next writer the moment the last one is done. Other writers (rare: a code entered, an
    organiser's change) still wait by SQLite's busy timeout. PostgreSQL needs none of this.
    """

    def __init__(self, path: str | None):
        self._path = path
        self._file = None  # open while a writer has its turn (only the writer thread uses it)

    @classmethod
    def of(cls, engine: Engine) -> _Turns:
        """The turns for the engine's database: a lock file for a SQLite file, else none."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database.startswith(":memory"):
            return cls(None)
        return cls(f"{database}.write-lock")

    def __enter__(self) -> None:
        if self._path is not None:
            self._file = open(self._path, "a")  # closed in __exit__
            fcntl.flock(self._file, fcntl.LOCK_EX)

    def __exit__(self, *_exc) -> None:
        if self._file is not None:
            self._file.close()  # which ends the lock
            self._file = None


def _roll_back(connection: Connection) -> None:
    """Roll back what is open; a failed COMMIT may have ended the transaction already."""
    with contextlib.suppress(Exception):  # the first error is the one to report
        connection.exec_driver_sql("ROLLBACK")


_making = threading.Lock()


def committer(app: Flask, engine: Engine) -> GroupCommitter:
    """The app's group committer for `engine`, made on first use."""
    with _making:
        found = app.extensions.get("group_commit")
        if found is None or found.engine is not engine:
            found = app.extensions["group_commit"] = GroupCommitter(engine)
        return found
