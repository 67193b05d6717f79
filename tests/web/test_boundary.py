"""The request boundary: one commit per successful request, one answer to refusals and races,
in the request's kind and the reader's language, and never a 500 when two people edit the
same thing at the same moment."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Talk
from planner.operations import planning, setup
from tests.conftest import AuthActions
from tests.web.test_organise import _talk_form

from .board_forms import board_form

PACKAGE = Path(__file__).resolve().parents[2] / "planner"
JSON = {"Accept": "application/json"}


def _calls(path: Path, names: set[str]) -> list[str]:
    """Where the module at `path` calls a method named in `names` (`x.commit()`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    ]


def test_operations_never_commit_or_roll_back():
    found = [
        call
        for path in sorted((PACKAGE / "operations").rglob("*.py"))
        for call in _calls(path, {"commit", "rollback"})
    ]
    assert found == [], "operations flush; the request boundary commits or rolls back"


def test_views_leave_commit_and_rollback_to_the_boundary():
    boundary = {PACKAGE / "web" / "boundary.py", PACKAGE / "web" / "__init__.py"}
    found = [
        call
        for path in sorted((PACKAGE / "web").rglob("*.py"))
        if path not in boundary
        for call in _calls(path, {"commit", "rollback"})
    ]
    assert found == []


@pytest.fixture
def board_url(client, auth, demo_event):
    """The demo's board, with a generated draft plan."""
    auth.login()
    url = f"/organise/{demo_event.slug}/plan"
    assert client.post(f"{url}/generate", data=board_form(url)).status_code == 302
    return url


def _placed(event) -> list[Talk]:
    placed = {item["session"] for item in planning.draft(event).document["assignments"]}
    return [talk for talk in event.talks if talk.key in placed]


def _organiser(app):
    """A second browser of an organiser, logged in."""
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    AuthActions(other).login()
    return other


def _at_once(monkeypatch, module, name: str, requests: list) -> list:
    """Send the requests from threads that all wait in `module.name` until each has read
    what it changes: the writes meet as they would on a busy server."""
    meeting = threading.Barrier(len(requests), timeout=30)
    original = getattr(module, name)

    def waiting(*args, **kwargs):
        meeting.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
    answers = [None] * len(requests)

    def send(index: int) -> None:
        answers[index] = requests[index]()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    monkeypatch.undo()
    return answers


def test_two_moves_on_the_same_revision_at_once_one_is_refused(
    app, client, demo_event, board_url, monkeypatch
):
    other = _organiser(app)
    revision = planning.revision(demo_event)
    first, second = _placed(demo_event)[:2]

    def mover(browser, talk):
        data = {"talk": talk.id, "place": "", "revision": str(revision)}
        return lambda: browser.post(f"{board_url}/move", data=data, headers=JSON)

    answers = _at_once(monkeypatch, planning, "move", [mover(client, first), mover(other, second)])
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert refused.json["ok"] is False and "Nothing was saved" in refused.json["message"]
    db.session.expire_all()
    unscheduled = set(planning.draft(demo_event).document["unscheduled"])
    assert len(unscheduled & {first.key, second.key}) == 1, "exactly one move applied"


def test_two_moves_from_pages_at_once_tell_the_loser_in_german(
    app, client, demo_event, board_url, monkeypatch
):
    other = _organiser(app)
    revision = planning.revision(demo_event)
    first, second = _placed(demo_event)[:2]

    def mover(browser, talk, language):
        data = {"talk": talk.id, "place": "", "revision": str(revision)}
        headers = {"Accept-Language": language}
        return lambda: browser.post(f"{board_url}/move", data=data, headers=headers)

    answers = _at_once(
        monkeypatch,
        planning,
        "move",
        [mover(client, first, "de"), mover(other, second, "de")],
    )
    assert [answer.status_code for answer in answers] == [302, 302]
    assert all(board_url in answer.headers["Location"] for answer in answers)
    pages = [
        browser.get(board_url, headers={"Accept-Language": "de"}).get_data(as_text=True)
        for browser in (client, other)
    ]
    assert sum("Nicht gespeichert" in page or "inzwischen" in page for page in pages) == 1
    assert sum("Verschoben" in page for page in pages) == 1


