"""rounds@1 and seating@1: reading, writing and every problem named by its place."""

from __future__ import annotations

import json

import pytest

from planner.scheduler import FormatError
from planner.scheduler.rounds import (
    Pin,
    Seat,
    Seating,
    dump_rounds,
    dump_seating,
    parse_rounds,
    parse_seating,
    read_rounds,
    read_seating,
)
from planner.scheduler.rounds.formats import NUMBER_MAX, TEXT_MAX

from .documents import EXAMPLE, HERE_EXAMPLE, document, example


def problems(data) -> list[str]:
    """The English problem lines of a document that must be refused."""
    with pytest.raises(FormatError) as caught:
        parse_rounds(data)
    return [str(problem) for problem in caught.value.problems]


def test_the_contract_example_reads_as_described():
    problem = read_rounds(HERE_EXAMPLE.read_bytes())
    assert problem.mode == "free"
    assert len(problem.people) == 14 and len(problem.tables) == 4 and len(problem.rounds) == 2
    assert problem.table_by_id["b"].unavailable == frozenset({"k2"})
    assert problem.person_by_id["p1"].pinned == Pin("k1", "c")
    assert problem.topics == ("KI und Trends", "Open Data", "Bürgerbeteiligung")


def test_the_copy_matches_the_shared_contract():
    if not EXAMPLE.exists():
        pytest.skip("the shared contract is not on this machine")
    assert json.loads(EXAMPLE.read_text()) == example()


def test_writing_and_reading_gives_the_same_problem():
    problem = parse_rounds(example())
    assert parse_rounds(json.loads(json.dumps(dump_rounds(problem)))) == problem


def test_defaults_fill_optional_keys():
    data = document(people=1)
    problem = parse_rounds(data)
    table, person = problem.tables[0], problem.people[0]
    assert (table.min, table.host, table.name, table.unavailable) == (0, "", "t1", frozenset())
    assert (person.choices, person.group, person.pinned) == ((), None, None)
    assert problem.event.name == "Test"


def test_event_is_optional():
    data = document()
    del data["event"]
    assert parse_rounds(data).event.timezone == "Europe/Berlin"


def test_a_repeated_choice_counts_once():
    data = document(people=1)
    data["people"][0]["choices"] = ["A", "B", "A", "Z"]
    assert parse_rounds(data).people[0].choices == ("A", "B", "Z")


def test_required_keys_are_named():
    data = {"format": "barcamp-planner/rounds@1"}
    assert problems(data) == [
        "mode: is missing",
        "rounds: is missing",
        "tables: is missing",
        "people: is missing",
    ]
    data = document()
    del data["tables"][1]["topic"], data["tables"][0]["seats"], data["rounds"][0]["end"]
    del data["people"][2]["id"]
    assert problems(data) == [
        "rounds[0].end: is missing",
        "tables[0].seats: is missing",
        "tables[1].topic: is missing",
        "people[2].id: is missing",
    ]


def test_wrong_values_are_named_by_place():
    data = document()
    data["mode"] = "tables"
    data["tables"][0].update(seats=0, min=-1, unavailable=["r9"])
    data["tables"][1]["topic"] = " "
    data["people"][0]["pinned"] = {"round": "r7", "table": "t9"}
    data["people"][1]["choices"] = "A"
    data["people"][2]["id"] = "p1"
    assert problems(data) == [
        'mode: must be one of "free", "groups", not "tables"',
        "tables[0].seats: must be at least 1",
        "tables[0].min: must not be negative",
        'tables[0].unavailable[0]: no round "r9"',
        "tables[1].topic: must not be empty",
        'people[0].pinned.round: no round "r7"',
        'people[0].pinned.table: no table "t9"',
        'people[1].choices: must be a list of strings, not "A"',
        'people[2].id: "p1" is used twice',
    ]


def test_texts_and_numbers_are_bounded_and_nul_refused():
    data = document()
    data["tables"][0]["seats"] = NUMBER_MAX + 1
    data["tables"][1]["name"] = "x" * (TEXT_MAX + 1)
    data["people"][0]["group"] = "Kassel\x00"
    data["people"][1]["choices"] = ["ok", "A\x00B"]
    data["event"]["name"] = "\x00"
    assert problems(data) == [
        "event.name: must not contain a NUL character",
        f"tables[0].seats: must be at most {NUMBER_MAX}",
        f"tables[1].name: must be at most {TEXT_MAX} characters long",
        "people[0].group: must not contain a NUL character",
        "people[1].choices[1]: must not contain a NUL character",
    ]


def test_rounds_must_be_chronological_and_end_after_start():
    data = document(rounds=3)
    data["rounds"][1]["start"] = "2024-11-18T09:00"
    data["rounds"][2]["end"] = data["rounds"][2]["start"]
    assert problems(data) == [
        "rounds[1].start: rounds must be listed in chronological order",
        "rounds[2].end: must be after the start",
    ]


def test_other_documents_are_refused_whole():
    assert problems([]) == ["the document must be a JSON object"]
    seating = {"format": "barcamp-planner/seating@1", "seating": []}
    assert problems(seating)[0].startswith('format: must be "barcamp-planner/rounds@1"')
    event = {"format": "barcamp-planner/event@1"}
    assert "an event file" in problems(event)[0]
    with pytest.raises(FormatError, match="not valid JSON"):
        read_rounds(b"{")


def test_seating_round_trips():
    seating = Seating((Seat("p1", "k1", "c"),), {"unseated": 27}, {"status": "FEASIBLE"})
    again = read_seating(json.dumps(dump_seating(seating)), parse_rounds(example()))
    assert again == seating and again.metrics == {"unseated": 27}


def test_seating_references_and_doubles_are_named():
    problem = parse_rounds(example())
    data = {
        "format": "barcamp-planner/seating@1",
        "seating": [
            {"person": "p1", "round": "k1", "table": "c"},
            {"person": "p1", "round": "k1", "table": "a"},
            {"person": "p99", "round": "k3", "table": "z"},
            {"person": "p2", "round": "k1"},
        ],
    }
    with pytest.raises(FormatError) as caught:
        parse_seating(data, problem)
    assert [str(problem) for problem in caught.value.problems] == [
        'seating[1]: "p1" already has a table in round k1',
        'seating[2].person: no person "p99"',
        'seating[2].round: no round "k3"',
        'seating[2].table: no table "z"',
        "seating[3].table: is missing",
    ]
    assert len(parse_seating({**data, "seating": data["seating"][:3]}).seats) == 3
