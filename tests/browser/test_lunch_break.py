"""The whole lunch break in real Chromium: create an event, add rooms and slots, enter
pitches, vote from three phones, generate the plan, move a session, publish, print."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import login

PITCHES = [
    "Open Data im Landkreis — Anna Beispiel",
    "KI im Bürgerbüro — Jonas Weber",
    "E-Akte nach einem Jahr — Leyla Demir, Tim Hoffmann",
    "Barrierefreie Webseiten — Miriam Koch",
    "Smart City mit kleinem Budget — David Richter",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder: also save the README's screenshots


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def create_event(page, live_url) -> str:
    page.goto(f"{live_url}/organise/new")
    page.fill("#name", "Barcamp Mittagspause")
    page.fill("#starts_on", "2026-11-18")
    page.click("main form button[type=submit]")
    match = re.search(r"/organise/([^/]+)/$", page.url)
    assert match, page.url
    return match.group(1)


def add_slots_and_rooms(page, live_url, slug) -> None:
    page.goto(f"{live_url}/organise/{slug}/slots")
    page.fill("#day", "2026-11-18")
    page.fill("#first_start", "13:30")
    page.fill("#length", "40")
    page.fill("#pause", "10")
    page.fill("#count", "3")
    with page.expect_navigation():
        page.click("form[action$='/slots/generate'] button[type=submit]")
    assert page.locator("text=13:30").count() >= 1
    for name, seats, stream in (
        ("Plenum", "60", True),
        ("Raum A", "20", False),
        ("Raum B", "15", False),
    ):
        page.goto(f"{live_url}/organise/{slug}/rooms")
        page.fill("#name", name)
        page.fill("#capacity", seats)
        if stream:
            page.check("input[name=features][value=stream]")
        page.click("main form button[type=submit]")
    page.goto(f"{live_url}/organise/{slug}/rooms")
    assert page.locator("text=Raum B").count() >= 1


def enter_pitches(page, live_url, slug) -> None:
    page.goto(f"{live_url}/organise/{slug}/pitches")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'line'")
    for line in PITCHES:  # typed straight on: the field has focus and never reloads
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    recent = page.locator("ol.recent li")
    recent.nth(len(PITCHES) - 1).wait_for()
    typed = {text.split(" — ")[0].strip() for text in recent.all_inner_texts()}
    assert typed == {line.split(" — ")[0] for line in PITCHES}
    page.reload()
    assert page.locator("ol.recent li").count() == len(PITCHES)


def open_voting(page, live_url, slug) -> None:
    page.goto(f"{live_url}/organise/{slug}/")
    with page.expect_navigation():  # one plain button, next to the phases shown as steps
        page.click("form[action$='/phases/voting_open'] button")
    assert page.locator("form[action$='/phases/voting_open'] button").inner_text() == "End voting"


def vote_from_phones(browser, live_url, slug) -> list[list[str]]:
    orders = []
    for phone in range(3):
        context = browser.new_context(**PHONE, locale="de-DE")
        page = context.new_page()
        page.goto(f"{live_url}/e/{slug}/vote")
        titles = page.locator("li.talk h2").all_inner_texts()
        orders.append(titles)
        buttons = page.locator("form.mark button")
        for index in (0, phone % 2 + 1):
            buttons.nth(index).click()
            page.wait_for_function(
                f"() => document.querySelectorAll('form.mark button')[{index}]"
                ".getAttribute('aria-pressed') === 'true'"
            )
        page.reload()
        assert page.locator("form.mark button[aria-pressed=true]").count() == 2
        if phone == 0:
            shoot(page, "vote-phone")
        context.close()
    return orders


def generate_and_move(page, live_url, slug) -> None:
    page.goto(f"{live_url}/organise/{slug}/plan")
    with page.expect_navigation():  # the solve runs in the request here (tests: SOLVE_SYNC)
        page.click("form[action$='/plan/generate'] button")
    page.locator("table.board .talk").first.wait_for()
    assert page.locator("table.board .talk").count() == len(PITCHES)
    card = page.locator("table.board .talk").first
    talk_id = card.get_attribute("data-talk")
    free = page.locator("td.cell.free").first
    place = free.get_attribute("data-place")
    page.evaluate("window.stayedHere = true")
    with page.expect_response(lambda response: "/plan/move" in response.url):
        card.drag_to(free)
    page.wait_for_selector("#board-status:not([hidden])")
    assert page.evaluate("window.stayedHere") is True, "the board is redrawn in place"
    moved = page.locator(f"td[data-place='{place}'] .talk[data-talk='{talk_id}']")
    assert moved.count() == 1, "the dragged session sits in the cell it was dropped on"
    shoot(page, "planning-board")


def publish_and_print(page, live_url, slug) -> None:
    page.goto(f"{live_url}/organise/{slug}/plan")
    with page.expect_navigation():
        page.click("form[action$='/plan/publish'] button")
    assert "/versions/1" in page.url
    page.goto(f"{live_url}/e/{slug}/schedule/print")
    for line in PITCHES:
        assert page.locator(f"text={line.split(' — ')[0]}").count() >= 1
    shoot(page, "print-view")


@pytest.mark.browser
def test_the_whole_lunch_break(browser, live_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    login(page, live_url)
    slug = create_event(page, live_url)
    add_slots_and_rooms(page, live_url, slug)
    enter_pitches(page, live_url, slug)
    open_voting(page, live_url, slug)
    orders = vote_from_phones(browser, live_url, slug)
    assert sorted(orders[0]) == sorted(orders[1]) and len(orders[0]) == len(PITCHES)
    generate_and_move(page, live_url, slug)
    publish_and_print(page, live_url, slug)
    context.close()
