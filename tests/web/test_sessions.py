"""A session's own page: what, who, when, where, the stream of its room, a mark button."""

from __future__ import annotations

import pytest

from planner.extensions import db
from planner.models import Event, Talk

from .test_public import mini_document, publish, small_event  # noqa: F401 (fixture)


@pytest.fixture
def talk(small_event) -> Talk:  # noqa: F811
    double = small_event.talks[0]
    double.description = "Erster Absatz.\n\nZweiter <Absatz>."
    db.session.commit()
    return double


def page(client, talk: Talk) -> str:
    response = client.get(f"/e/mini/sessions/{talk.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_before_publishing_shows_what_and_who(client, talk):
    body = page(client, talk)
    assert "<h1>Doppelt gut</h1>" in body and "Hosted by Ada" in body
    assert "<p>Erster Absatz.</p>" in body and "<p>Zweiter &lt;Absatz&gt;.</p>" in body
    assert "2 slots" in body and "The plan is not published yet" in body
    assert "<svg" in body and f"http://localhost/e/mini/sessions/{talk.id}" in body
    assert "Mark: I want to attend" not in body, "voting is closed in this event"


def test_after_publishing_shows_time_room_and_stream(client, small_event, talk):  # noqa: F811
    publish(small_event, 1, mini_document(small_event))
    body = page(client, talk)
    assert "Monday, March 3, 2025, 10:00–11:45" in body
    assert "Saal B, Rathaus" in body and "Follow online" not in body
    small_event.rooms[1].stream_url = "https://stream.example.org/saal-b"
    db.session.commit()
    body = page(client, talk)
    assert 'href="https://stream.example.org/saal-b"' in body
    assert "Follow online: the stream of Saal B" in body


def test_an_unscheduled_session_says_so(client, small_event, talk):  # noqa: F811
    publish(small_event, 1, {**mini_document(small_event), "assignments": []})
    assert "Not in the published plan" in page(client, talk)


def test_mark_button_marks_and_comes_back(client, small_event, talk):  # noqa: F811
    small_event.voting_open = True
    db.session.commit()
    assert 'aria-pressed="false"' in page(client, talk)
    response = client.post(f"/e/mini/vote/{talk.id}", data={"back": "session"})
    assert response.status_code == 302 and response.location == f"/e/mini/sessions/{talk.id}"
    body = page(client, talk)
    assert 'aria-pressed="true"' in body and "Marked: I want to attend" in body


def test_mark_button_sends_the_state_it_wants(client, small_event, talk):  # noqa: F811
    """The session page asks to mark or to unmark, as it shows: sent twice, it stays."""
    small_event.voting_open = True
    db.session.commit()
    assert 'name="marked" value="1"' in page(client, talk)
    for _tap in range(2):
        client.post(f"/e/mini/vote/{talk.id}", data={"back": "session", "marked": "1"})
    body = page(client, talk)
    assert 'aria-pressed="true"' in body and 'name="marked" value="0"' in body
    client.post(f"/e/mini/vote/{talk.id}", data={"back": "session", "marked": "0"})
    assert 'aria-pressed="false"' in page(client, talk)


def test_withdrawn_session_says_it_does_not_take_place(client, small_event, talk):  # noqa: F811
    small_event.voting_open = True
    talk.withdrawn = True
    db.session.commit()
    body = page(client, talk)
    assert "was withdrawn" in body and "I want to attend" not in body


def test_session_of_another_event_is_404(client, small_event, talk):  # noqa: F811
    other = Event(slug="other", name="Other")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/e/other/sessions/{talk.id}").status_code == 404
    assert client.get("/e/mini/sessions/99999").status_code == 404


def test_session_page_in_german(client, talk):
    response = client.get(f"/e/mini/sessions/{talk.id}", headers={"Accept-Language": "de"})
    body = response.get_data(as_text=True)
    assert "Veranstaltet von Ada" in body and "2 Zeitfenster" in body
