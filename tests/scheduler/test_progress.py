"""Progress and early stop of a solve: reports from every worker, the best plan so far.

No test here reads the clock (speed is `make bench`'s business): a stop is asked for after
an event (the search has reported and looked a few times), and a 300 s limit that a stopped
solve never reaches shows that the stop, not the limit, ended it.
"""

from __future__ import annotations

import itertools

import pytest

from bench.generate import generate
from planner.scheduler import solve, violations
from planner.scheduler.solve import Progress


@pytest.fixture(scope="module")
def problem():
    """A 60-session event: large enough that the search keeps improving for a while."""
    return generate("M", seed=3)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_reports_the_best_so_far_in_time_order(problem, workers):
    points: list[Progress] = []
    plan = solve(problem, time_limit=2.0, workers=workers, progress=points.append)
    assert points, "at least the start is reported"
    seconds = [point.seconds for point in points]
    assert seconds == sorted(seconds)
    missed = [point.missed for point in points]
    assert missed == sorted(missed, reverse=True), "only improvements are passed on"
    last = points[-1]
    assert last.time_limit == 2.0 and last.bound <= last.missed
    assert last.scheduled == plan.metrics["scheduled"]
    assert last.missed == pytest.approx(float(plan.metrics["missed"]), abs=1e-3)
    assert last.attendable_share == pytest.approx(plan.metrics["attendable_share"], abs=1e-4)
    assert "stopped" not in plan.solver


@pytest.mark.parametrize("workers", [1, 2])
def test_stop_returns_the_best_plan_so_far_early(problem, workers):
    points: list[Progress] = []
    looks = itertools.count()

    def should_stop() -> bool:
        # Asked after the search has looked a few times: an event, not a clock, so a busy
        # machine cannot make the test race its own time limit.
        return bool(points) and next(looks) >= 20

    plan = solve(
        problem, time_limit=300.0, workers=workers, progress=points.append, should_stop=should_stop
    )
    assert plan.solver["stopped"] is True  # a 300 s limit was not what ended it
    assert violations(problem, plan) == []
    assert points[-1].missed == pytest.approx(float(plan.metrics["missed"]), abs=1e-3)


def test_stop_before_the_search_returns_the_constructed_plan(problem):
    plan = solve(problem, time_limit=300.0, workers=2, should_stop=lambda: True)
    assert plan.solver["stopped"] is True
    assert violations(problem, plan) == []
