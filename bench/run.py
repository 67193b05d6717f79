"""Run the benchmark: `python -m bench.run [--sizes S,M,L,XL,TB,TC] [--seed N] [--time-scale F]
[--wide S,M,L] [--wide-seeds 1,2] [--wide-shapes crowded,clustered] [--longer F]`.

For each size it generates the synthetic event, plans it with the greedy baseline and with the
solver (within the size's time budget), judges both plans with the independent validator and
prints one table (with the best plan known for the event, where there is one), then a verdict
per size. The widened benchmark then plans events of the `--wide` sizes with other seeds and
shapes and reports, per size, the mean and the worst ratio of the solver's missed people to
the baseline's; with `--longer 10` it solves each of them again with ten times the budget
and reports how many fewer people that plan misses. The exit status is 0 only when every
plan is valid and the solver beats the baseline within its budget everywhere.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from planner.scheduler import dump_event, solve, violations, write_json
from planner.scheduler.problem import Plan, Problem

from .baseline import greedy_plan
from .generate import SHAPES, SIZES, generate

TIME_SLACK = 0.10  # share of the budget allowed on top, for starting worker processes
LEAST_SLACK = 0.5  # seconds, so that tiny budgets (--time-scale 0.1) are not judged on noise
EXIT_WORSE = 1  # a verdict failed
EXIT_INVALID = 2  # a plan broke a hard rule: a bug, worse than a slow or weak plan
# Missed people in the best plans known for these events, found by searches far longer than
# the budget on 2 cores (bench/targets/: the plans, and how they were found).
TARGETS = {("S", "base", 0): 1016.8, ("L", "base", 0): 1442.5}


@dataclass(frozen=True)
class Attempt:
    """One planner's plan for one event, how long it took and what rules it broke."""

    plan: Plan
    seconds: float
    broken: tuple[str, ...]

    @property
    def scheduled(self) -> int:
        """Sessions scheduled."""
        return self.plan.metrics["scheduled"]

    @property
    def missed(self) -> float:
        """FORMAT.md's missed people."""
        return self.plan.metrics["missed"]


@dataclass(frozen=True)
class Outcome:
    """Both planners' attempts at one size, with the size's budget and the lower bounds."""

    size: str
    problem: Problem
    limit: float
    solver: Attempt
    baseline: Attempt
    shape: str = "base"
    seed: int = 0
    longer: Attempt | None = None  # the solver again with `--longer` times the budget

    @property
    def longer_gain(self) -> float | None:
        """How much fewer people the longer search missed, as a share of the budget's."""
        if self.longer is None or not self.solver.missed:
            return None
        return (self.solver.missed - self.longer.missed) / self.solver.missed

    @property
    def target(self) -> float | None:
        """Missed people in the best plan known for this event, if any."""
        return TARGETS.get((self.size, self.shape, self.seed))

    @property
    def ratio(self) -> float:
        """The solver's missed people over the baseline's (smaller is better)."""
        return self.solver.missed / self.baseline.missed if self.baseline.missed else 1.0

    @property
    def trivial_bound(self) -> int:
        """Marks beyond the number of slots, which no plan lets anyone attend."""
        slots = len(self.problem.slots)
        return sum(max(0, len(vote.sessions) - slots) for vote in self.problem.votes)

    @property
    def improvement(self) -> float:
        """How many percent fewer people the solver's plan misses than the baseline's."""
        if not self.baseline.missed:
            return 0.0
        return 100 * (self.baseline.missed - self.solver.missed) / self.baseline.missed

    @property
    def allowed_seconds(self) -> float:
        """The solver's time budget plus slack for starting processes."""
        return self.limit + max(TIME_SLACK * self.limit, LEAST_SLACK)

    def failures(self) -> list[str]:
        """What keeps this size from passing (empty when it passes)."""
        found = [f"{name} plan is INVALID" for name, attempt in self.attempts() if attempt.broken]
        # FORMAT.md's order: more sessions first; with as many, strictly fewer missed people.
        if (self.solver.scheduled, -self.solver.missed) <= (
            self.baseline.scheduled,
            -self.baseline.missed,
        ):
            found.append("solver is not better than the baseline")
        if self.solver.seconds > self.allowed_seconds:
            found.append("solver overran its budget")
        return found

    def attempts(self) -> list[tuple[str, Attempt]]:
        """The two attempts with their names."""
        return [("solver", self.solver), ("baseline", self.baseline)]


# --- running -------------------------------------------------------------------------------


def run_size(
    size: str,
    seed: int,
    time_scale: float,
    workers: int | None,
    shape: str = "base",
    longer: float | None = None,
) -> Outcome:
    """Generate one size, plan it both ways and judge both plans (with `longer`, solve it
    once more with that many times the budget)."""
    problem = generate(size, seed, shape)
    limit = SIZES[size].budget * time_scale
    label = size if shape == "base" and seed == 0 else f"{size} {shape} seed {seed}"
    _progress(f"{label:<2}  {_shape(problem)}: baseline … ")
    baseline = _attempt(problem, greedy_plan)
    _progress(f"{baseline.seconds:.1f} s, solver ({limit:g} s) … ")
    solver = _attempt(
        problem, lambda event: solve(event, time_limit=limit, seed=seed, workers=workers)
    )
    _progress(f"{solver.seconds:.1f} s")
    again = None
    if longer:
        _progress(f", again ({limit * longer:g} s) … ")
        again = _attempt(
            problem,
            lambda event: solve(event, time_limit=limit * longer, seed=seed, workers=workers),
        )
        _progress(f"{again.seconds:.1f} s")
    _progress("\n")
    return Outcome(size, problem, limit, solver, baseline, shape, seed, again)


