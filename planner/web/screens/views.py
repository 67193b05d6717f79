"""Event-day screens: the foyer board and a door sign per room.

Both pages are drawn on the server for their moment; `static/screens.js` then advances them
with the clock and polls `board.json`, swapping the content in place when the plan changes.
`?at=2025-03-03T14:00` freezes both clocks: for tests and for a preview of the day.
`?lang=en` (or `de`) sets the language, whatever the screen's browser prefers; the links at
a screen's foot set it too, and the polled address keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from babel.dates import format_skeleton
from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import format_date, get_locale

from ...extensions import db
from ...models import Room
from ...operations.schedule import published_schedule
from ...operations.screens import (
    board_display,
    document_etag,
    door_display,
    screen_document,
)
from .. import LANGUAGE_NAMES, language_from_query, query_language
from ..lookup import event_or_404
from ..moments import shown_moment

blueprint = Blueprint("screens", __name__)


@dataclass(frozen=True)
class LanguageLink:
    """This screen's address in one language, for the switch at its foot."""

    code: str
    name: str
    url: str
    current: bool


@blueprint.context_processor
def screen_languages() -> dict[str, Any]:
    """The language links (a frozen `?at=` stays) and the language the address chose."""
    current = str(get_locale())
    at = request.args.get("at")
    links = [
        LanguageLink(
            code,
            name,
            url_for(request.endpoint, **request.view_args, lang=code, at=at),
            code == current,
        )
        for code, name in LANGUAGE_NAMES.items()
    ]
    return {"languages": links, "chosen_language": query_language()}


@blueprint.app_template_filter("screen_date")
def screen_date(day: date) -> str:
    """A day as a screen names it, without the year: "Monday, March 3", "Montag, 3. März"."""
    return f"{format_date(day, 'EEEE')}, {format_skeleton('MMMMd', day, locale=get_locale())}"


@blueprint.get("/e/<slug>/board")
@language_from_query
def board(slug: str):
    """Show the foyer board: in every room what runs now and what comes next."""
    event = event_or_404(slug)
    moment, frozen = shown_moment(event)
    display = board_display(event, moment)
    return render_template("screens/board.html", event=event, display=display, frozen=frozen)


@blueprint.get("/e/<slug>/rooms/<int:room_id>/door")
@language_from_query
def door(slug: str, room_id: int):
    """Show a room's door sign: what runs there now, next and later today."""
    event = event_or_404(slug)
    room = db.first_or_404(sa.select(Room).where(Room.id == room_id, Room.event_id == event.id))
    moment, frozen = shown_moment(event)
    display = door_display(event, room, moment)
    return render_template(
        "screens/door.html", event=event, room=room, display=display, frozen=frozen
    )


@blueprint.get("/e/<slug>/board.json")
@language_from_query
def board_data(slug: str):
    """Give the screens' script the published sessions; 304 while nothing changed."""
    event = event_or_404(slug)
    document = screen_document(event, published_schedule(event))
    response = jsonify(document)
    response.set_etag(document_etag(document))
    response.cache_control.no_cache = True  # a screen asks every time; 304 keeps it cheap
    return response.make_conditional(request)
