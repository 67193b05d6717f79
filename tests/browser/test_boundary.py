"""Two organisers on one board in Chromium: the second change, made on the board as it was
before the first, is refused by the request boundary and said in the board's status line, in
the organiser's language, and the board shows the plan as it is now."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from planner.demo import load_demo
from planner.operations import planning

from .conftest import login, serve


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The demo barcamp with a generated draft; the first two sessions in it are noted."""

    def demo(app):
        event = load_demo()
        plan = planning.generate(event, keep=False, time_limit=1.0, workers=1)
        placed = {item.session for item in plan.assignments}
        app.config["SLUG"] = event.slug
        app.config["PLACED"] = [talk.id for talk in event.talks if talk.key in placed][:2]

    yield from serve(tmp_path_factory.mktemp("boundary") / "boundary.sqlite3", demo)


def _board(browser, live_url, slug, locale):
    page = browser.new_context(locale=locale).new_page()
    login(page, live_url)
    page.goto(f"{live_url}/organise/{slug}/plan")
    return page


def _take_out(page, talk_id: int, said: str) -> int:
    """Take the session out of the plan with the board's move form, wait until the status
    line says `said`; the answer's status."""
    page.select_option("#move-form select[name=talk]", str(talk_id))
    page.select_option("#move-form select[name=place]", "")
    with page.expect_response(lambda response: response.url.endswith("/plan/move")) as answer:
        page.click("#move-form button[type=submit]")
    expect(page.locator("#board-status")).to_contain_text(said)
    return answer.value.status


def test_a_change_on_an_outdated_board_is_refused_in_words(browser, live_app, live_url):
    slug, (first, second) = live_app.config["SLUG"], live_app.config["PLACED"]
    mine = _board(browser, live_url, slug, "en-GB")
    theirs = _board(browser, live_url, slug, "de-DE")
    assert _take_out(mine, first, "Moved:") == 200
    assert _take_out(theirs, second, "Ihre Änderung wurde nicht übernommen") == 409
    expect(theirs.locator("#board-status")).to_have_class(re.compile(r"\berror\b"))
    # The board was drawn again as it is now: the same change goes through.
    assert _take_out(theirs, second, "Verschoben:") == 200
    expect(theirs.locator("#board-status")).not_to_have_class(re.compile(r"\berror\b"))
