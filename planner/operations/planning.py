"""The planning board's operations: the organisers' draft plan, generating and re-planning it,
moving and pinning sessions, publishing immutable versions.

Every plan that is stored goes through the scheduler's validator first: a change that breaks
a hard rule raises UserInputError with the rule in words, and nothing is saved. A failed solve
raises before anything is written, so the draft and the published plan stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import ConflictError, UserInputError
from ..extensions import db
from ..models import DRAFT_HISTORY, Event, PlanVersion, SolveJob, Talk, ballot_mark, utcnow
from ..scheduler import (
    Assignment,
    InfeasibleError,
    Plan,
    Problem,
    Room,
    Slot,
    dump_plan,
    metrics,
    parse_plan,
    solve,
    violations,
)
from ..scheduler.explain import fitting_places, pin_violations
from ..scheduler.state import MOVE_COST
from ..scheduler.validate import Violation, expected_people
from ..wording import describe, describe_pin_clash
from . import notices
from .schedule import latest_published
from .transfer import to_problem


@dataclass(frozen=True)
class Change:
    """One session whose place differs between two plan versions (None: not scheduled)."""

    talk: str
    before: tuple[str, str] | None
    after: tuple[str, str] | None
    # Withdrawn: `after` is its last place, where the plan says it is cancelled.
    cancelled: bool = False


@dataclass
class Board:
    """What the planning board shows: the draft with its figures and problems.

    `cells` maps (room key, slot key) to the talk starting there, or COVERED under the later
    slots of a longer session; `unpublished` lists what differs from the published plan
    (everything, while `published` is False: nothing was ever published).
    """

    problem: Problem
    plan: Plan | None
    people: dict[str, Fraction] = field(default_factory=dict)
    broken: list[Violation] = field(default_factory=list)
    cells: dict[tuple[str, str], Any] = field(default_factory=dict)
    unpublished: list[Change] = field(default_factory=list)
    published: bool = False
    # Per session out of the plan, the free places that would take it: worked out once here,
    # for the board's explanations (each place is a run of the validator).
    fits: dict[str, list[tuple[Room, Slot]]] = field(default_factory=dict)


COVERED = "covered"


def draft(event: Event) -> PlanVersion | None:
    """The organisers' working plan (not published), if any."""
    return next((version for version in event.plans if version.published_at is None), None)


def revision(event: Event) -> int:
    """How often the draft has changed: 0 before the first plan. The board sends it back
    with every change, so a change made on an older view of the plan is refused."""
    working = draft(event)
    return working.revision if working else 0


def check_revision(event: Event, seen: int | None, seen_places: str | None = None) -> None:
    """Raise ConflictError if the draft changed since the board that sent `seen` was drawn;
    its problems are the message and, when the board also sent the places it showed
    (`seen_places`, see `places_token`), one line per session that changed since.

    A change without `seen` is refused the same way: it could silently overwrite another
    organiser's newer plan, whether it came from a page or a script.
    """
    if seen != revision(event):
        lines = what_changed(event, seen_places) if seen_places is not None else []
        raise ConflictError([stale_plan_message(), *lines])


def stale_plan_message() -> str:
    """What an organiser reads when their change met a newer plan."""
    return _(
        "The plan was changed in another window or by another organiser since this page "
        "was loaded. Your change was not applied. The board now shows the current plan: "
        "check it and try again."
    )


def places_token(event: Event) -> str:
    """The draft's places in a few characters each ("s12@r3/t7;..."), for the board's forms:
    if the plan changes meanwhile, the answer can say what changed."""
    working = draft(event)
    places = _places(working.document if working else None)
    return ";".join(f"{key}@{room}/{slot}" for key, (room, slot) in sorted(places.items()))


