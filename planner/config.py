"""Configuration: defaults here, then the instance folder's config.py, then the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def defaults(instance_path: str) -> dict:
    """Settings that make `make run` work with nothing configured."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_uri(os.environ.get("DATABASE_URL"), instance_path),
        # One organiser login until accounts and roles arrive (issue 5).
        "ORGANISER_USER": os.environ.get("ORGANISER_USER", "orga"),
        "ORGANISER_PASSWORD": os.environ.get("ORGANISER_PASSWORD", "barcamp"),
        # Phones keep the voting page open for hours: CSRF tokens stay valid for the
        # session (they are still bound to it) instead of expiring after an hour.
        "WTF_CSRF_TIME_LIMIT": None,
        # Imports are event@1 / plan@1 JSON files; nothing legitimate comes near this.
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "SOLVER_TIME_LIMIT": None,  # None: the scheduler's size-scaled default
        "SOLVER_WORKERS": None,
    }


def database_uri(url: str | None, instance_path: str) -> str:
    """The SQLAlchemy URI: SQLite in the instance folder unless DATABASE_URL names a server.

    `postgresql://` URLs (as hosting platforms hand them out) get the psycopg 3 driver.
    """
    if not url:
        return f"sqlite:///{Path(instance_path) / 'planner.sqlite3'}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _instance_secret(instance_path: str) -> str:
    """A random secret kept in the instance folder, so sessions survive a restart."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
