"""Tests for reading and writing the event@1 and plan@1 formats (docs/formats.md)."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from planner.scheduler.errors import FormatError, FormatProblem
from planner.scheduler.formats import (
    dump_event,
    dump_plan,
    parse_event,
    parse_plan,
    read_event,
    read_plan,
    write_json,
)
from planner.scheduler.problem import Assignment, Pin, Plan

from .builders import event_document

EXAMPLE_EVENT = Path(__file__).parents[2] / "docs" / "example-event.json"


def set_at(document: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    """Replace the value at `path` (keys and list indices) in `document` and return it."""
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


def delete_at(document: dict[str, Any], path: tuple) -> dict[str, Any]:
    """Remove the key at `path` from `document` and return it."""
    target = document
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return document


def event_problems(document: Any) -> list[str]:
    """Return the problems parse_event reports for `document`, which must be malformed, as
    the command line prints them."""
    with pytest.raises(FormatError) as caught:
        parse_event(document)
    return [str(problem) for problem in caught.value.problems]


def plan_problems(document: Any, problem=None) -> list[str]:
    """Return the problems parse_plan reports for `document`, which must be malformed, as
    the command line prints them."""
    with pytest.raises(FormatError) as caught:
        parse_plan(document, problem)
    return [str(problem) for problem in caught.value.problems]


def rich_event_document() -> dict[str, Any]:
    """Return an event using every field: pins, unavailability, a double session, online votes."""
    document = event_document()
    document["rooms"][0]["unavailable"] = ["t3"]
    document["rooms"][1]["features"] = ["whiteboard", "projector"]
    document["sessions"] = [
        {
            "id": "s1",
            "title": "Open Data im Landkreis",
            "description": "Welche Daten gibt es – und wer darf sie nutzen?",
            "hosts": ["Anna Beispiel", "Ben Muster"],
            "needs": ["stream"],
            "length": 2,
            "unavailable": ["t3"],
            "pinned": {"room": "r1", "slot": "t1"},
            "extra_interest": 4,
        },
        {"id": "s2", "title": "Barrierefreiheit", "hosts": ["Ben Muster"], "unavailable": ["t1"]},
        {"id": "s3", "title": "Mastodon für Vereine", "pinned": None, "extra_interest": 12},
    ]
    document["votes"] = [
        {"voter": "v1", "sessions": ["s1", "s2"], "online": False},
        {"voter": "v2", "sessions": ["s3", "s1"], "online": True},
        {"voter": "v3", "sessions": []},
    ]
    return document


# --- event@1 round trip ---------------------------------------------------------------------------


def test_example_event_parses_and_round_trips():
    problem = read_event(EXAMPLE_EVENT.read_text(encoding="utf-8"))
    assert (len(problem.rooms), len(problem.slots), len(problem.sessions)) == (3, 3, 8)
    assert len(problem.votes) == 30
    assert parse_event(dump_event(problem)) == problem


def test_rich_event_parses_every_field():
    problem = parse_event(rich_event_document())
    first, second, third = problem.sessions
    assert first.hosts == ("Anna Beispiel", "Ben Muster")
    assert first.needs == frozenset({"stream"})
    assert first.length == 2
    assert first.unavailable == frozenset({"t3"})
    assert first.pinned == Pin("r1", "t1")
    assert first.extra_interest == 4
    assert second.unavailable == frozenset({"t1"})
    assert third.pinned is None
    assert problem.rooms[0].unavailable == frozenset({"t3"})
    assert problem.slots[2].start == datetime(2024, 11, 19, 10, 0)
    assert [vote.online for vote in problem.votes] == [False, True, False]
    assert problem.votes[1].sessions == ("s3", "s1")


def test_rich_event_round_trips_through_json_text():
    problem = parse_event(rich_event_document())
    again = read_event(write_json(dump_event(problem)))
    assert again == problem
    assert again.event == problem.event


def test_dump_event_is_stable():
    document = dump_event(parse_event(rich_event_document()))
    assert dump_event(parse_event(document)) == document


def test_dump_event_lists_unavailable_slots_in_slot_order():
    document = rich_event_document()
    document["sessions"][1]["unavailable"] = ["t3", "t1", "t2"]
    dumped = dump_event(parse_event(document))
    assert dumped["sessions"][1]["unavailable"] == ["t1", "t2", "t3"]


def test_dump_event_keeps_seconds_and_writes_minutes_otherwise():
    document = event_document()
    document["slots"][0]["end"] = "2024-11-18T10:44:30"
    slot_docs = dump_event(parse_event(document))["slots"]
    assert slot_docs[0] == {"id": "t1", "start": "2024-11-18T10:00", "end": "2024-11-18T10:44:30"}


# --- event@1 defaults -----------------------------------------------------------------------------


def test_optional_session_fields_take_their_defaults():
    session_ = parse_event(event_document()).sessions[0]
    assert session_.description == ""
    assert session_.hosts == ()
    assert session_.needs == frozenset()
    assert session_.length == 1
    assert session_.unavailable == frozenset()
    assert session_.pinned is None
    assert session_.extra_interest == 0


def test_optional_room_fields_take_their_defaults():
    document = event_document()
    del document["rooms"][1]["name"]
    room = parse_event(document).rooms[1]
    assert room.name == "r2"
    assert room.features == frozenset()
    assert room.unavailable == frozenset()


def test_vote_is_on_site_by_default():
    assert parse_event(event_document()).votes[0].online is False


def test_null_pin_means_not_pinned():
    document = set_at(event_document(), ("sessions", 0, "pinned"), None)
    assert parse_event(document).sessions[0].pinned is None


def test_votes_may_be_left_out():
    document = event_document()
    del document["votes"]
    assert parse_event(document).votes == ()


# --- event@1 malformed ----------------------------------------------------------------------------

FORMAT_1 = "barcamp-planner/event@1"


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        pytest.param(
            ("sessions", 3, "pinned"),
            {"room": "r99", "slot": "t1"},
            'sessions[3].pinned.room: no room "r99"',
            id="pinned-room-unknown",
        ),
        pytest.param(
            ("sessions", 3, "pinned"),
            {"room": "r1", "slot": "t99"},
            'sessions[3].pinned.slot: no slot "t99"',
            id="pinned-slot-unknown",
        ),
        pytest.param(
            ("sessions", 3, "pinned"),
            {"room": "r1"},
            "sessions[3].pinned.slot: is missing",
            id="pinned-slot-missing",
        ),
        pytest.param(
            ("sessions", 3, "pinned"),
            "r1",
            'sessions[3].pinned: must be an object, not "r1"',
            id="pinned-not-object",
        ),
        pytest.param(
            ("format",),
            "barcamp-planner/event@2",
            f'format: must be "{FORMAT_1}", not "barcamp-planner/event@2"',
            id="format-wrong",
        ),
        pytest.param(
            ("format",),
            "barcamp-planner/plan@1",
            f'format: must be "{FORMAT_1}", not "barcamp-planner/plan@1" '
            "(a plan file: import it on an event's planning board instead)",
            id="format-of-a-plan",
        ),
        pytest.param(
            ("rooms", 1, "id"), "r1", 'rooms[1].id: "r1" is used twice', id="room-id-twice"
        ),
        pytest.param(
            ("slots", 1, "id"), "t1", 'slots[1].id: "t1" is used twice', id="slot-id-twice"
        ),
        pytest.param(
            ("sessions", 3, "id"),
            "s1",
            'sessions[3].id: "s1" is used twice',
            id="session-id-twice",
        ),
        pytest.param(
            ("votes", 1, "voter"), "v1", 'votes[1].voter: "v1" is used twice', id="voter-twice"
        ),
        pytest.param(("rooms", 1, "id"), "", "rooms[1].id: must not be empty", id="id-empty"),
        pytest.param(("rooms", 1, "id"), "  ", "rooms[1].id: must not be empty", id="id-blank"),
        pytest.param(
            ("rooms", 0, "unavailable"),
            ["t1", "t9"],
            'rooms[0].unavailable[1]: no slot "t9"',
            id="room-unavailable-unknown",
        ),
        pytest.param(
            ("sessions", 2, "unavailable"),
            ["t9"],
            'sessions[2].unavailable[0]: no slot "t9"',
            id="session-unavailable-unknown",
        ),
        pytest.param(
            ("votes", 0, "sessions"),
            ["s1", "s9"],
            'votes[0].sessions[1]: no session "s9"',
            id="vote-unknown-session",
        ),
        pytest.param(
            ("votes", 0, "sessions"),
            ["s1", "s2", "s1"],
            'votes[0].sessions[2]: "s1" is marked twice',
            id="vote-marks-twice",
        ),
        pytest.param(
            ("rooms", 1, "capacity"),
            -1,
            "rooms[1].capacity: must not be negative",
            id="capacity-negative",
        ),
        pytest.param(
            ("rooms", 1, "capacity"),
            "10",
            'rooms[1].capacity: must be a whole number, not "10"',
            id="capacity-string",
        ),
        pytest.param(
            ("rooms", 1, "capacity"),
            10.5,
            "rooms[1].capacity: must be a whole number, not 10.5",
            id="capacity-float",
        ),
        pytest.param(
            ("rooms", 1, "capacity"),
            True,
            "rooms[1].capacity: must be a whole number, not true",
            id="capacity-bool",
        ),
        pytest.param(
            ("rooms", 1, "capacity"),
            None,
            "rooms[1].capacity: must be a whole number, not null",
            id="capacity-null",
        ),
        pytest.param(
            ("sessions", 3, "length"), 0, "sessions[3].length: must be at least 1", id="length-0"
        ),
        pytest.param(
            ("sessions", 3, "length"),
            True,
            "sessions[3].length: must be a whole number, not true",
            id="length-bool",
        ),
        pytest.param(
            ("sessions", 3, "extra_interest"),
            -2,
            "sessions[3].extra_interest: must not be negative",
            id="extra-interest-negative",
        ),
        pytest.param(
            ("sessions", 3, "hosts"),
            "Anna",
            'sessions[3].hosts: must be a list of strings, not "Anna"',
            id="hosts-string",
        ),
        pytest.param(
            ("sessions", 3, "needs"),
            ["projector", 1],
            'sessions[3].needs: must be a list of strings, not ["projector", 1]',
            id="needs-with-number",
        ),
        pytest.param(
            ("votes", 0, "online"),
            "yes",
            'votes[0].online: must be true or false, not "yes"',
            id="online-string",
        ),
        pytest.param(
            ("slots", 2),
            {"id": "t3", "start": "2024-11-18T09:00", "end": "2024-11-18T09:45"},
            "slots[2].start: slots must be listed in chronological order",
            id="slots-not-chronological",
        ),
        pytest.param(
            ("slots", 1, "end"),
            "2024-11-18T10:30",
            "slots[1].end: must be after the start",
            id="end-before-start",
        ),
        pytest.param(
            ("slots", 1, "end"),
            "2024-11-18T11:00",
            "slots[1].end: must be after the start",
            id="end-equals-start",
        ),
        pytest.param(
            ("slots", 1, "start"),
            "2024-11-18T11:00+01:00",
            "slots[1].start: must be a local time without a UTC offset",
            id="start-with-offset",
        ),
        pytest.param(
            ("slots", 1, "end"),
            "2024-11-18T10:45Z",
            "slots[1].end: must be a local time without a UTC offset",
            id="end-in-utc",
        ),
        pytest.param(
            ("slots", 1, "start"),
            "morgens",
            'slots[1].start: "morgens" is not a time like "2024-11-18T13:30"',
            id="start-not-a-time",
        ),
        pytest.param(
            ("event", "timezone"),
            "Mars/Olympus_Mons",
            'event.timezone: unknown timezone "Mars/Olympus_Mons"',
            id="timezone-unknown",
        ),
        pytest.param(
            ("rooms", 1), "r2", 'rooms[1]: must be an object, not "r2"', id="room-not-object"
        ),
        pytest.param(("rooms",), {}, "rooms: must be a list, not {}", id="rooms-not-list"),
    ],
)
def test_malformed_event_names_the_place(path, value, problem):
    assert event_problems(set_at(event_document(), path, value)) == [problem]


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (("format",), f'format: must be "{FORMAT_1}", not null'),
        (("rooms", 1, "capacity"), "rooms[1].capacity: is missing"),
        (("sessions", 3, "id"), "sessions[3].id: is missing"),
        (("slots", 1, "start"), "slots[1].start: is missing"),
        (("votes", 1, "voter"), "votes[1].voter: is missing"),
    ],
)
def test_missing_required_field_is_named(path, problem):
    assert event_problems(delete_at(event_document(), path)) == [problem]


def test_all_problems_are_reported_at_once():
    document = event_document()
    document["format"] = "barcamp-planner/event@0"
    document["event"]["timezone"] = "Europe/Marburg"
    set_at(document, ("slots", 1, "start"), "2024-11-18T11:00+01:00")
    set_at(document, ("rooms", 1, "capacity"), "10")
    set_at(document, ("sessions", 3, "pinned"), {"room": "r99", "slot": "t1"})
    set_at(document, ("sessions", 2, "length"), 0)
    set_at(document, ("votes", 0, "sessions"), ["s1", "s9"])
    assert sorted(event_problems(document)) == sorted(
        [
            f'format: must be "{FORMAT_1}", not "barcamp-planner/event@0"',
            'event.timezone: unknown timezone "Europe/Marburg"',
            "slots[1].start: must be a local time without a UTC offset",
            'rooms[1].capacity: must be a whole number, not "10"',
            'sessions[3].pinned.room: no room "r99"',
            "sessions[2].length: must be at least 1",
            'votes[0].sessions[1]: no session "s9"',
        ]
    )


def test_each_problem_has_a_place_a_code_and_what_it_names():
    document = event_document()
    set_at(document, ("rooms", 1, "capacity"), -1)
    set_at(document, ("rooms", 0, "capacity"), "viele")
    set_at(document, ("sessions", 3, "pinned"), {"room": "r99", "slot": "t1"})
    with pytest.raises(FormatError) as caught:
        parse_event(document)
    assert caught.value.problems == (
        FormatProblem("rooms[0].capacity", "not_integer", {"found": '"viele"'}),
        FormatProblem("rooms[1].capacity", "negative"),
        FormatProblem(
            "sessions[3].pinned.room", "unknown_reference", {"kind": "room", "value": "r99"}
        ),
    )


@pytest.mark.parametrize(
    ("kind", "parse", "hint"),
    [
        ("barcamp-planner/backup@1", parse_event, "a backup of a whole event: restore it"),
        ("barcamp-planner/plan@1", parse_event, "a plan file"),
        ("barcamp-planner/backup@1", parse_plan, "a backup of a whole event: restore it"),
        ("barcamp-planner/event@1", parse_plan, "an event file: import it as an event"),
    ],
)
def test_a_file_of_another_kind_is_named_as_such_alone(kind, parse, hint):
    """Not a pile of missing fields: one problem that says what the file is."""
    with pytest.raises(FormatError) as caught:
        parse({"format": kind, "slots": [{}], "rooms": "many", "assignments": 3})
    (problem,) = caught.value.problems
    assert (problem.path, problem.code, problem.params["found"]) == ("format", "wrong_kind", kind)
    assert hint in str(problem)


def test_an_unknown_format_is_named_among_the_other_problems():
    document = event_document()
    document["format"] = "barcamp-planner/event@2"
    set_at(document, ("rooms", 1, "capacity"), -1)
    assert [problem.code for problem in parse_errors(document)] == ["wrong_format", "negative"]


def parse_errors(document: Any) -> tuple[FormatProblem, ...]:
    with pytest.raises(FormatError) as caught:
        parse_event(document)
    return caught.value.problems


def test_format_error_message_lists_every_problem():
    document = event_document()
    set_at(document, ("rooms", 1, "capacity"), -1)
    set_at(document, ("sessions", 3, "length"), 0)
    with pytest.raises(FormatError) as caught:
        parse_event(document)
    assert str(caught.value) == (
        "rooms[1].capacity: must not be negative\nsessions[3].length: must be at least 1"
    )


@pytest.mark.parametrize("document", [[], "event", 42, None], ids=repr)
def test_document_that_is_not_an_object_is_rejected(document):
    assert event_problems(document) == ["the document must be a JSON object"]


def test_invalid_json_text_names_line_and_column():
    # Line 2 is ` "rooms": [}`: the `}` where a value should be is its 12th character.
    text = '{"format": "barcamp-planner/event@1",\n "rooms": [}'
    with pytest.raises(FormatError) as caught:
        read_event(text)
    assert [str(problem) for problem in caught.value.problems] == [
        "not valid JSON: Expecting value (line 2, column 12)"
    ]
    assert caught.value.__suppress_context__


def test_invalid_json_says_each_word_once():
    with pytest.raises(FormatError) as caught:
        read_event('{"event": {"name": "Barcamp')
    (problem,) = caught.value.problems
    assert problem.code == "bad_json"
    assert problem.params == {"message": "Unterminated string starting at", "line": 1, "column": 20}
    assert str(problem) == "not valid JSON: Unterminated string starting at (line 1, column 20)"


def test_empty_text_is_a_format_error():
    with pytest.raises(FormatError, match="line 1, column 1"):
        read_event("")


def test_json_text_that_is_not_an_object_is_a_format_error():
    with pytest.raises(FormatError, match="must be a JSON object"):
        read_event("[1, 2]")


def test_bytes_that_are_not_utf8_are_a_format_error():
    with pytest.raises(FormatError) as caught:
        read_event(b'{"event": {"name": "Caf\xe9"}}')
    assert str(caught.value) == "not valid JSON: the file is not UTF-8 text"


def test_deeply_nested_invalid_json_is_a_format_error():
    with pytest.raises(FormatError):
        read_event("[" * 100_000)


# --- plan@1 ---------------------------------------------------------------------------------------

PLAN_1 = "barcamp-planner/plan@1"


def sample_plan() -> Plan:
    """Return a plan with moved sessions, warnings and extra metric and solver keys."""
    return Plan(
        assignments=(Assignment("s1", "r1", "t1"), Assignment("s2", "r2", "t3")),
        unscheduled=("s3", "s4"),
        metrics={
            "scheduled": 2,
            "lost_interests": 3,
            "overflow_people": 0.5,
            "missed": 3.5,
            "fullest_session": "s1",
        },
        solver={"status": "FEASIBLE", "seconds": 4.2, "seed": 7},
        moved=("s2",),
        warnings=("s3: no room has a projector", "s4: its host is busy in every slot"),
    )


def test_dump_plan_puts_moved_and_warnings_inside_solver():
    document = dump_plan(sample_plan())
    assert document["format"] == PLAN_1
    assert document["assignments"][1] == {"session": "s2", "room": "r2", "slot": "t3"}
    assert document["unscheduled"] == ["s3", "s4"]
    assert document["solver"] == {
        "status": "FEASIBLE",
        "seconds": 4.2,
        "seed": 7,
        "moved": ["s2"],
        "warnings": ["s3: no room has a projector", "s4: its host is busy in every slot"],
    }
    assert set(document) == {"format", "assignments", "unscheduled", "metrics", "solver"}


def test_plan_round_trips_with_moved_warnings_and_extra_keys():
    plan = sample_plan()
    again = read_plan(write_json(dump_plan(plan)))
    assert again == plan
    assert again.moved == ("s2",)
    assert again.warnings == plan.warnings
    assert again.metrics == plan.metrics
    assert again.solver["seed"] == 7
    assert dump_plan(again) == dump_plan(plan)


def test_plan_round_trips_against_its_problem():
    problem = parse_event(event_document())
    assert read_plan(write_json(dump_plan(sample_plan())), problem) == sample_plan()


def test_plan_without_optional_parts_gets_empty_defaults():
    plan = parse_plan({"format": PLAN_1, "assignments": []})
    assert plan == Plan(assignments=())
    assert (plan.unscheduled, plan.moved, plan.warnings) == ((), (), ())
    assert (plan.metrics, plan.solver) == ({}, {})


def test_plan_with_wrong_format_is_rejected():
    document = dump_plan(sample_plan())
    document["format"] = FORMAT_1
    assert plan_problems(document) == [
        f'format: must be "{PLAN_1}", not "{FORMAT_1}" (an event file: import it as an event '
        "instead)"
    ]


def test_plan_references_are_checked_against_the_problem():
    problem = parse_event(event_document())
    document = {
        "format": PLAN_1,
        "assignments": [
            {"session": "s1", "room": "r1", "slot": "t1"},
            {"session": "s9", "room": "r9", "slot": "t9"},
        ],
        "unscheduled": ["s2", "s8"],
    }
    assert plan_problems(document, problem) == [
        'assignments[1].session: no session "s9"',
        'assignments[1].room: no room "r9"',
        'assignments[1].slot: no slot "t9"',
        'unscheduled[1]: no session "s8"',
    ]


def test_plan_references_are_not_checked_without_a_problem():
    document = {"format": PLAN_1, "assignments": [{"session": "s9", "room": "r9", "slot": "t9"}]}
    assert parse_plan(document).assignments == (Assignment("s9", "r9", "t9"),)


def test_malformed_plan_reports_every_problem():
    document = {
        "format": PLAN_1,
        "assignments": [
            {"session": "s1", "slot": "t1"},
            "s2",
            {"session": "s3", "room": 3, "slot": "t1"},
        ],
        "unscheduled": "s4",
        "metrics": [],
    }
    assert sorted(plan_problems(document)) == [
        "assignments[0].room: is missing",
        'assignments[1]: must be an object, not "s2"',
        "assignments[2].room: must be a string, not 3",
        "metrics: must be an object, not []",
        'unscheduled: must be a list of strings, not "s4"',
    ]


def test_plan_document_that_is_not_an_object_is_rejected():
    assert plan_problems(["s1"]) == ["the document must be a JSON object"]


def test_invalid_plan_json_text_is_a_format_error():
    with pytest.raises(FormatError, match=r"not valid JSON: .* \(line 1, column \d+\)"):
        read_plan('{"format": ')


@pytest.mark.parametrize("moved", [None, 3])
def test_odd_moved_value_in_solver_does_not_crash(moved):
    document = {"format": PLAN_1, "assignments": [], "solver": {"moved": moved}}
    with contextlib.suppress(FormatError):
        parse_plan(document)


def test_plan_document_survives_json_serialisation():
    text = write_json(dump_plan(sample_plan()))
    assert text.endswith("\n")
    assert json.loads(text)["solver"]["moved"] == ["s2"]


# --- bounds: whatever a file holds fits the database and the pages --------------------------


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("rooms", 0, "capacity"), 2**63, "rooms[0].capacity: must be at most 2147483647"),
        (
            ("sessions", 0, "extra_interest"),
            10**20,
            "sessions[0].extra_interest: must be at most 2147483647",
        ),
        (("sessions", 0, "length"), 2**31, "sessions[0].length: must be at most 2147483647"),
        (
            ("sessions", 0, "title"),
            "x" * 201,
            "sessions[0].title: must be at most 200 characters long",
        ),
        (("rooms", 1, "name"), "K" * 101, "rooms[1].name: must be at most 100 characters long"),
        (("event", "name"), "B" * 201, "event.name: must be at most 200 characters long"),
        (("rooms", 1, "id"), "r" * 65, "rooms[1].id: must be at most 64 characters long"),
        (
            ("sessions", 1, "hosts"),
            ["A" * 201],
            "sessions[1].hosts[0]: must be at most 200 characters long",
        ),
        (
            ("rooms", 1, "features"),
            ["f" * 101],
            "rooms[1].features[0]: must be at most 100 characters long",
        ),
        (
            ("sessions", 1, "description"),
            "d" * 10_001,
            "sessions[1].description: must be at most 10000 characters long",
        ),
        (
            ("slots", 2, "start"),
            "0001-01-01T00:00",
            "slots[2].start: must lie in the years 2000 to 2100",
        ),
        (
            ("slots", 2, "end"),
            "9999-12-31T23:59",
            "slots[2].end: must lie in the years 2000 to 2100",
        ),
        (
            ("sessions", 2, "title"),
            "Open\x00Data",
            "sessions[2].title: must not hold a zero byte (\\u0000)",
        ),
        (
            ("votes", 0, "sessions"),
            ["s1", "s\x00"],
            "votes[0].sessions[1]: must not hold a zero byte (\\u0000)",
        ),
    ],
)
def test_values_past_the_bounds_are_named(path, value, problem):
    assert problem in event_problems(set_at(event_document(), path, value))


def test_a_zero_byte_in_a_name_of_the_document_is_named():
    document = event_document()
    document["rooms"][0]["x\x00"] = 1
    assert event_problems(document) == ["rooms[0].x\x00: must not hold a zero byte (\\u0000)"]


def test_a_session_longer_than_the_caller_allows_is_named():
    document = set_at(event_document(), ("sessions", 0, "length"), 5)
    assert parse_event(document).sessions[0].length == 5
    with pytest.raises(FormatError) as caught:
        parse_event(document, longest=4)
    assert [str(problem) for problem in caught.value.problems] == [
        "sessions[0].length: must be at most 4"
    ]


def test_values_at_the_bounds_are_read():
    document = event_document()
    set_at(document, ("rooms", 0, "capacity"), 2**31 - 1)
    set_at(document, ("sessions", 0, "title"), "x" * 200)
    set_at(document, ("slots", 2, "start"), "2100-12-31T10:00")
    set_at(document, ("slots", 2, "end"), "2100-12-31T11:00")
    problem = parse_event(document)
    assert problem.rooms[0].capacity == 2**31 - 1
    assert problem.slots[2].end.year == 2100


@pytest.mark.parametrize("text", ["1" * 5000, '{"a": NaN}', '{"a": -Infinity}', '{"a": 1e999}'])
def test_numbers_json_cannot_carry_are_a_format_error(text):
    with pytest.raises(FormatError) as caught:
        read_plan(text)
    assert [problem.code for problem in caught.value.problems] == ["bad_number"]


def test_a_plan_is_bounded_too():
    document = {
        "format": "barcamp-planner/plan@1",
        "assignments": [{"session": "s" * 65, "room": "r\x00", "slot": "t1"}],
        "unscheduled": [],
        "solver": {"warnings": ["w" * 10_001], "notes": {"deep": "n" * 10_001}},
    }
    assert plan_problems(document) == [
        "assignments[0].room: must not hold a zero byte (\\u0000)",
        "assignments[0].session: must be at most 64 characters long",
        "solver.warnings[0]: must be at most 10000 characters long",
        "solver.notes.deep: must be at most 10000 characters long",
    ]