def test_two_saves_of_a_session_at_once_keep_the_typed_text(
    app, client, auth, demo_event, monkeypatch
):
    auth.login()
    other = _organiser(app)
    talk = demo_event.active_talks[0]
    url = f"/organise/{demo_event.slug}/talks/{talk.id}"
    mine, theirs = _talk_form(talk, title="Mein Titel"), _talk_form(talk, title="Ihr Titel")
    answers = _at_once(
        monkeypatch,
        setup,
        "update_talk",
        [lambda: client.post(url, data=mine), lambda: other.post(url, data=theirs)],
    )
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 302], "one saved, one shown again; never a 500"
    again = next(answer for answer in answers if answer.status_code == 200)
    body = again.get_data(as_text=True)
    assert "Somebody else changed this session meanwhile." in body
    db.session.expire_all()
    saved = db.session.get(Talk, talk.id).title
    lost = "Ihr Titel" if saved == "Mein Titel" else "Mein Titel"
    assert saved in {"Mein Titel", "Ihr Titel"} and f'value="{lost}"' in body


def test_a_refusal_answers_scripts_with_json_and_pages_with_a_message(client, board_url):
    stale = {"talk": "1", "pinned": "1", "revision": "0"}
    script = client.post(f"{board_url}/pin", data=stale, headers=JSON | {"Accept-Language": "de"})
    assert script.status_code == 409 and script.json["ok"] is False
    assert "Ihre Änderung wurde nicht übernommen" in " ".join(script.json["errors"])
    page = client.post(f"{board_url}/pin", data=stale)
    assert page.status_code == 302 and board_url in page.headers["Location"]
    assert "another organiser" in client.get(board_url).get_data(as_text=True)


def test_a_request_commits_once_it_succeeded_and_keeps_nothing_of_a_refusal(app, client):
    from planner.errors import UserInputError
    from planner.operations.accounts import create_user
    from planner.web.boundary import after_commit

    told = []

    def write(email: str, refuse: bool):
        create_user(email, "Somebody", "a good password")
        after_commit(lambda: told.append(email))
        if refuse:
            raise UserInputError("No.")
        return "written"

    app.add_url_rule("/test/kept", "kept", lambda: write("kept@example.org", False))
    app.add_url_rule("/test/refused", "refused", lambda: write("refused@example.org", True))
    assert client.get("/test/kept").status_code == 200
    refused = client.get("/test/refused", headers=JSON)
    assert refused.status_code == 409 and refused.json["errors"] == ["No."]
    from planner.operations.accounts import user_by_email

    db.session.expire_all()
    assert user_by_email("kept@example.org") is not None
    assert user_by_email("refused@example.org") is None
    assert told == ["kept@example.org"], "work after the commit runs only when it committed"


def test_a_commit_that_fails_takes_back_what_the_view_said(app, client, demo_event):
    """The view said "Saved", then somebody else's change won at the commit."""
    from flask import flash

    talk = demo_event.active_talks[0]

    def save():
        talk.title = "Mein Titel"
        flash("Saved.")
        # Meanwhile another request saved the session: the commit's UPDATE matches no row.
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(Talk).where(Talk.id == talk.id).values(version=Talk.version + 1)
            )
        return "saved"

    app.add_url_rule("/test/save", "save", save, methods=["POST"])
    page = client.post("/test/save", headers={"Referer": "/organise/"})
    assert page.status_code == 302 and page.headers["Location"] == "/organise/"
    with client.session_transaction() as cookie:
        said = [message for _category, message in cookie.get("_flashes", [])]
    assert said == [
        "Somebody else changed this in the meantime. Nothing was saved; please look again."
    ]
    db.session.expire_all()
    assert db.session.get(Talk, talk.id).title != "Mein Titel"
