"""Table rounds benchmark: `python -m bench.rounds [--events hesse,...] [--seed N] [--write DIR]`.

Three generated events (the same for the same seed): the Hesse morning of topic tables, a
world café in both modes, and a large online coffee round. Each is seated by a simple
baseline that lives here only (first choice first, fill tables in order, rotate by index) and
by the solver within the event's budget; the independent validator judges both. The exit
status is 0 only when every seating is valid and the solver's every figure is at least as
good as the baseline's and better in the lexicographic order.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from planner.scheduler import write_json
from planner.scheduler.problem import EventInfo
from planner.scheduler.rounds import (
    FREE,
    GROUPS,
    METRICS,
    Person,
    Round,
    RoundsProblem,
    Seat,
    Seating,
    Table,
    dump_rounds,
    metrics,
    violations,
)
from planner.scheduler.rounds.instance import (
    compile_rounds,
    repeat_lower_bound,
    same_group_lower_bound,
)
from planner.scheduler.rounds.solve import seat

EXIT_WORSE = 1  # a verdict failed
EXIT_INVALID = 2  # a seating broke a hard rule: a bug


@dataclass(frozen=True)
class EventSpec:
    """The shape of one benchmark event and the solver's time budget for it."""

    name: str
    title: str
    mode: str
    people: int
    topics: int
    rounds: int
    seats: tuple[int, int]  # smallest and largest table
    least: int  # each table's minimum
    choices: int  # ranked choices per person
    affiliations: int
    budget: float
    tables: int = 0  # fixed number of tables (world café), else enough per topic


EVENTS = {
    "hesse": EventSpec(
        "hesse", "Mein Digital, Dein Digital", FREE, 300, 8, 2, (6, 10), 4, 1, 30, 5.0
    ),
    "cafe-groups": EventSpec(
        "cafe-groups", "Weltcafé Harz (Gruppen)", GROUPS, 60, 4, 4, (15, 15), 10, 1, 12, 5.0, 4
    ),
    "cafe-free": EventSpec(
        "cafe-free", "Weltcafé Harz (frei)", FREE, 60, 4, 4, (15, 15), 10, 1, 12, 5.0, 4
    ),
    "coffee": EventSpec(
        "coffee", "Digitale Kaffeerunde", FREE, 1000, 12, 3, (4, 8), 3, 3, 60, 30.0
    ),
}
TOPICS = (
    "KI und Trends", "Open Data", "Bürgerbeteiligung", "Onlinezugangsgesetz", "Cloud",
    "IT-Sicherheit", "Digitale Schule", "Smart City", "Barrierefreiheit", "Verwaltung 4.0",
    "Nachhaltige IT", "Fachkräfte", "Daten teilen", "Low Code",
)  # fmt: skip
START = datetime(2026, 11, 18, 11, 0)


def generate(spec: EventSpec, seed: int, scale: float = 1.0) -> RoundsProblem:
    """The event of `spec`, with `scale` times its people (and tables to match)."""
    rng = random.Random(f"{spec.name}/{seed}")
    people_count = max(4, round(spec.people * scale))
    topics = TOPICS[: spec.topics]
    popularity = [rng.lognormvariate(0, 0.6) for _ in topics]
    rounds = tuple(
        Round(f"r{index + 1}", START + timedelta(minutes=30 * index),
              START + timedelta(minutes=30 * index + 25))
        for index in range(spec.rounds)
    )  # fmt: skip
    people = tuple(
        Person(
            f"p{index + 1}",
            _choices(rng, topics, popularity, spec.choices),
            f"Org {rng.randrange(spec.affiliations) + 1}" if rng.random() < 0.9 else None,
        )
        for index in range(people_count)
    )
    tables = _tables(rng, spec, topics, people, scale)
    event = EventInfo(spec.title, "Europe/Berlin")
    return RoundsProblem(event, spec.mode, rounds, tables, people)


def _choices(rng: random.Random, topics, popularity, count: int) -> tuple[str, ...]:
    if rng.random() < 0.1:
        return ()  # anything suits
    picked: list[str] = []
    while len(picked) < min(count, len(topics)):
        topic = rng.choices(topics, popularity)[0]
        if topic not in picked:
            picked.append(topic)
    return tuple(picked)


