"""solve(problem) -> Plan: the pipeline from an event to its best plan found.

1. Pins alone decide feasibility (explain.py); a clash raises InfeasibleError with reasons.
2. A constructive start: pins, then the kept plan's places when re-planning, then the best
   of several greedy orders, with ejection chains for sessions left out (construct.py).
3. CP-SAT maximises the number of scheduled sessions when the start leaves some out.
4. Simulated annealing on the exact metric: one search in this thread and one per further
   core in helper processes (parallel.py), starting cold and hot in turn; all end at once
   when one reaches the proven bounds (then the status is OPTIMAL), or at the time limit.
5. The best plan goes through the independent validator before anyone sees it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from .construct import best_construction, placeable
from .errors import InfeasibleError
from .explain import pin_conflicts, why_unscheduled
from .instance import Instance, Place, compile_problem
from .parallel import Helpers, warm_up
from .problem import Assignment, Plan, Problem
from .search import (
    CHECK_EVERY,
    LARGER_RISES_TAKEN,
    RISES_TAKEN,
    Improvement,
    SearchResult,
    anneal,
    load,
)
from .state import MOVE_COST, State
from .validate import max_disjoint, metrics, violations

# (most sessions, seconds): the default time limit grows with the event so that an organiser
# waits at most 5 s for the Hesse congress and 2 minutes for a 400-session conference.
TIME_BUDGETS = ((30, 5.0), (80, 15.0), (200, 60.0))
LARGEST_BUDGET = 120.0
CONSTRUCTION_SHARE = 0.02  # time for the other construction orders when all fit anyway
PACKING_SHARE = 0.25  # at most this share of the time goes to maximising the session count
FINISH_SHARE = 0.01  # of the time limit, kept for validation and metrics after the search
FINISH_PER_COMPILE = 0.4  # seconds kept at the end per second that compiling the event took
PACKING_MINIMUM = 2.0  # seconds: CP-SAT proves the 150-session packing in about that
WATCH_INTERVAL = 0.05  # seconds between looks at the helpers' reports and the stop request
# Hot searches pay on events up to this many sessions (S: 25); on M the hot start was as
# often worse as better, on L worse (1481 against 1457 missed with 60,000 steps, seed 1).
HOT_MOST_SESSIONS = 30
# Warm second searches paid on M (60 sessions). On L (150) they did not while the search
# cooled to 1e-4 of its start (1450 missed against 1441 cold); cooling to 1e-2 (search.COOLING)
# they did: 1484.1 against 1494.0 missed, mean of L's five widened events at 300,000 steps
# (the cold searches: 1494.0 and 1495.6). On XL the budget gives too few steps per session.
WARM_MOST_SESSIONS = 200
# Below this many seconds of search, helper processes cost more than they bring.
PROCESS_MINIMUM = 1.0


@dataclass(frozen=True)
class Progress:
    """The best plan found so far, as a solve in progress reports it.

    `bound` is a lower bound on missed people for any plan (missed_lower_bound).
    """

    seconds: float
    time_limit: float
    scheduled: int
    missed: float
    attendable_share: float
    bound: float


def default_time_limit(problem: Problem) -> float:
    """Seconds the solver takes by default for an event of this size."""
    for most_sessions_, seconds in TIME_BUDGETS:
        if len(problem.sessions) <= most_sessions_:
            return seconds
    return LARGEST_BUDGET


def default_workers() -> int:
    """Parallel searches: one per core, at most two (more cores pay little here)."""
    return max(1, min(2, os.cpu_count() or 1))


def solve(
    problem: Problem,
    *,
    time_limit: float | None = None,
    keep: Plan | None = None,
    move_costs: Mapping[str, Fraction] | None = None,
    seed: int = 0,
    workers: int | None = None,
    iterations: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Plan:
    """Return the best valid plan found within the time limit.

    Args:
        time_limit: seconds to search; default scales with the event (default_time_limit).
        keep: a previous plan; sessions that stay where they were are preferred, at a cost of
            MOVE_COST missed people per moved session.
        move_costs: per session id, the cost in missed people of moving it away from its kept
            place (e.g. more for a session many people already plan to attend); sessions not
            listed cost MOVE_COST. Only matters with `keep`.
        seed: the random seed of the search.
        iterations: steps per search; with it (and the time limit not reached), the same seed
            and workers give the same plan on any machine.
        workers: parallel searches (processes); default one per core, at most two.
        progress: called with a Progress when the best plan improves (from every worker; at
            most a few times a second), in the calling process and thread.
        should_stop: looked at now and then during the search (about every 50 ms with
            several workers); when it returns True, the search ends early and the best plan
            so far is returned, validated like any other (its solver figures say "stopped").
    Raises:
        InfeasibleError: the pins alone break a rule; the message says which and what to relax.
    """
    began = time.monotonic()
    limit = default_time_limit(problem) if time_limit is None else max(0.0, time_limit)
    if (workers or default_workers()) > 1 and limit >= PROCESS_MINIMUM:
        warm_up()  # the fork server imports the scheduler while this thread constructs
    conflicts = pin_conflicts(problem)
    if conflicts:
        raise InfeasibleError(conflicts)
    instance = compile_problem(problem)
    # Validating and measuring the plan at the end takes about a quarter of the time that
    # compiling took (both read every vote): keep that much, and a share of the limit.
    finish = limit * FINISH_SHARE + FINISH_PER_COMPILE * (time.monotonic() - began)
    kept = kept_places(instance, keep)
    costs = session_move_costs(instance, move_costs) if kept is not None else None
    state = initial_state(instance, kept, costs, limit * CONSTRUCTION_SHARE, limit * PACKING_SHARE)
    start_missed = state.missed()
    start, scheduled_bound, packing_status = _most_sessions(instance, state, limit, seed)
    # Leave time to start the processes, validate and measure, so the whole solve keeps
    # within the limit (measured: about 0.7 s at 400 sessions and 8,000 voters).
    remaining = limit - finish - (time.monotonic() - began)
    stopped = should_stop is not None and should_stop()  # while CP-SAT packed
    if stopped:
        remaining = 0.0
    budget = SearchBudget(remaining, iterations, seed, workers or default_workers())
    bound = missed_lower_bound(instance)
    watch = _Watch(began, limit, bound, scheduled_bound, progress, should_stop)
    result = _search(instance, start, Keeping(kept, costs), budget, watch)
    plan = to_plan(instance, result, kept, began, scheduled_bound)
    plan.solver.update(packing=packing_status, seed=seed, time_limit=limit)
    plan.solver["reason"] = _reason(plan, stopped or result.stopped, budget.iterations)
    if kept is not None:
        # What moving bought: missed people at the kept places (new sessions added) less now.
        gain = start_missed - Fraction(plan.metrics["missed"])
        plan.solver.update(moved=len(plan.moved), gain=round(float(gain), 6))
    if stopped or result.stopped:
        plan.solver.update(stopped=True)
    return plan


def _reason(plan: Plan, stopped: bool, iterations: int | None) -> str:
    """Why the search ended, in the plan's solver figures."""
    if plan.solver["status"] == "OPTIMAL":
        return (
            "proven best: as many sessions as can be placed, and missed people at their lower bound"
        )
    if stopped:
        return "stopped on request"
    if iterations is not None and plan.solver["iterations"] >= iterations:
        return "step limit reached"
    return "time limit reached"


