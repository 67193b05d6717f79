"""CP-SAT for the first two quality figures in free mode: who sits at which topic when.

Rule 3 is about topics, so it holds person by topic; which of a topic's tables a person takes
only matters for the pair figures, left to the local search. People of one kind (the same
counted choices, no pin) are interchangeable here, so the model counts them: `size[kind,
topic, round]`, at most the kind's size per round and per topic; routes.py turns the counts
back into one route per person, exactly. This keeps the model small and free of the
symmetry that makes CP-SAT wander. A topic's people in a round must fill some of its open
tables, each used one between its minimum and its seats: fill.py lists the totals that can.

Two solves: most person-rounds seated, then most choices met (one weighted objective); then,
keeping that optimum, fewest pairs at one table (people spread over the tables: the fewer
meet, the fewer meet twice or come from one office; a heuristic, the local search judges the
exact figures).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from .fill import TopicFill, topic_fill
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
    """`size[i, k, r]`: people of kind i at topic k in round r; `total[k, r]`: people at
    topic k in round r, one of the totals its tables can reach (fill.py)."""

    model: cp_model.CpModel
    kinds: list[Kind]
    size: dict[tuple[int, int, int], cp_model.IntVar]
    total: dict[tuple[int, int], cp_model.IntVar]
    pairs: dict[tuple[int, int], cp_model.IntVar]
    fills: dict[tuple[int, int], TopicFill]

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
        """Pairs of people at one table in one round, the fewest for each topic's total."""
        return sum(self.pairs.values())

    def hint(self, sizes: dict) -> None:
        """Start the next solve from these kind sizes."""
        self.model.clear_hints()
        totals: dict[tuple[int, int], int] = defaultdict(int)
        for key, variable in self.size.items():
            self.model.add_hint(variable, sizes.get(key, 0))
            totals[key[1], key[2]] += sizes.get(key, 0)
        for key, variable in self.total.items():
            self.model.add_hint(variable, totals[key])
            best = self.fills[key].pairs[totals[key]]
            self.model.add_hint(self.pairs[key], max(0, best))

    def counts(self, sizes: dict) -> dict[tuple[int, int], int]:
        """People per table and round for these kind sizes (totals split with fewest pairs)."""
        totals: dict[tuple[int, int], int] = defaultdict(int)
        for (_, topic, round_), value in sizes.items():
            totals[topic, round_] += value
        counts = {}
        for (topic, round_), fill in self.fills.items():
            for table, people in fill.split(totals[topic, round_]).items():
                counts[table, round_] = people
        return counts


@dataclass(frozen=True)
class StageResult:
    """What one solve found: status, objective, proven bound and the kinds' sizes (empty
    when nothing was found: INFEASIBLE, or UNKNOWN when time ran out)."""

    status: str
    value: int
    bound: int
    size: dict[tuple[int, int, int], int]

    @property
    def found(self) -> bool:
        """Tell whether the solve found a seating."""
        return self.status in ("OPTIMAL", "FEASIBLE")


def build_topic_model(instance: Instance) -> TopicModel:
    """State rules 1 to 4 on kinds and topic totals."""
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
    _add_pins(model, instance, kinds, size)
    fills = _fills(instance)
    total, pairs = _add_totals(model, size, fills)
    return TopicModel(model, kinds, size, total, pairs, fills)


def _add_once(model: cp_model.CpModel, kinds: list[Kind], size: dict) -> None:
    per_round, per_topic = defaultdict(list), defaultdict(list)
    for (kind, topic, round_), variable in size.items():
        per_round[kind, round_].append(variable)
        per_topic[kind, topic].append(variable)
    for (kind, _), variables in per_round.items():
        model.add(sum(variables) <= len(kinds[kind].people))
    for (kind, _), variables in per_topic.items():
        model.add(sum(variables) <= len(kinds[kind].people))  # rule 3


def _fills(instance: Instance) -> dict[tuple[int, int], TopicFill]:
    pinned: dict[tuple[int, int], int] = defaultdict(int)
    for pin in instance.pins:
        if pin is not None:
            pinned[pin[1], pin[0]] += 1
    return {
        (topic, round_): topic_fill(instance, topic, round_, pinned)
        for round_, tables in enumerate(instance.open_tables)
        for topic in sorted({instance.topic_of[t] for t in tables})
    }


