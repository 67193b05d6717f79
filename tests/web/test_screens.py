"""The event-day screens: the foyer board, a room's door sign and the JSON they poll."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from planner.extensions import db
from planner.models import Event, Room, Slot, Talk
from planner.operations import screens
from planner.operations.schedule import published_schedule

from .test_public import publish

DAY = "2025-03-03"


@pytest.fixture
def camp(app):
    """Two days. Day one: 10:00, 11:00 and, after lunch, 14:00 (45 minutes each) in Saal A and
    Saal B, with a double session in B from 10:00 to 11:45; day two: 10:00 in Saal C."""
    slots = [
        Slot(starts_at=datetime(2025, 3, 3, h, 0), ends_at=datetime(2025, 3, 3, h, 45))
        for h in (10, 11, 14)
    ]
    slots.append(Slot(starts_at=datetime(2025, 3, 4, 10, 0), ends_at=datetime(2025, 3, 4, 10, 45)))
    event = Event(slug="camp", name="Camp <Hessen>", starts_on=date(2025, 3, 3))
    event.slots = slots
    event.rooms = [Room(name=name, position=index) for index, name in enumerate("ABC")]
    for room in event.rooms:
        room.name = f"Saal {room.name}"
    event.talks = [
        Talk(title="Doppelt gut", hosts=["Ada"], length=2),
        Talk(title="Erste Runde", hosts=["Ben"]),
        Talk(title="Zweite Runde", hosts=["Cem", "Dana"]),
        Talk(title="Nach dem Essen", hosts=[]),
        Talk(title="<script>alert(1)</script> & Co", hosts=["Eve <b>"], language="en"),
        Talk(title="Tag zwei", hosts=["Fin"]),
    ]
    db.session.add(event)
    db.session.commit()
    publish(event, 1, plan(event))
    return event


def plan(event: Event, moved: dict[str, tuple[int, int]] | None = None) -> dict:
    """The plan@1 of `camp`: talk title → (room index, slot index); `moved` overrides."""
    places = {
        "Doppelt gut": (1, 0),
        "Erste Runde": (0, 0),
        "Zweite Runde": (0, 1),
        "Nach dem Essen": (0, 2),
        "<script>alert(1)</script> & Co": (1, 2),
        "Tag zwei": (2, 3),
    } | (moved or {})
    talks = {talk.title: talk for talk in event.talks}
    return {
        "format": "barcamp-planner/plan@1",
        "assignments": [
            {"session": talks[title].key, "room": event.rooms[r].key, "slot": event.slots[s].key}
            for title, (r, s) in places.items()
        ],
        "unscheduled": [],
        "metrics": {},
        "solver": {},
    }


def board(client, at: str, **headers) -> lxml.html.HtmlElement:
    response = client.get(f"/e/camp/board?at={at}", headers=headers)
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def rooms(page: lxml.html.HtmlElement) -> dict[str, tuple[str | None, str | None]]:
    """Each tile's room name (or data-room on a door) → (title now, title next)."""
    shown = {}
    for tile in page.find_class("tile"):
        name = tile.xpath("string(h2[@class='room'])") or tile.get("data-room")
        now = tile.xpath("string(div[contains(@class, 'now')]/p[@class='title'])")
        upcoming = tile.xpath("string(div[contains(@class, 'next')]/p[@class='title'])")
        shown[name] = (now or None, upcoming or None)
    return shown


def headline(page: lxml.html.HtmlElement) -> str:
    status = page.xpath("//div[@data-part='status']")[0]
    if status.get("hidden") is not None:
        return ""
    return " / ".join(
        text for text in (p.text_content().strip() for p in status.findall("p")) if text
    )


def test_board_shows_now_and_next_in_every_room(client, camp):
    page = board(client, f"{DAY}T10:30")
    assert rooms(page) == {
        "Saal A": ("Erste Runde", "Zweite Runde"),
        "Saal B": ("Doppelt gut", "<script>alert(1)</script> & Co"),
    }  # Saal C has nothing on day one: no tile
    assert headline(page) == ""
    assert page.xpath("string(//*[@data-part='clock'])") == "10:30"
    assert page.xpath("string(//h1)") == "Camp <Hessen>"
    tile_a = page.find_class("tile")[0]
    assert tile_a.xpath("string(div[contains(@class, 'now')]//span[@class='time'])") == (
        "10:00–10:45"
    )
    assert tile_a.xpath("string(div[contains(@class, 'now')]/p[@class='hosts'])") == "Ben"


