"""Check a whole backup@1 document before anything is written (fields.py says what each row
holds); one FormatError names every problem by its place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...models import Event
from ...scheduler import FormatError, parse_plan
from ...scheduler.formats import BACKUP_FORMAT, ID_MAX, Reader, known_timezone, not_a_document
from ..setup import is_stream_url
from .fields import EVENT, TABLES, Field

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = Event.__table__.c.slug.type.length


@dataclass
class Row:
    """One row read from the document: its key, its columns, its references by key."""

    key: str | None
    columns: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Backup:
    """A checked backup@1 document, ready to be written."""

    event: dict[str, Any]
    slots: list[Row]
    rooms: list[Row]
    sessions: list[Row]
    ballots: list[Row]
    voting_codes: list[Row]
    plans: list[Row]


def parse_backup(data: Any) -> Backup:
    """Check a whole backup@1 document; raise one FormatError naming every problem."""
    if not isinstance(data, dict):
        raise not_a_document(BACKUP_FORMAT)
    reader = Reader()
    reader.check_format(data, BACKUP_FORMAT)
    # Another kind of file altogether, or a damaged one: its missing fields would only bury
    # that.
    reader.raise_if_any()
    reader.scan(data)
    event = _read_event(reader, data)
    # In the order of TABLES, so that every list's keys are known before a later list refers
    # to them.
    lists = {
        name: [
            _read_row(reader, path, obj, name) for path, obj in reader.required_objects(data, name)
        ]
        for name in TABLES
    }
    backup = Backup(event=event, **lists)
    _check_unique_links(reader, backup)
    reader.raise_if_any()
    return backup


def _read_row(reader: Reader, path: str, obj: dict, name: str) -> Row:
    fields, keyed = TABLES[name]
    row = Row(reader.unique_key(obj, path, name, "key", ID_MAX) if keyed else None, {})
    for item in fields:
        target = row.refs if item.reference else row.columns
        target[item.name] = item.read(reader, obj, path)
    CHECKS.get(name, _no_check)(reader, path, obj, row)
    return row


def _read_event(reader: Reader, data: dict) -> dict[str, Any]:
    obj = reader.field(data, "event", "", "dict") or {}
    settings = _values(reader, obj, "event", EVENT)
    if settings["slug"] and not SLUG.fullmatch(settings["slug"]):
        reader.error("event.slug", "bad_slug")
    if settings["timezone"] and not known_timezone(settings["timezone"]):
        reader.error("event.timezone", "unknown_timezone", value=settings["timezone"])
    return settings


def _values(reader: Reader, obj: dict, path: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    return {item.name: item.read(reader, obj, path) for item in fields}


# --- what the field table cannot say: rules across fields ------------------------------------


def _no_check(reader: Reader, path: str, obj: dict, row: Row) -> None:
    return None


def _check_slot(reader: Reader, path: str, obj: dict, row: Row) -> None:
    start, end = row.columns["starts_at"], row.columns["ends_at"]
    if start and end and end <= start:
        reader.error(f"{path}.ends_at", "not_after_start")


def _check_room(reader: Reader, path: str, obj: dict, row: Row) -> None:
    # The link ends up on public pages: the same rule as for the room form.
    if not is_stream_url(row.columns["stream_url"]):
        reader.error(f"{path}.stream_url", "not_web_address")


def _check_plan(reader: Reader, path: str, obj: dict, row: Row) -> None:
    number, published = row.columns["number"], obj.get("published_at")
    if number is not None and (number == 0) != (published is None):
        # planning.draft() finds the draft by its missing publication time; it is number 0.
        reader.error(f"{path}.published_at", "draft_number")
    if row.refs["document"] is not None:
        _check_plan_document(reader, f"{path}.document", row.refs["document"])


CHECKS = {"slots": _check_slot, "rooms": _check_room, "plans": _check_plan}


def _check_plan_document(reader: Reader, path: str, document: dict) -> None:
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


def _check_unique_links(reader: Reader, backup: Backup) -> None:
    """One voting code per ballot, one plan per number: the database's unique constraints."""
    _check_unique(
        reader, "voting_codes", "ballot", [row.refs["ballot"] for row in backup.voting_codes]
    )
    _check_unique(reader, "plans", "number", [row.columns["number"] for row in backup.plans])


def _check_unique(reader: Reader, kind: str, name: str, values: list[Any]) -> None:
    seen = set()
    for index, value in enumerate(values):
        if value is not None and value in seen:
            reader.error(f"{kind}[{index}].{name}", "duplicate", value=value)
        seen.add(value)
