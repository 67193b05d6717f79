"""Organiser accounts: login, logout, the account page and accepting an invitation.

Who may see which organiser page is decided in `access`; the writes are in `accounts`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from ...errors import UserInputError
from ...models import Invitation
from ...operations import accounts
from ..boundary import back_to, keep_nothing
from .access import (
    login_manager,
    may_manage_team,
)
from .forms import ROLE_LABELS, LoginForm, NewAccountForm, PasswordForm

blueprint = Blueprint("auth", __name__)
blueprint.record_once(lambda state: login_manager.init_app(state.app))


@blueprint.app_template_global("may_manage_team")
def _may_manage_team(event) -> bool:
    """Whether to offer the team page in the event navigation (a global: macros see it)."""
    return may_manage_team(current_user, event.slug)


@blueprint.app_context_processor
def _role_labels() -> dict:
    """Name the roles on the team and invitation pages."""
    return {"role_labels": ROLE_LABELS}


def _start_session(user) -> None:
    """Log the user in on a fresh session (no state from before the login survives)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user, remember=False)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """Log an organiser in by email and password."""
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"]  # from an invitation
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Email or password is wrong."))
    return render_template("auth/login.html", form=form)


@blueprint.post("/logout")
def logout():
    """Log out on this browser."""
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You are logged out."))
    return redirect(url_for("public.index"))


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show the account; change the password (other sessions end)."""
    form = PasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            accounts.change_password(user, form.old_password.data, form.new_password.data)
        except UserInputError as error:
            keep_nothing()
            form.old_password.errors.extend(error.problems)
        else:
            _start_session(user)  # this browser stays logged in, with the new version
            flash(_("Your password was changed. Other browsers are logged out."))
            return redirect(url_for(".account"))
    return render_template("auth/account.html", form=form)


@blueprint.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every other session of this account; this browser stays logged in."""
    user = current_user._get_current_object()
    accounts.end_sessions(user)
    _start_session(user)
    flash(_("You are logged out on every other browser and device."))
    return redirect(url_for(".account"))


@blueprint.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Accept an invitation: log in to accept, or create the invited account."""
    found = accounts.invitation_by_token(token)
    problem = accounts.invitation_problem(found)
    if problem is not None:
        code = 404 if problem == "unknown" else 410
        return render_template("auth/invitation_gone.html", problem=problem), code
    if current_user.is_authenticated:
        return _accept_logged_in(found)
    if accounts.user_by_email(found.email) is not None:
        login_url = url_for(".login", next=request.path, email=found.email)
        return render_template("auth/invitation.html", invitation=found, login_url=login_url)
    return _accept_as_new(found)


def _accept_logged_in(invitation: Invitation):
    form = FlaskForm()
    if current_user.email != invitation.email:
        return render_template("auth/invitation.html", invitation=invitation, wrong_account=True)
    if form.validate_on_submit():
        back_to(url_for(".invitation", token=invitation.token))
        accounts.accept(invitation, current_user._get_current_object())
        return _welcome(invitation)
    return render_template("auth/invitation.html", invitation=invitation, form=form)


def _accept_as_new(invitation: Invitation):
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept_as_new(invitation, form.name.data, form.password.data)
        except UserInputError as error:
            keep_nothing()
            form.name.errors.extend(error.problems)
        else:
            _start_session(user)
            return _welcome(invitation)
    return render_template("auth/invitation.html", invitation=invitation, form=form, new=True)


def _welcome(invitation: Invitation):
    event = invitation.event
    flash(_("Welcome to the team of “%(name)s”.", name=event.name))
    return redirect(url_for("organise.event", slug=event.slug))


def _safe_next(target: str | None) -> str:
    """Only follow a plain path on this site after login, never another site.

    Browsers ignore tabs and newlines in URLs and read a backslash as a slash, so
    `/\tevil.example` or `/\\evil.example` would lead elsewhere: refuse them all.
    """
    fallback = url_for("organise.events")
    if not target or any(ord(char) < 32 or char == "\\" for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