def test_a_double_session_runs_through_both_slots(client, camp):
    page = board(client, f"{DAY}T11:15")
    assert rooms(page) == {
        "Saal A": ("Zweite Runde", "Nach dem Essen"),
        "Saal B": ("Doppelt gut", "<script>alert(1)</script> & Co"),
    }
    tile_b = page.find_class("tile")[1]
    assert "10:00–11:45" in tile_b.text_content()


def test_between_two_slots_a_free_room_says_so(client, camp):
    page = board(client, f"{DAY}T10:50")
    assert rooms(page) == {
        "Saal A": (None, "Zweite Runde"),
        "Saal B": ("Doppelt gut", "<script>alert(1)</script> & Co"),
    }
    assert page.find_class("tile")[0].find_class("free")[0].text_content() == "Free now"


def test_over_lunch_the_board_names_the_next_start(client, camp):
    page = board(client, f"{DAY}T12:30")
    assert headline(page) == "Next at 14:00"
    assert rooms(page) == {
        "Saal A": (None, "Nach dem Essen"),
        "Saal B": (None, "<script>alert(1)</script> & Co"),
    }
    assert not page.find_class("free")  # nothing runs anywhere: no "free" on every tile


def test_before_the_first_slot(client, camp):
    page = board(client, f"{DAY}T08:00")
    assert headline(page) == "Next at 10:00"
    assert rooms(page) == {"Saal A": (None, "Erste Runde"), "Saal B": (None, "Doppelt gut")}
    page = board(client, "2025-03-02T18:00")
    assert headline(page) == "Starts on Monday, March 3 at 10:00"
    assert set(rooms(page)) == {"Saal A", "Saal B"}


def test_after_the_last_slot_of_a_day_and_of_the_event(client, camp):
    page = board(client, f"{DAY}T14:45")
    assert headline(page) == "The day is over / Continues on Tuesday, March 4 at 10:00"
    assert rooms(page) == {"Saal C": (None, "Tag zwei")}
    page = board(client, "2025-03-04T10:45")
    assert headline(page) == "The day is over"
    assert rooms(page) == {}


def test_rooms_with_nothing_more_today_say_so(client, camp):
    page = board(client, f"{DAY}T14:10")
    tiles = page.find_class("tile")
    assert [tile.find_class("done")[0].text_content() for tile in tiles] == [
        "Nothing more today",
        "Nothing more today",
    ]


def test_user_text_is_escaped(client, camp):
    page = client.get(f"/e/camp/board?at={DAY}T14:10").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "Eve &lt;b&gt;" in page and "Camp &lt;Hessen&gt;" in page
    assert "data-document='" in page and "'" not in page.split("data-document='")[1].split("'")[0]


def test_door_shows_only_its_room_with_the_rest_of_the_day(client, camp):
    room_a = camp.rooms[0]
    response = client.get(f"/e/camp/rooms/{room_a.id}/door?at={DAY}T10:30")
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert page.xpath("string(//h1)") == "Saal A"
    assert rooms(page) == {str(room_a.id): ("Erste Runde", "Zweite Runde")}
    later = page.find_class("later")[0]
    assert [li.text_content() for li in later.iter("li")] == ["14:00–14:45 Nach dem Essen"]
    assert "Doppelt gut" not in page.find_class("tiles")[0].text_content()


def test_door_of_a_room_between_its_sessions_and_after_them(client, camp):
    room_b = camp.rooms[1]
    page = lxml.html.fromstring(
        client.get(f"/e/camp/rooms/{room_b.id}/door?at={DAY}T12:00").get_data(as_text=True)
    )
    assert headline(page) == "Next at 14:00"
    assert rooms(page) == {str(room_b.id): (None, "<script>alert(1)</script> & Co")}
    page = lxml.html.fromstring(
        client.get(f"/e/camp/rooms/{room_b.id}/door?at={DAY}T15:00").get_data(as_text=True)
    )
    assert headline(page) == "The day is over" and rooms(page) == {}


def test_door_of_a_room_without_sessions(client, camp):
    room = Room(name="Lounge", position=9)
    camp.rooms.append(room)
    db.session.commit()
    page = client.get(f"/e/camp/rooms/{room.id}/door?at={DAY}T10:30").get_data(as_text=True)
    assert "Lounge" in page and "No sessions in this room." in page


def test_door_of_an_unknown_room_or_another_events_room_is_404(client, camp):
    other = Event(slug="other", name="Other", rooms=[Room(name="Elsewhere")])
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/e/camp/rooms/{other.rooms[0].id}/door").status_code == 404
    assert client.get("/e/camp/rooms/9999/door").status_code == 404
    assert client.get(f"/e/nope/rooms/{camp.rooms[0].id}/door").status_code == 404
    assert client.get("/e/nope/board").status_code == 404
    assert client.get("/e/nope/board.json").status_code == 404


