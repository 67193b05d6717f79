"""The done-when of table rounds on the demo, in Chromium with a German browser: a new
organiser adjusts the demo's topic tables, phones choose, "Tische verteilen" seats everyone,
publish, each phone shows its route (on the tables page and in its agenda) and the table
signs list the people. Every page on the way passes axe."""

from __future__ import annotations

import pytest

from planner.demo import TABLE_TOPICS, load_demo

from .conftest import login, serve
from .test_accessibility import check

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app with the demo barcamp (its topic tables and the phones that already chose)."""

    def demo(app):
        app.config["SLUG"] = load_demo().slug

    yield from serve(tmp_path_factory.mktemp("rounds") / "rounds.sqlite3", demo)


def choose_on_phone(browser, live_url, slug, topics):
    """A new phone that taps `topics` in order; the page shows them as its choice."""
    phone = browser.new_context(locale="de-DE", viewport=PHONE).new_page()
    phone.goto(f"{live_url}/e/{slug}/tables")
    for topic in topics:
        with phone.expect_navigation():
            phone.click(f"ul.topic-choices button:has-text('{topic}')")
    assert f"Ihre Wahl: {' · '.join(topics)}" in phone.content()
    return phone


def test_demo_topic_tables_from_setup_to_routes_and_signs(browser, live_app, live_url):
    slug = live_app.config["SLUG"]
    organiser = browser.new_context(locale="de-DE").new_page()
    login(organiser, live_url)
    organiser.goto(f"{live_url}/organise/{slug}/")
    with organiser.expect_navigation():
        organiser.click("nav.event-nav >> text=Tischrunden")
    # The setup form shows the demo's tables; the organiser makes them a little larger.
    assert organiser.input_value("#topics").splitlines() == list(TABLE_TOPICS)
    organiser.fill("#seats", "12")
    with organiser.expect_navigation():
        organiser.click("section[aria-labelledby=setup-heading] button[type=submit]")
    assert "Die Tische sind angelegt." in organiser.content()
    before = int(organiser.locator("#people-count").inner_text())
    assert before > 0  # the demo's phones keep their choices

    phones = [
        choose_on_phone(browser, live_url, slug, ["KI und Trends", "Open Data"]),
        choose_on_phone(browser, live_url, slug, ["IT-Sicherheit"]),
    ]
    # The first gives a name for the lists and signs; the second stays a number.
    phones[0].fill("#phone-name", "Lena")
    with phones[0].expect_navigation():
        phones[0].click("form.phone-name button")
    assert "Gespeichert: Die Listen zeigen Sie als Lena." in phones[0].content()
    assert check(phones[0], live_url, [f"/e/{slug}/tables"]) == {}
    organiser.reload()
    assert int(organiser.locator("#people-count").inner_text()) == before + 2
    with organiser.expect_navigation():
        organiser.click("main button:has-text('Tische verteilen')")
    assert "Alle haben einen Tisch." in organiser.content()
    assert organiser.locator("#figures strong").first.inner_text() == "0"
    with organiser.expect_navigation():
        organiser.click("main button:has-text('Veröffentlichen')")

    for phone, first in zip(phones, ("KI und Trends", "IT-Sicherheit"), strict=True):
        phone.reload()
        stops = phone.locator("ol.route li").all_inner_texts()
        assert [stop.split(" · ")[0] for stop in stops] == ["Runde 1", "Runde 2"]
        assert first in {stop.split(" · ")[3] for stop in stops}
        phone.goto(f"{live_url}/e/{slug}/agenda")
        route = phone.locator("section.agenda-route ol.route li").all_inner_texts()
        assert [stop.split(" · ")[1] for stop in route] == ["Runde 1", "Runde 2"]
        feed = phone.locator(".private-link a[href$='.ics']").get_attribute("href")
        assert "SUMMARY:Runde 1 · Tisch " in phone.request.get(feed).text()
        assert check(phone, live_url, [f"/e/{slug}/tables", f"/e/{slug}/agenda"]) == {}

    organiser.goto(f"{live_url}/organise/{slug}/rounds/signs")
    signs = organiser.locator("section.table-sign")
    assert signs.count() == len(TABLE_TOPICS)
    assert "Runde 1" in signs.first.inner_text()
    assert "Lena" in organiser.locator("main").inner_text()
    assert check(organiser, live_url, [f"/organise/{slug}/rounds"]) == {}
    assert check(organiser, live_url, [f"/organise/{slug}/rounds/signs"]) == {}
