"""Explanations for people: why no plan exists, and why a session stayed unscheduled.

Every rule but the pins can be met by leaving sessions out, so a problem is infeasible
exactly when its pins alone break a rule. That makes the check exact and cheap: the plan of
pinned sessions alone goes through the validator, and each violation becomes a reason.
"""

from __future__ import annotations

from .problem import Assignment, Plan, Problem, Session
from .rules import place_problems
from .validate import Violation, violations

# What a person can change to resolve a clash of pins, per rule.
RELAX = {
    1: "unpin one of them or pin it to another room or slot",
    2: "pin it to an earlier slot, shorten the session or add a slot",
    3: "unpin one of them, move one to another time, or let a co-host take over",
    4: "pin it to another slot, or make the session or room available then",
    5: "pin it to a room with that feature, add the feature to the room, or drop the need",
    6: "pin it to a room and slot that exist",
    7: "remove the duplicate",
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
        f"Pinned sessions break {violation}. To fix: {RELAX[violation.rule]}."
        for violation in pin_violations(problem)
    ]


def why_unplaceable(problem: Problem, session_: Session) -> str:
    """Say why a session has no allowed place at all, and what to relax."""
    label = f'"{session_.title}" ({session_.id})' if session_.title else session_.id
    if not any(session_.needs <= room.features for room in problem.rooms):
        return (
            f"{label} cannot be scheduled: no room has all of its needs "
            f"({', '.join(sorted(session_.needs))}). Add the feature to a room or drop "
            "the need."
        )
    fits = [slot.id for slot in problem.slots if problem.occupied_slots(session_, slot.id)]
    if not fits:
        return (
            f"{label} cannot be scheduled: no day has {session_.length} consecutive "
            "slots. Shorten it or add slots."
        )
    reasons = sorted(
        {
            reason
            for room in problem.rooms
            for slot in problem.slots
            for reason in place_problems(problem, session_, room, slot.id)
        }
    )
    return (
        f"{label} cannot be scheduled anywhere: {'; '.join(reasons[:4])}"
        f"{'; …' if len(reasons) > 4 else ''}. Make the session or a suitable room "
        "available in more slots."
    )


def why_left_out(problem: Problem, session_: Session) -> str:
    """Say why a session with allowed places still stayed out of the plan."""
    label = f'"{session_.title}" ({session_.id})' if session_.title else session_.id
    return (
        f"{label} could not be scheduled: every room and slot it may use is taken or its "
        "host is busy then. Add a room or slot, or relax its needs or unavailable times."
    )
