"""Back up a whole event as a `backup@1` document and restore it as a new event.

event@1 is the scheduler's input and leaves out what planning does not need; a backup holds
everything an event is: settings and phases, rooms, slots, every session (withdrawn ones too,
with their private edit tokens, so proposers' links keep working), ballots with their device
tokens, calendar feed keys (so subscribed personal feeds keep working) and marks, voting codes,
and every plan version (the draft and the published ones).

Rows are named by their keys as the rest of the planner writes them (`r3`, `t7`, `s12`, `v40`),
but a restored event gets new row ids: every reference, also those inside the plan documents
and the ballots' choices, is rewritten on the way in. Accounts and memberships belong to the
installation, not the event, and are not part of a backup.

A restore checks the whole document first and raises one FormatError naming every problem by
its place (`sessions[3].pinned_room: no room "r99"`), as FormatProblem records with the same
codes as the event@1 and plan@1 readers, then writes everything or nothing: it flushes and
never commits, the command or the request commits once.

Times are ISO 8601 without an offset: slots in the event's local time, every `created_at` and
similar stamp in UTC, as the database keeps them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import UserInputError
from ..extensions import db
from ..models import (
    BY_ORGANISERS,
    BY_PROPOSER,
    FORMATS,
    LANGUAGES,
    Ballot,
    Event,
    PlanVersion,
    Room,
    Slot,
    Talk,
    VotingCode,
    new_feed_key,
    new_token,
    utcnow,
)
from ..scheduler import FormatError, parse_plan
from ..scheduler.formats import (
    BACKUP_FORMAT,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_INT,
    NAME_MAX,
    TAG_MAX,
    TEXT_MAX,
    _Reader,
    found_text,
    known_timezone,
    not_a_document,
)
from .setup import is_stream_url
from .transfer import unique_slug

# The columns copied as they are; references between rows travel as keys (see the readers).
EVENT_COLUMNS = (
    "slug",
    "name",
    "starts_on",
    "ends_on",
    "timezone",
    "venue",
    "language",
    "proposals_open",
    "voting_open",
    "planning_started",
    "voting_codes_required",
    "created_at",
)
ROOM_COLUMNS = ("name", "capacity", "features", "position", "stream_url")
SLOT_COLUMNS = ("starts_at", "ends_at")
TALK_COLUMNS = (
    "title",
    "description",
    "hosts",
    "format",
    "length",
    "language",
    "needs",
    "extra_interest",
    "withdrawn",
    "withdrawn_by",
    "edit_token",
    "created_at",
    "version",
)
BALLOT_COLUMNS = ("token", "feed_key", "online", "created_at", "updated_at")
CODE_COLUMNS = ("code", "created_at")
PLAN_COLUMNS = ("number", "created_at", "published_at", "revision")

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = Event.__table__.c.slug.type.length
KEY_MAX = 64
SQLITE_MAX_VARIABLES = 500  # old SQLite builds allow 999 parameters in one statement


# --- backup --------------------------------------------------------------------------------


def backup_document(event: Event) -> dict[str, Any]:
    """The whole event as a backup@1 document: everything needed to restore it."""
    talk_keys = {talk.id: talk.key for talk in event.talks}
    known = {
        "sessions": set(talk_keys.values()),
        "rooms": {room.key for room in event.rooms},
        "slots": {slot.key for slot in event.slots},
    }
    return {
        "format": BACKUP_FORMAT,
        "exported_at": _jsonable(utcnow()),
        "event": _columns(event, EVENT_COLUMNS),
        "slots": [{"key": slot.key, **_columns(slot, SLOT_COLUMNS)} for slot in event.slots],
        "rooms": [_dump_room(room) for room in event.rooms],
        "sessions": [_dump_talk(talk) for talk in event.talks],
        "ballots": [_dump_ballot(ballot, talk_keys) for ballot in event.ballots],
        "voting_codes": [_dump_code(code) for code in event.voting_codes],
        "plans": [_dump_plan(version, known) for version in event.plans],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def _columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _jsonable(getattr(row, name)) for name in names}


def _dump_room(room: Room) -> dict[str, Any]:
    return {
        "key": room.key,
        **_columns(room, ROOM_COLUMNS),
        "unavailable": [slot.key for slot in room.unavailable],
    }


def _dump_talk(talk: Talk) -> dict[str, Any]:
    return {
        "key": talk.key,
        **_columns(talk, TALK_COLUMNS),
        "unavailable": [slot.key for slot in talk.unavailable],
        # Two fields, not one pin: deleting a slot unpins only the slot half.
        "pinned_room": talk.pinned_room.key if talk.pinned_room else None,
        "pinned_slot": talk.pinned_slot.key if talk.pinned_slot else None,
    }


def _dump_ballot(ballot: Ballot, talk_keys: dict[int, str]) -> dict[str, Any]:
    return {
        "key": ballot.key,
        **_columns(ballot, BALLOT_COLUMNS),
        "marks": [talk.key for talk in ballot.marks],
        "chosen": [talk_keys[talk_id] for talk_id in ballot.chosen if talk_id in talk_keys],
    }


def _dump_code(code: VotingCode) -> dict[str, Any]:
    return {**_columns(code, CODE_COLUMNS), "ballot": code.ballot.key if code.ballot else None}


def _dump_plan(version: PlanVersion, known: dict[str, set[str]]) -> dict[str, Any]:
    return {**_columns(version, PLAN_COLUMNS), "document": _living_plan(version.document, known)}


def _living_plan(document: dict[str, Any], known: dict[str, set[str]]) -> dict[str, Any]:
    """The plan without places in rooms or slots deleted since it was made.

    The published pages already skip those places; a restored event could not tell the old
    keys from its own new ones, so they are left out here rather than copied.
    """
    result = copy.deepcopy(document)
    assignments = document.get("assignments") or []
    kept = [item for item in assignments if _names_known(item, known)]
    if len(kept) < len(assignments):
        placed = {item["session"] for item in kept}
        result["assignments"] = kept
        result["unscheduled"] = [
            *(document.get("unscheduled") or []),
            *(item["session"] for item in assignments if item["session"] not in placed),
        ]
    _map_plan_sessions(result, lambda key: key if key in known["sessions"] else None)
    return result


def _names_known(item: dict[str, str], known: dict[str, set[str]]) -> bool:
    return (
        item["session"] in known["sessions"]
        and item["room"] in known["rooms"]
        and item["slot"] in known["slots"]
    )


# --- restore -------------------------------------------------------------------------------


@dataclass
class _Row:
    """One row read from the document: its key, its columns, its references by key."""

    key: str | None
    columns: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Backup:
    """A checked backup@1 document, ready to be written."""

    event: dict[str, Any]
    slots: list[_Row]
    rooms: list[_Row]
    sessions: list[_Row]
    ballots: list[_Row]
    voting_codes: list[_Row]
    plans: list[_Row]


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


def _new_room(row: _Row, slots: dict[str, Slot]) -> Room:
    return Room(**row.columns, unavailable=[slots[key] for key in row.refs["unavailable"]])


def _new_talk(row: _Row, rooms: dict[str, Room], slots: dict[str, Slot]) -> Talk:
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


def _new_ballot(row: _Row, talks: dict[str, Talk]) -> Ballot:
    return Ballot(
        **row.columns,
        marks=[talks[key] for key in row.refs["marks"]],
        chosen=[talks[key].id for key in row.refs["chosen"]],
    )


def _new_plan(row: _Row, rows: _Restored) -> PlanVersion:
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
    _map_plan_sessions(result, sessions.get)
    return result


def _map_plan_sessions(document: dict[str, Any], new_key) -> None:
    """Apply `new_key` to every session named outside the assignments; None drops the name."""
    if document.get("unscheduled"):
        document["unscheduled"] = [
            new_key(key) for key in document["unscheduled"] if new_key(key) is not None
        ]
    solver = document.get("solver")
    if isinstance(solver, dict) and solver.get("moved"):
        solver["moved"] = [new_key(key) for key in solver["moved"] if new_key(key) is not None]
    metrics = document.get("metrics")
    if isinstance(metrics, dict) and isinstance(metrics.get("fullest_session"), str):
        metrics["fullest_session"] = new_key(metrics["fullest_session"])


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


# --- reading and checking a document --------------------------------------------------------


class _BackupReader(_Reader):
    """The event@1 reader's problem collection, with the stricter fields of a backup: every
    field must be present (a backup that lacks one is damaged), null only where allowed."""

    def entries(self, data: dict, key: str) -> list[tuple[str, dict]]:
        """Return (path, object) for each entry of the required list data[key]."""
        items = self.field(data, key, "", "list") or []
        result = []
        for index, item in enumerate(items):
            if isinstance(item, dict):
                result.append((f"{key}[{index}]", item))
            else:
                self.error(f"{key}[{index}]", "not_an_object", found=found_text(item))
        return result

    def nullable(self, obj: dict, key: str, path: str, kind: str) -> Any:
        """Return obj[key], which must be present but may be null."""
        if key not in obj:
            self.error(f"{path}.{key}", "missing")
            return None
        return None if obj[key] is None else self.field(obj, key, path, kind)

    def text(self, obj: dict, key: str, path: str, column: sa.Column, *, empty=True) -> Any:
        """Return a string that fits `column` (and is not empty, unless `empty`)."""
        value = self.field(obj, key, path, "str", limit=column.type.length or TEXT_MAX)
        if value is not None and not empty and not value.strip():
            self.error(f"{path}.{key}", "empty")
        return value

    def number(self, obj: dict, key: str, path: str, minimum: int, maximum: int = MAX_INT):
        """Return a whole number from `minimum` to `maximum`."""
        return self.whole(obj, key, path, minimum, maximum=maximum)

    def choice(self, obj: dict, key: str, path: str, options, *, nullable=False) -> Any:
        """Return one of `options` (or null, if `nullable`)."""
        value = (
            self.nullable(obj, key, path, "str") if nullable else self.field(obj, key, path, "str")
        )
        if value is not None and value not in options:
            self.error(
                f"{path}.{key}", "not_one_of", options=list(options), found=found_text(value)
            )
        return value

    def moment(self, obj: dict, key: str, path: str, *, nullable=False) -> datetime | None:
        """Return a time without a UTC offset, like "2026-11-18T13:30:00"."""
        text = (
            self.nullable(obj, key, path, "str") if nullable else self.field(obj, key, path, "str")
        )
        if text is None:
            return None
        return self.naive_time(text, f"{path}.{key}", local=False, example="2026-11-18T13:30")

    def day(self, obj: dict, key: str, path: str) -> date | None:
        """Return a date like "2026-11-18", or null."""
        text = self.nullable(obj, key, path, "str")
        try:
            day = None if text is None else date.fromisoformat(text)
        except ValueError:
            self.error(f"{path}.{key}", "bad_date", value=text, example="2026-11-18")
            return None
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.out_of_window(f"{path}.{key}")
            return None
        return day

    def key(self, obj: dict, path: str, kind: str, *, name="key", limit=KEY_MAX) -> str | None:
        """Return a non-empty key, unique among the `kind` of this document."""
        value = self.ident(obj, path, name, self.known[kind])
        if value is not None and len(value) > limit:
            self.error(f"{path}.{name}", "too_long", maximum=limit)
        return value

    def ref(self, obj: dict, key: str, path: str, kind: str, noun: str) -> str | None:
        """Return the key in obj[key] (null allowed), which must name one of the `kind`."""
        value = self.nullable(obj, key, path, "str")
        if value is not None and value not in self.known[kind]:
            self.unknown(f"{path}.{key}", noun, value)
        return value

    def refs(self, obj: dict, key: str, path: str, kind: str, noun: str) -> list[str]:
        """Return the keys listed in obj[key], each naming one of the `kind`, none twice."""
        values = self.field(obj, key, path, "str_list") or []
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value not in self.known[kind]:
                self.unknown(f"{path}.{key}[{index}]", noun, value)
            elif value in seen:
                self.error(f"{path}.{key}[{index}]", "listed_twice", value=value)
            seen.add(value)
        return values


def parse_backup(data: Any) -> Backup:
    """Check a whole backup@1 document; raise one FormatError naming every problem."""
    if not isinstance(data, dict):
        raise not_a_document(BACKUP_FORMAT)
    reader = _BackupReader()
    reader.check_format(data, BACKUP_FORMAT)
    # Another kind of file altogether, or a damaged one: its missing fields would only bury
    # that.
    reader.raise_if_any()
    reader.scan(data)
    # In this order, so that every list's keys are known before a later list refers to them.
    backup = Backup(
        event=_read_event(reader, data),
        slots=[_read_slot(reader, *entry) for entry in reader.entries(data, "slots")],
        rooms=[_read_room(reader, *entry) for entry in reader.entries(data, "rooms")],
        sessions=[_read_talk(reader, *entry) for entry in reader.entries(data, "sessions")],
        ballots=[_read_ballot(reader, *entry) for entry in reader.entries(data, "ballots")],
        voting_codes=[_read_code(reader, *entry) for entry in reader.entries(data, "voting_codes")],
        plans=[_read_plan(reader, *entry) for entry in reader.entries(data, "plans")],
    )
    _check_unique_links(reader, backup)
    reader.raise_if_any()
    return backup


def _read_event(reader: _BackupReader, data: dict) -> dict[str, Any]:
    obj = reader.field(data, "event", "", "dict") or {}
    columns = Event.__table__.c
    path = "event"
    settings = {
        "slug": reader.text(obj, "slug", path, columns.slug, empty=False),
        "name": reader.text(obj, "name", path, columns.name, empty=False),
        "starts_on": reader.day(obj, "starts_on", path),
        "ends_on": reader.day(obj, "ends_on", path),
        "timezone": reader.text(obj, "timezone", path, columns.timezone),
        "venue": reader.text(obj, "venue", path, columns.venue),
        "language": reader.choice(obj, "language", path, LANGUAGES),
        "created_at": reader.moment(obj, "created_at", path),
    }
    for phase in ("proposals_open", "voting_open", "planning_started", "voting_codes_required"):
        settings[phase] = reader.field(obj, phase, path, "bool")
    if settings["slug"] and not SLUG.fullmatch(settings["slug"]):
        reader.error("event.slug", "bad_slug")
    if settings["timezone"] and not known_timezone(settings["timezone"]):
        reader.error("event.timezone", "unknown_timezone", value=settings["timezone"])
    return settings


def _read_slot(reader: _BackupReader, path: str, obj: dict) -> _Row:
    row = _Row(
        reader.key(obj, path, "slots"),
        {
            "starts_at": reader.moment(obj, "starts_at", path),
            "ends_at": reader.moment(obj, "ends_at", path),
        },
    )
    start, end = row.columns["starts_at"], row.columns["ends_at"]
    if start and end and end <= start:
        reader.error(f"{path}.ends_at", "not_after_start")
    return row


def _read_room(reader: _BackupReader, path: str, obj: dict) -> _Row:
    columns = Room.__table__.c
    row = _Row(
        reader.key(obj, path, "rooms"),
        {
            "name": reader.text(obj, "name", path, columns.name),
            "capacity": reader.number(obj, "capacity", path, 0),
            "features": reader.field(obj, "features", path, "str_list", limit=TAG_MAX),
            "position": reader.number(obj, "position", path, -MAX_INT),
            "stream_url": reader.text(obj, "stream_url", path, columns.stream_url),
        },
        {"unavailable": reader.refs(obj, "unavailable", path, "slots", "slot")},
    )
    # The link ends up on public pages: the same rule as for the room form.
    if not is_stream_url(row.columns["stream_url"]):
        reader.error(f"{path}.stream_url", "not_web_address")
    return row


def _read_talk(reader: _BackupReader, path: str, obj: dict) -> _Row:
    columns = Talk.__table__.c
    return _Row(
        reader.key(obj, path, "sessions"),
        {
            "title": reader.text(obj, "title", path, columns.title),
            "description": reader.text(obj, "description", path, columns.description),
            "hosts": reader.field(obj, "hosts", path, "str_list", limit=NAME_MAX),
            "format": reader.choice(obj, "format", path, FORMATS),
            "length": reader.number(obj, "length", path, 1, 4),
            "language": reader.choice(obj, "language", path, LANGUAGES),
            "needs": reader.field(obj, "needs", path, "str_list", limit=TAG_MAX),
            "extra_interest": reader.number(obj, "extra_interest", path, 0),
            "withdrawn": reader.field(obj, "withdrawn", path, "bool"),
            "withdrawn_by": reader.choice(
                obj, "withdrawn_by", path, (BY_PROPOSER, BY_ORGANISERS), nullable=True
            ),
            "edit_token": reader.key(obj, path, "edit_tokens", name="edit_token"),
            "created_at": reader.moment(obj, "created_at", path),
            "version": reader.number(obj, "version", path, 1),
        },
        {
            "unavailable": reader.refs(obj, "unavailable", path, "slots", "slot"),
            "pinned_room": reader.ref(obj, "pinned_room", path, "rooms", "room"),
            "pinned_slot": reader.ref(obj, "pinned_slot", path, "slots", "slot"),
        },
    )


def _read_ballot(reader: _BackupReader, path: str, obj: dict) -> _Row:
    return _Row(
        reader.key(obj, path, "ballots"),
        {
            "token": reader.key(obj, path, "ballot_tokens", name="token"),
            "feed_key": _read_feed_key(reader, obj, path),
            "online": reader.field(obj, "online", path, "bool"),
            "created_at": reader.moment(obj, "created_at", path),
            "updated_at": reader.moment(obj, "updated_at", path),
        },
        {
            "marks": reader.refs(obj, "marks", path, "sessions", "session"),
            "chosen": reader.refs(obj, "chosen", path, "sessions", "session"),
        },
    )


def _read_feed_key(reader: _BackupReader, obj: dict, path: str) -> str | None:
    """The ballot's feed key. Backups from before feed keys lack it: such a ballot gets a
    new one (its feed address was made from a row id and could not have survived anyway)."""
    if "feed_key" not in obj:
        return new_feed_key()
    limit = Ballot.__table__.c.feed_key.type.length
    return reader.key(obj, path, "feed_keys", name="feed_key", limit=limit)


def _read_code(reader: _BackupReader, path: str, obj: dict) -> _Row:
    limit = VotingCode.__table__.c.code.type.length
    return _Row(
        None,
        {
            "code": reader.key(obj, path, "codes", name="code", limit=limit),
            "created_at": reader.moment(obj, "created_at", path),
        },
        {"ballot": reader.ref(obj, "ballot", path, "ballots", "ballot")},
    )


def _read_plan(reader: _BackupReader, path: str, obj: dict) -> _Row:
    row = _Row(
        None,
        {
            "number": reader.number(obj, "number", path, 0),
            "created_at": reader.moment(obj, "created_at", path),
            "published_at": reader.moment(obj, "published_at", path, nullable=True),
            "revision": reader.number(obj, "revision", path, 1),
        },
        {"document": reader.field(obj, "document", path, "dict")},
    )
    number, published = row.columns["number"], obj.get("published_at")
    if number is not None and (number == 0) != (published is None):
        # planning.draft() finds the draft by its missing publication time; it is number 0.
        reader.error(f"{path}.published_at", "draft_number")
    if row.refs["document"] is not None:
        _check_plan_document(reader, f"{path}.document", row.refs["document"])
    return row


def _check_plan_document(reader: _BackupReader, path: str, document: dict) -> None:
    """A plan@1 document whose sessions, rooms and slots are all in this backup."""
    try:
        parse_plan(document)
    except FormatError as error:
        reader.problems.extend(problem.within(path) for problem in error.problems)
        return
    for index, item in enumerate(document.get("assignments") or []):
        for name, kind in (("session", "sessions"), ("room", "rooms"), ("slot", "slots")):
            if item[name] not in reader.known[kind]:
                reader.unknown(f"{path}.assignments[{index}].{name}", name, item[name])
    solver = document.get("solver") or {}
    for where, keys in (
        ("unscheduled", document.get("unscheduled")),
        ("solver.moved", solver.get("moved")),
    ):
        for index, key in enumerate(keys or []):
            if key not in reader.known["sessions"]:
                reader.unknown(f"{path}.{where}[{index}]", "session", key)
    fullest = (document.get("metrics") or {}).get("fullest_session")
    if fullest is not None and fullest not in reader.known["sessions"]:
        reader.unknown(f"{path}.metrics.fullest_session", "session", fullest)


def _check_unique_links(reader: _BackupReader, backup: Backup) -> None:
    """One voting code per ballot, one plan per number: the database's unique constraints."""
    _check_unique(
        reader, "voting_codes", "ballot", [row.refs["ballot"] for row in backup.voting_codes]
    )
    _check_unique(reader, "plans", "number", [row.columns["number"] for row in backup.plans])


def _check_unique(reader: _BackupReader, kind: str, name: str, values: list[Any]) -> None:
    seen = set()
    for index, value in enumerate(values):
        if value is not None and value in seen:
            reader.error(f"{kind}[{index}].{name}", "duplicate", value=value)
        seen.add(value)
