"""Addresses and page choices that several blueprints share, so none imports another's views."""

from __future__ import annotations

from flask import request, url_for

from ..models import Event, Talk


def session_url(event: Event):
    """A function giving the full address of a session's page (for feeds and exports)."""

    def url(talk: Talk) -> str:
        return url_for("public.session_page", slug=event.slug, talk_id=talk.id, _external=True)

    return url


def requested_paper() -> str:
    """The paper the plan is printed on: A4 landscape (every office has it), A3 on request."""
    return "a3" if request.args.get("paper") == "a3" else "a4"
