"""An attendee's agenda: marked sessions in the plan, clashes and the choice between them,
now and next, the personal calendar feed and the private link to another device."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from itsdangerous import URLSafeSerializer

from planner import create_app
from planner.backup_cli import export_command, import_command
from planner.extensions import db
from planner.models import Ballot, Event, PlanVersion, Room, Slot, Talk, utcnow
from planner.web.device import feed_code

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def camp(app):
    """One day, two rooms, two slots; voting open. Forum and Lounge clash at 10:00,
    Kaffee runs alone at 11:00."""
    event = Event(slug="camp", name="Camp", venue="Rathaus", starts_on=date(2025, 7, 1))
    event.voting_open = True
    event.slots = [
        Slot(starts_at=datetime(2025, 7, 1, 10, 0), ends_at=datetime(2025, 7, 1, 10, 45)),
        Slot(starts_at=datetime(2025, 7, 1, 11, 0), ends_at=datetime(2025, 7, 1, 11, 45)),
    ]
    event.rooms = [Room(name="Saal", capacity=50, position=0), Room(name="Ecke", capacity=9)]
    event.talks = [
        Talk(title="Forum Open Data", hosts=["Ada"]),
        Talk(title="Lounge KI", hosts=["Ben"]),
        Talk(title="Kaffee und Verwaltung", hosts=["Cem"]),
        Talk(title="Nicht markiert"),
    ]
    db.session.add(event)
    db.session.commit()
    return event


def publish(event: Event, number: int = 1) -> None:
    forum, lounge, kaffee, other = event.talks
    saal, ecke = event.rooms
    first, second = event.slots
    assignments = [
        {"session": forum.key, "room": saal.key, "slot": first.key},
        {"session": lounge.key, "room": ecke.key, "slot": first.key},
        {"session": kaffee.key, "room": saal.key, "slot": second.key},
        {"session": other.key, "room": ecke.key, "slot": second.key},
    ]
    document = {"format": "barcamp-planner/plan@1", "assignments": assignments}
    db.session.add(
        PlanVersion(event=event, number=number, document=document, published_at=utcnow())
    )
    db.session.commit()


def mark(client, event: Event, *titles: str) -> None:
    client.get(f"/e/{event.slug}/vote")  # a ballot needs the device cookie the page gives
    for talk in event.talks:
        if talk.title in titles:
            assert client.post(f"/e/{event.slug}/vote/{talk.id}").status_code == 302


def agenda(client, at: str = "2025-07-01T10:30") -> str:
    response = client.get(f"/e/camp/agenda?at={at}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"  # not even the back button
    return response.get_data(as_text=True)


def item(page: str, talk: Talk) -> str:
    """The agenda entry of `talk`, as HTML."""
    match = re.search(rf'<li id="talk-{talk.id}" class="agenda-item (\w+)">(.*?)</li>', page, re.S)
    assert match, f"{talk.title} is not on the agenda"
    return match.group(1) + match.group(2)


def line(page: str, name: str) -> str:
    return re.search(rf'<p class="{name}-line">(.*?)</p>', page, re.S).group(1)


def test_before_publishing_lists_the_marks(client, camp):
    mark(client, camp, "Forum Open Data", "Kaffee und Verwaltung")
    page = agenda(client)
    assert "The plan is not published yet" in page and "Your marked sessions" in page
    assert "Forum Open Data" in page and "Kaffee und Verwaltung" in page
    assert "Nicht markiert" not in page
    assert "/agenda/move/" in page, "the private link is there before the plan too"


def test_a_new_device_gets_an_empty_agenda(client, camp):
    publish(camp)
    page = agenda(client)
    assert "You have not marked any sessions" in page and "/agenda/move/" not in page


def test_clash_asks_for_a_choice_then_skips_the_other(client, camp):
    forum, lounge, kaffee, _ = camp.talks
    mark(client, camp, "Forum Open Data", "Lounge KI", "Kaffee und Verwaltung")
    publish(camp)
    page = agenda(client)
    assert "choose which one you go to" in page
    assert item(page, forum).startswith("undecided") and "Lounge KI" in item(page, forum)
    assert item(page, kaffee).startswith("going") and "Clash" not in item(page, kaffee)
    assert page.index("Forum Open Data") < page.index("Kaffee und Verwaltung")
    # Undecided: both are "now".
    assert "Forum Open Data" in line(page, "now") and "Lounge KI" in line(page, "now")

    response = client.post(f"/e/camp/agenda/choose/{lounge.id}")
    assert response.status_code == 302 and response.location.endswith(f"#talk-{lounge.id}")
    page = agenda(client)
    assert item(page, lounge).startswith("going") and "Your choice" in item(page, lounge)
    assert item(page, forum).startswith("skipped") and "I go to this one" in item(page, forum)
    assert "Lounge KI" in line(page, "now") and "Forum Open Data" not in line(page, "now")
    assert "11:00" in line(page, "next") and "Kaffee und Verwaltung" in line(page, "next")
    assert "choose which one" not in page

    client.post(f"/e/camp/agenda/choose/{forum.id}")  # changing one's mind
    page = agenda(client)
    assert item(page, forum).startswith("going") and item(page, lounge).startswith("skipped")


def test_now_and_next_follow_the_clock(client, camp):
    mark(client, camp, "Forum Open Data", "Kaffee und Verwaltung")
    publish(camp)
    early = agenda(client, "2025-07-01T08:00")
    assert "none of your sessions" in line(early, "now")
    assert "10:00" in line(early, "next") and "Forum Open Data" in line(early, "next")
    between = agenda(client, "2025-07-01T10:50")
    assert "none of your sessions" in line(between, "now")
    assert "Kaffee und Verwaltung" in line(between, "next")
    late = agenda(client, "2025-07-01T11:30")
    assert "Kaffee und Verwaltung" in line(late, "now") and "until 11:45" in line(late, "now")
    assert "nothing more today" in line(late, "next")


def test_bad_clock_parameter_is_a_clear_400(client, camp):
    response = client.get("/e/camp/agenda?at=lunchtime")
    assert response.status_code == 400 and "must be a date and time" in response.get_data(True)


def test_choosing_a_session_not_on_the_agenda_is_refused(client, camp):
    mark(client, camp, "Forum Open Data")
    publish(camp)
    other = camp.talks[3]
    response = client.post(f"/e/camp/agenda/choose/{other.id}", follow_redirects=True)
    assert "This session is not on your agenda" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Ballot)).chosen == []


def feed_url(page: str) -> str:
    match = re.search(r'href="(http://localhost/e/camp/agenda/[^"/]+\.ics)"', page)
    assert match, "the agenda links its feed"
    return match.group(1).removeprefix("http://localhost")


def test_personal_feed_holds_the_sessions_one_goes_to(client, camp):
    lounge = camp.talks[1]
    mark(client, camp, "Forum Open Data", "Lounge KI", "Kaffee und Verwaltung")
    publish(camp)
    client.post(f"/e/camp/agenda/choose/{lounge.id}")
    url = feed_url(agenda(client))
    assert "webcal://localhost/e/camp/agenda/" in agenda(client)

    # Read by a calendar app: no cookie needed.
    response = client.application.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["x-wr-calname"]) == "Camp: meine Agenda"  # an app sends no language
    items = {str(entry["summary"]): entry for entry in calendar.walk("VEVENT")}
    assert set(items) == {"Lounge KI", "Kaffee und Verwaltung"}
    assert items["Kaffee und Verwaltung"].decoded("dtstart") == datetime(
        2025, 7, 1, 11, 0, tzinfo=BERLIN
    )
    assert str(items["Lounge KI"]["location"]) == "Ecke, Rathaus"
    assert str(items["Lounge KI"]["url"]).endswith(f"/e/camp/sessions/{lounge.id}")
    # The same UID as in the event's whole feed: one session, one calendar entry.
    whole = icalendar.Calendar.from_ical(client.get("/e/camp/schedule.ics").data)
    uids = {str(entry["summary"]): str(entry["uid"]) for entry in whole.walk("VEVENT")}
    assert str(items["Lounge KI"]["uid"]) == uids["Lounge KI"]


def test_forged_or_foreign_feed_codes_are_404(client, camp):
    mark(client, camp, "Forum Open Data")
    publish(camp)
    url = feed_url(agenda(client))
    code = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/e/camp/agenda/{code[:-2]}xx.ics").status_code == 404
    other = Event(slug="other", name="Other")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/e/other/agenda/{code}.ics").status_code == 404
    # Signed here, but naming no ballot: an unknown key, or a row id as feeds held before.
    for unknown in (
        feed_code("no-such-key"),
        URLSafeSerializer("test", salt="barcamp-feed").dumps(1),
    ):
        assert client.get(f"/e/camp/agenda/{unknown}.ics").status_code == 404


def test_the_feed_address_names_the_feed_key_not_the_device_token(client, camp):
    mark(client, camp, "Forum Open Data")
    publish(camp)
    code = feed_url(agenda(client)).rsplit("/", 1)[1].removesuffix(".ics")
    ballot = db.session.scalar(sa.select(Ballot))
    # Signed, not encrypted: anyone holding the address can read what it carries.
    _valid, payload = URLSafeSerializer("test", salt="barcamp-feed").loads_unsafe(code)
    assert payload == ballot.feed_key and ballot.token not in url_decoded(code)


def url_decoded(code: str) -> str:
    payload = code.split(".")[0]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()


def sessions_in(calendar_body: bytes) -> set[tuple]:
    """What a calendar app shows of each entry."""
    calendar = icalendar.Calendar.from_ical(calendar_body)
    return {
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["location"]))
        for e in calendar.walk("VEVENT")
    }


def test_the_feed_address_survives_a_restore_into_a_fresh_database(client, runner, camp, tmp_path):
    mark(client, camp, "Forum Open Data", "Kaffee und Verwaltung")
    publish(camp)
    url = feed_url(agenda(client))
    before = client.get(url)
    original_id = db.session.scalar(sa.select(Ballot.id))
    backup = tmp_path / "camp.json"
    assert runner.invoke(export_command, ["camp", "-o", str(backup)]).exit_code == 0

    fresh = another_installation(tmp_path / "fresh.sqlite3")
    with fresh.app_context():
        upgrade()
        # Rows already there, so that the restored ballot gets another id than before.
        db.session.add(Event(slug="first", name="First", ballots=[Ballot(), Ballot()]))
        db.session.commit()
        result = fresh.test_cli_runner().invoke(import_command, [str(backup)])
        assert result.exit_code == 0, result.output
        restored_id = db.session.scalar(
            sa.select(Ballot.id).join(Event).where(Event.slug == "camp")
        )
    after = fresh.test_client().get(url)
    assert restored_id != original_id
    assert after.status_code == 200 and after.mimetype == "text/calendar"
    assert sessions_in(after.data) == sessions_in(before.data)
    assert {s[0] for s in sessions_in(after.data)} == {"Forum Open Data", "Kaffee und Verwaltung"}
    with fresh.app_context():
        db.engine.dispose()


def another_installation(path) -> Flask:
    """The planner on another (SQLite) database, with the same secret key as `app`."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    )


