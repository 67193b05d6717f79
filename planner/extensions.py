"""Flask extensions as module-level singletons, bound to the app in create_app()."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base with named constraints, so migrations can refer to them."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


# Per SQLite connection, before SQLAlchemy uses it. With the write-ahead log, page views keep
# reading while a ballot is written, and a commit is one append to the log. In WAL mode
# synchronous=NORMAL fsyncs only at checkpoints, so a power cut may lose the last committed
# transactions; FULL fsyncs the log on every commit, so a vote the attendee saw acknowledged
# survives that too (a crashed process alone loses nothing in either mode). busy_timeout
# lets the threads of one server queue for the write lock instead of failing at once with
# "database is locked" (Python's sqlite3 defaults to 5 s too; said here so it stays so).
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",  # else SQLite ignores foreign keys and ON DELETE rules
    "PRAGMA busy_timeout=5000",  # first: switching to WAL may have to wait for a lock
    "PRAGMA journal_mode=WAL",  # kept in the file; in-memory databases stay "memory"
    "PRAGMA synchronous=FULL",
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Switch on foreign keys, the write-ahead log and durable commits for SQLite."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    # The journal mode cannot change inside a transaction. pysqlite opens none before a
    # write anyway; isolation_level None (autocommit) makes sure, and is restored after.
    isolation_level = dbapi_connection.isolation_level
    dbapi_connection.isolation_level = None
    try:
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
    finally:
        dbapi_connection.isolation_level = isolation_level