def what_changed(event: Event, token: str) -> list[str]:
    """The sessions placed differently now than on the board that sent `token`, in words."""
    seen = []
    for part in token.split(";"):
        key, _at, place = part.partition("@")
        room, _slash, slot = place.partition("/")
        if key and room and slot:
            seen.append({"session": key, "room": room, "slot": slot})
    working = draft(event)
    now = working.document if working else {"assignments": []}
    titles = {talk.key: talk.title for talk in event.talks}
    rooms = {room.key: room.name for room in event.rooms}
    starts = {slot.key: f"{slot.starts_at:%H:%M}" for slot in event.slots}
    lines = []
    for change in changes({"assignments": seen}, now):
        title = titles.get(change.talk)
        if title is None:  # not a session of this event: a forged or stale token
            continue
        if change.after is None:
            lines.append(_("Meanwhile “%(title)s” was taken out of the plan.", title=title))
        else:
            room, slot = change.after
            lines.append(
                _(
                    "Meanwhile “%(title)s” moved to %(room)s at %(time)s.",
                    title=title,
                    room=rooms.get(room, room),
                    time=starts.get(slot, slot),
                )
            )
    return lines


def problem_and_draft(event: Event) -> tuple[Problem, Plan | None]:
    """The event as the scheduler sees it now, and the draft read against it (None: none yet)."""
    problem = to_problem(event)
    working = draft(event)
    return problem, _current(problem, working.document) if working is not None else None


def board(event: Event) -> Board:
    """The draft plan read against the event as it is now, with expected people and problems."""
    problem, plan = problem_and_draft(event)
    if plan is None:
        return Board(problem, None)
    # The stored figures are those of the moment the draft was saved; sessions withdrawn,
    # rooms changed or votes cast since then change them, and the board shows them as now.
    plan.metrics.update(metrics(problem, plan))
    before = latest_published(event)
    return Board(
        problem,
        plan,
        expected_people(problem, plan),
        violations(problem, plan),
        _cells(event, plan),
        changes(before.document if before else None, _publishable(event, plan, before)),
        published=before is not None,
        fits={
            key: fitting_places(problem, plan, problem.session_by_id[key])
            for key in plan.unscheduled
            if key in problem.session_by_id
        },
    )


def _cells(event: Event, plan: Plan) -> dict[tuple[str, str], Any]:
    talks = {talk.key: talk for talk in event.active_talks}
    slot_keys = [slot.key for slot in event.slots]
    cells: dict[tuple[str, str], Any] = {}
    for item in plan.assignments:
        talk = talks[item.session]
        cells[item.room, item.slot] = talk
        start = slot_keys.index(item.slot)
        for covered in slot_keys[start + 1 : start + talk.length]:
            cells[item.room, covered] = COVERED
    return cells


def overfull(event: Event, board_: Board) -> list[tuple[str, str, int, int]]:
    """Sessions expected to bring more whole people than their room has seats: (room name,
    title, people, seats), fullest first."""
    if board_.plan is None:
        return []
    rooms = {room.key: room for room in event.rooms}
    titles = {talk.key: talk.title for talk in event.talks}
    found = []
    for item in board_.plan.assignments:
        room, people = rooms.get(item.room), round(board_.people.get(item.session, 0))
        if room is not None and people > room.capacity:
            found.append((room.name, titles.get(item.session, item.session), people, room.capacity))
    return sorted(found, key=lambda row: row[3] - row[2])


def published_versions(event: Event) -> list[PlanVersion]:
    """The event's published versions, newest first."""
    versions = [item for item in event.plans if item.published_at is not None]
    return sorted(versions, key=lambda item: item.number, reverse=True)


def version_changes(event: Event, number: int) -> tuple[PlanVersion, list[Change]] | None:
    """A published version and what changed since the one before (None if there is none)."""
    versions = [item for item in event.plans if item.published_at is not None]
    current = next((item for item in versions if item.number == number), None)
    if current is None:
        return None
    earlier = [item for item in versions if item.number < number]
    return current, changes(earlier[-1].document if earlier else None, current.document)


def _current(problem: Problem, document: dict[str, Any]) -> Plan:
    """The stored plan restricted to sessions, rooms and slots that still exist; sessions added
    since it was made count as unscheduled."""
    stored = parse_plan({**document, "assignments": [], "unscheduled": []})
    known = problem.session_by_id
    assignments = tuple(
        Assignment(item["session"], item["room"], item["slot"])
        for item in document.get("assignments", [])
        if item["session"] in known
        and item["room"] in problem.room_by_id
        and item["slot"] in problem.slot_index
    )
    placed = {item.session for item in assignments}
    unscheduled = tuple(session_.id for session_ in problem.sessions if session_.id not in placed)
    return replace(stored, assignments=assignments, unscheduled=unscheduled)


