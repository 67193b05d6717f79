"""Solving in the background: the job's progress for the board's script, stopping it early,
and taking a result that arrived after the draft had changed.

Register with `app.register_blueprint(solving)`; the blueprint also gives every template
`solve_panel(event)`, which the planning board's progress panel reads.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _

from ...errors import UserInputError
from ...models import Event, SolveJob
from ...operations import planning, solving
from ..auth.access import organiser_required
from ..boundary import back_to, wants_json
from ..lookup import event_or_404
from .announce import proposal_message

blueprint = Blueprint("solving", __name__)


@blueprint.app_context_processor
def _panel():
    return {"solve_panel": solving.panel, "solve_proposal": _proposal}


def _proposal(event: Event, job: SolveJob) -> str | None:
    """What taking the finished job's plan would change, in a sentence, if it waits."""
    waiting = planning.proposal(event, job)
    return proposal_message(waiting) if waiting else None


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
    if wants_json():
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
    back_to(url_for("planning.board", slug=slug))
    if job is None:
        raise UserInputError(_("There is no plan from the last generation to use."))
    solving.use_result(event, job)
    flash(_("The generated plan is now the draft."))
    return redirect(url_for("planning.board", slug=slug))
