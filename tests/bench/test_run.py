"""The benchmark's report and command line, without running the solver."""

from __future__ import annotations

from dataclasses import replace

from bench.baseline import greedy_plan
from bench.generate import generate
from bench.run import (
    WIDE_HEADER,
    Attempt,
    Outcome,
    format_rows,
    format_table,
    main,
    parse_args,
    table_rows,
    verdict,
    wide_cases,
    wide_header,
    wide_rows,
    wide_summary,
)
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


def test_the_target_shows_beside_the_figures_where_one_is_known():
    outcome = outcome_with(solver_missed=1010.0)
    assert outcome.target == 1016.8
    assert "1016.8" in format_table(table_rows(outcome))
    assert "target 1016.8 met" in verdict(outcome)
    other = replace(outcome, seed=3)
    assert other.target is None
    assert "target" not in verdict(other)


def test_the_widened_benchmark_reports_mean_and_worst_ratio():
    good, weak = outcome_with(solver_missed=100.0), outcome_with(solver_missed=300.0)
    baseline = good.baseline.missed
    lines = wide_summary([good, replace(weak, shape="crowded")])
    assert lines == [
        f"S  over 2 events: solver/baseline missed mean "
        f"{(100 + 300) / 2 / baseline:.3f}, worst {300 / baseline:.3f}"
    ]
    table = format_rows(WIDE_HEADER, wide_rows([good]), text_columns=(0, 1))
    assert len({len(line) for line in table.splitlines()}) == 1


def test_the_widened_cases_follow_the_command_line():
    args = parse_args(["--wide", "s,l", "--wide-seeds", "4", "--wide-shapes", "online"])
    assert wide_cases(args) == [
        ("S", "base", 4),
        ("S", "online", 0),
        ("L", "base", 4),
        ("L", "online", 0),
    ]
    assert wide_cases(parse_args(["--wide", ""])) == []


def test_a_longer_search_is_reported_as_the_share_of_people_it_saves():
    budget, longer = outcome_with(solver_missed=200.0), outcome_with(solver_missed=198.0)
    outcome = replace(budget, longer=longer.solver)
    assert outcome.longer_gain == 0.01
    assert wide_summary([outcome])[1].strip() == (
        "the longer search missed fewer people by 1.00 % on average, 1.00 % at most"
    )
    table = format_rows(wide_header(10), wide_rows([outcome]), text_columns=(0, 1))
    assert "missed at 10x" in table and "| 1.00 % |" in table
    assert len({len(line) for line in table.splitlines()}) == 1
    assert parse_args(["--longer", "10"]).longer == 10
    assert parse_args([]).longer is None
