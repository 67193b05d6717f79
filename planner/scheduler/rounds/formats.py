"""Read and write the `rounds@1` and `seating@1` JSON formats (see ROUNDS.md).

As for event@1, parsing collects every problem with its place (`people[3].pinned.table: no
table "t9"`) and raises one FormatError listing all of them. Texts and numbers are bounded and
NUL characters refused, so that a file cannot smuggle in what a database or a PDF chokes on.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from ..errors import ENGLISH, FormatProblem
from ..formats import _MISSING, Reader, found_text, known_timezone, loads_json, not_a_document
from ..problem import EventInfo
from .model import MODES, Person, Pin, Round, RoundsProblem, Seat, Seating, Table

ROUNDS_FORMAT = "barcamp-planner/rounds@1"
SEATING_FORMAT = "barcamp-planner/seating@1"
TEXT_MAX = 200  # characters of an id, name, topic, host or affiliation
NUMBER_MAX = 10_000  # seats or minimum of one table
TIME_EXAMPLE = "2024-11-18T11:00"

# The problems only these formats have, in English (the rest are errors.ENGLISH's).
ROUNDS_ENGLISH = {
    "has_nul": "must not contain a NUL character",
    "rounds_not_chronological": "rounds must be listed in chronological order",
    "seated_twice": "{value} already has a table in round {round}",
}


class RoundsFormatProblem(FormatProblem):
    """A FormatProblem that may also carry one of ROUNDS_ENGLISH's codes."""

    def __str__(self) -> str:
        if self.code not in ROUNDS_ENGLISH:
            return super().__str__()
        params = {**self.params}
        if "value" in params:
            params["value"] = f'"{params["value"]}"'
        message = ROUNDS_ENGLISH[self.code].format(**params)
        return f"{self.path}: {message}" if self.path else message


assert not set(ROUNDS_ENGLISH) & set(ENGLISH)  # a code means one thing


class _RoundsReader(Reader):
    """The event@1 reader's problem collection, with bounded, NUL-free texts."""

    def error(self, path: str, code: str, **params: Any) -> None:
        """Record one problem at `path`."""
        self.problems.append(RoundsFormatProblem(path, code, params))

    def field(
        self, obj: dict, key: str, path: str, kind: str, default: Any = _MISSING, **kw
    ) -> Any:
        """Return obj[key] checked against `kind` and, for texts, their length and NULs."""
        value = super().field(obj, key, path, kind, default, **kw)
        where = f"{path}.{key}" if path else key
        if kind == "str" and value is not None and not self._text_ok(value, where):
            return None
        if kind == "str_list" and value is not None:
            checked = [self._text_ok(item, f"{where}[{i}]") for i, item in enumerate(value)]
            return value if all(checked) else None
        return value

    def optional(self, obj: dict, key: str, path: str, kind: str, default: Any) -> Any:
        """Return obj[key], or `default` when absent or null."""
        if obj.get(key) is None:
            return default
        return self.field(obj, key, path, kind)

    def _text_ok(self, value: str, where: str) -> bool:
        if "\x00" in value:
            self.error(where, "has_nul")
            return False
        if len(value) > TEXT_MAX:
            self.error(where, "too_long", maximum=TEXT_MAX)
            return False
        return True

    def bounded(self, obj: dict, key: str, path: str, minimum: int, default: Any = _MISSING):
        """Return obj[key] as a whole number from `minimum` to NUMBER_MAX."""
        value = self.whole(obj, key, path, minimum, default)
        if value is not None and value > NUMBER_MAX:
            self.error(f"{path}.{key}", "too_large", maximum=NUMBER_MAX)
            return None
        return value


# --- rounds@1 ------------------------------------------------------------------------------


def parse_rounds(data: Any) -> RoundsProblem:
    """Turn a parsed `rounds@1` document into a RoundsProblem, or raise FormatError."""
    if not isinstance(data, dict):
        raise not_a_document(ROUNDS_FORMAT)
    reader = _RoundsReader()
    _check_format(reader, data, ROUNDS_FORMAT)
    event = _read_event(reader, data)
    mode = reader.field(data, "mode", "", "str")
    if mode is not None and mode not in MODES:
        reader.error("mode", "not_one_of", options=list(MODES), found=found_text(mode))
    rounds = _read_rounds(reader, data)
    tables = _read_tables(reader, data, reader.known["rounds"])
    people = _read_people(reader, data, reader.known["rounds"], reader.known["tables"])
    reader.raise_if_any()
    return RoundsProblem(event, mode, tuple(rounds), tuple(tables), tuple(people))


