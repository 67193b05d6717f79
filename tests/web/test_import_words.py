"""A refused file says why in the reader's language, at every place that takes one: the event
import, the plan import on the planning board and the restore of a backup. Garbage, a file of
the wrong kind and a wrong field each get words people know, and nothing is written."""

from __future__ import annotations

import html
import io
import json
import re

import pytest

from planner.operations.backup import backup_document
from planner.operations.transfer import export_event

from .test_auth import snapshot

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
# Words and marks of the English developer text these pages used to show.
NOT_GERMAN = re.compile(
    r"\[\d+\]|\bmust\b|\bmissing\b|\bnot valid\b|\bExpecting\b|\bthe file\b|\bimport it\b"
    r"|\bThis is\b|\bThere is\b|\bnumber\b|\bline \d",
    re.IGNORECASE,
)


def problems_shown(page: str) -> list[str]:
    """The error lines of a page: flashed messages, the restore page's heading and list."""
    found = re.findall(r'<p class="flash error" role="status">(.*?)</p>', page, re.S)
    found += re.findall(r'<h2 id="problems-heading">(.*?)</h2>', page, re.S)
    found += re.findall(r'<li class="error">(.*?)</li>', page, re.S)
    return [html.unescape(text) for text in found]


def send(client, url: str, field: str, body: bytes, headers: dict) -> list[str]:
    """Upload `body` as the form's file and return the problems the reader is shown."""
    response = client.post(
        url,
        data={field: (io.BytesIO(body), "upload.json")},
        content_type="multipart/form-data",
        headers=headers,
    )
    if response.status_code == 302:  # flashed, shown on the next page
        response = client.get(response.headers["Location"], headers=headers)
    return problems_shown(response.get_data(as_text=True))


@pytest.fixture
def organiser(client, auth, demo_event):
    auth.login()
    return client


def _event_file(event) -> dict:
    document = export_event(event)
    document["rooms"][0]["capacity"] = -1
    return document


def _plan_file(event) -> dict:
    talk, slot = event.talks[0], event.slots[0]
    return {
        "format": "barcamp-planner/plan@1",
        "assignments": [{"session": talk.key, "room": "r99999", "slot": slot.key}],
    }


def _backup_file(event) -> dict:
    document = backup_document(event)
    document["rooms"][0]["capacity"] = -1
    return document


# Per place: its address and field, a file of another kind, the words for that kind, a file
# with one wrong field, and the words for that field in German and English.
SURFACES = {
    "event import": (
        lambda event: "/organise/import",
        "document",
        backup_document,
        (
            "Das ist eine Sicherung einer ganzen Veranstaltung: Stellen Sie sie unter „Sicherung "
            "wiederherstellen“ wieder her.",
            "This is a backup of a whole event: restore it under “Restore a backup”.",
        ),
        _event_file,
        (
            "Raum 1 („Plenarsaal“), Plätze: Die Zahl darf nicht negativ sein.",
            "Room 1 (“Plenarsaal”), Seats: The number must not be negative.",
        ),
    ),
    "plan import": (
        lambda event: f"/organise/{event.slug}/import/plan",
        "document",
        export_event,
        (
            "Das ist eine Veranstaltungsdatei (event@1): Importieren Sie sie unter „Veranstaltung "
            "importieren“ als neue Veranstaltung.",
            "This is an event file (event@1): import it as a new event under “Import an event”.",
        ),
        _plan_file,
        (
            "Platzierung 1, Raum: Es gibt keinen Raum „r99999“.",
            "Placement 1, Room: There is no room “r99999”.",
        ),
    ),
    "restore": (
        lambda event: "/organise/restore",
        "backup",
        export_event,
        (
            "Das ist eine Veranstaltungsdatei (event@1): Importieren Sie sie unter „Veranstaltung "
            "importieren“ als neue Veranstaltung.",
            "This is an event file (event@1): import it as a new event under “Import an event”.",
        ),
        _backup_file,
        (
            "Raum 1 („Plenarsaal“), Plätze: Die Zahl darf nicht negativ sein.",
            "Room 1 (“Plenarsaal”), Seats: The number must not be negative.",
        ),
    ),
}
HEADLINES = {
    "event import": ("Die Veranstaltung wurde nicht importiert", "The event was not imported"),
    "plan import": ("Der Plan wurde nicht importiert", "The plan was not imported"),
    "restore": ("Die Sicherung wurde nicht wiederhergestellt", "The backup was not restored"),
}


