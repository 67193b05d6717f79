"""Properties on small random events: the solver's plans are valid, its bookkeeping matches
the validator exactly, and both formats round-trip."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.baseline import greedy_plan
from planner.scheduler import (
    InfeasibleError,
    dump_event,
    dump_plan,
    metrics,
    parse_event,
    parse_plan,
    solve,
    violations,
)
from planner.scheduler.explain import pin_conflicts
from planner.scheduler.instance import compile_problem
from planner.scheduler.search import SearchResult, load, propose
from planner.scheduler.search import apply as apply_step
from planner.scheduler.solve import to_plan

from . import builders
from .strategies import events

SOLVER_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
QUICK = {"time_limit": 10, "iterations": 400, "workers": 1}


@SOLVER_SETTINGS
@given(events())
def test_every_plan_passes_the_validator_or_pins_explain_why_not(problem):
    try:
        plan = solve(problem, **QUICK)
    except InfeasibleError as error:
        assert error.problems == pin_conflicts(problem) != []
        return
    assert pin_conflicts(problem) == []
    assert violations(problem, plan) == []
    assert Fraction(plan.metrics["missed"]) >= Fraction(plan.solver["bound"])
    assert plan.metrics["scheduled"] <= plan.solver["scheduled_bound"]


@SOLVER_SETTINGS
@given(events(pins=False), st.integers(0, 2**16))
def test_incremental_figures_equal_the_validator_after_random_steps(problem, seed):
    instance = compile_problem(problem)
    rng = random.Random(seed)
    start = [places[0] if places else None for places in instance.places]
    state = load(instance, [None] * instance.n_sessions)
    for session, place in enumerate(start):  # place what fits, like a careless organiser
        if place is not None and state.can_place(session, place):
            state.move(session, place)
    movable = [session for session, places in enumerate(instance.places) if places]
    for _ in range(30 if movable else 0):
        step = propose(state, rng, movable)
        if step is not None:
            apply_step(state, step)
        result = SearchResult(state.snapshot(), state.objective(), 0, [])
        plan = to_plan(instance, result, None, 0.0, instance.n_sessions)
        figures = metrics(problem, plan)
        # metrics() writes fractions rounded to 1e-6; the state's figure is exact.
        assert abs(state.missed() - Fraction(figures["missed"])) <= Fraction(1, 10**6)
        assert state.total_lost == figures["lost_interests"]


@settings(max_examples=60, deadline=None)
@given(events())
def test_event_round_trips(problem):
    assert parse_event(dump_event(problem)) == problem


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events(pins=False))
def test_plan_round_trips(problem):
    plan = solve(problem, **QUICK)
    again = parse_plan(dump_plan(plan), problem)
    assert again == plan
    assert again.metrics == plan.metrics


def test_an_unscheduled_session_takes_the_place_of_one_that_misses_more():
    """Hypothesis found it: four places for six sessions, and the solver kept the set its start
    chose (a session that overflows an empty room) where the greedy left that one out."""
    nobody, one_seat = 0, 1
    event = builders.problem(
        [
            builders.room("r0", nobody),
            builders.room("r1", one_seat, features=("stream",), unavailable=("t1",)),
            builders.room("r2", nobody, unavailable=("t1",)),
        ],
        builders.slots("t1", "t2"),
        [
            builders.talk("s0"),
            builders.talk("s1"),
            builders.talk("s2"),
            builders.talk("s3", extra_interest=1),
            builders.talk("s4", needs=("stream",)),
            builders.talk("s5", needs=("stream",), extra_interest=1),
        ],
    )
    plan = solve(event, **QUICK)
    assert plan.metrics["scheduled"] == greedy_plan(event).metrics["scheduled"] == 4
    assert plan.metrics["missed"] == 0
    assert violations(event, plan) == []


def test_a_double_session_changes_room_past_two_single_ones():
    """Hypothesis found it: the greedy streams both of an online voter's sessions only if the
    double session leaves the one stream room for the other room, whose two slots hold two
    single sessions; a swap moves one session for one, so the search needs the exchange of
    what two rooms hold at the same time."""
    event = builders.problem(
        [
            builders.room("r0", 3, features=("stream", "whiteboard"), unavailable=("t3",)),
            builders.room("r1", 5, unavailable=("t4",)),
        ],
        builders.slots("t1", "t2") + builders.slots("t3", "t4", day=1),
        [
            builders.talk("s0", hosts=("Anna", "Bo")),
            builders.talk("s1"),
            builders.talk("s2"),
            builders.talk("s3", unavailable=("t1",)),
            builders.talk("s4", length=2),
            builders.talk("s5", hosts=("Anna",), needs=("whiteboard",), length=2),
        ],
        [
            builders.vote("v0", "s1"),
            builders.vote("v1", "s2", "s0", online=True),
            builders.vote("v2", "s2", "s1"),
        ],
    )
    plan = solve(event, **QUICK)
    assert plan.metrics["scheduled"] == greedy_plan(event).metrics["scheduled"] == 5
    assert plan.metrics["missed"] == 0
    assert violations(event, plan) == []


def test_a_session_with_one_allowed_place_can_leave_the_plan_again():
    """Hypothesis found it: a double session fits only one place (the projector room's last
    two slots); once it took that place in exchange for a single session, it never gave it
    back, and a session two people marked stayed in a room of no seats."""
    event = builders.problem(
        [
            builders.room("r0", 3, features=("projector",), unavailable=("t1",)),
            builders.room("r1", 0),
        ],
        builders.slots("t1", "t2") + builders.slots("t3", "t4", day=1),
        [
            builders.talk("s0", hosts=("Anna",)),
            builders.talk("s1", unavailable=("t4",)),
            builders.talk("s2", needs=("projector",)),
            builders.talk("s3", needs=("projector",)),
            builders.talk("s4", hosts=("Anna",), length=2),
            builders.talk("s5", needs=("projector",), length=2),
        ],
        [
            builders.vote("v0", "s1"),
            builders.vote("v1", "s2", "s0", online=True),
            builders.vote("v2", "s2", "s1"),
        ],
    )
    for seed in range(4):
        plan = solve(event, **QUICK, seed=seed)
        assert plan.metrics["scheduled"] == greedy_plan(event).metrics["scheduled"] == 5
        assert plan.metrics["missed"] == 2  # the online voter: no room streams
        assert violations(event, plan) == []


@SOLVER_SETTINGS
@given(events(pins=False))
def test_never_worse_than_the_greedy_baseline(problem):
    baseline = greedy_plan(problem)
    plan = solve(problem, **QUICK)
    assert plan.metrics["scheduled"] >= baseline.metrics["scheduled"]
    if plan.metrics["scheduled"] == baseline.metrics["scheduled"]:
        assert plan.metrics["missed"] <= baseline.metrics["missed"] + 1e-6
