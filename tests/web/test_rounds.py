"""Table rounds on the web: organisers set up tables, phones choose, the solver seats,
everybody sees their route once published."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from dataclasses import replace
from datetime import date

import icalendar
import pypdfium2
import pytest

from planner.extensions import db
from planner.models import Event
from planner.operations import rounds as operations
from planner.scheduler.rounds import dump_seating, parse_seating, violations
from planner.web.prints import pdf

from .._rounds_example import EXAMPLE_TEXT

SETUP = {
    "topics": "KI und Trends\nOpen Data\nBürgerbeteiligung",
    "tables_per_topic": "2",
    "seats": "4",
    "minimum": "2",
    "rounds": "2",
    "first_start": "2026-11-18T11:00",
    "minutes": "25",
    "pause": "5",
    "mode": "free",
}


@pytest.fixture
def camp(app, auth):
    event = Event(slug="camp", name="Camp", starts_on=date(2026, 11, 18))
    db.session.add(event)
    db.session.commit()
    auth.login()
    return event


def phone(app, slug: str, taps: list[int]):
    """A new device that opens the choice page and taps topics by their place on it."""
    device = app.test_client()
    page = device.get(f"/e/{slug}/tables")
    assert page.status_code == 200
    for index in taps:
        device.post(f"/e/{slug}/tables/choose/{index}")
    return device


def test_organisers_set_up_phones_choose_and_everyone_gets_a_route(app, client, camp):
    response = client.post("/organise/camp/rounds/setup", data=SETUP)
    assert response.status_code == 302
    page = client.get("/organise/camp/rounds").get_data(as_text=True)
    assert "<strong>6</strong> Tische" in page or "<strong>6</strong> Tables" in page
    phones = [phone(app, "camp", [0, 1]) for _ in range(5)]
    chosen = phones[0].get("/e/camp/tables").get_data(as_text=True)
    assert 'aria-pressed="true"' in chosen
    assert client.post("/organise/camp/rounds/seat").status_code == 302
    rounds = operations.rounds_of(camp)
    problem = operations.problem_of(rounds)
    assert len(problem.people) == 5
    assert violations(problem, parse_seating(rounds.seating)) == []
    assert operations.figures(rounds)["unseated"] == 0
    before = phones[0].get("/e/camp/tables").get_data(as_text=True)
    assert 'class="route"' not in before  # not published yet
    assert client.post("/organise/camp/rounds/publish").status_code == 302
    route = phones[0].get("/e/camp/tables").get_data(as_text=True)
    assert route.count("<li>") >= 2 and ("Runde 1" in route or "Round 1" in route)


def test_a_fourth_choice_is_refused_and_a_second_tap_takes_one_back(app, client, camp):
    client.post("/organise/camp/rounds/setup", data={**SETUP, "topics": "A\nB\nC\nD"})
    device = phone(app, "camp", [0, 1, 2])
    refused = device.post("/e/camp/tables/choose/3", follow_redirects=True)
    assert "3" in refused.get_data(as_text=True)
    event = db.session.get(Event, camp.id)
    ballot = operations.problem_of(operations.rounds_of(event)).people[0]
    assert len(ballot.choices) == 3
    device.post("/e/camp/tables/choose/0")
    assert len(operations.problem_of(operations.rounds_of(event)).people[0].choices) == 2


def test_a_rounds_file_imports_and_a_broken_one_is_explained(client, camp):
    upload = {"document": (io.BytesIO(EXAMPLE_TEXT.encode()), "rounds.json")}
    response = client.post("/organise/camp/rounds/import", data=upload)
    assert response.status_code == 302
    exported = client.get("/organise/camp/rounds.json")
    assert json.loads(exported.get_data())["people"][0]["id"] == "p1"
    broken = json.loads(EXAMPLE_TEXT)
    broken["tables"][0]["seats"] = 0
    upload = {"document": (io.BytesIO(json.dumps(broken).encode()), "rounds.json")}
    response = client.post("/organise/camp/rounds/import", data=upload)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Table 1, seats: this number is too small" in page  # the organiser reads English
    assert client.post("/organise/camp/rounds/seat").status_code == 302
    assert operations.figures(operations.rounds_of(camp))["missed_choices"] == 0


def test_strangers_may_not_organise(app, camp, auth):
    auth.logout()
    assert app.test_client().get("/organise/camp/rounds").status_code in (302, 401)


def test_latecomers_get_tables_and_nobody_else_moves(app, client, camp):
    client.post("/organise/camp/rounds/setup", data=SETUP)
    early = [phone(app, "camp", [0, 1]) for _ in range(4)]
    client.post("/organise/camp/rounds/seat")
    client.post("/organise/camp/rounds/publish")
    rounds = operations.rounds_of(camp)
    before = parse_seating(rounds.seating).table_of
    routes = [device.get("/e/camp/tables").get_data(as_text=True) for device in early]
    # Once published a phone cannot choose any more; the organisers reopen the choice.
    late = phone(app, "camp", [2])
    assert "kann nicht mehr geändert werden" in late.get("/e/camp/tables").get_data(as_text=True)
    rounds.published_at = None
    db.session.commit()
    phone(app, "camp", [2, 0])
    response = client.post("/organise/camp/rounds/seat", data={"latecomers": "1"})
    assert response.status_code == 302
    after = parse_seating(operations.rounds_of(camp).seating)
    assert all(after.table_of[key] == table for key, table in before.items())
    assert len(after.table_of) > len(before)
    client.post("/organise/camp/rounds/publish")
    assert routes == [device.get("/e/camp/tables").get_data(as_text=True) for device in early]


def test_a_move_by_hand_is_checked_against_the_rules(client, camp):
    upload = {"document": (io.BytesIO(EXAMPLE_TEXT.encode()), "rounds.json")}
    client.post("/organise/camp/rounds/import", data=upload)
    client.post("/organise/camp/rounds/seat")
    refused = client.post(
        "/organise/camp/rounds/move",
        data={"person": "p1", "round": "k1", "table": "a"},  # p1 is pinned to c in k1
        follow_redirects=True,
    )
    assert "p1" in refused.get_data(as_text=True)
    assert parse_seating(operations.rounds_of(camp).seating).table_of["p1", "k1"] == "c"
    rounds = operations.rounds_of(camp)
    seating = parse_seating(rounds.seating)
    # Take someone from a table above its minimum out of round k2, then back: both stored.
    sizes = Counter(table for (_, round_), table in seating.table_of.items() if round_ == "k2")
    person, table = next(
        (person, table)
        for (person, round_), table in seating.table_of.items()
        if round_ == "k2" and sizes[table] > 3 and person != "p1"
    )
    client.post("/organise/camp/rounds/move", data={"person": person, "round": "k2", "table": ""})
    assert (person, "k2") not in parse_seating(operations.rounds_of(camp).seating).table_of
    assert operations.figures(operations.rounds_of(camp))["unseated"] == 1
    back = {"person": person, "round": "k2", "table": table}
    client.post("/organise/camp/rounds/move", data=back)
    assert parse_seating(operations.rounds_of(camp).seating).table_of[person, "k2"] == table


def test_table_signs_name_who_sits_where_and_print_as_pdf(client, camp):
    upload = {"document": (io.BytesIO(EXAMPLE_TEXT.encode()), "rounds.json")}
    client.post("/organise/camp/rounds/import", data=upload)
    client.post("/organise/camp/rounds/seat")
    preview = client.get("/organise/camp/rounds/signs").get_data(as_text=True)
    assert preview.count('class="print-sheet door-sign table-sign"') == 4
    assert "Tisch 2" in preview and "closed" in preview  # table b is closed in k2
    assert "<svg" in preview  # the QR code
    pdf = client.get("/organise/camp/rounds/signs.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(pdf.data)
    assert len(document) == 4
    assert "KI und Trends" in document[0].get_textpage().get_text_range()


def test_sticker_counts_and_a_name_list_become_people(client, camp):
    client.post("/organise/camp/rounds/setup", data=SETUP)
    response = client.post(
        "/organise/camp/rounds/stickers", data={"counts": "KI und Trends: 3\nOpen Data: 2\n"}
    )
    assert response.status_code == 302
    names = "Anna Beispiel; Open Data, KI und Trends; Kassel\nBen Muster\n"
    client.post("/organise/camp/rounds/names", data={"names": names})
    problem = operations.problem_of(operations.rounds_of(camp))
    assert len(problem.people) == 7
    anna = problem.person_by_id["Anna Beispiel"]
    assert anna.choices == ("Open Data", "KI und Trends") and anna.group == "Kassel"
    page = client.get("/organise/camp/rounds").get_data(as_text=True)
    assert "KI und Trends: 3" in page and "Anna Beispiel; Open Data, KI und Trends; Kassel" in page
    refused = client.post(
        "/organise/camp/rounds/stickers", data={"counts": "Nowhere: 3"}, follow_redirects=True
    )
    assert "Line 1" in refused.get_data(as_text=True) or "Zeile 1" in refused.get_data(as_text=True)
    assert len(operations.problem_of(operations.rounds_of(camp)).people) == 7
    client.post("/organise/camp/rounds/seat")
    assert operations.figures(operations.rounds_of(camp))["unseated"] == 0


def test_the_foyer_screen_shows_the_round_now_and_then_the_next(client, camp):
    upload = {"document": (io.BytesIO(EXAMPLE_TEXT.encode()), "rounds.json")}
    client.post("/organise/camp/rounds/import", data=upload)
    client.post("/organise/camp/rounds/seat")
    before = client.get("/e/camp/tables/board?at=2024-11-18T10:50&lang=en").get_data(as_text=True)
    assert "Next: Round 1 · 11:00–11:25" in before and "people" not in before  # unpublished
    client.post("/organise/camp/rounds/publish")
    now = client.get("/e/camp/tables/board?at=2024-11-18T11:40&lang=de").get_data(as_text=True)
    assert "Jetzt: Runde 2 · 11:30–11:55" in now
    assert now.count('class="room"') == 3  # Tisch 2 is closed in round 2
    assert "Personen" in now
    over = client.get("/e/camp/tables/board?at=2024-11-18T12:00&lang=en").get_data(as_text=True)
    assert "No more table rounds today." in over


def test_import_problems_are_named_in_german_too(app, camp):
    broken = json.loads(EXAMPLE_TEXT)
    broken["tables"][0]["seats"] = 0
    broken["people"][2]["pinned"] = {"round": "k9", "table": "a"}
    german = app.test_request_context(headers={"Accept-Language": "de"})
    with german, pytest.raises(operations.UserInputError) as caught:
        operations.import_rounds(camp, json.dumps(broken).encode())
    assert caught.value.problems == [
        "Tisch 1, Plätze: diese Zahl ist zu klein",
        "Person 3, fester Platz, Runde: das nennt etwas, das es in der Datei nicht gibt",
    ]


def test_online_tables_show_their_video_room_in_the_route(app, client, camp):
    client.post("/organise/camp/rounds/setup", data=SETUP)
    device, *_others = [phone(app, "camp", [0, 1]) for _ in range(4)]  # tables need two
    refused = client.post(
        "/organise/camp/rounds/videos",
        data={"links": "Tisch 1: javascript:alert(1)"},
        follow_redirects=True,
    )
    assert "https://" in refused.get_data(as_text=True)
    tables = operations.problem_of(operations.rounds_of(camp)).tables
    links = "\n".join(f"{t.name}: https://meet.example.org/tisch-{t.id[1:]}" for t in tables)
    client.post("/organise/camp/rounds/videos", data={"links": links})
    rounds = operations.rounds_of(camp)
    assert rounds.video_links["t3"] == "https://meet.example.org/tisch-3"
    client.post("/organise/camp/rounds/seat")
    client.post("/organise/camp/rounds/publish")
    route = device.get("/e/camp/tables").get_data(as_text=True)
    assert route.count('href="https://meet.example.org/tisch-') == 2


def test_the_demo_has_topic_tables_and_phones_that_chose(demo_event):
    rounds = operations.rounds_of(demo_event)
    problem = operations.problem_of(rounds)
    assert len(problem.topics) == 8 and len(problem.rounds) == 2
    assert all(6 <= table.min <= table.seats <= 10 for table in problem.tables)
    assert len(problem.people) > 0 and rounds.seating is None  # seating is the organiser's


def test_the_route_is_in_the_agenda_and_in_the_personal_calendar(app, client, auth, demo_event):
    slug = demo_event.slug
    device = phone(app, slug, [0, 1])
    agenda = device.get(f"/e/{slug}/agenda", headers={"Accept-Language": "de"})
    assert 'class="route"' not in agenda.get_data(as_text=True)  # not seated yet
    auth.login()
    assert client.post(f"/organise/{slug}/rounds/seat").status_code == 302
    assert client.post(f"/organise/{slug}/rounds/publish").status_code == 302

    page = device.get(f"/e/{slug}/agenda", headers={"Accept-Language": "de"})
    text = page.get_data(as_text=True)
    assert "Ihre Tische" in text and "Runde 1" in text and "Runde 2" in text
    feed = re.search(r'href="(http[^"]+\.ics)"', text).group(1)
    calendar = icalendar.Calendar.from_ical(
        device.get(feed, headers={"Accept-Language": "de"}).data
    )
    rounds = operations.rounds_of(db.session.get(Event, demo_event.id))
    problem, seating = operations.problem_of(rounds), operations.seating_of(rounds)
    ballot_key = operations.problem_of(rounds).people[-1].id  # the newest phone is the last
    items = sorted(
        (item for item in calendar.walk("VEVENT") if str(item["summary"]).startswith("Runde")),
        key=lambda item: item["dtstart"].dt,
    )
    assert len(items) == 2
    for number, (item, round_) in enumerate(zip(items, problem.rounds, strict=True), start=1):
        table = problem.table_by_id[seating.table_of[(ballot_key, round_.id)]]
        assert str(item["summary"]) == f"Runde {number} · {table.name} · {table.topic}"
        assert item["dtstart"].dt.replace(tzinfo=None) == round_.start


def test_fixed_places_that_break_a_rule_are_explained_in_german(client, camp):
    broken = json.loads(EXAMPLE_TEXT)
    broken["people"][1]["pinned"] = {"round": "k2", "table": "b"}  # table b is closed then
    upload = {"document": (io.BytesIO(json.dumps(broken).encode()), "rounds.json")}
    assert client.post("/organise/camp/rounds/import", data=upload).status_code == 302
    answer = client.post(
        "/organise/camp/rounds/seat", headers={"Accept-Language": "de"}, follow_redirects=True
    )
    page = answer.get_data(as_text=True)
    assert "Die festen Plätze lassen sich nicht alle halten" in page
    assert "p2: fester Platz an Tisch 2 in Runde 2, aber der Tisch ist dann geschlossen." in page
    assert "pinned to table" not in page  # not the command line's English


def test_a_name_given_on_the_phone_shows_on_lists_and_signs(app, client, camp):
    client.post("/organise/camp/rounds/setup", data=SETUP)
    device = phone(app, "camp", [0])
    saved = device.post("/e/camp/tables/name", data={"name": "  Anna   B. "})
    assert saved.status_code == 302
    assert 'value="Anna B."' in device.get("/e/camp/tables").get_data(as_text=True)
    refused = device.post("/e/camp/tables/name", data={"name": "x" * 41}, follow_redirects=True)
    assert "40" in refused.get_data(as_text=True)
    phone(app, "camp", [1])  # a second phone without a name
    client.post("/organise/camp/rounds/seat")
    overview = client.get("/organise/camp/rounds").get_data(as_text=True)
    signs = client.get("/organise/camp/rounds/signs").get_data(as_text=True)
    rounds = operations.rounds_of(db.session.get(Event, camp.id))
    named, unnamed = (person.id for person in operations.problem_of(rounds).people)
    for page in (overview, signs):
        assert "Anna B." in page and unnamed in page
    assert f'<option value="{named}">Anna B. ({named})</option>' in overview
    device.post("/e/camp/tables/name", data={"name": ""})
    assert "Anna B." not in client.get("/organise/camp/rounds/signs").get_data(as_text=True)


def test_the_signs_pdf_is_rendered_once_per_content(app, client, camp, tmp_path, monkeypatch):
    app.config["PDF_CACHE_FOLDER"] = str(tmp_path / "pdf-cache")
    renders = []
    real = pdf.render_pdf
    monkeypatch.setattr(
        pdf, "render_pdf", lambda html, sheets=(): renders.append(html) or real(html, sheets)
    )
    client.post("/organise/camp/rounds/setup", data={**SETUP, "minimum": "0"})
    device = phone(app, "camp", [0])
    client.get("/organise/camp/rounds")  # the organiser reads the setup's message
    first = client.get("/organise/camp/rounds/signs.pdf")
    second = client.get("/organise/camp/rounds/signs.pdf")
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert len(renders) == 1
    client.post("/organise/camp/rounds/seat")
    device.post("/e/camp/tables/name", data={"name": "Jonas"})
    client.get("/organise/camp/rounds")
    changed = client.get("/organise/camp/rounds/signs.pdf")
    assert len(renders) == 2 and "Jonas" in renders[-1]
    assert changed.data != first.data


def test_a_changed_seating_moves_the_round_in_the_calendar_instead_of_adding_one(
    app, client, auth, demo_event
):
    slug = demo_event.slug
    device = phone(app, slug, [0])
    auth.login()
    client.post(f"/organise/{slug}/rounds/seat")
    client.post(f"/organise/{slug}/rounds/publish")
    text = device.get(f"/e/{slug}/agenda").get_data(as_text=True)
    feed = re.search(r'href="(http[^"]+\.ics)"', text).group(1)

    def rounds_in_feed():
        calendar = icalendar.Calendar.from_ical(device.get(feed).data)
        return {
            str(item["uid"]): int(item["sequence"])
            for item in calendar.walk("VEVENT")
            if "-round" in str(item["uid"])
        }

    before = rounds_in_feed()
    rounds = operations.rounds_of(db.session.get(Event, demo_event.id))
    person = operations.problem_of(rounds).people[-1].id  # the phone's
    take_out_of_the_first_round(rounds, person)
    db.session.commit()
    after = rounds_in_feed()
    assert len(before) == 2
    assert len(after) == 1 and set(after) < set(before)  # the other round keeps its UID ...
    uid = next(iter(after))
    assert after[uid] > before[uid]  # ... and counts up, so calendars update in place


def take_out_of_the_first_round(rounds, person: str) -> None:
    """Store the seating with the person at no table in the first round.

    Written directly, not through the move form: whether the form allows it depends on the
    seating CP-SAT found, which differs from run to run (a table at its minimum cannot lose
    anybody, and in some seatings no seat of the person may change at all). The form's rules
    have tests of their own; this one is about the calendar.
    """
    problem, seating = operations.problem_of(rounds), operations.seating_of(rounds)
    first = problem.rounds[0].id
    seats = tuple(seat for seat in seating.seats if (seat.person, seat.round) != (person, first))
    assert len(seats) == len(seating.seats) - 1
    rounds.seating = dump_seating(replace(seating, seats=seats))
