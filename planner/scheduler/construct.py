"""Fast constructive starts: pins first, then the other sessions in one of several orders,
each into the place that raises the exact objective least; left-out sessions are placed by
moving a chain of blocking sessions out of the way.

Orders: most wanted first (usually the fewest missed people), most constrained first (the
fewest allowed places: the usual winner on tight grids) and longest first. When the first
leaves a session out, all are tried and the best is kept.
"""

from __future__ import annotations

import time
from collections import defaultdict
from fractions import Fraction

from .instance import Instance, Place
from .state import UNPLACED, State

# Working ejections compared per left-out session: more rarely pays and costs time at XL.
EJECTION_TRIES = 16
# Ejection chains: at most this many sessions moved along to place one left-out session, and
# at most this many tries per left-out session (a few milliseconds each at 300 sessions).
CHAIN_DEPTH = 4
CHAIN_TRIES = 3000
CHAIN_SECONDS = 0.5  # at most, per left-out session
MOST_WANTED, MOST_CONSTRAINED, LONGEST = "most wanted", "most constrained", "longest"
ORDERS = (MOST_WANTED, MOST_CONSTRAINED, LONGEST)


def demand(instance: Instance, session: int) -> int:
    """People interested in a session: marks plus extra interest."""
    return instance.extra[session] + sum(
        instance.groups[group].weight for group in instance.groups_of[session]
    )


def placing_order(instance: Instance, sessions: list[int], order: str = MOST_WANTED) -> list[int]:
    """Sort sessions for placing.

    Most wanted first: they have the most to lose from a clash or a small room (measured the
    best for missed people when everything fits). Most constrained first: the fewest allowed
    places, then the longest. Longest first: then the fewest places.
    """
    wanted = {session: demand(instance, session) for session in sessions}
    keys = {
        MOST_WANTED: lambda session: (-wanted[session], session),
        MOST_CONSTRAINED: lambda session: (
            len(instance.places[session]),
            -instance.lengths[session],
            -wanted[session],
            session,
        ),
        LONGEST: lambda session: (
            -instance.lengths[session],
            len(instance.places[session]),
            -wanted[session],
            session,
        ),
    }
    return sorted(sessions, key=keys[order])


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


def placeable(instance: Instance) -> int:
    """Sessions with at least one allowed place: no plan schedules more."""
    return sum(1 for places in instance.places if places)


def construct(state: State, order: str = MOST_WANTED) -> State:
    """Fill the state: sessions already placed stay, the others are added greedily."""
    instance = state.instance
    open_sessions = [
        session
        for session in range(instance.n_sessions)
        if state.place_of(session) is None and instance.places[session]
    ]
    sessions = placing_order(instance, open_sessions, order)
    reserve = Reserve(state, sessions)
    for session in sessions:
        place_best(state, session, reserve)
        reserve.settle(session, state.place_of(session))
    return repair(state)


def best_construction(
    state: State,
    seconds: float = 0.0,
    packing_seconds: float = 60.0,
    bound: Fraction | None = None,
) -> tuple[State, dict[str, tuple[int, int]]]:
    """Construct in every order from the state (pins and kept places); return the best and
    each order's objective.

    The other orders run when the first leaves a session out (only then can they schedule
    more) and they take less than `packing_seconds` together, or when they take less than
    `seconds` together (they may miss fewer people), unless the first already meets the
    lower `bound` on missed people.
    """
    began = time.monotonic()
    first = construct(state.copy(), ORDERS[0])
    found = {ORDERS[0]: first.objective()}
    more = (len(ORDERS) - 1) * (time.monotonic() - began)
    complete = first.scheduled == placeable(state.instance)
    if more > (seconds if complete else max(seconds, packing_seconds)):
        return first, found
    if complete and bound is not None and first.missed() <= bound:
        return first, found  # no order can do better (say, an event without votes)
    best = first
    for order in ORDERS[1:]:
        built = construct(state.copy(), order)
        found[order] = built.objective()
        if built.objective() < best.objective():
            best = built
    return best, found


def repair(state: State) -> State:
    """Place left-out sessions by moving one blocking session elsewhere (an ejection).

    Greedy room choices can strand a session that needs a scarce room or a double slot;
    usually one other session can make way by moving to a free place of its own.
    """
    instance = state.instance
    for session in range(instance.n_sessions):
        if state.place_of(session) is None and instance.places[session]:
            _make_way(state, session) or place_by_chain(state, session)
    return state


