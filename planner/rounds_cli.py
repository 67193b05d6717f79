"""`planner seat` and `planner check-seating`: table rounds on the command line.

Exit codes as for `planner solve` and `planner check`: 0 fine, 1 the seating breaks a hard
rule, 2 malformed or infeasible input. The lead registers both commands on `planner`; they
import only click and the scheduler, so they start without Flask.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .scheduler import FormatError, InfeasibleError, PlannerError, write_json
from .scheduler.rounds import (
    RoundsProblem,
    Seating,
    dump_seating,
    metrics,
    read_rounds,
    read_seating,
    violations,
)
from .scheduler.rounds.solve import seat

EXIT_BROKEN = 1  # the seating breaks a hard rule
EXIT_INPUT = 2  # malformed or infeasible input

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("seat")
@click.argument("rounds_file", type=FILE)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write seating@1 here instead of to standard output.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to search (default: scaled to the rounds, 5 s for 300 people).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
def seat_command(rounds_file: Path, output: Path | None, time_limit, seed: int) -> None:
    """Seat ROUNDS_FILE (rounds@1): the best seating (seating@1) found."""
    problem = _load_rounds(rounds_file)
    try:
        seating = seat(problem, time_limit=time_limit, seed=seed)
    except InfeasibleError as error:
        _fail(f"No valid seating exists for {rounds_file}:", error.problems)
    except PlannerError as error:
        _fail(f"No seating found for {rounds_file}:", error.problems)
    text = write_json(dump_seating(seating))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(summary(problem, seating), err=True)


@click.command("check-seating")
@click.argument("rounds_file", type=FILE)
@click.argument("seating_file", type=FILE)
def check_seating_command(rounds_file: Path, seating_file: Path) -> None:
    """Check SEATING_FILE against ROUNDS_FILE: broken rules and quality figures."""
    problem = _load_rounds(rounds_file)
    try:
        seating = read_seating(seating_file.read_bytes(), problem)
    except FormatError as error:
        _fail(f"{seating_file} is not a valid seating@1 file for these rounds:", error.problems)
    broken = violations(problem, seating)
    for violation in broken:
        click.echo(f"VIOLATION {violation}")
    click.echo(figures_line(problem, metrics(problem, seating)))
    if broken:
        click.echo(f"{len(broken)} hard rule violation(s): the seating is invalid.", err=True)
        sys.exit(EXIT_BROKEN)
    click.echo("The seating is valid.", err=True)


def summary(problem: RoundsProblem, seating: Seating) -> str:
    """A few lines for people: the figures, how sure the solver is, and warnings."""
    solver = seating.solver
    bounds = solver.get("bounds", {})
    known = ", ".join(f"{name} {value}" for name, value in bounds.items() if value is not None)
    lines = [
        figures_line(problem, seating.metrics),
        f"Solver: {solver.get('status')} in {solver.get('seconds')} s; lower bounds: {known}.",
    ]
    lines.extend(f"Warning: {warning}" for warning in solver.get("warnings", []))
    return "\n".join(lines)


def figures_line(problem: RoundsProblem, figures: dict) -> str:
    """The four quality figures in one sentence."""
    places = len(problem.people) * len(problem.rounds)
    return (
        f"Seated {places - figures['unseated']} of {places} person-rounds; "
        f"{figures['missed_choices']} missed choices, {figures['repeat_meetings']} repeat "
        f"meetings, {figures['same_group_pairs']} same-affiliation pairs."
    )


def _load_rounds(path: Path) -> RoundsProblem:
    try:
        return read_rounds(path.read_bytes())
    except FormatError as error:
        _fail(f"{path} is not a valid rounds@1 file:", error.problems)


def _fail(headline: str, problems: list[str]):
    click.echo(headline, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(EXIT_INPUT)