def generate(event: Event, *, keep: bool, time_limit: float | None, workers: int | None) -> Plan:
    """Solve the event into a new draft in this process (the web app solves in the
    background, see operations/solving.py); with `keep`, the current draft's places are kept
    where possible and the plan lists what moved."""
    plannable(event)
    problem, previous, costs = solve_inputs(event, keep)
    try:
        plan = solve(
            problem, time_limit=time_limit, keep=previous, move_costs=costs, workers=workers
        )
    except InfeasibleError:
        raise UserInputError(infeasible_reasons(problem)) from None
    _save_draft(event, plan)
    return plan


def plannable(event: Event) -> Problem:
    """The event as a problem to solve; UserInputError if there is nothing to plan yet."""
    problem = to_problem(event)
    if not problem.sessions:
        raise UserInputError(_("There are no sessions to plan yet."))
    if not problem.rooms or not problem.slots:
        raise UserInputError(_("Add rooms and slots before generating a plan."))
    return problem


def infeasible_reasons(problem: Problem) -> list[str]:
    """Why no plan exists (the pins clash), in the organisers' words."""
    return [describe_pin_clash(problem, clash) for clash in pin_violations(problem)]


def move(event: Event, talk: Talk, room_key: str | None, slot_key: str | None) -> Plan:
    """Move a session to a room and first slot (None: take it out of the plan). A session
    already there swaps into the moved session's old place. Broken rules raise."""
    problem = to_problem(event)
    working = draft(event)
    if working is None:
        raise UserInputError(_("Generate a plan first."))
    plan = _current(problem, working.document)
    target = (room_key, slot_key) if room_key and slot_key else None
    return _store_checked(event, problem, _with_move(plan, talk.key, target))


def _with_move(plan: Plan, talk_key: str, target: tuple[str, str] | None) -> Plan:
    old = plan.assignment_by_session.get(talk_key)
    holder = next(
        (
            item
            for item in plan.assignments
            if target and item.session != talk_key and (item.room, item.slot) == target
        ),
        None,
    )
    moving = {talk_key} | ({holder.session} if holder else set())
    assignments = [item for item in plan.assignments if item.session not in moving]
    if target:
        assignments.append(Assignment(talk_key, *target))
    if holder and old:  # a swap: the session that was there takes the old place
        assignments.append(Assignment(holder.session, old.room, old.slot))
    placed = {item.session for item in assignments}
    unscheduled = [key for key in (*plan.unscheduled, *sorted(moving)) if key not in placed]
    return Plan(
        assignments=tuple(assignments),
        unscheduled=tuple(dict.fromkeys(unscheduled)),
        solver=dict(plan.solver),
    )


def _store_checked(event: Event, problem: Problem, plan: Plan) -> Plan:
    broken = violations(problem, plan)
    if broken:
        raise UserInputError([describe(problem, violation) for violation in broken])
    plan.metrics.clear()
    plan.metrics.update(metrics(problem, plan))
    plan.solver.update(status="EDITED")
    _save_draft(event, plan)
    return plan


def set_pin(event: Event, talk: Talk, pinned: bool) -> None:
    """Pin a session where the draft has it (so re-planning keeps it there), or unpin it."""
    if not pinned:
        talk.pinned_room, talk.pinned_slot = None, None
        db.session.flush()
        return
    working = draft(event)
    item = working and _current(to_problem(event), working.document).assignment_by_session.get(
        talk.key
    )
    if not item:
        raise UserInputError(_("Only a session that has a place in the plan can be pinned."))
    talk.pinned_room = next(room for room in event.rooms if room.key == item.room)
    talk.pinned_slot = next(slot for slot in event.slots if slot.key == item.slot)
    db.session.flush()


def restore_place(event: Event, talk: Talk) -> None:
    """Put a restored session back into the draft where the published plan last had it, if
    that place is free and no rule breaks; otherwise it waits under "not scheduled"."""
    working, published = draft(event), latest_published(event)
    if working is None or published is None or talk.withdrawn:
        return
    problem = to_problem(event)
    plan = _current(problem, working.document)
    earlier = {**_places(published.document, "cancelled"), **_places(published.document)}
    place = earlier.get(talk.key)
    if talk.key in plan.assignment_by_session or place is None:
        return
    if any((item.room, item.slot) == place for item in plan.assignments):
        return
    moved = _with_move(plan, talk.key, place)
    if not violations(problem, moved):
        _store_checked(event, problem, moved)


