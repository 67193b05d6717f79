"""The synthetic events: advertised shape, valid event@1, realistic mix, repeatable."""

from __future__ import annotations

import statistics
from collections import Counter
from functools import cache

import pytest

from bench.generate import SIZES, generate, session_cells, total_cells
from planner.scheduler import dump_event, parse_event, read_event, write_json
from planner.scheduler.problem import Problem
from planner.scheduler.rules import place_problems

# The table of the benchmark brief: sessions, rooms, slots, voters.
ADVERTISED = {
    "S": (25, 9, 3, 300),
    "M": (60, 8, 8, 250),
    "L": (150, 14, 12, 1500),
    "XL": (400, 30, 16, 8000),
    "TB": (56, 8, 8, 300),
    "TC": (311, 10, 36, 700),
}
BARCAMPS = ["S", "M", "L", "XL", "TB"]  # TC is a conference: fewer marks, other rules


@cache
def event(size: str, seed: int = 0) -> Problem:
    """Generate once per test session; XL takes a tenth of a second."""
    return generate(size, seed)


def test_the_sizes_are_the_advertised_ones():
    assert set(SIZES) == set(ADVERTISED)
    assert [spec.budget for spec in SIZES.values()] == [5.0, 15.0, 60.0, 120.0, 15.0, 30.0]


@pytest.mark.parametrize("size", ADVERTISED)
def test_counts_match_the_size(size):
    problem = event(size)
    shape = (len(problem.sessions), len(problem.rooms), len(problem.slots), len(problem.votes))
    assert shape == ADVERTISED[size]


@pytest.mark.parametrize("size", ADVERTISED)
def test_event_round_trips_through_event_json(size):
    problem = event(size)
    assert parse_event(dump_event(problem)) == problem
    assert read_event(write_json(dump_event(problem))) == problem


@pytest.mark.parametrize("size", ADVERTISED)
def test_every_session_has_a_room_with_its_needs_and_an_allowed_place(size):
    problem = event(size)
    for session_ in problem.sessions:
        assert any(session_.needs <= room.features for room in problem.rooms), session_.id
        assert any(
            not place_problems(problem, session_, room, slot.id)
            for room in problem.rooms
            for slot in problem.slots
        ), session_.id


@pytest.mark.parametrize("size", BARCAMPS)
def test_online_share_is_between_10_and_25_percent(size):
    votes = event(size).votes
    assert 0.10 <= sum(vote.online for vote in votes) / len(votes) <= 0.25


@pytest.mark.parametrize("size", ADVERTISED)
def test_the_grid_keeps_some_slack(size):
    problem = event(size)
    assert session_cells(problem) < total_cells(problem)


@pytest.mark.parametrize("size", BARCAMPS)
def test_the_mix_is_realistic(size):
    problem = event(size)
    marks = [len(vote.sessions) for vote in problem.votes]
    assert 3 <= statistics.median(marks) <= 8
    assert min(marks) >= 1
    per_session = sorted(Counter(mark for vote in problem.votes for mark in vote.sessions).values())
    assert per_session[-1] >= 2 * statistics.median(per_session)  # a heavy tail
    hosts = Counter(host for session_ in problem.sessions for host in session_.hosts)
    assert 2 in hosts.values()
    assert any(session_.length == 2 for session_ in problem.sessions)
    assert 0.2 <= sum(room.streams for room in problem.rooms) / len(problem.rooms) <= 0.45
    assert len({room.capacity for room in problem.rooms}) > 2


def test_some_sessions_and_rooms_are_sometimes_unavailable():
    problem = event("L")
    assert any(session_.unavailable for session_ in problem.sessions)
    assert any(room.unavailable for room in problem.rooms)
    assert any(session_.extra_interest for session_ in problem.sessions)


@pytest.mark.parametrize("size", ADVERTISED)
def test_pins_point_at_allowed_places(size):
    problem = event(size)
    for session_ in problem.sessions:
        if session_.pinned:
            room = problem.room_by_id[session_.pinned.room]
            assert not place_problems(problem, session_, room, session_.pinned.slot)


@pytest.mark.parametrize("size", ["S", "M", "TC"])
def test_a_fixed_seed_gives_the_same_event(size):
    assert dump_event(generate(size, 7)) == dump_event(generate(size, 7))
    assert dump_event(generate(size, 7)) != dump_event(generate(size, 8))


def test_the_tight_barcamp_has_one_spare_place():
    problem = event("TB")
    assert total_cells(problem) - session_cells(problem) == 1


def test_the_tight_conference_is_shaped_like_the_real_one():
    problem = event("TC")
    assert (total_cells(problem), session_cells(problem)) == (331, 317)
    assert {session_.length for session_ in problem.sessions} == {1, 2, 3}
    assert len({slot.start.date() for slot in problem.slots}) == 3
    assert sum(bool(room.unavailable) for room in problem.rooms) >= 3
    marks = [len(vote.sessions) for vote in problem.votes]
    assert statistics.median(marks) <= 2  # most attendees mark one or two talks
    hosts = Counter(host for session_ in problem.sessions for host in session_.hosts)
    assert max(hosts.values()) >= 3  # co-authors: host clashes
    one_day = [session_ for session_ in problem.sessions if len(session_.unavailable) >= 24]
    assert len(one_day) >= len(problem.sessions) // 3


@pytest.mark.parametrize("shape", ["crowded", "clustered", "online"])
def test_a_shape_changes_one_thing_against_the_base_event(shape):
    base, other = event("S"), generate("S", 0, shape)
    assert [session_.id for session_ in other.sessions] == [s.id for s in base.sessions]
    seats = sum(room.capacity for room in other.rooms) / sum(room.capacity for room in base.rooms)
    online = sum(vote.online for vote in other.votes) / len(other.votes)
    if shape == "crowded":
        assert seats < 0.8
    if shape == "online":
        assert online >= 0.3
    if shape == "clustered":
        assert other.votes != base.votes
    assert parse_event(dump_event(other)) == other
