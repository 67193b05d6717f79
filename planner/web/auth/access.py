"""Who may do what: Flask-Login's session handling and the decorators of organiser pages.

A logged-in user reaches an event's organiser pages (every view with a `slug` argument) only
as a member of that event, owner-only pages only as its owner; site admins reach all of them.
Anyone else logged in gets 403, whether the event exists or not; anonymous visitors are sent
to the login page.
"""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user

from ...extensions import db
from ...models import OWNER, Event, Membership, User
from ...operations.accounts import add_member

login_manager = LoginManager()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session cookie, unless it predates their last "log out everywhere"."""
    row_id, _sep, version = user_id.partition(":")
    if not (row_id.isdigit() and version.isdigit()):
        return None  # a cookie from before accounts (or a forged one): not logged in
    user = db.session.get(User, int(row_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


@login_manager.unauthorized_handler
def to_login():
    """Send an anonymous visitor to the login page, then back to where they were."""
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def event_role(user, slug: str) -> str | None:
    """The user's role in the event with this slug: "owner", "organiser" or None."""
    if not user.is_authenticated:
        return None
    cache = g.setdefault("event_roles", {})
    if (user.id, slug) not in cache:
        query = (
            sa.select(Membership.role)
            .join(Membership.event)
            .where(Event.slug == slug, Membership.user_id == user.id)
        )
        cache[user.id, slug] = db.session.scalar(query)
    return cache[user.id, slug]


def may_organise(user, slug: str) -> bool:
    """Whether the user may work on the event: a member or an admin."""
    return user.is_authenticated and (user.is_admin or event_role(user, slug) is not None)


def may_manage_team(user, slug: str) -> bool:
    """Whether the user may invite, promote and remove: an owner or an admin."""
    return user.is_authenticated and (user.is_admin or event_role(user, slug) == OWNER)


def _guard(view, access: str, allowed):
    """Wrap `view`: log in first, then `allowed(user, view_kwargs)` or 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not allowed(current_user, kwargs):
            abort(403, description=_message(access))
        return view(*args, **kwargs)

    # Tests walk the URL map and find every guarded view by this mark.
    wrapped.access = {*getattr(view, "access", ()), access}
    return wrapped


def _message(access: str) -> str:
    return {
        "organiser": _("Only the organisers of this event may see this page."),
        "owner": _("Only the owners of this event may do this."),
        "admin": _("Only administrators may create events."),
    }[access]


def organiser_required(view):
    """Let in members of the event named by the `slug` argument (and admins).

    Views without a `slug` (the events list) only need a login.
    """
    return _guard(
        view,
        "organiser",
        lambda user, kwargs: "slug" not in kwargs or may_organise(user, kwargs["slug"]),
    )


def owner_required(view):
    """Let in owners of the event named by the `slug` argument (and admins)."""
    return _guard(view, "owner", lambda user, kwargs: may_manage_team(user, kwargs["slug"]))


def admin_required(view):
    """Let in site admins only (creating and importing events)."""
    return _guard(view, "admin", lambda user, _kwargs: user.is_admin)


def make_owner_of(event: Event) -> None:
    """Make the logged-in user an owner of the event they just created or imported."""
    add_member(event, current_user._get_current_object(), OWNER)