def _add_totals(model: cp_model.CpModel, size: dict, fills: dict):
    """Rules 1, 2 and pinned tables' places through each topic's reachable totals."""
    people = defaultdict(list)
    for (_, topic, round_), variable in size.items():
        people[topic, round_].append(variable)
    total, pairs = {}, {}
    for (topic, round_), fill in fills.items():
        domain = cp_model.Domain.from_values(fill.reachable())
        variable = model.new_int_var_from_domain(domain, f"total_k{topic}_r{round_}")
        model.add(sum(people[topic, round_]) == variable)
        values = [max(0, value) for value in fill.pairs]
        pairs[topic, round_] = model.new_int_var(0, max(values), f"pairs_k{topic}_r{round_}")
        model.add_element(variable, values, pairs[topic, round_])
        total[topic, round_] = variable
    return total, pairs


def _add_pins(model, instance: Instance, kinds: list[Kind], size: dict) -> None:
    for index, kind in enumerate(kinds):
        if kind.pin is None:
            continue
        round_, table = kind.pin
        variable = size.get((index, instance.topic_of[table], round_))
        if variable is None:
            model.add_bool_or([])  # pinned to a closed table: explain.py says so first
            return
        model.add(variable == 1)  # rule 4 (its table keeps a place: fill.py)


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
        return StageResult(solver.status_name(status), 0, 0, {})
    return StageResult(
        solver.status_name(status),
        round(solver.objective_value),
        round(solver.best_objective_bound),
        {key: solver.value(variable) for key, variable in topic_model.size.items()},
    )


def _greedy_start(instance: Instance, topic_model: TopicModel) -> None:
    kind_of = {
        person: index for index, kind in enumerate(topic_model.kinds) for person in kind.people
    }
    sizes: dict[tuple[int, int, int], int] = defaultdict(int)
    for person, topic, round_ in best_hint(instance):
        sizes[kind_of[person], topic, round_] += 1
    topic_model.hint(sizes)


def seat_topics(instance: Instance, *, time_limit: float, seed: int):
    """Most seated, then most choices met (then people spread).

    Returns (seated, hits, model): the stages' results as figures of their own (`hits`
    None when nothing was found) and the model for the table counts. The first two
    figures are one objective, seated weighted above every choice, which is the same order
    and lets CP-SAT prove both at once; a figure that reaches its plain bound (everyone
    seated, every choice met) counts as proven. The kinds' sizes come from the third stage
    when it found any, keeping the first two figures.
    """
    began = time.monotonic()
    topic_model = build_topic_model(instance)
    _greedy_start(instance, topic_model)
    weight = sum(len(topics) for topics in instance.wanted) + 1
    both = solve_stage(
        topic_model,
        topic_model.seated() * weight + topic_model.hits(),
        maximize=True,
        time_limit=time_limit * 2 / 3,
        seed=seed,
    )
    if not both.found:
        return both, None, topic_model
    seated, hits = _split_figures(instance, both, weight)
    topic_model.model.add(topic_model.seated() * weight + topic_model.hits() >= both.value)
    topic_model.hint(both.size)
    left = time_limit - (time.monotonic() - began)
    spread = solve_stage(
        topic_model, topic_model.meetings(), maximize=False, time_limit=left, seed=seed
    )
    sizes = spread.size if spread.found else both.size
    return replace(seated, size=sizes), replace(hits, size=sizes), topic_model


def _split_figures(instance: Instance, both: StageResult, weight: int):
    """The weighted stage's result as one result per figure, with what is proven of each."""
    most_seated = instance.n_people * instance.n_rounds
    most_hits = weight - 1
    seated_value, hits_value = divmod(both.value, weight)
    seated_bound = min(most_seated, both.bound // weight)
    seated_proven = both.status == "OPTIMAL" or seated_value >= seated_bound
    # A bound on choices met holds only among the seatings that seat the most.
    hits_bound = min(most_hits, both.bound - seated_value * weight) if seated_proven else most_hits
    hits_proven = seated_proven and hits_value >= hits_bound
    return (
        StageResult(
            "OPTIMAL" if seated_proven else both.status, seated_value, seated_bound, both.size
        ),
        StageResult("OPTIMAL" if hits_proven else both.status, hits_value, hits_bound, both.size),
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
