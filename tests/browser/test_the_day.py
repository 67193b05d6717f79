"""The day itself in real Chromium with a German browser: publish version 1, withdraw a
session, move another into its place by drag and drop, publish version 2. The withdrawn one
stays cancelled everywhere, its host is told on their page and by mail (a real local SMTP
server), the board's first button never re-plans without asking, undo and "reset to version
1" work, and axe finds nothing."""

from __future__ import annotations

import re
import socket
from datetime import date, datetime

import icalendar
import pytest
from aiosmtpd.controller import Controller

from planner.extensions import db
from planner.models import Event, PlanVersion, Room, Slot, Talk

from .conftest import login, serve
from .test_accessibility import violations

pytestmark = pytest.mark.browser


class Inbox:
    """An SMTP handler that keeps what arrives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def inbox():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def prepare(app) -> None:
    """Two rooms, two slots, three sessions and a draft: Forum and Lounge at 10:00 (Saal,
    Ecke), Kaffee at 11:00 in Saal; Lounge's host gave a mail address."""
    event = Event(slug="tag", name="Tag", starts_on=date(2025, 7, 1), voting_open=True)
    event.slots = [
        Slot(starts_at=datetime(2025, 7, 1, 10, 0), ends_at=datetime(2025, 7, 1, 10, 45)),
        Slot(starts_at=datetime(2025, 7, 1, 11, 0), ends_at=datetime(2025, 7, 1, 11, 45)),
    ]
    event.rooms = [
        Room(name="Saal", capacity=30, position=0),
        Room(name="Ecke", capacity=30, position=1),
    ]
    event.talks = [
        Talk(title="Forum Open Data", hosts=["Ada"]),
        Talk(title="Lounge KI", hosts=["Ben"], contact_email="ben@example.org"),
        Talk(title="Kaffee und Verwaltung", hosts=["Cem"]),
    ]
    db.session.add(event)
    db.session.flush()
    forum, lounge, kaffee = event.talks
    (saal, ecke), (first, second) = event.rooms, event.slots
    assignments = [
        {"session": forum.key, "room": saal.key, "slot": first.key},
        {"session": lounge.key, "room": ecke.key, "slot": first.key},
        {"session": kaffee.key, "room": saal.key, "slot": second.key},
    ]
    document = {"format": "barcamp-planner/plan@1", "assignments": assignments, "unscheduled": []}
    db.session.add(PlanVersion(event=event, number=0, document=document))


@pytest.fixture(scope="module")
def day_app(tmp_path_factory, inbox):
    yield from serve(
        tmp_path_factory.mktemp("day") / "day.sqlite3",
        prepare,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=inbox.port,
    )


def ids(app) -> dict[str, int]:
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "tag"))
        found = {talk.title.split()[0].lower(): talk.id for talk in event.talks}
        found["token"] = next(item for item in event.talks if item.title == "Lounge KI").edit_token
        (saal, ecke), (first, second) = event.rooms, event.slots
        found["gap"] = f"{ecke.key}|{first.key}"  # Lounge KI's place
        found["free"] = f"{ecke.key}|{second.key}"
        found["kaffee_place"] = f"{saal.key}|{second.key}"
        db.session.remove()
        return found


def primary_button(page) -> str:
    """The first filled (not secondary) button among the board's actions."""
    return page.locator(".actions button:not(.secondary)").first.inner_text().strip()


def place_of(page, talk_id: int) -> str:
    """Where the board shows a session: its cell's room|slot."""
    return page.locator(f"td:has(> #talk-{talk_id})").get_attribute("data-place")


def uids(text: bytes) -> dict[str, tuple[str, str]]:
    calendar = icalendar.Calendar.from_ical(text)
    return {
        str(item["uid"]): (str(item["summary"]), str(item["status"]))
        for item in calendar.walk("VEVENT")
    }


