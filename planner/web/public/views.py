"""Public pages: the start page, health check, an event's home and its published plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from ...extensions import db
from ...models import Event

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def index():
    """List the events."""
    events = db.session.scalars(sa.select(Event).order_by(Event.starts_on.desc())).all()
    return render_template("public/index.html", events=events)


@blueprint.get("/healthz")
def healthz():
    """Tell a load balancer the app is up and the database answers."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
