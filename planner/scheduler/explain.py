"""Explanations for people: why no plan exists, and why a session stayed unscheduled.

Every rule but the pins can be met by leaving sessions out, so a problem is infeasible
exactly when its pins alone break a rule. That makes the check exact and cheap: the plan of
pinned sessions alone goes through the validator, and each violation becomes a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .problem import Assignment, Plan, Problem, Room, Session, Slot
from .rules import place_problems
from .validate import Violation, violations


def N_(text: str) -> str:  # noqa: N802 - the name gettext's extraction looks for
    """Mark `text` for translation without translating it (the scheduler knows no Flask)."""
    return text


# What a person can change to resolve a clash of pins, per rule: the one wording, in English
# here (command line, plan@1) and through gettext in the web app (planner/wording.py).
RELAX = {
    1: N_("Unpin one of them or pin it to another room or time."),
    2: N_("Pin it to an earlier slot, shorten the session or add a slot."),
    3: N_("Unpin one of them, move one to another time, or let a co-host take over."),
    4: N_("Pin it to another slot, or make the session or room available then."),
    5: N_("Pin it to a room with that feature, add the feature to the room, or drop the need."),
    6: N_("Pin it to a room and slot that exist."),
    7: N_("Remove the duplicate."),
}


def pin_violations(problem: Problem) -> list[Violation]:
    """Every rule the pins alone break (empty when a plan exists)."""
    pinned = [session_ for session_ in problem.sessions if session_.pinned is not None]
    plan = Plan(
        assignments=tuple(
            Assignment(session_.id, session_.pinned.room, session_.pinned.slot)
            for session_ in pinned
        ),
        unscheduled=tuple(session_.id for session_ in problem.sessions if session_.pinned is None),
    )
    return violations(problem, plan)


def pin_conflicts(problem: Problem) -> list[str]:
    """Return one explanation per rule the pins alone break (empty when a plan exists)."""
    return [
        f"Pinned sessions break {violation}. To fix: {RELAX[violation.rule]}"
        for violation in pin_violations(problem)
    ]


# Why a session stayed out of a plan; the web app words these codes in the reader's language.
NO_ROOM_HAS_NEEDS = "needs"
TOO_LONG = "length"
NOWHERE_AVAILABLE = "unavailable"
ALL_TAKEN = "taken"


def unscheduled_reason(problem: Problem, session_: Session) -> str:
    """Classify why a session is not in a plan (one of the codes above)."""
    if not any(session_.needs <= room.features for room in problem.rooms):
        return NO_ROOM_HAS_NEEDS
    if not any(problem.occupied_slots(session_, slot.id) for slot in problem.slots):
        return TOO_LONG
    allowed = any(
        not place_problems(problem, session_, room, slot.id)
        for room in problem.rooms
        for slot in problem.slots
    )
    return ALL_TAKEN if allowed else NOWHERE_AVAILABLE


def fitting_places(problem: Problem, plan: Plan, session_: Session) -> list[tuple[Room, Slot]]:
    """Where `session_`, out of `plan`, could go in it as it stands without breaking a rule
    that concerns it: a session taken out by hand usually has such places, and then "every
    place is taken" would be untrue."""
    fitting = []
    for room in problem.rooms:
        for slot in problem.slots:
            if place_problems(problem, session_, room, slot.id):
                continue
            trial = replace(
                plan,
                assignments=(*plan.assignments, Assignment(session_.id, room.id, slot.id)),
                unscheduled=tuple(key for key in plan.unscheduled if key != session_.id),
            )
            broken = violations(problem, trial)
            if not any(session_.id in violation.sessions for violation in broken):
                fitting.append((room, slot))
    return fitting


# Why a session is out of the plan, per reason: one wording, in English here (solver warnings
# in plan@1) and through gettext on the board (planner/wording.py).
UNSCHEDULED = {
    NO_ROOM_HAS_NEEDS: N_(
        "%(title)s cannot be scheduled: no room has everything it needs (%(needs)s). "
        "Add the feature to a room or drop the need."
    ),
    TOO_LONG: N_(
        "%(title)s cannot be scheduled: no day has %(length)s slots in a row. "
        "Shorten it or add slots."
    ),
    NOWHERE_AVAILABLE: N_(
        "%(title)s cannot be scheduled anywhere: it, or every room that suits it, is "
        "unavailable at every time. Make the session or a suitable room available in more slots."
    ),
    ALL_TAKEN: N_(
        "%(title)s could not be scheduled: every room and time it may use is taken, or a host "
        "is busy then. Add a room or slot, or relax its needs or unavailable times."
    ),
}


def why_unscheduled(
    problem: Problem,
    session_: Session,
    *,
    translate: Callable[[str], str] = N_,
    title: str | None = None,
) -> str:
    """Say why a session stayed out of the plan, and what to relax.

    Args:
        translate: gives the reader's wording of a sentence (the web app passes gettext).
        title: how to name the session (default: its title and id, in quotes).
    """
    label = f'"{session_.title}" ({session_.id})' if session_.title else session_.id
    sentence = translate(UNSCHEDULED[unscheduled_reason(problem, session_)])
    return sentence % {
        "title": title or label,
        "needs": ", ".join(sorted(session_.needs)),
        "length": session_.length,
    }
