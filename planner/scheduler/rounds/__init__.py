"""Table rounds: topic tables and world cafés, seated from everyone's wishes (ROUNDS.md).

rounds@1 in, the best seating@1 out. Pure Python on OR-Tools CP-SAT, like the rest of the
scheduler: nothing here imports Flask or SQLAlchemy.
"""

from .formats import (
    ROUNDS_FORMAT,
    SEATING_FORMAT,
    dump_rounds,
    dump_seating,
    parse_rounds,
    parse_seating,
    read_rounds,
    read_seating,
)
from .model import FREE, GROUPS, Person, Pin, Round, RoundsProblem, Seat, Seating, Table
from .validate import METRICS, RULES, Violation, metrics, violations

__all__ = [
    "FREE",
    "GROUPS",
    "METRICS",
    "ROUNDS_FORMAT",
    "RULES",
    "SEATING_FORMAT",
    "Person",
    "Pin",
    "Round",
    "RoundsProblem",
    "Seat",
    "Seating",
    "Table",
    "Violation",
    "dump_rounds",
    "dump_seating",
    "metrics",
    "parse_rounds",
    "parse_seating",
    "read_rounds",
    "read_seating",
    "violations",
]