def _check_format(reader: _RoundsReader, data: dict, expected: str) -> None:
    if data.get("format") in (ROUNDS_FORMAT, SEATING_FORMAT):  # the other of the two
        if data["format"] != expected:
            reader.error(
                "format", "wrong_format", expected=expected, found=found_text(data["format"])
            )
        return
    reader.check_format(data, expected)


def _read_event(reader: _RoundsReader, data: dict) -> EventInfo:
    info = reader.optional(data, "event", "", "dict", {}) or {}
    name = reader.optional(info, "name", "event", "str", "")
    timezone = reader.optional(info, "timezone", "event", "str", "Europe/Berlin")
    if timezone is not None and not known_timezone(timezone):
        reader.error("event.timezone", "unknown_timezone", value=timezone)
    return EventInfo(name=name or "", timezone=timezone or "Europe/Berlin")


def _read_list(reader: _RoundsReader, data: dict, key: str) -> list[tuple[str, dict]]:
    if key not in data:
        reader.error(key, "missing")
        return []
    return reader.objects(data, key)


def _read_time(reader: _RoundsReader, obj: dict, key: str, path: str) -> datetime | None:
    text = reader.field(obj, key, path, "str")
    if text is None:
        return None
    return reader.naive_time(text, f"{path}.{key}", local=True, example=TIME_EXAMPLE)


def _read_rounds(reader: _RoundsReader, data: dict) -> list[Round]:
    rounds: list[Round] = []
    for path, obj in _read_list(reader, data, "rounds"):
        round_id = reader.ident(obj, path, "id", reader.known["rounds"])
        start = _read_time(reader, obj, "start", path)
        end = _read_time(reader, obj, "end", path)
        if start and end and end <= start:
            reader.error(f"{path}.end", "not_after_start")
        elif round_id and start and end:
            if rounds and start < rounds[-1].start:
                reader.error(f"{path}.start", "rounds_not_chronological")
            rounds.append(Round(round_id, start, end))
    return rounds


def _read_tables(reader: _RoundsReader, data: dict, round_ids: set[str]) -> list[Table]:
    tables: list[Table] = []
    for path, obj in _read_list(reader, data, "tables"):
        table_id = reader.ident(obj, path, "id", reader.known["tables"])
        name = reader.optional(obj, "name", path, "str", table_id)
        topic = reader.field(obj, "topic", path, "str")
        if topic is not None and not topic.strip():
            reader.error(f"{path}.topic", "empty")
            topic = None
        host = reader.optional(obj, "host", path, "str", "")
        seats = reader.bounded(obj, "seats", path, minimum=1)
        least = reader.bounded(obj, "min", path, minimum=0, default=0)
        closed = reader.optional(obj, "unavailable", path, "str_list", []) or []
        for index, round_id in enumerate(closed):
            if round_id not in round_ids:
                reader.unknown(f"{path}.unavailable[{index}]", "round", round_id)
        fields = (table_id, name, topic, host, seats, least)
        if all(value is not None for value in fields):
            tables.append(Table(table_id, topic, seats, least, name, host, frozenset(closed)))
    return tables


def _read_people(reader: _RoundsReader, data: dict, rounds: set[str], tables: set[str]):
    people: list[Person] = []
    for path, obj in _read_list(reader, data, "people"):
        person_id = reader.ident(obj, path, "id", reader.known["people"])
        choices = reader.optional(obj, "choices", path, "str_list", [])
        group = reader.optional(obj, "group", path, "str", None)
        pinned = _read_pin(reader, obj, path, rounds, tables)
        if person_id is not None and choices is not None and pinned is not False:
            people.append(Person(person_id, tuple(dict.fromkeys(choices)), group, pinned))
    return people


