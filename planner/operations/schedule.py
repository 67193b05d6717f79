"""The published plan, read for people: a grid per day, a list by slot, an enriched plan@1.

Pure reads. A published plan is the `PlanVersion` with `published_at` set and the highest
`number`; its document names sessions, rooms and slots by their `key` (`s12`, `r3`, `t7`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..models import Event, PlanVersion, Room, Slot, Talk

# Fixed for good: every session's GUID derives from it, and apps that follow schedule.xml
# (Fahrplan, Giggity, ConfClerk, the c3voc tooling) recognise a session by its GUID.
GUID_NAMESPACE = uuid.UUID("88f04b94-505c-4bc7-8d14-bbf5546b16f8")


def session_guid(event: Event, talk: Talk) -> uuid.UUID:
    """The session's GUID: the same in every version, so apps move a session in place."""
    return uuid.uuid5(GUID_NAMESPACE, f"{event.slug}/{talk.key}")


@dataclass(frozen=True)
class Entry:
    """A scheduled session: where, from which slot to which, and when."""

    talk: Talk
    room: Room
    first: Slot
    last: Slot
    span: int = 1
    # Listed under "cancelled" in its version: withdrawn after an earlier version was
    # published and kept at its last place, where another session may run now.
    kept_cancelled: bool = False

    @property
    def start(self) -> datetime:
        """Local start time."""
        return self.first.starts_at

    @property
    def end(self) -> datetime:
        """Local end time (of the last slot for a double session)."""
        return self.last.ends_at

    @property
    def cancelled(self) -> bool:
        """Withdrawn after a plan was published: it keeps its place in the published
        versions (which never change), and every reader is told it will not take place."""
        return self.kept_cancelled or self.talk.withdrawn


@dataclass(frozen=True)
class Cell:
    """A grid cell to draw: a room in a slot, with the session starting there (or none) and
    sessions cancelled from this place while another took it (`also`)."""

    room: Room
    entry: Entry | None = None
    also: tuple[Entry, ...] = ()

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


def event_now(event: Event) -> datetime:
    """The current time on the event's wall clocks, naive like the stored slot times."""
    return datetime.now(UTC).astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def running_at(entries: list[Entry], moment: datetime) -> list[Entry]:
    """The sessions under way at `moment` (a session ends at its last slot's end)."""
    return [entry for entry in entries if entry.start <= moment < entry.end]


def starting_next(entries: list[Entry], moment: datetime) -> list[Entry]:
    """The sessions of the next start time after `moment`: the "next" line of a screen."""
    later = [entry for entry in entries if entry.start > moment]
    if not later:
        return []
    first = min(entry.start for entry in later)
    return [entry for entry in later if entry.start == first]


def entry_of(schedule: Schedule, talk: Talk) -> Entry | None:
    """Where and when `talk` runs in the published plan, or None if it is not in it."""
    return next((entry for entry in schedule.entries if entry.talk.id == talk.id), None)


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
    listed = [(item, False) for item in document.get("assignments", [])]
    listed += [(item, True) for item in document.get("cancelled", [])]
    for item, kept_cancelled in listed:
        talk, room = talks.get(item.get("session")), rooms.get(item.get("room"))
        index = position.get(item.get("slot"))
        # A row deleted after publishing drops out rather than breaking the public page.
        if talk is None or room is None or index is None:
            continue
        if talk.withdrawn and talk.off_public_plan:  # the organisers took it off
            continue
        span = _span(slots, index, talk.length)
        last = slots[index + span - 1]
        entries.append(Entry(talk, room, slots[index], last, span, kept_cancelled))
    # At one time and place a session that runs comes before one that was cancelled there.
    entries.sort(
        key=lambda entry: (entry.start, entry.room.position, entry.room.id, entry.cancelled)
    )
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
    owner: dict[tuple[int, int], Entry] = {}
    for entry in entries:
        if not entry.kept_cancelled:
            _claim(owner, event, entry)
    # A session cancelled from a place that is still free is drawn there as it was; one whose
    # place another session took is listed in that session's cell.
    also: dict[int, list[Entry]] = {}
    for entry in entries:
        if entry.kept_cancelled:
            holders = [owner.get((slot.id, entry.room.id)) for slot in _slots_of(event, entry)]
            holder = next((held for held in holders if held is not None), None)
            if holder is None:
                _claim(owner, event, entry)
            else:
                also.setdefault(id(holder), []).append(entry)
    days: dict[date, Day] = {}
    for slot in event.slots:
        day = days.setdefault(slot.starts_at.date(), Day(slot.starts_at.date(), rooms, []))
        row = Row(slot, entries=[entry for entry in entries if entry.first.id == slot.id])
        for room in rooms:
            entry = owner.get((slot.id, room.id))
            if entry is None:
                row.cells.append(Cell(room))
            elif entry.first.id == slot.id:
                row.cells.append(Cell(room, entry, tuple(also.get(id(entry), ()))))
        day.rows.append(row)
    return list(days.values())


