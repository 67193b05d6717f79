"""The greedy baseline: valid plans, exact bookkeeping, repeatable."""

from __future__ import annotations

from functools import cache

import pytest

from bench.baseline import Board, greedy_plan, placement_order, to_plan
from bench.generate import generate
from planner.scheduler import metrics, parse_event, violations
from planner.scheduler.formats import EVENT_FORMAT
from planner.scheduler.problem import Plan, Problem


@cache
def planned(size: str) -> tuple[Problem, Plan]:
    """Generate and plan once per test session."""
    problem = generate(size, 0)
    return problem, greedy_plan(problem)


@pytest.mark.parametrize("size", ["S", "M"])
def test_baseline_plans_are_valid_and_schedule_sessions(size):
    problem, plan = planned(size)
    assert violations(problem, plan) == []
    assert plan.metrics["scheduled"] >= 0.9 * len(problem.sessions)
    assigned = {item.session for item in plan.assignments}
    assert assigned.isdisjoint(plan.unscheduled)
    assert assigned | set(plan.unscheduled) == {session_.id for session_ in problem.sessions}


@pytest.mark.parametrize("size", ["S", "M"])
def test_the_tracked_missed_people_are_the_validators(size):
    _problem, plan = planned(size)
    assert plan.solver["tracked_missed"] == pytest.approx(plan.metrics["missed"], abs=1e-5)


def test_the_baseline_is_deterministic():
    problem, plan = planned("M")
    again = greedy_plan(problem)
    assert again == plan
    assert again.metrics == plan.metrics


def fill(board: Board, sessions: list[int]) -> None:
    """Put each session at its best free place, if it has one."""
    for session in sessions:
        best = board.best_place(session)
        if best is not None:
            board.add(session, best[1])


@pytest.mark.parametrize("size", ["S", "M"])
def test_each_predicted_increase_is_the_exact_change_in_missed(size):
    problem = generate(size, 3)
    board = Board(problem)
    order = placement_order(board)
    half = len(order) // 2
    fill(board, order[:half])  # a half-filled board: shares of 1/k with k > 1 occur
    for session in order[half : half + 4]:
        before = metrics(problem, to_plan(board, 0.0))["missed"]
        increase, place = board.best_place(session)
        board.add(session, place)
        after = metrics(problem, to_plan(board, 0.0))["missed"]
        assert before + increase / board.scale == pytest.approx(after, abs=1e-5)


def test_removing_a_session_restores_every_count():
    problem = generate("S", 1)
    board = Board(problem)
    fill(board, placement_order(board)[:10])
    missed, shares = board.missed(), [dict(share) for share in board.shares]
    session = next(session for session in placement_order(board)[10:] if board.best_place(session))
    board.add(session, board.best_place(session)[1])
    board.remove(session)
    assert board.missed() == missed
    assert [{slot: n for slot, n in share.items() if n} for share in board.shares] == [
        {slot: n for slot, n in share.items() if n} for share in shares
    ]


def tiny_event(sessions: list[dict], votes: list[dict]) -> Problem:
    """Two rooms (only the small one streams) and two slots."""
    return parse_event(
        {
            "format": EVENT_FORMAT,
            "event": {"name": "Tiny", "timezone": "Europe/Berlin"},
            "rooms": [
                {"id": "big", "capacity": 30, "features": ["projector"]},
                {"id": "small", "capacity": 5, "features": ["stream"]},
            ],
            "slots": [
                {"id": "t1", "start": "2026-11-18T13:30", "end": "2026-11-18T14:10"},
                {"id": "t2", "start": "2026-11-18T14:20", "end": "2026-11-18T15:00"},
            ],
            "sessions": [{"title": item["id"], **item} for item in sessions],
            "votes": votes,
        }
    )


def test_hosts_pins_and_needs_are_respected():
    problem = tiny_event(
        [
            {"id": "a", "hosts": ["Anna"], "pinned": {"room": "small", "slot": "t2"}},
            {"id": "b", "hosts": ["Anna"]},
            {"id": "c", "needs": ["projector"]},
        ],
        [{"voter": "v1", "sessions": ["b", "c"]}, {"voter": "v2", "sessions": ["b", "c"]}],
    )
    plan = greedy_plan(problem)
    assert violations(problem, plan) == []
    where = {item.session: (item.room, item.slot) for item in plan.assignments}
    assert where["a"] == ("small", "t2")
    assert where["b"][1] == "t1"  # Anna is busy in t2
    assert where["c"] == ("big", "t2")  # apart from b, which the same voters want
    assert plan.metrics["missed"] == 0


def test_sessions_online_voters_want_go_to_the_stream_room():
    votes = [{"voter": f"v{index}", "sessions": ["x"], "online": True} for index in range(3)]
    problem = tiny_event([{"id": "x"}], votes)
    plan = greedy_plan(problem)
    assert [(item.room, item.slot) for item in plan.assignments] == [("small", "t1")]
    assert plan.metrics["missed"] == 0


def test_a_session_with_no_allowed_place_stays_unscheduled():
    problem = tiny_event([{"id": "w", "needs": ["whiteboard"]}, {"id": "y"}], [])
    plan = greedy_plan(problem)
    assert plan.unscheduled == ("w",)
    assert violations(problem, plan) == []
