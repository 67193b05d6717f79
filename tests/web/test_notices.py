"""Hosts are told when a published version moves or cancels their session: on their private
page at once, and by mail where they gave an address, once, through a real SMTP server."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from planner import mail
from planner.extensions import db
from planner.models import MAIL_FAILED, MAIL_NONE, MAIL_SENT, Notice
from planner.operations import planning

from .board_forms import board_form
from .test_cancelled import camp, withdraw
from .test_cancelled_later import draft_of, talk_named

__all__ = ["camp"]  # the fixture, used by name


class Inbox:
    """An SMTP server's handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return sorted(
            str(make_header(decode_header(message["Subject"]))) for _to, message in self.messages
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(app, port: int) -> None:
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    mail.init_app(app)


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(app, controller.port)
    yield handler
    controller.stop()


@pytest.fixture
def hosts_with_mail(camp):
    talk_named(camp, "Lounge KI").contact_email = "ben@example.org"
    talk_named(camp, "Kaffee und Verwaltung").contact_email = "cem@example.org"
    db.session.commit()
    draft_of(camp)
    return camp


def withdraw_move_publish(client, auth, camp):
    """Lounge KI withdrawn, Kaffee moved into its place, version 2 published by the board."""
    withdraw("Lounge KI", camp)
    kaffee = talk_named(camp, "Kaffee und Verwaltung")
    planning.move(camp, kaffee, camp.rooms[1].key, camp.slots[0].key)
    db.session.commit()
    auth.login()
    response = client.post("/organise/camp/plan/publish", data=board_form("/organise/camp/plan"))
    assert response.headers["Location"].endswith("/versions/2")
    db.session.expire_all()


def test_hosts_get_one_mail_each_through_smtp(client, auth, hosts_with_mail, inbox):
    withdraw_move_publish(client, auth, hosts_with_mail)
    assert sorted(to[0] for to, _message in inbox.messages) == [
        "ben@example.org",
        "cem@example.org",
    ]
    assert inbox.subjects() == [
        "Entfällt: Ihre Sitzung „Lounge KI“",
        "Neue Zeit oder neuer Raum: Ihre Sitzung „Kaffee und Verwaltung“",
    ]
    moved = next(message for to, message in inbox.messages if to == ["cem@example.org"])
    body = moved.get_payload(decode=True).decode()
    # In the event's language, German here.
    assert "Bisher: 01.07.2025, 11:00, Saal" in body and "Jetzt: 01.07.2025, 10:00, Ecke" in body
    kaffee = talk_named(hosts_with_mail, "Kaffee und Verwaltung")
    assert f"/e/camp/proposals/{kaffee.edit_token}" in body
    statuses = {
        notice.talk.title: notice.mail_status for notice in db.session.scalars(db.select(Notice))
    }
    assert statuses == {"Lounge KI": MAIL_SENT, "Kaffee und Verwaltung": MAIL_SENT}
    page = client.get("/organise/camp/plan/versions/2").get_data(as_text=True)
    assert page.count("message on their page and mail sent") == 2
    # Sending again finds nothing pending: a change is never mailed twice.
    mail.send_pending([notice.id for notice in db.session.scalars(db.select(Notice))])
    assert len(inbox.messages) == 2


def test_the_hosts_private_page_says_it_at_once(client, auth, hosts_with_mail, inbox):
    withdraw_move_publish(client, auth, hosts_with_mail)
    auth.logout()
    lounge = talk_named(hosts_with_mail, "Lounge KI")
    page = client.get(f"/e/camp/proposals/{lounge.edit_token}").get_data(as_text=True)
    assert "Your session is cancelled. It was planned for 01.07.2025, 10:00, Ecke." in page
    assert "Also sent by e-mail." in page
    forum = talk_named(hosts_with_mail, "Forum Open Data")  # did not move: nothing to say
    page = client.get(f"/e/camp/proposals/{forum.edit_token}").get_data(as_text=True)
    assert "Messages from the organisers" not in page


