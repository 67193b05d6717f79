"""A session withdrawn after publishing stays cancelled in every later version: another session
may take its place, and still every reader is told, until the organisers take it off the
public plan. Restoring it brings it back.
"""

from __future__ import annotations

import csv
import io
import re

import icalendar
import pytest

from planner.extensions import db
from planner.models import PlanVersion
from planner.operations import planning, setup

from .test_cancelled import camp, marked_agenda, withdraw

__all__ = ["camp"]  # the fixture, used by name


def draft_of(camp) -> None:
    """The organisers' draft: the published version's places."""
    published = next(version for version in camp.plans if version.number == 1)
    db.session.add(PlanVersion(event=camp, number=0, document=dict(published.document)))
    db.session.commit()


def talk_named(camp, title):
    return next(talk for talk in camp.talks if talk.title == title)


@pytest.fixture
def version_two(camp):
    """Lounge KI withdrawn, Kaffee moved into its place (Ecke at 10:00), version 2 published."""
    draft_of(camp)
    withdraw("Lounge KI", camp)
    kaffee = talk_named(camp, "Kaffee und Verwaltung")
    ecke, first = camp.rooms[1], camp.slots[0]
    planning.move(camp, kaffee, ecke.key, first.key)
    version, changed = planning.publish(camp)
    db.session.commit()
    assert version.number == 2
    return changed


def test_version_two_names_the_cancellation(camp, version_two):
    lounge = talk_named(camp, "Lounge KI")
    cancelled = [change for change in version_two if change.cancelled]
    assert [change.talk for change in cancelled] == [lounge.key]
    assert cancelled[0].after == (camp.rooms[1].key, camp.slots[0].key)


def test_the_version_page_says_cancelled(client, auth, camp, version_two):
    auth.login()
    page = client.get("/organise/camp/plan/versions/2").get_data(as_text=True)
    assert page.count('<span class="cancelled-tag">Cancelled</span>') == 1


def test_the_plan_still_says_cancelled_beside_the_new_session(client, camp, version_two):
    page = client.get("/e/camp/schedule").get_data(as_text=True)
    assert "Lounge KI" in page and "Kaffee und Verwaltung" in page
    assert page.count('<span class="cancelled-tag">Cancelled</span>') == 2  # grid and list
    assert 'class="cancelled also"' in page


def test_print_still_says_cancelled(client, camp, version_two):
    page = client.get("/e/camp/schedule/print").get_data(as_text=True)
    assert "Lounge KI" in page and 'class="cancelled also"' in page


def test_board_shows_the_new_session_now_and_the_cancelled_one_too(client, camp, version_two):
    page = client.get("/e/camp/board?at=2025-07-01T10:30").get_data(as_text=True)
    assert "Kaffee und Verwaltung" in page
    displaced = page.split('class="displaced cancelled"')[1].split("</p>")[0]
    assert "Lounge KI" in displaced and "Cancelled" in displaced
    document = client.get("/e/camp/board.json").get_json()
    flags = {item["title"]: item["cancelled"] for item in document["sessions"]}
    assert flags == {"Forum Open Data": False, "Lounge KI": True, "Kaffee und Verwaltung": False}
    # The running session comes first for its room, so the screens show it as "now".
    titles = [item["title"] for item in document["sessions"] if item["room"] == camp.rooms[1].id]
    assert titles == ["Kaffee und Verwaltung", "Lounge KI"]


def test_door_screen_shows_the_session_that_runs(client, camp, version_two):
    ecke = camp.rooms[1]
    page = client.get(f"/e/camp/rooms/{ecke.id}/door?at=2025-07-01T10:30").get_data(as_text=True)
    now = page.split('class="session now')[1].split("</div>")[0]
    assert "Kaffee und Verwaltung" in now


def test_session_page_json_and_csv_keep_it(client, camp, version_two):
    lounge = talk_named(camp, "Lounge KI")
    page = client.get(f"/e/camp/sessions/{lounge.id}").get_data(as_text=True)
    assert "This session was withdrawn and does not take place." in page
    assert "10:00–10:45" in page and "Ecke" in page
    document = client.get("/e/camp/schedule.json").get_json()
    assert document["version"] == 2
    flags = {item["title"]: item["cancelled"] for item in document["assignments"]}
    assert flags == {"Forum Open Data": False, "Lounge KI": True, "Kaffee und Verwaltung": False}
    text = client.get("/e/camp/schedule.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Title"]: row["Status"] for row in rows}["Lounge KI"] == "Cancelled"


