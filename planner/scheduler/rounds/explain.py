"""Why a rounds problem has no valid seating: what the pins ask that the rules forbid.

Without pins a valid seating always exists (nobody seated breaks no rule), so every
infeasibility comes from pins; the checks here name the usual ones in words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import RoundsProblem

CLOSED, TOO_MANY, MINIMUM = "closed", "too_many", "minimum"  # PinConflict.code


@dataclass(frozen=True)
class PinConflict:
    """Pins that break a rule at one table in one round: `code` says which rule."""

    code: str
    people: tuple[str, ...]
    table: str  # the table's id
    round: str  # the round's id
    seats: int
    minimum: int

    def sentence(self, problem: RoundsProblem) -> str:
        """The reason in English, for the command line."""
        label = problem.table_by_id[self.table].label
        names = ", ".join(self.people)
        if self.code == CLOSED:
            return (
                f"{names} pinned to table {label} in round {self.round}, where the table "
                "is closed: open the table in that round or release the pin"
            )
        if self.code == TOO_MANY:
            return (
                f"{len(self.people)} people ({names}) pinned to table {label} in round "
                f"{self.round}, which has {self.seats} seats: add seats or release pins"
            )
        return (
            f"{names} pinned to table {label} in round {self.round}, which cannot "
            f"reach its minimum of {self.minimum} people: lower the minimum or release the pin"
        )


def pin_conflicts(problem: RoundsProblem) -> list[str]:
    """Say, for each table and round, why its pins cannot be honoured (empty: no reason
    found)."""
    return [conflict.sentence(problem) for conflict in pin_conflict_records(problem)]


def pin_conflict_records(problem: RoundsProblem) -> list[PinConflict]:
    """For each table and round whose pins cannot be honoured, which rule they break."""
    pinned: dict[tuple[str, str], list[str]] = defaultdict(list)
    pinned_in_round: dict[str, int] = defaultdict(int)
    for person in problem.people:
        if person.pinned is not None:
            pinned[person.pinned.round, person.pinned.table].append(person.id)
            pinned_in_round[person.pinned.round] += 1
    found = []
    for (round_id, table_id), people in pinned.items():
        table = problem.table_by_id[table_id]
        others = len(problem.people) - pinned_in_round[round_id]
        if not table.open_in(round_id):
            code = CLOSED
        elif len(people) > table.seats:
            code = TOO_MANY
        elif table.min > table.seats or len(people) + others < table.min:
            code = MINIMUM
        else:
            continue
        found.append(PinConflict(code, tuple(people), table_id, round_id, table.seats, table.min))
    return found


def general_conflict(problem: RoundsProblem) -> str:
    """The reason to give when the pins clash in a way pin_conflicts does not name."""
    rule = "keep fixed groups together and " if problem.mode == "groups" else ""
    return (
        "the pins cannot all be honoured together: the tables' seats and minimums, and the "
        f"rules to {rule}never seat anybody at one topic twice, leave no valid seating; "
        "release a pin or lower a table's minimum"
    )
