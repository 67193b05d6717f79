"""Organiser accounts: login, sessions, roles per event, invitations, create-admin."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta
from functools import partial

import pytest
import sqlalchemy as sa

from planner.cli import main
from planner.extensions import db
from planner.models import (
    ORGANISER,
    OWNER,
    Event,
    Invitation,
    Membership,
    User,
    utcnow,
)
from planner.operations import accounts, setup

from ..conftest import make_user

PASSWORD = "a good password"


def page(response) -> str:
    return response.get_data(as_text=True)


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def new_event(name: str, owner: User | None = None) -> Event:
    """A committed event, owned by `owner` if given."""
    event = setup.create_event(name=name, starts_on=date(2025, 5, 24), timezone="Europe/Berlin")
    if owner is not None:
        accounts.add_member(event, owner, OWNER)
    db.session.commit()
    return event


@pytest.fixture
def other_client(app):
    """A second browser."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def owner(app):
    return make_user("olga@example.org", "Olga Owner")


@pytest.fixture
def event(owner):
    return new_event("Barcamp Kassel", owner)


def role_of(user: User, event: Event) -> str | None:
    return db.session.scalar(
        sa.select(Membership.role).where(
            Membership.user_id == user.id, Membership.event_id == event.id
        )
    )


# every organiser page, for strangers


