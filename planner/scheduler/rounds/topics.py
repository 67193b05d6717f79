"""CP-SAT for the first two quality figures in free mode: who sits at which topic when.

Rule 3 is about topics, so it holds person by topic; which of a topic's tables a person takes
only matters for the pair figures, left to the local search. People of one kind (the same
counted choices, no pin) are interchangeable here, so the model counts them: `count[kind,
topic, round]`, at most the kind's size per round and per topic; routes.py turns the counts
back into one route per person, exactly. This keeps the model small and free of the
symmetry that makes CP-SAT wander. A topic's people in a round fill some of its open tables,
each used one between its minimum and its seats.

Three solves, each keeping the previous optimum: most person-rounds seated, most choices met,
then fewest pairs at one table (people spread over the tables: the fewer meet, the fewer meet
twice or come from one office; a heuristic, the local search judges the exact figures).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .hint import best_hint
from .instance import Instance
from .routes import split_routes


@dataclass(frozen=True)
class Kind:
    """People with the same counted choices and pin (a pinned person is a kind alone)."""

    people: tuple[int, ...]
    wanted: frozenset[int]
    pin: tuple[int, int] | None


def kinds_of(instance: Instance) -> list[Kind]:
    """Group the people into kinds."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for person in range(instance.n_people):
        pin = instance.pins[person]
        key = (frozenset(instance.wanted[person]), pin, person if pin else -1)
        groups[key].append(person)
    return [Kind(tuple(people), key[0], key[1]) for key, people in groups.items()]


