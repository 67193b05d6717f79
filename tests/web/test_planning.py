"""The planning board: generate, move, pin, re-plan, publish, import and export."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from datetime import datetime

import pytest

from planner.extensions import db
from planner.models import PlanVersion, Talk
from planner.operations import planning
from planner.operations.transfer import to_problem
from planner.scheduler import read_plan, violations

from .board_forms import board_form


@pytest.fixture
def board_url(demo_event):
    return f"/organise/{demo_event.slug}/plan"


@pytest.fixture
def generated(client, auth, demo_event, board_url):
    auth.login()
    response = client.post(f"{board_url}/generate", data=board_form(board_url))
    assert response.status_code == 302
    return planning.draft(demo_event)


def seen(event) -> str:
    """The draft revision a board drawn now sends with every change."""
    db.session.expire_all()
    return str(planning.revision(event))


def place_of(version, talk):
    return next(
        (
            (item["room"], item["slot"])
            for item in version.document["assignments"]
            if item["session"] == talk.key
        ),
        None,
    )


def test_board_needs_the_organiser(client, board_url):
    response = client.get(board_url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"{board_url}/generate", data=board_form(board_url)).status_code == 302
    assert planning.draft  # nothing generated
    assert db.session.scalar(db.select(db.func.count(PlanVersion.id))) == 0


def test_generate_shows_the_grid_and_figures(client, generated, demo_event, board_url):
    page = client.get(board_url).get_data(as_text=True)
    assert generated.document["metrics"]["scheduled"] == 25
    assert "Plenarsaal" in page and "Raum Gießen" in page
    assert all(talk.title in page for talk in demo_event.active_talks)
    problem = to_problem(demo_event)
    assert violations(problem, read_plan(json.dumps(generated.document), problem)) == []


def test_move_onto_another_session_swaps_them(client, generated, demo_event, board_url):
    placed = {item["session"] for item in generated.document["assignments"]}
    hosting = Counter(host for talk in demo_event.talks for host in talk.hosts)
    plain = [  # nothing keeps these from trading places
        talk
        for talk in demo_event.talks
        if talk.key in placed
        and talk.length == 1
        and not talk.needs
        and not talk.unavailable
        and all(hosting[host] == 1 for host in talk.hosts)
    ]
    talk, other = (
        plain[0],
        next(
            other
            for other in plain[1:]
            if place_of(generated, other)[1] != place_of(generated, plain[0])[1]
            and other.hosts != plain[0].hosts
        ),
    )
    before, target = place_of(generated, talk), place_of(generated, other)
    response = client.post(
        f"{board_url}/move",
        data={"talk": talk.id, "place": "|".join(target), "revision": seen(demo_event)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    draft = planning.draft(demo_event)
    assert place_of(draft, talk) == target and place_of(draft, other) == before
    assert draft.document["solver"]["status"] == "EDITED"


def test_move_breaking_a_rule_is_refused_and_nothing_changes(
    client, generated, demo_event, board_url
):
    workshop = next(talk for talk in demo_event.talks if "whiteboard" in talk.needs)
    room = next(room for room in demo_event.rooms if "whiteboard" not in room.features)
    before = dict(generated.document)
    response = client.post(
        f"{board_url}/move",
        follow_redirects=True,
        data={
            "talk": workshop.id,
            "place": f"{room.key}|{demo_event.slots[0].key}",
            "revision": seen(demo_event),
        },
    )
    page = response.get_data(as_text=True)
    card = page[page.index(f'id="talk-{workshop.id}"') :]
    card = card[: card.index("</article>")]
    # The reason stands next to the session and names what is missing.
    assert f"needs a whiteboard; room {room.name} has none." in card
    db.session.expire_all()
    assert planning.draft(demo_event).document["assignments"] == before["assignments"]


def test_take_out_of_the_plan(client, generated, demo_event, board_url):
    talk = next(
        talk
        for talk in demo_event.talks
        if talk.key == generated.document["assignments"][0]["session"]
    )
    client.post(
        f"{board_url}/move", data={"talk": talk.id, "place": "", "revision": seen(demo_event)}
    )
    db.session.expire_all()
    assert talk.key in planning.draft(demo_event).document["unscheduled"]
    page = client.get(board_url).get_data(as_text=True)
    # its own place is free again: the board says so, not "every place is taken"
    assert f"„{talk.title}“ is not in the plan, but" in page and "Drag it there" in page
    assert "every room and time it may use is taken" not in page


def test_pin_and_replan_keeps_the_pin(client, generated, demo_event, board_url):
    talk = next(
        talk
        for talk in demo_event.talks
        if talk.key == generated.document["assignments"][3]["session"]
    )
    place = place_of(generated, talk)
    client.post(
        f"{board_url}/pin", data={"talk": talk.id, "pinned": "1", "revision": seen(demo_event)}
    )
    db.session.expire_all()
    assert db.session.get(Talk, talk.id).pinned_room.key == place[0]
    response = client.post(f"{board_url}/replan", data=board_form(board_url), follow_redirects=True)
    assert "Moved" in response.get_data(as_text=True) or response.status_code == 200
    db.session.expire_all()
    assert place_of(planning.draft(demo_event), talk) == place
    client.post(
        f"{board_url}/pin", data={"talk": talk.id, "pinned": "0", "revision": seen(demo_event)}
    )
    db.session.expire_all()
    assert db.session.get(Talk, talk.id).pinned_room is None


def test_infeasible_pins_leave_the_draft_untouched(client, generated, demo_event, board_url):
    first, second = demo_event.talks[0], demo_event.talks[1]
    for talk in (first, second):
        talk.pinned_room, talk.pinned_slot = demo_event.rooms[0], demo_event.slots[0]
    db.session.commit()
    before = generated.document
    response = client.post(
        f"{board_url}/generate", data=board_form(board_url), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "No plan is possible" in page and "same room" in page and first.title in page
    db.session.expire_all()
    assert planning.draft(demo_event).document == before


def test_board_says_whether_the_draft_is_published_yet(client, generated, board_url):
    page = client.get(board_url).get_data(as_text=True)
    assert "Not published yet" in page
    assert "placed differently" not in page  # nothing to differ from
    client.post(f"{board_url}/publish", data=board_form(board_url))
    page = client.get(board_url).get_data(as_text=True)
    assert "Not published yet" not in page and "Changes not yet published" not in page


def test_board_names_room_features_in_the_readers_words(client, generated, board_url):
    page = client.get(board_url).get_data(as_text=True)
    assert "Step-free access" in page and "Live stream" in page
    assert "accessible" not in page


def test_board_figures_follow_a_withdrawal_after_the_draft(
    client, generated, demo_event, board_url
):
    talk = demo_event.active_talks[0]
    client.post(f"/organise/{demo_event.slug}/talks/{talk.id}/withdraw")
    page = client.get(board_url).get_data(as_text=True)
    assert "<dd>24 / 24</dd>" in page  # not the stored 25 of a draft made before
    assert f'id="talk-{talk.id}"' not in page


def test_publishing_says_what_it_did_and_the_board_lists_the_versions(client, generated, board_url):
    first = client.post(
        f"{board_url}/publish", data=board_form(board_url), follow_redirects=True
    ).get_data(as_text=True)
    assert "Version 1 is published: attendees, screens and calendars show it now." in first
    again = client.post(
        f"{board_url}/publish", data=board_form(board_url), follow_redirects=True
    ).get_data(as_text=True)
    assert "Nothing to publish: version 1 already has this plan." in again
    assert (
        db.session.scalar(
            db.select(db.func.count(PlanVersion.id)).where(PlanVersion.published_at.is_not(None))
        )
        == 1
    )
    page = client.get(board_url).get_data(as_text=True)
    assert "Published versions" in page and f'href="{board_url}/versions/1"' in page
    assert "good plan found" in page and "FEASIBLE" not in page


def test_a_german_board_counts_whole_people(client, generated, board_url):
    page = client.get(board_url, headers={"Accept-Language": "de"}).get_data(as_text=True)
    missed = re.search(r"Verpasste Besuche</dt><dd>([^<]+)</dd>", page).group(1)
    assert re.fullmatch(r"\d+", missed), missed  # the demo misses a few hundred


def test_publish_twice_shows_what_changed(client, generated, demo_event, board_url):
    response = client.post(f"{board_url}/publish", data=board_form(board_url))
    assert response.status_code == 302 and response.headers["Location"].endswith("/versions/1")
    talk = next(
        talk
        for talk in demo_event.talks
        if talk.key == generated.document["assignments"][0]["session"]
    )
    client.post(
        f"{board_url}/move", data={"talk": talk.id, "place": "", "revision": seen(demo_event)}
    )
    client.post(f"{board_url}/publish", data=board_form(board_url))
    page = client.get(f"{board_url}/versions/2").get_data(as_text=True)
    assert talk.title in page
    db.session.expire_all()
    first = db.session.scalar(db.select(PlanVersion).where(PlanVersion.number == 1))
    assert any(item["session"] == talk.key for item in first.document["assignments"])


def test_publish_without_a_plan_says_so(client, auth, demo_event, board_url):
    auth.login()
    page = client.post(
        f"{board_url}/publish", data=board_form(board_url), follow_redirects=True
    ).get_data(as_text=True)
    assert "generate one first" in page


def test_export_and_reimport_the_plan(client, generated, demo_event, board_url):
    slug = demo_event.slug
    exported = client.get(f"/organise/{slug}/export/plan.json")
    assert exported.status_code == 200 and exported.json["format"] == "barcamp-planner/plan@1"
    event_file = client.get(f"/organise/{slug}/export/event.json").json
    assert len(event_file["sessions"]) == 25
    response = client.post(
        f"/organise/{slug}/import/plan",
        data={"document": (io.BytesIO(exported.data), "plan.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_import_of_a_broken_plan_changes_nothing(client, generated, demo_event, board_url):
    document = dict(generated.document)
    first = document["assignments"][0]
    document["assignments"] = [
        *document["assignments"],
        {**first, "session": document["assignments"][1]["session"]},
    ]
    before = generated.document
    response = client.post(
        f"/organise/{demo_event.slug}/import/plan",
        follow_redirects=True,
        data={"document": (io.BytesIO(json.dumps(document).encode()), "p.json")},
        content_type="multipart/form-data",
    )
    assert "nothing changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert planning.draft(demo_event).document == before


def test_import_event_file_creates_an_event(client, auth, demo_event):
    auth.login()
    document = client.get(f"/organise/{demo_event.slug}/export/event.json").data
    response = client.post(
        "/organise/import",
        data={"document": (io.BytesIO(document), "e.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "/plan" in response.headers["Location"]


def test_import_of_garbage_is_refused(client, auth):
    auth.login()
    response = client.post(
        "/organise/import",
        follow_redirects=True,
        data={"document": (io.BytesIO(b"{nope"), "e.json")},
        content_type="multipart/form-data",
    )
    assert "not valid JSON" in response.get_data(as_text=True)


def test_every_planning_route_sends_strangers_to_the_login(app, client, demo_event):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("planning.")]
    assert len(rules) >= 10
    for rule in rules:
        values = {"slug": demo_event.slug, "number": 1}
        url = rule.build(values, append_unknown=False)[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            assert response.status_code == 302, (rule.endpoint, method)
            assert "/login" in response.headers["Location"], (rule.endpoint, method)


def test_a_german_organiser_reads_the_rules_in_german(client, generated, demo_event, board_url):
    first, second = demo_event.talks[0], demo_event.talks[1]
    for talk in (first, second):
        talk.pinned_room, talk.pinned_slot = demo_event.rooms[0], demo_event.slots[0]
    db.session.commit()
    german = {"Accept-Language": "de-DE"}
    client.post(f"{board_url}/generate", data=board_form(board_url), headers=german)
    page = client.get(board_url, headers=german).get_data(as_text=True)
    assert "Kein Plan ist möglich" in page and "im selben Raum" in page


def test_a_session_no_room_can_take_is_explained_on_the_board(client, auth, demo_event, board_url):
    talk = demo_event.talks[0]
    talk.needs = ["laser"]
    db.session.commit()
    auth.login()
    client.post(f"{board_url}/generate", data=board_form(board_url))
    page = client.get(board_url).get_data(as_text=True)
    assert "no room has everything it needs (laser)" in page
    german = client.get(board_url, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "kein Raum hat alles" in german


def test_version_page_shows_publishing_time_on_the_events_clock(client, generated, board_url):
    client.post(f"{board_url}/publish", data=board_form(board_url))
    version = db.session.scalar(db.select(PlanVersion).where(PlanVersion.number == 1))
    version.published_at = datetime(2026, 7, 1, 10, 5)  # UTC; Berlin is two hours ahead
    db.session.commit()
    page = client.get(f"{board_url}/versions/1").get_data(as_text=True)
    assert "Published on Jul 1, 2026, 12:05:00" in page
    german = client.get(f"{board_url}/versions/1", headers={"Accept-Language": "de"})
    assert "Veröffentlicht am 01.07.2026, 12:05:00" in german.get_data(as_text=True)


def board_revision(client, board_url) -> int:
    """The revision the board page sends back with every change."""
    page = client.get(board_url).get_data(as_text=True)
    values = set(re.findall(r'name="revision" value="(\d+)"', page))
    assert len(values) == 1, "every form of the board sends the same revision"
    return int(values.pop())


def test_a_change_from_an_outdated_board_is_refused(client, generated, demo_event, board_url):
    seen = board_revision(client, board_url)
    seen_places = re.search(
        r'name="places" value="([^"]*)"', client.get(board_url).get_data(as_text=True)
    ).group(1)
    first, second = [talk for talk in demo_event.talks if place_of(generated, talk)][:2]
    # Another organiser takes the first session out of the plan.
    other_window = client.post(
        f"{board_url}/move", data={"talk": first.id, "place": "", "revision": str(seen)}
    )
    assert other_window.status_code == 302
    assert board_revision(client, board_url) == seen + 1
    db.session.expire_all()
    before = planning.draft(demo_event).document
    # This organiser, on the older board, moves the second one: refused, nothing changes,
    # and the answer says what changed meanwhile.
    response = client.post(
        f"{board_url}/move",
        data={"talk": second.id, "place": "", "revision": str(seen), "places": seen_places},
        follow_redirects=True,
    )
    answer_page = response.get_data(as_text=True)
    assert "changed in another window or by another organiser" in answer_page
    assert f"Meanwhile “{first.title}” was taken out of the plan." in answer_page.replace(
        "&#34;", '"'
    )
    db.session.expire_all()
    assert planning.draft(demo_event).document == before
    answer = client.post(
        f"{board_url}/move",
        data={"talk": second.id, "place": "", "revision": str(seen)},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 409 and "another organiser" in answer.json["errors"][0]
    for action in ("publish", "generate", "replan"):
        client.post(f"{board_url}/{action}", data={"revision": str(seen)})
    client.post(f"{board_url}/pin", data={"talk": second.id, "pinned": "1", "revision": "0"})
    db.session.expire_all()
    assert planning.draft(demo_event).document == before, "no stale action applied"
    assert db.session.scalar(db.select(db.func.count(PlanVersion.id))) == 1, "not published"
    # With the current revision the same move goes through.
    current = board_revision(client, board_url)
    client.post(
        f"{board_url}/move", data={"talk": second.id, "place": "", "revision": str(current)}
    )
    db.session.expire_all()
    assert place_of(planning.draft(demo_event), second) is None
