"""What a backup@1 holds of each row: one table per model, which both the dump and the reader
use, so that each column is listed once.

A Field names the document's key, the database column it stands for (None for a list kept in
an association table), how to read it (a method of scheduler.formats.Reader) and, for the
references between rows, how to dump it: a reference travels as the other row's key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ...models import (
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
)
from ...scheduler.formats import ID_MAX, MAX_INT, NAME_MAX, TAG_MAX, TEXT_MAX, Reader

Read = Callable[[Reader, dict, str], Any]
Dump = Callable[[Any, "Keys"], Any]


@dataclass(frozen=True)
class Keys:
    """What a dump needs to name other rows: talks' keys by row id (a ballot's choices hold
    row ids), and the keys of the rows that exist (a plan may name deleted ones)."""

    talks: dict[int, str]
    known: dict[str, set[str]]


@dataclass(frozen=True)
class Field:
    """One key of a row in the document."""

    name: str
    read: Read
    column: str | None = None  # the database column; None for an association table's list
    dump: Dump | None = None  # None: the column's value as JSON
    reference: bool = False  # names other rows by key: resolved on restore

    def value(self, row: Any, keys: Keys) -> Any:
        """The field of `row` as the document holds it."""
        if self.dump is not None:
            return self.dump(row, keys)
        return jsonable(getattr(row, self.name))


def jsonable(value: Any) -> Any:
    """A column's value as JSON holds it: dates and times as ISO 8601 text."""
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


# --- kinds of fields ------------------------------------------------------------------------


def text(model: type, name: str, *, empty: bool = True) -> Field:
    """A string that fits the model's column (a Text column: TEXT_MAX)."""
    limit = model.__table__.c[name].type.length or TEXT_MAX
    return Field(
        name, lambda reader, obj, path: reader.text(obj, name, path, limit, empty=empty), name
    )


def number(name: str, minimum: int, maximum: int = MAX_INT) -> Field:
    """A whole number from `minimum` to `maximum`."""
    return Field(
        name,
        lambda reader, obj, path: reader.whole(obj, name, path, minimum, maximum=maximum),
        name,
    )


def flag(name: str) -> Field:
    """true or false."""
    return Field(name, lambda reader, obj, path: reader.field(obj, name, path, "bool"), name)


def strings(name: str, limit: int) -> Field:
    """A list of strings of at most `limit` characters each."""
    return Field(
        name, lambda reader, obj, path: reader.field(obj, name, path, "str_list", limit=limit), name
    )


def choice(name: str, options: tuple, *, nullable: bool = False) -> Field:
    """One of `options`."""
    return Field(
        name,
        lambda reader, obj, path: reader.choice(obj, name, path, options, nullable=nullable),
        name,
    )


def moment(name: str, *, nullable: bool = False) -> Field:
    """A UTC time without an offset."""
    return Field(
        name, lambda reader, obj, path: reader.moment(obj, name, path, nullable=nullable), name
    )


def day(name: str) -> Field:
    """A date, or null."""
    return Field(name, lambda reader, obj, path: reader.day(obj, name, path), name)


def unique(name: str, kind: str, limit: int = ID_MAX) -> Field:
    """A secret or code that is unique within the backup (and in the database)."""
    return Field(
        name, lambda reader, obj, path: reader.unique_key(obj, path, kind, name, limit), name
    )


def reference(name: str, kind: str, noun: str, column: str | None, dump: Dump) -> Field:
    """The key of another row of this backup (null allowed)."""
    return Field(
        name,
        lambda reader, obj, path: reader.key_ref(obj, name, path, kind, noun),
        column,
        dump,
        reference=True,
    )


def references(name: str, kind: str, noun: str, dump: Dump, column: str | None = None) -> Field:
    """The keys of other rows of this backup, none twice."""
    return Field(
        name,
        lambda reader, obj, path: reader.key_list(obj, name, path, kind, noun),
        column,
        dump,
        reference=True,
    )


def optional(field: Field, default: Any) -> Field:
    """A field that backups from before it existed lack: such a row gets `default`."""
    inner = field.read
    return replace(
        field,
        read=lambda reader, obj, path: inner(reader, obj, path) if field.name in obj else default,
    )


def _key_of(name: str) -> Dump:
    return lambda row, keys: getattr(row, name).key if getattr(row, name) is not None else None


def _keys_of(name: str) -> Dump:
    return lambda row, keys: [other.key for other in getattr(row, name)]