def snapshot() -> dict:
    """Every row of every table: a request that writes anything changes it."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {
            table.name: sorted(map(repr, connection.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def guarded_rules(app):
    """The rules of organiser pages: their blueprints, and any view with an access check."""
    rules = []
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions[rule.endpoint], "access", set())
        if rule.endpoint.startswith(("organise.", "planning.")):
            assert access, f"{rule.endpoint} has no organiser_required/owner_required"
        if access:
            rules.append(rule)
    return rules


@pytest.fixture
def target(app, event, owner):
    """The event strangers try to reach, with one of everything an URL can name."""
    room = setup.add_room(event, name="Forum", capacity=10, features=[])
    talk = setup.add_pitches(event, "Open Data — Anna")[0]
    setup.set_phases(event, proposals_open=False, voting_open=True, planning_started=False)
    invitation = accounts.invite(event, "new@example.org", ORGANISER, owner)
    series = setup.SlotSeries(date(2025, 5, 24), time(13, 30), length=40, pause=10, count=1)
    setup.generate_slots(event, series)
    db.session.commit()
    membership = db.session.scalar(sa.select(Membership).where(Membership.event_id == event.id))
    return {
        "slug": event.slug,
        "room_id": room.id,
        "slot_id": event.slots[0].id,
        "talk_id": talk.id,
        "membership_id": membership.id,
        "invitation_id": invitation.id,
        "number": 1,
    }


# Form data that would change something on almost any organiser form, were it let through.
HARMFUL = {
    "name": "Taken over",
    "email": "intruder@example.org",
    "role": OWNER,
    "line": "Spam — Intruder",
    "capacity": "1",
    "proposals_open": "y",
    "count": "3",
    "required": "1",
    "talk": "1",
    "pinned": "1",
}


def requests_of(app, target):
    """(rule, method, url) for every guarded rule, with real ids filled in."""
    adapter = app.url_map.bind("localhost")
    for rule in guarded_rules(app):
        values = {argument: target.get(argument, 1) for argument in rule.arguments}
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method, url


def test_anonymous_visitors_are_sent_to_the_login_everywhere(app, client, target):
    before = snapshot()
    checked = 0
    for rule, method, url in requests_of(app, target):
        response = client.open(url, method=method, data=HARMFUL if method == "POST" else None)
        assert response.status_code == 302, (rule.endpoint, method)
        assert response.headers["Location"].startswith("/login?next="), (rule.endpoint, method)
        checked += 1
    assert checked >= 40
    assert snapshot() == before


def test_organisers_of_another_event_get_403_everywhere(app, client, target):
    stranger = make_user("sam@example.org", "Sam Stranger")
    new_event("Sam's own barcamp", stranger)
    login(client, "sam@example.org")
    before = snapshot()
    for rule, method, url in requests_of(app, target):
        response = client.open(url, method=method, data=HARMFUL if method == "POST" else None)
        if rule.endpoint == "organise.events":  # their own list, without the foreign event
            assert response.status_code == 200
            assert "Sam&#39;s own barcamp" in page(response)
            assert "Barcamp Kassel" not in page(response)
        else:
            assert response.status_code == 403, (rule.endpoint, method, response.status_code)
    assert snapshot() == before


def test_organisers_cannot_do_what_only_owners_do(app, client, target, event):
    member = make_user("orlando@example.org", "Orlando")
    accounts.add_member(event, member, ORGANISER)
    db.session.commit()
    login(client, "orlando@example.org")
    assert client.get(f"/organise/{event.slug}/").status_code == 200
    before = snapshot()
    for rule, method, url in requests_of(app, target):
        if "owner" in app.view_functions[rule.endpoint].access:
            response = client.open(url, method=method, data=HARMFUL)
            assert response.status_code == 403, (rule.endpoint, method)
    assert snapshot() == before
    assert "/team" not in page(client.get(f"/organise/{event.slug}/"))


def test_a_logged_in_stranger_cannot_tell_whether_an_event_exists(client, event):
    make_user("sam@example.org", "Sam")
    login(client, "sam@example.org")
    assert client.get(f"/organise/{event.slug}/").status_code == 403
    assert client.get("/organise/no-such-event/").status_code == 403


# passwords, login, sessions


def test_passwords_are_stored_as_scrypt_hashes(app):
    user = make_user("Anna@Example.org", "Anna", "correct horse battery")
    assert user.password_hash.startswith("scrypt:")
    assert "correct horse battery" not in user.password_hash
    assert user.email == "anna@example.org"


def test_login_is_by_email_in_any_case(client, owner):
    response = login(client, "  OLGA@example.ORG ")
    assert response.status_code == 302 and response.headers["Location"] == "/organise/"
    assert "Olga Owner" in page(client.get("/organise/"))


def test_a_wrong_password_keeps_the_email_and_says_nothing_more(client, owner):
    wrong = page(login(client, "olga@example.org", "not it"))
    unknown = page(login(client, "nobody@example.org", "not it"))
    assert 'value="olga@example.org"' in wrong and 'value="nobody@example.org"' in unknown
    assert "Email or password is wrong." in wrong and "Email or password is wrong." in unknown
    assert "not it" not in wrong
    assert client.get("/organise/").status_code == 302


def test_login_sets_a_secure_http_only_cookie_and_a_new_session(client, owner):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "de"
    response = login(client, "olga@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "de"
        assert session["_user_id"] == f"{owner.id}:0"


def test_an_inactive_account_cannot_log_in_and_loses_its_sessions(client, owner):
    login(client, "olga@example.org")
    owner.is_active = False
    db.session.commit()
    assert client.get("/organise/").status_code == 302
    assert "wrong" in page(login(client, "olga@example.org"))


def test_a_cookie_from_the_shared_login_is_not_a_login(client, owner):
    with client.session_transaction() as session:
        session["organiser"] = True
        session["_user_id"] = str(owner.id)  # no session version
    assert client.get("/organise/").status_code == 302


def test_logging_out_everywhere_ends_the_other_sessions(client, other_client, owner, event):
    login(client, "olga@example.org")
    login(other_client, "olga@example.org")
    assert other_client.get(f"/organise/{event.slug}/").status_code == 200
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302
    assert other_client.get(f"/organise/{event.slug}/").status_code == 302
    assert client.get(f"/organise/{event.slug}/").status_code == 200, "this browser stays"
    assert login(other_client, "olga@example.org").status_code == 302


def test_logout_ends_this_session(client, owner):
    login(client, "olga@example.org")
    client.post("/logout")
    assert client.get("/organise/").status_code == 302


def test_changing_the_password_asks_the_old_one_and_ends_other_sessions(
    client, other_client, owner
):
    login(client, "olga@example.org")
    login(other_client, "olga@example.org")
    refused = client.post(
        "/account",
        data={"old_password": "guess", "new_password": "new secret!", "repeat": "new secret!"},
    )
    assert "The current password is wrong." in page(refused)
    changed = client.post(
        "/account",
        data={"old_password": PASSWORD, "new_password": "new secret!", "repeat": "new secret!"},
    )
    assert changed.status_code == 302
    assert other_client.get("/organise/").status_code == 302
    assert client.get("/organise/").status_code == 200
    assert login(other_client, "olga@example.org").status_code == 200
    assert login(other_client, "olga@example.org", "new secret!").status_code == 302


def test_the_header_shows_the_name_and_the_account_page(client, owner):
    assert "/account" not in page(client.get("/"))
    login(client, "olga@example.org")
    body = page(client.get("/"))
    assert "Olga Owner" in body and 'href="/account"' in body and "Log out" in body
    assert client.get("/account").status_code == 200


def test_the_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# roles


def test_creating_an_event_makes_the_admin_its_owner(client, auth):
    auth.login()
    response = client.post(
        "/organise/new",
        data={"name": "Neu", "starts_on": "2025-05-24", "timezone": "UTC", "language": "de"},
    )
    assert response.status_code == 302
    created = db.session.scalars(sa.select(Event)).one()
    admin = accounts.user_by_email(auth.email)
    assert role_of(admin, created) == OWNER


def test_importing_an_event_makes_the_importer_its_owner(client, auth, demo_event):
    import io
    import json

    from planner.operations.transfer import export_event

    document = json.dumps(export_event(demo_event)).encode()
    auth.login()
    response = client.post(
        "/organise/import",
        data={"document": (io.BytesIO(document), "event.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    imported = db.session.scalars(sa.select(Event).where(Event.id != demo_event.id)).one()
    assert role_of(accounts.user_by_email(auth.email), imported) == OWNER


def test_only_admins_create_events(client, owner):
    login(client, "olga@example.org")
    assert client.get("/organise/new").status_code == 403
    response = client.post("/organise/new", data={"name": "Mine", "timezone": "UTC"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_the_events_list_shows_ones_own_events_and_admins_all(client, auth, event, owner):
    new_event("Somebody else's")
    login(client, "olga@example.org")
    body = page(client.get("/organise/"))
    assert "Barcamp Kassel" in body and "Somebody else" not in body
    assert 'action="/organise/import"' not in body
    client.post("/logout")
    auth.login()
    body = page(client.get("/organise/"))
    assert "Barcamp Kassel" in body and "Somebody else" in body


def test_the_event_navigation_offers_the_team_page_to_owners(client, event):
    login(client, "olga@example.org")
    body = page(client.get(f"/organise/{event.slug}/"))
    assert f'href="/organise/{event.slug}/team"' in body


def test_the_last_owner_can_be_neither_demoted_nor_removed(client, owner, event):
    login(client, "olga@example.org")
    mine = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
    team = f"/organise/{event.slug}/team"
    response = client.post(f"{team}/{mine.id}/role", data={"role": ORGANISER})
    assert "at least one owner" in page(client.get(response.headers["Location"]))
    client.post(f"{team}/{mine.id}/remove")
    db.session.expire_all()
    assert role_of(owner, event) == OWNER

    second = make_user("otto@example.org", "Otto")
    accounts.add_member(event, second, ORGANISER)
    db.session.commit()
    theirs = db.session.scalar(sa.select(Membership).where(Membership.user_id == second.id))
    client.post(f"{team}/{theirs.id}/role", data={"role": OWNER})
    client.post(f"{team}/{mine.id}/role", data={"role": ORGANISER})
    db.session.expire_all()
    assert role_of(second, event) == OWNER and role_of(owner, event) == ORGANISER
    assert client.get(team).status_code == 403, "an organiser now"


def test_owners_remove_members_and_may_leave_when_another_owner_stays(client, owner, event):
    second = make_user("otto@example.org", "Otto")
    accounts.add_member(event, second, OWNER)
    db.session.commit()
    login(client, "olga@example.org")
    team = f"/organise/{event.slug}/team"
    assert "Otto" in page(client.get(team))
    theirs = db.session.scalar(sa.select(Membership).where(Membership.user_id == second.id))
    client.post(f"{team}/{theirs.id}/remove")
    db.session.expire_all()
    assert role_of(second, event) is None
    accounts.add_member(event, second, OWNER)
    db.session.commit()
    mine = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
    response = client.post(f"{team}/{mine.id}/remove")
    assert response.headers["Location"] == "/organise/"
    db.session.expire_all()
    assert role_of(owner, event) is None


def test_team_ids_of_another_event_are_404(client, owner, event):
    other_owner = make_user("x@example.org", "X")
    other = new_event("Other", other_owner)
    foreign = db.session.scalar(sa.select(Membership).where(Membership.event_id == other.id))
    login(client, "olga@example.org")
    response = client.post(f"/organise/{event.slug}/team/{foreign.id}/remove")
    assert response.status_code == 404
    assert role_of(other_owner, other) == OWNER


# invitations


def invite(client, event, email, role=ORGANISER) -> Invitation:
    response = client.post(f"/organise/{event.slug}/team", data={"email": email, "role": role})
    assert response.status_code == 302, page(response)
    return db.session.scalars(sa.select(Invitation).where(Invitation.email == email.lower())).one()


def test_a_new_person_joins_by_invitation(client, other_client, owner, event):
    login(client, "olga@example.org")
    invitation = invite(client, event, "Nina@Example.org")
    link = f"/invite/{invitation.token}"
    team = page(client.get(f"/organise/{event.slug}/team"))
    assert f"http://localhost{link}" in team and "sends no email" in team
    assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)

    form = page(other_client.get(link))
    assert "nina@example.org" in form and "Barcamp Kassel" in form
    short = other_client.post(link, data={"name": "Nina", "password": "short", "repeat": "short"})
    assert "at least 8 characters" in page(short)
    response = other_client.post(
        link, data={"name": "Nina Neu", "password": PASSWORD, "repeat": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organise/{event.slug}/"
    assert "Barcamp Kassel" in page(other_client.get(f"/organise/{event.slug}/"))
    nina = accounts.user_by_email("nina@example.org")
    assert nina.name == "Nina Neu" and role_of(nina, event) == ORGANISER
    assert nina.password_hash.startswith("scrypt:") and not nina.is_admin

    again = other_client.get(link)
    assert again.status_code == 410 and "accepted already" in page(again)
    third = other_client.post(link, data={"name": "Eve", "password": PASSWORD, "repeat": PASSWORD})
    assert third.status_code == 410
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_an_existing_user_logs_in_and_accepts(client, other_client, owner, event):
    make_user("ben@example.org", "Ben")
    login(client, "olga@example.org")
    invitation = invite(client, event, "ben@example.org", OWNER)
    link = f"/invite/{invitation.token}"
    body = page(other_client.get(link))
    assert "Log in" in body and "/login?next=" in body
    response = other_client.post(
        f"/login?next={link}", data={"email": "ben@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == link
    assert other_client.post(link).status_code == 302
    assert role_of(accounts.user_by_email("ben@example.org"), event) == OWNER
    assert other_client.get(f"/organise/{event.slug}/team").status_code == 200


def test_an_invitation_is_for_its_email_only(client, other_client, owner, event):
    make_user("eve@example.org", "Eve")
    login(client, "olga@example.org")
    invitation = invite(client, event, "ben@example.org")
    login(other_client, "eve@example.org")
    body = page(other_client.get(f"/invite/{invitation.token}"))
    assert "You are logged in as eve@example.org" in body
    other_client.post(f"/invite/{invitation.token}")
    assert role_of(accounts.user_by_email("eve@example.org"), event) is None
    assert invitation.accepted_at is None


def test_expired_and_unknown_invitations_say_so(client, other_client, owner, event):
    login(client, "olga@example.org")
    invitation = invite(client, event, "late@example.org")
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    link = f"/invite/{invitation.token}"
    response = other_client.get(link)
    assert response.status_code == 410 and "expired" in page(response)
    other_client.post(link, data={"name": "Late", "password": PASSWORD, "repeat": PASSWORD})
    assert accounts.user_by_email("late@example.org") is None
    assert "Expired" in page(client.get(f"/organise/{event.slug}/team"))
    assert other_client.get("/invite/not-a-token").status_code == 404


def test_inviting_again_replaces_the_link_and_withdrawing_ends_it(client, owner, event):
    login(client, "olga@example.org")
    first = invite(client, event, "nina@example.org")
    token = first.token
    second = invite(client, event, "nina@example.org")
    assert second.token != token
    assert client.get(f"/invite/{token}").status_code == 404
    client.post(f"/organise/{event.slug}/team/invitations/{second.id}/delete")
    assert client.get(f"/invite/{second.token}").status_code == 404


def test_members_are_not_invited_twice(client, owner, event):
    login(client, "olga@example.org")
    response = client.post(
        f"/organise/{event.slug}/team", data={"email": "OLGA@example.org", "role": ORGANISER}
    )
    assert "in the team already" in page(response)
    bad = client.post(f"/organise/{event.slug}/team", data={"email": "nope", "role": OWNER})
    assert "name@example.org" in page(bad)
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


# the command line


def test_create_admin_with_options_and_password_on_stdin(runner, app):
    old = new_event("From before accounts")
    result = runner.invoke(
        main,
        ["create-admin", "--email", "Root@Example.org", "--name", "Root", "--password-stdin"],
        input="s3cret-enough\n",
    )
    assert result.exit_code == 0, result.output
    admin = accounts.user_by_email("root@example.org")
    assert admin.is_admin and admin.password_hash.startswith("scrypt:")
    assert accounts.authenticate("root@example.org", "s3cret-enough") is not None
    assert role_of(admin, old) == OWNER and "From before accounts" in result.output


def test_create_admin_asks_and_hides_the_password(runner, app):
    result = runner.invoke(
        main, ["create-admin"], input="ada@example.org\nAda\nlong password\nlong password\n"
    )
    assert result.exit_code == 0, result.output
    assert "long password" not in result.output
    assert accounts.user_by_email("ada@example.org").name == "Ada"


def test_create_admin_refuses_a_taken_email_and_a_short_password(runner, app):
    make_user("ada@example.org", "Ada")
    args = ["create-admin", "--email", "ADA@example.org", "--name", "Ada", "--password-stdin"]
    result = runner.invoke(main, args, input="long password\n")
    assert result.exit_code == 1
    assert "An account with the email ada@example.org exists already." in result.output
    args[2] = "bob@example.org"
    result = runner.invoke(main, args, input="short\n")
    assert result.exit_code == 1 and "at least 8 characters" in result.output
    assert accounts.user_by_email("bob@example.org") is None


def test_demo_makes_its_admin_the_owner_of_the_demo_event(runner, app):
    result = runner.invoke(args=["demo"])
    assert "orga@example.org / barcamp" in result.output
    admin = accounts.user_by_email("orga@example.org")
    event = db.session.scalars(sa.select(Event)).one()
    assert admin.is_admin and role_of(admin, event) == OWNER


def test_demo_gives_events_from_before_accounts_an_owner(runner, app):
    old = new_event("From before accounts")
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "no demo loaded" in result.output and "orga@example.org / barcamp" in result.output
    assert role_of(accounts.user_by_email("orga@example.org"), old) == OWNER


# --- the last owner under concurrency ------------------------------------------------------


def _race(*calls) -> list:
    """Run the calls at the same moment, one thread each; return what each returned."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _owners(event: Event) -> int:
    db.session.expire_all()
    query = sa.select(sa.func.count()).where(
        Membership.event_id == event.id, Membership.role == OWNER
    )
    return db.session.scalar(query)


