"""The solver: valid seatings, pins and closed tables honoured, surplus and infeasibility
explained, and the quality order met (checked against brute force on tiny problems)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings

from planner.scheduler import InfeasibleError
from planner.scheduler.rounds import Seat, Seating, metrics, parse_rounds, violations
from planner.scheduler.rounds.model import GROUPS
from planner.scheduler.rounds.solve import seat

from .documents import document, example
from .strategies import rounds_problems

QUICK = 0.5  # seconds: enough for these sizes to prove or come close


def solved(problem, seconds: float = QUICK) -> Seating:
    """Seat and check the seating against the validator and its own figures."""
    seating = seat(problem, time_limit=seconds, seed=1)
    assert violations(problem, seating) == []
    assert seating.metrics == metrics(problem, seating)
    return seating


def test_the_example_is_seated_fully_with_every_choice_and_the_pin():
    problem = parse_rounds(example())
    seating = solved(problem, 2.0)
    assert seating.metrics["unseated"] == 0
    assert seating.metrics["missed_choices"] == 0
    assert seating.table_of["p1", "k1"] == "c"
    assert all(seat.table != "b" for seat in seating.seats if seat.round == "k2")
    assert seating.solver["stages"] == ["OPTIMAL", "OPTIMAL"]
    bounds = seating.solver["bounds"]
    assert seating.metrics["repeat_meetings"] >= bounds["repeat_meetings"]


def test_surplus_people_are_unseated_and_the_result_says_so():
    problem = parse_rounds(document(people=9, tables=(("A", 3, 0), ("B", 3, 0)), rounds=2))
    seating = solved(problem)
    assert seating.metrics["unseated"] == 2 * (9 - 6)
    assert seating.solver["warnings"] == [
        "6 person-rounds without a table (too few seats in round r1: 6 seats for 9 people; "
        "r2: 6 seats for 9 people)"
    ]
    assert seating.solver["bounds"]["unseated"] == 6


def test_minimums_leave_a_table_empty_rather_than_too_small():
    problem = parse_rounds(document(people=5, tables=(("A", 5, 3), ("B", 5, 3)), rounds=2))
    seating = solved(problem)
    assert seating.metrics["unseated"] == 0  # 5 people: all at one table, then the other
    rounds = {seat.round for seat in seating.seats}
    assert all(len({s.table for s in seating.seats if s.round == round_}) == 1 for round_ in rounds)


def test_choices_are_met_where_seats_allow_and_the_proof_is_reported():
    data = document(people=4, tables=(("A", 2, 0), ("B", 2, 0), ("C", 4, 0)), rounds=1)
    for person in data["people"]:
        person["choices"] = ["A"]
    seating = solved(parse_rounds(data))
    assert seating.metrics == {
        "unseated": 0,
        "missed_choices": 2,
        "repeat_meetings": 0,
        "same_group_pairs": 0,
    }
    assert seating.solver["status"] == "OPTIMAL"


def test_affiliations_are_spread_over_the_tables():
    data = document(people=6, tables=(("A", 3, 0), ("A", 3, 0)), rounds=1)
    for index, person in enumerate(data["people"]):
        person["group"] = "Kassel" if index < 2 else "Fulda" if index < 4 else None
    seating = solved(parse_rounds(data))
    assert seating.metrics["same_group_pairs"] == 0
    assert seating.solver["status"] == "OPTIMAL"


def test_repeat_meetings_are_avoided_when_tables_allow():
    # 4 people, 2 rounds, two topics with two tables of 2 each: pairs can change.
    tables = (("A", 2, 0), ("A", 2, 0), ("B", 2, 0), ("B", 2, 0))
    seating = solved(parse_rounds(document(people=4, tables=tables, rounds=2)), 1.0)
    assert seating.metrics["unseated"] == 0
    assert seating.metrics["repeat_meetings"] == 0


def test_a_pin_to_a_closed_table_is_explained():
    data = example()
    data["people"][1]["pinned"] = {"round": "k2", "table": "b"}
    with pytest.raises(InfeasibleError) as caught:
        seat(parse_rounds(data), time_limit=QUICK)
    assert caught.value.problems == [
        "p2 pinned to table Tisch 2 (b) in round k2, where the table is closed: open the "
        "table in that round or release the pin"
    ]


def test_too_many_pins_and_an_unreachable_minimum_are_explained():
    data = document(people=3, tables=(("A", 1, 0), ("B", 4, 4)), rounds=1)
    data["people"][0]["pinned"] = {"round": "r1", "table": "t1"}
    data["people"][1]["pinned"] = {"round": "r1", "table": "t1"}
    data["people"][2]["pinned"] = {"round": "r1", "table": "t2"}
    with pytest.raises(InfeasibleError) as caught:
        seat(parse_rounds(data), time_limit=QUICK)
    assert len(caught.value.problems) == 2
    assert "2 people (p1, p2) pinned to table t1" in caught.value.problems[0]
    assert "cannot reach its minimum of 4" in caught.value.problems[1]


def test_pins_that_clash_on_a_topic_are_explained_by_the_solver():
    # Table t1 (topic A) needs 2 people. In r2, p2 is pinned there; p3 is pinned to t2 and
    # p1 sat at A in r1 (pinned), so nobody may join p2: rule 3 and the pins clash.
    data = document(people=3, tables=(("A", 3, 2), ("B", 3, 0)), rounds=2)
    data["people"][0]["pinned"] = {"round": "r1", "table": "t1"}
    data["people"][1]["pinned"] = {"round": "r2", "table": "t1"}
    data["people"][2]["pinned"] = {"round": "r2", "table": "t2"}
    for mode in ("free", "groups"):
        with pytest.raises(InfeasibleError) as caught:
            seat(parse_rounds({**data, "mode": mode}), time_limit=QUICK)
        assert "release a pin" in caught.value.problems[0]


def test_groups_rotate_together_through_every_table():
    tables = tuple((topic, 3, 2) for topic in "ABC")
    data = document(people=9, tables=tables, rounds=3, mode="groups")
    for index, person in enumerate(data["people"]):
        person["group"] = f"Org {index // 3}"  # three offices of three
    seating = solved(parse_rounds(data), 2.0)
    assert seating.metrics["unseated"] == 0
    routes = {}
    for seat_ in seating.seats:
        routes.setdefault(seat_.person, []).append(seat_.table)
    assert all(len(set(route)) == 3 for route in routes.values())  # every table once
    groups = {tuple(route) for route in routes.values()}
    assert len(groups) == 3  # three groups of three, each its own rotation
    assert seating.metrics["same_group_pairs"] == 0  # each office spread over the groups
    assert seating.solver["status"] == "OPTIMAL"


def test_a_pinned_person_takes_their_group_along():
    data = document(people=4, tables=(("A", 2, 0), ("B", 2, 0)), rounds=2, mode="groups")
    data["people"][3]["pinned"] = {"round": "r2", "table": "t1"}
    seating = solved(parse_rounds(data))
    assert seating.table_of["p4", "r2"] == "t1"
    assert seating.metrics["unseated"] == 0


def brute_force_best(problem) -> tuple[int, int, int, int]:
    """The lexicographically best figures over every seating (tiny problems only)."""
    places = [(person.id, round_.id) for person in problem.people for round_ in problem.rounds]
    options = [None, *(table.id for table in problem.tables)]
    best = None
    for choice in itertools.product(options, repeat=len(places)):
        seating = Seating(
            tuple(Seat(p, r, t) for (p, r), t in zip(places, choice, strict=True) if t)
        )
        if violations(problem, seating):
            continue
        figures = metrics(problem, seating)
        key = tuple(figures[name] for name in figures)
        best = key if best is None or key < best else best
    return best


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(rounds_problems(max_people=3, modes=("free",)))
def test_unseated_and_choices_are_optimal_against_brute_force(problem):
    places = len(problem.people) * len(problem.rounds)
    assume((len(problem.tables) + 1) ** places <= 4096)
    best = brute_force_best(problem)
    try:
        seating = solved(problem)
    except InfeasibleError:
        assert best is None  # nothing valid exists
        return
    figures = seating.metrics
    assert (figures["unseated"], figures["missed_choices"]) == best[:2]
    assert seating.solver["stages"] == ["OPTIMAL", "OPTIMAL"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds_problems())
def test_every_seating_is_valid_or_the_input_explained(problem):
    try:
        seating = seat(problem, time_limit=0.3, seed=0)
    except InfeasibleError as error:
        assert any(person.pinned for person in problem.people)  # only pins can clash
        assert error.problems and all(error.problems)
        return
    assert violations(problem, seating) == []
    assert seating.metrics == metrics(problem, seating)
    bounds = seating.solver["bounds"]
    assert seating.metrics["unseated"] >= bounds["unseated"]
    if bounds["missed_choices"] is not None and problem.mode != GROUPS:
        assert seating.metrics["missed_choices"] >= bounds["missed_choices"]
