"""An attendee's day on a phone in real Chromium: mark sessions, see them in the agenda,
choose between two that clash, follow now and next, switch the language, open a session."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from planner.extensions import db
from planner.models import Event, PlanVersion, Room, Slot, Talk, utcnow

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder: also save the README's screenshots

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def camp(live_app) -> str:
    """A published plan: Open Data and KI clash at 13:30, E-Akte follows at 14:20."""
    with live_app.app_context():
        day = date(2026, 11, 18)
        event = Event(slug="herbstcamp", name="Herbstcamp Verwaltung", venue="Stadthalle")
        event.starts_on = day
        event.voting_open = True
        event.slots = [
            Slot(starts_at=datetime(2026, 11, 18, 13, 30), ends_at=datetime(2026, 11, 18, 14, 10)),
            Slot(starts_at=datetime(2026, 11, 18, 14, 20), ends_at=datetime(2026, 11, 18, 15, 0)),
        ]
        event.rooms = [
            Room(name="Plenum", capacity=80, stream_url="https://stream.example.org/plenum"),
            Room(name="Raum A", capacity=20, position=1),
        ]
        event.talks = [
            Talk(title="Open Data im Landkreis", hosts=["Anna Beispiel"]),
            Talk(title="KI im Bürgerbüro", hosts=["Jonas Weber"]),
            Talk(title="E-Akte nach einem Jahr", hosts=["Leyla Demir", "Tim Hoffmann"]),
            Talk(title="Barrierefreie Webseiten", hosts=["Miriam Koch"]),
        ]
        db.session.add(event)
        db.session.flush()
        (first, second), (plenum, room_a) = event.slots, event.rooms
        places = [(plenum, first), (room_a, first), (plenum, second), (room_a, second)]
        assignments = [
            {"session": talk.key, "room": room.key, "slot": slot.key}
            for talk, (room, slot) in zip(event.talks, places, strict=True)
        ]
        db.session.add(
            PlanVersion(
                event=event,
                number=1,
                document={"format": "barcamp-planner/plan@1", "assignments": assignments},
                published_at=utcnow(),
            )
        )
        db.session.commit()
        return event.slug


def test_agenda_on_a_phone(browser, live_url, camp):
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{camp}/vote")
    for title in ("Open Data im Landkreis", "KI im Bürgerbüro", "E-Akte nach einem Jahr"):
        button = page.locator("li.talk", has_text=title).locator("form.mark button")
        button.click()
        page.wait_for_function(
            "button => button.getAttribute('aria-pressed') === 'true'", arg=button.element_handle()
        )

    page.goto(f"{live_url}/e/{camp}/agenda?at=2026-11-18T13:45")
    assert page.locator("h1").inner_text() == "Meine Agenda"
    now = page.locator(".now-line")
    assert "Open Data im Landkreis" in now.inner_text() and "KI im Bürgerbüro" in now.inner_text()
    assert "14:20" in page.locator(".next-line").inner_text()
    assert page.locator(".agenda-item.undecided").count() == 2
    no_sideways_scrolling(page)

    # Choose with the keyboard: focus the button and press Enter.
    title = page.get_by_role("heading", name="KI im Bürgerbüro")
    choice = page.locator(".agenda-item", has=title).locator("button")
    choice.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "KI im Bürgerbüro" in now.inner_text()
    assert "Open Data" not in now.inner_text()
    assert page.url.endswith("#talk-2")
    below_the_sticky_bar(page, ".now-next", "#talk-2")
    assert page.locator(".agenda-item.skipped").inner_text().startswith("13:30")
    assert page.locator(".agenda-item.going").count() == 2
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/agenda-phone.png", full_page=True)

    # The feed and the private link are on the page, ready to copy.
    assert page.locator(".agenda-links a[href*='/agenda/move/']").count() == 1
    assert page.locator(".agenda-links a[href^='http'][href$='.ics']").count() == 1
    assert page.locator(".agenda-links a[href^='webcal://'][href$='.ics']").count() == 1

    # A session's page, with the stream of its room.
    page.locator(".agenda-item.going a", has_text="E-Akte nach einem Jahr").click()
    assert page.locator("h1").inner_text() == "E-Akte nach einem Jahr"
    stream = page.locator("a[href='https://stream.example.org/plenum']")
    assert stream.count() == 1 and "Plenum" in stream.inner_text()
    context.close()


def test_language_switch_keeps_the_page(browser, live_url, camp):
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{camp}/agenda?at=2026-11-18T13:45")
    assert page.locator("html").get_attribute("lang") == "de"
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.url.endswith("/agenda?at=2026-11-18T13:45")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "My agenda"
    page.goto(f"{live_url}/e/{camp}/schedule")  # the choice holds on every page
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.locator(".language-switch button[value=de]").click()
    assert page.locator("h1").inner_text().startswith("Plan")
    assert page.locator("html").get_attribute("lang") == "de"
    context.close()


def no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"


def mark_button(page, title: str):
    """The mark button of the session `title` on the voting page."""
    return page.locator("li.talk", has_text=title).locator("form.mark button")


def wait_pressed(button, pressed: str) -> None:
    """Wait until the server's answer shows on `button`: pressed "true" or "false"."""
    button.page.wait_for_function(
        "([button, pressed]) => button.getAttribute('aria-pressed') === pressed"
        " && !button.hasAttribute('aria-busy')",
        arg=[button.element_handle(), pressed],
    )


