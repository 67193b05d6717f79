"""A rounds problem as integer indices, and lower bounds on its quality figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .model import RoundsProblem


@dataclass(frozen=True)
class Instance:
    """Indices for the solver: people, rounds and tables by position, topics by number.

    `open_tables[r]` lists the tables open in round r; `wanted[p]` the topic numbers that count
    for p's missed choices (offered ones only) and `unoffered[p]` how many of them no table
    offers; `pins[p]` is (round, table) or None; `groups[p]` is an affiliation number or -1.
    """

    problem: RoundsProblem
    topic_of: tuple[int, ...]
    open_tables: tuple[tuple[int, ...], ...]
    wanted: tuple[tuple[int, ...], ...]
    unoffered: tuple[int, ...]
    pins: tuple[tuple[int, int] | None, ...]
    groups: tuple[int, ...]
    n_topics: int

    @property
    def n_people(self) -> int:
        """The number of people."""
        return len(self.problem.people)

    @property
    def n_rounds(self) -> int:
        """The number of rounds."""
        return len(self.problem.rounds)

    @cached_property
    def seats(self) -> tuple[int, ...]:
        """Seats per table."""
        return tuple(table.seats for table in self.problem.tables)

    @cached_property
    def minimum(self) -> tuple[int, ...]:
        """Minimum per table."""
        return tuple(table.min for table in self.problem.tables)

    def topic_tables(self, topic: int, round_: int) -> list[int]:
        """The open tables of a topic in a round."""
        return [t for t in self.open_tables[round_] if self.topic_of[t] == topic]


def compile_rounds(problem: RoundsProblem) -> Instance:
    """Index a problem for the solver."""
    topic_number = {topic: index for index, topic in enumerate(problem.topics)}
    table_index = {table.id: index for index, table in enumerate(problem.tables)}
    group_number: dict[str, int] = {}
    wanted, unoffered, pins, groups = [], [], [], []
    for person in problem.people:
        chosen = problem.wanted(person)
        wanted.append(tuple(topic_number[topic] for topic in chosen if topic in topic_number))
        unoffered.append(sum(1 for topic in chosen if topic not in topic_number))
        pin = person.pinned
        pins.append(
            None if pin is None else (problem.round_index[pin.round], table_index[pin.table])
        )
        groups.append(
            group_number.setdefault(person.group, len(group_number)) if person.group else -1
        )
    return Instance(
        problem=problem,
        topic_of=tuple(topic_number[table.topic] for table in problem.tables),
        open_tables=tuple(
            tuple(t for t, table in enumerate(problem.tables) if table.open_in(round_.id))
            for round_ in problem.rounds
        ),
        wanted=tuple(wanted),
        unoffered=tuple(unoffered),
        pins=tuple(pins),
        groups=tuple(groups),
        n_topics=len(topic_number),
    )


def even_split_pairs(people: int, places: int) -> int:
    """The fewest pairs sharing a place when `people` spread over `places` places."""
    if places <= 0:
        return 0
    share, rest = divmod(people, places)
    return rest * (share + 1) * share // 2 + (places - rest) * share * (share - 1) // 2


def seated_at_least(instance: Instance, unseated: int) -> list[int]:
    """Per round, the fewest people seated in any seating with `unseated` empty person-rounds."""
    people = instance.n_people
    capacity = [
        min(people, sum(instance.seats[t] for t in tables)) for tables in instance.open_tables
    ]
    seated = people * instance.n_rounds - unseated
    return [max(0, seated - (sum(capacity) - capacity[r])) for r in range(instance.n_rounds)]


def repeat_lower_bound(instance: Instance, unseated: int) -> int:
    """A lower bound on repeat meetings of any free-mode seating with `unseated` gaps.

    For two rounds, m people seated in both spread over the T1 × T2 pairs of their tables, so
    at least even_split_pairs(m, T1·T2) pairs share a table in both. A pair that shares k
    rounds is counted in k(k-1)/2 pairs of rounds and makes k-1 repeats, and k ≤ R: so the
    repeats are at least that sum divided by R/2.
    """
    rounds = instance.n_rounds
    seated = seated_at_least(instance, unseated)
    total = 0
    for first in range(rounds):
        for second in range(first + 1, rounds):
            both = max(0, seated[first] + seated[second] - instance.n_people)
            cells = len(instance.open_tables[first]) * len(instance.open_tables[second])
            total += even_split_pairs(both, cells)
    return -(-2 * total // rounds) if rounds else 0


def same_group_lower_bound(instance: Instance, unseated: int) -> int:
    """A lower bound on same-affiliation pairs: each affiliation spread evenly each round."""
    sizes = Counter(group for group in instance.groups if group >= 0)
    seated = seated_at_least(instance, unseated)
    total = 0
    for round_, tables in enumerate(instance.open_tables):
        absent = instance.n_people - seated[round_]
        for size in sizes.values():
            total += even_split_pairs(max(0, size - absent), len(tables))
    return total
