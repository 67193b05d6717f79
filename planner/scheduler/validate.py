"""The independent judge of a plan: which hard rules it breaks and how good it is.

Nothing here knows how plans are made. It follows docs/formats.md to the letter and is deliberately
simple, so that the solver's faster, incremental bookkeeping can be checked against it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .problem import Assignment, Plan, Problem

# What each hard rule of FORMAT.md says, for messages and for the web app's explanations.
RULES = {
    0: "the plan must name known sessions, rooms and slots and list every unplaced session",
    1: "at most one session per room and slot",
    2: "a session of length L occupies L consecutive slots in one room",
    3: "no host is in two sessions at the same time",
    4: "no session or room is used in a slot where it is unavailable",
    5: "the room has every feature the session needs",
    6: "a pinned session is held exactly where it is pinned",
    7: "each session is scheduled at most once",
}


@dataclass(frozen=True)
class Violation:
    """One broken rule, with the sessions, rooms and slots involved."""

    rule: int
    message: str
    sessions: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"rule {self.rule} ({RULES[self.rule]}): {self.message}"


def violations(problem: Problem, plan: Plan) -> list[Violation]:
    """List every hard rule the plan breaks, in words a person understands."""
    known = [item for item in plan.assignments if _known(problem, item)]
    found = list(_check_references(problem, plan))
    for check in (
        _rule_room_clash,
        _rule_consecutive,
        _rule_hosts,
        _rule_unavailable,
        _rule_needs,
        _rule_pins,
        _rule_once,
    ):
        found.extend(check(problem, plan, known))
    return found


def _known(problem: Problem, item: Assignment) -> bool:
    return (
        item.session in problem.session_by_id
        and item.room in problem.room_by_id
        and item.slot in problem.slot_index
    )


def _label(problem: Problem, session_id: str) -> str:
    session_ = problem.session_by_id.get(session_id)
    return f'"{session_.title}" ({session_id})' if session_ and session_.title else session_id


def _slots_taken(problem: Problem, item: Assignment) -> list[int]:
    """Slot indices an assignment takes, cut off at the end of the slot list."""
    start = problem.slot_index[item.slot]
    length = problem.session_by_id[item.session].length
    return list(range(start, min(start + length, len(problem.slots))))


def _check_references(problem: Problem, plan: Plan) -> Iterator[Violation]:
    for item in plan.assignments:
        if not _known(problem, item):
            yield Violation(
                0,
                f"assignment {item.session} → {item.room}, {item.slot} names "
                "an unknown session, room or slot",
                (item.session,),
            )
    assigned = {item.session for item in plan.assignments}
    listed = Counter(plan.unscheduled)
    for session_id, count in listed.items():
        if session_id not in problem.session_by_id:
            yield Violation(0, f"unscheduled names an unknown session {session_id}", (session_id,))
        elif session_id in assigned:
            yield Violation(
                0,
                f"{_label(problem, session_id)} is both assigned and listed as unscheduled",
                (session_id,),
            )
        elif count > 1:
            yield Violation(
                0,
                f"{_label(problem, session_id)} is listed as unscheduled {count} times",
                (session_id,),
            )
    for session_ in problem.sessions:
        if session_.id not in assigned and session_.id not in listed:
            yield Violation(
                0,
                f"{_label(problem, session_.id)} is neither assigned nor listed as unscheduled",
                (session_.id,),
            )


def _rule_room_clash(problem: Problem, plan: Plan, known: list[Assignment]):
    users: dict[tuple[str, int], list[str]] = defaultdict(list)
    for item in known:
        for index in _slots_taken(problem, item):
            users[item.room, index].append(item.session)
    for (room, index), session_ids in users.items():
        session_ids = list(dict.fromkeys(session_ids))  # twice the same session is rule 7
        if len(session_ids) > 1:
            names = " and ".join(_label(problem, session_id) for session_id in session_ids)
            slot = problem.slots[index].id
            yield Violation(
                1,
                f"{names} are both in room {problem.room_by_id[room].name} in slot {slot}",
                tuple(session_ids),
                (room,),
                (slot,),
            )


def _rule_consecutive(problem: Problem, plan: Plan, known: list[Assignment]):
    for item in known:
        session_ = problem.session_by_id[item.session]
        if problem.occupied_slots(session_, item.slot) is None:
            yield Violation(
                2,
                f"{_label(problem, item.session)} needs {session_.length} "
                f"consecutive slots on one day from slot {item.slot}, which "
                "do not exist",
                (item.session,),
                (item.room,),
                (item.slot,),
            )


def _rule_hosts(problem: Problem, plan: Plan, known: list[Assignment]):
    by_host: dict[str, list[Assignment]] = defaultdict(list)
    for item in known:
        for host in set(problem.session_by_id[item.session].hosts):
            by_host[host].append(item)
    for host, items in by_host.items():
        for first_index, first in enumerate(items):
            for second in items[first_index + 1 :]:
                if first.session != second.session and _overlap(problem, first, second):
                    yield Violation(
                        3,
                        f"{host} hosts both {_label(problem, first.session)} "
                        f"and {_label(problem, second.session)} at the same time",
                        (first.session, second.session),
                        (first.room, second.room),
                    )


def _overlap(problem: Problem, first: Assignment, second: Assignment) -> bool:
    start_a, end_a = problem.interval(tuple(_slots_taken(problem, first)))
    start_b, end_b = problem.interval(tuple(_slots_taken(problem, second)))
    return start_a < end_b and start_b < end_a


def _rule_unavailable(problem: Problem, plan: Plan, known: list[Assignment]):
    for item in known:
        session_ = problem.session_by_id[item.session]
        room = problem.room_by_id[item.room]
        for index in _slots_taken(problem, item):
            slot = problem.slots[index].id
            if slot in session_.unavailable:
                yield Violation(
                    4,
                    f"{_label(problem, item.session)} is placed in slot {slot}, which it cannot do",
                    (item.session,),
                    (),
                    (slot,),
                )
            if slot in room.unavailable:
                yield Violation(
                    4,
                    f"room {room.name} is used in slot {slot}, where it is not available",
                    (item.session,),
                    (room.id,),
                    (slot,),
                )


def _rule_needs(problem: Problem, plan: Plan, known: list[Assignment]):
    for item in known:
        missing = problem.session_by_id[item.session].needs - problem.room_by_id[item.room].features
        if missing:
            room = problem.room_by_id[item.room]
            yield Violation(
                5,
                f"{_label(problem, item.session)} needs "
                f"{', '.join(sorted(missing))}, which room {room.name} lacks",
                (item.session,),
                (room.id,),
            )


def _rule_pins(problem: Problem, plan: Plan, known: list[Assignment]):
    by_session: dict[str, list[Assignment]] = defaultdict(list)
    for item in known:
        by_session[item.session].append(item)
    for session_ in problem.sessions:
        pin = session_.pinned
        if pin is None:
            continue
        placed = by_session.get(session_.id, [])
        if not any(item.room == pin.room and item.slot == pin.slot for item in placed):
            yield Violation(
                6,
                f"{_label(problem, session_.id)} is pinned to room "
                f"{problem.room_by_id[pin.room].name} in slot {pin.slot} but is "
                "not held there",
                (session_.id,),
                (pin.room,),
                (pin.slot,),
            )


def _rule_once(problem: Problem, plan: Plan, known: list[Assignment]):
    counts = Counter(item.session for item in plan.assignments)
    for session_id, count in counts.items():
        if count > 1:
            yield Violation(
                7, f"{_label(problem, session_id)} is scheduled {count} times", (session_id,)
            )


# --- metrics -------------------------------------------------------------------------------


def metrics(problem: Problem, plan: Plan) -> dict[str, Any]:
    """Compute the quality figures of FORMAT.md and a few more for people.

    `scheduled`, `lost_interests`, `overflow_people` and `missed` are FORMAT.md's;
    `attendable_share` is the share of all marks that can be attended, `fullest_room` the
    highest ratio of expected on-site people to seats.
    """
    placements = _placements(problem, plan)
    lost = sum(_lost_for_voter(problem, placements, vote) for vote in problem.votes)
    expected = expected_attendance(problem, placements)
    overflow = Fraction(0)
    fullest: tuple[Fraction, str | None] = (Fraction(0), None)
    for session_id, people in expected.items():
        capacity = problem.room_by_id[placements[session_id][0]].capacity
        overflow += max(Fraction(0), people - capacity)
        if capacity > 0:
            fullest = max(fullest, (people / capacity, session_id), key=lambda pair: pair[0])
    total_marks = sum(len(vote.sessions) for vote in problem.votes)
    return {
        "scheduled": len(placements),
        "lost_interests": lost,
        "overflow_people": _number(overflow),
        "missed": _number(lost + overflow),
        "interests": total_marks,
        "attendable_share": round(1 - lost / total_marks, 4) if total_marks else 1.0,
        "fullest_room": round(float(fullest[0]), 3),
        "fullest_session": fullest[1],
    }


def expected_people(problem: Problem, plan: Plan) -> dict[str, Fraction]:
    """Expected on-site people per scheduled session (FORMAT.md), for showing against seats."""
    return expected_attendance(problem, _placements(problem, plan))


def _number(value: Fraction) -> float | int:
    """Write a people count as an int when whole, else as a float rounded to 1e-6."""
    return int(value) if value.denominator == 1 else round(float(value), 6)


def _placements(problem: Problem, plan: Plan) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Map each scheduled session to its room and the slot indices it takes."""
    placements = {}
    for item in plan.assignments:
        if _known(problem, item) and item.session not in placements:
            placements[item.session] = (item.room, tuple(_slots_taken(problem, item)))
    return placements


