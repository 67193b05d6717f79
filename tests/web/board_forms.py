"""What the planning board's forms send with every change of the plan."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.models import Event
from planner.operations import planning


def board_form(board_url: str) -> dict[str, str]:
    """The draft revision a board drawn now would send (`board_url`: /organise/<slug>/plan)."""
    slug = board_url.split("/organise/", 1)[1].split("/", 1)[0]
    db.session.expire_all()
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    return {"revision": str(planning.revision(event))}