def place_by_chain(state: State, session: int) -> bool:
    """Place a left-out session by moving the sessions that block one of its places (one,
    or two for a long session), each into a free place or, in turn, by moving its own
    blockers: the shallowest such chain found first. Return success.

    The chain is sought on a bare grid (cells and hosts only, cheap to change); only the
    moves of the chain found touch the state and its figures.
    """
    grid = _Grid(state)
    chain = _Chain(grid, CHAIN_TRIES, time.monotonic() + CHAIN_SECONDS)
    if not any(chain.place(session, depth, {session}) for depth in range(1, CHAIN_DEPTH + 1)):
        return False
    changed = {moved for moved, _place in chain.journal}
    for moved in changed:
        state.move(moved, None)
    for moved in changed:
        state.move(moved, grid.place_of(moved))
    return True


class _Grid:
    """Who is where, without the figures: enough to check rules 1 and 3 and to move."""

    def __init__(self, state: State):
        self.instance, self.place_sets = state.instance, state.place_sets
        self.occupant = [row[:] for row in state.occupant]
        self.room, self.start = state.room[:], state.start[:]

    place_of = State.place_of
    cells_free = State.cells_free
    hosts_free = State.hosts_free
    can_place = State.can_place

    def move(self, session: int, place: Place | None) -> None:
        """Move the session (None: take it out); the caller has checked the rules."""
        lengths = self.instance.lengths
        if self.start[session] != UNPLACED:
            row = self.occupant[self.room[session]]
            for slot in range(self.start[session], self.start[session] + lengths[session]):
                row[slot] = UNPLACED
        self.room[session], self.start[session] = place if place else (UNPLACED, UNPLACED)
        if place is not None:
            for slot in range(place[1], place[1] + lengths[session]):
                self.occupant[place[0]][slot] = session


class _Chain:
    """Depth-limited ejection chains, with a journal of moves to undo a failed branch."""

    def __init__(self, state: _Grid, tries: int, until: float):
        self.state, self.tries, self.until = state, tries, until
        self.journal: list[tuple[int, Place | None]] = []

    def move(self, session: int, place: Place | None) -> None:
        """Move and remember where the session was."""
        self.journal.append((session, self.state.place_of(session)))
        self.state.move(session, place)

    def undo(self, mark: int) -> None:
        """Undo every move after the journal's length was `mark`."""
        while len(self.journal) > mark:
            session, place = self.journal.pop()
            self.state.move(session, place)

    def place(self, session: int, depth: int, moving: set[int]) -> bool:
        """Place the (unplaced) session, ejecting sessions at most `depth` levels deep."""
        state = self.state
        for place in state.instance.places[session]:
            if state.can_place(session, place):
                self.move(session, place)
                return True
        if depth == 0:
            return False
        for place, holders in _blockers(state, session):
            if self.tries <= 0 or (self.tries % 64 == 0 and time.monotonic() > self.until):
                return False
            if moving.intersection(holders):
                continue
            self.tries -= 1
            if self._eject(session, place, holders, depth, moving | set(holders)):
                return True
        return False

    def _eject(self, session, place, holders, depth, moving) -> bool:
        """Move the holders out, put the session in, place the holders again, or undo all."""
        mark = len(self.journal)
        for holder in holders:
            self.move(holder, None)
        if self.state.hosts_free(session, place[1]):
            self.move(session, place)
            if all(self.place(holder, depth - 1, moving) for holder in holders):
                return True
        self.undo(mark)
        return False


def _blockers(state: State | _Grid, session: int):
    """Yield (place, holders) where one or two movable sessions alone block the place,
    places with one holder first."""
    instance = state.instance
    pairs = []
    for place in instance.places[session]:
        row = state.occupant[place[0]]
        holders = {row[slot] for slot in range(place[1], place[1] + instance.lengths[session])}
        holders.discard(UNPLACED)
        # Pinned sessions have one place and never move.
        if not holders or len(holders) > 2:
            continue
        if any(len(instance.places[holder]) == 1 for holder in holders):
            continue
        if len(holders) == 1:
            yield place, tuple(holders)
        else:
            pairs.append((place, tuple(sorted(holders))))
    yield from pairs


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
