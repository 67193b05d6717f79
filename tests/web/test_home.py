"""The start page: what this is, the events, the way in for organisers, and in the demo where
to start with the demo login."""

from __future__ import annotations

from planner.extensions import db
from planner.operations import accounts

from ..conftest import AuthActions, make_user, organiser_account


def test_says_what_this_is_and_lists_the_events(client, demo_event):
    page = client.get("/").get_data(as_text=True)
    assert "At a barcamp the attendees make the programme" in page
    assert "a plan of rooms and times in seconds" in page
    assert f'href="/e/{demo_event.slug}/"' in page and demo_event.name in page


def test_organisers_find_the_login(client):
    page = client.get("/").get_data(as_text=True)
    assert "For organisers" in page and 'href="/login"' in page
    assert "Log in as organiser" in page
    assert "No events yet." in page


def test_a_logged_in_organiser_finds_their_events(client, auth):
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/organise/"' in page and "Your events" in page


def test_the_demo_says_where_to_start_and_shows_its_login(client, demo_event):
    organiser_account()  # the demo account, with the demo password
    page = client.get("/").get_data(as_text=True)
    assert "Try the demo" in page
    assert f'href="/e/{demo_event.slug}/vote"' in page and "Vote as an attendee" in page
    assert "Log in as the organiser" in page
    assert f"{AuthActions.email}" in page and f"password {AuthActions.password}" in page


def test_the_demo_login_disappears_once_its_password_is_changed(client, demo_event):
    account = organiser_account()
    accounts.change_password(account, AuthActions.password, "a password of our own")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Try the demo" not in page and f"password {AuthActions.password}" not in page


def test_no_demo_box_without_the_demo_account(client, demo_event):
    make_user("ada@example.org", "Ada")
    assert "Try the demo" not in client.get("/").get_data(as_text=True)


def test_the_start_page_in_german(client, demo_event):
    organiser_account()
    page = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert "Auf einem Barcamp machen die Teilnehmenden das Programm" in page
    assert "Die Demo ausprobieren" in page and "Als Organisationsteam anmelden" in page
    assert "Veranstaltungen" in page
