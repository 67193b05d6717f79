"""An owner invites a co-organiser in real Chromium; the Secure login cookie works on
http://127.0.0.1."""

from __future__ import annotations

from datetime import date

import pytest

from planner.extensions import db
from planner.models import OWNER
from planner.operations import accounts, setup

from .conftest import login
from .test_accessibility import check

pytestmark = pytest.mark.browser

OWNER_EMAIL, PASSWORD = "olga@example.org", "owner's password"


@pytest.fixture(scope="module")
def event_slug(live_app):
    """An event owned by Olga, who is no admin."""
    with live_app.app_context():
        olga = accounts.create_user(OWNER_EMAIL, "Olga Owner", PASSWORD)
        event = setup.create_event(
            name="Barcamp Kassel", starts_on=date(2025, 5, 24), timezone="Europe/Berlin"
        )
        accounts.add_member(event, olga, OWNER)
        db.session.commit()
        return event.slug


def session_cookie(context) -> dict:
    return next(cookie for cookie in context.cookies() if cookie["name"] == "session")


def test_an_owner_invites_a_co_organiser(browser, live_url, event_slug):
    owner = browser.new_context(locale="en-GB")
    page = owner.new_page()
    login(page, live_url, OWNER_EMAIL, PASSWORD)
    cookie = session_cookie(owner)
    assert cookie["secure"] and cookie["httpOnly"], "a Secure, HttpOnly cookie over plain http"
    assert "Olga Owner" in page.locator("header.site").inner_text()

    page.goto(f"{live_url}/organise/{event_slug}/")
    page.click("nav.event-nav >> text=Team")
    page.fill("#email", "cora@example.org")
    page.select_option("#role", "organiser")
    with page.expect_navigation():
        page.click("main form.narrow button[type=submit]")
    assert "sends no email" in page.content()
    link = page.locator("input[id^=link-]").first.input_value()
    assert link.startswith(f"{live_url}/invite/")

    guest = browser.new_context(locale="en-GB")  # the co-organiser's own browser
    other = guest.new_page()
    other.goto(link)
    assert "cora@example.org" in other.content()
    other.fill("#name", "Cora Co")
    other.fill("#password", "cora's password")
    other.fill("#repeat", "cora's password")
    with other.expect_navigation():
        other.click("main button[type=submit]")
    assert other.url == f"{live_url}/organise/{event_slug}/"
    assert other.locator("h1").inner_text() == "Barcamp Kassel"
    assert "Cora Co" in other.locator("header.site").inner_text()
    assert session_cookie(guest)["secure"]
    other.goto(f"{live_url}/organise/")
    assert "Barcamp Kassel" in other.locator("main").inner_text()

    page.goto(f"{live_url}/organise/{event_slug}/team")
    assert "Cora Co" in page.locator("main table").inner_text()
    guest.close()
    owner.close()


def test_team_account_and_invitation_pages_pass_axe(browser, live_url, event_slug):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_url, OWNER_EMAIL, PASSWORD)
    page.goto(f"{live_url}/organise/{event_slug}/team")
    page.fill("#email", "axel@example.org")
    with page.expect_navigation():
        page.click("main form.narrow button[type=submit]")
    invitation = page.locator("input[id^=link-]").first.input_value()[len(live_url) :]
    paths = [f"/organise/{event_slug}/team", "/account"]
    assert check(page, live_url, paths) == {}
    context.close()
    guest = browser.new_context(locale="de-DE").new_page()
    assert check(guest, live_url, [invitation, "/login"]) == {}
    guest.context.close()