def _tables(rng, spec: EventSpec, topics, people, scale: float) -> tuple[Table, ...]:
    if spec.tables:
        per_table = -(-len(people) // spec.tables)
        return tuple(
            Table(f"t{index + 1}", topics[index % len(topics)], per_table,
                  min(spec.least, per_table), f"Tisch {index + 1}", f"Host {index + 1}")
            for index in range(spec.tables)
        )  # fmt: skip
    demand = dict.fromkeys(topics, 0)
    for person in people:
        for topic in person.choices[:1] or (rng.choice(topics),):
            demand[topic] += 1
    tables = []
    average = sum(spec.seats) / 2
    for topic in topics:
        # Seats for a fifth more than the first choices, and for a share of everyone, so
        # that later rounds (other topics) find room too.
        wanted = max(demand[topic] * 1.2, len(people) / len(topics) * 1.1)
        for _ in range(max(1, round(wanted / average))):
            number = len(tables) + 1
            seats = rng.randint(*spec.seats)
            tables.append(
                Table(f"t{number}", topic, seats, min(spec.least, seats), f"Tisch {number}")
            )
    return tuple(tables)


# --- the baseline ----------------------------------------------------------------------------


def baseline(problem: RoundsProblem) -> Seating:
    """Seat as one would by hand: groups rotate by index; else, round by round, each person
    in list order takes their first choice not yet visited (then any topic) at the first
    table with room. Tables left below their minimum are emptied, so the result is valid."""
    if problem.mode == GROUPS:
        return _baseline_groups(problem)
    where: dict[tuple[str, str], str] = {}
    for round_ in problem.rounds:
        tables = [table for table in problem.tables if table.open_in(round_.id)]
        taken = {table.id: 0 for table in tables}
        for person in problem.people:
            table = _first_table(problem, person, round_.id, tables, taken, where)
            if table is not None:
                where[person.id, round_.id] = table.id
                taken[table.id] += 1
        _empty_short_tables(problem, round_.id, taken, where)
    return Seating(tuple(Seat(person, round_, table) for (person, round_), table in where.items()))


def _first_table(problem, person, round_id, tables, taken, where):
    visited = {
        problem.table_by_id[table].topic
        for (someone, _), table in where.items()
        if someone == person.id
    }
    if person.pinned is not None and person.pinned.round == round_id:
        pinned = problem.table_by_id[person.pinned.table]
        return pinned if taken[pinned.id] < pinned.seats else None
    order = [*person.choices, *problem.topics]
    for topic in order:
        if topic in visited:
            continue
        for table in tables:
            if table.topic == topic and taken[table.id] < table.seats:
                return table
    return None


def _empty_short_tables(problem, round_id, taken, where) -> None:
    for table_id, count in taken.items():
        if 0 < count < problem.table_by_id[table_id].min:
            for key in [key for key, table in where.items() if key[1] == round_id]:
                if where[key] == table_id:
                    del where[key]


def _baseline_groups(problem: RoundsProblem) -> Seating:
    """Group g is the people at index g, g + G, ...; it sits at table (g + r) mod T. There
    are as many groups as tables, fewer if groups would fall below a table's minimum; who
    does not fit the smallest table sits out every round (so groups stay whole)."""
    tables_of = [
        [table for table in problem.tables if table.open_in(round_.id)] for round_ in problem.rounds
    ]
    count = min((len(tables) for tables in tables_of), default=0)
    least = max((table.min for table in problem.tables), default=0)
    if least:
        count = min(count, len(problem.people) // least)
    fits = min((table.seats for table in problem.tables), default=0)
    seats = []
    for round_index, (round_, tables) in enumerate(zip(problem.rounds, tables_of, strict=True)):
        for index, person in enumerate(problem.people[: count * fits] if count else ()):
            group = index % count
            table = tables[(group + round_index) % len(tables)]
            seats.append(Seat(person.id, round_.id, table.id))
    return Seating(tuple(seats))


# --- running and reporting -------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One event: its baseline and solver seatings, their figures, time and broken rules."""

    spec: EventSpec
    problem: RoundsProblem
    budget: float
    figures: dict[str, dict[str, int]]
    seconds: float
    broken: dict[str, list[str]]
    bounds: dict[str, int | None]

    def failures(self) -> list[str]:
        """What is wrong with this event's result (empty: it passes)."""
        found = [f"{who} breaks a hard rule" for who, broken in self.broken.items() if broken]
        solver, base = self.figures["solver"], self.figures["baseline"]
        worse = [name for name in METRICS if solver[name] > base[name]]
        if worse:
            found.append(f"solver is worse than the baseline in {', '.join(worse)}")
        ours, theirs = [solver[name] for name in METRICS], [base[name] for name in METRICS]
        if ours >= theirs and ours != list(self.bounds.values()):  # equal only where optimal
            found.append("solver is not better than the baseline")
        if self.seconds > self.budget * 1.1 + 0.5:
            found.append("solver overran its budget")
        return found


def run_event(spec: EventSpec, seed: int, scale: float, time_scale: float) -> Outcome:
    """Seat one event with the baseline and the solver, and judge both."""
    problem = generate(spec, seed, scale)
    budget = spec.budget * time_scale
    began = time.monotonic()
    solved = seat(problem, time_limit=budget, seed=seed)
    seconds = time.monotonic() - began
    base = baseline(problem)
    return Outcome(
        spec,
        problem,
        budget,
        {"baseline": metrics(problem, base), "solver": metrics(problem, solved)},
        seconds,
        {
            "baseline": [str(item) for item in violations(problem, base)],
            "solver": [str(item) for item in violations(problem, solved)],
        },
        lower_bounds(problem, solved),
    )


def lower_bounds(problem: RoundsProblem, solved: Seating) -> dict[str, int | None]:
    """What no seating can beat, as far as known: the solver's proven bounds, and the pair
    bounds of instance.py for seatings as full as the solver's."""
    bounds = dict(solved.solver.get("bounds", {}))
    instance = compile_rounds(problem)
    unseated = solved.metrics["unseated"]
    if bounds.get("unseated") == unseated and bounds.get("repeat_meetings") is None:
        if problem.mode == FREE:
            bounds["repeat_meetings"] = repeat_lower_bound(instance, unseated)
        bounds["same_group_pairs"] = same_group_lower_bound(instance, unseated)
    if problem.mode == GROUPS:
        bounds["repeat_meetings"] = 0
    return {name: bounds.get(name) for name in METRICS}


def format_table(outcomes: list[Outcome]) -> str:
    """One markdown table: each event's size, then baseline, solver and bound figures."""
    head = "| event | people × rounds | tables | | " + " | ".join(METRICS) + " | seconds |"
    lines = [head, "|" + "---|" * (len(METRICS) + 5)]
    for outcome in outcomes:
        problem = outcome.problem
        size = f"{len(problem.people)} × {len(problem.rounds)}"
        rows = (
            ("baseline", outcome.figures["baseline"], ""),
            ("solver", outcome.figures["solver"], f"{outcome.seconds:.1f} / {outcome.budget:g}"),
            ("lower bound", outcome.bounds, ""),
        )
        for label, figures, seconds in rows:
            shown = " | ".join("–" if figures[n] is None else str(figures[n]) for n in METRICS)
            first = outcome.spec.name if label == "baseline" else ""
            sized = (size, str(len(problem.tables))) if label == "baseline" else ("", "")
            lines.append(f"| {first} | {sized[0]} | {sized[1]} | {label} | {shown} | {seconds} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table and verdicts; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.rounds", description=__doc__)
    parser.add_argument("--events", default=",".join(EVENTS), help="comma-separated names")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the people")
    parser.add_argument("--time-scale", type=float, default=1.0, help="share of the budgets")
    parser.add_argument("--write", type=Path, help="write each event as rounds@1 here, too")
    args = parser.parse_args(argv)
    names = [name for name in args.events.split(",") if name]
    unknown = [name for name in names if name not in EVENTS]
    if unknown:
        parser.error(f"unknown events: {', '.join(unknown)} (known: {', '.join(EVENTS)})")
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for name in names:
            problem = generate(EVENTS[name], args.seed, args.scale)
            (args.write / f"{name}.json").write_text(write_json(dump_rounds(problem)), "utf-8")
    outcomes = [run_event(EVENTS[name], args.seed, args.scale, args.time_scale) for name in names]
    print(format_table(outcomes))
    status = 0
    for outcome in outcomes:
        failures = outcome.failures()
        print(f"{outcome.spec.name}: {'PASS' if not failures else 'FAIL: ' + '; '.join(failures)}")
        if any(outcome.broken.values()):
            status = EXIT_INVALID
        elif failures and not status:
            status = EXIT_WORSE
    return status


if __name__ == "__main__":
    sys.exit(main())
