"""Write a checked backup@1 document as a new event: everything or nothing, flushed and never
committed (the command or the request commits once)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from ...errors import UserInputError
from ...extensions import db
from ...models import Ballot, Event, PlanVersion, Room, Slot, Talk, VotingCode, new_token
from ..transfer import unique_slug
from .dump import map_plan_sessions
from .read import SLUG, SLUG_MAX, Backup, Row, parse_backup

SQLITE_MAX_VARIABLES = 500  # old SQLite builds allow 999 parameters in one statement


def restore_event(document: Any, *, slug: str | None = None) -> Event:
    """Create a new event from a backup@1 document; never touch an existing one.

    Args:
        document: the parsed JSON document.
        slug: the new event's address; by default the backup's own, numbered when taken.

    Raises FormatError listing every problem of the document, or UserInputError when `slug`
    is not usable, before anything is written.
    """
    backup = parse_backup(document)
    event = Event(**{**backup.event, "slug": _free_slug(backup.event["slug"], slug)})
    rows = _add_places_and_sessions(event, backup)
    _add_ballots_and_plans(event, backup, rows)
    return event


@dataclass
class _Restored:
    """The new rows by the backup's keys."""

    slots: dict[str, Slot]
    rooms: dict[str, Room]
    talks: dict[str, Talk]


def _add_places_and_sessions(event: Event, backup: Backup) -> _Restored:
    slots = {row.key: Slot(**row.columns) for row in backup.slots}
    rooms = {row.key: _new_room(row, slots) for row in backup.rooms}
    talks = {row.key: _new_talk(row, rooms, slots) for row in backup.sessions}
    _reissue_taken_tokens(list(talks.values()))
    event.slots, event.rooms, event.talks = [*slots.values()], [*rooms.values()], [*talks.values()]
    db.session.add(event)
    # Ballots' choices and plan documents name talks by row id: those exist after this flush.
    db.session.flush()
    _restore_counters(Talk, "version", zip(talks.values(), backup.sessions, strict=True))
    return _Restored(slots, rooms, talks)


def _add_ballots_and_plans(event: Event, backup: Backup, rows: _Restored) -> None:
    ballots = {row.key: _new_ballot(row, rows.talks) for row in backup.ballots}
    event.ballots = list(ballots.values())
    event.voting_codes = [
        VotingCode(**row.columns, ballot=ballots.get(row.refs["ballot"]))
        for row in backup.voting_codes
    ]
    plans = [_new_plan(row, rows) for row in backup.plans]
    event.plans = plans
    db.session.flush()
    _restore_counters(PlanVersion, "revision", zip(plans, backup.plans, strict=True))


def _free_slug(stored: str, wanted: str | None) -> str:
    """The wanted address if it is free, else the backup's own or a numbered variant."""
    if wanted is None:
        return unique_slug(stored) if _slug_taken(stored) else stored
    if len(wanted) > SLUG_MAX or not SLUG.fullmatch(wanted):
        raise UserInputError(
            _(
                "“%(slug)s” cannot be an event address: use lower-case letters, digits and "
                "hyphens (at most %(max)d characters).",
                slug=wanted,
                max=SLUG_MAX,
            )
        )
    if _slug_taken(wanted):
        raise UserInputError(
            _("Another event already has the address “%(slug)s”; choose another.", slug=wanted)
        )
    return wanted


def _slug_taken(slug: str) -> bool:
    return db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None


def _new_room(row: Row, slots: dict[str, Slot]) -> Room:
    return Room(**row.columns, unavailable=[slots[key] for key in row.refs["unavailable"]])


def _new_talk(row: Row, rooms: dict[str, Room], slots: dict[str, Slot]) -> Talk:
    return Talk(
        **row.columns,
        unavailable=[slots[key] for key in row.refs["unavailable"]],
        pinned_room=rooms.get(row.refs["pinned_room"]),
        pinned_slot=slots.get(row.refs["pinned_slot"]),
    )


def _reissue_taken_tokens(talks: list[Talk]) -> None:
    """Give a new private link to each session whose token another event's session holds
    (the original, when a copy is restored next to it): tokens are unique in the database."""
    tokens = [talk.edit_token for talk in talks]
    taken: set[str] = set()
    for start in range(0, len(tokens), SQLITE_MAX_VARIABLES):
        chunk = tokens[start : start + SQLITE_MAX_VARIABLES]
        taken.update(
            db.session.scalars(sa.select(Talk.edit_token).where(Talk.edit_token.in_(chunk)))
        )
    for talk in talks:
        if talk.edit_token in taken:
            talk.edit_token = new_token()


def _new_ballot(row: Row, talks: dict[str, Talk]) -> Ballot:
    return Ballot(
        **row.columns,
        marks=[talks[key] for key in row.refs["marks"]],
        chosen=[talks[key].id for key in row.refs["chosen"]],
    )


def _new_plan(row: Row, rows: _Restored) -> PlanVersion:
    document = _rewrite_plan(
        row.refs["document"],
        {key: talk.key for key, talk in rows.talks.items()},
        {key: room.key for key, room in rows.rooms.items()},
        {key: slot.key for key, slot in rows.slots.items()},
    )
    return PlanVersion(**row.columns, document=document)


def _rewrite_plan(document: dict, sessions: dict, rooms: dict, slots: dict) -> dict[str, Any]:
    """The plan document with the backup's keys replaced by the restored rows' keys."""
    result = copy.deepcopy(document)
    if "assignments" in document:
        result["assignments"] = [
            {
                **item,
                "session": sessions[item["session"]],
                "room": rooms[item["room"]],
                "slot": slots[item["slot"]],
            }
            for item in document["assignments"]
        ]
    if isinstance(document.get("cancelled"), list):
        # Sessions cancelled after publishing (planning._publishable); the backup's own
        # keys, not checked like the assignments, so an unknown one is dropped, not trusted.
        result["cancelled"] = [
            {
                "session": sessions[item["session"]],
                "room": rooms[item["room"]],
                "slot": slots[item["slot"]],
            }
            for item in document["cancelled"]
            if isinstance(item, dict)
            and item.get("session") in sessions
            and item.get("room") in rooms
            and item.get("slot") in slots
        ]
    map_plan_sessions(result, sessions.get)
    return result


def _restore_counters(model: type, name: str, pairs) -> None:
    """Set optimistic-locking counters to the backup's values.

    SQLAlchemy starts a version counter at 1 on every insert, whatever the object held, so
    the stored value is written afterwards, past the ORM's versioning.
    """
    table = model.__table__
    changes = [(row, wanted.columns[name]) for row, wanted in pairs if wanted.columns[name] != 1]
    if not changes:
        return
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam("counter")})
    )
    db.session.execute(statement, [{"row_id": row.id, "counter": value} for row, value in changes])
    for row, value in changes:
        set_committed_value(row, name, value)