def transfer_url(page: str) -> str:
    match = re.search(r'href="http://localhost(/e/camp/agenda/move/[^"]+)"', page)
    assert match, "the agenda shows its private transfer link"
    return match.group(1)


def test_private_link_moves_the_agenda_to_another_device(app, client, camp):
    mark(client, camp, "Forum Open Data", "Kaffee und Verwaltung")
    publish(camp)
    url = transfer_url(agenda(client))
    laptop = app.test_client()
    laptop.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    mark(laptop, camp, "Nicht markiert")  # the laptop voted on its own before
    confirm = laptop.get(url).get_data(as_text=True)
    assert "holds 2 marked sessions" in confirm and "1 marked session of its own" in confirm
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 2
    response = laptop.post(url)
    assert response.status_code == 302 and "barcamp_device" in response.headers["Set-Cookie"]
    page = laptop.get("/e/camp/agenda?at=2025-07-01T10:30").get_data(as_text=True)
    assert "Forum Open Data" in page and "Nicht markiert" in page
    # One person, one ballot: the laptop's own ballot joined the phone's.
    ballots = db.session.scalars(sa.select(Ballot)).all()
    assert len(ballots) == 1 and {talk.title for talk in ballots[0].marks} == {
        "Forum Open Data",
        "Kaffee und Verwaltung",
        "Nicht markiert",
    }
    # The phone sees the same agenda, and its calendar feed follows the moved ballot.
    assert "Nicht markiert" in agenda(client)
    assert feed_url(page) == feed_url(agenda(client))
    assert "Nicht markiert" in client.get(feed_url(page)).get_data(as_text=True)