def test_without_a_published_plan_the_screens_say_so(client, app):
    event = Event(slug="early", name="Early", rooms=[Room(name="Saal")])
    db.session.add(event)
    db.session.commit()
    for url in ("/e/early/board", f"/e/early/rooms/{event.rooms[0].id}/door"):
        response = client.get(url)
        assert response.status_code == 200
        assert headline(lxml.html.fromstring(response.get_data(as_text=True))) == (
            "Plan not published yet"
        )
    data = client.get("/e/early/board.json").get_json()
    assert data["version"] is None and data["sessions"] == []


def test_a_published_plan_without_sessions(client, camp):
    publish(camp, 2, {**plan(camp), "assignments": []})
    assert headline(board(client, f"{DAY}T10:30")) == "The plan holds no sessions."


def test_board_data_holds_the_published_sessions(client, camp):
    response = client.get("/e/camp/board.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    data = response.get_json()
    assert data["version"] == 1
    assert data["event"] == {"name": "Camp <Hessen>", "timezone": "Europe/Berlin"}
    assert data["rooms"] == [{"id": room.id, "name": room.name} for room in camp.rooms]
    double = next(item for item in data["sessions"] if item["title"] == "Doppelt gut")
    assert double == {
        "id": camp.talks[0].id,
        "title": "Doppelt gut",
        "hosts": ["Ada"],
        "language": "de",
        "room": camp.rooms[1].id,
        "start": f"{DAY}T10:00",
        "end": f"{DAY}T11:45",
        "cancelled": False,
    }
    assert len(data["sessions"]) == 6


def test_board_data_answers_304_until_a_new_version_is_published(client, camp):
    first = client.get("/e/camp/board.json")
    etag = first.headers["ETag"]
    again = client.get("/e/camp/board.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    publish(camp, 2, plan(camp, {"Erste Runde": (2, 0)}))
    changed = client.get("/e/camp/board.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["version"] == 2


def test_an_edited_title_changes_the_etag_too(client, camp):
    etag = client.get("/e/camp/board.json").headers["ETag"]
    camp.talks[1].title = "Erste Runde (neu)"
    db.session.commit()
    changed = client.get("/e/camp/board.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Erste Runde (neu)" in [item["title"] for item in changed.get_json()["sessions"]]


def test_the_page_carries_the_etag_of_the_data(client, camp):
    page = board(client, f"{DAY}T10:30")
    main = page.find(".//main")
    etag = client.get("/e/camp/board.json").headers["ETag"]
    assert f'"{main.get("data-etag")}"' == etag
    assert main.get("data-at") == f"{DAY}T10:30:00"
    assert main.get("data-source") == "/e/camp/board.json"
    assert main.get("data-label-break") == "Next at {time}"


def test_without_at_the_clock_is_the_events_and_not_frozen(client, camp, monkeypatch):
    monkeypatch.setattr("planner.web.moments.event_now", lambda event: datetime(2025, 3, 3, 11, 20))
    page = lxml.html.fromstring(client.get("/e/camp/board").get_data(as_text=True))
    assert page.find(".//main").get("data-at") is None
    assert rooms(page)["Saal A"] == ("Zweite Runde", "Nach dem Essen")


def test_at_with_an_offset_is_read_on_the_events_clock(client, camp):
    page = board(client, f"{DAY}T09:30%2B00:00")  # 09:30 UTC is 10:30 in Berlin
    assert page.xpath("string(//*[@data-part='clock'])") == "10:30"


@pytest.mark.parametrize("at", ["nonsense", "", "2025-13-01T10:00", "10:30"])
def test_a_malformed_at_is_refused(client, camp, at):
    for url in ("/e/camp/board", f"/e/camp/rooms/{camp.rooms[0].id}/door"):
        response = client.get(f"{url}?at={at}")
        assert response.status_code == 400
        assert "must be a date and time like 2025-03-03T14:00" in response.get_data(as_text=True)


def test_german_browser_gets_a_german_board(client, camp):
    response = client.get(f"/e/camp/board?at={DAY}T10:30", headers={"Accept-Language": "de"})
    page = response.get_data(as_text=True)
    assert 'lang="de"' in page and "Montag, 3. März" in page
    assert '<span class="tag">Jetzt</span>' in page


GERMAN_BROWSER = {"Accept-Language": "de-DE,de;q=0.9"}
ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def screen(client, url: str, browser: dict[str, str]) -> lxml.html.HtmlElement:
    response = client.get(url, headers=browser)
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def test_the_address_chooses_the_language_over_the_browser(client, camp):
    for url in ("/e/camp/board", f"/e/camp/rooms/{camp.rooms[0].id}/door"):
        english = screen(client, f"{url}?at={DAY}T10:30&lang=en", GERMAN_BROWSER)
        assert english.get("lang") == "en"
        assert english.find_class("date")[0].text == "Monday, March 3"
        assert english.find_class("tag")[0].text == "Now"
        german = screen(client, f"{url}?at={DAY}T10:30&lang=de", ENGLISH_BROWSER)
        assert german.get("lang") == "de"
        assert german.find_class("date")[0].text == "Montag, 3. März"
        assert german.find_class("tag")[0].text == "Jetzt"


def test_the_polled_data_keeps_the_chosen_language(client, camp):
    source = screen(client, "/e/camp/board?lang=en", GERMAN_BROWSER).find(".//main")
    assert source.get("data-source") == "/e/camp/board.json?lang=en"
    data = client.get("/e/camp/board.json?lang=en", headers=GERMAN_BROWSER)
    assert data.status_code == 200
    assert data.get_json() == client.get("/e/camp/board.json").get_json()
    # The document itself holds no words; what the answer does say follows the address too.
    missing = client.get("/e/gone/board.json?lang=en", headers=GERMAN_BROWSER)
    assert missing.status_code == 404 and missing.get_json()["error"] == "Page not found"
    missing = client.get("/e/gone/board.json?lang=de", headers=ENGLISH_BROWSER)
    assert missing.status_code == 404 and missing.get_json()["error"] == "Seite nicht gefunden"


def test_the_language_links_keep_the_frozen_moment(client, camp):
    page = screen(client, f"/e/camp/board?at={DAY}T10:30", ENGLISH_BROWSER)
    switch = page.find_class("languages")[0]
    assert switch.get("aria-label") == "Language"
    links = {link.get("lang"): link for link in switch.iter("a")}
    assert (links["de"].text, links["en"].text) == ("Deutsch", "English")
    assert links["en"].get("aria-current") == "true" and links["de"].get("aria-current") is None
    address = urlsplit(links["de"].get("href"))
    assert address.path == "/e/camp/board"
    assert parse_qs(address.query) == {"lang": ["de"], "at": [f"{DAY}T10:30"]}
    door = screen(client, f"/e/camp/rooms/{camp.rooms[0].id}/door", ENGLISH_BROWSER)
    assert [link.get("href") for link in door.find_class("languages")[0].iter("a")] == [
        f"/e/camp/rooms/{camp.rooms[0].id}/door?lang={code}" for code in ("de", "en")
    ]


def test_only_the_screens_take_a_known_language_from_the_address(client, camp):
    unknown = screen(client, "/e/camp/board?lang=fr", ENGLISH_BROWSER)
    assert unknown.get("lang") == "en"
    assert unknown.find(".//main").get("data-source") == "/e/camp/board.json"
    elsewhere = screen(client, "/e/camp/schedule?lang=en", GERMAN_BROWSER)
    assert elsewhere.get("lang") == "de", "other pages have the switch that stays"


def test_screen_rules_without_the_web(app, camp):
    entries = published_schedule(camp).entries
    moment = datetime(2025, 3, 3, 11, 50)
    assert screens.status_at(entries, moment) == (screens.BREAK, datetime(2025, 3, 3, 14, 0))
    assert screens.shown_day(entries, datetime(2025, 3, 3, 20, 0)) == date(2025, 3, 4)
    assert screens.shown_day(entries, datetime(2025, 3, 5, 9, 0)) is None
    line = screens.room_now(entries, camp.rooms[0], datetime(2025, 3, 3, 9, 0), date(2025, 3, 3))
    assert [entry.talk.title for entry in (line.next, *line.later)] == [
        "Erste Runde",
        "Zweite Runde",
        "Nach dem Essen",
    ]
    assert screens.status_at([], moment) == (screens.EMPTY, None)
    grid = screens.board_screen(entries, list(camp.rooms), datetime(2025, 3, 3, 10, 0))
    assert grid.columns == 2 and grid.status == screens.RUNNING


def test_the_etag_follows_the_content():
    document = {"version": 1, "sessions": [{"title": "Ä"}]}
    assert screens.document_etag(document) == screens.document_etag(dict(document))
    assert screens.document_etag(document) != screens.document_etag({**document, "version": 2})
