"""Watch a plan improve in Chromium: Generate starts a background solve, the board shows the
progress bar and the chart of missed people moving, and "Use the best plan so far" ends it
early with a plan on the board."""

from __future__ import annotations

import time

import pytest

from planner.demo import load_demo

from .conftest import login, serve

# The test stops the solve itself, so the limit is never reached, however busy the machine.
TIME_LIMIT = 300.0
WAIT = 120.0  # seconds: only keeps a broken page from hanging the suite


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app with the demo barcamp, solving in a background thread."""

    def demo(app):
        app.config["SLUG"] = load_demo().slug

    yield from serve(
        tmp_path_factory.mktemp("solving") / "solving.sqlite3",
        demo,
        SOLVE_SYNC=False,
        SOLVER_TIME_LIMIT=TIME_LIMIT,
        SOLVER_WORKERS=2,
    )


def wait_for_progress(page, at_least: float) -> float:
    """Wait until the progress bar shows `at_least` seconds (the CSP forbids waiting for a
    JavaScript expression in the page)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = float(page.locator("#solve-progress").evaluate("element => element.value"))
        if value >= at_least:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"the progress bar stayed below {at_least} s")


def test_watch_the_plan_improve_and_take_the_best_so_far(browser, live_app, live_url):
    page = browser.new_page(locale="en-GB")
    login(page, live_url)
    page.goto(f"{live_url}/organise/{live_app.config['SLUG']}/plan")
    with page.expect_navigation():
        page.click("form[action$='/plan/generate'] button[type=submit]")
    assert page.locator("#solve-progress").is_visible()
    assert not page.locator(".solve-refresh").is_visible(), "the script polls instead"
    first = wait_for_progress(page, at_least=1.0)
    page.wait_for_selector(".solve-chart polyline.line")
    wait_for_progress(page, at_least=first + 1.0)
    assert page.locator("[data-solve=scheduled]").inner_text() == "25"
    assert "%" in page.locator("[data-solve=share]").inner_text()
    with page.expect_navigation():
        page.click("text=Use the best plan so far")
    # The board reloads itself once the job has saved its plan.
    page.wait_for_selector("#solve-panel.solve-stopped", timeout=WAIT * 1000)
    assert page.locator("#solve-progress").count() == 0
    assert page.locator("table.board").is_visible()
    assert "Stopped early" in page.locator("#solve-title").inner_text()
    page.close()
