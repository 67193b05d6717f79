"""Read and write the `event@1` and `plan@1` JSON formats (docs/formats.md).

Parsing collects every problem with the place it was found (`sessions[3].pinned.room: no room
"r99"`) and raises one FormatError listing all of them, so that a person fixes a file in one go.
Each problem is a FormatProblem with a code, so that the web app can say it in the reader's
language; str() of it is the English line above.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from .errors import FormatError, FormatProblem
from .problem import Assignment, EventInfo, Pin, Plan, Problem, Room, Session, Slot, Vote

EVENT_FORMAT = "barcamp-planner/event@1"
PLAN_FORMAT = "barcamp-planner/plan@1"
# The web app's backup of a whole event (planner/operations/backup.py). Named here so that
# each reader tells a file of another of the planner's kinds from a broken one.
BACKUP_FORMAT = "barcamp-planner/backup@1"
KNOWN_FORMATS = (EVENT_FORMAT, PLAN_FORMAT, BACKUP_FORMAT)

_MISSING = object()

# Bounds that every reader applies, so that whatever a file holds fits the web app's database
# and its pages: an integer column holds at most MAX_INT, the names fit their columns, and a
# time outside FIRST_YEAR..LAST_YEAR is a typo (or an attack) that no calendar can show.
MAX_INT = 2**31 - 1
ID_MAX = 64  # ids and keys
NAME_MAX = 200  # event names, titles, host names
ROOM_NAME_MAX = 100
TAG_MAX = 100  # one feature or need
TEXT_MAX = 10_000  # descriptions, and any other string
FIRST_YEAR, LAST_YEAR = 2000, 2100
NUL = "\x00"  # PostgreSQL cannot store it, and no person types it


class Reader:
    """Collect problems while picking typed values out of parsed JSON.

    The public reading API of the planner's formats: the event@1 and plan@1 readers here and
    the web app's backup@1 reader use it. Each method returns the value, or None (or a
    default) with the problem recorded at its path; raise_if_any() then raises one
    FormatError naming every problem.
    """

    def __init__(self) -> None:
        self.problems: list[FormatProblem] = []
        # Ids seen per list, kept even when the object itself had a problem, so that a
        # reference to it is not reported as a second, false problem.
        self.known: dict[str, set[str]] = defaultdict(set)

    def error(self, path: str, code: str, **params: Any) -> None:
        """Record one problem at `path`: its code (errors.ENGLISH) and what it names."""
        self.problems.append(FormatProblem(path, code, params))

    def naive_time(self, text: str, path: str, *, local: bool, example: str) -> datetime | None:
        """`text` as an ISO 8601 time without a UTC offset, or None with the problem noted.

        `local`: the time is on the event's clocks (the message says so), not UTC.
        """
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.error(path, "bad_time", value=text, example=example)
            return None
        if moment.tzinfo is not None:
            self.error(path, "has_offset", local=local)
            return None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            self.out_of_window(path)
            return None
        return moment

    def out_of_window(self, path: str) -> None:
        """Record a date outside FIRST_YEAR..LAST_YEAR."""
        self.error(path, "out_of_window", first=FIRST_YEAR, last=LAST_YEAR)

    def scan(self, data: Any, path: str = "") -> None:
        """Note every zero byte anywhere in the document, in a value or a name."""
        if isinstance(data, str):
            if NUL in data:
                self.error(path, "nul_character")
        elif isinstance(data, dict):
            for key, value in data.items():
                where = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    self.error(where, "nul_character")
                self.scan(value, where)
        elif isinstance(data, list):
            for index, value in enumerate(data):
                self.scan(value, f"{path}[{index}]")

    def free(self, data: Any, path: str) -> None:
        """Bound every string inside a free-form part (a plan's `metrics` and `solver`)."""
        if isinstance(data, str) and len(data) > TEXT_MAX:
            self.error(path, "too_long", maximum=TEXT_MAX)
        elif isinstance(data, dict):
            for key, value in data.items():
                self.free(value, f"{path}.{key}")
        elif isinstance(data, list):
            for index, value in enumerate(data):
                self.free(value, f"{path}[{index}]")

    def field(
        self,
        obj: dict,
        key: str,
        path: str,
        kind: str,
        default: Any = _MISSING,
        *,
        limit: int = TEXT_MAX,
    ) -> Any:
        """Return obj[key] checked against `kind`, or `default` (None on a problem).

        A string, or each string of a list, may hold at most `limit` characters.
        """
        where = f"{path}.{key}" if path else key
        if key not in obj or (obj[key] is None and default is not _MISSING):
            if default is _MISSING:
                self.error(where, "missing")
                return None
            return default
        value = obj[key]
        if not _KIND_CHECKS[kind](value):
            self.error(where, _KIND_CODES[kind], found=found_text(value))
            return None
        return value if self._short_enough(value, where, limit) else None

    def _short_enough(self, value: Any, where: str, limit: int) -> bool:
        texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        fine = True
        for index, text in enumerate(texts):
            if isinstance(text, str) and len(text) > limit:
                place = where if isinstance(value, str) else f"{where}[{index}]"
                self.error(place, "too_long", maximum=limit)
                fine = False
        return fine

    def whole(
        self,
        obj: dict,
        key: str,
        path: str,
        minimum: int,
        default: Any = _MISSING,
        *,
        maximum: int = MAX_INT,
    ):
        """Return obj[key] as a whole number from `minimum` to `maximum`, or None."""
        value = self.field(obj, key, path, "int", default)
        if value is not None and value < minimum:
            if minimum == 0:
                self.error(f"{path}.{key}", "negative")
            else:
                self.error(f"{path}.{key}", "too_small", minimum=minimum)
            return None
        if value is not None and value > maximum:
            self.error(f"{path}.{key}", "too_large", maximum=maximum)
            return None
        return value

    def objects(self, data: dict, key: str) -> list[tuple[str, dict]]:
        """Return (path, object) for each entry of the list data[key]."""
        items = self.field(data, key, "", "list", default=[])
        result = []
        for index, item in enumerate(items or []):
            path = f"{key}[{index}]"
            if isinstance(item, dict):
                result.append((path, item))
            else:
                self.error(path, "not_an_object", found=found_text(item))
        return result

    def ident(self, obj: dict, path: str, key: str, seen: set[str]) -> str | None:
        """Return a non-empty, unique id from obj[key]."""
        value = self.field(obj, key, path, "str", limit=ID_MAX)
        if value is None:
            return None
        if not value.strip():
            self.error(f"{path}.{key}", "empty")
            return None
        if value in seen:
            self.error(f"{path}.{key}", "duplicate", value=value)
            return None
        seen.add(value)
        return value

    def refs(self, obj: dict, key: str, path: str, known: set[str], noun: str) -> frozenset[str]:
        """Return the ids listed in obj[key], each of which must be in `known`."""
        values = self.field(obj, key, path, "str_list", default=[], limit=ID_MAX) or []
        for index, value in enumerate(values):
            if value not in known:
                self.unknown(f"{path}.{key}[{index}]", noun, value)
        return frozenset(value for value in values if value in known)

    def unknown(self, path: str, noun: str, value: Any) -> None:
        """Record a reference to a `noun` ("room", "slot", "session", "ballot") that is not
        in the document."""
        self.error(path, "unknown_reference", kind=noun, value=value)

    def check_format(self, data: dict, expected: str) -> None:
        """Check the document's `format`. A file of another of the planner's kinds stops the
        reading at once: its missing fields would only bury the one thing to say."""
        found = data.get("format")
        if found == expected:
            return
        if isinstance(found, str) and found in KNOWN_FORMATS:
            raise FormatError(
                FormatProblem("format", "wrong_kind", {"expected": expected, "found": found})
            )
        self.error("format", "wrong_format", expected=expected, found=found_text(found))

    # Strict fields, for documents such as backup@1 in which every field must be present.

    def required_objects(self, data: dict, key: str) -> list[tuple[str, dict]]:
        """Return (path, object) for each entry of the required list data[key]."""
        items = self.field(data, key, "", "list") or []
        result = []
        for index, item in enumerate(items):
            if isinstance(item, dict):
                result.append((f"{key}[{index}]", item))
            else:
                self.error(f"{key}[{index}]", "not_an_object", found=found_text(item))
        return result

    def nullable(self, obj: dict, key: str, path: str, kind: str, *, limit=TEXT_MAX) -> Any:
        """Return obj[key], which must be present but may be null."""
        if key not in obj:
            self.error(f"{path}.{key}", "missing")
            return None
        return None if obj[key] is None else self.field(obj, key, path, kind, limit=limit)

    def text(self, obj: dict, key: str, path: str, limit: int, *, empty=True) -> str | None:
        """Return a string of at most `limit` characters (and not blank, unless `empty`)."""
        value = self.field(obj, key, path, "str", limit=limit)
        if value is not None and not empty and not value.strip():
            self.error(f"{path}.{key}", "empty")
        return value

    def choice(self, obj: dict, key: str, path: str, options, *, nullable=False) -> Any:
        """Return one of `options` (or null, if `nullable`)."""
        read = self.nullable if nullable else self.field
        value = read(obj, key, path, "str", limit=ID_MAX)
        if value is not None and value not in options:
            self.error(
                f"{path}.{key}", "not_one_of", options=list(options), found=found_text(value)
            )
        return value

    def moment(self, obj: dict, key: str, path: str, *, nullable=False) -> datetime | None:
        """Return a UTC time without an offset, like "2026-11-18T13:30:00" (null if allowed)."""
        read = self.nullable if nullable else self.field
        text = read(obj, key, path, "str", limit=ID_MAX)
        if text is None:
            return None
        return self.naive_time(text, f"{path}.{key}", local=False, example="2026-11-18T13:30")

    def day(self, obj: dict, key: str, path: str) -> date | None:
        """Return a date like "2026-11-18", or null."""
        text = self.nullable(obj, key, path, "str", limit=ID_MAX)
        try:
            day = None if text is None else date.fromisoformat(text)
        except ValueError:
            self.error(f"{path}.{key}", "bad_date", value=text, example="2026-11-18")
            return None
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.out_of_window(f"{path}.{key}")
            return None
        return day

    def unique_key(self, obj: dict, path: str, kind: str, name: str, limit: int) -> str | None:
        """Return a non-empty key of at most `limit` characters, unique among the `kind`."""
        value = self.ident(obj, path, name, self.known[kind])
        if value is not None and len(value) > limit:
            self.error(f"{path}.{name}", "too_long", maximum=limit)
        return value

    def key_ref(self, obj: dict, key: str, path: str, kind: str, noun: str) -> str | None:
        """Return the key in obj[key] (null allowed), which must name one of the `kind`."""
        value = self.nullable(obj, key, path, "str", limit=ID_MAX)
        if value is not None and value not in self.known[kind]:
            self.unknown(f"{path}.{key}", noun, value)
        return value

    def key_list(self, obj: dict, key: str, path: str, kind: str, noun: str) -> list[str]:
        """Return the keys listed in obj[key], each naming one of the `kind`, none twice."""
        values = self.field(obj, key, path, "str_list", limit=ID_MAX) or []
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value not in self.known[kind]:
                self.unknown(f"{path}.{key}[{index}]", noun, value)
            elif value in seen:
                self.error(f"{path}.{key}[{index}]", "listed_twice", value=value)
            seen.add(value)
        return values

    def raise_if_any(self) -> None:
        """Raise one FormatError naming every problem found so far, each once (a document
        inside another, such as a backup's plans, is read twice)."""
        if self.problems:
            raise FormatError(list(dict.fromkeys(self.problems)))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_KIND_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda value: isinstance(value, str),
    "int": _is_int,
    "number": lambda value: _is_int(value) or isinstance(value, float),
    "bool": lambda value: isinstance(value, bool),
    "list": lambda value: isinstance(value, list),
    "dict": lambda value: isinstance(value, dict),
    "str_list": lambda value: isinstance(value, list) and all(isinstance(v, str) for v in value),
}
_KIND_CODES = {
    "str": "not_string",
    "int": "not_integer",
    "number": "not_number",
    "bool": "not_boolean",
    "list": "not_a_list",
    "dict": "not_an_object",
    "str_list": "not_a_string_list",
}


