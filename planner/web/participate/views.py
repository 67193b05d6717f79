"""Proposers and attendees, without an account: pitch a session, vote on a phone.

A proposer's private link carries the session's `edit_token`. An attendee's device carries a
signed cookie with a random token; the ballot for an event is found by that token.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from ...errors import UserInputError
from ...extensions import db
from ...models import Event, Talk, new_token
from ...operations import participation
from .forms import ProposalForm, form_data

blueprint = Blueprint("participate", __name__)

DEVICE_COOKIE = "barcamp_device"
DEVICE_MAX_AGE = 180 * 24 * 3600  # a season of barcamps; the ballot is per event anyway


def _event(slug: str) -> Event:
    return db.first_or_404(sa.select(Event).where(Event.slug == slug))


def _talk_by_token(event: Event, token: str) -> Talk:
    return db.first_or_404(
        sa.select(Talk).where(Talk.event_id == event.id, Talk.edit_token == token)
    )


# --- proposers -----------------------------------------------------------------------------


@blueprint.route("/e/<slug>/propose", methods=["GET", "POST"])
def propose(slug: str):
    """Let anyone pitch a session while proposals are open."""
    event = _event(slug)
    if not event.proposals_open:
        return render_template("participate/proposals_closed.html", event=event)
    form = ProposalForm().for_event(event)
    if form.validate_on_submit():
        try:
            talk = participation.submit_proposal(event, form.proposal())
        except UserInputError as error:
            db.session.rollback()
            form.form_errors.extend(error.problems)
        else:
            db.session.commit()
            return redirect(url_for(".edit_proposal", slug=slug, token=talk.edit_token, sent=1))
    return render_template("participate/propose.html", event=event, form=form)


@blueprint.route("/e/<slug>/proposals/<token>", methods=["GET", "POST"])
def edit_proposal(slug: str, token: str):
    """Show a session through its private link; edit it until planning starts."""
    event = _event(slug)
    talk = _talk_by_token(event, token)
    editable = not event.planning_started and not talk.withdrawn
    form = ProposalForm(data=form_data(talk)).for_event(event)
    if editable and form.validate_on_submit():
        try:
            participation.update_proposal(talk, form.proposal(), version=_version(form))
        except UserInputError as error:  # also a conflict: the page keeps what was typed
            db.session.rollback()
            flash(" ".join(error.problems), "error")
            form.version.data = talk.version  # sending again now means "mine win"
        else:
            db.session.commit()
            flash(_("Your changes are saved."))
            return redirect(url_for(".edit_proposal", slug=slug, token=token))
    return render_template(
        "participate/proposal.html",
        event=event,
        talk=talk,
        form=form,
        editable=editable,
        sent=request.args.get("sent") == "1",
    )


def _version(form) -> int | None:
    text = form.version.data
    return int(text) if text and str(text).isdigit() else None


@blueprint.post("/e/<slug>/proposals/<token>/withdraw")
def withdraw_proposal(slug: str, token: str):
    """Withdraw a session through its private link, or put it back (`restore`)."""
    event = _event(slug)
    talk = _talk_by_token(event, token)
    restore = request.form.get("restore") == "1"
    try:
        participation.withdraw_proposal(talk, withdrawn=not restore)
    except UserInputError as error:
        db.session.rollback()
        flash(" ".join(error.problems), "error")
    else:
        db.session.commit()
        flash(
            _("Your session is back on the list.") if restore else _("Your session is withdrawn.")
        )
    return redirect(url_for(".edit_proposal", slug=slug, token=token))


# --- attendees -----------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="barcamp-device")


def _device_token() -> str | None:
    """The token in this device's signed cookie, or None (a forged cookie counts as none)."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        token = _serializer().loads(value)
    except BadSignature:
        return None
    return token if isinstance(token, str) and token else None


def _remember_device(response, token: str):
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(token),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@blueprint.get("/e/<slug>/vote")
def vote(slug: str):
    """Show every session in this device's own order, each with one button to mark it."""
    event = _event(slug)
    token = _device_token() or new_token()
    ballot = participation.ballot_for(event, token)
    marked = {talk.id for talk in ballot.marks} if ballot else set()
    page = render_template(
        "participate/vote.html" if event.voting_open else "participate/vote_closed.html",
        event=event,
        ballot=ballot,
        talks=participation.voting_order(event.active_talks, token),
        marked=marked,
        count=participation.mark_count(ballot),
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-cache"  # each device sees its own marks
    return _remember_device(response, token)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@blueprint.post("/e/<slug>/vote/<int:talk_id>")
def toggle_mark(slug: str, talk_id: int):
    """Mark or unmark one session; answer JSON to vote.js, else go back to the list."""
    event = _event(slug)
    talk = db.first_or_404(
        sa.select(Talk).where(
            Talk.id == talk_id, Talk.event_id == event.id, Talk.withdrawn.is_(False)
        )
    )
    token = _device_token() or new_token()
    try:
        # The ballot is made on the first mark; if voting is closed the rollback drops it.
        ballot = participation.ballot_for(event, token, create=True)
        marked = participation.toggle_mark(ballot, talk)
    except UserInputError as error:
        db.session.rollback()
        return _refused(slug, " ".join(error.problems))
    db.session.commit()
    if _wants_json():
        response = make_response({"marked": marked, "count": participation.mark_count(ballot)})
    else:
        response = redirect(url_for(".vote", slug=slug, _anchor=f"talk-{talk.id}"))
    return _remember_device(response, token)


@blueprint.post("/e/<slug>/vote/online")
def set_online(slug: str):
    """Record whether this device's attendee follows online or on site."""
    event = _event(slug)
    token = _device_token() or new_token()
    online = request.form.get("online") == "1"
    try:
        ballot = participation.ballot_for(event, token, create=True)
        participation.set_online(ballot, online)
    except UserInputError as error:
        db.session.rollback()
        return _refused(slug, " ".join(error.problems))
    db.session.commit()
    flash(_("Saved: you follow online.") if online else _("Saved: you are on site."))
    return _remember_device(redirect(url_for(".vote", slug=slug, _anchor="where")), token)


def _refused(slug: str, message: str):
    if _wants_json():
        return {"error": message}, 409
    flash(message, "error")
    return redirect(url_for(".vote", slug=slug))