def _lost_for_voter(problem: Problem, placements: dict, vote) -> int:
    """Marks minus the most marked sessions the voter can attend without overlaps."""
    intervals = []
    for session_id in vote.sessions:
        placed = placements.get(session_id)
        if placed is None:
            continue
        if vote.online and not problem.room_by_id[placed[0]].streams:
            continue
        intervals.append(problem.interval(placed[1]))
    return len(vote.sessions) - max_disjoint(intervals)


def max_disjoint(intervals: list[tuple[Any, Any]]) -> int:
    """Return the largest number of pairwise non-overlapping half-open intervals."""
    count = 0
    free_from = None
    for start, end in sorted(intervals, key=lambda interval: interval[1]):
        if free_from is None or start >= free_from:
            count += 1
            free_from = end
    return count


def expected_attendance(problem: Problem, placements: dict) -> dict[str, Fraction]:
    """Expected on-site people per scheduled session: its fullest slot's voter shares plus
    `extra_interest`."""
    shares: dict[tuple[str, int], Fraction] = defaultdict(Fraction)
    for vote in problem.votes:
        if vote.online:
            continue
        by_slot: dict[int, list[str]] = defaultdict(list)
        for session_id in vote.sessions:
            for index in placements.get(session_id, (None, ()))[1]:
                by_slot[index].append(session_id)
        for index, session_ids in by_slot.items():
            for session_id in session_ids:
                shares[session_id, index] += Fraction(1, len(session_ids))
    return {
        session_id: problem.session_by_id[session_id].extra_interest
        + max(shares[session_id, index] for index in slots)
        for session_id, (_room, slots) in placements.items()
    }
