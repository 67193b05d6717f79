"""The scheduling problem and its solution as plain, frozen data.

These classes mirror the `event@1` and `plan@1` formats (see docs/formats.md); they know nothing of
JSON, the solver or the web app. Derived look-ups are cached properties, computed once per
(immutable) instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

STREAM = "stream"  # the room feature that lets online voters follow a session


@dataclass(frozen=True)
class EventInfo:
    """Name and timezone of the event; slot times are local to this timezone."""

    name: str
    timezone: str


@dataclass(frozen=True)
class Room:
    """A room with its seats, features and the slots in which it cannot be used."""

    id: str
    name: str
    capacity: int
    features: frozenset[str] = frozenset()
    unavailable: frozenset[str] = frozenset()

    @property
    def streams(self) -> bool:
        """Tell whether online voters can follow sessions held here."""
        return STREAM in self.features


@dataclass(frozen=True)
class Slot:
    """A time slot; `start` and `end` are naive local times in the event's timezone."""

    id: str
    start: datetime
    end: datetime

    def overlaps(self, other: Slot) -> bool:
        """Tell whether the two slots share any moment."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Pin:
    """Where a pinned session must be held: its room and its first slot."""

    room: str
    slot: str


@dataclass(frozen=True)
class Session:
    """A pitched session."""

    id: str
    title: str
    description: str = ""
    hosts: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()
    length: int = 1
    unavailable: frozenset[str] = frozenset()
    pinned: Pin | None = None
    extra_interest: int = 0


@dataclass(frozen=True)
class Vote:
    """One voter's marks; an online voter can only follow sessions in stream rooms."""

    voter: str
    sessions: tuple[str, ...]
    online: bool = False


@dataclass(frozen=True)
class Problem:
    """A whole `event@1` document: the event, its rooms, slots, sessions and votes."""

    event: EventInfo
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    sessions: tuple[Session, ...]
    votes: tuple[Vote, ...] = ()

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        """Map room ids to rooms."""
        return {room.id: room for room in self.rooms}

    @cached_property
    def session_by_id(self) -> dict[str, Session]:
        """Map session ids to sessions."""
        return {session_.id: session_ for session_ in self.sessions}

    @cached_property
    def slot_index(self) -> dict[str, int]:
        """Map slot ids to their position in the chronological list."""
        return {slot.id: index for index, slot in enumerate(self.slots)}

    def consecutive(self, index: int) -> bool:
        """Tell whether slot `index` and the next one are consecutive (neighbours, same date)."""
        if index + 1 >= len(self.slots):
            return False
        return self.slots[index].start.date() == self.slots[index + 1].start.date()

    def occupied_slots(self, session_: Session, first_slot: str) -> tuple[int, ...] | None:
        """Return the slot indices a session starting at `first_slot` takes, or None if it
        does not fit into consecutive slots there."""
        start = self.slot_index.get(first_slot)
        if start is None:
            return None
        indices = tuple(range(start, start + session_.length))
        if indices[-1] >= len(self.slots):
            return None
        if not all(self.consecutive(index) for index in indices[:-1]):
            return None
        return indices

    def interval(self, indices: tuple[int, ...]) -> tuple[datetime, datetime]:
        """Return the time span from the first occupied slot's start to the last one's end."""
        return self.slots[indices[0]].start, self.slots[indices[-1]].end


@dataclass(frozen=True)
class Assignment:
    """A session held in a room, starting in a slot."""

    session: str
    room: str
    slot: str


@dataclass(frozen=True)
class Plan:
    """A `plan@1` document: where each session goes, what could not be placed, and figures.

    `metrics` and `solver` are open dictionaries because the format allows more keys there;
    `moved` lists the sessions that changed place against a kept plan, `warnings` says why
    sessions stayed unscheduled.
    """

    assignments: tuple[Assignment, ...]
    unscheduled: tuple[str, ...] = ()
    metrics: dict[str, Any] = field(default_factory=dict, compare=False)
    solver: dict[str, Any] = field(default_factory=dict, compare=False)
    moved: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @cached_property
    def assignment_by_session(self) -> dict[str, Assignment]:
        """Map session ids to their assignment (the first one, should there be duplicates)."""
        by_session: dict[str, Assignment] = {}
        for assignment in self.assignments:
            by_session.setdefault(assignment.session, assignment)
        return by_session