def take_off_public_plan(talk: Talk) -> None:
    """Stop telling readers that a withdrawn session is cancelled: it leaves the public plan."""
    if not talk.withdrawn:
        raise UserInputError(_("Only a withdrawn session can be taken off the public plan."))
    talk.off_public_plan = True
    db.session.flush()


def import_plan(event: Event, document: Any) -> Plan:
    """Make a plan@1 document the draft, if it names this event's ids and breaks no rule."""
    problem = to_problem(event)
    plan = parse_plan(document, problem)
    return _store_checked(event, problem, plan)


def publish(event: Event) -> tuple[PlanVersion, list[Change]]:
    """Publish the draft as a new immutable version; return it and what changed since the
    previous published version."""
    working = draft(event)
    if working is None:
        raise UserInputError(_("There is no plan to publish yet: generate one first."))
    problem = to_problem(event)
    plan = _current(problem, working.document)
    broken = violations(problem, plan)
    if broken:
        raise UserInputError([describe(problem, violation) for violation in broken])
    before = latest_published(event)
    document = _publishable(event, plan, before)
    changed = changes(before.document if before else None, document)
    if before is not None and not changed:
        # Titles, hosts and rooms are read live, so a same-places version would only make
        # screens and calendars reload for nothing.
        raise UserInputError(
            _("Nothing to publish: version %(number)s already has this plan.", number=before.number)
        )
    version = PlanVersion(
        event=event, number=_next_number(event), document=document, published_at=utcnow()
    )
    db.session.add(version)
    db.session.flush()
    notices.record(event, version, changed)
    return version, changed


def _publishable(event: Event, plan: Plan, before: PlanVersion | None) -> dict[str, Any]:
    """The draft as the next published version: sessions withdrawn after an earlier version
    stay in it at their last place, listed under "cancelled", until the organisers take them
    off the public plan, so readers keep being told they do not take place."""
    document = dump_plan(plan)
    if before is None:
        return document
    placed = {item.session for item in plan.assignments}
    earlier = [*before.document.get("assignments", []), *before.document.get("cancelled", [])]
    withdrawn = {talk.key for talk in event.talks if talk.withdrawn and not talk.off_public_plan}
    cancelled = [
        {"session": item["session"], "room": item["room"], "slot": item["slot"]}
        for item in earlier
        if item.get("session") in withdrawn and item["session"] not in placed
    ]
    if cancelled:
        document["cancelled"] = cancelled
    return document


def changes(before: dict | None, after: dict) -> list[Change]:
    """Sessions placed differently in `after` than in `before` (all of them if no before),
    and those cancelled in `after` that were not yet."""
    old, new = _places(before), _places(after)
    old_cancelled = _places(before, "cancelled")
    new_cancelled = _places(after, "cancelled")
    found = []
    for talk in sorted(
        set(old) | set(new) | set(old_cancelled) | set(new_cancelled), key=_key_order
    ):
        if talk in new_cancelled:
            if talk not in old_cancelled:
                found.append(Change(talk, old.get(talk), new_cancelled[talk], cancelled=True))
        elif talk in old_cancelled:  # restored, or taken off the public plan
            found.append(Change(talk, None, new.get(talk)))
        elif old.get(talk) != new.get(talk):
            found.append(Change(talk, old.get(talk), new.get(talk)))
    return found


def _places(document: dict | None, part: str = "assignments") -> dict[str, tuple[str, str]]:
    if not document:
        return {}
    return {item["session"]: (item["room"], item["slot"]) for item in document.get(part, [])}


def _key_order(key: str) -> tuple[int, str]:
    return (int(key[1:]) if key[1:].isdigit() else 0, key)


def _save_draft(event: Event, plan: Plan) -> None:
    replace_draft(event, dump_plan(plan))


def replace_draft(event: Event, document: dict[str, Any]) -> None:
    """Make `document` (plan@1, checked by the caller) the draft; the one before can be
    brought back with `undo`."""
    working = draft(event)
    if working is None:
        # The draft is number 0; published versions count 1, 2, 3, ...
        working = PlanVersion(event=event, number=0, document={}, history=[])
        db.session.add(working)
    elif working.document.get("assignments") is not None:
        # A new list, so the JSON column sees the change.
        working.history = [*(working.history or []), working.document][-DRAFT_HISTORY:]
    working.document = document
    working.created_at = utcnow()
    db.session.flush()


