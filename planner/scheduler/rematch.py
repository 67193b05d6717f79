"""Re-matching sessions to rooms within one slot, after a step moved sessions between slots.

Who can attend what depends only on times (and, for online voters, on stream rooms), so
within a slot the rooms decide nothing but overflow: max(0, interest - seats) per session.
That cost is a convex function of interest minus capacity, so giving the most wanted session
the largest room, the next the next, and so on is the best matching when every room suits
every session. Features and closures can forbid a pair; then each session, most wanted first,
takes the largest allowed room left, which is not always the best; a re-matching that would
not lower the overflow is not offered.

Without this a step that moves a popular session into a slot must also find it a large room
in the same step, or be refused for the crowd it leaves standing; the search then needs many
more steps to exchange the sessions of two slots.
"""

from __future__ import annotations

from .instance import Place
from .state import UNPLACED, State


def rematch_slot(state: State, slot: int) -> list[tuple[int, Place]]:
    """Moves that give the one-slot sessions starting in `slot` better rooms (may be empty).

    Only unpinned sessions of one slot move, each to a room of the same kind (streamed or
    not, so online voters see the same sessions), free then or held by another that moves.
    """
    movable, rooms = _movable_and_rooms(state, slot)
    standing = sum(state.overflow[session] for session in movable)
    if len(rooms) < 2 or not standing:
        return []  # nobody stands: nothing to gain (the common case)
    streams, seats = state.instance.streams, state.seats_scaled
    demand = {
        session: state.share[session].get(slot, 0) + state.extra_scaled[session]
        for session in movable
    }
    by_size = sorted(rooms, key=lambda room: -seats[room])
    taken: set[int] = set()
    chosen: dict[int, int] = {}
    for session in sorted(movable, key=lambda session: -demand[session]):
        kind, allowed = streams[state.room[session]], state.place_sets[session]
        room = next(
            (
                room
                for room in by_size
                if room not in taken and streams[room] == kind and (room, slot) in allowed
            ),
            state.room[session],
        )
        if room in taken:  # its own room went to a more wanted session: keep all as they are
            return []
        taken.add(room)
        chosen[session] = room
    if sum(max(0, demand[session] - seats[chosen[session]]) for session in movable) >= standing:
        return []
    return [
        (session, (room, slot)) for session, room in chosen.items() if room != state.room[session]
    ]


def _movable_and_rooms(state: State, slot: int) -> tuple[list[int], list[int]]:
    """One-slot unpinned sessions starting in `slot`, and the rooms they and free cells offer."""
    lengths, pinned = state.instance.lengths, state.pinned
    movable, rooms = [], []
    for room, row in enumerate(state.occupant):
        holder = row[slot]
        if holder == UNPLACED:
            rooms.append(room)
        elif lengths[holder] == 1 and not pinned[holder]:
            movable.append(holder)
            rooms.append(room)
    return movable, rooms
