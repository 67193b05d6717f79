"""Printed matter as PDF (WeasyPrint), each with an HTML preview of the same template.

Door signs carry a QR code of the room's live door screen (`screens.door`): a passer-by sees
what runs there now, including changes made after printing. Session cards link the session
page, the voting poster the voting page. Everything shown is public, like the plan, and each
PDF is rendered once per content and language (prints.cache).
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import gettext as _

from ...models import Event, Room
from ...operations import printing
from ...operations.schedule import Schedule, published_schedule
from ..addresses import requested_paper, session_url
from ..lookup import event_or_404
from ..qr import qr_svg
from .cache import cached_pdf

blueprint = Blueprint("prints", __name__)

POSTER_SIZES = ("a3", "a4")


@blueprint.get("/e/<slug>/print/doors")
def door_signs_preview(slug: str):
    """Show the door signs as they will be printed."""
    return _door_signs_html(slug)


@blueprint.get("/e/<slug>/print/doors.pdf")
def door_signs(slug: str):
    """Give a door sign per room and day of the published plan as PDF."""
    return cached_pdf(_door_signs_html(slug), f"{slug}-doors.pdf")


@blueprint.get("/e/<slug>/print/cards")
def session_cards_preview(slug: str):
    """Show the session cards as they will be printed."""
    return _session_cards_html(slug)


@blueprint.get("/e/<slug>/print/cards.pdf")
def session_cards(slug: str):
    """Give a card per active session as PDF, four to an A4 page (also before publishing)."""
    return cached_pdf(_session_cards_html(slug), f"{slug}-cards.pdf")


@blueprint.get("/e/<slug>/print/poster")
def voting_poster_preview(slug: str):
    """Show the voting poster as it will be printed."""
    return _voting_poster_html(slug, _poster_size())


@blueprint.get("/e/<slug>/print/poster.pdf")
def voting_poster(slug: str):
    """Give the voting poster as PDF: A3, or A4 with `?size=a4`."""
    size = _poster_size()
    return cached_pdf(_voting_poster_html(slug, size), f"{slug}-poster-{size}.pdf")


@blueprint.get("/e/<slug>/schedule.pdf")
def schedule_pdf(slug: str):
    """Give the published plan as PDF: A4 landscape, rooms shared over pages; `?paper=a3`."""
    event = event_or_404(slug)
    schedule = _published(event)
    paper = requested_paper()
    html = render_template(
        "public/schedule_print.html",
        event=event,
        schedule=schedule,
        wide=paper == "a3",
        paper=paper,
    )
    name = f"{slug}-plan.pdf" if paper == "a4" else f"{slug}-plan-{paper}.pdf"
    return cached_pdf(html, name, ("prints.css",))


def _door_signs_html(slug: str) -> str:
    event = event_or_404(slug)
    signs = printing.door_signs(_published(event))
    title = _("QR code of this room's live door sign")
    codes = {sign.room.id: qr_svg(_door_url(event, sign.room), title) for sign in signs}
    return render_template("prints/doors.html", event=event, signs=signs, codes=codes)


def _session_cards_html(slug: str) -> str:
    event = event_or_404(slug)
    cards = printing.session_cards(event, published_schedule(event))
    title = _("QR code of this session's page")
    page_of = session_url(event)
    codes = {card.talk.id: qr_svg(page_of(card.talk), title) for card in cards}
    return render_template("prints/cards.html", event=event, cards=cards, codes=codes)


def _voting_poster_html(slug: str, size: str) -> str:
    event = event_or_404(slug)
    vote_url = url_for("participate.vote", slug=slug, _external=True)
    qr = qr_svg(vote_url, _("QR code of the voting page"))
    return render_template("prints/poster.html", event=event, size=size, vote_url=vote_url, qr=qr)


def _poster_size() -> str:
    """`?size=`: a3 (the default) or a4."""
    size = request.args.get("size", "a3").lower()
    if size not in POSTER_SIZES:
        abort(400, description=_("The poster size must be A3 or A4."))
    return size


def _published(event: Event) -> Schedule:
    """The published plan, or stop with a 404 page that says nothing is published yet."""
    schedule = published_schedule(event)
    if schedule is None:
        abort(make_response(render_template("prints/unpublished.html", event=event), 404))
    return schedule


def _door_url(event: Event, room: Room) -> str:
    return url_for("screens.door", slug=event.slug, room_id=room.id, _external=True)
