"""Barcamp Planner: pitches and votes in, a conflict-minimising plan out.

The package itself imports nothing heavy: the scheduler (`planner.scheduler`) and its search
processes must start without Flask, SQLAlchemy or WeasyPrint. `create_app` is loaded from
`planner.app` on first use, so `from planner import create_app` and gunicorn's
`'planner:create_app()'` keep working.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
