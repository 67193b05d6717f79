"""The scheduler: event@1 in, the best plan@1 out. Pure Python on OR-Tools CP-SAT.

Nothing here imports Flask or SQLAlchemy; the web app and the command line both call in here.
"""

from .errors import FormatError, InfeasibleError, PlannerError
from .formats import (
    dump_event,
    dump_plan,
    parse_event,
    parse_plan,
    read_event,
    read_plan,
    write_json,
)
from .problem import Assignment, EventInfo, Pin, Plan, Problem, Room, Session, Slot, Vote
from .solve import default_time_limit, solve
from .validate import Violation, metrics, violations

__all__ = [
    "Assignment",
    "EventInfo",
    "FormatError",
    "InfeasibleError",
    "Pin",
    "Plan",
    "PlannerError",
    "Problem",
    "Room",
    "Session",
    "Slot",
    "Violation",
    "Vote",
    "default_time_limit",
    "dump_event",
    "dump_plan",
    "metrics",
    "parse_event",
    "parse_plan",
    "read_event",
    "read_plan",
    "solve",
    "violations",
    "write_json",
]
