"""CP-SAT for groups mode: fixed groups that rotate together through the tables.

Each group is a set of people that sits at one table per round (or sits a round out), at
most one group per table, and never twice at one topic (so never twice at one table). People
who are in no group are unseated. Two solves as in free mode: most person-rounds seated, then
most choices met; affiliations are mixed afterwards by the local search, which exchanges
people between groups.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .instance import Instance


@dataclass
class GroupModel:
    """`member[p, g]`: person p is in group g; `at[g, r, t]`: group g at table t in round r;
    `seated[g, r]`: the group's people at a table in round r (0 when it sits out)."""

    model: cp_model.CpModel
    member: dict[tuple[int, int], cp_model.IntVar]
    at: dict[tuple[int, int, int], cp_model.IntVar]
    seated: dict[tuple[int, int], cp_model.IntVar]
    hits: list[cp_model.IntVar]


@dataclass(frozen=True)
class GroupResult:
    """Each person's table per round (-1: none; None: no seating found, the first status
    says why), and the stages' statuses and bounds."""

    tables: list[list[int]] | None
    statuses: tuple[str, ...]
    bounds: tuple[int, int]
    proven: bool


def group_count(instance: Instance) -> int:
    """As many groups as tables are open in the fullest round (and not more than people)."""
    return min(instance.n_people, max((len(tables) for tables in instance.open_tables), default=0))


def build_group_model(instance: Instance) -> GroupModel:
    """State rules 1 to 5 for fixed groups."""
    model = cp_model.CpModel()
    groups = range(group_count(instance))
    member = {
        (p, g): model.new_bool_var(f"p{p}_in_g{g}")
        for p in range(instance.n_people)
        for g in groups
    }
    for person in range(instance.n_people):
        model.add_at_most_one(member[person, g] for g in groups)
    size = {g: model.new_int_var(0, instance.n_people, f"size_g{g}") for g in groups}
    for g in groups:
        model.add(size[g] == sum(member[p, g] for p in range(instance.n_people)))
    for g in list(groups)[1:]:
        model.add(size[g - 1] >= size[g])  # groups are interchangeable: order them
    at = _add_rotation(model, instance, groups, size)
    seated = _add_seated(model, instance, groups, size, at)
    _add_pins(model, instance, groups, member, at)
    hits = _add_hits(model, instance, groups, member, at)
    return GroupModel(model, member, at, seated, hits)


def _add_rotation(model, instance: Instance, groups, size) -> dict:
    at = {}
    for round_, tables in enumerate(instance.open_tables):
        for g in groups:
            for t in tables:
                literal = model.new_bool_var(f"g{g}_r{round_}_t{t}")
                model.add(size[g] <= instance.seats[t]).only_enforce_if(literal)  # rule 1
                model.add(size[g] >= max(1, instance.minimum[t])).only_enforce_if(literal)
                at[g, round_, t] = literal
            model.add_at_most_one(at[g, round_, t] for t in tables)
        for t in tables:
            model.add_at_most_one(at[g, round_, t] for g in groups)
    for g in groups:
        per_topic = defaultdict(list)
        for (group, _, table), literal in at.items():
            if group == g:
                per_topic[instance.topic_of[table]].append(literal)
        for literals in per_topic.values():
            model.add_at_most_one(literals)  # rule 3
    return at


def _add_seated(model, instance: Instance, groups, size, at) -> dict:
    seated = {}
    for round_, tables in enumerate(instance.open_tables):
        for g in groups:
            sits = model.new_bool_var(f"g{g}_sits_r{round_}")
            model.add(sum(at[g, round_, t] for t in tables) == sits)
            people = model.new_int_var(0, instance.n_people, f"g{g}_seated_r{round_}")
            model.add(people == size[g]).only_enforce_if(sits)
            model.add(people == 0).only_enforce_if(~sits)
            seated[g, round_] = people
    return seated


def _add_pins(model, instance: Instance, groups, member, at) -> None:
    for person, pin in enumerate(instance.pins):
        if pin is None:
            continue
        round_, table = pin
        model.add(sum(member[person, g] for g in groups) == 1)
        for g in groups:
            literal = at.get((g, round_, table))
            if literal is None:
                model.add(member[person, g] == 0)
            else:
                model.add_implication(member[person, g], literal)  # rule 4


def _add_hits(model, instance: Instance, groups, member, at) -> list:
    visits = defaultdict(list)
    for (g, _, table), literal in at.items():
        visits[g, instance.topic_of[table]].append(literal)
    hits = []
    for person, topics in enumerate(instance.wanted):
        for topic in topics:
            together = []
            for g in groups:
                both = model.new_bool_var(f"p{person}_g{g}_k{topic}")
                model.add_implication(both, member[person, g])
                model.add(sum(visits[g, topic]) >= 1).only_enforce_if(both)
                together.append(both)
            hit = model.new_bool_var(f"p{person}_meets_k{topic}")
            model.add(sum(together) >= hit)
            hits.append(hit)
    return hits


def seat_groups(instance: Instance, *, time_limit: float, seed: int) -> GroupResult:
    """Most seated, then most choices met, for fixed groups."""
    began = time.monotonic()
    group_model = build_group_model(instance)
    solver, seated_status = _solve(
        group_model, sum(group_model.seated.values()), time_limit / 2, seed
    )
    if solver is None:
        return GroupResult(None, (seated_status,), (0, 0), False)
    group_model.model.add(sum(group_model.seated.values()) >= round(solver.objective_value))
    seated_bound = round(solver.best_objective_bound)
    _hint(group_model, solver)
    left = time_limit - (time.monotonic() - began)
    final, hits_status, hits_bound = solver, "OPTIMAL", len(group_model.hits)
    if group_model.hits:
        second, hits_status = _solve(group_model, sum(group_model.hits), left, seed)
        if second is not None:
            final, hits_bound = second, round(second.best_objective_bound)
    return GroupResult(
        _tables(instance, group_model, final),
        (seated_status, hits_status),
        (seated_bound, hits_bound),
        seated_status == "OPTIMAL" and hits_status == "OPTIMAL",
    )


def _solve(group_model: GroupModel, objective, time_limit: float, seed: int):
    model = group_model.model
    model.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status)
    return solver, solver.status_name(status)


def _hint(group_model: GroupModel, solver: cp_model.CpSolver) -> None:
    for variables in (group_model.member, group_model.at):
        for literal in variables.values():
            group_model.model.add_hint(literal, solver.value(literal))


def _tables(instance: Instance, group_model: GroupModel, solver) -> list[list[int]]:
    where = {
        (g, round_): table
        for (g, round_, table), literal in group_model.at.items()
        if solver.value(literal)
    }
    tables = [[-1] * instance.n_rounds for _ in range(instance.n_people)]
    for (person, g), literal in group_model.member.items():
        if solver.value(literal):
            for round_ in range(instance.n_rounds):
                tables[person][round_] = where.get((g, round_), -1)
    return tables
