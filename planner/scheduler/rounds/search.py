"""Local search on the exact pair figures: repeat meetings, then same-affiliation pairs.

The CP-SAT stages fix who is seated and which choices are met; the moves here keep both (a
move that would seat fewer or miss more is never taken) and change who meets whom:

- swap two people's tables in one round (free mode; within rule 3);
- move one person to another table in a round, when both tables stay within their bounds;
- swap two people across two rounds where each sits at the other's table (free mode: this
  keeps everyone's topics, which plain swaps cannot do when everybody visits every topic);
- exchange two people's whole routes (the only move in groups mode: the groups stay whole).

Simulated annealing on repeats × REPEAT_WEIGHT + same-affiliation pairs; the best seating is
kept by the exact lexicographic order.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from .instance import Instance
from .model import GROUPS
from .state import EMPTY, SeatState

REPEAT_WEIGHT = 8  # while annealing, a repeat meeting weighs as much as this many pairs
START_TEMPERATURE = 2.0
END_TEMPERATURE = 0.05
CHECK_EVERY = 256  # moves between looks at the clock


@dataclass(frozen=True)
class Target:
    """Where the search may stop: the figures no seating can beat (lower bounds)."""

    repeats: int
    same: int


class Search:
    """Annealing over a SeatState; `best` holds the best tables found."""

    def __init__(self, state: SeatState, seed: int):
        self.state = state
        self.instance: Instance = state.instance
        self.random = random.Random(seed)
        self.groups_mode = self.instance.problem.mode == GROUPS
        self.people = list(range(self.instance.n_people))
        self.best_key = state.key()
        self.best = [list(row) for row in state.table]
        self.moves = 0

    def run(self, seconds: float, target: Target) -> None:
        """Search until the time is up or the target is reached."""
        if len(self.people) < 2 or self._at(target):
            return
        began = time.monotonic()
        temperature = START_TEMPERATURE
        while True:
            for _ in range(CHECK_EVERY):
                self._step(temperature)
            elapsed = time.monotonic() - began
            if elapsed >= seconds or self._at(target):
                return
            share = elapsed / seconds
            temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE) ** share

    def _at(self, target: Target) -> bool:
        return self.best_key[2] <= target.repeats and self.best_key[3] <= target.same

    def _cost(self) -> tuple[int, int, int]:
        state = self.state
        return state.unseated, state.missed, state.repeats * REPEAT_WEIGHT + state.same

    def _step(self, temperature: float) -> None:
        before = self._cost()
        undo = self._random_move()
        if undo is None:
            return
        self.moves += 1
        after = self._cost()
        if after[:2] > before[:2] or (
            after[:2] == before[:2]
            and after[2] > before[2]
            and self.random.random() >= math.exp((before[2] - after[2]) / temperature)
        ):
            self._apply(undo)
            return
        key = self.state.key()
        if key < self.best_key:
            self.best_key = key
            self.best = [list(row) for row in self.state.table]

    def _apply(self, changes: list[tuple[int, int, int]]) -> None:
        """Set (person, round, table) changes: first unseat all, so that rule 3's
        bookkeeping never sees a person at one topic twice in between."""
        for person, round_, _ in changes:
            self.state.place(person, round_, EMPTY)
        for person, round_, table in changes:
            self.state.place(person, round_, table)

    def _random_move(self) -> list[tuple[int, int, int]] | None:
        """Make a random valid move; return the changes that undo it, or None."""
        if self.groups_mode:
            return self._exchange()
        pick = self.random.random()
        if pick < 0.45:
            return self._swap()
        if pick < 0.7:
            return self._move()
        if pick < 0.95:
            return self._double_swap()
        return self._exchange()

    def _two_people(self) -> tuple[int, int]:
        first, second = self.random.sample(self.people, 2)
        return first, second

    def _swap(self):
        first, second = self._two_people()
        round_ = self.random.randrange(self.instance.n_rounds)
        state = self.state
        here, there = state.table[first][round_], state.table[second][round_]
        if here == there or (here == EMPTY and there == EMPTY):
            return None
        if not (state.topic_free(first, round_, there) and state.topic_free(second, round_, here)):
            return None
        return self._change([(first, round_, there), (second, round_, here)])

    def _move(self):
        person = self.random.choice(self.people)
        round_ = self.random.randrange(self.instance.n_rounds)
        state, instance = self.state, self.instance
        here = state.table[person][round_]
        there = self.random.choice(instance.open_tables[round_])
        if here == EMPTY or there == here or not state.topic_free(person, round_, there):
            return None
        left, joined = state.count(round_, here) - 1, state.count(round_, there) + 1
        if left and left < instance.minimum[here]:
            return None
        if joined > instance.seats[there] or joined < instance.minimum[there]:
            return None
        return self._change([(person, round_, there)])

    def _double_swap(self):
        rounds = self.instance.n_rounds
        if rounds < 2:
            return None
        person = self.random.choice(self.people)
        one, two = self.random.sample(range(rounds), 2)
        state = self.state
        first, second = state.table[person][one], state.table[person][two]
        if first in (EMPTY, second) or second == EMPTY:
            return None
        partners = [
            other for other in state.members[one][second] if state.table[other][two] == first
        ]
        if not partners:
            return None
        other = self.random.choice(partners)
        return self._change(
            [(person, one, second), (person, two, first), (other, one, first), (other, two, second)]
        )

    def _exchange(self):
        first, second = self._two_people()
        state = self.state
        if state.table[first] == state.table[second]:
            return None
        changes = []
        for round_ in range(self.instance.n_rounds):
            changes.append((first, round_, state.table[second][round_]))
            changes.append((second, round_, state.table[first][round_]))
        return self._change(changes)

    def _change(self, changes: list[tuple[int, int, int]]) -> list[tuple[int, int, int]] | None:
        """Make the changes unless one moves a pinned person from the pin (rule 4)."""
        pins = self.instance.pins
        for person, round_, table in changes:
            pin = pins[person]
            if pin is not None and pin[0] == round_ and pin[1] != table:
                return None
        undo = [(person, round_, self.state.table[person][round_]) for person, round_, _ in changes]
        self._apply(changes)
        return undo
