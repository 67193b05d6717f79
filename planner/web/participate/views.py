"""Proposers and attendees, without an account: pitch a session, vote on a phone.

A proposer's private link carries the session's `edit_token`. An attendee's device carries a
signed cookie with a random token; the ballot for an event is found by that token.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ...errors import UserInputError
from ...extensions import db
from ...group_commit import committer
from ...models import Ballot, Event, Talk, new_token
from ...operations import agenda as agendas
from ...operations import codes, participation
from ...operations import rounds as table_rounds
from ...operations.calendar import route_events, schedule_calendar
from ...operations.schedule import entry_of, event_now, latest_published, published_schedule
from ..addresses import session_url
from ..boundary import back_to, keep_nothing, wants_json
from ..device import (
    device_token,
    feed_code,
    feed_key_from_code,
    remember_device,
    token_from_transfer,
    transfer_code,
)
from ..lookup import event_or_404
from ..moments import shown_moment
from ..security import (
    NEW_DEVICES,
    PROPOSALS,
    VOTING_CODES,
    VOTING_CODES_PER_DEVICE,
    device_or_address,
    event_and_device,
    has_device,
    limiter,
    new_ballot_gate,
    not_a_post,
    refused,
    within_limit,
)
from .cards import voting_list
from .forms import ProposalForm, form_data

blueprint = Blueprint("participate", __name__)


def _talk_by_token(event: Event, token: str) -> Talk:
    return db.first_or_404(
        sa.select(Talk).where(Talk.event_id == event.id, Talk.edit_token == token)
    )


# --- proposers -----------------------------------------------------------------------------


@blueprint.route("/e/<slug>/propose", methods=["GET", "POST"])
@limiter.limit(PROPOSALS, key_func=event_and_device, exempt_when=not_a_post)
def propose(slug: str):
    """Let anyone pitch a session while proposals are open."""
    event = event_or_404(slug)
    if not event.proposals_open:
        return render_template("participate/proposals_closed.html", event=event)
    if request.method == "GET" and device_token() is None:
        # The limit on proposals counts per device: give this one its cookie.
        page = _propose_page(event, ProposalForm().for_event(event))
        return remember_device(make_response(page), new_token())
    form = ProposalForm().for_event(event)
    if form.validate_on_submit():
        try:
            talk = participation.submit_proposal(event, form.proposal())
        except UserInputError as error:
            keep_nothing()
            form.form_errors.extend(error.problems)
        else:
            return redirect(url_for(".edit_proposal", slug=slug, token=talk.edit_token, sent=1))
    return _propose_page(event, form)


def _propose_page(event: Event, form: ProposalForm) -> str:
    return render_template("participate/propose.html", event=event, form=form)


@blueprint.route("/e/<slug>/proposals/<token>", methods=["GET", "POST"])
def edit_proposal(slug: str, token: str):
    """Show a session through its private link; edit it until planning starts."""
    event = event_or_404(slug)
    talk = _talk_by_token(event, token)
    editable = not event.planning_started and not talk.withdrawn
    form = ProposalForm(data=form_data(talk)).for_event(event)
    if editable and form.validate_on_submit():
        try:
            participation.update_proposal(talk, form.proposal(), version=_version(form))
        except UserInputError as error:  # also a conflict: the page keeps what was typed
            keep_nothing()
            flash(" ".join(error.problems), "error")
            form.version.data = talk.version  # sending again now means "mine win"
        else:
            flash(_("Your changes are saved."))
            return redirect(url_for(".edit_proposal", slug=slug, token=token))
    schedule = published_schedule(event)
    return render_template(
        "participate/proposal.html",
        event=event,
        talk=talk,
        form=form,
        editable=editable,
        sent=request.args.get("sent") == "1",
        schedule=schedule,
        entry=entry_of(schedule, talk) if schedule else None,
        # Sent from a page opened before planning started: not saved, but shown again, so
        # the proposer can take it to the organisers rather than lose it.
        unsaved=form if request.method == "POST" and not editable else None,
    )


def _version(form) -> int | None:
    text = form.version.data
    return int(text) if text and str(text).isdigit() else None


@blueprint.post("/e/<slug>/proposals/<token>/withdraw")
def withdraw_proposal(slug: str, token: str):
    """Withdraw a session through its private link, or put it back (`restore`)."""
    event = event_or_404(slug)
    talk = _talk_by_token(event, token)
    restore = request.form.get("restore") == "1"
    back_to(url_for(".edit_proposal", slug=slug, token=token))
    participation.withdraw_proposal(talk, withdrawn=not restore)
    flash(_("Your session is back on the list.") if restore else _("Your session is withdrawn."))
    return redirect(url_for(".edit_proposal", slug=slug, token=token))


# --- attendees -----------------------------------------------------------------------------


# Voting pages for phones without a device cookie, per address (see security.LIMITS).
new_device = limiter.shared_limit(NEW_DEVICES, scope="new-device", exempt_when=has_device)


@blueprint.get("/e/<slug>/vote")
@new_device
def vote(slug: str):
    """Show every session in this device's own order, each with one button to mark it."""
    event = event_or_404(slug)
    known = device_token()
    token = known or new_token()
    ballot = participation.ballot_for(event, known)  # a new device has none: no query
    page = _vote_page(event, ballot, token)
    return remember_device(_personal(make_response(page)), token)


