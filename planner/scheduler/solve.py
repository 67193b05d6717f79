"""solve(problem) -> Plan: the pipeline from an event to its best plan found.

1. Pins alone decide feasibility (explain.py); a clash raises InfeasibleError with reasons.
2. A constructive start: pins, then the kept plan's places when re-planning, then greedy.
3. CP-SAT maximises the number of scheduled sessions when the start leaves some out.
4. Simulated annealing on the exact metric, one run per core with different seeds.
5. The best plan goes through the independent validator before anyone sees it.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from fractions import Fraction

from .construct import construct
from .errors import InfeasibleError
from .explain import pin_conflicts, why_unscheduled
from .instance import Instance, Place, compile_problem
from .packing import most_sessions
from .problem import Assignment, Plan, Problem
from .search import Improvement, SearchResult, anneal
from .state import MOVE_COST, State
from .validate import max_disjoint, metrics, violations

# (most sessions, seconds): the default time limit grows with the event so that an organiser
# waits at most 5 s for the Hesse congress and 2 minutes for a 400-session conference.
TIME_BUDGETS = ((30, 5.0), (80, 15.0), (200, 60.0))
LARGEST_BUDGET = 120.0
PACKING_SHARE = 0.25  # at most this share of the time goes to maximising the session count
FINISH_SHARE = 0.01  # of the time limit, kept for validation and metrics after the search
PACKING_MINIMUM = 2.0  # seconds: CP-SAT proves the 150-session packing in about that
WATCH_INTERVAL = 0.05  # seconds between the parent's looks at the workers' reports


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
    conflicts = pin_conflicts(problem)
    if conflicts:
        raise InfeasibleError(conflicts)
    instance = compile_problem(problem)
    kept = kept_places(instance, keep)
    costs = session_move_costs(instance, move_costs) if kept is not None else None
    state = initial_state(instance, kept, costs)
    start_missed = state.missed()
    start, scheduled_bound, packing_status = _most_sessions(instance, state, limit, seed)
    # Leave time to start the processes, validate and measure, so the whole solve keeps
    # within the limit (measured: about 0.7 s at 400 sessions and 8,000 voters).
    remaining = limit * (1 - FINISH_SHARE) - (time.monotonic() - began)
    stopped = should_stop is not None and should_stop()  # while CP-SAT packed
    if stopped:
        remaining = 0.0
    budget = SearchBudget(remaining, iterations, seed, workers or default_workers())
    watch = _Watch(began, limit, float(missed_lower_bound(instance)), progress, should_stop)
    result = _search(instance, start, Keeping(kept, costs), budget, watch)
    plan = to_plan(instance, result, kept, began, scheduled_bound)
    plan.solver.update(packing=packing_status, seed=seed, time_limit=limit)
    if kept is not None:
        # What moving bought: missed people at the kept places (new sessions added) less now.
        gain = start_missed - Fraction(plan.metrics["missed"])
        plan.solver.update(moved=len(plan.moved), gain=round(float(gain), 6))
    if stopped or result.stopped:
        plan.solver.update(stopped=True)
    return plan


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
) -> State:
    """Pins first, then kept places that are still allowed and free, then greedy for the rest."""
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
    return construct(state)


def _most_sessions(
    instance: Instance, state: State, limit: float, seed: int
) -> tuple[list[Place | None], int, str]:
    """Return a start with as many sessions as CP-SAT can place, and the proven bound."""
    start = state.snapshot()
    placeable = sum(1 for places in instance.places if places)
    if state.scheduled == placeable:
        return start, placeable, "all placeable sessions placed by construction"
    required = [
        session
        for session, session_ in enumerate(instance.problem.sessions)
        if session_.pinned is not None
    ]
    packed = most_sessions(
        instance,
        start,
        required=required,
        time_limit=max(PACKING_MINIMUM, limit * PACKING_SHARE),
        seed=seed,
        workers=default_workers(),
    )
    if packed is None:
        return start, placeable, "CP-SAT found no packing in time"
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
    """Turn the workers' improvements into Progress for the caller, best ones only."""

    def __init__(self, began: float, limit: float, bound: float, progress, should_stop):
        self.began, self.limit, self.bound = began, limit, bound
        self.progress, self.should_stop = progress, should_stop
        self.best: tuple[int, int] | None = None
        self.seconds = 0.0

    @property
    def active(self) -> bool:
        """Whether anyone listens or may ask to stop."""
        return self.progress is not None or self.should_stop is not None

    def report(self, found: Improvement) -> None:
        """Pass an improvement on if it beats every one before (from any worker)."""
        if self.progress is None or (self.best is not None and found.objective >= self.best):
            return
        self.best = found.objective
        # Reports from two workers can arrive out of order: keep the times increasing.
        self.seconds = max(self.seconds, round(found.at - self.began, 3))
        self.progress(
            Progress(
                self.seconds,
                self.limit,
                found.scheduled,
                round(found.missed, 3),
                found.attendable_share,
                self.bound,
            )
        )


# The pool's workers send improvements to the parent and read the stop flag through these,
# set when each worker process starts (multiprocessing objects pass only by inheritance).
_reports = None
_stop = None


def _start_worker(reports, stop) -> None:
    global _reports, _stop
    _reports, _stop = reports, stop


def _anneal_in_worker(instance: Instance, start: list[Place | None], **options) -> SearchResult:
    progress = _reports.put if _reports is not None else None
    stop = _stop.is_set if _stop is not None else None
    return anneal(instance, start, progress=progress, stop=stop, **options)


def _search(
    instance: Instance,
    start: list[Place | None],
    keeping: Keeping,
    budget: SearchBudget,
    watch: _Watch,
) -> SearchResult:
    """Run one annealing search per worker from the same start; keep the best."""
    options = {
        "seconds": budget.seconds,
        "kept": keeping.places,
        "move_costs": keeping.costs,
        "iterations": budget.iterations,
    }
    if budget.workers <= 1 or budget.seconds < 1.0:
        progress = watch.report if watch.progress else None
        return anneal(
            instance, start, seed=budget.seed, progress=progress, stop=watch.should_stop, **options
        )
    context = multiprocessing.get_context("fork")
    reports = context.SimpleQueue() if watch.progress else None
    stop = context.Event() if watch.should_stop else None
    with ProcessPoolExecutor(
        max_workers=budget.workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(reports, stop),
    ) as pool:
        futures = [
            pool.submit(_anneal_in_worker, instance, start, seed=budget.seed + worker, **options)
            for worker in range(budget.workers)
        ]
        if watch.active:
            _follow(futures, reports, stop, watch)
        results = [future.result() for future in futures]
    best = min(results, key=lambda result: result.objective)
    if stop is not None and stop.is_set():
        return replace(best, stopped=True)
    return best


def _follow(futures, reports, stop, watch: _Watch) -> None:
    """Until the workers finish: pass their reports on, and stop them when asked."""
    pending = set(futures)
    while pending:
        _drain(reports, watch)
        if stop is not None and not stop.is_set() and watch.should_stop():
            stop.set()
        _done, pending = wait(pending, timeout=WATCH_INTERVAL, return_when=FIRST_COMPLETED)
    _drain(reports, watch)


def _drain(reports, watch: _Watch) -> None:
    while reports is not None and not reports.empty():
        watch.report(reports.get())


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
