"""The event-day screens in real Chromium: they advance with the clock and take up a newly
published plan in place, without reloading; the demo's nine rooms fit every screen."""

from __future__ import annotations

import itertools
import os
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from planner.demo import load_demo
from planner.extensions import db
from planner.models import Event, PlanVersion, Room, Slot, Talk, utcnow
from planner.operations.transfer import to_problem
from planner.scheduler import dump_plan, solve

from .test_accessibility import violations

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder: also save the README's screenshots
# 10:30 in Berlin on 3 March 2025 (UTC+1); the browser itself runs in New York.
HALF_PAST_TEN = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
MINUTE = 60_000
SLUGS = itertools.count(1)


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png")


def publish(event: Event, number: int, places: dict[str, tuple[int, int]]) -> None:
    """Publish version `number`: talk title → (room index, slot index)."""
    talks = {talk.title: talk for talk in event.talks}
    document = {
        "format": "barcamp-planner/plan@1",
        "assignments": [
            {"session": talks[title].key, "room": event.rooms[r].key, "slot": event.slots[s].key}
            for title, (r, s) in places.items()
        ],
        "unscheduled": [],
        "metrics": {},
        "solver": {},
    }
    db.session.add(
        PlanVersion(event=event, number=number, document=document, published_at=utcnow())
    )
    db.session.commit()


FIRST_PLAN = {"Alpha": (0, 0), "Beta": (0, 1), "Gamma": (1, 0), "Delta": (1, 1)}


@pytest.fixture
def camp(live_app):
    """Saal X and Saal Y, 10:00–10:45 and 11:00–11:45 on 3 March 2025, a plan published.

    Yields (slug, room ids, publish(number, places)) so tests can publish again."""
    slug = f"screens-{next(SLUGS)}"
    with live_app.app_context():
        event = Event(slug=slug, name="Screen Camp", starts_on=date(2025, 3, 3))
        event.slots = [
            Slot(starts_at=datetime(2025, 3, 3, h, 0), ends_at=datetime(2025, 3, 3, h, 45))
            for h in (10, 11)
        ]
        event.rooms = [Room(name="Saal X", position=0), Room(name="Saal Y", position=1)]
        event.talks = [Talk(title=title, hosts=[f"Host {title}"]) for title in FIRST_PLAN]
        db.session.add(event)
        db.session.commit()
        publish(event, 1, FIRST_PLAN)
        rooms = [room.id for room in event.rooms]
        event_id = event.id
        db.session.remove()

    def republish(number: int, places: dict[str, tuple[int, int]]) -> None:
        with live_app.app_context():
            publish(db.session.get(Event, event_id), number, places)
            db.session.remove()

    return slug, rooms, republish


@pytest.fixture
def page(browser):
    """A 1920×1080 page in a browser that lives in another timezone than the event."""
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, timezone_id="America/New_York", locale="en-US"
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert errors == []  # the script never failed


def now_and_next(page, room_id: int) -> tuple[str, str]:
    tile = page.locator(f".tile[data-room='{room_id}']")
    now, upcoming = tile.locator(".now .title"), tile.locator(".next .title")
    return (
        now.inner_text() if now.count() else "",
        upcoming.inner_text() if upcoming.count() else "",
    )


def mark(page) -> None:
    """Leave a mark in the window: it survives anything but a navigation."""
    page.evaluate("window.__marker = 1")


def still_marked(page) -> bool:
    return page.evaluate("window.__marker") == 1


def test_board_advances_with_the_clock(page, live_url, camp):
    slug, (room_x, room_y), _republish = camp
    page.clock.install(time=HALF_PAST_TEN)
    page.goto(f"{live_url}/e/{slug}/board")
    assert now_and_next(page, room_x) == ("Alpha", "Beta")
    assert page.locator("[data-part=clock]").inner_text() == "10:30"
    mark(page)
    page.clock.fast_forward(20 * MINUTE)  # 10:50: between the slots
    page.wait_for_function(
        "() => document.querySelector('[data-part=clock]').textContent === '10:50'"
    )
    assert now_and_next(page, room_x) == ("", "Beta")
    assert page.locator("[data-part=headline]").inner_text() == "Next at 11:00"
    page.clock.fast_forward(15 * MINUTE)  # 11:05
    page.wait_for_function(
        "() => document.querySelector('[data-part=clock]').textContent === '11:05'"
    )
    assert now_and_next(page, room_x) == ("Beta", "")
    assert now_and_next(page, room_y) == ("Delta", "")
    assert page.locator(f".tile[data-room='{room_x}'] .done").inner_text() == "Nothing more today"
    page.clock.fast_forward(60 * MINUTE)  # 12:05: the day is over
    page.locator("[data-part=headline]").get_by_text("The day is over").wait_for()
    assert page.locator(".tile").count() == 0
    assert still_marked(page)


def test_board_takes_up_a_new_version_without_reloading(page, live_url, camp):
    slug, (room_x, room_y), republish = camp
    page.clock.install(time=HALF_PAST_TEN)
    page.goto(f"{live_url}/e/{slug}/board")
    assert now_and_next(page, room_x) == ("Alpha", "Beta")
    mark(page)
    with page.expect_response(lambda response: "board.json" in response.url) as poll:
        page.clock.run_for(30_000)
    assert poll.value.status == 304  # nothing new yet
    republish(2, {"Alpha": (1, 0), "Gamma": (0, 0), "Beta": (0, 1), "Delta": (1, 1)})
    with page.expect_response(lambda response: "board.json" in response.url) as poll:
        page.clock.run_for(30_000)
    assert poll.value.status == 200
    page.locator(f".tile[data-room='{room_x}'] .now .title").get_by_text("Gamma").wait_for()
    assert now_and_next(page, room_y) == ("Alpha", "Delta")
    assert still_marked(page)


