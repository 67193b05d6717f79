"""The planning board: generate, adjust, publish; import and export.

Views parse, call one operation from planner.operations.planning and redirect; the request
boundary (planner/web/boundary.py) commits, and answers refusals and outdated boards.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from ... import mail
from ...errors import ConflictError, UserInputError
from ...extensions import db
from ...format_wording import problem_sentences, shortened
from ...models import Event, PlanVersion, Talk
from ...operations import notices, planning, solving
from ...operations.transfer import export_event, import_event
from ...scheduler import FormatError
from ...scheduler.formats import loads_json
from ...wording import describe, why_unscheduled
from ..auth.access import admin_required, make_owner_of, organiser_required
from ..boundary import after_commit, back_to, keep_nothing, wants_json
from ..lookup import event_or_404
from ..solving.announce import start_solve
from .forms import MoveForm, TalkActionForm, UploadForm

blueprint = Blueprint("planning", __name__)


@blueprint.before_request
def _refusals_go_to_board() -> None:
    """A refused change of the plan shows the board again, with the reason."""
    slug = (request.view_args or {}).get("slug")
    if slug:
        back_to(url_for("planning.board", slug=slug))


@blueprint.app_template_global()
def host_notices(talk: Talk) -> list:
    """What the hosts of `talk` were told about their published session (private page)."""
    return notices.of_talk(talk)


def _talk(event: Event, talk_id: int) -> Talk:
    talk = db.session.get(Talk, talk_id)
    if talk is None or talk.event_id != event.id:
        abort(404)
    return talk


def _move_form(event: Event) -> MoveForm:
    form = MoveForm()
    form.talk.choices = [(talk.id, talk.title) for talk in event.active_talks]
    form.place.choices = [("", _("— not scheduled —"))] + [
        (f"{room.key}|{slot.key}", f"{room.name}, {slot.starts_at:%d.%m. %H:%M}")
        for slot in event.slots
        for room in event.rooms
    ]
    if request.method == "GET" and request.args.get("talk", type=int):
        form.talk.data = request.args.get("talk", type=int)
    return form


@blueprint.get("/organise/<slug>/plan")
@organiser_required
def board(slug: str):
    """Show the planning board: grid, figures, warnings and broken rules."""
    event = event_or_404(slug)
    # The job before the draft: a job that ends between the two reads then shows as running
    # above the new draft (solve.js reloads when it sees the end), never as done above the
    # draft from before it.
    panel = solving.panel(event)
    board = planning.board(event)
    return render_template(
        "planning/board.html",
        event=event,
        board=board,
        board_panel=panel,
        grid=board.cells,
        move_form=_move_form(event),
        action_form=TalkActionForm(),
        upload_form=UploadForm(),
        describe=describe,
        unscheduled_reasons=[
            why_unscheduled(board.problem, key, board.fits.get(key, ()))
            for key in (board.plan.unscheduled if board.plan else ())
        ],
        unpublished=board.unpublished,
        versions=planning.published_versions(event),
        revision=planning.revision(event),
        places_token=planning.places_token(event),
        undo_steps=planning.undo_steps(event),
        overfull=planning.overfull(event, board),
        names=_names(event),
    )


def _seen_revision() -> int | None:
    """The draft revision the board showed when the organiser acted (None: not sent)."""
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() else None


def _check_revision(event: Event) -> None:
    """Refuse a change sent from a board drawn before the draft last changed."""
    planning.check_revision(event, _seen_revision(), request.form.get("places"))


def _run_solver(slug: str, keep: bool):
    """Start a background solve (one per event) and go back to the board, which follows it."""
    event = event_or_404(slug)
    _check_revision(event)
    start_solve(event, keep=keep, time_limit=current_app.config["SOLVER_TIME_LIMIT"])
    return redirect(url_for("planning.board", slug=slug))


@blueprint.route("/organise/<slug>/plan/generate", methods=["GET", "POST"])
@organiser_required
def generate(slug: str):
    """Generate a new plan from the event's current data; once a plan is published, ask
    first (GET shows the question), and the result waits to be looked at before it is used."""
    if request.method == "GET":
        event = event_or_404(slug)
        return render_template(
            "planning/generate.html",
            event=event,
            published=planning.published_versions(event),
            revision=planning.revision(event),
            places_token=planning.places_token(event),
        )
    return _run_solver(slug, keep=False)


@blueprint.post("/organise/<slug>/plan/undo")
@organiser_required
def undo(slug: str):
    """Bring back the draft as it was before its last change."""
    event = event_or_404(slug)
    return _draft_action(slug, lambda: planning.undo(event), _("The last change was undone."))


@blueprint.post("/organise/<slug>/plan/reset")
@organiser_required
def reset(slug: str):
    """Make a published version's places the draft again."""
    event = event_or_404(slug)
    number = request.form.get("version", type=int) or 0
    return _draft_action(
        slug,
        lambda: planning.reset_to_version(event, number),
        _("The draft has the places of version %(number)s again.", number=number),
    )


