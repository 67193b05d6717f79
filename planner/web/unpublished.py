"""The one answer every form of the public plan gives before the first publication."""

from __future__ import annotations

from flask import Response, make_response
from flask_babel import gettext as _


def not_published(*, as_json: bool = False) -> Response:
    """What every form of the plan answers before the first publication: a 404 with the same
    sentence in the reader's language (HTML pages say it in their own layout)."""
    message = _("No plan is published yet.")
    if as_json:
        response = make_response({"error": _("Not published"), "message": message}, 404)
    else:
        response = Response(message, status=404, mimetype="text/plain")
    response.cache_control.no_cache = True  # ask again: it may be published any minute
    response.vary.update(("Accept-Language", "Cookie"))
    return response