@dataclass
class TopicModel:
    """`size[i, k, r]`: people of kind i at topic k in round r; `count[t, r]`: people at
    table t in round r."""

    model: cp_model.CpModel
    kinds: list[Kind]
    size: dict[tuple[int, int, int], cp_model.IntVar]
    count: dict[tuple[int, int], cp_model.IntVar]
    used: dict[tuple[int, int], cp_model.IntVar]
    pairs: dict[tuple[int, int], cp_model.IntVar]

    def seated(self) -> cp_model.LinearExpr:
        """Person-rounds with a table."""
        return sum(self.size.values())

    def hits(self) -> cp_model.LinearExpr:
        """Counted choices met (each topic is visited at most once, so a sum suffices)."""
        return sum(
            variable
            for (kind, topic, _), variable in self.size.items()
            if topic in self.kinds[kind].wanted
        )

    def meetings(self) -> cp_model.LinearExpr:
        """Pairs of people at one table in one round, over all tables and rounds."""
        return sum(self.pairs.values())

    def hint(self, sizes: dict, counts: dict) -> None:
        """Start the next solve from these values."""
        self.model.clear_hints()
        for key, variable in self.size.items():
            self.model.add_hint(variable, sizes.get(key, 0))
        for key, variable in self.count.items():
            taken = counts.get(key, 0)
            self.model.add_hint(variable, taken)
            self.model.add_hint(self.used[key], int(taken > 0))
            self.model.add_hint(self.pairs[key], taken * (taken - 1) // 2)


@dataclass(frozen=True)
class StageResult:
    """What one solve found: status, objective, proven bound and the values (empty when
    nothing was found: INFEASIBLE, or UNKNOWN when time ran out)."""

    status: str
    value: int
    bound: int
    size: dict[tuple[int, int, int], int]
    count: dict[tuple[int, int], int]


def build_topic_model(instance: Instance) -> TopicModel:
    """State rules 1 to 4 on kinds, topics and table counts."""
    model = cp_model.CpModel()
    kinds = kinds_of(instance)
    size = {}
    for round_, tables in enumerate(instance.open_tables):
        offered = sorted({instance.topic_of[t] for t in tables})
        for index, kind in enumerate(kinds):
            for topic in offered:
                size[index, topic, round_] = model.new_int_var(
                    0, len(kind.people), f"kind{index}_k{topic}_r{round_}"
                )
    _add_once(model, kinds, size)
    count, used = _add_tables(model, instance, size)
    _add_pins(model, instance, kinds, size, count)
    return TopicModel(model, kinds, size, count, used, _add_pairs(model, instance, count))


def _add_once(model: cp_model.CpModel, kinds: list[Kind], size: dict) -> None:
    per_round, per_topic = defaultdict(list), defaultdict(list)
    for (kind, topic, round_), variable in size.items():
        per_round[kind, round_].append(variable)
        per_topic[kind, topic].append(variable)
    for (kind, _), variables in per_round.items():
        model.add(sum(variables) <= len(kinds[kind].people))
    for (kind, _), variables in per_topic.items():
        model.add(sum(variables) <= len(kinds[kind].people))  # rule 3


def _add_tables(model: cp_model.CpModel, instance: Instance, size: dict):
    count, used_at = {}, {}
    people = defaultdict(list)
    for (_, topic, round_), variable in size.items():
        people[topic, round_].append(variable)
    for round_, tables in enumerate(instance.open_tables):
        for table in tables:
            used = model.new_bool_var(f"used_t{table}_r{round_}")
            most = min(instance.seats[table], instance.n_people)
            seated = model.new_int_var(0, most, f"count_t{table}_r{round_}")
            model.add(seated >= instance.minimum[table]).only_enforce_if(used)  # rule 2
            model.add(seated == 0).only_enforce_if(~used)
            count[table, round_] = seated
            used_at[table, round_] = used
        for topic in {instance.topic_of[t] for t in tables}:
            sizes = [count[t, round_] for t in tables if instance.topic_of[t] == topic]
            model.add(sum(people[topic, round_]) == sum(sizes))  # rule 1 through the counts
    return count, used_at


def _add_pins(model, instance: Instance, kinds: list[Kind], size: dict, count: dict) -> None:
    pinned: dict[tuple[int, int], int] = defaultdict(int)
    for index, kind in enumerate(kinds):
        if kind.pin is None:
            continue
        round_, table = kind.pin
        variable = size.get((index, instance.topic_of[table], round_))
        if variable is None or (table, round_) not in count:
            model.add_bool_or([])  # pinned to a closed table: explain.py says so first
            return
        model.add(variable == 1)
        pinned[table, round_] += 1
    for (table, round_), people in pinned.items():
        model.add(count[table, round_] >= people)  # rule 4


def _add_pairs(model: cp_model.CpModel, instance: Instance, count: dict) -> dict:
    """Pairs per table and round, n(n-1)/2 of its count, as a table of values."""
    pairs = {}
    for (table, round_), seated in count.items():
        most = min(instance.seats[table], instance.n_people)
        values = [n * (n - 1) // 2 for n in range(most + 1)]
        pairs[table, round_] = model.new_int_var(0, values[-1], f"pairs_t{table}_r{round_}")
        model.add_element(seated, values, pairs[table, round_])
    return pairs


def solve_stage(
    topic_model: TopicModel, objective, *, maximize: bool, time_limit: float, seed: int
) -> StageResult:
    """Optimise one figure within the time limit."""
    model = topic_model.model
    if maximize:
        model.maximize(objective)
    else:
        model.minimize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return StageResult(solver.status_name(status), 0, 0, {}, {})
    return StageResult(
        solver.status_name(status),
        round(solver.objective_value),
        round(solver.best_objective_bound),
        {key: solver.value(variable) for key, variable in topic_model.size.items()},
        {key: solver.value(variable) for key, variable in topic_model.count.items()},
    )


def _greedy_start(instance: Instance, topic_model: TopicModel) -> None:
    kind_of = {
        person: index for index, kind in enumerate(topic_model.kinds) for person in kind.people
    }
    sizes: dict[tuple[int, int, int], int] = defaultdict(int)
    for person, topic, round_ in best_hint(instance):
        sizes[kind_of[person], topic, round_] += 1
    counts: dict[tuple[int, int], int] = {}
    for round_, tables in enumerate(instance.open_tables):
        for topic in {instance.topic_of[t] for t in tables}:
            left = sum(v for (_, k, r), v in sizes.items() if (k, r) == (topic, round_))
            for table in instance.topic_tables(topic, round_):
                counts[table, round_] = min(left, instance.seats[table])
                left -= counts[table, round_]
    topic_model.hint(sizes, counts)


def seat_topics(instance: Instance, *, time_limit: float, seed: int):
    """Most seated, then most choices met (then people spread): the first two stages'
    results, the second's values replaced by the third's when it found any.

    The second stage is skipped (None) when the first found nothing. A stage that reaches
    its plain bound (everyone seated, every choice met) counts as proven.
    """
    began = time.monotonic()
    topic_model = build_topic_model(instance)
    _greedy_start(instance, topic_model)
    most_seated = instance.n_people * instance.n_rounds
    first = _proven(solve_stage(
        topic_model, topic_model.seated(), maximize=True, time_limit=time_limit / 3, seed=seed
    ), most_seated)  # fmt: skip
    if not first.size:
        return first, None
    topic_model.model.add(topic_model.seated() >= first.value)
    topic_model.hint(first.size, first.count)
    left = time_limit - (time.monotonic() - began)
    most_hits = sum(len(topics) for topics in instance.wanted)
    second = _proven(solve_stage(
        topic_model, topic_model.hits(), maximize=True, time_limit=left / 2, seed=seed
    ), most_hits)  # fmt: skip
    if not second.size:
        return first, second
    topic_model.model.add(topic_model.hits() >= second.value)
    topic_model.hint(second.size, second.count)
    left = time_limit - (time.monotonic() - began)
    third = solve_stage(
        topic_model, topic_model.meetings(), maximize=False, time_limit=left, seed=seed
    )
    if third.size:
        second = StageResult(second.status, second.value, second.bound, third.size, third.count)
    return first, second


def _proven(result: StageResult, most: int) -> StageResult:
    if result.size and result.value >= most:
        return StageResult("OPTIMAL", result.value, result.value, result.size, result.count)
    return StageResult(
        result.status, result.value, min(result.bound, most), result.size, result.count
    )


def person_topics(instance: Instance, kinds: list[Kind], sizes: dict) -> dict:
    """(person, topic, round) -> 1: each kind's counts split into its people's routes."""
    per_kind: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    for (kind, topic, round_), value in sizes.items():
        if value:
            per_kind[kind][topic, round_] = value
    chosen = {}
    for index, kind in enumerate(kinds):
        routes = split_routes(per_kind[index], len(kind.people))
        for person, route in zip(kind.people, routes, strict=True):
            for topic, round_ in route:
                chosen[person, topic, round_] = 1
    return chosen
