"""The organisers' pages: access, events, phases, rooms, slots, pitches, sessions, merges, hands."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from planner.errors import UserInputError
from planner.extensions import db
from planner.models import Ballot, Event, Room, Slot, Talk
from planner.operations import setup


@pytest.fixture
def event(app):
    """An empty one-day barcamp, committed."""
    event = setup.create_event(
        name="Barcamp Test",
        starts_on=date(2025, 5, 24),
        ends_on=None,
        timezone="Europe/Berlin",
        venue="Wiesbaden",
        language="de",
    )
    db.session.commit()
    return event


@pytest.fixture
def organiser(client, auth):
    """A client logged in as organiser."""
    auth.login()
    return client


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def page(response) -> str:
    return response.get_data(as_text=True)


def series(day="2025-05-24", start="13:30", length=40, pause=10, per_day=3, days=1) -> dict:
    return {
        "day": day,
        "first_start": start,
        "length": length,
        "pause": pause,
        "count": per_day,
        "days": days,
    }


def add_slots(organiser, event, **kwargs):
    return organiser.post(f"/organise/{event.slug}/slots/generate", data=series(**kwargs))


# access


def _example_path(app, rule) -> str:
    values = {arg: 1 if "id" in arg else "some-event" for arg in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_organise_route_sends_anonymous_to_login(app, client):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("organise.")]
    assert len(rules) >= 17
    for rule in rules:
        path = _example_path(app, rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method)
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"].startswith("/login"), (method, path)


def test_every_form_carries_a_csrf_token(app, organiser, event):
    add_slots(organiser, event)
    room = setup.add_room(event, name="Forum", capacity=10, features=[])
    first, _ = setup.add_pitches(event, "Open Data — Anna\nKI — Ben")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    paths = ["new", f"{event.slug}/", f"{event.slug}/settings", f"{event.slug}/rooms"]
    paths += [f"{event.slug}/rooms/{room.id}", f"{event.slug}/slots", f"{event.slug}/pitches"]
    paths += [f"{event.slug}/slots/{event.slots[0].id}", f"{event.slug}/proposals"]
    paths += [f"{event.slug}/talks/{first.id}", f"{event.slug}/talks/{first.id}/merge"]
    paths += [f"{event.slug}/hands"]
    for path in paths:
        body = page(organiser.get(f"/organise/{path}"))
        forms = re.findall(r'<form method="post".*?</form>', body, re.S)
        assert forms, path
        assert all('name="csrf_token"' in form for form in forms), path
    response = organiser.post(f"/organise/{event.slug}/pitches", data={"line": "X — Y"})
    assert response.status_code == 400 and count(Talk) == 2


def test_unknown_event_and_foreign_ids_are_404(organiser, event):
    other = setup.create_event(name="Other", starts_on=date(2025, 6, 1), timezone="UTC")
    room = setup.add_room(other, name="Elsewhere", capacity=5, features=[])
    talk = setup.add_pitches(other, "Foreign — Someone")[0]
    db.session.commit()
    assert organiser.get("/organise/no-such-event/").status_code == 404
    assert organiser.get(f"/organise/{event.slug}/rooms/{room.id}").status_code == 404
    assert organiser.get(f"/organise/{event.slug}/talks/{talk.id}").status_code == 404
    assert organiser.post(f"/organise/{event.slug}/rooms/{room.id}/delete").status_code == 404
    assert db.session.get(Room, room.id) is not None


# events and settings


def test_events_list_links_every_event(organiser, event):
    body = page(organiser.get("/organise/"))
    assert "Barcamp Test" in body and f"/organise/{event.slug}/" in body
    assert "/organise/new" in body
    form = body[body.index('enctype="multipart/form-data"') - 60 :]
    assert 'action="/organise/import"' in form and 'name="document" type="file"' in form


def test_create_event_redirects_to_its_overview(organiser):
    form = organiser.get("/organise/new")
    assert 'value="Europe/Berlin" selected' in page(form) or "Europe/Berlin" in page(form)
    response = organiser.post(
        "/organise/new",
        data={
            "name": "Digitaler Staat Hessen",
            "starts_on": "2025-05-24",
            "ends_on": "",
            "timezone": "Europe/Berlin",
            "venue": "Wiesbaden",
            "language": "en",
        },
    )
    created = db.session.scalars(sa.select(Event)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organise/{created.slug}/"
    assert created.slug == "digitaler-staat-hessen" and created.language == "en"
    assert created.starts_on == created.ends_on == date(2025, 5, 24)


def test_create_event_with_bad_input_keeps_what_was_typed(organiser):
    response = organiser.post(
        "/organise/new",
        data={
            "name": "Mein Barcamp",
            "starts_on": "2025-05-24",
            "ends_on": "2025-05-20",
            "timezone": "Mars/Olympus",
            "venue": "Kassel",
            "language": "de",
        },
        headers={"Accept-Language": "en"},
    )
    body = page(response)
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in body
    assert 'value="Mein Barcamp"' in body and 'value="Kassel"' in body
    assert re.search(r"has-error.*?timezone", body, re.S)
    assert count(Event) == 0


def test_overview_shows_counts_phases_and_links(organiser, demo_event):
    body = page(organiser.get(f"/organise/{demo_event.slug}/"))
    slug = demo_event.slug
    assert "Planning board" in body or "Planungstafel" in body
    for path in ("settings", "rooms", "slots", "pitches", "proposals", "hands"):
        assert f"/organise/{slug}/{path}" in body
    for path in ("/", "/propose", "/vote"):
        assert f"/e/{slug}{path}" in body
    ballots = count(Ballot)
    assert "<strong>9</strong>" in body and "<strong>25</strong>" in body
    assert f"<strong>{ballots}</strong>" in body


def test_settings_saved_and_bad_input_kept(organiser, event):
    url = f"/organise/{event.slug}/settings"
    assert 'value="Barcamp Test"' in page(organiser.get(url))
    good = {
        "name": "Barcamp Neu",
        "starts_on": "2025-05-24",
        "ends_on": "2025-05-25",
        "timezone": "Europe/Vienna",
        "venue": "Wien",
        "language": "en",
    }
    assert organiser.post(url, data=good).status_code == 302
    db.session.refresh(event)
    assert (event.name, event.timezone, event.ends_on) == (
        "Barcamp Neu",
        "Europe/Vienna",
        date(2025, 5, 25),
    )
    response = organiser.post(url, data=good | {"name": "", "venue": "Graz"})
    assert response.status_code == 200 and 'value="Graz"' in page(response)
    db.session.refresh(event)
    assert event.venue == "Wien"


def test_phases_proposals_and_voting_together_planning_closes_proposals(organiser, event):
    url = f"/organise/{event.slug}/phases"
    organiser.post(url, data={"proposals_open": "y", "voting_open": "y"})
    db.session.refresh(event)
    assert event.proposals_open and event.voting_open and not event.planning_started
    response = organiser.post(
        url, data={"proposals_open": "y", "voting_open": "y", "planning_started": "y"}
    )
    assert response.status_code == 302
    db.session.refresh(event)
    assert not event.proposals_open and event.voting_open and event.planning_started
    organiser.post(url, data={})
    db.session.refresh(event)
    assert not (event.proposals_open or event.voting_open or event.planning_started)


# rooms


def test_add_room_with_features_and_own_ones(organiser, event):
    response = organiser.post(
        f"/organise/{event.slug}/rooms",
        data={
            "name": "Forum",
            "capacity": "60",
            "features": ["projector", "accessible"],
            "own_features": "Klavier, , Küche",
        },
    )
    assert response.status_code == 302
    room = db.session.scalars(sa.select(Room)).one()
    assert (room.name, room.capacity) == ("Forum", 60)
    assert room.features == ["projector", "accessible", "Klavier", "Küche"]
    assert "Forum" in page(organiser.get(f"/organise/{event.slug}/rooms"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Forum", "capacity": "-1"}, "Number must be between 0 and 100000."),
        ({"name": "Forum", "capacity": ""}, "This field is required."),
        ({"name": "forum ", "capacity": "10"}, "There is already a room called"),
    ],
)
def test_bad_room_is_not_added_and_input_kept(organiser, event, data, message):
    setup.add_room(event, name="Forum", capacity=60, features=[])
    db.session.commit()
    response = organiser.post(
        f"/organise/{event.slug}/rooms",
        data=data | {"own_features": "Sofa"},
        headers={"Accept-Language": "en"},
    )
    body = page(response)
    assert response.status_code == 200 and message in body
    assert 'value="Sofa"' in body
    assert count(Room) == 1


def test_edit_room_sets_unavailable_slots_and_delete(organiser, event):
    add_slots(organiser, event)
    room = setup.add_room(event, name="Kassel", capacity=30, features=["stream", "Sofa"])
    db.session.commit()
    url = f"/organise/{event.slug}/rooms/{room.id}"
    form = page(organiser.get(url))
    assert 'value="Sofa"' in form and re.search(r'<input checked[^>]*value="stream"', form)
    assert not re.search(r'<input checked[^>]*value="projector"', form)
    first, _, third = event.slots
    response = organiser.post(
        url,
        data={
            "name": "Raum Kassel",
            "capacity": "25",
            "features": ["whiteboard"],
            "unavailable": [str(first.id), str(third.id)],
        },
    )
    assert response.status_code == 302
    db.session.refresh(room)
    assert (room.name, room.capacity, room.features) == ("Raum Kassel", 25, ["whiteboard"])
    assert room.unavailable == [first, third]
    assert organiser.post(f"{url}/delete").status_code == 302
    assert count(Room) == 0


def test_rename_room_to_a_taken_name_and_delete_unpins(organiser, event):
    add_slots(organiser, event)
    forum = setup.add_room(event, name="Forum", capacity=60, features=[])
    lounge = setup.add_room(event, name="Lounge", capacity=15, features=[])
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    talk.pinned_room, talk.pinned_slot = lounge, event.slots[0]
    db.session.commit()
    url = f"/organise/{event.slug}/rooms/{lounge.id}"
    response = organiser.post(url, data={"name": "FORUM", "capacity": "20"})
    assert "There is already a room called" in page(response) and 'value="20"' in page(response)
    db.session.refresh(lounge)
    assert (lounge.name, lounge.capacity) == ("Lounge", 15)
    organiser.post(f"{url}/delete")
    db.session.expire_all()
    assert talk.pinned_room is None and [room.name for room in event.rooms] == [forum.name]


# slots


def test_hesse_series_takes_one_form(organiser, event):
    response = add_slots(organiser, event)
    assert response.status_code == 302
    slots = db.session.scalars(sa.select(Slot).order_by(Slot.starts_at)).all()
    assert [slot.starts_at.time() for slot in slots] == [time(13, 30), time(14, 20), time(15, 10)]
    assert all((slot.ends_at - slot.starts_at).total_seconds() == 40 * 60 for slot in slots)
    body = page(organiser.get(f"/organise/{event.slug}/slots"))
    assert "24.05.2025" in body and "13:30–14:10" in body and "15:10–15:50" in body


def test_series_over_consecutive_days(organiser, event):
    event.ends_on = date(2025, 5, 25)
    db.session.commit()
    add_slots(organiser, event, start="09:00", length=45, pause=15, per_day=2, days=2)
    starts = db.session.scalars(sa.select(Slot.starts_at).order_by(Slot.starts_at)).all()
    assert starts == [
        datetime(2025, 5, 24, 9),
        datetime(2025, 5, 24, 10),
        datetime(2025, 5, 25, 9),
        datetime(2025, 5, 25, 10),
    ]


def test_overlapping_series_is_refused_with_a_clear_message(organiser, event):
    add_slots(organiser, event)
    response = organiser.post(
        f"/organise/{event.slug}/slots/generate",
        data=series(start="14:00", length=30),
        headers={"Accept-Language": "en"},
    )
    body = page(response)
    assert response.status_code == 200
    assert "would overlap the existing slot 24.05.2025 13:30–14:10" in body
    assert 'value="14:00"' in body and 'value="30"' in body
    assert count(Slot) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (series(length=0), "Number must be between 5 and 600."),
        (series(start=""), "This field is required."),
        (series(start="23:30", per_day=2), "runs past midnight"),
        (series(days=2), "The slot 25.05.2025 13:30–14:10 is not on the event&#39;s days"),
        (series(day="2026-05-24"), "is not on the event&#39;s days (May 24, 2025)"),
    ],
)
def test_bad_series_writes_nothing(organiser, event, data, message):
    response = organiser.post(
        f"/organise/{event.slug}/slots/generate", data=data, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200 and message in page(response)
    assert count(Slot) == 0


def test_edit_slot_good_overlapping_and_reversed(organiser, event):
    add_slots(organiser, event)
    first, second, _ = event.slots
    url = f"/organise/{event.slug}/slots/{first.id}"
    assert 'value="2025-05-24T13:30"' in page(organiser.get(url))
    english = {"Accept-Language": "en"}
    overlap = {"starts_at": "2025-05-24T13:00", "ends_at": "2025-05-24T14:30"}
    response = organiser.post(url, data=overlap, headers=english)
    assert "would overlap" in page(response) and 'value="2025-05-24T14:30"' in page(response)
    night = {"starts_at": "2025-05-24T23:30", "ends_at": "2025-05-25T00:30"}
    assert "end it by midnight" in page(organiser.post(url, data=night, headers=english))
    elsewhere = {"starts_at": "2026-06-01T13:30", "ends_at": "2026-06-01T14:10"}
    assert "not on the event" in page(organiser.post(url, data=elsewhere, headers=english))
    reversed_ = {"starts_at": "2025-05-24T13:00", "ends_at": "2025-05-24T12:00"}
    assert "The end must be after the start." in page(organiser.post(url, data=reversed_))
    good = {"starts_at": "2025-05-24T13:00", "ends_at": "2025-05-24T14:15"}
    assert organiser.post(url, data=good).status_code == 302
    db.session.refresh(first)
    assert (first.starts_at, first.ends_at) == (
        datetime(2025, 5, 24, 13),
        datetime(2025, 5, 24, 14, 15),
    )
    assert second.starts_at == datetime(2025, 5, 24, 14, 20)


def test_delete_slot_removes_it_from_rooms_and_sessions(organiser, event):
    add_slots(organiser, event)
    slot = event.slots[0]
    room = setup.add_room(event, name="Forum", capacity=10, features=[], unavailable=[slot.id])
    talk = setup.add_pitches(event, "Thema — Anna")[0]
    talk.unavailable = [slot]
    talk.pinned_slot = slot
    db.session.commit()
    assert organiser.post(f"/organise/{event.slug}/slots/{slot.id}/delete").status_code == 302
    db.session.expire_all()
    assert count(Slot) == 2 and room.unavailable == [] and talk.unavailable == []
    assert talk.pinned_slot is None
    remaining = db.session.scalar(sa.select(sa.func.count()).select_from(Slot.__table__))
    assert remaining == 2


# rapid pitch entry


@pytest.mark.parametrize(
    ("line", "title", "hosts"),
    [
        ("Open Data im Landkreis — Anna Beispiel", "Open Data im Landkreis", ["Anna Beispiel"]),
        ("KI - was nun? - Anna und Ben", "KI - was nun?", ["Anna", "Ben"]),
        ("Geodaten / Karten / Jo, Kim and Lee", "Geodaten / Karten", ["Jo", "Kim", "Lee"]),
        ("E-Akte;Paul Neumann", "E-Akte", ["Paul Neumann"]),
        ("Nur ein Titel", "Nur ein Titel", []),
        ("  Raum für Ideen —  ", "Raum für Ideen", []),
    ],
)
def test_parse_pitch_line(line, title, hosts):
    assert setup.parse_pitch_line(line) == (title, hosts)


def test_blank_pitch_line_is_skipped():
    assert setup.parse_pitch_line("   ") is None


def test_pitch_line_enter_adds_a_session_and_focus_returns(organiser, event):
    url = f"/organise/{event.slug}/pitches"
    response = organiser.post(url, data={"line": "Open Data im Landkreis — Anna Beispiel"})
    assert response.status_code == 302 and response.headers["Location"] == url
    organiser.post(url, data={"line": "Digitale Führung - Ben Muster und Clara Test"})
    talks = db.session.scalars(sa.select(Talk).order_by(Talk.id)).all()
    assert [(talk.title, talk.hosts) for talk in talks] == [
        ("Open Data im Landkreis", ["Anna Beispiel"]),
        ("Digitale Führung", ["Ben Muster", "Clara Test"]),
    ]
    body = page(organiser.get(url))
    assert re.search(
        r'<input[^>]*autofocus[^>]*name="line"|<input[^>]*name="line"[^>]*autofocus', body
    )
    recent = body[body.index('<ol class="recent"') :]
    assert recent.index("Digitale Führung") < recent.index("Open Data im Landkreis")
    assert f"/organise/{event.slug}/talks/{talks[0].id}" in body


def test_pasted_lines_add_one_session_each(organiser, event):
    text = "Open Data — Anna\n\nKI im Amt; Ben, Clara\r\nBarrierefreiheit / Dana und Eli\n"
    response = organiser.post(f"/organise/{event.slug}/pitches", data={"lines": text})
    assert response.status_code == 302
    talks = db.session.scalars(sa.select(Talk).order_by(Talk.id)).all()
    assert [talk.title for talk in talks] == ["Open Data", "KI im Amt", "Barrierefreiheit"]
    assert talks[2].hosts == ["Dana", "Eli"] and talks[0].language == "de"


def test_bad_pitch_lines_add_nothing_and_keep_the_text(organiser, event):
    text = "Gute Sitzung — Anna\n — nur Namen\n" + "x" * 201
    response = organiser.post(
        f"/organise/{event.slug}/pitches", data={"lines": text}, headers={"Accept-Language": "en"}
    )
    body = page(response)
    assert response.status_code == 200
    assert "Line 2:" in body and "Line 3:" in body and "Gute Sitzung — Anna" in body
    assert count(Talk) == 0
    empty = organiser.post(f"/organise/{event.slug}/pitches", data={"line": "  "})
    assert empty.status_code == 200 and 'class="error"' in page(empty)
    assert count(Talk) == 0


# sessions


def test_proposals_list_counts_marks(organiser, demo_event):
    marks = setup.mark_counts(demo_event)
    talk = max(demo_event.talks, key=lambda talk: marks.get(talk.id, 0))
    body = page(organiser.get(f"/organise/{demo_event.slug}/proposals"))
    row = body[body.index(f"/talks/{talk.id}") :]
    row = row[: row.index("</tr>")]
    assert talk.title in row and f'<td class="number">{marks[talk.id]}</td>' in row
    assert ", ".join(talk.hosts) in body.replace("&#39;", "'")


def _talk_form(talk: Talk, **changes) -> dict:
    data = {
        "version": str(talk.version),
        "title": talk.title,
        "description": talk.description,
        "hosts": ", ".join(talk.hosts),
        "format": talk.format,
        "length": str(talk.length),
        "language": talk.language,
        "extra_interest": str(talk.extra_interest),
    }
    return data | changes


def test_edit_talk_saves_every_field(organiser, event):
    add_slots(organiser, event)
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    db.session.commit()
    url = f"/organise/{event.slug}/talks/{talk.id}"
    assert 'value="Open Data"' in page(organiser.get(url))
    data = _talk_form(
        talk,
        title="Offene Daten",
        hosts="Anna, Ben ,",
        format="workshop",
        length="2",
        language="en",
        needs=["projector"],
        own_needs="Flipchart",
        unavailable=[str(event.slots[0].id)],
        extra_interest="4",
    )
    assert organiser.post(url, data=data).status_code == 302
    db.session.refresh(talk)
    assert (talk.title, talk.hosts, talk.format, talk.length) == (
        "Offene Daten",
        ["Anna", "Ben"],
        "workshop",
        2,
    )
    assert talk.needs == ["projector", "Flipchart"] and talk.unavailable == [event.slots[0]]
    assert (talk.language, talk.extra_interest) == ("en", 4)


def test_edit_talk_bad_input_keeps_typed(organiser, event):
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    db.session.commit()
    response = organiser.post(
        f"/organise/{event.slug}/talks/{talk.id}",
        data=_talk_form(talk, title="", hosts="Zoe Neu", extra_interest="-3"),
        headers={"Accept-Language": "en"},
    )
    body = page(response)
    assert response.status_code == 200 and "This field is required." in body
    assert "Number must be between 0 and 100000." in body and 'value="Zoe Neu"' in body
    db.session.refresh(talk)
    assert talk.title == "Open Data" and talk.hosts == ["Anna"]


def test_edit_talk_conflict_keeps_typed_and_shows_current(organiser, event):
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    db.session.commit()
    stale = _talk_form(talk, title="Mein Titel", hosts="Ich")
    setup.update_talk(talk, version=talk.version, unavailable=[], title="Ihr Titel")
    db.session.commit()
    url = f"/organise/{event.slug}/talks/{talk.id}"
    response = organiser.post(url, data=stale, headers={"Accept-Language": "en"})
    body = page(response)
    assert response.status_code == 200
    assert "Somebody else changed this session meanwhile." in body
    assert 'value="Mein Titel"' in body and "Ihr Titel" in body and 'value="Ich"' in body
    db.session.refresh(talk)
    assert talk.title == "Ihr Titel"
    version = re.search(r'name="version" type="hidden" value="(\d+)"', body)[1]
    assert organiser.post(url, data=stale | {"version": version}).status_code == 302
    db.session.refresh(talk)
    assert talk.title == "Mein Titel"


def test_edit_talk_keeps_a_longer_imported_length_and_needs_a_version(organiser, event):
    talk = setup.add_pitches(event, "Hackathon — Team")[0]
    talk.length = 3
    db.session.commit()
    url = f"/organise/{event.slug}/talks/{talk.id}"
    assert re.search(r'<input checked[^>]*value="3"', page(organiser.get(url)))
    response = organiser.post(url, data=_talk_form(talk, version="", title="Hack"))
    assert response.status_code == 200 and 'class="error"' in page(response)
    db.session.refresh(talk)
    assert talk.title == "Hackathon"


def test_merge_a_session_into_itself_is_refused(app, event):
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    with app.test_request_context(), pytest.raises(UserInputError):
        setup.merge_talks(talk, talk)


def test_withdraw_and_restore(organiser, event):
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    db.session.commit()
    url = f"/organise/{event.slug}/talks/{talk.id}/withdraw"
    assert organiser.post(url).status_code == 302
    db.session.refresh(talk)
    assert talk.withdrawn and event.active_talks == []
    assert "Restore" in page(organiser.get(f"/organise/{event.slug}/proposals"))
    organiser.post(url, data={"restore": "1"})
    db.session.refresh(talk)
    assert not talk.withdrawn


def test_merge_moves_hosts_interest_and_ballot_marks(organiser, event):
    kept, duplicate, other = setup.add_pitches(
        event, "Open Data — Anna\nOffene Daten — Ben und Anna\nKI — Clara"
    )
    kept.extra_interest, duplicate.extra_interest = 2, 5
    event.ballots = [
        Ballot(marks=[duplicate]),
        Ballot(marks=[kept, duplicate]),
        Ballot(marks=[other]),
    ]
    db.session.commit()
    url = f"/organise/{event.slug}/talks/{kept.id}/merge"
    form = page(organiser.get(url))
    assert "Offene Daten" in form and f'value="{kept.id}"' not in form
    assert organiser.post(url, data={"duplicate": str(duplicate.id)}).status_code == 302
    db.session.expire_all()
    assert kept.hosts == ["Anna", "Ben"] and kept.extra_interest == 7
    assert duplicate.withdrawn and duplicate.extra_interest == 0
    assert [ballot.marks for ballot in event.ballots] == [[kept], [kept], [other]]
    assert setup.mark_counts(event) == {kept.id: 2, other.id: 1}


def test_merge_refuses_a_session_of_another_event(organiser, event):
    kept = setup.add_pitches(event, "Open Data — Anna")[0]
    other = setup.create_event(name="Other", starts_on=date(2025, 6, 1), timezone="UTC")
    foreign = setup.add_pitches(other, "Offene Daten — Ben")[0]
    db.session.commit()
    url = f"/organise/{event.slug}/talks/{kept.id}/merge"
    assert "no other session" in page(organiser.get(url, headers={"Accept-Language": "en"}))
    setup.add_pitches(event, "KI — Clara")
    db.session.commit()
    response = organiser.post(url, data={"duplicate": str(foreign.id)})
    assert response.status_code == 200 and 'class="error"' in page(response)
    db.session.expire_all()
    assert not foreign.withdrawn and kept.hosts == ["Anna"]


# show of hands


def test_hands_saves_every_count_at_once(organiser, event):
    first, second = setup.add_pitches(event, "Open Data — Anna\nKI — Ben")
    db.session.commit()
    url = f"/organise/{event.slug}/hands"
    body = page(organiser.get(url))
    assert "Open Data" in body and f'name="talk_{second.id}"' in body
    data = {f"talk_{first.id}": "12", f"talk_{second.id}": ""}
    assert organiser.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert (first.extra_interest, second.extra_interest) == (12, 0)


def test_hands_refuses_negative_and_keeps_typed(organiser, event):
    first, second = setup.add_pitches(event, "Open Data — Anna\nKI — Ben")
    db.session.commit()
    data = {f"talk_{first.id}": "-2", f"talk_{second.id}": "7"}
    response = organiser.post(
        f"/organise/{event.slug}/hands", data=data, headers={"Accept-Language": "en"}
    )
    body = page(response)
    assert response.status_code == 200 and "Number must be between 0 and 100000." in body
    assert 'value="7"' in body
    db.session.expire_all()
    assert (first.extra_interest, second.extra_interest) == (0, 0)


def test_room_stream_link_is_saved_and_only_a_web_address(organiser, event):
    room = setup.add_room(event, name="Forum", capacity=60, features=["stream"])
    db.session.commit()
    url = f"/organise/{event.slug}/rooms/{room.id}"
    for bad in ("javascript:alert(1)", "ftp://files.example", "stream.example.org"):
        response = organiser.post(url, data={"name": "Forum", "capacity": "60", "stream_url": bad})
        body = page(response)
        assert "must be a web address" in body and f'value="{bad}"' in body
        # next to the stream link's own field, not under the name
        assert '<div id="stream_url-error">' in body and 'id="name-error"' not in body
        db.session.refresh(room)
        assert room.stream_url == ""
    good = "https://stream.example.org/forum?x=1"
    organiser.post(url, data={"name": "Forum", "capacity": "60", "stream_url": good})
    db.session.refresh(room)
    assert room.stream_url == good
    assert f'value="{good.replace("&", "&amp;")}"' in page(organiser.get(url))


def test_event_page_links_every_screen_and_print(organiser, event):
    forum = setup.add_room(event, name="Forum", capacity=60, features=[])
    db.session.commit()
    body = page(organiser.get(f"/organise/{event.slug}/"))
    slug = event.slug
    for url in (
        f"/e/{slug}/board",
        f"/e/{slug}/rooms/{forum.id}/door",
        f"/e/{slug}/print/poster",
        f"/e/{slug}/print/cards",
        f"/e/{slug}/print/doors",
        f"/e/{slug}/schedule.pdf",
        f"/e/{slug}/schedule.xml",
        f"/e/{slug}/schedule.ics",
    ):
        assert f'href="{url}"' in body or f'{url}"' in body, url


def test_an_impossible_timezone_is_a_form_error_not_a_500(organiser, event):
    """Found by tests/fuzz: a name too long for a file made zoneinfo raise OSError."""
    for name in ("a" * 300, "../../etc/passwd", "Europe/Nowhere"):
        response = organiser.post(
            f"/organise/{event.slug}/settings",
            data={"name": "X", "starts_on": "2025-05-24", "timezone": name, "language": "de"},
        )
        assert response.status_code == 200 and "Choose a timezone from the list" in page(response)
