"""The `?at=` parameter of the pages that show "now": a frozen wall-clock time.

Organisers use it to preview what a screen or an agenda will show at 14:00; tests use it to
freeze the clock. It is read as a local time of the event, like the stored slot times; a
time with an offset is the same instant on the event's clock.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, request
from flask_babel import gettext as _

from ..models import Event
from ..operations.schedule import event_now
from ..operations.screens import local_moment


def frozen_moment(event: Event) -> datetime | None:
    """The time in `?at=2025-03-03T10:30`, None without one; 400 if it is no time."""
    text = request.args.get("at")
    if text is None:
        return None
    try:
        return local_moment(text, event.timezone)
    except ValueError:
        abort(400, description=_("“at” must be a date and time like 2025-03-03T14:00."))


def shown_moment(event: Event) -> tuple[datetime, bool]:
    """The moment a page shows, and whether it is frozen: `?at=` or the event's clock now."""
    moment = frozen_moment(event)
    return (event_now(event), False) if moment is None else (moment, True)
