"""Simulated annealing on the exact metric: move a session to another allowed place, swap two
sessions, exchange what two rooms hold at one time, or let a left-out session take a place,
evaluating only the voters who marked them; after a step that leaves people standing, rooms
are re-matched within the slots it touched (rematch.py).

Moves never lose a placed session, so the number of scheduled sessions (the first quality
criterion) can only grow; among equal counts the search minimises missed people (plus the
cost of moving kept sessions when re-planning).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .instance import Instance, Place
from .rematch import rematch_slot
from .state import UNPLACED, State

Step = list[tuple[int, Place | None]]  # (session, new place) in the order to apply them
# Iterations between clock reads: a read costs far less than a step, and on large events
# 64 steps took a third of a second on a busy machine, too late for the time limit.
CHECK_EVERY = 16
# Iterations between looks at the stop flag (a multiple of CHECK_EVERY): across processes
# the flag is a lock, too dear for every clock read; 1,024 steps take about a tenth of a second.
STOP_EVERY = 64 * CHECK_EVERY
REPORT_INTERVAL = 0.2  # seconds between progress reports; early on, a search improves often
# How often a typical (mean) worsening step is taken at the start. The mean is dominated by
# the many very bad steps (a popular session into a small room). Neither start suits every
# event. Measured with fixed step counts: a cold start keeps the good constructed plan on L
# (1483 against no gain at all when hot with 20,000 steps; 1457 against 1481 with 60,000,
# seed 1); on M it was better or worse by seed (311.6 against 325.7 for seed 0, 310.5
# against 305.5 for seed 1, 30,000 steps); on S, three slots deep, a hot start escapes where
# the cold one stalls (1014-1028 against 1033-1038 missed with 5,000 to 30,000 steps, where
# 1016.8 was the best plan known). So on small events parallel searches take turns.
# With twice the steps (2026-12), 170,000 steps on M favoured a warm start: a mean rise taken
# 1e-3 of the time gave 381.0 and 415.9 missed (seed 1, and the crowded shape) against 393.1
# and 423.5 cold, while on L cold stayed better (1438.3 against 1467.5, 300,000 steps).
# So on middling events the second search starts warm (solve.WARM_MOST_SESSIONS); with the
# milder COOLING below, warm paid on L too.
COLD_RISE_TAKEN, WARM_RISE_TAKEN, HOT_RISE_TAKEN = 1e-7, 1e-3, 0.3
RISES_TAKEN = (COLD_RISE_TAKEN, HOT_RISE_TAKEN)  # on small events search k: RISES_TAKEN[k % 2]
LARGER_RISES_TAKEN = (COLD_RISE_TAKEN, WARM_RISE_TAKEN)  # on the others
SAMPLE_STEPS = 200  # random steps (undone) that set the start temperature
# The final temperature as a share of the first. Cooling further only descends: a cold start
# is about one missed person, and below a hundredth of a person hardly any step is taken.
# Measured at fixed step counts, means over the widened events (five per size, 2026-12):
# 1e-2 against 1e-4 gave M 357.6 against 360.0 (cold), 356.0 warm; S 1037.2 against 1040.1.
COOLING = 1e-2


@dataclass(frozen=True)
class SearchResult:
    """The best places found, their objective, and how much searching it took."""

    places: list[Place | None]
    objective: tuple[int, int]
    iterations: int
    history: list[tuple[float, tuple[int, int]]]  # (seconds, objective) at each improvement
    stopped: bool = False  # asked to stop before its time was up


@dataclass(frozen=True)
class Improvement:
    """A search's best plan so far in the figures the planning board shows.

    `at` is time.monotonic() when it was found: the same clock in every worker process.
    """

    at: float
    objective: tuple[int, int]
    scheduled: int
    missed: float
    attendable_share: float


def total_marks(state: State) -> int:
    """All marks of all voters (the denominator of the attendable share)."""
    return sum(
        count * weight for count, weight in zip(state.mark_counts, state.weights, strict=True)
    )


def improvement(state: State, marks: int) -> Improvement:
    """Describe the state as it is now (read at each new best: a few attribute reads)."""
    share = 1 - state.total_lost / marks if marks else 1.0
    return Improvement(
        time.monotonic(),
        state.objective(),
        state.scheduled,
        state.missed_scaled() / state.instance.scale,
        round(share, 4),
    )


def load(instance: Instance, places: list[Place | None], kept=None, move_costs=None) -> State:
    """Build a state holding the given places."""
    state = State(instance, kept, move_costs)
    for session, place in enumerate(places):
        if place is not None:
            state.move(session, place)
    return state


def anneal(
    instance: Instance,
    places: list[Place | None],
    *,
    seconds: float,
    seed: int,
    kept: list[Place | None] | None = None,
    move_costs: Sequence[Fraction] | None = None,
    iterations: int | None = None,
    progress: Callable[[Improvement], None] | None = None,
    stop: Callable[[], bool] | None = None,
    stop_every: int = STOP_EVERY,
    floor: tuple[int, int] | None = None,
    rise_taken: float = COLD_RISE_TAKEN,
) -> SearchResult:
    """Improve the given places for `seconds` and return the best found.

    With `iterations`, the cooling follows the step count instead of the clock, so the same
    seed gives the same plan on any machine (still stopping at `seconds`).

    Args:
        progress: called with the best so far at the start, at most every REPORT_INTERVAL
            seconds while the search improves, and at the end.
        stop: looked at every `stop_every` steps (a multiple of CHECK_EVERY); when it returns
            True, the search ends early with the best found so far.
        floor: an objective no plan can beat (proven bounds); the search ends on reaching it.
        rise_taken: how often a typical worsening step is taken at the start (RISES_TAKEN).
    """
    began = time.monotonic()  # loading and warming up count against `seconds` too
    rng = random.Random(seed)
    state = load(instance, places, kept, move_costs)
    movable = [
        session
        for session in range(instance.n_sessions)
        if len(instance.places[session]) > 1
        or (instance.places[session] and state.place_of(session) is None)
    ]
    best, best_value = state.snapshot(), state.objective()
    history = [(0.0, best_value)]
    marks = total_marks(state) if progress else 0
    reporter = _Reporter(progress, improvement(state, marks) if progress else None)
    if not movable or seconds <= 0 or (floor is not None and best_value <= floor):
        reporter.finish()
        return SearchResult(best, best_value, 0, history)
    hot = _start_temperature(state, _sample_rises(state, rng, movable), rise_taken)
    if kept is not None:
        # Re-planning starts from a good plan: stay near it rather than wander off and
        # settle somewhere else. A rise of one default move's cost is taken a third of the time.
        hot = min(hot, state.default_move_units / -math.log(0.3))
    done, temperature, stopped = 0, hot, False
    # Re-planning counts every room change as a move: there rooms change only step by step.
    rematch = kept is None
    while True:
        done += 1
        if done % CHECK_EVERY == 0:
            elapsed = time.monotonic() - began
            if elapsed >= seconds or (iterations is not None and done >= iterations):
                break
            if stop is not None and done % stop_every == 0 and stop():
                stopped = True
                break
            if floor is not None and best_value <= floor:
                break
            share = elapsed / seconds if iterations is None else done / iterations
            temperature = hot * (COOLING**share)
            reporter.tick()
        value = _try_step(state, rng, movable, temperature, rematch)
        if value is not None and value < best_value:
            best, best_value = state.snapshot(), value
            history.append((time.monotonic() - began, value))
            if progress:
                reporter.best = improvement(state, marks)
    reporter.finish()
    return SearchResult(best, best_value, done, history, stopped)


class _Reporter:
    """Pass the best so far to `progress`, at most every REPORT_INTERVAL seconds."""

    def __init__(self, progress: Callable[[Improvement], None] | None, first):
        self.progress, self.best, self.sent = progress, first, None
        self.last = -REPORT_INTERVAL
        self.tick()

    def tick(self) -> None:
        """Report the best if it is new and the last report is old enough."""
        if self.progress is None or self.best is self.sent:
            return
        now = time.monotonic()
        if now - self.last >= REPORT_INTERVAL:
            self.progress(self.best)
            self.sent, self.last = self.best, now

    def finish(self) -> None:
        """Report the final best if it has not been reported."""
        self.last = -REPORT_INTERVAL
        self.tick()


def _try_step(
    state: State, rng: random.Random, movable: list[int], temperature: float, rematch: bool
) -> tuple[int, int] | None:
    """Propose one step, keep it by the annealing rule; return the new objective if kept.

    With `rematch`, a step that leaves more people standing is followed by a re-matching of
    rooms in the slots it touched (rematch.py), and judged with it.
    """
    step = propose(state, rng, movable)
    if step is None:
        return None
    # The annealing rule (take a rise with chance exp(-rise / temperature)) as a threshold
    # drawn in advance: a step whose least possible rise exceeds it is refused unapplied.
    threshold = _threshold(temperature, rng)
    moves = _placed_moves(state, step)
    if moves is not None and state.least_cost_change(moves) > threshold:
        return None
    before = state.objective()
    overflow = state.total_overflow
    undo = apply(state, step)
    if rematch and state.total_overflow > overflow:
        undo = _rematch_after(state, step, undo) + undo
    after = state.objective()
    if after[0] < before[0] or (after[0] == before[0] and after[1] - before[1] <= threshold):
        return after
    apply(state, undo)
    return None


def _rematch_after(state: State, step: Step, undo: Step) -> Step:
    """Re-match rooms in every slot where the applied `step` (undone by `undo`) took a session
    from or put one; return what undoes the re-matching."""
    slots = {place[1] for _, place in step + undo if place is not None}
    undo_rematch: Step = []
    for slot in slots:
        undo_rematch = apply(state, rematch_slot(state, slot)) + undo_rematch
    return undo_rematch


def _threshold(temperature: float, rng: random.Random) -> float:
    """The largest rise taken this time: exceeded by a rise r with chance exp(-r / temperature)."""
    chance = rng.random()
    if temperature <= 0:
        return 0.0
    return math.inf if chance == 0 else -temperature * math.log(chance)


def _placed_moves(state: State, step: Step) -> list[tuple[int, Place, Place]] | None:
    """The step as (session, from, to) when it moves one or two placed one-slot sessions to
    other places (what State.least_cost_change can judge), else None."""
    if len(step) > 2:
        return None
    moves = []
    for session, place in step:
        current = state.place_of(session)
        if current is None or place is None or state.instance.lengths[session] != 1:
            return None
        moves.append((session, current, place))
    return moves


def apply(state: State, step: Step) -> Step:
    """Apply a step and return the step that undoes it."""
    undo: Step = []
    for session, place in step:
        undo.append((session, state.place_of(session)))
        state.move(session, place)
    undo.reverse()
    return undo


def propose(state: State, rng: random.Random, movable: list[int]) -> Step | None:
    """A random valid relocation or swap, or None when the random pick does not work out."""
    session = movable[rng.randrange(len(movable))]
    places = state.instance.places[session]
    target = places[rng.randrange(len(places))]
    current = state.place_of(session)
    if target == current:
        return None
    holders = _holders(state, session, target)
    if not holders:
        if current is None and state.can_place(session, target):
            return [(session, target)]
        if current is not None and state.hosts_free(session, target[1]):
            return [(session, target)]
        return None
    if current is not None and current[1] == target[1]:
        # Another room at the same time: exchange what the two rooms hold then, which also
        # moves a session of several slots past sessions of one (a swap cannot).
        return _exchange_rooms(
            state, current[0], target[0], current[1], state.instance.lengths[session]
        )
    if len(holders) != 1:
        return None
    if current is None:
        return _replace(state, session, holders.pop(), target)
    return _swap(state, session, holders.pop(), current, target)


def _holders(state: State, session: int, place: Place) -> set[int]:
    row = state.occupant[place[0]]
    return {
        row[slot]
        for slot in range(place[1], place[1] + state.instance.lengths[session])
        if row[slot] != UNPLACED and row[slot] != session
    }


def _replace(state: State, session: int, holder: int, target: Place) -> Step | None:
    """Let an unscheduled session take the place of one that leaves the plan.

    The count stays, so the order of docs/formats.md then prefers whichever set of sessions
    misses fewer people; without this step a search keeps the set its start chose, and a
    greedy that chose better would beat it. A pinned holder is never displaced; one that
    merely has a single allowed place is (else the first such session to take a place would
    keep it for good: hypothesis found an event where that cost two people).
    """
    if state.pinned[holder]:
        return None
    pair = (session, holder)
    if not (state.cells_free(session, target, pair) and state.hosts_free(session, target[1], pair)):
        return None
    return [(holder, None), (session, target)]


def _swap(state: State, session: int, other: int, current: Place, target: Place) -> Step | None:
    """Exchange the places of two sessions if both fit and no host clashes."""
    instance = state.instance
    if current not in state.place_sets[other]:
        return None
    pair = (session, other)
    if not (state.cells_free(session, target, pair) and state.cells_free(other, current, pair)):
        return None
    if target[0] == current[0] and _ranges_meet(instance, session, target, other, current):
        return None
    if not (
        state.hosts_free(session, target[1], pair) and state.hosts_free(other, current[1], pair)
    ):
        return None
    if other in instance.host_mates[session]:
        begin, end = instance.span(session, target[1])
        other_begin, other_end = instance.span(other, current[1])
        if begin < other_end and other_begin < end:
            return None
    # Two moves, not three: the session takes the other's cells, then the other takes the
    # session's old ones (State frees only the cells a session still holds).
    return [(session, target), (other, current)]


def _exchange_rooms(
    state: State, room: int, other_room: int, first: int, length: int
) -> Step | None:
    """Exchange the sessions of two rooms over the slots from `first` (at least `length`
    of them, widened until no session of either room crosses the edge); every session keeps
    its time, so only the rooms' rules need checking: seats count in the objective, features
    and closures in the allowed places."""
    begin, end = first, first + length
    rows = (state.occupant[room], state.occupant[other_room])
    while True:
        sessions = {row[slot] for row in rows for slot in range(begin, end)} - {UNPLACED}
        starts = [state.start[held] for held in sessions]
        ends = [state.start[held] + state.instance.lengths[held] for held in sessions]
        wider = min(starts, default=begin), max(ends, default=end)
        if wider[0] >= begin and wider[1] <= end:
            break
        begin, end = min(begin, wider[0]), max(end, wider[1])
    step: Step = []
    for from_room, to_room in ((room, other_room), (other_room, room)):
        for held in sorted(sessions):
            if state.room[held] != from_room:
                continue
            place = (to_room, state.start[held])
            if place not in state.place_sets[held]:
                return None
            step.append((held, place))
    return step or None


def _ranges_meet(
    instance: Instance, session: int, place: Place, other: int, other_place: Place
) -> bool:
    first_end = place[1] + instance.lengths[session]
    second_end = other_place[1] + instance.lengths[other]
    return place[1] < second_end and other_place[1] < first_end


def _sample_rises(state: State, rng: random.Random, movable: list[int]) -> list[int]:
    """The objective rises of SAMPLE_STEPS random steps (each undone) that make it worse."""
    rises = []
    for _ in range(SAMPLE_STEPS):
        step = propose(state, rng, movable)
        if step is None:
            continue
        before = state.objective()
        undo = apply(state, step)
        delta = state.objective()[1] - before[1]
        apply(state, undo)
        if delta > 0:
            rises.append(delta)
    return rises


def _start_temperature(state: State, rises: list[int], taken: float) -> float:
    """A temperature at which the mean of the sampled rises is taken `taken` of the time."""
    if not rises:
        return float(state.instance.scale)
    return -(sum(rises) / len(rises)) / math.log(taken)
