"""seat(problem) -> Seating: the pipeline from table rounds to their best seating found.

1. Pins alone decide feasibility (explain.py); a clash raises InfeasibleError with reasons.
2. CP-SAT: most person-rounds seated, then most choices met (topics.py in free mode,
   groups.py in groups mode), each proven optimal when time allows.
3. Free mode: people go to their topic's tables one by one, each where it adds the fewest
   repeat meetings and same-affiliation pairs.
4. Local search on the exact pair figures (search.py) until the time is up or the figures
   reach their lower bounds (instance.py), which proves the whole seating optimal.
5. The seating goes through the independent validator before anyone sees it.
"""

from __future__ import annotations

import time

from ..errors import InfeasibleError, PlannerError
from .explain import general_conflict, pin_conflicts
from .groups import seat_groups
from .instance import Instance, compile_rounds, repeat_lower_bound, same_group_lower_bound
from .model import GROUPS, RoundsProblem, Seat, Seating
from .search import Search, Target
from .state import EMPTY, SeatState
from .topics import person_topics, seat_topics
from .validate import metrics, violations

CPSAT_SHARE = 0.6  # at most this share of the time goes to the CP-SAT stages
FINISH_SECONDS = 0.05  # kept for validation and figures after the search
# (most person-rounds, seconds): an organiser waits 5 s for a morning of topic tables and
# half a minute for a thousand people's coffee rounds.
TIME_BUDGETS = ((1_000, 5.0), (4_000, 30.0))
LARGEST_BUDGET = 60.0


def default_time_limit(problem: RoundsProblem) -> float:
    """Seconds the solver takes by default for rounds of this size."""
    size = len(problem.people) * len(problem.rounds)
    for most, seconds in TIME_BUDGETS:
        if size <= most:
            return seconds
    return LARGEST_BUDGET


def seat(problem: RoundsProblem, *, time_limit: float | None = None, seed: int = 0) -> Seating:
    """Return the best valid seating found within the time limit.

    Raises:
        InfeasibleError: the pins break a rule; the message says which and what to relax.
        PlannerError: no seating was found within the time limit (allow more time).
    """
    began = time.monotonic()
    limit = default_time_limit(problem) if time_limit is None else max(0.1, time_limit)
    conflicts = pin_conflicts(problem)
    if conflicts:
        raise InfeasibleError(conflicts)
    instance = compile_rounds(problem)
    state = SeatState(instance)
    if problem.mode == GROUPS:
        proven, bounds, statuses = _seat_groups(instance, state, limit * CPSAT_SHARE, seed)
    else:
        proven, bounds, statuses = _seat_free(instance, state, limit * CPSAT_SHARE, seed)
    target = _target(instance, state, proven)
    search = Search(state, seed)
    search.run(limit - (time.monotonic() - began) - FINISH_SECONDS, target)
    return _result(problem, instance, search, began, limit, seed, proven, bounds, statuses, target)


def _seat_free(instance: Instance, state: SeatState, seconds: float, seed: int):
    first, second, topic_model = seat_topics(instance, time_limit=seconds, seed=seed)
    if first.status == "INFEASIBLE":
        raise InfeasibleError([general_conflict(instance.problem)])
    if not first.found:
        raise PlannerError("no seating found within the time limit: allow more time")
    chosen = second if second is not None else first
    at = person_topics(instance, topic_model.kinds, chosen.size)
    _fill_tables(instance, state, at, topic_model.counts(chosen.size))
    wanted = sum(len(topics) for topics in instance.wanted) + sum(instance.unoffered)
    unseated_bound = instance.n_people * instance.n_rounds - first.bound
    hits_bound = second.bound if second is not None else wanted
    proven = first.status == "OPTIMAL" and second is not None and second.status == "OPTIMAL"
    statuses = (first.status, second.status if second is not None else None)
    return proven, (unseated_bound, wanted - hits_bound), statuses


def _fill_tables(instance: Instance, state: SeatState, at: dict, count: dict) -> None:
    """Seat the people of each topic and round at its tables: pins first, then each person
    where they add the fewest repeat meetings and same-affiliation pairs."""
    room = dict(count)
    for person, pin in enumerate(instance.pins):
        if pin is not None:
            state.place(person, pin[0], pin[1])
            room[pin[1], pin[0]] -= 1
    for (person, topic, round_), value in sorted(at.items(), key=lambda item: item[0][2]):
        if not value or (instance.pins[person] is not None and instance.pins[person][0] == round_):
            continue
        tables = [t for t in instance.topic_tables(topic, round_) if room[t, round_] > 0]
        best = min(tables, key=lambda table: _added(state, person, round_, table))
        state.place(person, round_, best)
        room[best, round_] -= 1