def test_door_sign_shows_its_room_and_advances(page, live_url, camp):
    slug, (room_x, _room_y), _republish = camp
    page.clock.install(time=HALF_PAST_TEN)
    page.goto(f"{live_url}/e/{slug}/rooms/{room_x}/door")
    assert page.locator("h1").inner_text() == "Saal X"
    assert now_and_next(page, room_x) == ("Alpha", "Beta")
    assert "Gamma" not in page.locator("[data-part=tiles]").inner_text()
    mark(page)
    page.clock.fast_forward(20 * MINUTE)  # 10:50
    page.locator("[data-part=headline]").get_by_text("Next at 11:00").wait_for()
    assert now_and_next(page, room_x) == ("", "Beta")
    assert still_marked(page)


def test_a_frozen_moment_stays_put(page, live_url, camp):
    slug, (room_x, _room_y), _republish = camp
    page.clock.install(time=HALF_PAST_TEN)
    page.goto(f"{live_url}/e/{slug}/board?at=2025-03-03T11:10")
    page.clock.fast_forward(60 * MINUTE)
    assert page.locator("[data-part=clock]").inner_text() == "11:10"
    assert now_and_next(page, room_x)[0] == "Beta"


def test_the_language_links_switch_the_screen_and_what_it_polls(page, live_url, camp):
    slug, (room_x, room_y), republish = camp
    page.clock.install(time=HALF_PAST_TEN)
    page.goto(f"{live_url}/e/{slug}/board?at=2025-03-03T10:30")  # an English browser
    tag = page.locator(f".tile[data-room='{room_x}'] .now .tag")
    assert tag.text_content() == "Now"
    german = page.get_by_role("link", name="Deutsch")
    box = german.bounding_box()
    assert german.is_visible() and box["y"] + box["height"] <= 1080  # on the screen, no scroll
    with page.expect_navigation():
        german.click()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"lang": ["de"], "at": ["2025-03-03T10:30"]}
    assert page.locator("html").get_attribute("lang") == "de"
    assert tag.text_content() == "Jetzt"
    assert page.locator("[data-part=date]").inner_text() == "Montag, 3. März"
    assert page.get_by_role("link", name="Deutsch").get_attribute("aria-current") == "true"
    # A new version comes in German too: the script asks for it in the chosen language.
    republish(2, {"Alpha": (1, 0), "Gamma": (0, 0), "Beta": (0, 1), "Delta": (1, 1)})
    with page.expect_response(lambda response: "board.json" in response.url) as poll:
        page.clock.run_for(30_000)
    assert parse_qs(urlsplit(poll.value.url).query) == {"lang": ["de"]}
    page.locator(f".tile[data-room='{room_y}'] .now .title").get_by_text("Alpha").wait_for()
    assert tag.text_content() == "Jetzt"
    assert page.locator(f".tile[data-room='{room_y}'] .next .tag").text_content() == "Als Nächstes"
    page.get_by_role("link", name="English").click()
    page.locator("html[lang=en]").wait_for()
    assert tag.text_content() == "Now"


@pytest.fixture(scope="module")
def demo(live_app):
    """The demo barcamp (nine rooms, three slots today), solved and published: its slug, the
    day, and a room with a session in each slot (and its name)."""
    with live_app.app_context():
        event = load_demo()
        db.session.flush()
        plan = dump_plan(solve(to_problem(event), time_limit=1, workers=1))
        db.session.add(PlanVersion(event=event, number=1, document=plan, published_at=utcnow()))
        db.session.commit()
        used = Counter(item["room"] for item in plan["assignments"])
        full = next(room for room in event.rooms if used[room.key] == len(event.slots))
        demo = event.slug, event.slots[0].starts_at.date().isoformat(), full.id, full.name
        db.session.remove()
    return demo


OVERFLOWING = """() => [...document.querySelectorAll('.tile')].filter(tile => {
    const bottom = tile.getBoundingClientRect().bottom;
    return [...tile.children].some(child => child.getBoundingClientRect().bottom > bottom + 1);
}).length"""


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_nine_rooms_fit_without_scrolling(browser, live_url, demo, width, height):
    slug, day, _room, _name = demo
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_url}/e/{slug}/board?at={day}T14:30")
    assert page.locator(".tile").count() == 9
    assert page.locator(".tile.busy").count() >= 8
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert page.evaluate(OVERFLOWING) == 0
    if (width, height) == (1920, 1080):
        assert violations(page) == []  # WCAG 2.1 AA, contrast included
        shoot(page, "board")
    context.close()


def test_door_sign_of_a_demo_room(browser, live_url, demo):
    slug, day, room, name = demo
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{slug}/rooms/{room}/door?at={day}T13:45")
    assert page.locator("h1").inner_text() == name
    assert page.locator(".now .title").count() == 1
    assert page.locator(".later li").count() == 1
    assert page.evaluate("document.documentElement.scrollHeight") <= 800
    assert violations(page) == []
    shoot(page, "door-sign")
    context.close()
