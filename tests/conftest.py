"""Shared fixtures: an app on a fresh, migrated database, its client and runner, a logged-in
organiser (an admin account), accounts, and the demo barcamp.

Under pytest-xdist each worker gets a PostgreSQL database of its own (`<name>_gw0`, ...),
since every test drops and re-creates the public schema; SQLite files are per test anyway.

The session cookie is Secure as in production: werkzeug's test client sends Secure cookies
over plain http, so the tests need no exception for it."""

from __future__ import annotations

import os
import shutil
import urllib.parse

import flask_babel
import pytest
import sqlalchemy as sa
from flask import g
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings

from planner import create_app
from planner.config import database_uri
from planner.demo import DEMO_EMAIL, DEMO_PASSWORD
from planner.extensions import db


def _database_of_this_worker() -> None:
    """Point DATABASE_URL at this xdist worker's own PostgreSQL database, made if missing."""
    url = os.environ.get("DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith(("postgresql://", "postgres://")):
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_{worker}"
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # Subprocesses (the RQ worker, the command line) inherit it too.
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


_database_of_this_worker()

# Property tests check correctness, never speed: no per-example deadline and no complaint about
# slow data generation, whose speed depends only on how busy the machine is. The suite draws
# the same examples on every run, so a run passes or fails for the code, never for the dice;
# HYPOTHESIS_PROFILE=explore draws new ones, to hunt for counterexamples (each one found
# becomes a test of its own, like those in tests/scheduler/test_properties.py).
settings.register_profile(
    "busy-machine",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile(
    "explore", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "busy-machine"))


def database_url(tmp_path) -> str:
    """A new SQLite file, or the PostgreSQL server that DATABASE_URL names."""
    return database_uri(os.environ.get("DATABASE_URL"), str(tmp_path))


def empty_database() -> None:
    """Start every test from nothing: on PostgreSQL, drop whatever the last test left."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file whose schema comes from the migrations, made once per test process; each
    test gets a copy (copying takes a millisecond, migrating a few hundred)."""
    path = tmp_path_factory.mktemp("migrated") / "planner.sqlite3"
    uri = f"sqlite:///{path}"
    template = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": uri})
    with template.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()  # the last connection folds the write-ahead log into the file
    return path


@pytest.fixture
def app(tmp_path, migrated_sqlite):
    """An app on an empty database whose schema comes from the migrations."""
    url = database_url(tmp_path)
    own_file = not os.environ.get("DATABASE_URL")  # a new SQLite file in tmp_path
    if own_file:
        shutil.copyfile(migrated_sqlite, tmp_path / "planner.sqlite3")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "SOLVER_TIME_LIMIT": 1.0,
            "SOLVER_WORKERS": 1,
        }
    )
    # The fixture holds one app context for the whole test, so its requests share `g`, where
    # Flask-Babel caches the locale and Flask-Login the user; in production each request has
    # its own. Forget them.
    app.before_request(flask_babel.refresh)
    app.before_request(_forget_the_last_requests_user)
    with app.app_context():
        if not own_file:
            empty_database()
            upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def _forget_the_last_requests_user() -> None:
    """Flask-Login caches the user in `g` too (and the access checks the roles)."""
    g.pop("_login_user", None)
    g.pop("event_roles", None)


@pytest.fixture
def client(app):
    """A client whose browser prefers English (tests read English texts; the choice of
    language is tested in test_i18n.py)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real login form; by default as the organiser fixture
    account, an admin (it may open every event, so organiser tests need no membership)."""

    email = DEMO_EMAIL
    password = DEMO_PASSWORD

    def __init__(self, client):
        self._client = client

    def login(self, email=None, password=None):
        if email is None:
            organiser_account()
        return self._client.post(
            "/login",
            data={"email": email or self.email, "password": password or self.password},
        )

    def logout(self):
        return self._client.post("/logout")


def organiser_account():
    """The organiser fixture account (the demo's admin), created when missing."""
    from planner.demo import demo_admin

    user = demo_admin()
    db.session.commit()
    return user


def make_user(email, name="Somebody", password="a good password", *, admin=False):
    """A committed account."""
    from planner.operations.accounts import create_user

    user = create_user(email, name, password, is_admin=admin)
    db.session.commit()
    return user


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def demo_event(app):
    """The demo barcamp, committed."""
    from planner.demo import load_demo

    event = load_demo()
    db.session.commit()
    return event


# --- the run's hostile-input figures (tests/fuzz) --------------------------------------------

HOSTILE = "hostile"  # the key under which an xdist worker hands its counts to the controller


def pytest_sessionfinish(session) -> None:
    """On an xdist worker: hand this process's hostile-input counts to the controller."""
    from .fuzz import TRIED

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput[HOSTILE] = dict(TRIED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """On the xdist controller: add a finished worker's counts."""
    from .fuzz import TRIED

    TRIED.update(getattr(node, "workeroutput", {}).get(HOSTILE, {}))


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many hostile inputs this run tried and how many gave a server error."""
    from .fuzz import TRIED

    if TRIED["hostile inputs"]:
        terminalreporter.write_line(
            f"tests/fuzz: {TRIED['hostile inputs']:,} hostile inputs tried, "
            f"{TRIED['server errors']} server errors"
        )