def _attempt(problem: Problem, planner) -> Attempt:
    """Time one planner and validate its plan independently."""
    began = time.monotonic()
    plan = planner(problem)
    seconds = time.monotonic() - began
    return Attempt(plan, seconds, tuple(str(violation) for violation in violations(problem, plan)))


def _shape(problem: Problem) -> str:
    return (
        f"{len(problem.sessions)} sessions, {len(problem.rooms)} rooms, "
        f"{len(problem.slots)} slots, {len(problem.votes)} voters"
    )


def _progress(text: str) -> None:
    """Progress goes to stderr so that stdout holds only the report."""
    sys.stderr.write(text)
    sys.stderr.flush()


def write_events(directory: Path, sizes: list[str], seed: int) -> list[Path]:
    """Write the events of these sizes as event@1 files; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in sizes:
        path = directory / f"bench-{size}-seed{seed}.json"
        path.write_text(write_json(dump_event(generate(size, seed))), encoding="utf-8")
        paths.append(path)
    return paths


# --- reporting -----------------------------------------------------------------------------

HEADER = (
    "size", "sessions", "rooms", "slots", "voters", "plan", "scheduled", "lost", "overflow",
    "missed", "time s", "bound", "trivial bound", "target", "vs baseline",
)  # fmt: skip


LEGEND = (
    "missed = lost + overflow, in people (FORMAT.md); bound = the solver's lower bound on missed;"
    "\ntrivial bound = marks beyond the number of slots; target = missed in the best plan known"
    " (minutes-long searches);\nvs baseline = % fewer missed than the baseline."
)


def table_rows(outcome: Outcome) -> list[tuple[str, ...]]:
    """Two rows per size: the solver's (with bounds and improvement), then the baseline's."""
    problem = outcome.problem
    shape = (
        outcome.size,
        str(len(problem.sessions)),
        str(len(problem.rooms)),
        str(len(problem.slots)),
        str(len(problem.votes)),
    )
    bound = _people(outcome.solver.plan.solver.get("bound"))
    target = _people(outcome.target)
    extra = (bound, str(outcome.trivial_bound), target, f"{outcome.improvement:+.1f} %")
    return [
        (*shape, "solver", *_figures(outcome.solver), *extra),
        (*[""] * len(shape), "baseline", *_figures(outcome.baseline), *[""] * len(extra)),
    ]


def _figures(attempt: Attempt) -> tuple[str, ...]:
    metrics = attempt.plan.metrics
    return (
        str(metrics["scheduled"]),
        _people(metrics["lost_interests"]),
        _people(metrics["overflow_people"]),
        _people(metrics["missed"]),
        f"{attempt.seconds:.2f}",
    )


def _people(value) -> str:
    """People counts with one decimal, whole numbers without."""
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def format_table(rows: list[tuple[str, ...]]) -> str:
    """An aligned plain-text table that is also a Markdown table."""
    return format_rows(HEADER, rows, text_columns=(0, 5))  # size and plan are text


def format_rows(header, rows, text_columns=(0,)) -> str:
    """An aligned plain-text table that is also a Markdown table, of any columns."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    numeric = [index not in text_columns for index in range(len(header))]

    def line(cells) -> str:
        padded = (
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (width + 1) + (":" if right else "-")
            for width, right in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def verdict(outcome: Outcome) -> str:
    """One line saying whether the solver beat the baseline at this size, and how."""
    solver, baseline = outcome.solver, outcome.baseline
    failures = outcome.failures()
    target = outcome.target
    reached = ""
    if target is not None:
        reached = f", target {_people(target)} {'met' if solver.missed <= target else 'not met'}"
    return (
        f"{outcome.size:<2} {'FAIL' if failures else 'PASS'}: "
        f"scheduled {solver.scheduled} vs {baseline.scheduled}, "
        f"missed {_people(solver.missed)} vs {_people(baseline.missed)} "
        f"({outcome.improvement:+.1f} %), "
        f"{solver.seconds:.1f} s of {outcome.allowed_seconds:.1f} s allowed{reached}"
        + (" — " + "; ".join(failures) if failures else "")
    )


WIDE_HEADER = ("size", "shape", "seed", "scheduled", "missed", "baseline", "ratio", "time s")


def wide_header(longer: float | None) -> tuple[str, ...]:
    """The widened table's columns; with `--longer`, also the longer search's result."""
    if not longer:
        return WIDE_HEADER
    return (*WIDE_HEADER, f"missed at {longer:g}x", "gain")


def wide_rows(outcomes: list[Outcome]) -> list[tuple[str, ...]]:
    """One row per event of the widened benchmark."""
    rows = []
    for outcome in outcomes:
        row = (
            outcome.size,
            outcome.shape,
            str(outcome.seed),
            f"{outcome.solver.scheduled} vs {outcome.baseline.scheduled}",
            _people(outcome.solver.missed),
            _people(outcome.baseline.missed),
            f"{outcome.ratio:.3f}",
            f"{outcome.solver.seconds:.2f}",
        )
        if outcome.longer is not None:
            row += (_people(outcome.longer.missed), f"{100 * (outcome.longer_gain or 0):.2f} %")
        rows.append(row)
    return rows


def wide_summary(outcomes: list[Outcome]) -> list[str]:
    """Per size: the mean and the worst ratio of solver to baseline missed people."""
    lines = []
    for size in dict.fromkeys(outcome.size for outcome in outcomes):
        ratios = [outcome.ratio for outcome in outcomes if outcome.size == size]
        lines.append(
            f"{size:<2} over {len(ratios)} events: solver/baseline missed mean "
            f"{sum(ratios) / len(ratios):.3f}, worst {max(ratios):.3f}"
        )
        gains = [
            outcome.longer_gain
            for outcome in outcomes
            if outcome.size == size and outcome.longer_gain is not None
        ]
        if gains:
            mean = 100 * sum(gains) / len(gains)
            lines.append(
                f"{'':<2} the longer search missed fewer people by {mean:.2f} % on average,"
                f" {100 * max(gains):.2f} % at most"
            )
    return lines


def report_invalid(outcome: Outcome) -> None:
    """Shout every broken rule; an invalid plan is a bug, not a weak result."""
    for name, attempt in outcome.attempts():
        for message in attempt.broken:
            print(f"!!! INVALID {name} plan at size {outcome.size}: {message}", file=sys.stderr)


# --- command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, e.g. S,M")
    parser.add_argument("--seed", type=int, default=0, help="event and solver seed")
    parser.add_argument(
        "--time-scale", type=float, default=1.0, help="multiply every time budget by this"
    )
    parser.add_argument("--workers", type=int, default=None, help="solver's parallel searches")
    parser.add_argument(
        "--wide", default="S,M,L", help="sizes of the widened benchmark ('' for none)"
    )
    parser.add_argument("--wide-seeds", default="1,2", help="its seeds of the base shape")
    parser.add_argument(
        "--wide-shapes",
        default="crowded,clustered",
        help=f"its other shapes at seed 0, from {', '.join(SHAPES)}",
    )
    parser.add_argument(
        "--longer",
        type=float,
        default=None,
        metavar="F",
        help="also solve each widened event with F times its budget and report the gain",
    )
    parser.add_argument(
        "--write", type=Path, metavar="DIR", help="only write the events as event@1 files to DIR"
    )
    args = parser.parse_args(argv)
    args.sizes = _names(args.sizes, upper=True)
    args.wide = _names(args.wide, upper=True)
    unknown = [size for size in args.sizes + args.wide if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    args.wide_shapes = _names(args.wide_shapes)
    if any(shape not in SHAPES for shape in args.wide_shapes) or "TC" in args.wide:
        parser.error(f"shapes are {', '.join(SHAPES)}, for every size but TC")
    try:
        args.wide_seeds = [int(seed) for seed in _names(args.wide_seeds)]
    except ValueError:
        parser.error("--wide-seeds takes whole numbers, e.g. 1,2")
    if args.time_scale <= 0:
        parser.error("--time-scale must be positive")
    return args


def _names(text: str, upper: bool = False) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    return [name.upper() for name in names] if upper else names


def wide_cases(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    """(size, shape, seed) of every event of the widened benchmark."""
    return [
        (size, shape, seed)
        for size in args.wide
        for shape, seed in [("base", seed) for seed in args.wide_seeds]
        + [(shape, 0) for shape in args.wide_shapes]
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or write its events) and return the exit status."""
    args = parse_args(argv)
    if args.write:
        for path in write_events(args.write, args.sizes, args.seed):
            print(path)
        return 0
    outcomes = [run_size(size, args.seed, args.time_scale, args.workers) for size in args.sizes]
    wide = [
        run_size(size, seed, args.time_scale, args.workers, shape, args.longer)
        for size, shape, seed in wide_cases(args)
    ]
    print()
    print(format_table([row for outcome in outcomes for row in table_rows(outcome)]))
    print(LEGEND)
    print()
    for outcome in outcomes:
        report_invalid(outcome)
        print(verdict(outcome))
    if wide:
        print("\nWidened benchmark: other seeds and shapes (ratio = solver / baseline missed)\n")
        print(format_rows(wide_header(args.longer), wide_rows(wide), text_columns=(0, 1)))
        print()
        for line in wide_summary(wide):
            print(line)
        for outcome in wide:
            report_invalid(outcome)
            if outcome.failures():
                print(verdict(outcome))
    outcomes += wide
    if any(attempt.broken for outcome in outcomes for _, attempt in outcome.attempts()):
        return EXIT_INVALID
    return EXIT_WORSE if any(outcome.failures() for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
