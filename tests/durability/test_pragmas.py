"""SQLite connections run in WAL mode with durable commits and a busy timeout."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db


@pytest.fixture
def sqlite_app(tmp_path):
    """A fresh app on its own SQLite file, whatever DATABASE_URL says."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pragmas.sqlite3'}",
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def pragma(name: str):
    return db.session.execute(sa.text(f"PRAGMA {name}")).scalar()


def test_pragmas_on_a_fresh_connection(sqlite_app):
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("busy_timeout") == 5000
    assert pragma("foreign_keys") == 1


def test_every_pooled_connection_gets_them(sqlite_app):
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):
            assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2
            assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000


def test_wal_is_kept_in_the_file(sqlite_app, tmp_path):
    db.session.execute(sa.text("SELECT 1"))
    plain = sqlite3.connect(tmp_path / "pragmas.sqlite3")  # no listener: what the file says
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        plain.close()


def test_the_driver_keeps_its_transaction_mode(sqlite_app):
    connection = db.engine.raw_connection()
    try:
        assert connection.dbapi_connection.isolation_level == ""  # pysqlite's default
    finally:
        connection.close()


def test_in_memory_databases_connect_too():
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with app.app_context():
        assert pragma("journal_mode") == "memory"  # WAL needs a file; nothing to keep
        assert pragma("synchronous") == 2
        db.session.remove()
        db.engine.dispose()
