"""Public pages: the start page, health check, an event's home and its published plan.

The /e/<slug>/ addresses end up on printed QR codes: keep them stable.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel import dates as babel_dates
from flask import (
    Blueprint,
    Response,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _

from ...extensions import db
from ...models import Event, Talk, new_token
from ...operations import participation
from ...operations.calendar import schedule_calendar
from ...operations.schedule import (
    entry_of,
    latest_published,
    print_sheets,
    published_schedule,
    schedule_document,
)
from .. import LOCALES
from ..addresses import requested_paper, session_url
from ..device import device_token, remember_device
from ..lookup import event_or_404
from ..qr import qr_svg
from ..unpublished import not_published

blueprint = Blueprint("public", __name__)


@blueprint.app_template_filter("long_date")
def long_date(day: date | None) -> str:
    """A date as people write it in the current language, e.g. "Montag, 18. November 2024"."""
    return format_date(day, "full") if day else ""


@blueprint.app_template_filter("event_time")
def event_time(moment: datetime | None, event: Event) -> str:
    """A stored UTC moment (publishing, say) on the event's clocks, as the reader writes it."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone))
    return babel_dates.format_datetime(local, "medium", tzinfo=local.tzinfo, locale=get_locale())


@blueprint.app_template_filter("decimal")
def one_decimal(value) -> str:
    """A figure with at most one decimal, as the reader writes it (388,2 in German)."""
    return format_decimal(value, format="#,##0.#") if value is not None else "–"


@blueprint.app_template_filter("hm")
def hours_minutes(moment) -> str:
    """A local time as 13:30 (slots are stored in local time: no timezone shift)."""
    return f"{moment:%H:%M}"


@blueprint.get("/")
def index():
    """Say what this is, list the events, and show organisers (and demo visitors) the way in."""
    events = db.session.scalars(sa.select(Event).order_by(Event.starts_on.desc())).all()
    return render_template("public/index.html", events=events, demo=_demo_start(events))


@dataclass(frozen=True)
class DemoStart:
    """Where a visitor of the demo starts: an event to vote in, and the demo login."""

    event: Event | None
    email: str
    password: str


def _demo_start(events: list[Event]) -> DemoStart | None:
    """The demo's first steps while its organiser account still has the demo password."""
    from ...demo import DEMO_EMAIL, DEMO_PASSWORD
    from ...operations.accounts import user_by_email

    account = user_by_email(DEMO_EMAIL)
    if account is None or not _is_demo_password_hash(account.password_hash):
        return None
    voting = next((event for event in events if event.voting_open), None)
    return DemoStart(voting, DEMO_EMAIL, DEMO_PASSWORD)


@functools.lru_cache(maxsize=8)
def _is_demo_password_hash(password_hash: str) -> bool:
    """Whether the hash is of the demo password; cached per hash, since checking one is
    deliberately slow and the start page is the most visited."""
    from werkzeug.security import check_password_hash

    from ...demo import DEMO_PASSWORD

    return check_password_hash(password_hash, DEMO_PASSWORD)


@blueprint.post("/language")
def set_language():
    """Remember the reader's choice of language and go back to the page they were on."""
    language = request.form.get("lang")
    if language in LOCALES:
        session["lang"] = language
    return redirect(_local_path(request.form.get("next")))


def _local_path(target: str | None) -> str:
    """`target` if it is a path on this site, else the start page (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(".index")


@blueprint.get("/healthz")
def healthz():
    """Tell a load balancer the app is up and the database answers."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}


@blueprint.get("/e/<slug>/")
def event_home(slug: str):
    """Show the event and what is open now: proposals, voting (with its QR code), the plan."""
    event = event_or_404(slug)
    vote_url = url_for("participate.vote", slug=slug, _external=True)
    qr = qr_svg(vote_url, _("QR code of the voting page")) if event.voting_open else None
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
    event = event_or_404(slug)
    ballot = participation.ballot_for(event, device_token())
    schedule = published_schedule(event)
    response = make_response(
        render_template(
            "public/schedule.html",
            event=event,
            schedule=schedule,
            mine={talk.id for talk in ballot.marks} if ballot else set(),
        ),
        200 if schedule else 404,  # as every other form of the plan before it is published
    )
    response.headers["Cache-Control"] = "private, no-cache"  # each device sees its own marks
    return response


@blueprint.get("/e/<slug>/schedule/print")
def schedule_print(slug: str):
    """Show the published plan as a print-ready grid, one page per day."""
    event = event_or_404(slug)
    plan = published_schedule(event)
    paper = requested_paper()
    page = render_template(
        "public/schedule_print.html", event=event, schedule=plan, wide=paper == "a3", paper=paper
    )
    return page, 200 if plan else 404


@blueprint.app_template_global()
def plan_sheets(schedule, paper: str) -> list:
    """The printed plan's sheets (see operations.schedule.print_sheets)."""
    return print_sheets(schedule, paper)


@blueprint.get("/e/<slug>/schedule.ics")
def schedule_ics(slug: str):
    """Give the published plan as an iCalendar feed to subscribe to."""
    event = event_or_404(slug)
    schedule = published_schedule(event)
    if schedule is None:
        return not_published()
    body = schedule_calendar(
        event, schedule, host=request.host.split(":")[0], session_url=session_url(event)
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{slug}.ics"'},
    )


@blueprint.get("/e/<slug>/schedule.json")
def schedule_json(slug: str):
    """Give the published plan as plan@1 with titles, hosts, room names and local times."""
    event = event_or_404(slug)
    document = schedule_document(event, session_url(event))
    if document is None:
        return not_published(as_json=True)
    return document


@blueprint.get("/e/<slug>/sessions/<int:talk_id>")
def session_page(slug: str, talk_id: int):
    """Show one session: what it is, who hosts it, when and where, and how to follow it."""
    event = event_or_404(slug)
    talk = db.first_or_404(sa.select(Talk).where(Talk.id == talk_id, Talk.event_id == event.id))
    schedule = published_schedule(event)
    ballot = participation.ballot_for(event, device_token())
    page_url = url_for(".session_page", slug=slug, talk_id=talk.id, _external=True)
    page = render_template(
        "public/session.html",
        event=event,
        talk=talk,
        entry=entry_of(schedule, talk) if schedule else None,
        published=schedule is not None,
        marked=ballot is not None and talk in ballot.marks,
        qr=qr_svg(page_url, _("QR code of this page")),
        page_url=page_url,
    )
    if event.voting_open and device_token() is None:
        # Its mark button starts a ballot only for a device this site gave a cookie.
        return remember_device(make_response(page), new_token())
    return page
