"""Why a rounds problem has no valid seating: what the pins ask that the rules forbid.

Without pins a valid seating always exists (nobody seated breaks no rule), so every
infeasibility comes from pins; the checks here name the usual ones in words.
"""

from __future__ import annotations

from collections import defaultdict

from .model import RoundsProblem


def pin_conflicts(problem: RoundsProblem) -> list[str]:
    """Say, for each table and round, why its pins cannot be honoured (empty: no reason
    found)."""
    pinned: dict[tuple[str, str], list[str]] = defaultdict(list)
    pinned_in_round: dict[str, int] = defaultdict(int)
    for person in problem.people:
        if person.pinned is not None:
            pinned[person.pinned.round, person.pinned.table].append(person.id)
            pinned_in_round[person.pinned.round] += 1
    found = []
    for (round_id, table_id), people in pinned.items():
        table = problem.table_by_id[table_id]
        names = ", ".join(people)
        others = len(problem.people) - pinned_in_round[round_id]
        if not table.open_in(round_id):
            found.append(
                f"{names} pinned to table {table.label} in round {round_id}, where the table "
                "is closed: open the table in that round or release the pin"
            )
        elif len(people) > table.seats:
            found.append(
                f"{len(people)} people ({names}) pinned to table {table.label} in round "
                f"{round_id}, which has {table.seats} seats: add seats or release pins"
            )
        elif table.min > table.seats or len(people) + others < table.min:
            found.append(
                f"{names} pinned to table {table.label} in round {round_id}, which cannot "
                f"reach its minimum of {table.min} people: lower the minimum or release the pin"
            )
    return found


def general_conflict(problem: RoundsProblem) -> str:
    """The reason to give when the pins clash in a way pin_conflicts does not name."""
    rule = "keep fixed groups together and " if problem.mode == "groups" else ""
    return (
        "the pins cannot all be honoured together: the tables' seats and minimums, and the "
        f"rules to {rule}never seat anybody at one topic twice, leave no valid seating; "
        "release a pin or lower a table's minimum"
    )
