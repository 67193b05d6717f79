"""A seating under change: who sits where, with the exact quality figures kept up to date.

Every change goes through `place`, which keeps the meeting counts of each pair, the
affiliations at each table and each person's topics, so that a move's effect on missed
choices, repeat meetings and same-affiliation pairs is known at once and a move can be undone
by moving back. validate.metrics recomputes the same figures from scratch (tests compare).
"""

from __future__ import annotations

from collections import defaultdict

from .instance import Instance

EMPTY = -1  # no table: the person is unseated in that round


class SeatState:
    """Tables per person and round, and what the figures need to change incrementally."""

    def __init__(self, instance: Instance):
        self.instance = instance
        n_people, n_rounds = instance.n_people, instance.n_rounds
        n_tables = len(instance.problem.tables)
        self.table = [[EMPTY] * n_rounds for _ in range(n_people)]
        self.members: list[list[set[int]]] = [
            [set() for _ in range(n_tables)] for _ in range(n_rounds)
        ]
        self.affiliations = [[defaultdict(int) for _ in range(n_tables)] for _ in range(n_rounds)]
        self.topic_round = [[EMPTY] * instance.n_topics for _ in range(n_people)]
        self.meetings: dict[int, int] = defaultdict(int)
        self.wanted = [frozenset(topics) for topics in instance.wanted]
        self.unseated = n_people * n_rounds
        self.missed = sum(len(topics) for topics in instance.wanted) + sum(instance.unoffered)
        self.repeats = 0
        self.same = 0

    def key(self) -> tuple[int, int, int, int]:
        """The quality figures in their lexicographic order."""
        return (self.unseated, self.missed, self.repeats, self.same)

    def _pair(self, first: int, second: int) -> int:
        return (
            first * self.instance.n_people + second
            if first < second
            else (second * self.instance.n_people + first)
        )

    def place(self, person: int, round_: int, table: int) -> None:
        """Seat the person at `table` in the round (EMPTY: unseated), updating the figures."""
        old = self.table[person][round_]
        if old == table:
            return
        if old != EMPTY:
            self._leave(person, round_, old)
        if table != EMPTY:
            self._join(person, round_, table)
        self.table[person][round_] = table

    def _leave(self, person: int, round_: int, table: int) -> None:
        members = self.members[round_][table]
        members.discard(person)
        for other in members:
            key = self._pair(person, other)
            times = self.meetings[key] - 1
            self.meetings[key] = times
            if times >= 1:
                self.repeats -= 1
        group = self.instance.groups[person]
        if group >= 0:
            self.affiliations[round_][table][group] -= 1
            self.same -= self.affiliations[round_][table][group]
        topic = self.instance.topic_of[table]
        self.topic_round[person][topic] = EMPTY
        self.unseated += 1
        if topic in self.wanted[person]:
            self.missed += 1

    def _join(self, person: int, round_: int, table: int) -> None:
        members = self.members[round_][table]
        for other in members:
            key = self._pair(person, other)
            times = self.meetings[key]
            self.meetings[key] = times + 1
            if times >= 1:
                self.repeats += 1
        members.add(person)
        group = self.instance.groups[person]
        if group >= 0:
            self.same += self.affiliations[round_][table][group]
            self.affiliations[round_][table][group] += 1
        topic = self.instance.topic_of[table]
        self.topic_round[person][topic] = round_
        self.unseated -= 1
        if topic in self.wanted[person]:
            self.missed -= 1

    def count(self, round_: int, table: int) -> int:
        """People at the table in the round."""
        return len(self.members[round_][table])

    def topic_free(self, person: int, round_: int, table: int) -> bool:
        """Tell whether the person may sit at the table in the round without sitting at its
        topic twice (rule 3)."""
        if table == EMPTY:
            return True
        seen = self.topic_round[person][self.instance.topic_of[table]]
        return seen in (EMPTY, round_)
