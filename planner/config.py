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
        # Login cookies only over HTTPS (browsers count http://127.0.0.1 and localhost as
        # secure, so `make run` works too); SESSION_COOKIE_SECURE=0 for plain HTTP elsewhere.
        # HttpOnly is Flask's default for the session cookie.
        "SESSION_COOKIE_SECURE": secure_cookies(),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies(),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Phones keep the voting page open for hours: CSRF tokens stay valid for the
        # session (they are still bound to it) instead of expiring after an hour.
        "WTF_CSRF_TIME_LIMIT": None,
        # Imports are event@1 / plan@1 JSON files; nothing legitimate comes near this.
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "SOLVER_TIME_LIMIT": None,  # None: the scheduler's size-scaled default
        "SOLVER_WORKERS": None,
        # Behind a TLS proxy: redirect to HTTPS and send HSTS.
        "FORCE_HTTPS": _flag(os.environ.get("FORCE_HTTPS")),
        # How many reverse proxies in front of the app to believe about the visitor's address,
        # scheme and host (X-Forwarded-*): rate limits count visitors, QR codes name the
        # public address. 0 (the default) believes none: never trust headers nobody checked.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or 0),
        # Where the public reaches the app, like https://barcamp.example.org: QR codes,
        # calendar feeds and exports name it, whatever Host a request carries. Without it,
        # TRUSTED_HOSTS (comma-separated) lists the hosts a request may name; any other gets
        # a 400. Neither set: localhost and 127.0.0.1 only (see planner/web/address.py).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL") or None,
        "TRUSTED_HOSTS": _hosts(os.environ.get("TRUSTED_HOSTS")),
    }


def secure_cookies() -> bool:
    """Whether cookies carry `Secure`: the SESSION_COOKIE_SECURE variable if set, else on
    except in debug mode (FLASK_DEBUG)."""
    value = os.environ.get("SESSION_COOKIE_SECURE")
    if value is None or not value.strip():
        return not _flag(os.environ.get("FLASK_DEBUG"))
    return _flag(value)


def _hosts(value: str | None) -> list[str] | None:
    """A comma-separated list of host names, or None when nothing is set."""
    hosts = [host.strip() for host in (value or "").split(",") if host.strip()]
    return hosts or None


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() not in {"", "0", "false", "no", "off"}


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
