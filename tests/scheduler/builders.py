"""Build small problems, plans and event@1 documents tersely for the scheduler tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from planner.scheduler.problem import (
    Assignment,
    EventInfo,
    Pin,
    Plan,
    Problem,
    Room,
    Session,
    Slot,
    Vote,
)

FIRST_DAY = datetime(2024, 11, 18)


def slots(*ids: str, day: int = 0, first_hour: int = 10) -> tuple[Slot, ...]:
    """Return one 45-minute slot per id, an hour apart from `first_hour`, on day `day`."""
    result = []
    for offset, slot_id in enumerate(ids):
        start = FIRST_DAY + timedelta(days=day, hours=first_hour + offset)
        result.append(Slot(slot_id, start, start + timedelta(minutes=45)))
    return tuple(result)


def room(
    room_id: str, capacity: int = 20, *, features: tuple[str, ...] = (), unavailable=()
) -> Room:
    """Return a room named "Room <id>"."""
    return Room(room_id, f"Room {room_id}", capacity, frozenset(features), frozenset(unavailable))


def title(session_id: str) -> str:
    """Return the title `talk` gives a session."""
    return f"Talk {session_id}"


def talk(
    session_id: str,
    *,
    hosts: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    length: int = 1,
    unavailable: tuple[str, ...] = (),
    pinned: tuple[str, str] | None = None,
    extra_interest: int = 0,
) -> Session:
    """Return a session titled "Talk <id>"; `pinned` is a (room, slot) pair."""
    return Session(
        id=session_id,
        title=title(session_id),
        hosts=hosts,
        needs=frozenset(needs),
        length=length,
        unavailable=frozenset(unavailable),
        pinned=Pin(*pinned) if pinned else None,
        extra_interest=extra_interest,
    )


def vote(voter: str, *session_ids: str, online: bool = False) -> Vote:
    """Return one voter's marks."""
    return Vote(voter, session_ids, online)


def problem(rooms, slot_list, sessions, votes=()) -> Problem:
    """Return a Problem of the given parts in a made-up event."""
    return Problem(
        EventInfo("Testcamp", "Europe/Berlin"),
        tuple(rooms),
        tuple(slot_list),
        tuple(sessions),
        tuple(votes),
    )


def plan(problem_: Problem, **placed: tuple[str, str]) -> Plan:
    """Return a Plan placing each keyword session at (room, slot); the rest are unscheduled."""
    assignments = tuple(Assignment(session_id, *where) for session_id, where in placed.items())
    unscheduled = tuple(session_.id for session_ in problem_.sessions if session_.id not in placed)
    return Plan(assignments, unscheduled)


def event_document() -> dict[str, Any]:
    """Return a fresh, valid event@1 document with 2 rooms, 3 slots, 4 sessions, 2 votes.

    Nothing refers to r2, t2, t3, s3 or s4, so breaking one of them breaks nothing else.
    """
    return {
        "format": "barcamp-planner/event@1",
        "event": {"name": "Barcamp Marburg", "timezone": "Europe/Berlin"},
        "rooms": [
            {"id": "r1", "name": "Großer Saal", "capacity": 30, "features": ["stream"]},
            {"id": "r2", "name": "Küche", "capacity": 10},
        ],
        "slots": [
            {"id": "t1", "start": "2024-11-18T10:00", "end": "2024-11-18T10:45"},
            {"id": "t2", "start": "2024-11-18T11:00", "end": "2024-11-18T11:45"},
            {"id": "t3", "start": "2024-11-19T10:00", "end": "2024-11-19T10:45"},
        ],
        "sessions": [
            {"id": "s1", "title": "Open Data im Landkreis"},
            {"id": "s2", "title": "Barrierefreiheit"},
            {"id": "s3", "title": "Mastodon für Vereine"},
            {"id": "s4", "title": "Löten für Anfänger"},
        ],
        "votes": [
            {"voter": "v1", "sessions": ["s1", "s2"]},
            {"voter": "v2", "sessions": ["s1"], "online": True},
        ],
    }
