"""seat(problem) -> Seating: the pipeline from table rounds to their best seating found.

1. Pins alone decide feasibility (explain.py); a clash raises InfeasibleError with reasons.
2. CP-SAT: most person-rounds seated, then most choices met (topics.py in free mode,
   groups.py in groups mode), each proven optimal when time allows.
3. Free mode: people go to their topic's tables one by one, each where it adds the fewest
   repeat meetings and same-affiliation pairs; a world café whose tables are all open
   starts instead from routes that share a table at most once (rotation.py), if better.
4. Local search on the exact pair figures (search.py) until the time is up or the figures
   reach their lower bounds (instance.py), which proves the whole seating optimal.
5. The seating goes through the independent validator before anyone sees it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InfeasibleError, PlannerError
from .explain import general_conflict, pin_conflicts
from .instance import Instance, compile_rounds, repeat_lower_bound, same_group_lower_bound
from .model import GROUPS, RoundsProblem, Seat, Seating
from .rotation import rotation_state
from .search import Search, Target
from .state import EMPTY, SeatState
from .validate import metrics, violations

CPSAT_SHARE = 0.6  # at most this share of the time goes to the CP-SAT stages
# ... but never less: CP-SAT stops early once it has proven the optimum (milliseconds for
# small rounds), and on a busy machine a tiny time limit would leave it without any seating.
CPSAT_LEAST = 1.0
FINISH_SECONDS = 0.05  # kept for validation and figures after the search
# (most person-rounds, seconds): an organiser waits 5 s for a morning of topic tables and
# half a minute for a thousand people's coffee rounds.
TIME_BUDGETS = ((1_000, 5.0), (4_000, 30.0))
LARGEST_BUDGET = 60.0


@dataclass(frozen=True)
class SeatProgress:
    """The best seating's figures so far, `seconds` after the start."""

    seconds: float
    unseated: int
    missed_choices: int
    repeat_meetings: int
    same_group_pairs: int


class _Watch:
    """Reports each better seating and asks whether to stop, for the search's loop."""

    def __init__(self, began: float, progress, should_stop):
        self.began, self.progress, self.should_stop = began, progress, should_stop
        self.last: tuple[int, ...] | None = None
        self.stopped = False

    def report(self, key: tuple[int, int, int, int]) -> None:
        """Pass a seating's figures on, once per seating."""
        if self.progress is not None and key != self.last:
            self.last = key
            self.progress(SeatProgress(round(time.monotonic() - self.began, 2), *key))

    def __call__(self, key: tuple[int, int, int, int]) -> bool:
        self.report(key)
        self.stopped = self.should_stop is not None and bool(self.should_stop())
        return self.stopped


def default_time_limit(problem: RoundsProblem) -> float:
    """Seconds the solver takes by default for rounds of this size."""
    size = len(problem.people) * len(problem.rounds)
    for most, seconds in TIME_BUDGETS:
        if size <= most:
            return seconds
    return LARGEST_BUDGET


