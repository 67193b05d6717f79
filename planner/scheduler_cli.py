"""`planner solve` and `planner check`: the scheduler on event@1 and plan@1 files.

Only click is imported up front: the scheduler (OR-Tools) loads when a command runs, and
neither command ever imports Flask, SQLAlchemy or WeasyPrint.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .scheduler import Plan, Problem

EXIT_BROKEN = 1  # the plan breaks a hard rule
EXIT_INPUT = 2  # malformed or infeasible input

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("solve", short_help="Solve an event@1 file into the best plan@1 found.")
@click.argument("event_file", type=FILE)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write plan@1 here instead of to standard output.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to search (default: scaled to the event, at most 120).",
)
@click.option(
    "--keep",
    "keep_file",
    type=FILE,
    help="A previous plan@1: keep sessions where they were when possible.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel searches (default: one per core, at most two).",
)
def solve_command(
    event_file: Path,
    output: Path | None,
    time_limit: float | None,
    keep_file: Path | None,
    seed: int,
    workers: int | None,
) -> None:
    """Solve EVENT_FILE (event@1) into the best plan (plan@1) found."""
    from .scheduler import InfeasibleError, dump_plan, solve, write_json

    problem = _load_event(event_file)
    keep = _load_plan(keep_file, problem) if keep_file else None
    try:
        plan = solve(problem, time_limit=time_limit, keep=keep, seed=seed, workers=workers)
    except InfeasibleError as error:
        _fail(f"No valid plan exists for {event_file}:", error.problems)
    text = write_json(dump_plan(plan))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(summary(problem, plan), err=True)


@click.command("check", short_help="Check a plan@1 file: broken rules, quality figures.")
@click.argument("event_file", type=FILE)
@click.argument("plan_file", type=FILE)
def check_command(event_file: Path, plan_file: Path) -> None:
    """Check PLAN_FILE against EVENT_FILE: broken rules and quality figures."""
    from .scheduler import metrics, violations

    problem = _load_event(event_file)
    plan = _load_plan(plan_file, problem)
    broken = violations(problem, plan)
    figures = metrics(problem, plan)
    for violation in broken:
        click.echo(f"VIOLATION {violation}")
    click.echo(_figures_line(len(problem.sessions), figures))
    if broken:
        click.echo(f"{len(broken)} hard rule violation(s): the plan is invalid.", err=True)
        sys.exit(EXIT_BROKEN)
    click.echo("The plan is valid.", err=True)


def summary(problem: Problem, plan: Plan) -> str:
    """A few lines for people: what was scheduled, what it costs, what to look at."""
    solver = plan.solver
    lines = [
        _figures_line(len(problem.sessions), plan.metrics),
        f"Solver: {solver.get('status')} in {solver.get('seconds')} s; no plan can miss fewer "
        f"than {solver.get('bound')} people (gap {solver.get('gap')}).",
    ]
    if plan.moved:
        lines.append(f"Moved against the kept plan: {', '.join(plan.moved)}")
    lines.extend(f"Warning: {warning}" for warning in plan.warnings)
    return "\n".join(lines)


def _figures_line(total: int, figures: dict) -> str:
    share = figures.get("attendable_share", 0) * 100
    return (
        f"Scheduled {figures['scheduled']} of {total} sessions; missed "
        f"{figures['missed']} people ({figures['lost_interests']} lost interests, "
        f"{figures['overflow_people']} without a seat); {share:.1f} % of interests "
        f"attendable; fullest room at {figures.get('fullest_room', 0):.0%} of its seats."
    )


def _load_event(path: Path) -> Problem:
    from .scheduler import FormatError, read_event

    try:
        return read_event(path.read_bytes())
    except FormatError as error:
        _fail(f"{path} is not a valid event@1 file:", error.problems)


def _load_plan(path: Path, problem: Problem) -> Plan:
    from .scheduler import FormatError, read_plan

    try:
        return read_plan(path.read_bytes(), problem)
    except FormatError as error:
        _fail(f"{path} is not a valid plan@1 file for this event:", error.problems)


def _fail(headline: str, problems: list[str]):
    click.echo(headline, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(EXIT_INPUT)
