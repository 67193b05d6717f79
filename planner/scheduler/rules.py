"""The hard rules of docs/formats.md as the solver applies them, one function per rule.

Rules 2, 4, 5 and 6 concern a single session in a single place, so they filter the places a
session may take at all (`place_problems`). Rules 1, 3 and 7 concern several sessions at once;
`add_*` functions state them in a CP-SAT model and the local search checks them in its state.
The validator (validate.py) checks all seven independently of this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # CP-SAT loads only when a model is built: it takes a third of a second
    from ortools.sat.python import cp_model

from .problem import Problem, Room, Session


def fits_consecutive(problem: Problem, session_: Session, start: str) -> str | None:
    """Rule 2: a session of length L occupies L consecutive slots."""
    if problem.occupied_slots(session_, start) is None:
        return f"needs {session_.length} consecutive slots on one day from slot {start}"
    return None


def available(problem: Problem, session_: Session, room: Room, start: str) -> str | None:
    """Rule 4: neither the session nor the room is unavailable in any slot it takes."""
    for index in problem.occupied_slots(session_, start) or ():
        slot = problem.slots[index].id
        if slot in session_.unavailable:
            return f"the session cannot do slot {slot}"
        if slot in room.unavailable:
            return f"room {room.name} is not available in slot {slot}"
    return None


def has_needs(session_: Session, room: Room) -> str | None:
    """Rule 5: the room has every feature the session needs."""
    missing = session_.needs - room.features
    if missing:
        return f"room {room.name} lacks {', '.join(sorted(missing))}"
    return None


def respects_pin(session_: Session, room: Room, start: str) -> str | None:
    """Rule 6: a pinned session goes exactly where it is pinned."""
    pin = session_.pinned
    if pin is not None and (pin.room != room.id or pin.slot != start):
        return f"it is pinned to room {pin.room}, slot {pin.slot}"
    return None


def place_problems(problem: Problem, session_: Session, room: Room, start: str) -> list[str]:
    """Return why the session may not start in this room and slot (empty when it may)."""
    reasons = [
        fits_consecutive(problem, session_, start),
        has_needs(session_, room),
        respects_pin(session_, room, start),
    ]
    if reasons[0] is None:
        reasons.append(available(problem, session_, room, start))
    return [reason for reason in reasons if reason]


# --- rules between sessions, as CP-SAT constraints -------------------------------------------


def add_once(model: cp_model.CpModel, choices: dict[int, list]) -> None:
    """Rule 7: each session takes at most one place."""
    for literals in choices.values():
        model.add_at_most_one(literals)


def add_room_clash(model: cp_model.CpModel, users: dict[tuple[int, int], list]) -> None:
    """Rule 1: at most one session per room and slot."""
    for literals in users.values():
        if len(literals) > 1:
            model.add_at_most_one(literals)


def add_host_clash(model: cp_model.CpModel, host_users: Iterable[list]) -> None:
    """Rule 3: no host in two sessions at once (one literal list per host and moment)."""
    for literals in host_users:
        if len(literals) > 1:
            model.add_at_most_one(literals)


def hosts_by_session(sessions: Iterable[Session]) -> dict[str, list[str]]:
    """Map each host to the ids of the sessions they host."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for session_ in sessions:
        for host in dict.fromkeys(session_.hosts):
            by_host[host].append(session_.id)
    return by_host
