"""A greedy baseline for the benchmark, independent of the solver's internals.

Sessions go in most-wanted first (pinned ones before all, at their pin), each into the free
allowed place that adds the fewest missed people (FORMAT.md's `missed`). The increase is
computed exactly but only over what a placement touches: the voters who marked the session
and the sessions sharing its slots with them. People are counted in units of 1/`scale`, with
`scale` divisible by every k in a voter's 1/k share, so that all sums are exact integers.

Two guards keep the session count up, as any careful organiser would: a place is skipped if
it leaves the sessions still waiting fewer free cells than they need in the rooms they may use
(stream and whiteboard rooms are few), and a last pass moves one or two blocking sessions to
their own best free places to make room for a session left out.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner.scheduler.problem import Assignment, Plan, Problem
from planner.scheduler.rules import place_problems
from planner.scheduler.validate import max_disjoint, metrics

Place = tuple[int, int]  # (room index, first slot index)
Span = tuple[int, int]  # seconds from the first slot's day: first slot's start, last one's end

# Moves tried per left-out session once one works: more rarely pays and costs seconds at XL.
REPAIR_TRIES = 16
MOST_BLOCKERS = 2  # sessions moved out of the way of one left-out session


@dataclass(frozen=True)
class Effect:
    """What placing a session at a start does, whatever the room (scaled people)."""

    onsite_gain: int  # marks of on-site voters that become attendable
    online_gain: int  # marks of online voters that become attendable in a stream room
    others_overflow: int  # change in the overflow of the sessions it shares slots with
    attendance: int  # its own expected on-site attendance


class Board:
    """The plan being built, with the bookkeeping that makes the exact increase cheap."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._compile(problem)
        voters = range(len(problem.votes))
        self.place_of: list[Place | None] = [None] * len(problem.sessions)
        self.room_taken: dict[tuple[int, int], int] = {}  # (room, slot) -> session
        self.host_spans: dict[str, dict[int, Span]] = defaultdict(dict)
        self.voter_spans: list[dict[int, Span]] = [{} for _ in voters]  # attendable marks
        self.voter_attends = [0 for _ in voters]  # most marks attendable without overlaps
        self.voter_load: list[dict[int, set[int]]] = [{} for _ in voters]  # on-site only
        self.shares: list[dict[int, int]] = [defaultdict(int) for _ in problem.sessions]
        self.overflow = [0 for _ in problem.sessions]
        self.lost = sum(len(vote.sessions) for vote in problem.votes)
        self.overflow_total = 0

    def _compile(self, problem: Problem) -> None:
        """Index the static data: allowed places, occupied slots, markers, seats."""
        session_index = {session_.id: index for index, session_ in enumerate(problem.sessions)}
        self.marks = [[session_index[mark] for mark in vote.sessions] for vote in problem.votes]
        self.online = [vote.online for vote in problem.votes]
        self.markers: list[list[int]] = [[] for _ in problem.sessions]
        for voter, marks in enumerate(self.marks):
            for session in marks:
                self.markers[session].append(voter)
        self.onsite_markers = [
            [voter for voter in markers if not self.online[voter]] for markers in self.markers
        ]
        first_day = problem.slots[0].start.date() if problem.slots else datetime.min.date()
        origin = datetime.combine(first_day, datetime.min.time())
        self.slot_times = [
            (_seconds(slot.start - origin), _seconds(slot.end - origin)) for slot in problem.slots
        ]
        self.lengths = [session_.length for session_ in problem.sessions]
        self.scale = math.lcm(*range(1, max(map(len, self.marks), default=1) + 1))
        self.capacity = [room.capacity * self.scale for room in problem.rooms]
        self.streams = [room.streams for room in problem.rooms]
        self.extra = [session_.extra_interest * self.scale for session_ in problem.sessions]
        self.places = [_allowed_places(problem, session_) for session_ in problem.sessions]

    # --- reading the board -----------------------------------------------------------------

    def occupied(self, session: int, start: int) -> range:
        """Slot indices the session takes when it starts at `start`."""
        return range(start, start + self.lengths[session])

    def span(self, session: int, start: int) -> Span:
        """The time from the session's first slot's start to its last slot's end."""
        return self.slot_times[start][0], self.slot_times[start + self.lengths[session] - 1][1]

    def missed(self) -> float:
        """FORMAT.md's `missed` of the board as it stands."""
        return self.lost + self.overflow_total / self.scale

    def is_free(self, session: int, place: Place) -> bool:
        """Tell whether the room is free in every slot taken and no host is busy then."""
        room, start = place
        if any((room, slot) in self.room_taken for slot in self.occupied(session, start)):
            return False
        span = self.span(session, start)
        return not any(
            _overlap(span, other)
            for host in self.problem.sessions[session].hosts
            for other in self.host_spans[host].values()
        )

    def free_places(self, session: int) -> list[Place]:
        """Allowed places of the session that are free now."""
        return [place for place in self.places[session] if self.is_free(session, place)]

    def effect(self, session: int, start: int) -> Effect:
        """The room-independent part of placing an unplaced session at `start`."""
        span = self.span(session, start)
        gains = {False: 0, True: 0}
        for voter in self.markers[session]:
            gains[self.online[voter]] += self._gain(voter, span)
        own, changes = self._share_changes(session, start, adding=True)
        others = sum(
            self._overflow_with(other, deltas) - self.overflow[other]
            for other, deltas in changes.items()
        )
        attendance = self.extra[session] + max(own.values(), default=0)
        return Effect(gains[False], gains[True], others, attendance)

    def increase(self, effect: Effect, room: int) -> int:
        """Scaled increase of `missed` when a session with this effect goes into `room`."""
        gained = effect.onsite_gain + (effect.online_gain if self.streams[room] else 0)
        own_overflow = max(0, effect.attendance - self.capacity[room])
        return own_overflow + effect.others_overflow - gained * self.scale

    def ranked_places(self, session: int) -> list[tuple[int, Place]]:
        """Free places with their scaled increase, least first; ties go to smaller rooms and
        earlier slots (big rooms stay free for what comes later)."""
        effects: dict[int, Effect] = {}
        ranked = []
        for room, start in self.free_places(session):
            if start not in effects:
                effects[start] = self.effect(session, start)
            increase = self.increase(effects[start], room)
            ranked.append((increase, self.capacity[room], start, room))
        ranked.sort()
        return [(increase, (room, start)) for increase, _seats, start, room in ranked]

    def best_place(self, session: int) -> tuple[int, Place] | None:
        """The free place adding the least missed people, with its scaled increase."""
        ranked = self.ranked_places(session)
        return ranked[0] if ranked else None

    def _gain(self, voter: int, span: Span) -> int:
        """How many more marks the voter can attend with one more session at `span`."""
        spans = self.voter_spans[voter]
        begin, end = span
        for other_begin, other_end in spans.values():  # a plain loop: this is the hot spot
            if other_begin < end and begin < other_end:
                return max_disjoint([*spans.values(), span]) - self.voter_attends[voter]
        return 1

    def _share_changes(self, session: int, start: int, adding: bool):
        """The session's own shares per slot, and the change in every other session's shares
        per slot, when it is added at (or removed from) `start`."""
        own: dict[int, int] = {}
        changes: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        scale = self.scale
        for slot in self.occupied(session, start):
            own[slot] = 0
            for voter in self.onsite_markers[session]:
                load = self.voter_load[voter].get(slot)
                others = len(load) - (session in load) if load else 0
                own[slot] += scale // (others + 1)
                if not others:
                    continue
                before, after = (others, others + 1) if adding else (others + 1, others)
                delta = scale // after - scale // before
                for other in load:
                    if other != session:
                        changes[other][slot] += delta
        return own, changes

    def _overflow_with(self, session: int, deltas: dict[int, int]) -> int:
        """The session's scaled overflow after its shares change by `deltas` per slot."""
        room, start = self.place_of[session]
        shares = self.shares[session]
        fullest = max(
            shares.get(slot, 0) + deltas.get(slot, 0) for slot in self.occupied(session, start)
        )
        return max(0, self.extra[session] + fullest - self.capacity[room])

    # --- changing the board ----------------------------------------------------------------

    def add(self, session: int, place: Place) -> None:
        """Place an unplaced session, keeping every count exact."""
        room, start = place
        span = self.span(session, start)
        own, changes = self._share_changes(session, start, adding=True)
        self.place_of[session] = place
        self.room_taken.update(((room, slot), session) for slot in self.occupied(session, start))
        for host in self.problem.sessions[session].hosts:
            self.host_spans[host][session] = span
        for voter in self.markers[session]:
            if self.streams[room] or not self.online[voter]:
                self._set_voter_span(voter, session, span)
            if not self.online[voter]:
                for slot in self.occupied(session, start):
                    self.voter_load[voter].setdefault(slot, set()).add(session)
        self.shares[session] = defaultdict(int, own)
        self._apply_share_changes(changes)
        self._refresh_overflow(session)

    def remove(self, session: int) -> Place:
        """Take a placed session off the board and return where it was."""
        room, start = place = self.place_of[session]
        _own, changes = self._share_changes(session, start, adding=False)
        for slot in self.occupied(session, start):
            del self.room_taken[room, slot]
        for host in self.problem.sessions[session].hosts:
            del self.host_spans[host][session]
        for voter in self.markers[session]:
            self._set_voter_span(voter, session, None)
            for slot in self.occupied(session, start):
                self.voter_load[voter].get(slot, set()).discard(session)
        self.shares[session] = defaultdict(int)
        self._apply_share_changes(changes)
        self.overflow_total -= self.overflow[session]
        self.overflow[session] = 0
        self.place_of[session] = None
        return place

    def _set_voter_span(self, voter: int, session: int, span: Span | None) -> None:
        """Make a marked session attendable at `span` for the voter, or not at all (None)."""
        spans = self.voter_spans[voter]
        if span is None:
            spans.pop(session, None)
        else:
            spans[session] = span
        attends = max_disjoint(list(spans.values()))
        self.lost -= attends - self.voter_attends[voter]
        self.voter_attends[voter] = attends

    def _apply_share_changes(self, changes: dict[int, dict[int, int]]) -> None:
        for other, deltas in changes.items():
            for slot, delta in deltas.items():
                self.shares[other][slot] += delta
            self._refresh_overflow(other)

    def _refresh_overflow(self, session: int) -> None:
        overflow = self._overflow_with(session, {})
        self.overflow_total += overflow - self.overflow[session]
        self.overflow[session] = overflow