def _case(surface: str, case: str, event) -> tuple[bytes, tuple[str, str]]:
    """The file to send and the problem it must be refused with, in German and English."""
    _url, _field, other_kind, kind_words, damaged, field_words = SURFACES[surface]
    if case == "garbage":
        return b'{"format": "barcamp-planner/event@1",\n "rooms": [}', (
            "Die Datei ist kein gültiges JSON (Zeile 2, Spalte 12). Hier fehlt ein Wert, oder "
            "die Datei ist leer.",
            "The file is not valid JSON (line 2, column 12). A value is missing here, or the "
            "file is empty.",
        )
    if case == "other kind":
        return json.dumps(other_kind(event)).encode(), kind_words
    return json.dumps(damaged(event)).encode(), field_words


@pytest.mark.parametrize("case", ["garbage", "other kind", "field"])
@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_refused_file_is_explained_in_german_and_nothing_is_written(
    organiser, demo_event, surface, case
):
    url, field = SURFACES[surface][0](demo_event), SURFACES[surface][1]
    body, (german, _english) = _case(surface, case, demo_event)
    before = snapshot()
    shown = send(organiser, url, field, body, GERMAN)
    assert snapshot() == before
    assert any(line.startswith(HEADLINES[surface][0]) for line in shown), shown
    problems = [line for line in shown if not line.startswith(HEADLINES[surface][0])]
    assert problems == [german]
    for line in shown:
        assert not NOT_GERMAN.search(line), line


@pytest.mark.parametrize("case", ["garbage", "other kind", "field"])
@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_refused_file_is_explained_in_english(organiser, demo_event, surface, case):
    url, field = SURFACES[surface][0](demo_event), SURFACES[surface][1]
    body, (_german, english) = _case(surface, case, demo_event)
    before = snapshot()
    shown = send(organiser, url, field, body, ENGLISH)
    assert snapshot() == before
    assert any(line.startswith(HEADLINES[surface][1]) for line in shown), shown
    assert english in shown


def test_a_long_list_ends_with_how_many_more(organiser, demo_event):
    """The first ten problems and a count of the rest, also within a cookie's size."""
    document = export_event(demo_event)
    for room in document["rooms"]:
        room["capacity"] = -1
        room["name"] = ("Ein sehr langer Raumname, der „Anführungen“ enthält " * 3)[:100]
    for session_ in document["sessions"]:
        session_["length"] = 0
    problems = len(document["rooms"]) + len(document["sessions"])
    shown = send(organiser, "/organise/import", "document", json.dumps(document).encode(), GERMAN)
    assert len(shown) == 1 + 10 + 1
    assert shown[-1] == f"… und {problems - 10} weitere Probleme."
    assert shown[1].startswith("Raum 1 („Ein sehr langer Raumname, der „Anführun…“), Plätze: ")


def test_the_restore_page_counts_every_problem_and_lists_ten(organiser, demo_event):
    document = backup_document(demo_event)
    for talk in document["sessions"]:
        del talk["title"]
    page = organiser.post(
        "/organise/restore",
        data={"backup": (io.BytesIO(json.dumps(document).encode()), "backup.json")},
        content_type="multipart/form-data",
        headers=GERMAN,
    ).get_data(as_text=True)
    count = len(document["sessions"])
    assert f"nichts wurde geändert. {count} Probleme:" in page
    shown = problems_shown(page)
    assert shown[1] == "Sitzung 1, Titel: Die Angabe fehlt."
    assert shown[11:] == [f"… und {count - 10} weitere Probleme."]


def test_a_plan_in_a_backup_is_named_by_its_version(organiser, demo_event):
    document = backup_document(demo_event)
    document["plans"] = [
        {
            "number": 0,
            "created_at": "2026-11-18T12:00:00",
            "published_at": None,
            "revision": 1,
            "document": {"format": "barcamp-planner/plan@1", "assignments": [{"room": "r1"}]},
        }
    ]
    shown = send(organiser, "/organise/restore", "backup", json.dumps(document).encode(), ENGLISH)
    assert "Plan draft, Placement 1, Session: This is missing." in shown
