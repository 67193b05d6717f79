"""The organiser login: one shared account until accounts and roles arrive."""

from __future__ import annotations

import hmac
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

blueprint = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    """Organiser name and password."""

    username = StringField(_l("Name"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


def organiser_required(view):
    """Send anyone who is not logged in as organiser to the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("organiser"):
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """Log the organiser in."""
    form = LoginForm()
    if form.validate_on_submit():
        config = current_app.config
        # Bytes, because compare_digest refuses non-ASCII text ("Jürgen" would be a 500).
        name_ok = hmac.compare_digest(
            form.username.data.encode(), config["ORGANISER_USER"].encode()
        )
        password_ok = hmac.compare_digest(
            form.password.data.encode(), config["ORGANISER_PASSWORD"].encode()
        )
        if name_ok and password_ok:
            session.clear()
            session["organiser"] = True
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Name or password is wrong."))
    return render_template("auth/login.html", form=form)


@blueprint.post("/logout")
def logout():
    """Log out."""
    session.pop("organiser", None)
    flash(_("You are logged out."))
    return redirect(url_for("public.index"))


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