def _added(state: SeatState, person: int, round_: int, table: int) -> tuple[int, int]:
    before = (state.repeats, state.same)
    state.place(person, round_, table)
    after = (state.repeats, state.same)
    state.place(person, round_, EMPTY)
    return after[0] - before[0], after[1] - before[1]


def _seat_groups(instance: Instance, state: SeatState, seconds: float, seed: int):
    result = seat_groups(instance, time_limit=seconds, seed=seed)
    if result.tables is None:
        if result.statuses[0] == "INFEASIBLE":
            raise InfeasibleError([general_conflict(instance.problem)])
        raise PlannerError("no seating found within the time limit: allow more time")
    for person, row in enumerate(result.tables):
        for round_, table in enumerate(row):
            state.place(person, round_, table)
    # Fixed groups are one way to keep rule 5, not the only one: the bounds that prove
    # optimality here are the plain ones (seats per round, choices no table offers).
    unseated_bound = sum(
        max(0, instance.n_people - sum(instance.seats[t] for t in tables))
        for tables in instance.open_tables
    )
    missed_bound = sum(instance.unoffered)
    proven = result.proven and state.unseated == unseated_bound and state.missed == missed_bound
    return proven, (unseated_bound, missed_bound), result.statuses


def _target(instance: Instance, state: SeatState, proven: bool) -> Target:
    """The pair figures at which the search stops: the lower bounds once the first two
    figures are proven, else none (-1: keep searching)."""
    if not proven:
        return Target(-1, -1)
    repeats = 0 if instance.problem.mode == GROUPS else repeat_lower_bound(instance, state.unseated)
    return Target(repeats, same_group_lower_bound(instance, state.unseated))


def _result(problem, instance, search, began, limit, seed, proven, bounds, statuses, target):
    seats = tuple(
        Seat(person.id, problem.rounds[round_].id, problem.tables[table].id)
        for person, row in zip(problem.people, search.best, strict=True)
        for round_, table in enumerate(row)
        if table != EMPTY
    )
    seating = Seating(seats)
    broken = violations(problem, seating)
    if broken:  # a bug, not a warning: never hand out a seating that breaks a rule
        raise AssertionError("; ".join(str(violation) for violation in broken))
    figures = metrics(problem, seating)
    optimal = proven and (figures["repeat_meetings"], figures["same_group_pairs"]) <= (
        target.repeats,
        target.same,
    )
    seating.metrics.update(figures)
    seating.solver.update(
        status="OPTIMAL" if optimal else "FEASIBLE",
        seconds=round(time.monotonic() - began, 2),
        time_limit=limit,
        seed=seed,
        moves=search.moves,
        stages=[status for status in statuses if status],
        bounds=_bounds(instance, bounds, figures, proven),
        warnings=_warnings(problem, figures),
    )
    return seating


def _bounds(instance: Instance, bounds, figures, proven: bool) -> dict[str, int | None]:
    """Lower bounds on each figure, as far as known (a pair bound only holds once the first
    two figures are proven: lexicographic order)."""
    unseated = figures["unseated"]
    repeats = 0 if instance.problem.mode == GROUPS else repeat_lower_bound(instance, unseated)
    return {
        "unseated": bounds[0],
        "missed_choices": bounds[1] if figures["unseated"] == bounds[0] else None,
        "repeat_meetings": repeats if proven else None,
        "same_group_pairs": same_group_lower_bound(instance, unseated) if proven else None,
    }


def _warnings(problem: RoundsProblem, figures: dict) -> list[str]:
    if not figures["unseated"]:
        return []
    people = len(problem.people)
    short = []
    for round_ in problem.rounds:
        seats = sum(table.seats for table in problem.tables if table.open_in(round_.id))
        if seats < people:
            short.append(f"{round_.id}: {seats} seats for {people} people")
    reason = f" (too few seats in round {'; '.join(short)})" if short else ""
    return [f"{figures['unseated']} person-rounds without a table{reason}"]
