"""Real Chromium against the app served on a loopback port (Debian's chromium package)."""

from __future__ import annotations

import shutil
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from bench.board import CHROMIUM, CHROMIUM_FLAGS  # one launch for the tests and the benchmark
from planner import create_app
from planner.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_admin
from planner.extensions import db


def serve(path, prepare=None, **config):
    """Yield the app on a migrated SQLite file at `path`, served on a free loopback port in a
    thread, with the organiser account that login() uses; `prepare()` adds data first."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SOLVER_TIME_LIMIT": 1.0,
            "SOLVER_WORKERS": 1,
            # As in production: Chromium takes Secure cookies from http://127.0.0.1.
            "SESSION_COOKIE_SECURE": True,
            **config,
        }
    )
    with app.app_context():
        upgrade()
        demo_admin()
        if prepare is not None:
            prepare(app)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app with a migrated database, served in a thread."""
    yield from serve(tmp_path_factory.mktemp("browser") / "browser.sqlite3")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is missing: `make test` installs it (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_url(live_app):
    return live_app.config["LIVE_URL"]


def login(page, live_url, email=DEMO_EMAIL, password=DEMO_PASSWORD):
    """Log in through the form; by default as the organiser account, an admin."""
    page.goto(f"{live_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/login" not in page.url, "the organiser login worked"