def undo_steps(event: Event) -> int:
    """How many changes of the draft can be undone."""
    working = draft(event)
    return len(working.history or []) if working else 0


def undo(event: Event) -> None:
    """Bring back the draft as it was before its last change."""
    working = draft(event)
    if working is None or not working.history:
        raise UserInputError(_("There is no change to undo."))
    *earlier, last = working.history
    working.history = earlier
    working.document = last
    working.created_at = utcnow()
    db.session.flush()


def reset_to_version(event: Event, number: int) -> Plan:
    """Make a published version's places the draft again (undo brings back the draft)."""
    version = next((item for item in published_versions(event) if item.number == number), None)
    if version is None:
        raise UserInputError(_("There is no published version %(number)s.", number=number))
    problem = to_problem(event)
    return _store_checked(event, problem, _current(problem, version.document))


def solve_inputs(event: Event, keep: bool) -> tuple[Problem, Plan | None, dict[str, Fraction]]:
    """What a solve starts from: the event, with `keep` the draft to stay close to, and the
    cost of moving each session that is published where the draft has it.

    A published session is in people's agendas and calendars: moving it costs as many missed
    people as marked it (at least the solver's usual cost), so it moves only where a rule
    forces it or more people gain than planned to go.
    """
    problem, plan = problem_and_draft(event)
    if not keep or plan is None:
        return problem, None, {}
    published = latest_published(event)
    places = _places(published.document) if published else {}
    marks = _mark_counts(event)
    costs = {
        item.session: max(MOVE_COST, Fraction(marks.get(item.session, 0)))
        for item in plan.assignments
        if places.get(item.session) == (item.room, item.slot)
    }
    return problem, plan, costs


def _mark_counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(ballot_mark.c.talk_id, sa.func.count())
        .join(Talk, Talk.id == ballot_mark.c.talk_id)
        .where(Talk.event_id == event.id)
        .group_by(ballot_mark.c.talk_id)
    )
    return {f"s{talk_id}": count for talk_id, count in rows}


@dataclass(frozen=True)
class Proposal:
    """A solver result waiting for the organisers: what taking it would change."""

    moved: int
    published_moved: int
    gain: int


def asks_before_applying(event: Event) -> bool:
    """Whether a solver result waits for the organisers instead of replacing the draft: once
    a plan is published, people follow it, so nothing moves without a look first."""
    return latest_published(event) is not None


def proposal(event: Event, job: SolveJob) -> Proposal | None:
    """What taking a finished job's plan would change, if it waits for the organisers (not
    applied, and the draft unchanged since the job began)."""
    if job.active or job.applied or not job.plan or job.draft_revision != revision(event):
        return None
    working, published = draft(event), latest_published(event)
    if working is None:
        return None
    problem = to_problem(event)
    now, new = _current(problem, working.document), _current(problem, job.plan)
    published_places = _places(published.document) if published else {}
    new_places = _places(dump_plan(new))
    moved = [key for key, place in _places(dump_plan(now)).items() if new_places.get(key) != place]
    published_moved = [
        key
        for key, place in published_places.items()
        if key in new_places and new_places[key] != place
    ]
    gain = Fraction(metrics(problem, now)["missed"]) - Fraction(metrics(problem, new)["missed"])
    return Proposal(len(moved), len(published_moved), max(0, round(gain)))


def discard_result(event: Event, job: SolveJob) -> None:
    """Keep the draft as it is and drop a finished job's plan."""
    if job.event_id != event.id or job.active:
        raise UserInputError(_("There is no plan from the last generation to discard."))
    job.plan = None
    db.session.flush()


def _next_number(event: Event) -> int:
    # Lock the event row (PostgreSQL) so two organisers publishing at once get 1 and 2,
    # not both 1; SQLite serialises writers anyway, and the unique constraint is the backstop.
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    highest = db.session.scalar(
        sa.select(sa.func.max(PlanVersion.number)).where(PlanVersion.event_id == event.id)
    )
    return (highest or 0) + 1