def on_agenda(page, live_url: str, slug: str, title: str) -> bool:
    """Whether the server holds `title` as marked by this page's device."""
    page.goto(f"{live_url}/e/{slug}/agenda")
    return page.locator(".agenda-item", has_text=title).count() == 1


def test_a_page_restored_by_the_back_button_never_unmarks(browser, live_url, camp):
    """The voting page as it was first loaded, marked meanwhile, comes back with the back
    button (from the browser's cache, as a phone may do): its "Mark" marks, never unmarks."""
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    url = f"{live_url}/e/{camp}/vote"
    first = page.goto(url).text()
    button = mark_button(page, "Barrierefreie Webseiten")
    assert button.inner_text() == "Merken"
    button.click()
    wait_pressed(button, "true")
    page.goto(f"{live_url}/e/{camp}/schedule")
    # The back button restores the page as first loaded, without asking the server.
    page.route(url, lambda route: route.fulfill(body=first, content_type="text/html"))
    page.go_back()
    page.unroute(url)
    button = mark_button(page, "Barrierefreie Webseiten")
    assert button.inner_text() == "Merken", "the restored page is the old one"
    button.click()
    wait_pressed(button, "true")
    assert on_agenda(page, live_url, camp, "Barrierefreie Webseiten")
    context.close()


def test_a_second_tab_never_unmarks(browser, live_url, camp):
    """Two tabs of one phone: a mark made in one, then "Mark" tapped in the other."""
    context = browser.new_context(**PHONE, locale="de-DE")
    old, new = context.new_page(), context.new_page()
    for tab in (old, new):
        tab.goto(f"{live_url}/e/{camp}/vote")
    marked_in_new = mark_button(new, "E-Akte nach einem Jahr")
    marked_in_new.click()
    wait_pressed(marked_in_new, "true")
    stale = mark_button(old, "E-Akte nach einem Jahr")
    assert stale.get_attribute("aria-pressed") == "false"
    stale.click()
    wait_pressed(stale, "true")
    stale.click()  # now it shows the mark, so the next tap takes it back
    wait_pressed(stale, "false")
    assert not on_agenda(old, live_url, camp, "E-Akte nach einem Jahr")
    context.close()


def test_a_page_from_the_back_forward_cache_reloads(browser, live_url, camp):
    """A voting page the browser kept in memory shows old marks: it asks the server again."""
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{camp}/vote")
    with page.expect_navigation():
        page.evaluate(
            "window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
        )
    context.close()


def set_voting(live_app, slug: str, open_: bool) -> None:
    """Open or close voting of the event `slug`, as an organiser would meanwhile."""
    with live_app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        event.voting_open = open_
        db.session.commit()


