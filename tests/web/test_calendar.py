"""/e/<slug>/schedule.ics: valid iCalendar, every session at its local time, stable UIDs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from planner.extensions import db
from planner.models import PlanVersion, utcnow
from planner.operations.transfer import to_problem
from planner.scheduler import dump_plan, solve

BERLIN = ZoneInfo("Europe/Berlin")


def publish(event, number: int, document: dict) -> None:
    db.session.add(
        PlanVersion(event=event, number=number, document=document, published_at=utcnow())
    )
    db.session.commit()


def events_by_uid(client, slug) -> dict:
    response = client.get(f"/e/{slug}/schedule.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["version"] == "2.0" and calendar["prodid"]
    assert calendar.walk("VTIMEZONE"), "local times come with their timezone"
    return {str(item["uid"]): item for item in calendar.walk("VEVENT")}


def test_every_session_at_its_local_time(client, demo_event):
    document = dump_plan(solve(to_problem(demo_event), time_limit=1, workers=1))
    publish(demo_event, 1, document)
    items = events_by_uid(client, demo_event.slug)
    assert len(items) == len(document["assignments"]) == 25
    slots = {slot.key: slot for slot in demo_event.slots}
    talks = {talk.key: talk for talk in demo_event.talks}
    for assignment in document["assignments"]:
        talk = talks[assignment["session"]]
        item = next(item for item in items.values() if str(item["summary"]) == talk.title)
        start = item.decoded("dtstart")
        assert start.tzinfo is not None
        assert start == slots[assignment["slot"]].starts_at.replace(tzinfo=BERLIN)
        assert start.astimezone(BERLIN).hour == slots[assignment["slot"]].starts_at.hour


def test_a_moved_session_keeps_its_uid_and_counts_up(client, demo_event):
    document = dump_plan(solve(to_problem(demo_event), time_limit=1, workers=1))
    publish(demo_event, 1, document)
    before = events_by_uid(client, demo_event.slug)
    moved = dict(document)
    first, second = moved["assignments"][0], moved["assignments"][1]
    moved["assignments"] = [
        {**first, "slot": second["slot"], "room": second["room"]},
        {**second, "slot": first["slot"], "room": first["room"]},
        *moved["assignments"][2:],
    ]
    publish(demo_event, 2, moved)
    after = events_by_uid(client, demo_event.slug)
    assert set(after) == set(before), "the same sessions, the same UIDs: updated in place"
    uid = next(
        uid
        for uid, item in after.items()
        if (str(item["location"]), item.decoded("dtstart"))
        != (str(before[uid]["location"]), before[uid].decoded("dtstart"))
    )
    assert int(after[uid]["sequence"]) > int(before[uid]["sequence"])


def test_nothing_published_is_a_404(client, demo_event):
    assert client.get(f"/e/{demo_event.slug}/schedule.ics").status_code == 404


def test_the_schedule_page_links_the_calendar(client, demo_event):
    publish(demo_event, 1, dump_plan(solve(to_problem(demo_event), time_limit=1, workers=1)))
    page = client.get(f"/e/{demo_event.slug}/schedule").get_data(as_text=True)
    assert f"/e/{demo_event.slug}/schedule.ics" in page


def test_timezone_is_the_events(client, demo_event):
    demo_event.timezone = "America/New_York"
    db.session.commit()
    publish(demo_event, 1, dump_plan(solve(to_problem(demo_event), time_limit=1, workers=1)))
    item = next(iter(events_by_uid(client, demo_event.slug).values()))
    assert str(item.decoded("dtstart").tzinfo) == "America/New_York"
    assert isinstance(item.decoded("dtstart"), datetime)