def _vote_page(event: Event, ballot: Ballot | None, token: str) -> str:
    """The voting page; before it the code from a badge, if needed; after voting the
    device's marks and, once the plan is out, the way to it."""
    if not event.voting_open:
        return render_template(
            "participate/vote_closed.html",
            event=event,
            ballot=ballot,
            count=participation.mark_count(ballot),
            published=latest_published(event) is not None,
        )
    if not codes.may_vote(event, ballot):
        return render_template(
            "participate/vote_code.html", event=event, typed=request.args.get("code", "")
        )
    cards, count = voting_list(event, token, ballot.id if ballot else None)
    return render_template(
        "participate/vote.html",
        event=event,
        online=ballot is not None and ballot.online,
        cards=cards,
        count=count,
    )


def _personal(response: Response) -> Response:
    """Keep a page of this device's own marks out of every cache, the back button's too.

    Restored from the back/forward cache, the voting page would show marks as they were
    before the attendee changed them, and a tap on it would act on that old picture.
    """
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _refusals() -> dict[str, tuple[str, int]]:
    """Why a tap was not saved, in the attendee's words, with the status of the answer."""
    return {
        participation.CLOSED: (_("Voting is closed."), 409),
        participation.NEEDS_CODE: (
            _("Please enter the voting code from your badge first."),
            409,
        ),
        participation.TOO_MANY_NEW: (
            _(
                "Very many phones started voting from your network just now. "
                "Please wait a minute and tap again."
            ),
            429,
        ),
    }


def _limit_marks() -> None:
    """Marks and the online choice share one count per device (RATELIMIT_MARKS)."""
    if not within_limit("RATELIMIT_MARKS", "marks", device_or_address()):
        abort(429)


def _unknown_device(slug: str):
    """A tap or choice from a device without a cookie from the voting page: no ballot."""
    return _refused(
        slug,
        _("This phone is not known here yet: please open the voting page again, then vote."),
        status=400,
    )


@blueprint.post("/e/<slug>/vote/<int:talk_id>")
def set_mark(slug: str, talk_id: int):
    """Mark one session, or unmark it with `marked=0`; answer JSON to vote.js, else go back
    to the list.

    A ballot is only made for a device whose cookie came from the voting page, so a bare
    POST makes none. The tap is written by group commit: answered once it is on disk.
    """
    _limit_marks()
    token = device_token()
    if token is None:
        return _unknown_device(slug)
    # The form says the state it wants, as its page showed it; without the field the
    # address's verb holds: mark.
    tap = participation.Tap(slug, talk_id, token, marked=request.form.get("marked") != "0")
    gate = new_ballot_gate()
    result = committer(current_app, db.engine).run(
        lambda connection: participation.record_tap(connection, tap, gate)
    )
    if result.refusal == participation.MISSING:
        abort(404)
    if result.refusal:
        message, status = _refusals()[result.refusal]
        return _refused(slug, message, status=status)
    if wants_json():
        return {"marked": result.marked, "count": result.count}
    if request.form.get("back") == "session":
        return redirect(url_for("public.session_page", slug=slug, talk_id=talk_id))
    return redirect(url_for(".vote", slug=slug, _anchor=f"talk-{talk_id}"))


def _wrong_code(response: Response) -> bool:
    """A code typed and refused: it counts against the limits (an empty form does not)."""
    return refused(response) and bool(codes.normalised(request.form.get("code", "")))


# Only wrong codes count (see security.LIMITS): per address and per device.
@blueprint.post("/e/<slug>/vote/code")
@limiter.limit(VOTING_CODES, deduct_when=_wrong_code)
@limiter.limit(VOTING_CODES_PER_DEVICE, key_func=device_or_address, deduct_when=_wrong_code)
def enter_code(slug: str):
    """Take the voting code from a badge: this device votes with that code's ballot."""
    event = event_or_404(slug)
    typed = request.form.get("code", "")
    try:
        ballot = codes.redeem(event, typed, participation.ballot_for(event, device_token()))
    except UserInputError as error:  # the page again: a 400 keeps nothing
        page = render_template(
            "participate/vote_code.html", event=event, typed=typed, errors=error.problems
        )
        return page, 400
    flash(_("Code accepted: you can vote now."))
    return remember_device(redirect(url_for(".vote", slug=slug)), ballot.token)


@blueprint.post("/e/<slug>/vote/online")
def set_online(slug: str):
    """Record whether this device's attendee follows online or on site."""
    _limit_marks()
    event = event_or_404(slug)
    token = device_token()
    if token is None:
        return _unknown_device(slug)
    online = request.form.get("online") == "1"
    back_to(url_for(".vote", slug=slug))
    ballot = participation.ballot_for(event, token)
    if ballot is None:
        if not new_ballot_gate()(db.session.connection()):
            raise UserInputError(_refusals()[participation.TOO_MANY_NEW][0])
        ballot = participation.ballot_for(event, token, create=True)
    participation.set_online(ballot, online)
    flash(_("Saved: you follow online.") if online else _("Saved: you are on site."))
    return redirect(url_for(".vote", slug=slug, _anchor="where"))


