"""The event an address names: one lookup for every blueprint."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Event


def event_or_404(slug: str) -> Event:
    """The event with this slug, or the app's 404 page."""
    return db.first_or_404(sa.select(Event).where(Event.slug == slug))