def found_text(value: Any) -> str:
    """A wrong value as the short JSON text a message quotes."""
    return json.dumps(value, ensure_ascii=False)[:40]


def not_a_document(expected: str) -> FormatError:
    """The error for a file whose JSON is not an object, so no document of any kind."""
    return FormatError(FormatProblem("", "not_a_document", {"expected": expected}))


# --- event@1 -------------------------------------------------------------------------------


def parse_event(data: Any, *, longest: int = MAX_INT) -> Problem:
    """Turn a parsed `event@1` document into a Problem, or raise FormatError.

    `longest`: the most slots a session may take (the web app's database allows 4).
    """
    reader = Reader()
    if not isinstance(data, dict):
        raise not_a_document(EVENT_FORMAT)
    reader.check_format(data, EVENT_FORMAT)
    reader.scan(data)
    event = _read_event_info(reader, data)
    slots = _read_slots(reader, data)
    rooms = _read_rooms(reader, data, reader.known["slots"])
    sessions = _read_sessions(reader, data, longest)
    votes = _read_votes(reader, data, reader.known["sessions"])
    reader.raise_if_any()
    return Problem(event, tuple(rooms), tuple(slots), tuple(sessions), tuple(votes))


@cache
def _timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def known_timezone(name: str) -> bool:
    """Whether `name` is an IANA timezone (Europe/Berlin). Looked up in the list rather than
    by opening it, which fails with other errors for odd names (a name too long for a file)."""
    return name in _timezone_names()


