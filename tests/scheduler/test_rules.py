"""Each hard rule in the solver's model: fix a few variables, assert feasible or infeasible."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from planner.scheduler.instance import compile_problem
from planner.scheduler.packing import build_packing
from planner.scheduler.state import State

from .events import make_problem

R1, R2, R3 = 0, 1, 2
T1, T2, T3, T4 = 0, 1, 2, 3


def feasible(problem, fixed, required=()) -> bool:
    """Tell whether the packing model admits the fixed (session, place) choices."""
    instance = compile_problem(problem)
    packing = build_packing(instance, required=list(required))
    for session, place in fixed:
        packing.fix(session, place)
    status = cp_model.CpSolver().solve(packing.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
    return status != cp_model.INFEASIBLE


def places(problem, session):
    """The places the solver may use for a session at all."""
    return set(compile_problem(problem).places[session])


def two_rooms(*sessions, per_day=3, days=1, rooms=None):
    """Two plain rooms and the given sessions."""
    rooms = rooms or [{"id": "r1"}, {"id": "r2"}]
    return make_problem(rooms=rooms, sessions=list(sessions), per_day=per_day, days=days)


def test_rule1_one_session_per_room_and_slot():
    problem = two_rooms({"id": "a"}, {"id": "b"})
    assert not feasible(problem, [(0, (R1, T1)), (1, (R1, T1))])
    assert feasible(problem, [(0, (R1, T1)), (1, (R2, T1))])
    assert feasible(problem, [(0, (R1, T1)), (1, (R1, T2))])


def test_rule1_double_session_blocks_its_second_slot():
    problem = two_rooms({"id": "a", "length": 2}, {"id": "b"})
    assert not feasible(problem, [(0, (R1, T1)), (1, (R1, T2))])
    assert feasible(problem, [(0, (R1, T1)), (1, (R1, T3))])


def test_rule2_length_needs_consecutive_slots_on_one_day():
    problem = two_rooms({"id": "a", "length": 2}, per_day=2, days=2)
    starts = {place[1] for place in places(problem, 0)}
    # t2 is the last slot of day one and t4 the last overall: a double cannot start there.
    assert starts == {T1, T3}


def test_rule3_host_not_in_two_sessions_at_once():
    problem = two_rooms({"id": "a", "hosts": ["Anna"]}, {"id": "b", "hosts": ["Bo", "Anna"]})
    assert not feasible(problem, [(0, (R1, T1)), (1, (R2, T1))])
    assert feasible(problem, [(0, (R1, T1)), (1, (R2, T2))])


def test_rule3_host_of_a_double_session_is_busy_in_both_slots():
    problem = two_rooms({"id": "a", "hosts": ["Anna"], "length": 2}, {"id": "b", "hosts": ["Anna"]})
    assert not feasible(problem, [(0, (R1, T1)), (1, (R2, T2))])
    assert feasible(problem, [(0, (R1, T1)), (1, (R2, T3))])


def test_rule3_is_per_host_not_per_team():
    # a and c share no host, so they may run together although both share one with b.
    problem = make_problem(
        rooms=[{"id": "r1"}, {"id": "r2"}, {"id": "r3"}],
        sessions=[
            {"id": "a", "hosts": ["Anna"]},
            {"id": "b", "hosts": ["Anna", "Bo"]},
            {"id": "c", "hosts": ["Bo"]},
        ],
    )
    assert feasible(problem, [(0, (R1, T1)), (2, (R2, T1)), (1, (R3, T2))])
    assert not feasible(problem, [(0, (R1, T1)), (1, (R3, T1))])
    assert not feasible(problem, [(2, (R1, T1)), (1, (R3, T1))])


def test_rule4_session_and_room_unavailability():
    problem = two_rooms(
        {"id": "a", "unavailable": ["t2"]},
        rooms=[{"id": "r1", "unavailable": ["t3"]}, {"id": "r2"}],
    )
    assert places(problem, 0) == {(R1, T1), (R2, T1), (R2, T3)}


def test_rule4_double_session_checks_every_slot_it_takes():
    problem = two_rooms({"id": "a", "length": 2, "unavailable": ["t2"]})
    assert places(problem, 0) == set()


def test_rule5_room_has_the_needs():
    problem = two_rooms(
        {"id": "a", "needs": ["stream"]},
        rooms=[{"id": "r1"}, {"id": "r2", "features": ["stream", "projector"]}],
    )
    assert {place[0] for place in places(problem, 0)} == {R2}


def test_rule6_pinned_session_has_one_place_and_must_be_placed():
    problem = two_rooms({"id": "a", "pinned": {"room": "r2", "slot": "t3"}}, {"id": "b"})
    assert places(problem, 0) == {(R2, T3)}
    assert not feasible(problem, [(1, (R2, T3))], required=[0])
    assert feasible(problem, [(1, (R1, T3))], required=[0])


def test_rule7_session_at_most_once():
    problem = two_rooms({"id": "a"})
    assert not feasible(problem, [(0, (R1, T1)), (0, (R2, T2))])


@pytest.mark.parametrize(
    ("fixed", "place", "allowed"),
    [
        ([(0, (R1, T1))], (R1, T1), False),  # rule 1: the cell is taken
        ([(0, (R1, T1))], (R2, T1), False),  # rule 3: the shared host is busy
        ([(0, (R1, T1))], (R2, T2), True),
    ],
)
def test_local_search_state_applies_the_same_rules(fixed, place, allowed):
    problem = two_rooms({"id": "a", "hosts": ["Anna"]}, {"id": "b", "hosts": ["Anna"]})
    state = State(compile_problem(problem))
    for session, fixed_place in fixed:
        state.move(session, fixed_place)
    assert state.can_place(1, place) is allowed