def _refused(slug: str, message: str, *, status: int = 409):
    if wants_json():  # as every other refusal answers vote.js: a title, then the reason
        return {"error": _("Not saved"), "message": message}, status
    flash(message, "error")
    return redirect(url_for(".vote", slug=slug))


# --- the attendee's own day ----------------------------------------------------------------


@blueprint.get("/e/<slug>/agenda")
def agenda(slug: str):
    """Show this device's marked sessions in the published plan: now, next, clashes, links."""
    event = event_or_404(slug)
    token = device_token()
    ballot = participation.ballot_for(event, token)
    schedule = published_schedule(event)
    moment, _frozen = shown_moment(event)
    page = render_template(
        "participate/agenda.html",
        event=event,
        ballot=ballot,
        schedule=schedule,
        agenda=agendas.build_agenda(ballot, schedule, moment),
        route=table_rounds.route(event, ballot),
        feed_url=_feed_url(event, ballot),
        transfer_url=_transfer_url(event, token) if ballot else None,
        movable=agendas.move_refusal(event) is None,
    )
    return _personal(make_response(page))


def _feed_url(event: Event, ballot: Ballot | None) -> str | None:
    if ballot is None:
        return None
    code = feed_code(ballot.feed_key)
    return url_for(".agenda_calendar", slug=event.slug, code=code, _external=True)


def _transfer_url(event: Event, token: str | None) -> str | None:
    if not token:
        return None
    return url_for(".move_agenda", slug=event.slug, code=transfer_code(token), _external=True)


@blueprint.post("/e/<slug>/agenda/choose/<int:talk_id>")
def choose(slug: str, talk_id: int):
    """Among clashing sessions on the agenda, record the one this attendee goes to."""
    event = event_or_404(slug)
    ballot = participation.ballot_for(event, device_token())
    talk = db.session.get(Talk, talk_id)
    schedule = published_schedule(event)
    back_to(url_for(".agenda", slug=slug))
    if ballot is None or talk is None or schedule is None:
        raise UserInputError(_("This session is not on your agenda."))
    agendas.choose(ballot, talk, schedule)
    flash(_("Saved: you go to “%(title)s”.", title=talk.title))
    at = request.form.get("at") or None  # a frozen clock stays frozen
    return redirect(url_for(".agenda", slug=slug, at=at, _anchor=f"talk-{talk.id}"))


def _route_events(event: Event, ballot: Ballot, route: list, host: str):
    rounds = table_rounds.rounds_of(event)
    if not route or rounds is None or rounds.published_at is None:
        return []
    return route_events(
        event,
        route,
        person=ballot.key,
        sequence=rounds.revision,
        stamp=rounds.published_at,
        host=host,
    )


@blueprint.route("/e/<slug>/agenda/move/<code>", methods=["GET", "POST"])
def move_agenda(slug: str, code: str):
    """Open a private transfer link: after a confirmation, this device takes the agenda."""
    event = event_or_404(slug)
    token = token_from_transfer(code)
    moved = participation.ballot_for(event, token)
    if moved is None:
        return render_template("participate/move_invalid.html", event=event), 404
    refusal = agendas.move_refusal(event)
    if refusal:
        return render_template("participate/move_refused.html", event=event, refusal=refusal), 409
    own_token = device_token()
    own = participation.ballot_for(event, own_token) if own_token != token else None
    if request.method == "GET":
        return render_template(
            "participate/move.html",
            event=event,
            moved=moved,
            own=own,
            moved_count=participation.mark_count(moved),
            own_count=participation.mark_count(own),
        )
    agendas.adopt_ballot(event, moved, own)
    flash(_("This device now shows your agenda."))
    return remember_device(redirect(url_for(".agenda", slug=slug)), token)


@blueprint.get("/e/<slug>/agenda/<code>.ics")
def agenda_calendar(slug: str, code: str):
    """The sessions on one attendee's agenda and their table rounds as a calendar feed to
    subscribe to."""
    event = event_or_404(slug)
    ballot = participation.ballot_by_feed_key(event, feed_key_from_code(code))
    if ballot is None:
        abort(404)
    schedule = published_schedule(event)
    route = table_rounds.route(event, ballot)
    if schedule is None and route is None:
        abort(404)
    host = request.host.split(":")[0]
    agenda = agendas.build_agenda(ballot, schedule, event_now(event))
    body = schedule_calendar(
        event,
        schedule,
        host=host,
        session_url=session_url(event),
        entries=agenda.in_calendar,
        name=_("%(event)s: my agenda", event=event.name),
        extra=_route_events(event, ballot, route or [], host),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{slug}-agenda.ics"'},
    )
