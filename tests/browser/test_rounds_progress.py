"""Watch the tables being distributed in Chromium: "Tische verteilen" starts a background
job, the panel shows the time and the best figures so far, and "Bisher beste Verteilung
nehmen" ends it early with a valid seating on the page. The panel passes axe."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Event
from planner.operations import rounds as operations
from planner.operations import setup
from planner.operations.rounds import QuickSetup
from planner.scheduler.rounds import violations as violations_of

from .conftest import login, serve
from .test_accessibility import violations

pytestmark = pytest.mark.browser

WAIT = 120.0  # seconds: only keeps a broken page from hanging the suite


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """A world café of 60 at four tables in four rounds, seated in a background thread with
    a time limit the test never reaches (it stops the job itself)."""

    def cafe(app):
        event = setup.create_event(
            name="Weltcafé Harz", starts_on=date(2026, 11, 18), timezone="Europe/Berlin"
        )
        topics = ("Daten", "KI", "Beteiligung", "Sicherheit")
        start = datetime(2026, 11, 18, 11, 0)
        operations.quick_setup(event, QuickSetup(topics, 1, 20, 0, 4, start, 20, 5, "free"))
        operations.set_name_list(event, "\n".join(f"Person {n}" for n in range(1, 61)))
        app.config["SLUG"] = event.slug

    yield from serve(
        tmp_path_factory.mktemp("seat") / "seat.sqlite3",
        cafe,
        SOLVE_SYNC=False,
        SOLVER_TIME_LIMIT=300.0,
    )


def test_the_seating_shows_progress_and_stops_with_the_best_so_far(browser, live_app, live_url):
    slug = live_app.config["SLUG"]
    page = browser.new_context(locale="de-DE").new_page()
    login(page, live_url)
    page.goto(f"{live_url}/organise/{slug}/rounds")
    with page.expect_navigation():
        page.click("main button:has-text('Tische verteilen')")
    panel = page.locator("#seat-panel")
    assert "Tische werden verteilt" in panel.locator("h2").inner_text()
    deadline = time.monotonic() + WAIT
    while panel.locator("[data-seat=unseated]").inner_text() != "0":
        assert time.monotonic() < deadline, "no figures arrived"
        page.wait_for_timeout(200)
    assert violations(page) == []
    with page.expect_navigation():
        page.click("#seat-panel button:has-text('Bisher beste Verteilung nehmen')")
    deadline = time.monotonic() + WAIT
    while page.locator("#seat-panel").count():  # seat.js reloads the page when it ends
        assert time.monotonic() < deadline, "the job did not end"
        page.wait_for_timeout(200)
    assert page.locator("#figures strong").first.inner_text() == "0"
    with live_app.app_context():
        rounds = operations.rounds_of(db.session.scalar(sa.select(Event).filter_by(slug=slug)))
        problem, seating = operations.problem_of(rounds), operations.seating_of(rounds)
        assert seating.solver.get("stopped") is True
        assert violations_of(problem, seating) == []
