"""The published plan as an iCalendar feed (RFC 5545), for people's calendar apps.

Every session keeps one UID for the life of the event, and SEQUENCE grows with the published
version (and once more when a session is cancelled), so a calendar that subscribed moves or
cancels a session in place when it changes, instead of showing it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from flask_babel import gettext as _

from ..models import Event, Talk
from .rounds import Stop
from .schedule import Entry, Schedule
from .text import ics_clean

PRODUCT = "-//Barcamp Planner//Barcamp Planner//DE"


def schedule_calendar(
    event: Event,
    schedule: Schedule | None,
    *,
    host: str,
    session_url: Callable[[Talk], str],
    entries: Iterable[Entry] | None = None,
    name: str | None = None,
    extra: Iterable[icalendar.Event] = (),
) -> bytes:
    """The published plan as one calendar, or only `entries` of it (a personal agenda),
    with `extra` items such as the person's table rounds.

    Times are local to the event's timezone; each session links to its page.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or event.name)
    zone = ZoneInfo(event.timezone)
    if schedule is not None:
        for entry in schedule.entries if entries is None else entries:
            item = _session_event(event, schedule, entry, zone, host)
            item.add("url", session_url(entry.talk))
            calendar.add_component(item)
    for item in extra:
        calendar.add_component(item)
    calendar.add_missing_timezones()  # VTIMEZONE blocks, so every app reads local times right
    return ics_clean(calendar.to_ical())


def _session_event(
    event: Event, schedule: Schedule, entry: Entry, zone: ZoneInfo, host: str
) -> icalendar.Event:
    talk = entry.talk
    item = icalendar.Event()
    # The same UID in the event's feed and in every personal feed: one session, one UID.
    item.add("uid", f"{event.slug}-{talk.key}@{host}")
    # SEQUENCE must grow with every change a calendar should take over. A cancellation is
    # one, without a new version: two steps per version leave room for it.
    item.add("sequence", 2 * schedule.version.number + (1 if entry.cancelled else 0))
    item.add("dtstamp", schedule.version.published_at.replace(tzinfo=ZoneInfo("UTC")))
    item.add("dtstart", entry.start.replace(tzinfo=zone))
    item.add("dtend", entry.end.replace(tzinfo=zone))
    # STATUS is the standard's word for it; the title says it too, because several calendar
    # apps show a cancelled event from a subscription like any other.
    item.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    title = _("Cancelled: %(title)s", title=talk.title) if entry.cancelled else talk.title
    item.add("summary", title)
    item.add("location", ", ".join(part for part in (entry.room.name, event.venue) if part))
    details = [", ".join(talk.hosts), talk.description]
    item.add("description", "\n\n".join(part for part in details if part))
    return item


def route_events(
    event: Event, stops: Iterable[Stop], *, person: str, sequence: int, stamp: datetime, host: str
) -> list[icalendar.Event]:
    """A person's table rounds as calendar items: "Runde 1 · Tisch 3 · KI und Trends".

    Args:
        person: the person's id in the rounds, so each round keeps one UID per person and a
            new seating moves the item instead of adding one.
        sequence: grows with every change of the seating (the rounds' revision).
        stamp: when the seating was published (UTC).
    """
    zone = ZoneInfo(event.timezone)
    items = []
    for stop in stops:
        item = icalendar.Event()
        item.add("uid", f"{event.slug}-round{stop.number}-{person}@{host}")
        item.add("sequence", sequence)
        item.add("dtstamp", stamp.replace(tzinfo=ZoneInfo("UTC")))
        item.add("dtstart", stop.start.replace(tzinfo=zone))
        item.add("dtend", stop.end.replace(tzinfo=zone))
        item.add("status", "CONFIRMED")
        item.add("summary", stop_title(stop))
        item.add("location", ", ".join(part for part in (stop.table, event.venue) if part))
        details = [_("with %(host)s", host=stop.host) if stop.host else "", stop.video]
        item.add("description", "\n\n".join(part for part in details if part))
        if stop.video:
            item.add("url", stop.video)
        items.append(item)
    return items


def stop_title(stop: Stop) -> str:
    """One round of a route in one line: "Runde 1 · Tisch 3 · KI und Trends"."""
    return _(
        "Round %(number)d · %(table)s · %(topic)s",
        number=stop.number,
        table=stop.table,
        topic=stop.topic,
    )