def _read_event_info(reader: Reader, data: dict) -> EventInfo:
    info = reader.field(data, "event", "", "dict") or {}
    name = reader.field(info, "name", "event", "str", limit=NAME_MAX) if info else None
    timezone = reader.field(info, "timezone", "event", "str", limit=ID_MAX) if info else None
    if timezone is not None and not known_timezone(timezone):
        reader.error("event.timezone", "unknown_timezone", value=timezone)
    return EventInfo(name=name or "", timezone=timezone or "UTC")


def _read_time(reader: Reader, obj: dict, key: str, path: str) -> datetime | None:
    text = reader.field(obj, key, path, "str", limit=ID_MAX)
    if text is None:
        return None
    return reader.naive_time(text, f"{path}.{key}", local=True, example="2024-11-18T13:30")


def _read_slots(reader: Reader, data: dict) -> list[Slot]:
    slots: list[Slot] = []
    seen = reader.known["slots"]
    for path, obj in reader.objects(data, "slots"):
        slot_id = reader.ident(obj, path, "id", seen)
        start = _read_time(reader, obj, "start", path)
        end = _read_time(reader, obj, "end", path)
        if start and end and end <= start:
            reader.error(f"{path}.end", "not_after_start")
        elif slot_id and start and end:
            if slots and start < slots[-1].start:
                reader.error(f"{path}.start", "not_chronological")
            slots.append(Slot(slot_id, start, end))
    return slots


