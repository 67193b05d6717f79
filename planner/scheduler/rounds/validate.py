"""The independent judge of a seating: which hard rules it breaks and how good it is.

Nothing here knows how seatings are made. It follows ROUNDS.md to the letter and is
deliberately simple, so that the solver's incremental bookkeeping can be checked against it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, permutations

from .model import GROUPS, RoundsProblem, Seat, Seating

# What each hard rule of ROUNDS.md says, for messages and the web app's explanations.
RULES = {
    0: "the seating must name known people, rounds and tables, each person once per round",
    1: "a table holds at most its seats, and nobody in a round in which it is closed",
    2: "a table that holds anybody holds at least its minimum",
    3: "nobody sits at two tables of one topic, or twice at one table",
    4: "a pinned person sits at the pinned table in the pinned round",
    5: "in groups mode, people who share a table share one in every round both sit",
}
METRICS = ("unseated", "missed_choices", "repeat_meetings", "same_group_pairs")


@dataclass(frozen=True)
class Violation:
    """One broken rule, with the people, rounds and tables involved."""

    rule: int
    message: str
    people: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"rule {self.rule} ({RULES[self.rule]}): {self.message}"


def violations(problem: RoundsProblem, seating: Seating) -> list[Violation]:
    """List every hard rule the seating breaks, in words a person understands."""
    found = list(_check_references(problem, seating))
    known = _known_seats(problem, seating)
    for check in (_rule_seats, _rule_minimum, _rule_topics, _rule_pins, _rule_groups):
        found.extend(check(problem, known))
    return found


def _known_seats(problem: RoundsProblem, seating: Seating) -> dict[tuple[str, str], str]:
    """(person, round) -> table for the entries that name known things, first one each."""
    known: dict[tuple[str, str], str] = {}
    for seat in seating.seats:
        if _names_known(problem, seat):
            known.setdefault((seat.person, seat.round), seat.table)
    return known


def _names_known(problem: RoundsProblem, seat: Seat) -> bool:
    return (
        seat.person in problem.person_by_id
        and seat.round in problem.round_index
        and seat.table in problem.table_by_id
    )


def _check_references(problem: RoundsProblem, seating: Seating) -> Iterator[Violation]:
    count = Counter((seat.person, seat.round) for seat in seating.seats)
    for seat in seating.seats:
        if not _names_known(problem, seat):
            yield Violation(
                0,
                f"entry {seat.person} → {seat.table} in {seat.round} names an unknown "
                "person, round or table",
                (seat.person,),
            )
    for (person, round_id), times in count.items():
        if times > 1:
            yield Violation(
                0, f"{person} has {times} entries in round {round_id}", (person,), (round_id,)
            )


def _by_table(known: dict[tuple[str, str], str]) -> dict[tuple[str, str], list[str]]:
    """(round, table) -> the people there."""
    people: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (person, round_id), table in known.items():
        people[round_id, table].append(person)
    return people


def _rule_seats(problem: RoundsProblem, known: dict) -> Iterator[Violation]:
    for (round_id, table_id), people in _by_table(known).items():
        table = problem.table_by_id[table_id]
        if not table.open_in(round_id):
            yield Violation(
                1,
                f"table {table.label} is closed in round {round_id} but holds {len(people)} people",
                tuple(people),
                (round_id,),
                (table_id,),
            )
        elif len(people) > table.seats:
            yield Violation(
                1,
                f"table {table.label} holds {len(people)} people in round {round_id}, "
                f"more than its {table.seats} seats",
                tuple(people),
                (round_id,),
                (table_id,),
            )


def _rule_minimum(problem: RoundsProblem, known: dict) -> Iterator[Violation]:
    for (round_id, table_id), people in _by_table(known).items():
        table = problem.table_by_id[table_id]
        if len(people) < table.min:
            yield Violation(
                2,
                f"table {table.label} holds {len(people)} people in round {round_id}, "
                f"fewer than its minimum of {table.min}",
                tuple(people),
                (round_id,),
                (table_id,),
            )


def _rule_topics(problem: RoundsProblem, known: dict) -> Iterator[Violation]:
    visits: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for (person, round_id), table_id in known.items():
        visits[person, problem.table_by_id[table_id].topic].append((round_id, table_id))
    for (person, topic), places in visits.items():
        if len(places) > 1:
            rounds = tuple(sorted((place[0] for place in places), key=problem.round_index.get))
            yield Violation(
                3,
                f"{person} sits at topic “{topic}” in {len(places)} rounds ({', '.join(rounds)})",
                (person,),
                rounds,
                tuple(dict.fromkeys(place[1] for place in places)),
            )


def _rule_pins(problem: RoundsProblem, known: dict) -> Iterator[Violation]:
    for person in problem.people:
        pin = person.pinned
        if pin is not None and known.get((person.id, pin.round)) != pin.table:
            table = problem.table_by_id[pin.table]
            yield Violation(
                4,
                f"{person.id} is pinned to table {table.label} in round {pin.round} "
                "but does not sit there",
                (person.id,),
                (pin.round,),
                (pin.table,),
            )


def _rule_groups(problem: RoundsProblem, known: dict) -> Iterator[Violation]:
    if problem.mode != GROUPS:
        return
    tables = _by_table(known)
    for first, second in permutations(problem.rounds, 2):
        for (round_id, _table_id), people in tables.items():
            if round_id != first.id:
                continue
            yield from _split_up(problem, known, people, first.id, second.id)


def _split_up(problem, known, people, first: str, second: str) -> Iterator[Violation]:
    """People together in round `first` who sit at different tables in round `second`."""
    later: dict[str, list[str]] = defaultdict(list)
    for person in people:
        if (person, second) in known:
            later[known[person, second]].append(person)
    if len(later) > 1:
        split = sorted(later.items())
        parts = "; ".join(f"{', '.join(who)} at {table}" for table, who in split)
        yield Violation(
            5,
            f"people who share a table in round {first} sit apart in round {second}: {parts}",
            tuple(person for _, who in split for person in who),
            (first, second),
            tuple(table for table, _ in split),
        )


def metrics(problem: RoundsProblem, seating: Seating) -> dict[str, int]:
    """The four quality figures of ROUNDS.md, computed from the seating alone."""
    known = _known_seats(problem, seating)
    return {
        "unseated": len(problem.people) * len(problem.rounds) - len(known),
        "missed_choices": missed_choices(problem, known),
        "repeat_meetings": repeat_meetings(problem, known),
        "same_group_pairs": same_group_pairs(problem, known),
    }


def missed_choices(problem: RoundsProblem, known: dict) -> int:
    """For each person, the first min(c, R) chosen topics they never sit at."""
    visited: dict[str, set[str]] = defaultdict(set)
    for (person, _), table_id in known.items():
        visited[person].add(problem.table_by_id[table_id].topic)
    return sum(
        1
        for person in problem.people
        for topic in problem.wanted(person)
        if topic not in visited[person.id]
    )


def repeat_meetings(problem: RoundsProblem, known: dict) -> int:
    """For each pair, the rounds they share a table beyond the first (0 in groups mode)."""
    if problem.mode == GROUPS:
        return 0
    shared: Counter[tuple[str, str]] = Counter()
    for people in _by_table(known).values():
        shared.update(combinations(sorted(people), 2))
    return sum(times - 1 for times in shared.values())


def same_group_pairs(problem: RoundsProblem, known: dict) -> int:
    """Pairs with the same non-empty affiliation at one table in one round."""
    total = 0
    for people in _by_table(known).values():
        groups = Counter(problem.person_by_id[person].group for person in people)
        total += sum(n * (n - 1) // 2 for group, n in groups.items() if group)
    return total
