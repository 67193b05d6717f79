"""Events between the database and the scheduler: to a Problem, from and to event@1 files.

An import parses and checks the whole document first (formats.parse_event) and writes only
when it is valid, so it applies fully or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Ballot, Event, Room, Slot, Talk
from ..scheduler import (
    EventInfo,
    FormatError,
    Pin,
    Problem,
    dump_event,
    parse_event,
)
from ..scheduler import Room as ProblemRoom
from ..scheduler import Session as ProblemSession
from ..scheduler import Slot as ProblemSlot
from ..scheduler import Vote as ProblemVote

LONGEST_SESSION = 4  # slots: the talk table's CHECK (length BETWEEN 1 AND 4)


def to_problem(event: Event) -> Problem:
    """The event as the scheduler sees it: active sessions, ballots with marks."""
    return Problem(
        event=EventInfo(event.name, event.timezone),
        rooms=tuple(
            ProblemRoom(
                room.key,
                room.name,
                room.capacity,
                frozenset(room.features),
                frozenset(slot.key for slot in room.unavailable),
            )
            for room in event.rooms
        ),
        slots=tuple(ProblemSlot(slot.key, slot.starts_at, slot.ends_at) for slot in event.slots),
        sessions=tuple(_to_session(talk) for talk in event.active_talks),
        votes=tuple(_to_votes(event)),
    )


def _to_session(talk: Talk) -> ProblemSession:
    pinned = None
    if talk.pinned_room is not None and talk.pinned_slot is not None:
        pinned = Pin(talk.pinned_room.key, talk.pinned_slot.key)
    return ProblemSession(
        id=talk.key,
        title=talk.title,
        description=talk.description,
        hosts=tuple(talk.hosts),
        needs=frozenset(talk.needs),
        length=talk.length,
        unavailable=frozenset(slot.key for slot in talk.unavailable),
        pinned=pinned,
        extra_interest=talk.extra_interest,
    )


def _to_votes(event: Event):
    for ballot in event.ballots:
        marks = tuple(talk.key for talk in ballot.marks if not talk.withdrawn)
        if marks:
            yield ProblemVote(ballot.key, marks, ballot.online)


def export_event(event: Event) -> dict[str, Any]:
    """The event as an event@1 document."""
    return dump_event(to_problem(event))


def import_event(document: Any, *, language: str = "de") -> Event:
    """Create a new event from an event@1 document; raise FormatError before writing anything
    if the document is not valid."""
    problem = parse_event(document, longest=LONGEST_SESSION)
    return create_event_from_problem(problem, language=language)


def create_event_from_problem(problem: Problem, *, language: str = "de") -> Event:
    """Create an event with the problem's rooms, slots, sessions and votes as ballots."""
    event = Event(
        slug=unique_slug(problem.event.name or "barcamp"),
        name=problem.event.name or "Barcamp",
        timezone=problem.event.timezone,
        language=language,
    )
    if problem.slots:
        event.starts_on = problem.slots[0].start.date()
        event.ends_on = problem.slots[-1].start.date()
    slots = {slot.id: Slot(starts_at=slot.start, ends_at=slot.end) for slot in problem.slots}
    rooms = {
        room.id: _new_room(room, position, slots) for position, room in enumerate(problem.rooms)
    }
    talks = {session_.id: _new_talk(session_, rooms, slots) for session_ in problem.sessions}
    event.slots = list(slots.values())
    event.rooms = list(rooms.values())
    event.talks = list(talks.values())
    event.ballots = [
        Ballot(online=vote.online, marks=[talks[mark] for mark in vote.sessions])
        for vote in problem.votes
    ]
    db.session.add(event)
    db.session.flush()
    return event


def _new_room(room: ProblemRoom, position: int, slots: dict[str, Slot]) -> Room:
    return Room(
        name=room.name,
        capacity=room.capacity,
        features=sorted(room.features),
        position=position,
        unavailable=[slots[slot_id] for slot_id in sorted(room.unavailable)],
    )


def _new_talk(session_: ProblemSession, rooms: dict[str, Room], slots: dict[str, Slot]) -> Talk:
    pin = session_.pinned
    return Talk(
        title=session_.title or session_.id,
        description=session_.description,
        hosts=list(session_.hosts),
        needs=sorted(session_.needs),
        length=session_.length,
        extra_interest=session_.extra_interest,
        unavailable=[slots[slot_id] for slot_id in sorted(session_.unavailable)],
        pinned_room=rooms[pin.room] if pin else None,
        pinned_slot=slots[pin.slot] if pin else None,
    )


def unique_slug(name: str) -> str:
    """A URL-safe slug from the name, numbered if it is taken."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50] or "barcamp"
    taken = set(db.session.scalars(sa.select(Event.slug).where(Event.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


__all__ = [
    "FormatError",
    "create_event_from_problem",
    "export_event",
    "import_event",
    "to_problem",
    "unique_slug",
]
