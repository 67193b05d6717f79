"""Rate-limit counts in the memory of one process, safe under many threads.

The `limits` library's own memory storage (5.x) starts a timer thread to expire its counts,
on almost every hit, and two request threads can start the same one (`RuntimeError: threads
can only be started once`, an answer 500 in the middle of a vote). This one starts no thread:
one lock guards every count, and expired counts are swept while a hit holds that lock anyway.
It knows fixed windows only, Flask-Limiter's default strategy, and the only one configured.

Also here: a count in the database, for a limit that all web processes must share where no
Redis is configured (new ballots per address).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..models import RateCount

SWEEP_EVERY = 1000  # hits between sweeps of expired counts: memory stays bounded


class LockedMemoryStorage(Storage):
    """Fixed-window counts in a dict behind one lock; `locked-memory://` in a storage URI."""

    STORAGE_SCHEME = ["locked-memory"]  # noqa: RUF012 - the limits registry reads a list

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._lock = threading.Lock()
        self._counts: dict[str, list[float]] = {}  # key: [count, expires at]
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        """Nothing here talks to a server, so no error of one to wrap."""
        return ValueError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` to the key's count, starting a window of `expiry` s if none runs."""
        now = time.time()
        with self._lock:
            self._hits += 1
            if self._hits % SWEEP_EVERY == 0:
                self._sweep(now)
            entry = self._counts.get(key)
            if entry is None or entry[1] <= now:
                entry = self._counts[key] = [0, now + expiry]
            entry[0] += amount
            return int(entry[0])

    def decr(self, key: str, amount: int = 1) -> int:
        """Take `amount` off the key's count, not below zero."""
        with self._lock:
            entry = self._counts.get(key)
            if entry is None or entry[1] <= time.time():
                return 0
            entry[0] = max(0, entry[0] - amount)
            return int(entry[0])

    def get(self, key: str) -> int:
        """The key's count in its current window (0 once the window is over)."""
        with self._lock:
            entry = self._counts.get(key)
            return 0 if entry is None or entry[1] <= time.time() else int(entry[0])

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (now if none runs)."""
        with self._lock:
            entry = self._counts.get(key)
            return entry[1] if entry is not None else time.time()

    def check(self) -> bool:
        """Memory is always there."""
        return True

    def reset(self) -> int:
        """Forget every count; how many there were."""
        with self._lock:
            count = len(self._counts)
            self._counts.clear()
            return count

    def clear(self, key: str) -> None:
        """Forget one key's count."""
        with self._lock:
            self._counts.pop(key, None)

    def _sweep(self, now: float) -> None:
        for key in [key for key, entry in self._counts.items() if entry[1] <= now]:
            del self._counts[key]


def count_in_database(connection: Connection, key: str, expiry: int) -> int:
    """Count one more under `key` in the current fixed window of `expiry` seconds, in the
    database and in the caller's transaction (so a rolled-back attempt does not count);
    the count of the window now. One statement: an upsert that returns the new count."""
    now = time.time()
    start = int(now // expiry * expiry)
    ends = datetime.fromtimestamp(start + expiry, UTC).replace(tzinfo=None)
    table = RateCount.__table__
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(key=f"{key}:{expiry}:{start}", count=1, expires_at=ends)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key], set_={"count": table.c.count + 1}
    ).returning(table.c.count)
    count = connection.execute(statement).scalar_one()
    if count == 1:  # a new window for this key: a moment to drop the windows that are over
        connection.execute(
            table.delete().where(table.c.expires_at < datetime.now(UTC).replace(tzinfo=None))
        )
    return count