def test_a_failed_send_does_not_stop_publishing(client, auth, app, hosts_with_mail):
    use_smtp(app, free_port())  # nobody listens there
    withdraw_move_publish(client, auth, hosts_with_mail)
    assert planning.latest_published(hosts_with_mail).number == 2
    notices = list(db.session.scalars(db.select(Notice)))
    assert {notice.mail_status for notice in notices} == {MAIL_FAILED}
    assert all(notice.mail_error for notice in notices)
    page = client.get("/organise/camp/plan/versions/2").get_data(as_text=True)
    assert page.count("the mail could not be sent") == 2


def test_organisers_can_turn_mail_off(client, auth, hosts_with_mail, inbox):
    hosts_with_mail.mail_notices = False
    db.session.commit()
    withdraw_move_publish(client, auth, hosts_with_mail)
    assert inbox.messages == []
    notices = list(db.session.scalars(db.select(Notice)))
    assert len(notices) == 2 and {notice.mail_status for notice in notices} == {MAIL_NONE}


def test_the_event_form_switches_mail(client, auth, camp):
    auth.login()
    form = {
        "name": "Camp",
        "starts_on": "2025-07-01",
        "timezone": "Europe/Berlin",
        "language": "de",
    }
    client.post("/organise/camp/settings", data=form)
    db.session.expire_all()
    assert camp.mail_notices is False
    client.post("/organise/camp/settings", data={**form, "mail_notices": "y"})
    db.session.expire_all()
    assert camp.mail_notices is True


def test_the_proposal_form_takes_an_address_and_refuses_a_wrong_one(client, camp):
    camp.proposals_open = True
    db.session.commit()
    data = {"title": "Neu", "hosts": "Dana", "format": "talk", "length": "1", "language": "de"}
    page = client.post("/e/camp/propose", data={**data, "email": "kein-mail"}).get_data(
        as_text=True
    )
    assert "This is not an e-mail address." in page
    response = client.post("/e/camp/propose", data={**data, "email": " dana@example.org "})
    assert response.status_code == 302
    talk = talk_named(camp, "Neu")
    assert talk.contact_email == "dana@example.org"
    # Never public: not in the plan's documents or the session page.
    assert "dana@example.org" not in client.get(f"/e/camp/sessions/{talk.id}").get_data(
        as_text=True
    )


def test_with_redis_a_worker_sends_the_mail_after_the_commit(
    client, auth, app, hosts_with_mail, inbox
):
    import os
    import subprocess
    import sys

    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    from .test_rq import REDIS_URL, WORKER

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    connection.flushdb()
    app.config.update(SOLVE_SYNC=False, REDIS_URL=REDIS_URL)
    withdraw_move_publish(client, auth, hosts_with_mail)
    assert inbox.messages == []  # queued, not sent in the request
    assert connection.llen("rq:queue:planner-solve") == 1
    db.session.commit()  # end the read transaction before another process writes
    port = app.config["MAIL_PORT"]
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
    }
    worker = subprocess.run(
        [sys.executable, "-c", WORKER],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    connection.flushdb()
    assert worker.returncode == 0, worker.stderr
    assert len(inbox.messages) == 2
    db.session.expire_all()
    assert {notice.mail_status for notice in db.session.scalars(db.select(Notice))} == {MAIL_SENT}


def test_without_a_server_mail_is_printed_not_sent(monkeypatch, capsys):
    from flask import Flask
    from flask_mailman import EmailMessage

    for key in ("MAIL_SERVER", "MAIL_BACKEND"):
        monkeypatch.delenv(key, raising=False)
    development = Flask("development")
    mail.init_app(development)
    assert development.config["MAIL_BACKEND"] == "console"
    with development.app_context():
        EmailMessage(subject="Probe", body="Hallo", to=["ben@example.org"]).send()
    assert "Subject: Probe" in capsys.readouterr().out
    monkeypatch.setenv("MAIL_SERVER", "mail.example.org")
    monkeypatch.setenv("MAIL_PORT", "2525")
    production = Flask("production")
    mail.init_app(production)
    assert production.config["MAIL_BACKEND"] == "smtp"
    assert (production.config["MAIL_SERVER"], production.config["MAIL_PORT"]) == (
        "mail.example.org",
        2525,
    )
