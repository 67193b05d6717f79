"""CP-SAT for the first quality criterion: place as many sessions as the rules allow.

This is a pure packing problem (rooms × slots, hosts, lengths, pins), which CP-SAT solves and
usually proves optimal in well under a second, also where a greedy start leaves sessions out
(double-length workshops in a nearly full grid). The plan's quality in people is left to the
local search; a hint keeps CP-SAT close to the constructed plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .instance import Instance, Place
from .rules import add_host_clash, add_once, add_room_clash


@dataclass(frozen=True)
class PackingResult:
    """The most sessions found placeable, the proven upper bound, and one such placement."""

    places: list[Place | None]
    scheduled: int
    upper_bound: int
    status: str


@dataclass
class PackingModel:
    """A CP-SAT model with one Boolean per session and allowed place."""

    model: cp_model.CpModel
    literals: dict[tuple[int, Place], cp_model.IntVar]

    def fix(self, session: int, place: Place) -> None:
        """Force the session into the place (tests and pins)."""
        self.model.add(self.literals[session, place] == 1)

    def scheduled(self) -> cp_model.LinearExpr:
        """The number of placed sessions."""
        return sum(self.literals.values())


def build_packing(instance: Instance, *, required: list[int]) -> PackingModel:
    """State rules 1, 3 and 7 over the allowed places (which already meet rules 2, 4, 5, 6);
    `required` sessions (the pinned ones) must be placed."""
    model = cp_model.CpModel()
    choices: dict[int, list] = defaultdict(list)
    cells: dict[tuple[int, int], list] = defaultdict(list)
    literals = {}
    for session, places in enumerate(instance.places):
        for place in places:
            literal = model.new_bool_var(f"place_s{session}_r{place[0]}_t{place[1]}")
            literals[session, place] = literal
            choices[session].append(literal)
            for slot in range(place[1], place[1] + instance.lengths[session]):
                cells[place[0], slot].append(literal)
    add_once(model, choices)
    add_room_clash(model, cells)
    add_host_clash(model, _host_moments(instance, literals))
    for session in required:
        model.add_exactly_one(choices[session])
    return PackingModel(model, literals)


def most_sessions(
    instance: Instance,
    hint: list[Place | None],
    *,
    required: list[int],
    time_limit: float,
    seed: int = 0,
    workers: int = 1,
) -> PackingResult | None:
    """Maximise the number of placed sessions, `required` (pinned) ones always placed;
    None if CP-SAT found nothing in time."""
    packing = build_packing(instance, required=required)
    kept = []
    for (session, place), literal in packing.literals.items():
        packing.model.add_hint(literal, hint[session] == place)
        if hint[session] == place:
            kept.append(literal)
    # First the count, then as many sessions as possible where the (good) hint put them:
    # a session more is worth more than every kept place together.
    weight = instance.n_sessions + 1
    packing.model.maximize(weight * packing.scheduled() + sum(kept))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(packing.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    places: list[Place | None] = [None] * instance.n_sessions
    for (session, place), literal in packing.literals.items():
        if solver.boolean_value(literal):
            places[session] = place
    return PackingResult(
        places,
        sum(place is not None for place in places),
        int(solver.best_objective_bound // weight),
        solver.status_name(status),
    )


def _host_moments(instance: Instance, literals: dict) -> list[list]:
    """Per host and slot start, the literals of that host's sessions running at that moment.

    Two time spans overlap exactly when one contains the other's start, so one at-most-one
    per host and start moment states rule 3 without over-constraining odd slot layouts.
    """
    moments = sorted(set(instance.slot_start))
    by_session: dict[int, list] = defaultdict(list)
    for (session, place), literal in literals.items():
        by_session[session].append((instance.span(session, place[1]), literal))
    groups = []
    for sessions in instance.host_sessions:
        for moment in moments:
            groups.append(
                [
                    literal
                    for session in sessions
                    for (begin, end), literal in by_session[session]
                    if begin <= moment < end
                ]
            )
    return groups