@blueprint.post("/organise/<slug>/plan/discard")
@organiser_required
def discard(slug: str):
    """Keep the draft as it is and drop the plan the solver proposed."""
    event = event_or_404(slug)
    job = solving.latest(event)
    return _draft_action(
        slug,
        lambda: planning.discard_result(event, job),
        _("The proposed plan was dropped; the draft is as it was."),
    )


def _draft_action(slug: str, action, done: str):
    """Run one change of the draft sent from the board: refused if the board was outdated."""
    event = event_or_404(slug)
    _check_revision(event)
    action()
    if wants_json():
        return {"ok": True, "message": done}
    flash(done)
    return redirect(url_for("planning.board", slug=slug))


@blueprint.post("/organise/<slug>/plan/replan")
@organiser_required
def replan(slug: str):
    """Re-plan keeping pins and, where possible, the current places."""
    return _run_solver(slug, keep=True)


@blueprint.post("/organise/<slug>/plan/move")
@organiser_required
def move(slug: str):
    """Move (or swap) a session; a move that breaks a rule is refused with the reason."""
    event = event_or_404(slug)
    form = _move_form(event)
    if not form.validate_on_submit():
        flash(_("Choose a session and a place."), "error")
        return redirect(url_for("planning.board", slug=slug))
    talk = _talk(event, form.talk.data)
    back_to(url_for("planning.board", slug=slug, _anchor=f"talk-{talk.id}"))
    room_key, _sep, slot_key = (form.place.data or "").partition("|")
    _check_revision(event)  # an outdated board: the boundary answers
    try:
        planning.move(event, talk, room_key or None, slot_key or None)
    except ConflictError:
        raise  # somebody else changed the draft: the boundary's answer
    except UserInputError as error:
        return _not_moved(slug, talk, error)
    return _back(slug, talk, _("Moved: %(title)s", title=talk.title))


def _not_moved(slug: str, talk: Talk, error: UserInputError):
    """A move that breaks a rule: the reasons next to the session on the board (kept apart
    from the boundary's answer so the board can show them in place)."""
    keep_nothing()
    headline = _("Not moved: %(title)s", title=talk.title)
    if wants_json():
        return {"ok": False, "errors": [headline, *map(str, error.problems)]}, 409
    flash(headline, "error")
    for problem in error.problems:
        flash(problem, f"talk-{talk.id}")
    return _back(slug, talk)


def _back(slug: str, talk: Talk, message: str | None = None):
    """The answer to a change that worked: JSON for the board's script, else the board at
    the session, with the message flashed."""
    if wants_json():
        return {"ok": True, "message": message or ""}
    if message:
        flash(message)
    return redirect(url_for("planning.board", slug=slug, _anchor=f"talk-{talk.id}"))


@blueprint.post("/organise/<slug>/plan/pin")
@organiser_required
def pin(slug: str):
    """Pin a session where it is, or unpin it (field `pinned`)."""
    event = event_or_404(slug)
    form = TalkActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("planning.board", slug=slug))
    talk = _talk(event, form.talk.data)
    back_to(url_for("planning.board", slug=slug, _anchor=f"talk-{talk.id}"))
    _check_revision(event)
    pinned = request.form.get("pinned") == "1"
    planning.set_pin(event, talk, pinned)
    if pinned:
        return _back(slug, talk, _("Pinned: %(title)s", title=talk.title))
    return _back(slug, talk, _("Unpinned: %(title)s", title=talk.title))


