"""The scheduler's findings in the reader's language.

The scheduler is pure Python and speaks English; its Violation records say which rule, which
sessions, rooms and slots. Here each rule becomes a sentence in German or English with the
names people know.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .scheduler import Problem, Room, Slot, explain
from .scheduler.explain import RELAX
from .scheduler.validate import Violation

RULE_SENTENCES = {
    0: _l("The plan names something that no longer exists: %(sessions)s."),
    1: _l("%(sessions)s are in the same room (%(rooms)s) at the same time."),
    2: _l("%(sessions)s does not fit: it needs more consecutive slots on that day."),
    3: _l("%(sessions)s have a host in common and run at the same time."),
    4: _l("%(sessions)s is placed at a time when it or its room (%(rooms)s) is unavailable."),
    5: _l("%(sessions)s needs something the room %(rooms)s lacks."),
    6: _l("%(sessions)s is pinned elsewhere (%(rooms)s)."),
    7: _l("%(sessions)s is in the plan more than once."),
}


# A need the room lacks, said as staff say it ("needs a projector; room Lounge has none").
MISSING_FEATURE = {
    "projector": _l("%(title)s needs a projector; room %(room)s has none."),
    "stream": _l("%(title)s needs a live stream; room %(room)s has none."),
    "accessible": _l("%(title)s needs step-free access; room %(room)s has none."),
    "whiteboard": _l("%(title)s needs a whiteboard; room %(room)s has none."),
}
MISSING_OTHER = _l("%(title)s needs “%(need)s”; room %(room)s does not have it.")


def describe(problem: Problem, violation: Violation) -> str:
    """One broken rule as a sentence with session titles and room names."""
    if violation.rule == 5 and _missing_needs(problem, violation):
        return _missing_needs(problem, violation)
    sessions = " / ".join(
        f"„{problem.session_by_id[key].title}“" if key in problem.session_by_id else key
        for key in violation.sessions
    )
    rooms = ", ".join(
        problem.room_by_id[key].name if key in problem.room_by_id else key
        for key in violation.rooms
    )
    return str(RULE_SENTENCES[violation.rule]) % {"sessions": sessions, "rooms": rooms or "—"}


def _missing_needs(problem: Problem, violation: Violation) -> str:
    """What exactly a session needs that its room lacks, one sentence per need."""
    session_ = problem.session_by_id.get(violation.sessions[0]) if violation.sessions else None
    room = problem.room_by_id.get(violation.rooms[0]) if violation.rooms else None
    if session_ is None or room is None:
        return ""
    title = f"„{session_.title}“"
    return " ".join(
        str(MISSING_FEATURE.get(need, MISSING_OTHER))
        % {"title": title, "room": room.name, "need": need}
        for need in sorted(session_.needs - room.features)
    )


def describe_pin_clash(problem: Problem, violation: Violation) -> str:
    """A clash of pins that makes every plan impossible, and what to relax."""
    fix = _(RELAX[violation.rule]) if violation.rule in RELAX else ""
    return _(
        "No plan is possible: %(reason)s %(fix)s", reason=describe(problem, violation), fix=fix
    )


def why_unscheduled(
    problem: Problem, session_id: str, places: Sequence[tuple[Room, Slot]] = ()
) -> str:
    """Why a session stayed out of the plan, and what would let it in. Free `places` that
    would take it (`fitting_places` in the plan it is out of) come first: a session taken out
    by hand usually has some."""
    session_ = problem.session_by_id[session_id]
    title = f"„{session_.title}“"
    if places:
        room, slot = places[0]
        return ngettext(
            "%(title)s is not in the plan, but %(num)d free place would take it: %(room)s "
            "at %(time)s. Drag it there, or re-plan.",
            "%(title)s is not in the plan, but %(num)d free places would take it, for "
            "example %(room)s at %(time)s. Drag it there, or re-plan.",
            len(places),
            title=title,
            room=room.name,
            time=f"{slot.start:%d.%m. %H:%M}",
        )
    return explain.why_unscheduled(problem, session_, translate=_, title=title)
