"""Accessibility in real Chromium: axe-core (from npm, pinned in package-lock.json) checks
every kind of page against WCAG 2.1 A and AA, public and organiser pages, in German."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.extensions import db
from planner.models import PlanVersion, utcnow
from planner.operations.transfer import to_problem
from planner.scheduler import dump_plan, solve

from .conftest import login

AXE = Path(__file__).parents[2] / "node_modules/axe-core/axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(live_app):
    """The demo barcamp with its plan published; the slug and a session, a room id."""
    from planner.demo import load_demo

    with live_app.app_context():
        event = load_demo()
        event.proposals_open = True
        document = dump_plan(solve(to_problem(event), time_limit=1, workers=1))
        db.session.add(PlanVersion(event=event, number=1, document=document, published_at=utcnow()))
        db.session.commit()
        return {"slug": event.slug, "talk": event.talks[0].id, "room": event.rooms[0].id}


def public_pages(demo) -> list[str]:
    slug = demo["slug"]
    return [
        "/",
        f"/e/{slug}/",
        f"/e/{slug}/vote",
        f"/e/{slug}/propose",
        f"/e/{slug}/schedule",
        f"/e/{slug}/schedule/print",
        f"/e/{slug}/sessions/{demo['talk']}",
        f"/e/{slug}/agenda",
        f"/e/{slug}/board",
        f"/e/{slug}/rooms/{demo['room']}/door",
        "/login",
    ]


def organiser_pages(demo) -> list[str]:
    slug = demo["slug"]
    return [
        "/organise/",
        "/organise/new",
        f"/organise/{slug}/",
        f"/organise/{slug}/settings",
        f"/organise/{slug}/rooms",
        f"/organise/{slug}/rooms/{demo['room']}",
        f"/organise/{slug}/slots",
        f"/organise/{slug}/pitches",
        f"/organise/{slug}/proposals",
        f"/organise/{slug}/talks/{demo['talk']}",
        f"/organise/{slug}/hands",
        f"/organise/{slug}/plan",
        f"/organise/{slug}/plan/versions/1",
        f"/organise/{slug}/plan/generate",
        f"/organise/{slug}/talks/{demo['talk']}/withdraw",
        f"/organise/{slug}/codes",
        f"/organise/{slug}/codes/labels",
        f"/organise/{slug}/team",
        "/organise/restore",
        "/account",
    ]


def violations(page) -> list[str]:
    """axe-core's WCAG findings on the page, one readable line each."""
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy rightly
    # refuses an injected <script>, but not the test's own tooling.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + ", ".join(str(node["target"]) for node in item["nodes"][:3])
        for item in result["violations"]
    ]


def check(page, live_url, paths) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(f"{live_url}{path}")
        assert response.ok, f"{path}: {response.status}"
        assert page.url == f"{live_url}{path}", f"{path} redirected to {page.url}"
        problems = violations(page)
        if problems:
            found[path] = problems
    return found


def test_public_pages_pass_axe(browser, live_url, demo):
    # A desktop and a phone: the plan shows a grid on one and a list on the other.
    for options in (
        {"viewport": {"width": 1280, "height": 900}},
        {"viewport": {"width": 390, "height": 844}},
    ):
        context = browser.new_context(locale="de-DE", **options)
        page = context.new_page()
        assert check(page, live_url, public_pages(demo)) == {}
        context.close()


def test_organiser_pages_pass_axe(browser, live_url, demo):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_url)
    assert check(page, live_url, organiser_pages(demo)) == {}
    context.close()


def test_everything_works_with_the_keyboard_alone(browser, live_url, demo):
    """Tab reaches the vote buttons, and Enter marks a session, without a mouse."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_url}/e/{demo['slug']}/vote")
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('form.mark') !== null")
        if focused:
            break
    assert focused, "Tab reaches the first mark button"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-pressed') === 'true'")
    context.close()


def test_the_checker_finds_known_problems(browser):
    """Guard against a silent checker: an unlabelled field and pale text must be found."""
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><input type="text">'
        '<p style="color:#aaa;background:#fff">pale</p></main></body></html>'
    )
    found = " ".join(violations(page))
    assert "label" in found and "color-contrast" in found
    page.close()
