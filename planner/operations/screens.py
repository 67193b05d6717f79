"""The event-day screens: in each room what runs now and what comes next, at a moment.

Pure reads over `schedule.Entry` lists and a moment on the event's wall clock (naive, like the
stored slot times). The screens' script (`static/screens.js`) repeats these rules in the
browser from `screen_document`, so a screen advances by itself between two polls.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..models import Event, Room
from .schedule import Entry, Schedule, published_schedule, running_at, starting_next

# What a screen says above its rooms; screens.js uses the same names.
UNPUBLISHED = "unpublished"  # no plan is published
EMPTY = "empty"  # the plan (or the room) holds no sessions
RUNNING = "running"  # at least one session is under way
BREAK = "break"  # nothing under way, more later today
DAY_OVER = "day-over"  # today's sessions are over, more on a later day
UPCOMING = "upcoming"  # nothing today, sessions on a later day
OVER = "over"  # no session is left


@dataclass(frozen=True)
class RoomNow:
    """A room at a moment: the session under way, the next one that day, and the rest."""

    room: Room
    now: Entry | None = None
    next: Entry | None = None
    later: tuple[Entry, ...] = ()
    # Cancelled sessions whose place another session took at the time of `now` or `next`:
    # said too, so nobody waits for them.
    displaced: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Screen:
    """What a screen shows at `moment`: one of the states above and a line per room."""

    moment: datetime
    status: str
    next_start: datetime | None = None
    rooms: tuple[RoomNow, ...] = ()

    @property
    def columns(self) -> int:
        """Columns of the board's grid of rooms: nine rooms make three rows of three."""
        return max(1, math.ceil(math.sqrt(len(self.rooms))))


@dataclass(frozen=True)
class Display:
    """A screen page: the state at its moment and the document its script continues from."""

    screen: Screen
    document: dict[str, Any]
    etag: str


def local_moment(text: str, timezone: str) -> datetime:
    """Read `?at=` (ISO 8601, like 2025-03-03T14:00) as a time on the event's wall clock.

    Raises:
        ValueError: `text` is no ISO 8601 date and time.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:  # an explicit offset: the same instant on the event's clock
        moment = moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    return moment


def status_at(entries: list[Entry], moment: datetime) -> tuple[str, datetime | None]:
    """The state of `entries` at `moment` and the next start time after it (if any)."""
    if not entries:
        return EMPTY, None
    upcoming = starting_next(entries, moment)
    start = upcoming[0].start if upcoming else None
    if running_at(entries, moment):
        return RUNNING, start
    if start is None:
        return OVER, None
    if start.date() == moment.date():
        return BREAK, start
    today = any(entry.start.date() == moment.date() for entry in entries)
    return (DAY_OVER if today else UPCOMING), start


def shown_day(entries: list[Entry], moment: datetime) -> date | None:
    """The day a screen is about: today while sessions run or follow, else the next day with
    sessions; None when no session is left."""
    if running_at(entries, moment):
        return moment.date()
    upcoming = starting_next(entries, moment)
    return upcoming[0].start.date() if upcoming else None


def room_now(entries: list[Entry], room: Room, moment: datetime, day: date | None) -> RoomNow:
    """The room at `moment`: its session under way, then the sessions still to come on `day`."""
    own = [entry for entry in entries if entry.room.id == room.id]
    running = running_at(own, moment)
    coming = sorted(
        (entry for entry in own if entry.start > moment and entry.start.date() == day),
        key=lambda entry: entry.start,
    )
    now, upcoming = (running[0] if running else None), (coming[0] if coming else None)
    shown = [entry for entry in (now, upcoming) if entry is not None]
    displaced = tuple(
        entry
        for entry in own
        if entry.cancelled
        and entry not in shown
        and any(entry.start == other.start and not other.cancelled for other in shown)
    )
    later = tuple(entry for entry in coming[1:] if entry not in displaced)
    return RoomNow(room=room, now=now, next=upcoming, later=later, displaced=displaced)


def board_screen(entries: list[Entry], rooms: list[Room], moment: datetime) -> Screen:
    """The foyer board at `moment`: every room that holds a session on the day shown."""
    status, start = status_at(entries, moment)
    day = shown_day(entries, moment)
    used = {entry.room.id for entry in entries if entry.start.date() == day}
    lines = tuple(room_now(entries, room, moment, day) for room in rooms if room.id in used)
    return Screen(moment, status, start, lines)


def door_screen(entries: list[Entry], room: Room, moment: datetime) -> Screen:
    """A room's door sign at `moment`: only the room's own sessions count."""
    own = [entry for entry in entries if entry.room.id == room.id]
    status, start = status_at(own, moment)
    day = shown_day(own, moment)
    lines = (room_now(own, room, moment, day),) if day is not None else ()
    return Screen(moment, status, start, lines)


def screen_document(event: Event, schedule: Schedule | None) -> dict[str, Any]:
    """The JSON the screens' script works from: the event, its rooms, the published sessions."""
    return {
        "event": {"name": event.name, "timezone": event.timezone},
        "version": schedule.version.number if schedule else None,
        "rooms": [{"id": room.id, "name": room.name} for room in event.rooms],
        "sessions": [_session(entry) for entry in schedule.entries] if schedule else [],
    }


def document_etag(document: dict[str, Any]) -> str:
    """A fingerprint of a screen document: a screen swaps its content only when it changes."""
    body = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def board_display(event: Event, moment: datetime) -> Display:
    """The foyer board of `event` at `moment`, with the document for its script."""
    schedule = published_schedule(event)
    if schedule is None:
        screen = Screen(moment, UNPUBLISHED)
    else:
        screen = board_screen(schedule.entries, list(event.rooms), moment)
    return _display(event, schedule, screen)


def door_display(event: Event, room: Room, moment: datetime) -> Display:
    """The door sign of `room` at `moment`, with the document for its script."""
    schedule = published_schedule(event)
    if schedule is None:
        screen = Screen(moment, UNPUBLISHED)
    else:
        screen = door_screen(schedule.entries, room, moment)
    return _display(event, schedule, screen)


def _display(event: Event, schedule: Schedule | None, screen: Screen) -> Display:
    document = screen_document(event, schedule)
    return Display(screen, document, document_etag(document))


def _session(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.talk.id,
        "title": entry.talk.title,
        "hosts": list(entry.talk.hosts),
        "language": entry.talk.language,
        "room": entry.room.id,
        "start": entry.start.isoformat(timespec="minutes"),
        "end": entry.end.isoformat(timespec="minutes"),
        "cancelled": entry.cancelled,
    }