def _allowed_places(problem: Problem, session_) -> list[Place]:
    """Every (room, start) where the session may go by rules 2, 4, 5 and 6."""
    return [
        (room_index, slot_index)
        for slot_index, slot in enumerate(problem.slots)
        for room_index, room in enumerate(problem.rooms)
        if not place_problems(problem, session_, room, slot.id)
    ]


def _seconds(duration: timedelta) -> int:
    return round(duration.total_seconds())


def _overlap(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]


# --- the greedy ----------------------------------------------------------------------------


def placement_order(board: Board) -> list[int]:
    """Pinned sessions first, then by marks plus show of hands, most first."""
    sessions = board.problem.sessions
    return sorted(
        range(len(sessions)),
        key=lambda index: (
            sessions[index].pinned is None,
            -(len(board.markers[index]) + sessions[index].extra_interest),
            index,
        ),
    )


def place_greedily(board: Board) -> None:
    """Put each session, in placement order, where it adds the least missed people without
    leaving the sessions still waiting fewer free cells than they need (forward checking)."""
    order = placement_order(board)
    reserve = _Reserve(board, order)
    for session in order:
        ranked = board.ranked_places(session)
        chosen = next(
            (place for _, place in ranked if reserve.allows(session, place[0])),
            ranked[0][1] if ranked else None,  # if every place starves someone: the wanted first
        )
        reserve.settle(session, chosen)
        if chosen is not None:
            board.add(session, chosen)


