"""A session withdrawn after the plan was published: the published version never changes, so
the session keeps its place, and every reader is told it will not take place.

The plan, the session page, the screens, the calendars, the exports and the agenda each say
so in their own way; nothing drops it silently except schedule.xml, whose format has no word
for "cancelled" (apps drop a session that leaves the file).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

import icalendar
import pytest
from lxml import etree

from planner.extensions import db
from planner.models import Event, PlanVersion, Room, Slot, Talk, utcnow
from planner.operations import setup

from .test_exports import SCHEMA


@pytest.fixture
def camp(app):
    """Two rooms, two slots; Forum and Lounge at 10:00, Kaffee at 11:00; published; Lounge
    withdrawn afterwards by the organisers."""
    event = Event(slug="camp", name="Camp", starts_on=date(2025, 7, 1), voting_open=True)
    event.slots = [
        Slot(starts_at=datetime(2025, 7, 1, 10, 0), ends_at=datetime(2025, 7, 1, 10, 45)),
        Slot(starts_at=datetime(2025, 7, 1, 11, 0), ends_at=datetime(2025, 7, 1, 11, 45)),
    ]
    event.rooms = [Room(name="Saal", position=0), Room(name="Ecke", position=1)]
    event.talks = [
        Talk(title="Forum Open Data", hosts=["Ada"]),
        Talk(title="Lounge KI", hosts=["Ben"]),
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
    document = {"format": "barcamp-planner/plan@1", "assignments": assignments}
    db.session.add(PlanVersion(event=event, number=1, document=document, published_at=utcnow()))
    db.session.commit()
    return event


def withdraw(title: str, event: Event) -> Talk:
    talk = next(talk for talk in event.talks if talk.title == title)
    setup.withdraw_talk(talk)
    db.session.commit()
    return talk


def test_the_plan_shows_the_session_struck_through_with_the_word(client, camp):
    withdraw("Lounge KI", camp)
    page = client.get("/e/camp/schedule").get_data(as_text=True)
    assert page.count('class="cancelled"') == 2  # the grid's cell and the phone list's line
    assert page.count("Cancelled") == 2
    assert "Lounge KI" in page and "Forum Open Data" in page


def test_the_plan_in_german_says_entfaellt(client, camp):
    withdraw("Lounge KI", camp)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    page = client.get("/e/camp/schedule").get_data(as_text=True)
    assert page.count("Entfällt") == 2


def test_nothing_is_marked_cancelled_before_a_withdrawal(client, camp):
    page = client.get("/e/camp/schedule").get_data(as_text=True)
    assert "Cancelled" not in page and 'class="cancelled"' not in page


def test_session_page_keeps_time_and_room_but_not_the_stream(client, camp):
    camp.rooms[1].stream_url = "https://stream.example.org/ecke"
    lounge = withdraw("Lounge KI", camp)
    page = client.get(f"/e/camp/sessions/{lounge.id}").get_data(as_text=True)
    assert "This session was withdrawn and does not take place." in page
    assert "10:00–10:45" in page and "Ecke" in page
    assert "stream.example.org" not in page


def test_board_and_its_document_say_cancelled(client, camp):
    withdraw("Lounge KI", camp)
    page = client.get("/e/camp/board?at=2025-07-01T10:30").get_data(as_text=True)
    assert 'class="session now cancelled"' in page
    assert page.count('<span class="cancelled-tag">Cancelled</span>') == 1
    document = client.get("/e/camp/board.json").get_json()
    cancelled = {item["title"]: item["cancelled"] for item in document["sessions"]}
    assert cancelled == {
        "Forum Open Data": False,
        "Lounge KI": True,
        "Kaffee und Verwaltung": False,
    }


def test_a_withdrawal_changes_the_boards_etag(client, camp):
    """The screens poll with If-None-Match: the change must reach them without a new version."""
    before = client.get("/e/camp/board.json").headers["ETag"]
    withdraw("Lounge KI", camp)
    response = client.get("/e/camp/board.json", headers={"If-None-Match": before})
    assert response.status_code == 200


def test_calendar_marks_it_cancelled_under_the_same_uid(client, camp):
    before = icalendar.Calendar.from_ical(client.get("/e/camp/schedule.ics").data)
    withdraw("Lounge KI", camp)
    after = icalendar.Calendar.from_ical(client.get("/e/camp/schedule.ics").data)
    uid = {str(item["summary"]): str(item["uid"]) for item in before.walk("VEVENT")}["Lounge KI"]
    events = {str(item["uid"]): item for item in after.walk("VEVENT")}
    assert len(events) == 3
    assert str(events[uid]["status"]) == "CANCELLED"
    before_sequence = {str(item["uid"]): int(item["sequence"]) for item in before.walk("VEVENT")}
    assert int(events[uid]["sequence"]) > before_sequence[uid]  # calendars take the change
    assert str(events[uid]["summary"]) == "Cancelled: Lounge KI"
    others = [item for key, item in events.items() if key != uid]
    assert {str(item["status"]) for item in others} == {"CONFIRMED"}


def test_json_flags_it_and_xml_leaves_it_out_and_stays_valid(client, camp):
    withdraw("Lounge KI", camp)
    document = json.loads(client.get("/e/camp/schedule.json").data)
    flags = {item["title"]: item["cancelled"] for item in document["assignments"]}
    assert flags == {"Forum Open Data": False, "Lounge KI": True, "Kaffee und Verwaltung": False}
    root = etree.fromstring(client.get("/e/camp/schedule.xml").data)
    SCHEMA.assertValid(root)
    titles = sorted(title.text for title in root.iterfind("day/room/event/title"))
    assert titles == ["Forum Open Data", "Kaffee und Verwaltung"]


def test_csv_keeps_the_row_with_its_status(client, camp):
    withdraw("Lounge KI", camp)
    text = client.get("/e/camp/schedule.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Title"]: row["Status"] for row in rows} == {
        "Forum Open Data": "",
        "Lounge KI": "Cancelled",
        "Kaffee und Verwaltung": "",
    }


def marked_agenda(client, camp, *titles: str) -> str:
    client.get("/e/camp/vote")  # a ballot needs the device cookie the page gives
    for talk in camp.talks:
        if talk.title in titles:
            assert client.post(f"/e/camp/vote/{talk.id}").status_code == 302
    return client.get("/e/camp/agenda?at=2025-07-01T09:00").get_data(as_text=True)


def test_agenda_shows_it_cancelled_and_its_clash_is_gone(client, camp):
    page = marked_agenda(client, camp, "Forum Open Data", "Lounge KI")
    assert "Clash: choose one." in page
    withdraw("Lounge KI", camp)
    page = client.get("/e/camp/agenda?at=2025-07-01T09:00").get_data(as_text=True)
    lounge = next(talk for talk in camp.talks if talk.title == "Lounge KI")
    assert f'<li id="talk-{lounge.id}" class="agenda-item cancelled">' in page
    assert "This session was withdrawn and does not take place." in page
    assert "Clash: choose one." not in page
    next_line = page.split('class="next-line"')[1].split("</p>")[0]
    assert "Forum Open Data" in next_line and "Lounge KI" not in next_line


def test_a_cancelled_session_cannot_be_chosen(client, camp):
    marked_agenda(client, camp, "Forum Open Data", "Lounge KI")
    lounge = withdraw("Lounge KI", camp)
    response = client.post(f"/e/camp/agenda/choose/{lounge.id}", follow_redirects=True)
    assert "This session is cancelled." in response.get_data(as_text=True)


def test_personal_feed_keeps_it_as_cancelled(client, camp):
    page = marked_agenda(client, camp, "Forum Open Data", "Lounge KI")
    withdraw("Lounge KI", camp)
    feed_url = re.search(r'href="http://localhost(/e/camp/agenda/[^"/]+\.ics)"', page).group(1)
    calendar = icalendar.Calendar.from_ical(client.get(feed_url).data)
    statuses = {str(item["summary"]): str(item["status"]) for item in calendar.walk("VEVENT")}
    assert statuses == {"Forum Open Data": "CONFIRMED", "Cancelled: Lounge KI": "CANCELLED"}
