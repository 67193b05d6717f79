"""The solver's parts: incremental figures, route splitting, table fills and bounds."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.scheduler.rounds import Seat, Seating, metrics, parse_rounds
from planner.scheduler.rounds.fill import IMPOSSIBLE, topic_fill
from planner.scheduler.rounds.instance import (
    compile_rounds,
    even_split_pairs,
    repeat_lower_bound,
    same_group_lower_bound,
)
from planner.scheduler.rounds.routes import split_routes
from planner.scheduler.rounds.state import EMPTY, SeatState

from .documents import document
from .strategies import rounds_problems


def seating_of(state: SeatState) -> Seating:
    """The state's tables as a Seating the validator can judge."""
    problem = state.instance.problem
    return Seating(
        tuple(
            Seat(person.id, problem.rounds[round_].id, problem.tables[table].id)
            for person, row in zip(problem.people, state.table, strict=True)
            for round_, table in enumerate(row)
            if table != EMPTY
        )
    )


@settings(max_examples=60, deadline=None)
@given(rounds_problems(max_people=8), st.integers(0, 1000))
def test_incremental_figures_match_the_validator(problem, seed):
    instance = compile_rounds(problem)
    state = SeatState(instance)
    rng = random.Random(seed)
    for _ in range(40):
        if not problem.people or not problem.rounds:
            break
        person = rng.randrange(len(problem.people))
        round_ = rng.randrange(len(problem.rounds))
        table = rng.choice([EMPTY, *instance.open_tables[round_]])
        if state.topic_free(person, round_, table):
            state.place(person, round_, table)
        figures = metrics(problem, seating_of(state))
        assert state.key() == (
            figures["unseated"],
            figures["missed_choices"],
            figures["repeat_meetings"] if problem.mode == "free" else state.repeats,
            figures["same_group_pairs"],
        )


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 5), st.integers(1, 6), st.integers(0, 10**6))
def test_counts_split_into_routes_exactly(topics, rounds, people, seed):
    rng = random.Random(seed)
    counts: Counter = Counter()
    for _ in range(people):  # a sum of partial matchings: degrees at most `people`
        shuffled = rng.sample(range(topics), topics), rng.sample(range(rounds), rounds)
        pairs = zip(*shuffled, strict=False)  # as many pairs as the shorter list
        counts.update(pair for pair in pairs if rng.random() < 0.8)
    routes = split_routes(dict(counts), people)
    assert len(routes) == people
    assert Counter(pair for route in routes for pair in route) == counts
    for route in routes:  # one topic at most once, one round at most once
        assert len({topic for topic, _ in route}) == len(route)
        assert len({round_ for _, round_ in route}) == len(route)


def test_a_topics_tables_reach_only_totals_within_their_bounds():
    data = document(people=30, tables=(("A", 4, 3), ("A", 6, 5), ("B", 2, 0)), rounds=1)
    instance = compile_rounds(parse_rounds(data))
    fill = topic_fill(instance, 0, 0, {})
    assert fill.reachable() == [0, 3, 4, 5, 6, 8, 9, 10]
    assert fill.split(9) == {0: 3, 1: 6} or fill.split(9) == {0: 4, 1: 5}
    assert fill.pairs[9] == min(3 + 15, 6 + 10) and fill.pairs[7] == IMPOSSIBLE
    pinned = topic_fill(instance, 0, 0, {(1, 0): 1})  # someone is pinned to the second table
    assert pinned.reachable() == [5, 6, 8, 9, 10]


def test_even_split_and_lower_bounds():
    assert even_split_pairs(14, 12) == 2 and even_split_pairs(5, 0) == 0
    assert even_split_pairs(15, 4) == 3 * 6 + 3  # 4, 4, 4, 3
    # The world café: 60 people at 4 tables of 15 in 4 rounds meet again at least 252 times.
    tables = tuple((topic, 15, 0) for topic in "ABCD")
    instance = compile_rounds(parse_rounds(document(people=60, tables=tables, rounds=4)))
    assert repeat_lower_bound(instance, 0) == 252
    data = document(people=8, tables=(("A", 4, 0), ("B", 4, 0)), rounds=1)
    for person in data["people"]:
        person["group"] = "Kassel"
    assert same_group_lower_bound(compile_rounds(parse_rounds(data)), 0) == 12  # 4 + 4