def kept_places(instance: Instance, keep: Plan | None) -> list[Place | None] | None:
    """Translate a previous plan into places, ignoring what no longer exists."""
    if keep is None:
        return None
    problem = instance.problem
    session_index = {session_.id: index for index, session_ in enumerate(problem.sessions)}
    room_index = {room.id: index for index, room in enumerate(problem.rooms)}
    kept: list[Place | None] = [None] * instance.n_sessions
    for item in keep.assignments:
        if (
            item.session in session_index
            and item.room in room_index
            and item.slot in problem.slot_index
        ):
            kept[session_index[item.session]] = (
                room_index[item.room],
                problem.slot_index[item.slot],
            )
    return kept


def session_move_costs(
    instance: Instance, move_costs: Mapping[str, Fraction] | None
) -> tuple[Fraction, ...]:
    """Each session's cost of leaving its kept place, MOVE_COST where none is given."""
    given = move_costs or {}
    costs = []
    for session_ in instance.problem.sessions:
        cost = given.get(session_.id, MOVE_COST)
        # Floats are rounded to a thousandth so that the common denominator stays small.
        cost = Fraction(cost).limit_denominator(1000) if isinstance(cost, float) else Fraction(cost)
        if cost < 0:
            raise ValueError(f"move cost of {session_.id} is negative: {cost}")
        costs.append(cost)
    return tuple(costs)


def initial_state(
    instance: Instance,
    kept: list[Place | None] | None,
    move_costs: tuple[Fraction, ...] | None = None,
    seconds: float = 0.0,
    packing_seconds: float = 60.0,
) -> State:
    """Pins first, then kept places that are still allowed and free, then the best of the
    constructions for the rest (all of them if they take less than `seconds`, or less than
    `packing_seconds` when the first leaves a session out)."""
    state = State(instance, kept, move_costs)
    for session, places in enumerate(instance.places):
        if instance.problem.sessions[session].pinned is not None:
            state.move(session, places[0])
    for session, place in enumerate(kept or ()):
        if (
            place is not None
            and state.place_of(session) is None
            and state.can_place(session, place)
        ):
            state.move(session, place)
    bound = missed_lower_bound(instance)
    best, _objectives = best_construction(state, seconds, packing_seconds, bound)
    return best


