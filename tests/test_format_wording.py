"""Problems of imported files in the reader's language (planner/format_wording.py)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from planner.errors import UserInputError
from planner.format_wording import place, problem_sentences, sentence, shortened
from planner.scheduler.errors import ENGLISH, FormatError, FormatProblem

# One example of what each code carries; a new code needs one here, and words.
SAMPLES = {
    "bad_json": {"message": "Expecting ',' delimiter", "line": 221, "column": 5},
    "not_utf8": {},
    "too_deep": {},
    "bad_number": {},
    "not_a_document": {"expected": "barcamp-planner/plan@1"},
    "wrong_format": {"expected": "barcamp-planner/event@1", "found": '"barcamp-planner/event@2"'},
    "wrong_kind": {"expected": "barcamp-planner/event@1", "found": "barcamp-planner/backup@1"},
    "missing": {},
    "not_string": {"found": "12"},
    "not_integer": {"found": '"zwölf"'},
    "not_number": {"found": "true"},
    "not_boolean": {"found": '"ja"'},
    "not_a_list": {"found": "{}"},
    "not_an_object": {"found": '"r2"'},
    "not_a_string_list": {"found": "[1, 2]"},
    "not_one_of": {"options": ["de", "en"], "found": '"fr"'},
    "negative": {},
    "too_small": {"minimum": 1},
    "too_large": {"maximum": 4},
    "too_long": {"maximum": 200},
    "empty": {},
    "duplicate": {"value": "r1"},
    "listed_twice": {"value": "t2"},
    "marked_twice": {"value": "s3"},
    "unknown_reference": {"kind": "room", "value": "r99"},
    "unknown_timezone": {"value": "Europe/Marburg"},
    "bad_time": {"value": "morgens", "example": "2024-11-18T13:30"},
    "bad_date": {"value": "gestern", "example": "2026-11-18"},
    "has_offset": {"local": True},
    "not_after_start": {},
    "not_chronological": {},
    "bad_slug": {},
    "not_web_address": {},
    "draft_number": {},
    "nul_character": {},
    "out_of_window": {"first": 2000, "last": 2100},
}
DOCUMENT = {
    "rooms": [{"id": "r1", "name": "Plenarsaal"}],
    "slots": [{"id": "t1", "start": "2024-11-18T13:30"}],
    "sessions": [{"id": "s1", "title": "Open Data"}, {"id": "s2", "title": " "}],
}


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def in_language(language: str, problem: FormatProblem, document=None) -> str:
    with force_locale(language):
        return sentence(problem, document)


def test_every_code_has_a_sample():
    assert set(SAMPLES) == set(ENGLISH)


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_every_code_has_german_words(request_context, code):
    problem = FormatProblem("rooms[0].capacity", code, SAMPLES[code])
    german, english = in_language("de", problem), in_language("en", problem)
    assert german != english
    assert "rooms[0]" not in german and "must" not in german
    assert str(problem) not in english  # words for people, not the command line's line


@pytest.mark.parametrize(
    ("path", "german"),
    [
        ("rooms[0].capacity", "Raum 1 („Plenarsaal“), Plätze"),
        ("rooms[4].capacity", "Raum 5, Plätze"),
        ("slots[0].end", "Zeitfenster 1 (18.11.2024 13:30), Ende"),
        ("sessions[0].pinned.room", "Sitzung 1 („Open Data“), Festgelegter Platz, Raum"),
        ("sessions[1].title", "Sitzung 2, Titel"),
        ("votes[2].sessions[1]", "Stimmzettel 3, Sitzungen, Eintrag 2"),
        ("event.timezone", "Veranstaltung, Zeitzone"),
        ("rooms", "Räume"),
        ("plans[1].document.assignments[0].session", "Plan 2, Platzierung 1, Sitzung"),
        ("solver.moved[3]", "Angaben des Planers, Verschobene Sitzungen, Eintrag 4"),
        ("rooms[0].surprise", "Raum 1 („Plenarsaal“), surprise"),
    ],
)
def test_places_are_named_as_people_know_them(request_context, path, german):
    with force_locale("de"):
        assert place(path, DOCUMENT) == german


def test_a_place_without_the_document_is_named_by_number(request_context):
    with force_locale("en"):
        assert place("rooms[0].capacity") == "Room 1, Seats"


def test_what_the_file_says_is_quoted_short(request_context):
    problem = FormatProblem("rooms[0].name", "duplicate", {"value": "%(x)s " + "x" * 100})
    document = {"rooms": [{"name": "100 % " + "Saal" * 30}]}
    german = in_language("de", problem, document)
    assert german.startswith("Raum 1 („100 % SaalSaal")
    assert "„%(x)s xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…“ kommt doppelt vor." in german
    assert len(german) < 150


def test_an_empty_value_is_not_called_zero(request_context):
    problem = FormatProblem("event.name", "not_string", {"found": "null"})
    assert (
        in_language("de", problem)
        == "Veranstaltung, Name: Hier muss ein Text stehen, nicht leer (null)."
    )


def test_a_long_list_is_cut_after_ten(request_context):
    lines = [f"problem {number}" for number in range(25)]
    with force_locale("de"):
        assert shortened(lines) == [*lines[:10], "… und 15 weitere Probleme."]
        assert shortened(lines[:11], limit=10)[-1] == "… und 1 weiteres Problem."
        assert shortened(lines[:10]) == lines[:10]


def test_other_errors_are_already_in_words(request_context):
    assert problem_sentences(UserInputError("Schon vergeben.")) == ["Schon vergeben."]
    error = FormatError([FormatProblem("", "not_utf8")])
    with force_locale("de"):
        assert problem_sentences(error) == [
            "Die Datei ist keine JSON-Textdatei: Vielleicht ist sie ein Dokument eines anderen "
            "Programms, etwa eine Tabelle oder ein PDF."
        ]
