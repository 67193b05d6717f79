"""The request boundary: a request that succeeded commits once, any other rolls back, and a
refusal (`UserInputError`, a change made on an outdated page, a lost race) gets one answer.

Indico's way: operations flush and never commit, views return an answer, and the app commits
when the answer is a success (below 400). Exceptions, each said where it is:

- `after_commit(callback)`: work that must follow the commit (mail, handing a solve to the
  job backend) runs once the request's writes are durable.
- A view that shows a form again with what was typed may catch a refusal itself; it calls
  `keep_nothing()` so nothing of the refused request is committed.
- Group commit (planner/group_commit.py) writes marks on its own connection, outside the
  request's session.

A database that stays locked past its wait (`database_busy`) is not a refusal: the error
pages in planner/web/__init__.py roll back and answer 503 with Retry-After, in the same kind.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, flash, g, message_flashed, redirect, request, session
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ..errors import UserInputError
from ..extensions import db

# PostgreSQL's codes for "another transaction is in the way": serialization failure,
# deadlock, lock not available.
BUSY_SQLSTATES = {"40001", "40P01", "55P03"}


class BoundaryFlask(Flask):
    """Flask that commits a request's writes once the view answered with a success."""

    def dispatch_request(self):
        """Run the view, then commit or roll back: a failed commit reaches the error handlers."""
        response = self.make_response(super().dispatch_request())
        finish(response)
        return response


def finish(response: Response) -> None:
    """Commit if the answer is a success and nothing was discarded, else roll back."""
    if response.status_code >= 400 or g.get("discarded"):
        db.session.rollback()
        return
    db.session.commit()
    for callback in g.pop("after_commit", []):
        callback()


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once this request's writes are committed (never if they are not)."""
    g.setdefault("after_commit", []).append(callback)


def keep_nothing() -> None:
    """Roll back what this request wrote: a view answers a refusal itself (a form shown again)."""
    db.session.rollback()
    g.discarded = True


def back_to(url: str) -> None:
    """Where a refused page request sends the reader back to (else the page they came from)."""
    g.back_to = url


def wants_json() -> bool:
    """Whether the request comes from a script that reads JSON, not from a page.

    A script says so in `Accept` (the board's and the voting page's fetch calls); addresses
    ending in `.json` are files for programs. `*/*` (curl, a browser's fallback) gets pages.
    """
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.path.endswith(".json")


def init_boundary(app: Flask) -> None:
    """Register the one answer to refusals and races."""
    app.before_request(_fresh_request)
    message_flashed.connect(_note_flash, app)
    app.register_error_handler(UserInputError, refused)
    app.register_error_handler(StaleDataError, refused)
    app.register_error_handler(IntegrityError, refused)


REQUEST_STATE = ("discarded", "back_to", "after_commit", "flashed")


def _fresh_request() -> None:
    """Start each request without the marks of one before it (`g` outlives a request where
    an app context holds several, as in the tests)."""
    for name in REQUEST_STATE:
        g.pop(name, None)


def _note_flash(_app: Flask, message: str, category: str, **_extra) -> None:
    g.setdefault("flashed", []).append((category, message))


def _forget_this_requests_flashes() -> None:
    """A view may have said "Saved" before its commit failed: take back what it said."""
    said = g.pop("flashed", [])
    if said:
        kept = list(session.get("_flashes", []))
        for item in said:
            if item in kept:
                kept.remove(item)
        session["_flashes"] = kept


def problems_of(error: Exception) -> list[str]:
    """What to tell the reader about a refusal, in their language."""
    if isinstance(error, UserInputError):
        return [str(problem) for problem in error.problems]
    if isinstance(error, IntegrityError):
        return [_("Somebody else did the same at the same moment. Nothing was saved.")]
    return [_("Somebody else changed this in the meantime. Nothing was saved; please look again.")]


def refused(error: Exception):
    """Roll back and answer: 409 JSON for scripts, the messages and the way back for pages."""
    db.session.rollback()
    _forget_this_requests_flashes()
    problems = problems_of(error)
    if wants_json():
        title = _("Not saved")
        return {"ok": False, "error": title, "message": " ".join(problems), "errors": problems}, 409
    for problem in problems:
        flash(problem, "error")
    return redirect(g.get("back_to") or _referrer() or _this_page() or "/")


def _referrer() -> str | None:
    """The page the request came from, if it is on this site (never somebody else's)."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _this_page() -> str | None:
    """The address of the request if it is a page to look at (a form sent to itself)."""
    rule = request.url_rule
    if rule is None or "GET" not in (rule.methods or ()):
        return None
    return request.full_path.rstrip("?")


def database_busy(error: Exception) -> bool:
    """Whether the database refused for a moment because others write, not because of a bug:
    SQLite's lock outlasting the busy timeout, or PostgreSQL's lock conflicts."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.orig
    return "database is locked" in str(cause) or getattr(cause, "sqlstate", None) in BUSY_SQLSTATES