def _read_feed_key(reader: Reader, obj: dict, path: str) -> str | None:
    """The ballot's feed key. Backups from before feed keys lack it: such a ballot gets a
    new one (its feed address was made from a row id and could not have survived anyway)."""
    if "feed_key" not in obj:
        return new_feed_key()
    limit = Ballot.__table__.c.feed_key.type.length
    return reader.unique_key(obj, path, "feed_keys", "feed_key", limit)


def _chosen(ballot: Ballot, keys: Keys) -> list[str]:
    return [keys.talks[talk_id] for talk_id in ballot.chosen if talk_id in keys.talks]


def _plan_document(version: PlanVersion, keys: Keys) -> dict[str, Any]:
    from .dump import living_plan  # the plan's own rewriting lives with the dump

    return living_plan(version.document, keys.known)


# --- the tables -----------------------------------------------------------------------------

EVENT = (
    text(Event, "slug", empty=False),
    text(Event, "name", empty=False),
    day("starts_on"),
    day("ends_on"),
    text(Event, "timezone"),
    text(Event, "venue"),
    choice("language", LANGUAGES),
    flag("proposals_open"),
    flag("voting_open"),
    flag("planning_started"),
    flag("voting_codes_required"),
    moment("created_at"),
    # Backups from before mail notices lack it: mail stays on, as for a new event.
    optional(flag("mail_notices"), True),
)
SLOT = (moment("starts_at"), moment("ends_at"))
ROOM = (
    text(Room, "name"),
    number("capacity", 0),
    strings("features", TAG_MAX),
    number("position", -MAX_INT),
    text(Room, "stream_url"),
    references("unavailable", "slots", "slot", _keys_of("unavailable")),
)
TALK = (
    text(Talk, "title"),
    text(Talk, "description"),
    strings("hosts", NAME_MAX),
    choice("format", FORMATS),
    number("length", 1, 4),
    choice("language", LANGUAGES),
    strings("needs", TAG_MAX),
    number("extra_interest", 0),
    flag("withdrawn"),
    choice("withdrawn_by", (BY_PROPOSER, BY_ORGANISERS), nullable=True),
    unique("edit_token", "edit_tokens"),
    moment("created_at"),
    number("version", 1),
    # Both missing from backups made before they existed.
    optional(flag("off_public_plan"), False),
    optional(text(Talk, "contact_email"), ""),
    references("unavailable", "slots", "slot", _keys_of("unavailable")),
    # Two fields, not one pin: deleting a slot unpins only the slot half.
    reference("pinned_room", "rooms", "room", "pinned_room_id", _key_of("pinned_room")),
    reference("pinned_slot", "slots", "slot", "pinned_slot_id", _key_of("pinned_slot")),
)
BALLOT = (
    unique("token", "ballot_tokens"),
    Field("feed_key", _read_feed_key, "feed_key"),
    flag("online"),
    moment("created_at"),
    moment("updated_at"),
    references("marks", "sessions", "session", _keys_of("marks")),
    references("chosen", "sessions", "session", _chosen, column="chosen"),
)
VOTING_CODE = (
    unique("code", "codes", VotingCode.__table__.c.code.type.length),
    moment("created_at"),
    reference("ballot", "ballots", "ballot", "ballot_id", _key_of("ballot")),
)
PLAN = (
    number("number", 0),
    moment("created_at"),
    moment("published_at", nullable=True),
    number("revision", 1),
    Field(
        "document",
        lambda reader, obj, path: reader.field(obj, "document", path, "dict"),
        "document",
        _plan_document,
        reference=True,
    ),
)
# Each list of the document: its model, its fields, and whether its rows carry a `key`.
TABLES = {
    "slots": (SLOT, True),
    "rooms": (ROOM, True),
    "sessions": (TALK, True),
    "ballots": (BALLOT, True),
    "voting_codes": (VOTING_CODE, False),
    "plans": (PLAN, False),
}
# Columns a backup leaves out on purpose, by model, each with the reason next to it.
NOT_KEPT: dict[type, tuple[str, ...]] = {
    PlanVersion: ("history",),  # the draft's undo steps: a restored draft starts afresh
}
MODELS = {
    Event: EVENT,
    Slot: SLOT,
    Room: ROOM,
    Talk: TALK,
    Ballot: BALLOT,
    VotingCode: VOTING_CODE,
    PlanVersion: PLAN,
}