ROUNDS = 8


@pytest.mark.parametrize("action", ["role", "remove"])
def test_two_owners_demoting_each_other_at_once_leave_one_owner(
    app, client, other_client, owner, event, action
):
    """Each round, two owners in two browsers demote (or remove) each other at the same
    moment: one wins, the other is told why, and the event always keeps an owner."""
    second = make_user("otto@example.org", "Otto")
    login(client, "olga@example.org")
    login(other_client, "otto@example.org")
    team = f"/organise/{event.slug}/team"
    for _round in range(ROUNDS):
        accounts.add_member(event, second, OWNER)
        accounts.add_member(event, owner, OWNER)
        db.session.commit()
        mine, theirs = (
            db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id))
            for user in (owner, second)
        )
        answers = _race(
            partial(client.post, f"{team}/{theirs}/{action}", data={"role": ORGANISER}),
            partial(other_client.post, f"{team}/{mine}/{action}", data={"role": ORGANISER}),
        )
        assert all(answer.status_code < 500 for answer in answers)
        assert _owners(event) == 1


def test_the_last_owner_is_kept_by_one_statement_when_both_checked_first(app, owner, event):
    """The worst interleaving, forced: both demotions pass the owners check before either
    writes (as on SQLite, which has no row locks). The statement that writes counts the
    owners itself, so the second changes nothing."""
    second = make_user("otto@example.org", "Otto")
    accounts.add_member(event, second, OWNER)
    db.session.commit()
    first, other = db.session.scalars(
        sa.select(Membership).where(Membership.event_id == event.id).order_by(Membership.id)
    ).all()
    assert accounts.demote_if_another_owner(first, ORGANISER)
    assert not accounts.demote_if_another_owner(other, ORGANISER)
    db.session.commit()
    assert _owners(event) == 1
    assert (first.role, other.role) == (ORGANISER, OWNER)
