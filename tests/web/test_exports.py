"""/e/<slug>/schedule.xml and schedule.csv: the published plan for conference apps and
spreadsheets.

The XML is checked against the frab schema of the c3voc validator, stored in
tests/data/frab/schedule.xml.xsd, from
https://github.com/voc/schedule/blob/228ac25d37882115e186712c1bd0266513490b6f/validator/xsd/schedule.xml.xsd
(the schema carries no licence notice).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from planner.extensions import db
from planner.models import Event, Room, Slot, Talk
from planner.operations.exports import safe_cell
from tests.web.test_public import publish

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parents[1] / "data/frab/schedule.xml.xsd")))
TRICKY = 'Ärger & <Tags> "Öl" für Groß\x0b'  # markup, quotes, umlauts, a control character


@pytest.fixture
def clock_change(app):
    """The night Germany switches to summer time between two barcamp days: the first day in
    CET (+01:00), the second in CEST (+02:00)."""
    day1 = [
        Slot(starts_at=datetime(2025, 3, 29, h, 0), ends_at=datetime(2025, 3, 29, h, 45))
        for h in (10, 11)
    ]
    day2 = [Slot(starts_at=datetime(2025, 3, 30, 10, 0), ends_at=datetime(2025, 3, 30, 10, 45))]
    event = Event(slug="umstellung", name="Camp & Co", starts_on=date(2025, 3, 29))
    event.slots = day1 + day2
    event.rooms = [
        Room(name="Saal A", capacity=50, position=0),
        Room(name="Saal B", capacity=20, position=1, stream_url="https://stream.example/b"),
    ]
    event.talks = [
        Talk(title="Doppelt gut", hosts=["Ada"], length=2, format="workshop"),
        Talk(title=TRICKY, hosts=["Ben", "Cem"], language="en", description="Zeile 1\nZeile 2"),
        Talk(title='=HYPERLINK("http://evil.example")', hosts=["@admin"], description="+1-1"),
    ]
    db.session.add(event)
    db.session.commit()
    return event


def plan(event: Event, places: dict[int, tuple[int, int]]) -> dict:
    """A plan@1 putting talk number i into (room index, slot index)."""
    assignments = [
        {"session": event.talks[i].key, "room": event.rooms[r].key, "slot": event.slots[s].key}
        for i, (r, s) in places.items()
    ]
    return {"format": "barcamp-planner/plan@1", "assignments": assignments, "unscheduled": []}


FIRST_PLAN = {0: (1, 0), 1: (0, 2), 2: (0, 0)}


def schedule_tree(client, slug: str) -> etree._Element:
    """The schedule.xml of `slug`, checked against the schema."""
    response = client.get(f"/e/{slug}/schedule.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.data)
    assert SCHEMA.validate(root), SCHEMA.error_log
    return root


def events_by_id(root: etree._Element) -> dict[int, etree._Element]:
    return {int(item.get("id")): item for item in root.iter("event")}


def test_xml_is_valid_and_places_every_session_at_its_local_time(client, clock_change):
    publish(clock_change, 1, plan(clock_change, FIRST_PLAN))
    root = schedule_tree(client, "umstellung")
    assert root.findtext("version") == "1"
    assert root.findtext("conference/acronym") == "umstellung"
    assert root.findtext("conference/title") == "Camp & Co"
    assert root.findtext("conference/days") == "2"
    assert root.findtext("conference/time_zone_name") == "Europe/Berlin"
    assert root.findtext("conference/timeslot_duration") == "00:15"
    assert root.findtext("conference/base_url") == "http://localhost/e/umstellung/"
    days = root.findall("day")
    assert [(d.get("index"), d.get("date")) for d in days] == [
        ("1", "2025-03-29"),
        ("2", "2025-03-30"),
    ]
    assert days[0].get("start") == "2025-03-29T10:00:00+01:00"
    assert days[1].get("end") == "2025-03-30T10:45:00+02:00"

    double, tricky, formula = clock_change.talks
    expected = {
        double.id: ("2025-03-29", "Saal B", "2025-03-29T10:00:00+01:00"),  # CET
        formula.id: ("2025-03-29", "Saal A", "2025-03-29T10:00:00+01:00"),
        tricky.id: ("2025-03-30", "Saal A", "2025-03-30T10:00:00+02:00"),  # CEST
    }
    items = events_by_id(root)
    assert set(items) == set(expected)
    for talk_id, (day, room, moment) in expected.items():
        item = items[talk_id]
        assert item.getparent().get("name") == room == item.findtext("room")
        assert item.getparent().getparent().get("date") == day
        assert item.findtext("date") == moment and item.findtext("start") == "10:00"
        assert item.findtext("url") == f"http://localhost/e/umstellung/sessions/{talk_id}"
    assert items[double.id].findtext("duration") == "01:45"  # both slots: 10:00 to 11:45
    assert items[formula.id].findtext("duration") == "00:45"
    assert [p.text for p in items[tricky.id].iter("person")] == ["Ben", "Cem"]
    assert items[tricky.id].findtext("language") == "en"
    assert items[double.id].findtext("type") == "workshop"
    assert items[double.id].find("links/link").get("href") == "https://stream.example/b"
    assert items[double.id].findtext("recording/optout") == "true"


def test_markup_and_umlauts_survive_in_the_xml(client, clock_change):
    publish(clock_change, 1, plan(clock_change, FIRST_PLAN))
    root = schedule_tree(client, "umstellung")
    tricky = events_by_id(root)[clock_change.talks[1].id]
    assert tricky.findtext("title") == 'Ärger & <Tags> "Öl" für Groß'
    assert tricky.findtext("description") == "Zeile 1\nZeile 2"
    slug = f"umstellung-{clock_change.talks[1].id}-aerger_tags_oel_fuer_gross"
    assert tricky.findtext("slug") == slug


def test_guids_stay_when_a_new_version_moves_a_session(client, clock_change):
    publish(clock_change, 1, plan(clock_change, FIRST_PLAN))
    before = events_by_id(schedule_tree(client, "umstellung"))
    publish(clock_change, 2, plan(clock_change, {**FIRST_PLAN, 2: (1, 2)}))
    root = schedule_tree(client, "umstellung")
    after = events_by_id(root)
    assert root.findtext("version") == "2"
    assert {i: e.get("guid") for i, e in after.items()} == {
        i: e.get("guid") for i, e in before.items()
    }
    moved = clock_change.talks[2].id
    assert before[moved].findtext("date") == "2025-03-29T10:00:00+01:00"
    assert after[moved].findtext("date") == "2025-03-30T10:00:00+02:00"
    assert after[moved].findtext("room") == "Saal B"


def test_demo_plan_is_valid_with_every_session(client, demo_event):
    version = publish(demo_event)
    root = schedule_tree(client, demo_event.slug)
    items = events_by_id(root)
    assert len(items) == len(version.document["assignments"]) == 25
    assert len({item.get("guid") for item in items.values()}) == 25


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(response.data[3:].decode("utf-8")), delimiter=";"))


def test_csv_has_a_row_per_session_in_german(client, clock_change):
    publish(clock_change, 1, plan(clock_change, FIRST_PLAN))
    response = client.get("/e/umstellung/schedule.csv", headers={"Accept-Language": "de-DE"})
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="umstellung-plan.csv"'
    header, *rows = read_csv(response)
    assert len(header) == 11
    assert {"Raum", "Titel", "Gastgebende", "Sprache", "Beschreibung", "Status"} <= set(header)
    assert "Room" not in header
    assert rows == [
        [
            "2025-03-29",
            "10:00",
            "10:45",
            "Saal A",
            '\'=HYPERLINK("http://evil.example")',
            "'@admin",
            "Vortrag",
            "Deutsch",
            "1",
            "'+1-1",
            "",  # status: not cancelled
        ],
        [
            "2025-03-29",
            "10:00",
            "11:45",
            "Saal B",
            "Doppelt gut",
            "Ada",
            "Workshop",
            "Deutsch",
            "2",
            "",
            "",  # status: not cancelled
        ],
        [
            "2025-03-30",
            "10:00",
            "10:45",
            "Saal A",
            'Ärger & <Tags> "Öl" für Groß\x0b',
            "Ben, Cem",
            "Vortrag",
            "Englisch",
            "1",
            "Zeile 1\nZeile 2",
            "",  # status: not cancelled
        ],
    ]


def test_csv_headers_in_english(client, clock_change):
    publish(clock_change, 1, plan(clock_change, FIRST_PLAN))
    response = client.get("/e/umstellung/schedule.csv", headers={"Accept-Language": "en"})
    header = read_csv(response)[0]
    assert header[:5] == ["Date", "Start", "End", "Room", "Title"]
    assert response.headers["Vary"] == "Accept-Language, Cookie"


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+49 611", "'+49 611"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Kaffee = Leben", "Kaffee = Leben"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(value, safe):
    assert safe_cell(value) == safe


@pytest.mark.parametrize("name", ["schedule.xml", "schedule.csv"])
def test_unknown_event_is_a_404(client, name):
    assert client.get(f"/e/nope/{name}").status_code == 404


@pytest.mark.parametrize("name", ["schedule.xml", "schedule.csv"])
def test_nothing_published_is_a_404_that_says_so(client, clock_change, name):
    response = client.get(f"/e/umstellung/{name}")
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "No plan is published yet."


@pytest.mark.parametrize("name", ["schedule.xml", "schedule.csv"])
def test_unchanged_plan_answers_304_and_a_new_version_200(client, clock_change, name):
    publish(clock_change, 1, plan(clock_change, FIRST_PLAN))
    first = client.get(f"/e/umstellung/{name}")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(f"/e/umstellung/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    publish(clock_change, 2, plan(clock_change, {**FIRST_PLAN, 2: (1, 2)}))
    changed = client.get(f"/e/umstellung/{name}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_an_empty_plan_is_still_valid(client, app):
    event = Event(slug="leer", name="Leer", starts_on=date(2025, 7, 1))
    db.session.add(event)
    publish(event, 1, {"assignments": []})
    root = schedule_tree(client, "leer")
    assert [day.get("date") for day in root.findall("day")] == ["2025-07-01"]
    assert root.find("day/room") is None and root.find("conference/timeslot_duration") is None