def test_invalid_transfer_link_says_so(client, camp):
    response = client.get("/e/camp/agenda/move/not-a-code")
    assert response.status_code == 404 and "This link is not valid" in response.get_data(True)
    assert client.post("/e/camp/agenda/move/not-a-code").status_code == 404


def test_agenda_in_german(client, camp):
    mark(client, camp, "Forum Open Data")
    publish(camp)
    page = client.get(
        "/e/camp/agenda?at=2025-07-01T10:30", headers={"Accept-Language": "de-DE,de;q=0.9"}
    ).get_data(as_text=True)
    assert "Meine Agenda" in page and "Jetzt" in page and "Dienstag, 1. Juli 2025" in page


def test_the_plan_highlights_this_devices_sessions(client, camp):
    forum, lounge, _, _ = camp.talks
    mark(client, camp, "Forum Open Data")
    publish(camp)
    page = client.get("/e/camp/schedule").get_data(as_text=True)
    assert page.count('class="mine"') == 2, "in the grid and in the phone list"
    assert page.count("★ on my agenda") == 2
    assert f'href="/e/camp/sessions/{forum.id}"' in page
    assert f'href="/e/camp/sessions/{lounge.id}"' in page
    other = client.application.test_client().get("/e/camp/schedule").get_data(as_text=True)
    assert 'class="mine"' not in other
