"""Mail to hosts over SMTP (Flask-Mailman), configured by the environment, sent after commit.

MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS, MAIL_USE_SSL and
MAIL_DEFAULT_SENDER come from the instance config or the environment. Without MAIL_SERVER the
mail is printed to the console instead of sent (`make run`); tests keep it in memory unless
they name a server. With REDIS_URL the sending runs on the job queue (`planner worker`),
otherwise right after the request's commit; either way a failed send is recorded on its
notice and never undoes what was committed.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, current_app
from flask_mailman import EmailMessage, Mail

from .extensions import db
from .models import MAIL_FAILED, MAIL_PENDING, MAIL_SENDING, MAIL_SENT, Notice, utcnow

mail = Mail()

_TEXT = ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "MAIL_BACKEND")
_FLAGS = ("MAIL_USE_TLS", "MAIL_USE_SSL")


def init_app(app: Flask) -> None:
    """Read the mail settings (config first, then the environment) and bind Flask-Mailman."""
    for key in _TEXT:
        if not app.config.get(key) and os.environ.get(key):
            app.config[key] = os.environ[key]
    for key in _FLAGS:
        if key not in app.config and os.environ.get(key):
            app.config[key] = os.environ[key].strip().lower() in {"1", "true", "yes", "on"}
    if "MAIL_PORT" not in app.config and os.environ.get("MAIL_PORT", "").isdigit():
        app.config["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
    app.config.setdefault("MAIL_DEFAULT_SENDER", "barcamp-planner@localhost")
    app.config.setdefault("MAIL_TIMEOUT", 10)
    if not app.config.get("MAIL_BACKEND"):
        # Nothing leaves the machine unless a server is named.
        server = app.config.get("MAIL_SERVER")
        app.config["MAIL_BACKEND"] = "smtp" if server else ("locmem" if app.testing else "console")
    mail.init_app(app)


def deliver(ids: list[int]) -> None:
    """Send the pending mails of these notices after the commit that recorded them: on the
    job queue when Redis is configured, else now. Never raises."""
    if not ids:
        return
    from .jobs import queue, redis_url

    app = current_app._get_current_object()
    if redis_url(app) and not app.config.get("SOLVE_SYNC", app.testing):
        try:
            queue(app).enqueue("planner.mail.deliver_on_worker", ids, result_ttl=600)
            return
        except Exception:  # Redis away: send from here rather than not at all
            app.logger.exception("mail: queueing notices %s failed; sending now", ids)
    send_pending(ids)


def deliver_on_worker(ids: list[int]) -> None:
    """Send notices' mails on an RQ worker (the function RQ calls)."""
    from flask import has_app_context

    if has_app_context():
        send_pending(ids)
        return
    from . import create_app  # pragma: no cover - `planner worker` pushes an app context

    with create_app().app_context():  # pragma: no cover
        send_pending(ids)


def send_pending(ids: list[int]) -> None:
    """Send each notice's mail that is still pending, once: a notice is claimed by one
    conditional update before its mail goes out, so two senders never both send it."""
    for notice_id in ids:
        claimed = db.session.execute(
            sa.update(Notice)
            .where(Notice.id == notice_id, Notice.mail_status == MAIL_PENDING)
            .values(mail_status=MAIL_SENDING)
        ).rowcount
        db.session.commit()
        if claimed:
            _send(db.session.get(Notice, notice_id))


def _send(notice: Notice) -> None:
    message = EmailMessage(subject=notice.subject, body=notice.body, to=[notice.email])
    try:
        message.send()
    except Exception as error:  # a refused address or a server away: told, not raised
        current_app.logger.warning("mail: notice %s not sent: %s", notice.id, error)
        notice.mail_status, notice.mail_error = MAIL_FAILED, str(error)[:500]
    else:
        notice.mail_status, notice.mailed_at = MAIL_SENT, utcnow()
    db.session.commit()