def test_calendars_keep_it_cancelled_under_its_uid(client, camp):
    page = marked_agenda(client, camp, "Lounge KI")
    feed_url = re.search(r'href="http://localhost(/e/camp/agenda/[^"/]+\.ics)"', page).group(1)
    before = icalendar.Calendar.from_ical(client.get("/e/camp/schedule.ics").data)
    uid = {str(item["summary"]): str(item["uid"]) for item in before.walk("VEVENT")}["Lounge KI"]
    draft_of(camp)
    withdraw("Lounge KI", camp)
    kaffee = talk_named(camp, "Kaffee und Verwaltung")
    planning.move(camp, kaffee, camp.rooms[1].key, camp.slots[0].key)
    planning.publish(camp)
    db.session.commit()
    for url in ("/e/camp/schedule.ics", feed_url):
        calendar = icalendar.Calendar.from_ical(client.get(url).data)
        events = {str(item["uid"]): item for item in calendar.walk("VEVENT")}
        assert str(events[uid]["status"]) == "CANCELLED"
        assert str(events[uid]["summary"]) == "Cancelled: Lounge KI"
    agenda = client.get("/e/camp/agenda?at=2025-07-01T09:00").get_data(as_text=True)
    assert "This session was withdrawn and does not take place." in agenda


def test_it_stays_cancelled_in_version_three(client, camp, version_two):
    forum = talk_named(camp, "Forum Open Data")
    planning.move(camp, forum, camp.rooms[0].key, camp.slots[1].key)
    version, changed = planning.publish(camp)
    db.session.commit()
    assert version.number == 3 and not any(change.cancelled for change in changed)
    flags = {
        item["title"]: item["cancelled"]
        for item in client.get("/e/camp/schedule.json").get_json()["assignments"]
    }
    assert flags["Lounge KI"] is True


def test_taking_it_off_the_public_plan_removes_it(client, auth, camp, version_two):
    lounge = talk_named(camp, "Lounge KI")
    auth.login()
    response = client.post(f"/organise/camp/talks/{lounge.id}/off-public-plan")
    assert response.status_code == 302
    titles = [
        item["title"] for item in client.get("/e/camp/schedule.json").get_json()["assignments"]
    ]
    assert "Lounge KI" not in titles
    version, changed = planning.publish(camp)
    db.session.commit()
    assert "cancelled" not in version.document
    assert [change.talk for change in changed] == [lounge.key]


def test_restoring_puts_it_back_into_the_draft_where_it_was(client, camp, version_two):
    forum = talk_named(camp, "Forum Open Data")
    planning.move(camp, forum, camp.rooms[0].key, camp.slots[1].key)
    lounge = talk_named(camp, "Lounge KI")
    setup.withdraw_talk(lounge, withdrawn=False)
    planning.restore_place(camp, lounge)
    db.session.commit()
    places = planning.board(camp).plan.assignment_by_session
    assert lounge.key not in places  # its place (Ecke, 10:00) is Kaffee's now
    planning.move(
        camp, talk_named(camp, "Kaffee und Verwaltung"), camp.rooms[0].key, camp.slots[0].key
    )
    planning.restore_place(camp, lounge)
    db.session.commit()
    place = planning.board(camp).plan.assignment_by_session[lounge.key]
    assert (place.room, place.slot) == (camp.rooms[1].key, camp.slots[0].key)
    version, changed = planning.publish(camp)
    db.session.commit()
    assert version.number == 3 and lounge.key in [change.talk for change in changed]
    flags = {
        item["title"]: item["cancelled"]
        for item in client.get("/e/camp/schedule.json").get_json()["assignments"]
    }
    assert flags["Lounge KI"] is False


def test_withdrawing_asks_first_and_says_what_readers_will_see(client, auth, camp):
    lounge = talk_named(camp, "Lounge KI")
    auth.login()
    sessions = client.get("/organise/camp/proposals").get_data(as_text=True)
    assert f'href="/organise/camp/talks/{lounge.id}/withdraw"' in sessions
    page = client.get(f"/organise/camp/talks/{lounge.id}/withdraw").get_data(as_text=True)
    assert "This session is in the published plan (Ecke, 10:00)" in page
    assert not lounge.withdrawn
    client.post(f"/organise/camp/talks/{lounge.id}/withdraw")
    db.session.refresh(lounge)
    assert lounge.withdrawn


def test_a_backup_keeps_the_cancellation(client, camp, version_two):
    from planner.operations.backup import backup_document, restore_event

    restored = restore_event(backup_document(camp), slug="camp-copy")
    db.session.commit()
    flags = {
        item["title"]: item["cancelled"]
        for item in client.get("/e/camp-copy/schedule.json").get_json()["assignments"]
    }
    assert flags == {"Forum Open Data": False, "Lounge KI": True, "Kaffee und Verwaltung": False}
    assert restored.mail_notices is True


def test_the_board_lists_what_the_next_version_changes(client, auth, camp):
    draft_of(camp)
    withdraw("Lounge KI", camp)
    kaffee = talk_named(camp, "Kaffee und Verwaltung")
    planning.move(camp, kaffee, camp.rooms[1].key, camp.slots[0].key)
    db.session.commit()
    auth.login()
    page = client.get("/organise/camp/plan").get_data(as_text=True)
    listed = page.split('<ul class="unpublished">')[1].split("</ul>")[0]
    assert "<strong>Lounge KI</strong>:" in listed and "Cancelled" in listed
    assert (
        "<strong>Kaffee und Verwaltung</strong>:" in listed
        and "Saal, 01.07. 11:00 → Ecke, 01.07. 10:00" in listed
    )
