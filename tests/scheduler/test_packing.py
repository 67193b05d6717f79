"""Placing as many sessions as the rules allow, on small nearly full events: the solver never
schedules fewer than any construction, and as many as an exact CP-SAT packing proves best."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from ortools.sat.python import cp_model

from planner.scheduler import solve, violations
from planner.scheduler.construct import ORDERS, construct, place_by_chain, placeable
from planner.scheduler.instance import compile_problem
from planner.scheduler.packing import build_packing
from planner.scheduler.state import State

from .events import make_problem
from .strategies import tight_events

PACKING_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
QUICK = {"time_limit": 10, "iterations": 300, "workers": 1}


def constructed(problem, order: str) -> State:
    """The state one construction order gives, from an empty plan."""
    return construct(State(compile_problem(problem)), order)


def packing_optimum(problem) -> int | None:
    """The most sessions any plan can schedule, if CP-SAT proves it quickly; else None."""
    instance = compile_problem(problem)
    packing = build_packing(instance, required=[])
    packing.model.maximize(packing.scheduled())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.num_workers = 1
    if solver.solve(packing.model) != cp_model.OPTIMAL:
        return None
    return round(solver.objective_value)


@PACKING_SETTINGS
@given(tight_events())
def test_the_solver_schedules_at_least_what_every_construction_does(problem):
    plan = solve(problem, **QUICK)
    assert violations(problem, plan) == []
    for order in ORDERS:
        assert plan.metrics["scheduled"] >= constructed(problem, order).scheduled, order


@PACKING_SETTINGS
@given(tight_events())
def test_the_solver_schedules_the_proven_most(problem):
    optimum = packing_optimum(problem)
    plan = solve(problem, **QUICK)
    if optimum is not None:
        assert plan.metrics["scheduled"] == optimum
    assert plan.metrics["scheduled"] <= plan.solver["scheduled_bound"]


@PACKING_SETTINGS
@given(tight_events())
def test_every_construction_is_valid(problem):
    instance = compile_problem(problem)
    for order in ORDERS:
        state = constructed(problem, order)
        assert state.scheduled <= placeable(instance)
        plan_places = state.snapshot()
        assert all(
            place is None or place in instance.places[session]
            for session, place in enumerate(plan_places)
        )
        cells = [
            (place[0], slot)
            for session, place in enumerate(plan_places)
            if place is not None
            for slot in range(place[1], place[1] + instance.lengths[session])
        ]
        assert len(cells) == len(set(cells))


def test_a_chain_of_moves_makes_room_for_a_stranded_session():
    # One room, four slots. "long" fits only t1-t2; "a" sits in t1 and may go only to t3,
    # held by "b", which may go to the free t4. Placing "long" needs a, then b, to move.
    problem = make_problem(
        rooms=[{"id": "r1"}],
        sessions=[
            {"id": "long", "length": 2, "unavailable": ["t3", "t4"]},
            {"id": "a", "unavailable": ["t2", "t4"]},
            {"id": "b"},
        ],
        per_day=4,
    )
    instance = compile_problem(problem)
    state = State(instance)
    state.move(1, (0, 0))  # a in t1
    state.move(2, (0, 2))  # b in t3
    assert not any(state.can_place(0, place) for place in instance.places[0])
    assert place_by_chain(state, 0)
    assert state.snapshot() == [(0, 0), (0, 2), (0, 3)]


def test_no_chain_when_the_cells_are_too_few():
    # Three cells for four slot-units: a chain would only swap which session is left out.
    problem = make_problem(
        rooms=[{"id": "r1"}],
        sessions=[
            {"id": "long", "length": 2, "unavailable": ["t3"]},
            {"id": "a", "unavailable": ["t2"]},
            {"id": "b"},
        ],
        per_day=3,
    )
    instance = compile_problem(problem)
    state = State(instance)
    state.move(1, (0, 0))
    state.move(2, (0, 2))
    assert not place_by_chain(state, 0)
    assert state.snapshot() == [None, (0, 0), (0, 2)]  # everything back where it was