def _most_sessions(
    instance: Instance, state: State, limit: float, seed: int
) -> tuple[list[Place | None], int, str]:
    """Return a start with as many sessions as CP-SAT can place, and the proven bound."""
    start = state.snapshot()
    most = placeable(instance)
    if state.scheduled == most:
        return start, most, "all placeable sessions placed by construction"
    from .packing import most_sessions  # CP-SAT loads only when it is needed

    required = [
        session
        for session, session_ in enumerate(instance.problem.sessions)
        if session_.pinned is not None
    ]
    packed = most_sessions(
        instance,
        start,
        required=required,
        time_limit=min(max(PACKING_MINIMUM, limit * PACKING_SHARE), limit / 2),
        seed=seed,
        workers=default_workers(),
    )
    if packed is None:
        return start, most, "CP-SAT found no packing in time"
    better = packed.scheduled > state.scheduled
    return (packed.places if better else start), packed.upper_bound, packed.status


@dataclass(frozen=True)
class Keeping:
    """The kept plan's places and each session's cost of leaving its place (None: no plan)."""

    places: list[Place | None] | None
    costs: tuple[Fraction, ...] | None


@dataclass(frozen=True)
class SearchBudget:
    """How long and how wide to search."""

    seconds: float
    iterations: int | None
    seed: int
    workers: int


class _Watch:
    """Turn every search's improvements into Progress for the caller, best ones only; pass
    on a request to stop, and notice when a search has reached the proven floor."""

    def __init__(self, began, limit, bound: Fraction, scheduled_bound: int, progress, should):
        self.began, self.limit, self.bound = began, limit, bound
        self.scheduled_bound = scheduled_bound
        self.progress, self.should = progress, should
        self.best: tuple[int, int] | None = None
        self.floor: tuple[int, int] = (0, 0)
        self.seconds = 0.0
        self.last_look = 0.0
        self.stop_requested = False
        self.floor_reached = False

    def should_stop(self) -> bool:
        """Whether the caller asks to stop (looked at no more often than WATCH_INTERVAL)."""
        now = time.monotonic()
        if self.should is None or now - self.last_look < WATCH_INTERVAL:
            return self.stop_requested
        self.last_look = now
        self.stop_requested = self.stop_requested or bool(self.should())
        return self.stop_requested

    def look(self, helpers: Helpers) -> bool:
        """Pass the helpers' reports on; tell whether this search should end now."""
        for found in helpers.drain():
            self.report(found)
        if self.should_stop() or self.floor_reached:
            helpers.stop.set()
            return True
        return False

    def report(self, found: Improvement) -> None:
        """Pass an improvement on if it beats every one before (from any search)."""
        if found.objective <= self.floor:
            self.floor_reached = True
        if self.best is not None and found.objective >= self.best:
            return
        self.best = found.objective
        if self.progress is None:
            return
        # Reports from two searches can arrive out of order: keep the times increasing.
        self.seconds = max(self.seconds, round(found.at - self.began, 3))
        self.progress(
            Progress(
                self.seconds,
                self.limit,
                found.scheduled,
                round(found.missed, 3),
                found.attendable_share,
                float(self.bound),
            )
        )


def _search(
    instance: Instance,
    start: list[Place | None],
    keeping: Keeping,
    budget: SearchBudget,
    watch: _Watch,
) -> SearchResult:
    """Run one annealing search in this thread and one per further worker in a helper
    process, all from the same start and until the same moment; keep the best."""
    state = load(instance, start, keeping.places, keeping.costs)
    watch.floor = floor_objective(state, watch.scheduled_bound, watch.bound)
    options = {"kept": keeping.places, "move_costs": keeping.costs, "floor": watch.floor}
    options["iterations"] = budget.iterations
    until = time.monotonic() + budget.seconds
    at_floor = state.objective() <= watch.floor

    def alone() -> SearchResult:
        return anneal(
            instance,
            start,
            seconds=until - time.monotonic(),
            seed=budget.seed,
            progress=watch.report,
            stop=watch.should_stop,
            stop_every=CHECK_EVERY,
            **options,
        )

    if budget.workers <= 1 or budget.seconds < PROCESS_MINIMUM or at_floor:
        return alone()
    try:
        helpers = Helpers(budget.workers - 1)
    except OSError:  # no processes may start here (a sandbox): search in this thread only
        return alone()
    try:
        runs = [
            {**options, "seed": budget.seed + worker, "rise_taken": _rise(instance, worker)}
            for worker in range(1, budget.workers)
        ]
        helpers.start(instance, start, until, runs)
        own = anneal(
            instance,
            start,
            seconds=until - time.monotonic(),
            seed=budget.seed,
            progress=watch.report,
            stop=lambda: watch.look(helpers),
            stop_every=CHECK_EVERY,
            **options,
        )
        if own.objective <= watch.floor or own.stopped:
            helpers.stop.set()
        results = [own, *helpers.results()]
        for found in helpers.drain():
            watch.report(found)
    finally:
        helpers.close()
    best = min(results, key=lambda result: result.objective)
    if watch.stop_requested:
        return replace(best, stopped=True)
    return best