class _Reserve:
    """Free cells against the demand of waiting sessions, per set of rooms sessions may use.

    Stream and whiteboard rooms are few; without this check popular sessions that merely
    like a stream room fill them, and sessions that need one are left out. It is Hall's
    condition on rooms alone (slots, hosts and unavailability are left to the repair pass).
    """

    def __init__(self, board: Board, waiting: list[int]) -> None:
        self.board = board
        self.room_sets = [frozenset(room for room, _ in places) for places in board.places]
        self.classes = {rooms for rooms in self.room_sets if rooms}
        self.free = [
            len(board.problem.slots) - len(room.unavailable) for room in board.problem.rooms
        ]
        self.demand = dict.fromkeys(self.classes, 0)
        for session in waiting:
            self._count(session, board.lengths[session])

    def allows(self, session: int, room: int) -> bool:
        """Tell whether every room set keeps enough free cells if the session goes there."""
        length = self.board.lengths[session]
        for rooms in self.classes:
            supply = sum(self.free[member] for member in rooms) - (length if room in rooms else 0)
            demand = self.demand[rooms] - (length if self.room_sets[session] <= rooms else 0)
            if supply < demand:
                return False
        return True

    def settle(self, session: int, place: Place | None) -> None:
        """Stop counting the session as waiting; take its cells if it was placed."""
        self._count(session, -self.board.lengths[session])
        if place is not None:
            self.free[place[0]] -= self.board.lengths[session]

    def _count(self, session: int, cells: int) -> None:
        for rooms in self.classes:
            if self.room_sets[session] and self.room_sets[session] <= rooms:
                self.demand[rooms] += cells


