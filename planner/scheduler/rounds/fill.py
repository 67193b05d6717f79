"""How many people a topic's tables can hold together in a round, and how to split them.

A topic's open tables in a round each hold nobody or between their minimum and their seats (a
table with pinned people holds at least those). Which totals the tables can reach together,
and with the fewest pairs at one table, is a small knapsack: solved once per topic and round
so that CP-SAT only sees a topic's total, with the reachable values as its domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instance import Instance

IMPOSSIBLE = -1


@dataclass(frozen=True)
class TopicFill:
    """For each total the tables can reach, the fewest pairs, and how to split it."""

    tables: tuple[int, ...]
    pairs: tuple[int, ...]  # pairs[total], IMPOSSIBLE where the total cannot be reached
    choices: tuple[dict[int, int], ...]  # choices[i][total]: people at table i for that total

    def reachable(self) -> list[int]:
        """The totals the tables can hold."""
        return [total for total, pairs in enumerate(self.pairs) if pairs != IMPOSSIBLE]

    def split(self, total: int) -> dict[int, int]:
        """People per table for a reachable total, with the fewest pairs."""
        sizes = {}
        for index in range(len(self.tables) - 1, -1, -1):
            size = self.choices[index][total]
            sizes[self.tables[index]] = size
            total -= size
        return sizes


def topic_fill(instance: Instance, topic: int, round_: int, pinned: dict) -> TopicFill:
    """The knapsack for one topic and round; `pinned[table, round]` counts pinned people."""
    tables = tuple(instance.topic_tables(topic, round_))
    best = {0: 0}
    choices = []
    for table in tables:
        options = _options(instance, table, pinned.get((table, round_), 0))
        best, chosen = _add_table(best, options, instance.n_people)
        choices.append(chosen)
    pairs = [IMPOSSIBLE] * (instance.n_people + 1)
    for total, value in best.items():
        pairs[total] = value
    return TopicFill(tables, tuple(pairs), tuple(choices))


def _options(instance: Instance, table: int, pinned: int) -> list[int]:
    least = max(instance.minimum[table], pinned, 1)
    options = list(range(least, instance.seats[table] + 1))
    return options if pinned else [0, *options]


def _add_table(best: dict[int, int], options: list[int], most: int):
    result: dict[int, int] = {}
    chosen: dict[int, int] = {}
    for total, pairs in best.items():
        for size in options:
            reached = total + size
            if reached > most:
                break
            value = pairs + size * (size - 1) // 2
            if reached not in result or value < result[reached]:
                result[reached] = value
                chosen[reached] = size
    return result, chosen