def _rise(instance: Instance, worker: int) -> float:
    """The start temperature of a search: parallel searches take turns, cold and hot on
    small events, cold and warm on middling ones; on large events all start cold (see
    search.RISES_TAKEN)."""
    if instance.n_sessions > WARM_MOST_SESSIONS:
        return RISES_TAKEN[0]
    rises = LARGER_RISES_TAKEN if instance.n_sessions > HOT_MOST_SESSIONS else RISES_TAKEN
    return rises[worker % len(rises)]


def floor_objective(state: State, scheduled_bound: int, bound: Fraction) -> tuple[int, int]:
    """The objective of a plan at both proven bounds (no moves): no plan is better."""
    instance = state.instance
    return instance.n_sessions - scheduled_bound, int(state.denominator * instance.scale * bound)


def to_plan(
    instance: Instance, result: SearchResult, kept, began: float, scheduled_bound: int
) -> Plan:
    """Turn the search's places into a validated Plan with metrics and solver figures."""
    problem = instance.problem
    assignments = tuple(
        Assignment(
            problem.sessions[session].id, problem.rooms[place[0]].id, problem.slots[place[1]].id
        )
        for session, place in sorted(enumerate(result.places), key=_grid_order)
        if place is not None
    )
    unscheduled = tuple(
        session_.id
        for session, session_ in enumerate(problem.sessions)
        if result.places[session] is None
    )
    moved = tuple(
        problem.sessions[session].id
        for session, place in enumerate(kept or ())
        if place is not None and result.places[session] != place
    )
    plan = Plan(assignments, unscheduled, moved=moved, warnings=_warnings(instance, result.places))
    broken = violations(problem, plan)
    if broken:  # a bug in the solver, never an input problem
        raise AssertionError("solver produced an invalid plan: " + "; ".join(map(str, broken)))
    figures = metrics(problem, plan)
    figures["moved"] = len(moved)
    plan.metrics.update(figures)
    plan.solver.update(_solver_figures(instance, figures, result, began, scheduled_bound))
    return plan


def _grid_order(item: tuple[int, Place | None]):
    session, place = item
    return (place[1], place[0], session) if place is not None else (0, 0, session)


def _warnings(instance: Instance, places: list[Place | None]) -> tuple[str, ...]:
    problem = instance.problem
    return tuple(
        why_unscheduled(problem, session_)
        for session, session_ in enumerate(problem.sessions)
        if places[session] is None
    )


def _solver_figures(
    instance: Instance, figures: dict, result: SearchResult, began: float, scheduled_bound: int
) -> dict:
    bound = missed_lower_bound(instance)
    proven = figures["scheduled"] == scheduled_bound and Fraction(figures["missed"]) <= bound
    return {
        "status": "OPTIMAL" if proven else "FEASIBLE",
        "seconds": round(time.monotonic() - began, 3),
        "bound": float(bound),
        "scheduled_bound": scheduled_bound,
        "gap": round(float(Fraction(figures["missed"]) - bound), 6),
        "iterations": result.iterations,
    }


def missed_lower_bound(instance: Instance) -> Fraction:
    """A lower bound on missed people for any plan, valid whatever gets scheduled.

    A voter attends at most one session per moment, so at most as many marks as there are
    pairwise disjoint slots; marks of sessions with no allowed place (for online voters: no
    allowed place in a stream room) are lost in every plan.
    """
    slots = [
        (instance.slot_start[slot], instance.slot_end[slot]) for slot in range(instance.n_slots)
    ]
    moments = max_disjoint(slots)
    lost = 0
    for group in instance.groups:
        reachable = sum(
            1
            for mark in group.marks
            if (instance.stream_places[mark] if group.online else instance.places[mark])
        )
        lost += group.weight * (len(group.marks) - min(reachable, moments))
    return Fraction(lost)
