"""Standard exports of the published plan: frab schedule XML for conference apps and a CSV
for spreadsheets.

Both answer 304 while nothing changed: apps poll schedule.xml.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _

from ...operations import exports
from ...operations.schedule import published_schedule
from ..addresses import session_url
from ..labels import FORMAT_LABELS, LANGUAGE_LABELS
from ..lookup import event_or_404
from ..unpublished import not_published

blueprint = Blueprint("exports", __name__)


@blueprint.get("/e/<slug>/schedule.xml")
def schedule_xml(slug: str):
    """Give the published plan as frab schedule XML (Fahrplan, Giggity, ConfClerk, c3voc)."""
    event = event_or_404(slug)
    schedule = published_schedule(event)
    if schedule is None:
        return not_published()
    body = exports.schedule_xml(
        event,
        schedule,
        base_url=url_for("public.event_home", slug=slug, _external=True),
        session_url=session_url(event),
    )
    return _conditional(Response(body, content_type="application/xml; charset=utf-8"))


@blueprint.get("/e/<slug>/schedule.csv")
def schedule_csv(slug: str):
    """Give the published plan as a CSV for spreadsheets, in the reader's language."""
    event = event_or_404(slug)
    schedule = published_schedule(event)
    if schedule is None:
        return not_published()
    body = exports.schedule_csv(
        schedule,
        headers=_csv_headers(),
        formats=FORMAT_LABELS,
        languages=LANGUAGE_LABELS,
        cancelled=_("Cancelled"),
    )
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-plan.csv"'
    response.vary.update(("Accept-Language", "Cookie"))  # the headers follow the language
    return _conditional(response)


def _csv_headers() -> dict[str, str]:
    return {
        "date": _("Date"),
        "start": _("Start"),
        "end": _("End"),
        "room": _("Room"),
        "title": _("Title"),
        "hosts": _("Hosts"),
        "format": _("Format"),
        "language": _("Language"),
        "length": _("Length (slots)"),
        "description": _("Description"),
        "status": _("Status"),
    }


def _conditional(response: Response) -> Response:
    """An ETag of the body and a 304 when the client has it.

    Not the version number alone: titles and room names are read live, and an organiser may
    fix a typo after publishing.
    """
    response.add_etag()
    response.cache_control.no_cache = True  # ask every time; a 304 keeps that cheap
    return response.make_conditional(request)
