"""The start page in Chromium: a newcomer reads what this is, votes as an attendee, and logs in
as the organiser with the demo login the page shows."""

from __future__ import annotations

import pytest

from planner.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo

from .conftest import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app with the demo barcamp and its demo organiser account, as `make run` has it."""

    def demo(app):
        app.config["SLUG"] = load_demo().slug

    yield from serve(tmp_path_factory.mktemp("home") / "home.sqlite3", demo)


def test_from_the_start_page_to_the_ballot_and_to_the_organiser_side(browser, live_app, live_url):
    page = browser.new_page(locale="en-GB")
    page.goto(f"{live_url}/")
    assert "At a barcamp the attendees make the programme" in page.locator(".lead").inner_text()
    assert page.locator(".event-list a").first.inner_text() == "Digitaler Verwaltungstag Hessen"
    with page.expect_navigation():
        page.get_by_role("link", name="Vote as an attendee").click()
    assert page.url.endswith(f"/e/{live_app.config['SLUG']}/vote")
    assert page.locator("form.mark button").count() == 25

    page.goto(f"{live_url}/")
    steps = page.locator(".demo-start").inner_text()
    assert DEMO_EMAIL in steps and DEMO_PASSWORD in steps
    with page.expect_navigation():
        page.get_by_role("link", name="Log in as the organiser").click()
    page.fill("#email", DEMO_EMAIL)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/organise/" in page.url
    page.goto(f"{live_url}/")
    assert page.get_by_role("link", name="Your events").is_visible()
    page.close()


def test_a_german_browser_reads_the_start_page_in_german(browser, live_app, live_url):
    page = browser.new_page(locale="de-DE")
    page.goto(f"{live_url}/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Auf einem Barcamp" in page.locator(".lead").inner_text()
    assert page.get_by_role("link", name="Als Organisationsteam anmelden").first.is_visible()
    page.close()


def test_a_french_browser_reads_english(browser, live_app, live_url):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Try the demo").is_visible()
    context.close()
