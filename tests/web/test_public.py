"""The public pages: an event's home, the published plan as grid, list, print page and JSON."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.extensions import db
from planner.models import Event, PlanVersion, Room, Slot, Talk, utcnow
from planner.operations.schedule import latest_published, published_schedule
from planner.operations.transfer import to_problem
from planner.scheduler import dump_plan, solve


def publish(event: Event, number: int = 1, document: dict | None = None) -> PlanVersion:
    """Solve the event and publish the plan as version `number`."""
    if document is None:
        document = dump_plan(solve(to_problem(event), time_limit=1, workers=1))
    version = PlanVersion(event=event, number=number, document=document, published_at=utcnow())
    db.session.add(version)
    db.session.commit()
    return version


@pytest.fixture
def small_event(app):
    """Two days, two rooms; a double session on day one, a single one on day two."""
    day1 = [
        Slot(starts_at=datetime(2025, 3, 3, h, 0), ends_at=datetime(2025, 3, 3, h, 45))
        for h in (10, 11)
    ]
    day2 = [Slot(starts_at=datetime(2025, 3, 4, 10, 0), ends_at=datetime(2025, 3, 4, 10, 45))]
    event = Event(slug="mini", name="Mini Camp", venue="Rathaus", starts_on=date(2025, 3, 3))
    event.ends_on = date(2025, 3, 4)
    event.slots = day1 + day2
    event.rooms = [
        Room(name="Saal A", capacity=50, position=0),
        Room(name="Saal B", capacity=20, position=1),
    ]
    event.talks = [
        Talk(title="Doppelt gut", hosts=["Ada"], length=2),
        Talk(title="Morgen früh", hosts=["Ben", "Cem"]),
    ]
    db.session.add(event)
    db.session.commit()
    return event


def mini_document(event: Event) -> dict:
    """A plan@1 for `small_event` written by hand."""
    double, single = event.talks
    room_a, room_b = event.rooms
    return {
        "format": "barcamp-planner/plan@1",
        "assignments": [
            {"session": double.key, "room": room_b.key, "slot": event.slots[0].key},
            {"session": single.key, "room": room_a.key, "slot": event.slots[2].key},
        ],
        "unscheduled": [],
        "metrics": {},
        "solver": {},
    }


def test_unknown_slug_is_the_apps_404(client):
    for url in ("/e/nope/", "/e/nope/schedule", "/e/nope/schedule/print"):
        response = client.get(url)
        assert response.status_code == 404 and b"Barcamp Planner" in response.data
    response = client.get("/e/nope/schedule.json")
    assert response.status_code == 404 and response.is_json


def test_index_links_each_event(client, demo_event):
    response = client.get("/")
    assert f"/e/{demo_event.slug}/".encode() in response.data


def test_event_home_with_voting_open_shows_button_and_qr(client, demo_event):
    response = client.get(f"/e/{demo_event.slug}/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert demo_event.name in page and "Kongresszentrum Wiesbaden" in page
    assert f'href="/e/{demo_event.slug}/vote"' in page
    assert "<svg" in page and "QR code of the voting page" in page
    assert f"/e/{demo_event.slug}/propose" not in page  # proposals are closed in the demo
    assert f"/e/{demo_event.slug}/schedule" not in page


def test_event_home_links_what_is_open(client, demo_event):
    demo_event.voting_open = False
    demo_event.proposals_open = True
    db.session.commit()
    page = client.get(f"/e/{demo_event.slug}/").get_data(as_text=True)
    assert f"/e/{demo_event.slug}/propose" in page and "<svg" not in page
    publish(demo_event)
    page = client.get(f"/e/{demo_event.slug}/").get_data(as_text=True)
    assert f"/e/{demo_event.slug}/schedule" in page


def test_event_home_when_nothing_is_open(client, small_event):
    page = client.get("/e/mini/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Nothing is open right now" in page and "Monday, March 3, 2025" in page


def test_event_home_in_german(client, small_event):
    page = client.get("/e/mini/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="de"' in page and "März" in page


def test_schedule_before_publishing_says_not_yet(client, demo_event):
    response = client.get(f"/e/{demo_event.slug}/schedule", headers={"Accept-Language": "en"})
    assert response.status_code == 404  # as every form of the plan: test_unpublished.py
    assert "No plan is published yet." in response.get_data(as_text=True)
    assert client.get(f"/e/{demo_event.slug}/schedule.json").status_code == 404
    print_page = client.get(f"/e/{demo_event.slug}/schedule/print")
    assert print_page.status_code == 404 and b"<table" not in print_page.data


def test_draft_is_not_public(client, demo_event):
    db.session.add(PlanVersion(event=demo_event, number=1, document={"assignments": []}))
    db.session.commit()
    assert latest_published(demo_event) is None
    assert client.get(f"/e/{demo_event.slug}/schedule.json").status_code == 404


def test_latest_published_is_the_highest_number(app, small_event):
    publish(small_event, 1, mini_document(small_event))
    newer = publish(small_event, 2, {**mini_document(small_event), "assignments": []})
    db.session.add(PlanVersion(event=small_event, number=3, document={}))
    db.session.commit()
    assert latest_published(small_event) is newer


def test_schedule_shows_every_session_with_room_time_and_hosts(client, demo_event):
    version = publish(demo_event)
    page = client.get(f"/e/{demo_event.slug}/schedule").get_data(as_text=True)
    talks = {talk.key: talk for talk in demo_event.talks}
    for item in version.document["assignments"]:
        talk = talks[item["session"]]
        assert talk.title in page and talk.hosts[0] in page
    for room in published_schedule(demo_event).rooms:
        assert room.name in page
    assert "13:30" in page
    assert 'class="grid-view"' in page and 'class="list-view"' in page


def test_grid_spans_double_sessions_and_splits_days(app, small_event):
    publish(small_event, 1, mini_document(small_event))
    schedule = published_schedule(small_event)
    assert [day.day for day in schedule.days] == [date(2025, 3, 3), date(2025, 3, 4)]
    first, second = schedule.days[0].rows
    assert [cell.rowspan for cell in first.cells] == [1, 2]
    assert len(second.cells) == 1  # Saal B is covered by the double session
    assert [entry.talk.title for entry in first.entries] == ["Doppelt gut"]
    assert schedule.entries[0].end == datetime(2025, 3, 3, 11, 45)


def test_schedule_page_renders_the_rowspan(client, small_event):
    publish(small_event, 1, mini_document(small_event))
    page = client.get("/e/mini/schedule", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'rowspan="2"' in page and "until 11:45" in page
    assert "Ben, Cem" in page and "Tuesday, March 4, 2025" in page


def test_a_deleted_row_drops_out_of_the_plan(client, small_event):
    document = mini_document(small_event)
    document["assignments"].append({"session": "s999", "room": "r1", "slot": "t1"})
    publish(small_event, 1, document)
    assert client.get("/e/mini/schedule").status_code == 200
    assert len(client.get("/e/mini/schedule.json").json["assignments"]) == 2


def test_print_page_has_print_css_and_every_room(client, demo_event):
    publish(demo_event)
    response = client.get(f"/e/{demo_event.slug}/schedule/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/static/print.css" in page
    for room in published_schedule(demo_event).rooms:
        assert room.name in page
    # A4 by default: nine rooms on two pages (five and four), the times on both.
    assert "print-view wide" not in page and "Set for A4 landscape" in page
    sheets = page.split('<section class="sheet">')[1:]
    assert len(sheets) == 2 and all('class="time">Time</th>' in sheet for sheet in sheets)
    assert [sheet.count('<th scope="col">') for sheet in sheets] == [5, 4]  # and a time column
    assert "page 1 of 2 for this day" in sheets[0]
    wide = client.get(f"/e/{demo_event.slug}/schedule/print?paper=a3").get_data(as_text=True)
    assert "print-view wide" in wide and "Set for A3 landscape" in wide
    assert wide.count('<section class="sheet">') == 1
    css = client.get("/static/print.css")
    text = css.get_data(as_text=True)
    css.close()
    assert "@page" in text and "A4 landscape" in text and "A3 landscape" in text
    assert "break-after: page" in text and "header.site" in text


def test_print_page_with_few_rooms_is_a4(client, small_event):
    publish(small_event, 1, mini_document(small_event))
    page = client.get("/e/mini/schedule/print").get_data(as_text=True)
    assert "print-view wide" not in page and page.count('class="sheet"') == 2


def test_schedule_json_is_enriched_plan(client, demo_event):
    version = publish(demo_event)
    data = client.get(f"/e/{demo_event.slug}/schedule.json").json
    assert data["format"] == "barcamp-planner/plan@1"
    assert data["version"] == 1 and data["published_at"].endswith("Z")
    assert data["event"] == {
        "name": demo_event.name,
        "slug": demo_event.slug,
        "timezone": "Europe/Berlin",
        "venue": "Kongresszentrum Wiesbaden",
        "starts_on": demo_event.starts_on.isoformat(),
        "ends_on": demo_event.ends_on.isoformat() if demo_event.ends_on else None,
        "language": "de",
    }
    assert len(data["assignments"]) == len(version.document["assignments"]) > 0
    rooms = {room.key: room.name for room in demo_event.rooms}
    slots = {slot.key: slot for slot in demo_event.slots}
    titles = {talk.key: talk.title for talk in demo_event.talks}
    for item in data["assignments"]:
        assert item["title"] == titles[item["session"]]
        assert item["room_name"] == rooms[item["room"]]
        assert item["start"] == slots[item["slot"]].starts_at.isoformat(timespec="minutes")
        assert item["hosts"] and item["end"] > item["start"]
        talk_id = item["session"].removeprefix("s")
        assert item["url"] == f"http://localhost/e/{demo_event.slug}/sessions/{talk_id}"
        assert len(item["guid"]) == 36 and item["format"] in ("talk", "discussion", "workshop")
        assert item["slots_taken"] == item["length"] and "description" in item
    assert len({item["guid"] for item in data["assignments"]}) == len(data["assignments"])
    assert len(data["rooms"]) == 9 and len(data["slots"]) == 3
    assert data["unscheduled"] == version.document["unscheduled"]


def test_schedule_page_links_every_download(client, small_event):
    publish(small_event, 1, mini_document(small_event))
    body = client.get("/e/mini/schedule").get_data(as_text=True)
    for url in ("schedule.pdf", "schedule.csv", "schedule.xml", "schedule.json", "schedule.ics"):
        assert f'href="/e/mini/{url}"' in body, url
    assert 'href="/e/mini/agenda"' in body and 'href="/e/mini/board"' in body
