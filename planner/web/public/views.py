"""Public pages: the start page, health check, an event's home and its published plan.

The /e/<slug>/ addresses end up on printed QR codes: keep them stable.
"""

from __future__ import annotations

from datetime import date

import segno
import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from ...extensions import db
from ...models import Event
from ...operations.calendar import schedule_calendar
from ...operations.schedule import latest_published, published_schedule, schedule_document

blueprint = Blueprint("public", __name__)

WIDE_PRINT_ROOMS = 6  # more rooms than this do not fit A4 at a readable size: print on A3


@blueprint.app_template_filter("long_date")
def long_date(day: date | None) -> str:
    """A date as people write it in the current language, e.g. "Montag, 18. November 2024"."""
    return format_date(day, "full") if day else ""


@blueprint.app_template_filter("hm")
def hours_minutes(moment) -> str:
    """A local time as 13:30 (slots are stored in local time: no timezone shift)."""
    return f"{moment:%H:%M}"


def _event(slug: str) -> Event:
    return db.first_or_404(sa.select(Event).where(Event.slug == slug))


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


@blueprint.get("/e/<slug>/")
def event_home(slug: str):
    """Show the event and what is open now: proposals, voting (with its QR code), the plan."""
    event = _event(slug)
    vote_url = url_for("participate.vote", slug=slug, _external=True)
    qr = None
    if event.voting_open:
        svg = segno.make(vote_url, error="m").svg_inline(
            scale=6, omitsize=True, title=_("QR code of the voting page"), svgclass="qr"
        )
        qr = Markup(svg)  # segno's own markup around our own URL: safe to embed
    return render_template(
        "public/event.html",
        event=event,
        vote_url=vote_url,
        qr=qr,
        published=latest_published(event),
    )


@blueprint.get("/e/<slug>/schedule")
def schedule(slug: str):
    """Show the published plan: a grid on large screens, a list by slot on phones."""
    event = _event(slug)
    return render_template("public/schedule.html", event=event, schedule=published_schedule(event))


@blueprint.get("/e/<slug>/schedule/print")
def schedule_print(slug: str):
    """Show the published plan as a print-ready grid, one page per day."""
    event = _event(slug)
    plan = published_schedule(event)
    wide = plan is not None and len(plan.rooms) > WIDE_PRINT_ROOMS
    return render_template("public/schedule_print.html", event=event, schedule=plan, wide=wide)


@blueprint.get("/e/<slug>/schedule.ics")
def schedule_ics(slug: str):
    """Give the published plan as an iCalendar feed to subscribe to."""
    event = _event(slug)
    schedule = published_schedule(event)
    if schedule is None:
        abort(404)
    body = schedule_calendar(
        event,
        schedule,
        host=request.host.split(":")[0],
        url=url_for("public.schedule", slug=slug, _external=True),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{slug}.ics"'},
    )


@blueprint.get("/e/<slug>/schedule.json")
def schedule_json(slug: str):
    """Give the published plan as plan@1 with titles, hosts, room names and local times."""
    event = _event(slug)
    document = schedule_document(event)
    if document is None:
        return {"error": _("Not published"), "message": _("No plan is published yet.")}, 404
    return document