def _read_rooms(reader: Reader, data: dict, slot_ids: set[str]) -> list[Room]:
    rooms: list[Room] = []
    seen = reader.known["rooms"]
    for path, obj in reader.objects(data, "rooms"):
        room_id = reader.ident(obj, path, "id", seen)
        name = reader.field(obj, "name", path, "str", default=room_id, limit=ROOM_NAME_MAX)
        capacity = reader.whole(obj, "capacity", path, minimum=0)
        features = reader.field(obj, "features", path, "str_list", default=[], limit=TAG_MAX)
        unavailable = reader.refs(obj, "unavailable", path, slot_ids, "slot")
        if room_id and capacity is not None and features is not None:
            rooms.append(Room(room_id, name or room_id, capacity, frozenset(features), unavailable))
    return rooms


def _read_pin(reader: Reader, obj: dict, path: str, slots: set[str], rooms: set[str]):
    pin = reader.field(obj, "pinned", path, "dict", default=None)
    if pin is None:
        return None
    room = reader.field(pin, "room", f"{path}.pinned", "str", limit=ID_MAX)
    slot = reader.field(pin, "slot", f"{path}.pinned", "str", limit=ID_MAX)
    if room is not None and room not in rooms:
        reader.unknown(f"{path}.pinned.room", "room", room)
    if slot is not None and slot not in slots:
        reader.unknown(f"{path}.pinned.slot", "slot", slot)
    return Pin(room, slot) if room in rooms and slot in slots else None


