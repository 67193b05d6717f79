"""The published plan, read for people: a grid per day, a list by slot, an enriched plan@1.

Pure reads. A published plan is the `PlanVersion` with `published_at` set and the highest
`number`; its document names sessions, rooms and slots by their `key` (`s12`, `r3`, `t7`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Event, PlanVersion, Room, Slot, Talk


@dataclass(frozen=True)
class Entry:
    """A scheduled session: where, from which slot to which, and when."""

    talk: Talk
    room: Room
    first: Slot
    last: Slot
    span: int = 1

    @property
    def start(self) -> datetime:
        """Local start time."""
        return self.first.starts_at

    @property
    def end(self) -> datetime:
        """Local end time (of the last slot for a double session)."""
        return self.last.ends_at


@dataclass(frozen=True)
class Cell:
    """A grid cell to draw: a room in a slot, with the session starting there (or none)."""

    room: Room
    entry: Entry | None = None

    @property
    def rowspan(self) -> int:
        """Rows this cell covers."""
        return self.entry.span if self.entry else 1


@dataclass
class Row:
    """One slot of a day: the cells to draw and the sessions starting in it, by room."""

    slot: Slot
    cells: list[Cell] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Day:
    """One day of the plan: its rooms as columns and its slots as rows."""

    day: date
    rooms: list[Room]
    rows: list[Row]


@dataclass
class Schedule:
    """The published plan of an event, ready for the templates."""

    version: PlanVersion
    days: list[Day]
    entries: list[Entry]

    @property
    def rooms(self) -> list[Room]:
        """Rooms that hold at least one session, in the event's order."""
        used = {entry.room.id for entry in self.entries}
        return [room for room in self.version.event.rooms if room.id in used]


def latest_published(event: Event) -> PlanVersion | None:
    """The event's current public plan: the published version with the highest number."""
    return db.session.scalar(
        sa.select(PlanVersion)
        .where(PlanVersion.event_id == event.id, PlanVersion.published_at.is_not(None))
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def published_schedule(event: Event) -> Schedule | None:
    """The published plan as days of rows and cells, or None if nothing is published."""
    version = latest_published(event)
    if version is None:
        return None
    entries = _entries(event, version.document)
    schedule = Schedule(version=version, days=[], entries=entries)
    schedule.days = _days(event, schedule.rooms, entries)
    return schedule


def _entries(event: Event, document: dict[str, Any]) -> list[Entry]:
    talks = {talk.key: talk for talk in event.talks}
    rooms = {room.key: room for room in event.rooms}
    slots = list(event.slots)
    position = {slot.key: index for index, slot in enumerate(slots)}
    entries = []
    for item in document.get("assignments", []):
        talk, room = talks.get(item.get("session")), rooms.get(item.get("room"))
        index = position.get(item.get("slot"))
        # A row deleted after publishing drops out rather than breaking the public page.
        if talk is None or room is None or index is None:
            continue
        span = _span(slots, index, talk.length)
        entries.append(Entry(talk, room, slots[index], slots[index + span - 1], span))
    entries.sort(key=lambda entry: (entry.start, entry.room.position, entry.room.id))
    return entries


def _span(slots: list[Slot], index: int, length: int) -> int:
    """Slots a session takes from `index`: never past the day's last slot."""
    span = 1
    while span < length and index + span < len(slots):
        if slots[index + span].starts_at.date() != slots[index].starts_at.date():
            break
        span += 1
    return span


def _days(event: Event, rooms: list[Room], entries: list[Entry]) -> list[Day]:
    starting = {(entry.first.id, entry.room.id): entry for entry in entries}
    covered = {
        (slot.id, entry.room.id)
        for entry in entries
        for slot in event.slots
        if entry.first.starts_at < slot.starts_at <= entry.last.starts_at
    }
    days: dict[date, Day] = {}
    for slot in event.slots:
        day = days.setdefault(slot.starts_at.date(), Day(slot.starts_at.date(), rooms, []))
        row = Row(slot)
        for room in rooms:
            entry = starting.get((slot.id, room.id))
            if entry is not None:
                row.entries.append(entry)
            if (slot.id, room.id) not in covered:
                row.cells.append(Cell(room, entry))
        day.rows.append(row)
    return list(days.values())


def schedule_document(event: Event) -> dict[str, Any] | None:
    """The published plan@1 with titles, hosts, room names and local times added."""
    schedule = published_schedule(event)
    if schedule is None:
        return None
    version = schedule.version
    by_key = {entry.talk.key: entry for entry in schedule.entries}
    document = dict(version.document)
    document["assignments"] = [
        _enriched(item, by_key[item["session"]])
        for item in version.document.get("assignments", [])
        if item.get("session") in by_key
    ]
    document.update(
        event={
            "name": event.name,
            "slug": event.slug,
            "timezone": event.timezone,
            "venue": event.venue,
        },
        version=version.number,
        published_at=version.published_at.isoformat(timespec="seconds") + "Z",
        rooms=[_room(room) for room in event.rooms],
        slots=[_slot(slot) for slot in event.slots],
    )
    return document


def _enriched(item: dict[str, Any], entry: Entry) -> dict[str, Any]:
    return {
        **item,
        "title": entry.talk.title,
        "hosts": list(entry.talk.hosts),
        "length": entry.talk.length,
        "room_name": entry.room.name,
        "start": _local(entry.start),
        "end": _local(entry.end),
    }


def _room(room: Room) -> dict[str, Any]:
    return {
        "id": room.key,
        "name": room.name,
        "capacity": room.capacity,
        "features": list(room.features),
    }


def _slot(slot: Slot) -> dict[str, Any]:
    return {"id": slot.key, "start": _local(slot.starts_at), "end": _local(slot.ends_at)}


def _local(moment: datetime) -> str:
    """A local time as in event@1: ISO 8601 without an offset, to the minute."""
    return moment.isoformat(timespec="minutes")
