"""Solving in the background: the job's progress for the board's script, stopping it early,
and taking a result that arrived after the draft had changed.

Register with `app.register_blueprint(solving)`; the blueprint also gives every template
`solve_panel(event)`, which the planning board's progress panel reads.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ...errors import UserInputError
from ...extensions import db
from ...jobs import submit
from ...models import Event, SolveJob
from ...operations import planning, solving
from ..auth.views import organiser_required
from ..lookup import event_or_404

blueprint = Blueprint("solving", __name__)


@blueprint.app_context_processor
def _panel():
    return {"solve_panel": solving.panel, "solve_proposal": _proposal}


def _proposal(event: Event, job: SolveJob) -> str | None:
    """What taking the finished job's plan would change, in a sentence, if it waits."""
    waiting = planning.proposal(event, job)
    return proposal_message(waiting) if waiting else None


def latest_job(event: Event) -> SolveJob | None:
    """The event's latest solve job."""
    return solving.latest(event)


def proposal_message(waiting: planning.Proposal) -> str:
    """A proposed plan in words: how many sessions would move and how many people gain."""
    moved = ngettext(
        "With this plan %(num)d session would move",
        "With this plan %(num)d sessions would move",
        waiting.moved,
    )
    published = ngettext(
        "%(num)d of them is in the published plan",
        "%(num)d of them are in the published plan",
        waiting.published_moved,
    )
    gain = ngettext(
        "%(num)d person more could attend what they marked.",
        "%(num)d people more could attend what they marked.",
        waiting.gain,
    )
    if waiting.gain == 0:
        gain = _("nobody more could attend what they marked.")
    return _("%(moved)s (%(published)s), and %(gain)s", moved=moved, published=published, gain=gain)


def start(event: Event, *, keep: bool, time_limit: float | None) -> SolveJob:
    """Queue a solve of the event, commit, and hand it to the job backend.

    Raises:
        UserInputError: nothing to plan, or a solve for the event is under way.
    """
    job = solving.start(event, keep=keep, time_limit=time_limit, language=str(get_locale()))
    db.session.commit()
    submit(job.id)
    db.session.expire_all()  # a synchronous job wrote with its own session
    return db.session.get(SolveJob, job.id)


def announce(event: Event, job: SolveJob) -> None:
    """Flash what became of a job just started: running, or (run in the request) its end."""
    if job.active:
        flash(_("The plan is being generated. You can watch it improve here."))
    elif job.status == "failed":
        for problem in solving.errors(job):
            flash(problem, "error")
    elif not job.applied:
        waiting = planning.proposal(event, job)
        if waiting is not None:
            flash(proposal_message(waiting))
        else:
            flash(_("The plan was changed while the new one was generated; it was not applied."))
    else:
        _announce_plan(event, job)


def _announce_plan(event: Event, job: SolveJob) -> None:
    figures = job.plan["metrics"]
    flash(
        _(
            "Plan generated: %(scheduled)s of %(total)s sessions scheduled, %(share)s %% of "
            "interests can be attended.",
            scheduled=figures["scheduled"],
            total=len(event.active_talks),
            share=round(figures["attendable_share"] * 100),
        )
    )
    if job.keep:
        titles = {talk.key: talk.title for talk in event.talks}
        moved = job.plan.get("moved", [])
        names = "; ".join(titles.get(key, key) for key in moved) or "—"
        flash(
            ngettext(
                "Moved: %(num)d session (%(titles)s).",
                "Moved: %(num)d sessions (%(titles)s).",
                len(moved),
                titles=names,
            )
        )


@blueprint.get("/organise/<slug>/plan/job")
@organiser_required
def status(slug: str):
    """The event's latest solve as JSON: state, elapsed time, progress points, outcome."""
    event = event_or_404(slug)
    answer = solving.status(solving.latest(event))
    return answer, 200, {"Cache-Control": "no-store"}


@blueprint.post("/organise/<slug>/plan/job/stop")
@organiser_required
def stop(slug: str):
    """Stop the running solve early and keep its best plan so far."""
    event = event_or_404(slug)
    job = solving.request_stop(event)
    db.session.commit()
    if _wants_json():
        return solving.status(job)
    if job is None:
        flash(_("No plan is being generated."), "error")
    else:
        flash(_("Stopping: the best plan so far is saved in a moment."))
    return redirect(url_for("planning.board", slug=slug))


@blueprint.post("/organise/<slug>/plan/job/use")
@organiser_required
def use(slug: str):
    """Make the last generated plan the draft although the draft changed meanwhile."""
    event = event_or_404(slug)
    job = solving.latest(event)
    try:
        if job is None:
            raise UserInputError(_("There is no plan from the last generation to use."))
        solving.use_result(event, job)
        db.session.commit()
    except UserInputError as error:
        db.session.rollback()
        flash(_("The generated plan was not used; nothing changed:"), "error")
        for problem in error.problems:
            flash(problem, "error")
        return redirect(url_for("planning.board", slug=slug))
    flash(_("The generated plan is now the draft."))
    return redirect(url_for("planning.board", slug=slug))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"
