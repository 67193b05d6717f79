"""Addresses of the services the tests share with other test processes."""

from __future__ import annotations

import os

REDIS_DATABASES = 8  # databases 8 to 15 of the local Redis belong to the tests


def redis_test_url() -> str:
    """A Redis database of this pytest-xdist worker's own.

    Tests that use Redis flush their database first; two test files running at once in two
    workers must not flush (or work off) each other's queue.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker.removeprefix("gw") or 0) % REDIS_DATABASES
    return f"redis://127.0.0.1:6379/{8 + number}"
