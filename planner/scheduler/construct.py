"""A fast constructive start: pins first, then the hardest and most wanted sessions, each into
the place that raises the exact objective least."""

from __future__ import annotations

from collections import defaultdict

from .instance import Instance, Place
from .state import UNPLACED, State

# Working ejections compared per left-out session: more rarely pays and costs time at XL.
EJECTION_TRIES = 16


def demand(instance: Instance, session: int) -> int:
    """People interested in a session: marks plus extra interest."""
    return instance.extra[session] + sum(
        instance.groups[group].weight for group in instance.groups_of[session]
    )


def placing_order(instance: Instance, sessions: list[int]) -> list[int]:
    """Most wanted first: they have the most to lose from a clash or a small room.

    (Placing long or hard-to-place sessions first was measured and found worse; the
    ejection repair places those that get stranded.)
    """
    return sorted(sessions, key=lambda session: (-demand(instance, session), session))


def free_places_by_slot(state: State, session: int) -> dict[int, list[Place]]:
    """The session's allowed places that are free now, by start slot, smallest room first."""
    instance = state.instance
    by_slot: dict[int, list[Place]] = defaultdict(list)
    for place in instance.places[session]:
        if state.cells_free(session, place) and state.hosts_free(session, place[1]):
            by_slot[place[1]].append(place)
    for places in by_slot.values():
        places.sort(key=lambda place: instance.capacity[place[0]])
    return by_slot


def ranked_places(state: State, session: int) -> list[Place]:
    """The session's free places, the one raising the objective least first.

    Ties go to smaller rooms and earlier slots, so big rooms stay free for later sessions.
    Within one slot only the session's own overflow and, for online voters, whether the
    room streams depend on the room: one probe per slot and kind of room prices them all.
    """
    instance = state.instance
    ranked = []
    for slot, places in free_places_by_slot(state, session).items():
        for streamed in (False, True):
            kind = [place for place in places if instance.streams[place[0]] == streamed]
            if kind:
                ranked.extend(
                    ((cost, instance.capacity[place[0]], slot, place[0]), place)
                    for cost, place in _price_rooms(state, session, kind)
                )
    ranked.sort()
    return [place for _key, place in ranked]


def place_best(state: State, session: int, reserve: Reserve | None = None) -> bool:
    """Put the session at its best free place that leaves the waiting sessions enough rooms
    (the best one if none does); return False if nothing is free."""
    ranked = ranked_places(state, session)
    if not ranked:
        return False
    allowed = (place for place in ranked if reserve is None or reserve.allows(session, place))
    state.move(session, next(allowed, ranked[0]))
    return True


class Reserve:
    """Free cells against the demand of waiting sessions, per set of rooms sessions may use.

    Stream and whiteboard rooms are few: without this check popular sessions that merely
    like such a room fill them, and the sessions that need one are stranded. It is Hall's
    condition on rooms alone; slots and hosts are left to the ejection repair.
    """

    def __init__(self, state: State, waiting: list[int]):
        instance = state.instance
        self.lengths = instance.lengths
        self.room_sets = [frozenset(room for room, _slot in places) for places in instance.places]
        self.classes = {rooms for rooms in self.room_sets if rooms}
        self.free = [sum(1 for holder in row if holder == UNPLACED) for row in state.occupant]
        self.demand = dict.fromkeys(self.classes, 0)
        for session in waiting:
            self._count(session, self.lengths[session])

    def allows(self, session: int, place: Place) -> bool:
        """Tell whether every room set keeps enough free cells if the session goes there."""
        length = self.lengths[session]
        for rooms in self.classes:
            supply = sum(self.free[room] for room in rooms) - (length if place[0] in rooms else 0)
            demand = self.demand[rooms] - (length if self.room_sets[session] <= rooms else 0)
            if supply < demand:
                return False
        return True

    def settle(self, session: int, place: Place | None) -> None:
        """Stop counting the session as waiting; take its cells if it was placed."""
        self._count(session, -self.lengths[session])
        if place is not None:
            self.free[place[0]] -= self.lengths[session]

    def _count(self, session: int, cells: int) -> None:
        for rooms in self.classes:
            if self.room_sets[session] <= rooms:
                self.demand[rooms] += cells


def _price_rooms(state: State, session: int, places: list[Place]):
    """Yield (objective cost, place) for places of one slot whose rooms all stream or not."""
    instance, scale = state.instance, state.instance.scale
    kept = state.kept[session]
    probe = places[-1]
    state.move(session, probe)
    # The objective without this session's own overflow and move cost: both depend on the room.
    rest = state.objective()[1] - state.denominator * state.overflow[session]
    if kept is not None and probe != kept:
        rest -= state.move_units[session]
    people = max(state.share[session].get(slot, 0) for slot in state.occupied(session))
    people += instance.extra[session] * scale
    state.move(session, None)
    for place in places:
        own = max(0, people - instance.capacity[place[0]] * scale)
        moving = state.move_units[session] if kept is not None and place != kept else 0
        yield rest + moving + state.denominator * own, place


def construct(state: State) -> State:
    """Fill the state: sessions already placed stay, the others are added greedily."""
    instance = state.instance
    open_sessions = [
        session
        for session in range(instance.n_sessions)
        if state.place_of(session) is None and instance.places[session]
    ]
    order = placing_order(instance, open_sessions)
    reserve = Reserve(state, order)
    for session in order:
        place_best(state, session, reserve)
        reserve.settle(session, state.place_of(session))
    return repair(state)


def repair(state: State) -> State:
    """Place left-out sessions by moving one blocking session elsewhere (an ejection).

    Greedy room choices can strand a session that needs a scarce room or a double slot;
    usually one other session can make way by moving to a free place of its own.
    """
    instance = state.instance
    for session in range(instance.n_sessions):
        if state.place_of(session) is None and instance.places[session]:
            _make_way(state, session)
    return state


def _make_way(state: State, session: int) -> bool:
    """Try places with a single movable holder; the holder goes to its own best free place.

    Of the first EJECTION_TRIES ejections that work, keep the one with the best objective.
    """
    best: tuple | None = None
    tries = 0
    for place, holder in _single_holders(state, session):
        holder_place = state.place_of(holder)
        state.move(holder, None)
        if state.can_place(session, place):
            state.move(session, place)
            if place_best(state, holder):
                tries += 1
                if best is None or state.objective() < best[0]:
                    best = (state.objective(), place, holder, state.place_of(holder))
                state.move(holder, None)
            state.move(session, None)
        state.move(holder, holder_place)
        if tries >= EJECTION_TRIES:
            break
    if best is None:
        return False
    _value, place, holder, refuge = best
    state.move(holder, refuge)
    state.move(session, place)
    return True


def _single_holders(state: State, session: int):
    """Yield (place, holder) where one movable session alone blocks the place."""
    instance = state.instance
    for place in instance.places[session]:
        row = state.occupant[place[0]]
        holders = {row[slot] for slot in range(place[1], place[1] + instance.lengths[session])}
        holders.discard(UNPLACED)
        if len(holders) == 1:
            holder = holders.pop()
            if len(instance.places[holder]) > 1:  # not pinned, has somewhere else to go
                yield place, holder
