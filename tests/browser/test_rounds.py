"""Table rounds in real Chromium: an organiser sets up topic tables, phones choose topics
with one tap each, the solver seats everyone, and each phone shows its route once published.
The pages pass axe."""

from __future__ import annotations

from datetime import date

import pytest

from planner.extensions import db
from planner.operations import setup

from .conftest import login
from .test_accessibility import check

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def event_slug(live_app):
    with live_app.app_context():
        event = setup.create_event(
            name="Kongress Digitale Region", starts_on=date(2026, 11, 18), timezone="Europe/Berlin"
        )
        db.session.commit()
        return event.slug


def test_topic_tables_from_setup_to_each_persons_route(browser, live_url, event_slug):
    organiser = browser.new_context(locale="de-DE")
    page = organiser.new_page()
    login(page, live_url)
    page.goto(f"{live_url}/organise/{event_slug}/")
    page.click("nav.event-nav >> text=Tischrunden")
    page.fill("#topics", "KI und Trends\nOpen Data\nBürgerbeteiligung")
    page.fill("#tables_per_topic", "2")
    page.fill("#seats", "4")
    page.fill("#minimum", "2")
    page.fill("#rounds", "2")
    page.fill("#first_start", "2026-11-18T11:00")
    with page.expect_navigation():
        page.click("section[aria-labelledby=setup-heading] button[type=submit]")
    assert "Die Tische sind angelegt." in page.content()

    phones = []
    for _ in range(6):
        phone = browser.new_context(
            locale="de-DE", viewport={"width": 390, "height": 844}
        ).new_page()
        phone.goto(f"{live_url}/e/{event_slug}/tables")
        for topic in ("Open Data", "KI und Trends"):
            with phone.expect_navigation():
                phone.click(f"ul.topic-choices button:has-text('{topic}')")
        assert "Ihre Wahl: Open Data · KI und Trends" in phone.content()
        phones.append(phone)

    page.reload()
    assert page.locator("#people-count").inner_text() == "6"
    with page.expect_navigation():
        page.click("main button:has-text('Tische verteilen')")
    assert "Alle haben einen Tisch." in page.content()
    assert page.locator("#figures strong").first.inner_text() == "0"  # nobody without a table
    with page.expect_navigation():
        page.click("main button:has-text('Veröffentlichen')")

    for phone in phones:
        phone.reload()
        stops = phone.locator("ol.route li").all_inner_texts()
        assert len(stops) == 2
        assert stops[0].startswith("Runde 1 · 11:00 · Tisch ")
        topics = {stop.split(" · ")[3] for stop in stops}
        assert topics == {"Open Data", "KI und Trends"}  # both choices, one per round
    assert check(page, live_url, [f"/organise/{event_slug}/rounds"]) == {}
    assert check(phones[0], live_url, [f"/e/{event_slug}/tables"]) == {}
