"""The benchmark's report and command line, without running the solver."""

from __future__ import annotations

from bench.baseline import greedy_plan
from bench.generate import generate
from bench.run import Attempt, Outcome, format_table, main, table_rows, verdict
from planner.scheduler import Plan, read_event


def outcome_with(solver_missed: float, seconds: float = 1.0) -> Outcome:
    """An S outcome whose 'solver' is the baseline's plan with its missed people changed."""
    problem = generate("S", 0)
    plan = greedy_plan(problem)
    better = Plan(plan.assignments, plan.unscheduled, metrics={**plan.metrics})
    better.metrics["missed"] = solver_missed
    return Outcome("S", problem, 5.0, Attempt(better, seconds, ()), Attempt(plan, 0.01, ()))


def test_a_better_plan_in_time_passes():
    outcome = outcome_with(solver_missed=100.0)
    assert outcome.failures() == []
    assert verdict(outcome).startswith("S  PASS")


def test_no_gain_or_overrun_fails():
    same = outcome_with(solver_missed=greedy_plan(generate("S", 0)).metrics["missed"])
    assert "solver is not better than the baseline" in same.failures()
    slow = outcome_with(solver_missed=100.0, seconds=9.0)
    assert slow.failures() == ["solver overran its budget"]
    assert "FAIL" in verdict(slow)


def test_the_table_is_aligned_markdown():
    outcome = outcome_with(solver_missed=100.0)
    lines = format_table(table_rows(outcome)).splitlines()
    assert len(lines) == 4  # header, rule, solver, baseline
    assert len({len(line) for line in lines}) == 1
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    assert str(outcome.trivial_bound) in lines[2]


def test_write_puts_valid_event_files(tmp_path, capsys):
    assert main(["--write", str(tmp_path), "--sizes", "S,m"]) == 0
    paths = sorted(tmp_path.iterdir())
    assert [path.name for path in paths] == ["bench-M-seed0.json", "bench-S-seed0.json"]
    assert len(read_event(paths[1].read_text(encoding="utf-8")).sessions) == 25
    assert str(paths[0]) in capsys.readouterr().out