def seat(
    problem: RoundsProblem,
    *,
    time_limit: float | None = None,
    seed: int = 0,
    keep: Seating | None = None,
    progress: Callable[[SeatProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Seating:
    """Return the best valid seating found within the time limit.

    Args:
        progress: called with the figures of each better seating the search finds.
        should_stop: asked now and then during the search; True ends it with the best
            seating so far (the CP-SAT stages before it run to their own time limit).
        keep: a former seating whose places stay where they still fit (latecomers are
            seated around them); when they cannot all stay, everybody is seated anew and a
            warning says so. The figures' bounds then hold only for seatings that keep them.
    Raises:
        InfeasibleError: the pins break a rule; the message says which and what to relax.
        PlannerError: no seating was found within the time limit (allow more time).
    """
    began = time.monotonic()
    limit = default_time_limit(problem) if time_limit is None else max(0.1, time_limit)
    conflicts = pin_conflicts(problem)
    if conflicts:
        raise InfeasibleError(conflicts)
    watch = _Watch(began, progress, should_stop)
    try:
        seating = _seat(problem, compile_rounds(problem, keep), began, limit, seed, watch)
    except InfeasibleError:
        if keep is None:
            raise
        left = max(0.1, limit - (time.monotonic() - began))
        seating = _seat(problem, compile_rounds(problem), time.monotonic(), left, seed, watch)
        seating.solver["warnings"].append(
            "the former places could not all stay: everybody was seated anew"
        )
    if keep is not None:
        seating.solver["moved"] = _moved(problem, keep, seating)
    if watch.stopped:
        seating.solver["stopped"] = True
    return seating


def _seat(
    problem: RoundsProblem, instance: Instance, began: float, limit: float, seed: int, watch
) -> Seating:
    state = SeatState(instance)
    if problem.mode == GROUPS:
        seconds = max(CPSAT_LEAST, limit * CPSAT_SHARE)
        bounds, statuses = _seat_groups(instance, state, seconds, seed)
    else:
        bounds, statuses = _seat_free(instance, state, limit * CPSAT_SHARE, seed)
        rotated = rotation_state(instance)  # a world café's routes that rarely meet twice
        if rotated is not None and rotated.key() < state.key():
            state = rotated
    target = _target(instance, bounds)
    search = Search(state, seed)
    watch.report(search.best_key)  # the first seating, before the search improves it
    search.run(limit - (time.monotonic() - began) - FINISH_SECONDS, target, watch)
    watch.report(search.best_key)  # the last one, if it came in the final moves
    return _result(problem, search, began, limit, seed, statuses, target)


def _moved(problem: RoundsProblem, keep: Seating, seating: Seating) -> list[str]:
    """People who had a place in `keep` and now sit elsewhere (or nowhere) in some round."""
    return [
        person.id
        for person in problem.people
        if any(
            (person.id, round_.id) in keep.table_of
            and keep.table_of[person.id, round_.id] != seating.table_of.get((person.id, round_.id))
            for round_ in problem.rounds
        )
    ]


def _seat_free(instance: Instance, state: SeatState, seconds: float, seed: int):
    from .topics import person_topics, seat_topics  # CP-SAT only now, as in _seat_groups

    first, second, topic_model = seat_topics(
        instance, time_limit=seconds, seed=seed, least=CPSAT_LEAST
    )
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
    statuses = (first.status, second.status if second is not None else None)
    return (unseated_bound, wanted - hits_bound), statuses


def _fill_tables(instance: Instance, state: SeatState, at: dict, count: dict) -> None:
    """Seat the people of each topic and round at its tables: pins first, then each person
    where they add the fewest repeat meetings and same-affiliation pairs."""
    room = dict(count)
    for person, places in enumerate(instance.fixed):
        for round_, table in places:
            state.place(person, round_, table)
            room[table, round_] -= 1
    for (person, topic, round_), value in sorted(at.items(), key=lambda item: item[0][2]):
        if not value or instance.fixed_table(person, round_) is not None:
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
    # CP-SAT (and the pandas it imports: seconds on a busy machine) loads only when it is
    # needed, so that `planner --help` and the web app start quickly.
    from .groups import seat_groups

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
    return (unseated_bound, missed_bound), result.statuses


def _target(instance: Instance, bounds: tuple[int, int]) -> Target:
    """Lower bounds on the four figures: the first two from CP-SAT (or plain counting), the
    pair figures from instance.py for seatings with the fewest unseated."""
    unseated = bounds[0]
    repeats = 0 if instance.problem.mode == GROUPS else repeat_lower_bound(instance, unseated)
    return Target(unseated, bounds[1], repeats, same_group_lower_bound(instance, unseated))


def _result(problem, search, began, limit, seed, statuses, target: Target) -> Seating:
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
    bounds = _bounds(figures, target)
    seating.metrics.update(figures)
    seating.solver.update(
        status="OPTIMAL" if all(figures[name] == bounds[name] for name in figures) else "FEASIBLE",
        seconds=round(time.monotonic() - began, 2),
        time_limit=limit,
        seed=seed,
        moves=search.moves,
        stages=[status for status in statuses if status],
        bounds=bounds,
        warnings=_warnings(problem, figures),
    )
    return seating


def _bounds(figures: dict[str, int], target: Target) -> dict[str, int | None]:
    """Lower bounds on each figure, as far as they hold: the order is lexicographic, so a
    bound on a later figure holds only once the earlier ones are at theirs."""
    values = (target.unseated, target.missed, target.repeats, target.same)
    bounds: dict[str, int | None] = {}
    reached = True
    for name, value in zip(figures, values, strict=True):
        bounds[name] = value if reached else None
        reached = reached and figures[name] == value
    return bounds


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