def test_a_refused_tap_says_why_and_keeps_the_page(browser, live_app, live_url, camp):
    """Voting closed while the page was open: the tap tells so, the page stays as it was."""
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{camp}/vote")
    page.evaluate("window.notReloaded = true")
    button = mark_button(page, "Open Data im Landkreis")
    set_voting(live_app, camp, False)
    try:
        button.click()
        problem = page.locator("#vote-problem")
        problem.filter(has_text="Die Abstimmung ist geschlossen.").wait_for()
        assert problem.is_visible() and problem.get_attribute("role") == "alert"
        assert page.evaluate("window.notReloaded"), "the page was not reloaded"
        assert button.get_attribute("aria-pressed") == "false"
        assert button.get_attribute("aria-busy") is None and button.inner_text() == "Merken"
    finally:
        set_voting(live_app, camp, True)
    button.click()  # open again: the same tap now marks, and the message goes
    wait_pressed(button, "true")
    assert problem.inner_text() == "" and problem.bounding_box()["height"] == 0
    context.close()


def test_an_answer_that_says_nothing_reloads(browser, live_url, camp):
    """A proxy's error page instead of the planner's answer: the page asks the server again."""
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{camp}/vote")
    page.route("**/vote/*", lambda route: route.fulfill(status=502, body="<h1>Bad Gateway</h1>"))
    with page.expect_navigation():
        mark_button(page, "Open Data im Landkreis").click()
    context.close()


def test_an_old_answer_arriving_last_does_not_set_the_count(browser, live_url, camp):
    """Two taps; the first one's answer is held back until the second's has arrived."""
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{camp}/vote")
    first, second = (f"/vote/{n}" for n in page.evaluate(TALK_IDS)[:2])
    held = []
    # The first tap reaches the server; its answer waits here.
    page.route(f"**{first}", lambda route: held.append((route, route.fetch())))
    page.locator(f"form[action$='{first}'] button").click()
    for _wait in range(2400):  # up to two minutes on a loaded machine; usually one round
        if held:
            break
        page.wait_for_timeout(50)  # lets the route handler run
    assert held, "the first tap reached the server"
    later = page.locator(f"form[action$='{second}'] button")
    later.click()
    wait_pressed(later, "true")
    assert page.locator("#mark-count").inner_text() == "2"
    route, response = held[0]
    route.fulfill(response=response)  # the first tap's answer: "marked, 1 in all"
    wait_pressed(page.locator(f"form[action$='{first}'] button"), "true")
    assert page.locator("#mark-count").inner_text() == "2"
    context.close()


TALK_IDS = """() => Array.from(document.querySelectorAll('form.mark'))
  .map(form => form.action.split('/').pop())"""


def test_the_code_field_is_a_normal_field_on_a_phone(browser, live_app, live_url):
    """The voting code is typed on a phone: full width, and a 16 px font so iOS does not zoom."""
    with live_app.app_context():
        event = Event(slug="codecamp", name="Codecamp", voting_open=True)
        event.voting_codes_required = True
        db.session.add(event)
        db.session.commit()
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/codecamp/vote")
    code = page.locator("#code")
    style = code.evaluate(
        "field => { const s = getComputedStyle(field);"
        " return {font: parseFloat(s.fontSize), border: s.borderTopColor}; }"
    )
    box = code.bounding_box()
    assert style["font"] >= 16 and box["width"] > 300 and box["height"] >= 40, (style, box)
    assert style["border"] == "rgb(87, 96, 106)", "the form fields' border (--muted)"
    assert code.get_attribute("autocapitalize") == "characters"
    context.close()


def below_the_sticky_bar(page, bar: str, target: str) -> None:
    """The anchored element `target` starts below the sticky `bar`, not hidden under it."""
    page.wait_for_function("() => document.readyState === 'complete'")
    bottom = page.locator(bar).bounding_box()
    top = page.locator(target).bounding_box()
    assert page.evaluate("window.scrollY") > 0, "the page scrolled to the anchor"
    assert top["y"] >= bottom["y"] + bottom["height"], (bottom, top)


def test_saving_where_i_take_part_shows_the_question_below_the_bar(browser, live_app, live_url):
    with live_app.app_context():
        event = Event(slug="longcamp", name="Langes Camp", voting_open=True)
        event.talks = [Talk(title=f"Thema {n}", hosts=["Host"]) for n in range(12)]
        db.session.add(event)
        db.session.commit()
    context = browser.new_context(**PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/longcamp/vote")
    page.get_by_label("Ich nehme online teil").check()
    with page.expect_navigation():
        page.locator("#where button").click()
    assert page.url.endswith("#where")
    below_the_sticky_bar(page, ".vote-bar", "#where legend")
    context.close()