@blueprint.post("/organise/<slug>/plan/publish")
@organiser_required
def publish(slug: str):
    """Publish the draft as a new immutable version."""
    event = event_or_404(slug)
    _check_revision(event)  # what would be published must be what was seen
    # Two publications at the same moment: the second one's IntegrityError, at the boundary.
    version, changed = planning.publish(event)
    pending = notices.pending_ids(notices.of_version(event, version.number))
    # After the commit: a failed or slow mail never holds up or undoes the publication.
    after_commit(lambda: mail.deliver(pending))
    flash(_published_message(version, changed))
    return redirect(url_for("planning.version", slug=slug, number=version.number))


def _published_message(version: PlanVersion, changed: list) -> str:
    if version.number == 1:
        return _("Version 1 is published: attendees, screens and calendars show it now.")
    return ngettext(
        "Version %(number)s is published; %(num)d session changed place.",
        "Version %(number)s is published; %(num)d sessions changed place.",
        len(changed),
        number=version.number,
    )


@blueprint.get("/organise/<slug>/plan/versions/<int:number>")
@organiser_required
def version(slug: str, number: int):
    """Show a published version and what changed since the one before."""
    event = event_or_404(slug)
    found = planning.version_changes(event, number)
    if found is None:
        abort(404)
    current, changed = found
    return render_template(
        "planning/version.html",
        event=event,
        version=current,
        changes=changed,
        names=_names(event),
        told=notices.of_version(event, number),
    )


def _names(event: Event) -> dict[str, str]:
    names = {talk.key: talk.title for talk in event.talks}
    names.update({room.key: room.name for room in event.rooms})
    names.update({slot.key: f"{slot.starts_at:%d.%m. %H:%M}" for slot in event.slots})
    return names


@blueprint.get("/organise/<slug>/export/event.json")
@organiser_required
def export_event_file(slug: str):
    """Download the event as event@1."""
    event = event_or_404(slug)
    return _download(export_event(event), f"{slug}-event.json")


@blueprint.get("/organise/<slug>/export/plan.json")
@organiser_required
def export_plan_file(slug: str):
    """Download the draft plan as plan@1."""
    event = event_or_404(slug)
    working = planning.draft(event)
    if working is None:
        flash(_("There is no plan to export yet."), "error")
        return redirect(url_for("planning.board", slug=slug))
    return _download(working.document, f"{slug}-plan.json")


def _download(document: dict, filename: str) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.post("/organise/<slug>/import/plan")
@organiser_required
def import_plan_file(slug: str):
    """Make an uploaded plan@1 file the draft, if it is valid for this event."""
    event = event_or_404(slug)
    form, document = UploadForm(), None
    try:
        document = _uploaded(form)
        planning.import_plan(event, document)
    except (FormatError, UserInputError) as error:
        _refused(_("The plan was not imported; nothing changed:"), error, document)
        return redirect(url_for("planning.board", slug=slug))
    flash(_("Plan imported."))
    return redirect(url_for("planning.board", slug=slug))


@blueprint.post("/organise/import")
@organiser_required
@admin_required
def import_event_file():
    """Create a new event from an uploaded event@1 file (all or nothing); its importer owns it."""
    form, document = UploadForm(), None
    try:
        document = _uploaded(form)
        event = import_event(document)
        make_owner_of(event)
    except (FormatError, UserInputError) as error:
        _refused(_("The event was not imported; nothing changed:"), error, document)
        return redirect(url_for("organise.events"))
    flash(_("Event imported: %(name)s", name=event.name))
    return redirect(url_for("planning.board", slug=event.slug))


def _refused(headline: str, error: FormatError | UserInputError, document: object) -> None:
    """Say that a file was refused and why, in the reader's language (its own words, not the
    boundary's: the problems point into the file), and keep nothing of it."""
    keep_nothing()
    flash(headline, "error")
    for sentence in shortened(problem_sentences(error, document)):
        flash(sentence, "error")


def _uploaded(form: UploadForm):
    if not form.validate_on_submit():
        raise UserInputError(_("Choose a JSON file to import."))
    return loads_json(form.document.data.read())
