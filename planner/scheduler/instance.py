"""The problem compiled for fast solving: integer indices, allowed places, voter groups.

Voters with the same marks and the same online flag are interchangeable for every metric, so
they are merged into one weighted group; on realistic events this shrinks the voter count a
lot on small events and a little on large ones.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .problem import Problem
from .rules import hosts_by_session, place_problems

Place = tuple[int, int]  # (room index, first slot index)


@dataclass(frozen=True)
class VoterGroup:
    """Voters with identical marks: session indices, whether they are online, how many."""

    marks: tuple[int, ...]
    online: bool
    weight: int


@dataclass(frozen=True)
class Instance:
    """Integer view of a Problem. Counts of people are scaled by `scale` to stay exact."""

    problem: Problem
    places: tuple[tuple[Place, ...], ...]  # allowed places per session
    lengths: tuple[int, ...]
    extra: tuple[int, ...]
    capacity: tuple[int, ...]
    streams: tuple[bool, ...]
    slot_start: tuple[int, ...]  # minutes since the first slot's day began
    slot_end: tuple[int, ...]
    host_mates: tuple[tuple[int, ...], ...]  # sessions sharing a host, per session
    host_sessions: tuple[tuple[int, ...], ...]  # per host with two or more sessions
    groups: tuple[VoterGroup, ...]
    groups_of: tuple[tuple[int, ...], ...]  # groups marking each session
    scale: int

    @property
    def n_sessions(self) -> int:
        """Number of sessions."""
        return len(self.lengths)

    @property
    def n_rooms(self) -> int:
        """Number of rooms."""
        return len(self.capacity)

    @property
    def n_slots(self) -> int:
        """Number of slots."""
        return len(self.slot_start)

    def span(self, session: int, start: int) -> tuple[int, int]:
        """Minutes from the first slot's start to the last slot's end for a session there."""
        return self.slot_start[start], self.slot_end[start + self.lengths[session] - 1]

    @cached_property
    def slot_overlaps(self) -> tuple[tuple[int, ...], ...]:
        """For each slot, every slot sharing a moment with it (itself included)."""
        return tuple(
            tuple(
                other
                for other in range(self.n_slots)
                if self.slot_start[other] < self.slot_end[slot]
                and self.slot_start[slot] < self.slot_end[other]
            )
            for slot in range(self.n_slots)
        )

    @cached_property
    def slots_disjoint(self) -> bool:
        """Tell whether no two slots share a moment (the usual grid)."""
        return all(len(overlapping) == 1 for overlapping in self.slot_overlaps)

    @cached_property
    def stream_places(self) -> tuple[frozenset[Place], ...]:
        """Allowed places in stream rooms, per session."""
        return tuple(
            frozenset(place for place in places if self.streams[place[0]]) for places in self.places
        )


def compile_problem(problem: Problem) -> Instance:
    """Build the integer view of a problem."""
    session_index = {session_.id: index for index, session_ in enumerate(problem.sessions)}
    origin = problem.slots[0].start.replace(hour=0, minute=0, second=0) if problem.slots else None
    groups = _voter_groups(problem, session_index)
    return Instance(
        problem=problem,
        places=tuple(_allowed_places(problem, session_) for session_ in problem.sessions),
        lengths=tuple(session_.length for session_ in problem.sessions),
        extra=tuple(session_.extra_interest for session_ in problem.sessions),
        capacity=tuple(room.capacity for room in problem.rooms),
        streams=tuple(room.streams for room in problem.rooms),
        slot_start=tuple(_minutes(slot.start - origin) for slot in problem.slots),
        slot_end=tuple(_minutes(slot.end - origin) for slot in problem.slots),
        host_mates=_host_mates(problem, session_index),
        host_sessions=tuple(
            tuple(session_index[session_id] for session_id in session_ids)
            for session_ids in hosts_by_session(problem.sessions).values()
            if len(session_ids) > 1
        ),
        groups=groups,
        groups_of=_groups_of(len(problem.sessions), groups),
        scale=_scale(problem, groups),
    )


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60)


def _allowed_places(problem: Problem, session_) -> tuple[Place, ...]:
    return tuple(
        (room_position, slot_position)
        for slot_position, slot in enumerate(problem.slots)
        for room_position, room in enumerate(problem.rooms)
        if not place_problems(problem, session_, room, slot.id)
    )


def _host_mates(problem: Problem, session_index: dict[str, int]) -> tuple[tuple[int, ...], ...]:
    mates: list[set[int]] = [set() for _ in problem.sessions]
    for session_ids in hosts_by_session(problem.sessions).values():
        indices = [session_index[session_id] for session_id in session_ids]
        for index in indices:
            mates[index].update(other for other in indices if other != index)
    return tuple(tuple(sorted(found)) for found in mates)


def _voter_groups(problem: Problem, session_index: dict[str, int]) -> tuple[VoterGroup, ...]:
    counts = Counter(
        (tuple(sorted(session_index[mark] for mark in vote.sessions)), vote.online)
        for vote in problem.votes
        if vote.sessions
    )
    return tuple(VoterGroup(marks, online, weight) for (marks, online), weight in counts.items())


def _groups_of(n_sessions: int, groups: tuple[VoterGroup, ...]) -> tuple[tuple[int, ...], ...]:
    found: list[list[int]] = [[] for _ in range(n_sessions)]
    for group_index, group in enumerate(groups):
        for mark in group.marks:
            found[mark].append(group_index)
    return tuple(tuple(group_indices) for group_indices in found)


def _scale(problem: Problem, groups: tuple[VoterGroup, ...]) -> int:
    """A multiple of every share 1/k that can occur, so overflow sums stay whole numbers.

    A voter splits over at most as many sessions as they marked and as there are rooms.
    """
    most = max((len(group.marks) for group in groups if not group.online), default=1)
    return math.lcm(*range(1, max(1, min(most, len(problem.rooms))) + 1))