def test_a_cancellation_stays_announced_through_version_two(browser, day_app, inbox):
    live_url, talk = day_app.config["LIVE_URL"], ids(day_app)
    # The phone marks Lounge KI while voting is open.
    phone = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.goto(f"{live_url}/e/tag/vote")
    mobile.click(
        f"#title-{talk['lounge']} ~ form button, form[action$='/vote/{talk['lounge']}'] button"
    )
    mobile.wait_for_selector(f"form[action$='/vote/{talk['lounge']}'] button[aria-pressed=true]")

    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    login(page, live_url)

    # Version 1.
    page.goto(f"{live_url}/organise/tag/plan")
    assert primary_button(page) == "Veröffentlichen"
    with page.expect_navigation():
        page.click("#publish-button")
    assert "/plan/versions/1" in page.url
    before_ics = uids(page.request.get(f"{live_url}/e/tag/schedule.ics").body())
    lounge_uid = next(
        uid for uid, (summary, _status) in before_ics.items() if summary == "Lounge KI"
    )

    # Withdraw Lounge KI: the sessions page asks first.
    page.goto(f"{live_url}/organise/tag/proposals")
    with page.expect_navigation():
        page.click(f"a[href$='/talks/{talk['lounge']}/withdraw']")
    assert "steht im veröffentlichten Plan" in page.inner_text("main")
    assert violations(page) == []
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # Move Kaffee into the gap by drag and drop: the board is redrawn in place.
    page.goto(f"{live_url}/organise/tag/plan")
    page.evaluate("window.stayedHere = true")
    with page.expect_response(lambda response: "/plan/move" in response.url):
        page.drag_and_drop(f"#talk-{talk['kaffee']}", f"td[data-place='{talk['gap']}']")
    page.wait_for_selector("#board-status:not([hidden])")
    assert "Verschoben: Kaffee und Verwaltung" in page.inner_text("#board-status")
    assert page.evaluate("window.stayedHere") is True  # redrawn in place, not reloaded
    assert place_of(page, talk["kaffee"]) == talk["gap"]

    # After publishing, the first button publishes; planning anew asks.
    assert primary_button(page) == "Entwurf veröffentlichen"
    assert (
        page.locator(".actions a[href$='/plan/generate']")
        .inner_text()
        .startswith("Alles neu planen")
    )
    with page.expect_navigation():
        page.click("#publish-button")
    assert "/plan/versions/2" in page.url
    assert "Entfällt" in page.inner_text("main")

    # Everyone is still told: the plan, the foyer board, the phone's agenda, the documents.
    page.goto(f"{live_url}/e/tag/schedule")
    grid = page.inner_text("table.grid")
    assert "Lounge KI" in grid and "Entfällt" in grid and "Kaffee und Verwaltung" in grid
    page.goto(f"{live_url}/e/tag/board?at=2025-07-01T09:00")
    displaced = page.locator(".tile .displaced").inner_text()  # the screen's script drew it
    assert "Lounge KI" in displaced and "entfällt" in displaced.lower()
    mobile.goto(f"{live_url}/e/tag/agenda?at=2025-07-01T09:00")
    item = mobile.locator(f"#talk-{talk['lounge']}")
    assert "Entfällt" in item.inner_text()
    feed = re.search(r"(/e/tag/agenda/[^/\s]+\.ics)", mobile.content()).group(1)
    document = page.request.get(f"{live_url}/e/tag/schedule.json").json()
    assert document["version"] == 2
    assert {item["title"]: item["cancelled"] for item in document["assignments"]}[
        "Lounge KI"
    ] is True
    for url in (f"{live_url}/e/tag/schedule.ics", f"{live_url}{feed}"):
        events = uids(page.request.get(url).body())
        assert events[lounge_uid] == ("Entfällt: Lounge KI", "CANCELLED")

    # Its host: one notice on the private page, one mail.
    page.goto(f"{live_url}/e/tag/proposals/{talk['token']}")
    assert page.locator(".notices li").count() == 1
    assert "Ihre Sitzung entfällt" in page.inner_text(".notices")
    assert [to for to, _content in inbox.messages] == [["ben@example.org"]]

    # Undo a move, then reset the draft to version 1.
    page.goto(f"{live_url}/organise/tag/plan")
    page.evaluate("window.stayedHere = true")
    forum = place_of(page, talk["forum"])
    with page.expect_response(lambda response: "/plan/move" in response.url):
        page.drag_and_drop(f"#talk-{talk['forum']}", f"td[data-place='{talk['free']}']")
    page.wait_for_selector("#board-status:not([hidden])")
    assert place_of(page, talk["forum"]) == talk["free"]
    with page.expect_response(lambda response: "/plan/undo" in response.url):
        page.click("#undo-button")
    page.wait_for_selector("#board-status:has-text('rückgängig')")
    assert "Die letzte Änderung wurde rückgängig gemacht." in page.inner_text("#board-status")
    assert place_of(page, talk["forum"]) == forum
    page.select_option("#reset-version", "1")
    with page.expect_response(lambda response: "/plan/reset" in response.url):
        page.click(".reset-form button")
    page.wait_for_selector("#board-status:has-text('Version 1')")
    assert place_of(page, talk["kaffee"]) == talk["kaffee_place"]
    assert page.evaluate("window.stayedHere") is True
    assert violations(page) == []
    assert errors == []
    context.close()
    phone.close()