def _read_sessions(reader: Reader, data: dict, longest: int) -> list:
    sessions: list[Session] = []
    seen = reader.known["sessions"]
    slots, rooms = reader.known["slots"], reader.known["rooms"]
    for path, obj in reader.objects(data, "sessions"):
        session_id = reader.ident(obj, path, "id", seen)
        title = reader.field(obj, "title", path, "str", default="", limit=NAME_MAX)
        description = reader.field(obj, "description", path, "str", default="")
        hosts = reader.field(obj, "hosts", path, "str_list", default=[], limit=NAME_MAX)
        needs = reader.field(obj, "needs", path, "str_list", default=[], limit=TAG_MAX)
        length = reader.whole(obj, "length", path, minimum=1, default=1, maximum=longest)
        unavailable = reader.refs(obj, "unavailable", path, slots, "slot")
        pinned = _read_pin(reader, obj, path, slots, rooms)
        extra = reader.whole(obj, "extra_interest", path, minimum=0, default=0)
        fields = (session_id, title, description, hosts, needs, length, extra)
        if all(value is not None for value in fields):
            sessions.append(
                Session(
                    id=session_id,
                    title=title,
                    description=description,
                    hosts=tuple(hosts),
                    needs=frozenset(needs),
                    length=length,
                    unavailable=unavailable,
                    pinned=pinned,
                    extra_interest=extra,
                )
            )
    return sessions


def _read_votes(reader: Reader, data: dict, session_ids: set[str]) -> list[Vote]:
    votes: list[Vote] = []
    seen = reader.known["votes"]
    for path, obj in reader.objects(data, "votes"):
        voter = reader.ident(obj, path, "voter", seen)
        marks = reader.field(obj, "sessions", path, "str_list", default=[], limit=ID_MAX) or []
        online = reader.field(obj, "online", path, "bool", default=False)
        for index, mark in enumerate(marks):
            if mark not in session_ids:
                reader.unknown(f"{path}.sessions[{index}]", "session", mark)
            elif mark in marks[:index]:
                reader.error(f"{path}.sessions[{index}]", "marked_twice", value=mark)
        if voter is not None and online is not None:
            votes.append(Vote(voter, tuple(dict.fromkeys(marks)), online))
    return votes


def dump_event(problem: Problem) -> dict[str, Any]:
    """Turn a Problem into an `event@1` document."""
    return {
        "format": EVENT_FORMAT,
        "event": {"name": problem.event.name, "timezone": problem.event.timezone},
        "rooms": [
            {
                "id": room.id,
                "name": room.name,
                "capacity": room.capacity,
                "features": sorted(room.features),
                "unavailable": _in_slot_order(problem, room.unavailable),
            }
            for room in problem.rooms
        ],
        "slots": [
            {"id": slot.id, "start": _local(slot.start), "end": _local(slot.end)}
            for slot in problem.slots
        ],
        "sessions": [_dump_session(problem, session_) for session_ in problem.sessions],
        "votes": [
            {"voter": vote.voter, "sessions": list(vote.sessions), "online": vote.online}
            for vote in problem.votes
        ],
    }


def _dump_session(problem: Problem, session_: Session) -> dict[str, Any]:
    pin = session_.pinned
    return {
        "id": session_.id,
        "title": session_.title,
        "description": session_.description,
        "hosts": list(session_.hosts),
        "needs": sorted(session_.needs),
        "length": session_.length,
        "unavailable": _in_slot_order(problem, session_.unavailable),
        "pinned": {"room": pin.room, "slot": pin.slot} if pin else None,
        "extra_interest": session_.extra_interest,
    }


