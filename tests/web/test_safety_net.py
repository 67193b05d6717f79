"""The safety net of a published plan: publishing comes first on the board, re-solving keeps
the published places and waits to be looked at, every draft change can be undone, and the
draft can be reset to any published version."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from planner.extensions import db
from planner.models import Ballot, SolveJob
from planner.operations import planning

from .board_forms import board_form
from .test_planning import place_of


@pytest.fixture
def board_url(demo_event):
    return f"/organise/{demo_event.slug}/plan"


@pytest.fixture
def published(client, auth, demo_event, board_url):
    """Generated and published as version 1."""
    auth.login()
    assert client.post(f"{board_url}/generate", data=board_form(board_url)).status_code == 302
    assert client.post(f"{board_url}/publish", data=board_form(board_url)).status_code == 302
    db.session.expire_all()
    return planning.draft(demo_event)


def first_button(page: str) -> str:
    """The text of the first (most prominent, filled) button in the board's actions."""
    actions = page.split('class="actions"')[1].split("</section>")[0]
    for part in actions.split("<button")[1:]:
        tag, _sep, rest = part.partition(">")
        if "secondary" not in tag and "undo-button" not in tag:
            return rest.split("</button>")[0].strip()
    raise AssertionError("no primary button")


def talk_at(demo_event, document, index):
    key = document["assignments"][index]["session"]
    return next(talk for talk in demo_event.talks if talk.key == key)


def test_before_publishing_generating_comes_first(client, auth, board_url):
    auth.login()
    assert first_button(client.get(board_url).get_data(as_text=True)) == "Generate plan"


def test_after_publishing_publishing_comes_first(client, published, board_url):
    page = client.get(board_url).get_data(as_text=True)
    assert first_button(page) == "Publish the draft"
    assert "Improve, keeping the published plan" in page
    # Planning anew is a link to a question, not a button that solves at once.
    assert f'href="{board_url}/generate"' in page
    question = client.get(f"{board_url}/generate").get_data(as_text=True)
    assert "many published sessions may move" in question


def test_a_full_replan_waits_and_says_how_many_would_move(client, published, demo_event, board_url):
    before = dict(published.document)
    response = client.post(
        f"{board_url}/generate", data=board_form(board_url), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    db.session.expire_all()
    assert planning.draft(demo_event).document == before  # nothing replaced yet
    assert "With this plan" in page and "Take the new plan" in page
    job = db.session.scalar(db.select(SolveJob).order_by(SolveJob.id.desc()))
    waiting = planning.proposal(demo_event, job)
    assert waiting is not None and waiting.moved >= waiting.published_moved >= 0
    client.post(
        f"/organise/{demo_event.slug}/plan/job/use",
        data=board_form(f"/organise/{demo_event.slug}/plan"),
    )
    db.session.expire_all()
    assert planning.draft(demo_event).document["assignments"] == job.plan["assignments"]


def test_keeping_the_current_draft_drops_the_proposal(client, published, demo_event, board_url):
    before = dict(published.document)
    client.post(f"{board_url}/replan", data=board_form(board_url))
    board = client.get(board_url).get_data(as_text=True)
    # The "keep the current draft" button sends what the board showed, like every other.
    sent = re.search(
        r'action="[^"]*/plan/discard"[^>]*>\s*<input[^>]*>\s*'
        r'<input type="hidden" name="revision" value="(\d+)"',
        board,
    )
    assert sent is not None
    page = client.post(
        f"{board_url}/discard", data={"revision": sent.group(1)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The proposed plan was dropped" in page and "Take the new plan" not in page
    db.session.expire_all()
    assert planning.draft(demo_event).document == before


def test_published_sessions_cost_as_many_people_as_marked_them(published, demo_event):
    talk = talk_at(demo_event, published.document, 0)
    marking = db.session.scalar(
        db.select(db.func.count()).select_from(Ballot).where(Ballot.marks.contains(talk))
    )
    _problem, keep, costs = planning.solve_inputs(demo_event, keep=True)
    assert keep is not None
    assert costs[talk.key] == max(Fraction(1, 5), Fraction(marking))
    assert set(costs) == {item["session"] for item in published.document["assignments"]}
    _problem, keep, costs = planning.solve_inputs(demo_event, keep=False)
    assert keep is None and costs == {}


def seen(event) -> str:
    """The draft revision a board drawn now sends with every change."""
    db.session.expire_all()
    return str(planning.revision(event))


def test_undo_brings_back_each_step(client, published, demo_event, board_url):
    documents = [dict(planning.draft(demo_event).document)]
    for index in range(12):
        # Take sessions out of the plan and put them back: each step is a valid change.
        item = documents[0]["assignments"][index // 2]
        talk = next(talk for talk in demo_event.talks if talk.key == item["session"])
        place = "" if index % 2 == 0 else f"{item['room']}|{item['slot']}"
        client.post(
            f"{board_url}/move",
            data={"talk": talk.id, "place": place, "revision": seen(demo_event)},
        )
        db.session.expire_all()
        documents.append(dict(planning.draft(demo_event).document))
    assert planning.undo_steps(demo_event) == 12
    for expected in reversed(documents[2:-1]):
        client.post(f"{board_url}/undo", data=board_form(board_url))
        db.session.expire_all()
        assert planning.draft(demo_event).document["assignments"] == expected["assignments"]
    assert planning.undo_steps(demo_event) >= 2


def test_undo_answers_json_for_the_board_script(client, published, board_url):
    answer = client.post(
        f"{board_url}/undo", data=board_form(board_url), headers={"Accept": "application/json"}
    )
    assert answer.status_code == 409 and answer.get_json()["errors"] == [
        "There is no change to undo."
    ]


def test_reset_to_a_published_version(client, published, demo_event, board_url):
    talk = talk_at(demo_event, published.document, 0)
    client.post(
        f"{board_url}/move", data={"talk": talk.id, "place": "", "revision": seen(demo_event)}
    )
    client.post(f"{board_url}/publish", data=board_form(board_url))
    db.session.expire_all()
    assert place_of(planning.draft(demo_event), talk) is None
    page = client.post(
        f"{board_url}/reset", data={**board_form(board_url), "version": "1"}, follow_redirects=True
    )
    assert "The draft has the places of version 1 again." in page.get_data(as_text=True)
    db.session.expire_all()
    first = planning.published_versions(demo_event)[-1]
    assert place_of(planning.draft(demo_event), talk) == place_of(first, talk)
    missing = client.post(
        f"{board_url}/reset", data={**board_form(board_url), "version": "9"}, follow_redirects=True
    )
    assert "There is no published version 9." in missing.get_data(as_text=True)


def test_removing_a_team_member_asks_first(client, auth, demo_event):
    from planner.models import Membership

    from ..conftest import make_user

    auth.login()
    other = make_user("otto@example.org", "Otto")
    db.session.add(Membership(user=other, event=demo_event, role="organiser"))
    db.session.commit()
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == other.id))
    team = f"/organise/{demo_event.slug}/team"
    assert f'href="{team}/{membership.id}/remove"' in client.get(team).get_data(as_text=True)
    question = client.get(f"{team}/{membership.id}/remove").get_data(as_text=True)
    assert "Remove Otto from the team?" in question
    assert db.session.get(Membership, membership.id) is not None
    client.post(f"{team}/{membership.id}/remove")
    db.session.expire_all()
    assert db.session.get(Membership, membership.id) is None
