"""The world café's constructed routes: two routes share a table in at most one round, no
route visits a table twice, every table gets as many routes in each round, and the solver
seats a café at least as well as the construction."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest

from planner.scheduler.rounds import parse_rounds, violations
from planner.scheduler.rounds.instance import compile_rounds
from planner.scheduler.rounds.rotation import applies, routes
from planner.scheduler.rounds.solve import seat

from .documents import changed, document


@pytest.mark.parametrize("tables", [2, 3, 4, 5, 7, 8, 16])
def test_routes_meet_at_most_once_and_fill_every_table_alike(tables):
    rounds = min(tables, 5)
    plane = routes(tables, rounds)
    assert len(set(plane)) == tables * (tables - 1)
    for first, second in combinations(plane, 2):
        assert sum(x == y for x, y in zip(first, second, strict=True)) <= 1
    for route in plane:
        assert len(set(route)) == rounds  # never the same table twice
    for round_ in range(rounds):
        assert set(Counter(route[round_] for route in plane).values()) == {tables - 1}


def cafe(people=60, tables=4, seats=15, rounds=4):
    return document(
        people=people, tables=tuple((f"T{n}", seats, 0) for n in range(tables)), rounds=rounds
    )


def test_a_world_cafe_is_seated_at_least_as_well_as_the_routes():
    # 12 routes of 5 people: each pair on one route meets in all 4 rounds, 3 times again.
    problem = parse_rounds(cafe())
    seating = seat(problem, time_limit=0.5, seed=1)
    assert violations(problem, seating) == []
    assert seating.metrics["unseated"] == 0
    assert seating.metrics["repeat_meetings"] <= 12 * 10 * 3


def test_the_routes_step_aside_for_pins_closed_tables_and_shared_topics():
    assert applies(compile_rounds(parse_rounds(cafe())))
    assert not applies(compile_rounds(parse_rounds(cafe(tables=6))))  # 6 is no field's size
    data = cafe()
    data["tables"][1]["unavailable"] = ["r2"]
    assert not applies(compile_rounds(parse_rounds(data)))
    data = cafe()
    data["people"][0]["pinned"] = {"round": "r1", "table": "t1"}
    assert not applies(compile_rounds(parse_rounds(data)))
    shared = changed(cafe(), tables=[{**table, "topic": "A"} for table in cafe()["tables"]])
    assert not applies(compile_rounds(parse_rounds(shared)))