def _in_slot_order(problem: Problem, slot_ids: frozenset[str]) -> list[str]:
    return sorted(slot_ids, key=problem.slot_index.__getitem__)


def _local(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


# --- plan@1 --------------------------------------------------------------------------------


def parse_plan(data: Any, problem: Problem | None = None) -> Plan:
    """Turn a parsed `plan@1` document into a Plan, or raise FormatError.

    With `problem`, every session, room and slot the plan names must exist in it.
    """
    reader = Reader()
    if not isinstance(data, dict):
        raise not_a_document(PLAN_FORMAT)
    reader.check_format(data, PLAN_FORMAT)
    reader.scan(data)
    assignments = []
    for path, obj in reader.objects(data, "assignments"):
        keys = ("session", "room", "slot")
        values = [reader.field(obj, key, path, "str", limit=ID_MAX) for key in keys]
        if problem is not None:
            _check_plan_refs(reader, problem, path, *values)
        if None not in values:
            assignments.append(Assignment(*values))
    unscheduled = reader.field(data, "unscheduled", "", "str_list", default=[], limit=ID_MAX) or []
    if problem is not None:
        for index, session_id in enumerate(unscheduled):
            if session_id not in problem.session_by_id:
                reader.unknown(f"unscheduled[{index}]", "session", session_id)
    metrics = reader.field(data, "metrics", "", "dict", default={}) or {}
    solver = reader.field(data, "solver", "", "dict", default={}) or {}
    reader.free(metrics, "metrics")
    reader.free(solver, "solver")
    moved = reader.field(solver, "moved", "solver", "str_list", default=[])
    warnings = reader.field(solver, "warnings", "solver", "str_list", default=[])
    reader.raise_if_any()
    return Plan(
        assignments=tuple(assignments),
        unscheduled=tuple(unscheduled),
        metrics=dict(metrics),
        solver=dict(solver),
        moved=tuple(moved),
        warnings=tuple(warnings),
    )


def _check_plan_refs(reader: Reader, problem: Problem, path: str, session_id, room, slot):
    if session_id is not None and session_id not in problem.session_by_id:
        reader.unknown(f"{path}.session", "session", session_id)
    if room is not None and room not in problem.room_by_id:
        reader.unknown(f"{path}.room", "room", room)
    if slot is not None and slot not in problem.slot_index:
        reader.unknown(f"{path}.slot", "slot", slot)


def dump_plan(plan: Plan) -> dict[str, Any]:
    """Turn a Plan into a `plan@1` document; `moved` and `warnings` travel inside `solver`."""
    solver = dict(plan.solver)
    solver["moved"] = list(plan.moved)
    solver["warnings"] = list(plan.warnings)
    return {
        "format": PLAN_FORMAT,
        "assignments": [
            {"session": item.session, "room": item.room, "slot": item.slot}
            for item in plan.assignments
        ],
        "unscheduled": list(plan.unscheduled),
        "metrics": dict(plan.metrics),
        "solver": solver,
    }


def loads_json(text: str | bytes) -> Any:
    """Parse JSON text, turning a syntax error into a FormatError with line and column."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as error:
        where = {"message": error.msg, "line": error.lineno, "column": error.colno}
        raise FormatError(FormatProblem("", "bad_json", where)) from None
    except UnicodeDecodeError:
        raise FormatError(FormatProblem("", "not_utf8")) from None
    except RecursionError:
        raise FormatError(FormatProblem("", "too_deep")) from None
    except ValueError:  # a number past Python's digit limit, NaN, Infinity, 1e999
        raise FormatError(FormatProblem("", "bad_number")) from None


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, though Python reads them; PostgreSQL refuses them."""
    raise ValueError(name)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity
        raise ValueError(text)
    return value


def read_event(text: str | bytes) -> Problem:
    """Parse `event@1` JSON text."""
    return parse_event(loads_json(text))


def read_plan(text: str | bytes, problem: Problem | None = None) -> Plan:
    """Parse `plan@1` JSON text."""
    return parse_plan(loads_json(text), problem)


def write_json(document: dict[str, Any]) -> str:
    """Serialise a document the way the planner writes files: UTF-8, indented."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
