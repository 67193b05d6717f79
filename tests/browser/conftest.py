"""Real Chromium against the app served on a loopback port (Debian's chromium package)."""

from __future__ import annotations

import shutil
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from planner import create_app
from planner.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app with a migrated database and the demo barcamp, served in a thread."""
    path = tmp_path_factory.mktemp("browser") / "browser.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SOLVER_TIME_LIMIT": 1.0,
            "SOLVER_WORKERS": 1,
        }
    )
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


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


def login(page, live_url):
    """Log in as the organiser through the form."""
    page.goto(f"{live_url}/login")
    page.fill("#username", "orga")
    page.fill("#password", "barcamp")
    page.click("button[type=submit]")