def repair(board: Board) -> None:
    """Place left-out sessions by moving one or two blocking sessions elsewhere."""
    for session in placement_order(board):
        if board.place_of[session] is None and board.places[session]:
            _place_by_moving(board, session)


def _place_by_moving(board: Board, session: int) -> None:
    """Try places with few movable blockers, most promising first, until REPAIR_TRIES are
    tried and one works; keep the move that misses fewest people."""
    best: tuple[float, Place, list[tuple[int, Place]]] | None = None
    for tried, (place, blockers) in enumerate(_repair_candidates(board, session)):
        if best is not None and tried >= REPAIR_TRIES:
            break
        outcome = _try_move(board, session, place, blockers)
        if outcome is not None and (best is None or outcome[0] < best[0]):
            best = (outcome[0], place, outcome[1])
    if best is not None:
        _missed, place, moves = best
        for blocker, _elsewhere in moves:
            board.remove(blocker)
        board.add(session, place)
        for blocker, elsewhere in moves:
            board.add(blocker, elsewhere)


def _repair_candidates(board: Board, session: int) -> list[tuple[Place, list[int]]]:
    """(place, blockers) pairs, fewest blockers first, then by the session's increase there
    (estimated on the board as it is: trying each one exactly costs full re-placements)."""
    effects: dict[int, Effect] = {}
    candidates = []
    for place in board.places[session]:
        blockers = _movable_blockers(board, session, place)
        if blockers is not None:
            room, start = place
            if start not in effects:
                effects[start] = board.effect(session, start)
            increase = board.increase(effects[start], room)
            candidates.append((len(blockers), increase, place, blockers))
    candidates.sort()
    return [(place, blockers) for _count, _increase, place, blockers in candidates]


def _movable_blockers(board: Board, session: int, place: Place) -> list[int] | None:
    """The placed sessions keeping `session` out of `place`, most wanted first, if they are
    at most MOST_BLOCKERS and none is pinned."""
    room, start = place
    blockers = {
        board.room_taken[room, slot]
        for slot in board.occupied(session, start)
        if (room, slot) in board.room_taken
    }
    span = board.span(session, start)
    for host in board.problem.sessions[session].hosts:
        blockers.update(
            other
            for other, other_span in board.host_spans[host].items()
            if _overlap(span, other_span)
        )
    if len(blockers) > MOST_BLOCKERS or any(
        board.problem.sessions[blocker].pinned is not None for blocker in blockers
    ):
        return None
    return sorted(blockers, key=lambda blocker: -len(board.markers[blocker]))


def _try_move(board: Board, session: int, place: Place, blockers: list[int]):
    """Missed people and the blockers' new places if they move for `session`, or None; the
    board is left as it was."""
    old_places = [board.remove(blocker) for blocker in blockers]
    moves: list[tuple[int, Place]] = []
    result = None
    if board.is_free(session, place):
        board.add(session, place)
        for blocker in blockers:
            elsewhere = board.best_place(blocker)
            if elsewhere is None:
                break
            board.add(blocker, elsewhere[1])
            moves.append((blocker, elsewhere[1]))
        if len(moves) == len(blockers):
            result = (board.missed(), moves)
        for blocker, _elsewhere in moves:
            board.remove(blocker)
        board.remove(session)
    for blocker, old_place in zip(blockers, old_places, strict=True):
        board.add(blocker, old_place)
    return result


def to_plan(board: Board, seconds: float) -> Plan:
    """Turn the board into a Plan with the validator's FORMAT.md metrics."""
    problem = board.problem
    placed = sorted(
        (place[1], place[0], session)
        for session, place in enumerate(board.place_of)
        if place is not None
    )
    assignments = tuple(
        Assignment(problem.sessions[session].id, problem.rooms[room].id, problem.slots[start].id)
        for start, room, session in placed
    )
    unscheduled = tuple(
        session_.id
        for session_, place in zip(problem.sessions, board.place_of, strict=True)
        if place is None
    )
    plan = Plan(assignments, unscheduled)
    plan.metrics.update(metrics(problem, plan))
    plan.solver.update(status="GREEDY", seconds=round(seconds, 3), tracked_missed=board.missed())
    return plan


def greedy_plan(problem: Problem) -> Plan:
    """Plan the event greedily: most-wanted first, each where it adds the least missed.

    The plan is not validated here: callers judge it with validate.violations, as they do
    the solver's.
    """
    began = time.perf_counter()
    board = Board(problem)
    place_greedily(board)
    repair(board)
    return to_plan(board, time.perf_counter() - began)
