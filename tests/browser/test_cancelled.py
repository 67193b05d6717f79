"""In real Chromium: a session withdrawn after publishing turns up as cancelled on the foyer
board at its next poll, in place (no reload), drawn by screens.js from board.json."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.extensions import db
from planner.models import Event, PlanVersion, Room, Slot, Talk, utcnow
from planner.operations import setup

pytestmark = pytest.mark.browser

# 10:30 in Berlin on 3 March 2025 (UTC+1).
HALF_PAST_TEN = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def camp(live_app):
    """Alpha at 10:00 and Beta at 11:00 in Saal X, published; yields the slug, the room id and
    a function that withdraws a session by title."""
    with live_app.app_context():
        event = Event(slug="cancelled-camp", name="Camp", starts_on=date(2025, 3, 3))
        event.slots = [
            Slot(starts_at=datetime(2025, 3, 3, h, 0), ends_at=datetime(2025, 3, 3, h, 45))
            for h in (10, 11)
        ]
        event.rooms = [Room(name="Saal X", position=0)]
        event.talks = [Talk(title="Alpha", hosts=["Ada"]), Talk(title="Beta", hosts=["Ben"])]
        db.session.add(event)
        db.session.flush()
        assignments = [
            {"session": talk.key, "room": event.rooms[0].key, "slot": slot.key}
            for talk, slot in zip(event.talks, event.slots, strict=True)
        ]
        document = {"format": "barcamp-planner/plan@1", "assignments": assignments}
        db.session.add(PlanVersion(event=event, number=1, document=document, published_at=utcnow()))
        db.session.commit()
        slug, room_id, event_id = event.slug, event.rooms[0].id, event.id
        db.session.remove()

    def withdraw(title: str) -> None:
        with live_app.app_context():
            event = db.session.get(Event, event_id)
            setup.withdraw_talk(next(talk for talk in event.talks if talk.title == title))
            db.session.commit()
            db.session.remove()

    return slug, room_id, withdraw


def test_board_shows_a_withdrawal_in_place(browser, live_url, camp):
    slug, room_id, withdraw = camp
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.clock.install(time=HALF_PAST_TEN)
    page.goto(f"{live_url}/e/{slug}/board")
    tile = page.locator(f".tile[data-room='{room_id}']")
    assert tile.locator(".now .title").inner_text() == "Alpha"
    assert tile.locator(".cancelled-tag").count() == 0
    page.evaluate("window.__marker = 1")  # gone if the page reloads

    withdraw("Beta")
    with page.expect_response(lambda response: "board.json" in response.url) as poll:
        page.clock.run_for(30_000)
    assert poll.value.status == 200
    tile.locator(".next.cancelled .cancelled-tag").wait_for()
    assert tile.locator(".next .cancelled-tag").inner_text().casefold() == "entfällt"
    assert tile.locator(".next .title").inner_text() == "Beta"
    assert tile.locator(".now .cancelled-tag").count() == 0  # Alpha still runs
    assert page.evaluate("window.__marker") == 1
    context.close()
    assert errors == []
