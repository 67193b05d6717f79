"""The app factory, migrations, the demo, login, error pages and the event transfer."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from planner import create_app
from planner.extensions import db
from planner.models import Event
from planner.operations.transfer import export_event, import_event, to_problem
from planner.scheduler import FormatError, parse_event

from ..conftest import organiser_account


def test_config_defaults_and_override():
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_migrations_downgrade_to_empty_and_up_again(app):
    downgrade(revision="base")
    assert db.inspect(db.engine).get_table_names() == ["alembic_version"]
    upgrade()
    assert {"event", "room", "slot", "talk", "ballot", "plan_version"} <= set(
        db.inspect(db.engine).get_table_names()
    )


BEFORE_FEED_KEYS = "8f58afe18a19"
OLD_ROWS = [
    "INSERT INTO event (id, slug, name, timezone, venue, language, proposals_open, voting_open,"
    " planning_started, voting_codes_required, created_at)"
    " VALUES (1, 'old', 'Old', 'Europe/Berlin', '', 'de', false, true, false, false, :at)",
    "INSERT INTO talk (id, event_id, title, description, hosts, format, length, language, needs,"
    " extra_interest, withdrawn, edit_token, created_at, version)"
    " VALUES (1, 1, 'Talk', '', '[]', 'talk', 1, 'de', '[]', 0, false, 'edit', :at, 1)",
    *(
        "INSERT INTO ballot (id, event_id, token, online, created_at, updated_at, chosen)"
        f" VALUES ({n}, 1, 'device-{n}', false, :at, :at, '[]')"
        for n in (1, 2)
    ),
    "INSERT INTO ballot_mark (ballot_id, talk_id) VALUES (1, 1), (2, 1)",
    "INSERT INTO voting_code (id, event_id, code, ballot_id, created_at)"
    " VALUES (1, 1, 'ABCD2345', 2, :at)",
]


def test_feed_key_migration_keeps_every_vote_and_gives_each_ballot_a_key(app):
    """On SQLite the migration copies the ballot table: the rows that refer to it stay."""
    downgrade(revision=BEFORE_FEED_KEYS)
    with db.engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(sa.text(statement), {"at": "2026-11-01 10:00:00"})
    upgrade()
    with db.engine.connect() as connection:
        keys = connection.execute(sa.text("SELECT feed_key FROM ballot")).scalars().all()
        marks = connection.execute(sa.text("SELECT count(*) FROM ballot_mark")).scalar()
        code = connection.execute(sa.text("SELECT ballot_id FROM voting_code")).scalar()
    assert len(set(keys)) == 2 and all(len(key) == 22 for key in keys)
    assert marks == 2 and code == 2
    if db.engine.dialect.name == "sqlite":  # and every connection has its foreign keys again
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_demo_is_the_hesse_congress(demo_event):
    problem = to_problem(demo_event)
    assert len(problem.sessions) == 25 and len(problem.rooms) == 9 and len(problem.slots) == 3
    assert 250 <= len(problem.votes) <= 300
    assert any(vote.online for vote in problem.votes)
    assert all(
        slot.end - slot.start == problem.slots[0].end - problem.slots[0].start
        for slot in problem.slots
    )


def test_event_round_trips_through_event_format(demo_event):
    document = export_event(demo_event)
    copy = import_event(document)
    db.session.commit()
    assert copy.slug != demo_event.slug
    again = export_event(copy)
    assert parse_event(again).sessions[0].title == parse_event(document).sessions[0].title
    assert len(again["votes"]) == len(document["votes"])


def test_bad_import_writes_nothing(app):
    with pytest.raises(FormatError) as caught:
        import_event(
            {
                "format": "barcamp-planner/event@1",
                "event": {"name": "X"},
                "rooms": [{"id": "r1", "capacity": -1}],
            }
        )
    assert "rooms[0].capacity: must not be negative" in str(caught.value)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_login_and_logout(client, auth):
    assert auth.login(password="wrong").status_code == 200
    with client.session_transaction() as session:
        assert not session.get("_user_id")
    assert auth.login().status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"]
    auth.logout()
    with client.session_transaction() as session:
        assert not session.get("_user_id")


def test_login_never_redirects_off_site(client, auth):
    organiser_account()
    response = client.post(
        "/login?next=//evil.example/", data={"email": auth.email, "password": auth.password}
    )
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_404_page_in_the_apps_look(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "de"})
    assert response.status_code == 404 and b"Barcamp Planner" in response.data


def test_demo_command(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "/vote" in result.output and "orga" in result.output
    assert runner.invoke(args=["demo", "--if-empty"]).output.startswith("The database already")


def test_the_database_is_the_one_configured(app):
    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert db.engine.dialect.name == wanted
    if wanted == "sqlite":  # foreign keys (and so ON DELETE rules) are on for every connection
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/%09/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%0D/x",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site_even_with_tricks(client, auth, target):
    organiser_account()
    response = client.post(
        f"/login?next={target}", data={"email": auth.email, "password": auth.password}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location and location.startswith("/") and not location.startswith("//")


def test_login_with_umlauts_is_just_wrong_not_an_error(client, auth):
    response = auth.login(email="Jürgen", password="Grüße")
    assert response.status_code == 200 and b"wrong" in response.data