def _slots_of(event: Event, entry: Entry) -> list[Slot]:
    """The slots a session takes, from its first to its last."""
    first, last = entry.first.starts_at, entry.last.starts_at
    return [slot for slot in event.slots if first <= slot.starts_at <= last]


def _claim(owner: dict[tuple[int, int], Entry], event: Event, entry: Entry) -> None:
    for slot in _slots_of(event, entry):
        owner[slot.id, entry.room.id] = entry


ROOMS_PER_SHEET = {"a4": 6, "a3": 10}  # readable from two metres, landscape


@dataclass(frozen=True)
class Sheet:
    """One printed page: a day's grid for some of its rooms (`part` of `parts`), so any
    number of rooms prints legibly; every sheet repeats the times."""

    day: Day
    part: int
    parts: int


def print_sheets(schedule: Schedule, paper: str) -> list[Sheet]:
    """The published plan on sheets of `paper` ("a4" or "a3"): each day split into groups of
    rooms as even as possible, so no sheet gets more rooms than fit."""
    most = ROOMS_PER_SHEET.get(paper, ROOMS_PER_SHEET["a4"])
    sheets = []
    for day in schedule.days:
        groups = _even_groups(day.rooms, most)
        for part, rooms in enumerate(groups, start=1):
            sheets.append(Sheet(_day_for(day, rooms), part, len(groups)))
    return sheets


def _even_groups(rooms: list[Room], most: int) -> list[list[Room]]:
    count = max(1, -(-len(rooms) // most))  # ceiling division
    size = -(-len(rooms) // count) if rooms else 0
    return [rooms[start : start + size] for start in range(0, len(rooms), size)] or [[]]


def _day_for(day: Day, rooms: list[Room]) -> Day:
    """The day with only `rooms` as columns (cells of other rooms left out)."""
    wanted = {room.id for room in rooms}
    rows = [
        Row(
            row.slot,
            [cell for cell in row.cells if cell.room.id in wanted],
            [entry for entry in row.entries if entry.room.id in wanted],
        )
        for row in day.rows
    ]
    return Day(day.day, rooms, rows)


def schedule_document(event: Event, session_url: Callable[[Talk], str]) -> dict[str, Any] | None:
    """The published plan@1 with what a reader needs added: titles, hosts, descriptions,
    room names and stream links, local times, each session's page and stable GUID."""
    schedule = published_schedule(event)
    if schedule is None:
        return None
    version = schedule.version
    by_key = {entry.talk.key: entry for entry in schedule.entries}
    document = dict(version.document)
    # Sessions cancelled from an earlier version join the assignments, flagged "cancelled",
    # as a session withdrawn since this version was published does.
    document.pop("cancelled", None)
    listed = [*version.document.get("assignments", []), *version.document.get("cancelled", [])]
    document["assignments"] = [
        _enriched(item, by_key[item["session"]], session_url)
        for item in listed
        if item.get("session") in by_key
    ]
    document.update(
        event={
            "name": event.name,
            "slug": event.slug,
            "timezone": event.timezone,
            "venue": event.venue,
            "starts_on": event.starts_on.isoformat() if event.starts_on else None,
            "ends_on": event.ends_on.isoformat() if event.ends_on else None,
            "language": event.language,
        },
        version=version.number,
        published_at=version.published_at.isoformat(timespec="seconds") + "Z",
        rooms=[_room(room) for room in event.rooms],
        slots=[_slot(slot) for slot in event.slots],
    )
    return document


def _enriched(
    item: dict[str, Any], entry: Entry, session_url: Callable[[Talk], str]
) -> dict[str, Any]:
    talk = entry.talk
    return {
        **item,
        "guid": str(session_guid(talk.event, talk)),
        "title": talk.title,
        "hosts": list(talk.hosts),
        "description": talk.description,
        "format": talk.format,
        "language": talk.language,
        "length": talk.length,
        "slots_taken": entry.span,  # less than length when a day ends first
        "room_name": entry.room.name,
        "start": _local(entry.start),
        "end": _local(entry.end),
        "url": session_url(talk),
        "cancelled": entry.cancelled,
    }


def _room(room: Room) -> dict[str, Any]:
    return {
        "id": room.key,
        "name": room.name,
        "capacity": room.capacity,
        "features": list(room.features),
        "stream_url": room.stream_url or None,
    }


def _slot(slot: Slot) -> dict[str, Any]:
    return {"id": slot.key, "start": _local(slot.starts_at), "end": _local(slot.ends_at)}


def _local(moment: datetime) -> str:
    """A local time as in event@1: ISO 8601 without an offset, to the minute."""
    return moment.isoformat(timespec="minutes")
