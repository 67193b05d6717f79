"""Starting a solve from a page and saying what became of it: used by the planning board's
generate and re-plan buttons, kept out of any blueprint's views."""

from __future__ import annotations

from flask import flash
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ...extensions import db
from ...jobs import submit
from ...models import Event, SolveJob
from ...operations import planning, solving
from ..boundary import after_commit


def start_solve(event: Event, *, keep: bool, time_limit: float | None) -> None:
    """Queue a solve of the event; once the request commits, hand it to the job backend.

    Raises:
        UserInputError: nothing to plan, or a solve for the event is under way.
    """
    job = solving.start(event, keep=keep, time_limit=time_limit, language=str(get_locale()))
    # The worker reads the job with its own connection: only after the commit.
    after_commit(lambda: _hand_over(event, job.id))


def _hand_over(event: Event, job_id: int) -> None:
    submit(job_id)
    db.session.expire_all()  # a synchronous job wrote with its own session
    announce(event, db.session.get(SolveJob, job_id))


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
