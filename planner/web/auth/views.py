"""The organiser login: one shared account until accounts and roles arrive."""

from __future__ import annotations

import hmac
from functools import wraps

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
        name_ok = hmac.compare_digest(form.username.data, config["ORGANISER_USER"])
        password_ok = hmac.compare_digest(form.password.data, config["ORGANISER_PASSWORD"])
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
    """Only follow local paths after login, never another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("organise.events")
