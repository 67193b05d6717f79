"""Table rounds and their seating as plain, frozen data (see ROUNDS.md: rounds@1, seating@1).

These classes know nothing of JSON, the solver or the web app. Derived look-ups are cached
properties, computed once per (immutable) instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from ..problem import EventInfo

FREE = "free"  # everyone may sit anywhere in each round
GROUPS = "groups"  # fixed groups move together from table to table
MODES = (FREE, GROUPS)


@dataclass(frozen=True)
class Round:
    """One round; `start` and `end` are naive local times in the event's timezone."""

    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Table:
    """A table with its topic, seats besides the host, minimum and closed rounds."""

    id: str
    topic: str
    seats: int
    min: int = 0
    name: str = ""
    host: str = ""
    unavailable: frozenset[str] = frozenset()

    def open_in(self, round_id: str) -> bool:
        """Tell whether the table can hold people in the round."""
        return round_id not in self.unavailable

    @property
    def label(self) -> str:
        """The table as a message names it: its name and id."""
        return f"{self.name} ({self.id})" if self.name and self.name != self.id else self.id


@dataclass(frozen=True)
class Pin:
    """Where a pinned person must sit: a table in a round."""

    round: str
    table: str


@dataclass(frozen=True)
class Person:
    """A participant: topics in order of preference (each once), affiliation and pin."""

    id: str
    choices: tuple[str, ...] = ()
    group: str | None = None
    pinned: Pin | None = None


@dataclass(frozen=True)
class RoundsProblem:
    """A whole `rounds@1` document."""

    event: EventInfo
    mode: str
    rounds: tuple[Round, ...]
    tables: tuple[Table, ...]
    people: tuple[Person, ...]

    @cached_property
    def table_by_id(self) -> dict[str, Table]:
        """Map table ids to tables."""
        return {table.id: table for table in self.tables}

    @cached_property
    def person_by_id(self) -> dict[str, Person]:
        """Map person ids to people."""
        return {person.id: person for person in self.people}

    @cached_property
    def round_index(self) -> dict[str, int]:
        """Map round ids to their position in the chronological list."""
        return {round_.id: index for index, round_ in enumerate(self.rounds)}

    @cached_property
    def topics(self) -> tuple[str, ...]:
        """Every topic some table offers, in the order the tables list them."""
        return tuple(dict.fromkeys(table.topic for table in self.tables))

    def wanted(self, person: Person) -> tuple[str, ...]:
        """The choices that count for `missed_choices`: the first min(c, R)."""
        return person.choices[: len(self.rounds)]


@dataclass(frozen=True)
class Seat:
    """A person at a table in a round."""

    person: str
    round: str
    table: str


@dataclass(frozen=True)
class Seating:
    """A `seating@1` document: who sits where in each round, and figures.

    `metrics` and `solver` are open dictionaries because the format allows more keys there.
    """

    seats: tuple[Seat, ...]
    metrics: dict[str, Any] = field(default_factory=dict, compare=False)
    solver: dict[str, Any] = field(default_factory=dict, compare=False)

    @cached_property
    def table_of(self) -> dict[tuple[str, str], str]:
        """Map (person, round) to the table (the first entry, should there be duplicates)."""
        tables: dict[tuple[str, str], str] = {}
        for seat in self.seats:
            tables.setdefault((seat.person, seat.round), seat.table)
        return tables