def _read_pin(reader: _RoundsReader, obj: dict, path: str, rounds: set[str], tables: set[str]):
    """The person's pin, None for none, or False after a problem."""
    pin = reader.optional(obj, "pinned", path, "dict", None)
    if pin is None:
        return False if obj.get("pinned") is not None else None
    round_id = reader.field(pin, "round", f"{path}.pinned", "str")
    table_id = reader.field(pin, "table", f"{path}.pinned", "str")
    if round_id is not None and round_id not in rounds:
        reader.unknown(f"{path}.pinned.round", "round", round_id)
    if table_id is not None and table_id not in tables:
        reader.unknown(f"{path}.pinned.table", "table", table_id)
    return Pin(round_id, table_id) if round_id in rounds and table_id in tables else False


def dump_rounds(problem: RoundsProblem) -> dict[str, Any]:
    """Turn a RoundsProblem into a `rounds@1` document."""
    return {
        "format": ROUNDS_FORMAT,
        "event": {"name": problem.event.name, "timezone": problem.event.timezone},
        "mode": problem.mode,
        "rounds": [
            {"id": round_.id, "start": _local(round_.start), "end": _local(round_.end)}
            for round_ in problem.rounds
        ],
        "tables": [_dump_table(problem, table) for table in problem.tables],
        "people": [_dump_person(person) for person in problem.people],
    }


def _dump_table(problem: RoundsProblem, table: Table) -> dict[str, Any]:
    return {
        "id": table.id,
        "name": table.name,
        "topic": table.topic,
        "host": table.host,
        "seats": table.seats,
        "min": table.min,
        "unavailable": sorted(table.unavailable, key=problem.round_index.__getitem__),
    }


def _dump_person(person: Person) -> dict[str, Any]:
    pin = person.pinned
    return {
        "id": person.id,
        "choices": list(person.choices),
        "group": person.group,
        "pinned": {"round": pin.round, "table": pin.table} if pin else None,
    }


def _local(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


# --- seating@1 -----------------------------------------------------------------------------


def parse_seating(data: Any, problem: RoundsProblem | None = None) -> Seating:
    """Turn a parsed `seating@1` document into a Seating, or raise FormatError.

    With `problem`, every person, round and table must exist in it, and nobody may have two
    entries in one round.
    """
    if not isinstance(data, dict):
        raise not_a_document(SEATING_FORMAT)
    reader = _RoundsReader()
    _check_format(reader, data, SEATING_FORMAT)
    seats = []
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for path, obj in _read_list(reader, data, "seating"):
        values = [reader.field(obj, key, path, "str") for key in ("person", "round", "table")]
        if problem is not None:
            _check_seat_refs(reader, problem, path, *values)
        if None in values:
            continue
        taken[values[0], values[1]] += 1
        if problem is not None and taken[values[0], values[1]] > 1:
            reader.error(path, "seated_twice", value=values[0], round=values[1])
        seats.append(Seat(*values))
    metrics = reader.optional(data, "metrics", "", "dict", {}) or {}
    solver = reader.optional(data, "solver", "", "dict", {}) or {}
    reader.raise_if_any()
    return Seating(tuple(seats), dict(metrics), dict(solver))


def _check_seat_refs(reader: _RoundsReader, problem: RoundsProblem, path: str, *values) -> None:
    lookups = (problem.person_by_id, problem.round_index, problem.table_by_id)
    for key, value, known in zip(("person", "round", "table"), values, lookups, strict=True):
        if value is not None and value not in known:
            reader.unknown(f"{path}.{key}", key, value)


def dump_seating(seating: Seating) -> dict[str, Any]:
    """Turn a Seating into a `seating@1` document."""
    return {
        "format": SEATING_FORMAT,
        "seating": [
            {"person": seat.person, "round": seat.round, "table": seat.table}
            for seat in seating.seats
        ],
        "metrics": dict(seating.metrics),
        "solver": dict(seating.solver),
    }


def read_rounds(text: str | bytes) -> RoundsProblem:
    """Parse `rounds@1` JSON text."""
    return parse_rounds(loads_json(text))


def read_seating(text: str | bytes, problem: RoundsProblem | None = None) -> Seating:
    """Parse `seating@1` JSON text."""
    return parse_seating(loads_json(text), problem)
