"""Background solves: start a job, record its progress, finish or fail it, take its result.

A job never touches the draft until it ends well, and then only if the draft's revision is
still the one it started from; otherwise its plan stays on the job and the organisers may
take it anyway (validated again). Failed and stopped-before-start jobs change nothing.
Operations flush and never commit: the caller (a request or the job runner) commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import UserInputError
from ..extensions import db
from ..models import (
    DONE,
    FAILED,
    QUEUED,
    STOPPED,
    Event,
    SolveJob,
    utcnow,
)
from ..scheduler import FormatError, Plan, Problem, default_time_limit, dump_plan
from ..scheduler.solve import Progress
from . import job_life, planning

# Of the time limit, kept for storing the plan and the board's last look at the job.
FINISH_SECONDS = 0.5


def latest(event: Event) -> SolveJob | None:
    """The event's most recent job, if any."""
    return job_life.latest(SolveJob, event)


def already_running_message() -> str:
    """What an organiser reads when a solve for the event is under way."""
    return _("A plan is being generated already. Wait for it or use the best plan so far.")


def start(event: Event, *, keep: bool, time_limit: float | None, language: str) -> SolveJob:
    """Queue a solve of the event (one at a time per event); the caller commits, then submits.

    Raises:
        UserInputError: nothing to plan yet, or a job for the event is queued or running.
    """
    problem = planning.plannable(event)
    return job_life.queue(
        SolveJob,
        event,
        lambda: SolveJob(
            event=event,
            keep=keep,
            status=QUEUED,
            time_limit=default_time_limit(problem) if time_limit is None else time_limit,
            draft_revision=planning.revision(event),
            language=language if language in ("de", "en") else "de",
            heartbeat_at=utcnow(),
        ),
        already_running_message(),
        _("The plan generation stopped without an answer (its process ended)."),
    )


def request_stop(event: Event) -> SolveJob | None:
    """Ask the event's running job to stop and save its best plan so far; a queued job that
    has not started ends at once. Returns the job, or None when none is active."""
    return job_life.request_stop(latest(event))


begin = job_life.begin


def inputs(job: SolveJob) -> tuple[Problem, Plan | None, dict[str, Fraction]]:
    """The event as it is now, and with `keep` the current draft to stay close to and the
    cost of moving each published session (see planning.solve_inputs)."""
    return planning.solve_inputs(job.event, job.keep)


def record(job: SolveJob, points: list[Progress]) -> None:
    """Store the progress points so far; this is also the job's sign of life."""
    job.progress = [point_document(point) for point in points]
    job.heartbeat_at = utcnow()
    db.session.flush()


def point_document(point: Progress) -> dict[str, Any]:
    """One progress point as stored and served: the figures the board shows."""
    return {
        "seconds": point.seconds,
        "scheduled": point.scheduled,
        "missed": point.missed,
        "attendable_share": point.attendable_share,
        "bound": point.bound,
    }


def finish(job: SolveJob, plan: Plan) -> None:
    """Keep the (validated) plan on the job; make it the draft if nobody changed the draft
    since the job started."""
    event = job.event
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    job.plan = dump_plan(plan)
    # Once a plan is published the result waits for the organisers (planning.proposal).
    if planning.revision(event) == job.draft_revision and not planning.asks_before_applying(event):
        planning.replace_draft(event, job.plan)
        job.applied = True
    job_life.end(job, STOPPED if plan.solver.get("stopped") else DONE)
    db.session.flush()


def fail(job: SolveJob, problems: list[str]) -> None:
    """End the job without a plan; the draft and the published plan stay as they were."""
    job_life.end(job, FAILED, "\n".join(problems))
    db.session.flush()


def use_result(event: Event, job: SolveJob) -> Plan:
    """Make a finished job's plan the draft although the draft changed meanwhile; it is
    checked against the event as it is now, so a plan that no longer fits is refused."""
    if job.plan is None or job.applied or job.event_id != event.id:
        raise UserInputError(_("There is no plan from the last generation to use."))
    try:
        plan = planning.import_plan(event, job.plan)
    except FormatError:  # a session, room or slot was deleted or withdrawn while it ran
        raise UserInputError(
            _(
                "The generated plan names sessions, rooms or slots that no longer exist: "
                "generate a new plan."
            )
        ) from None
    job.applied = True
    db.session.flush()
    return plan


@dataclass(frozen=True)
class Panel:
    """What the planning board shows about the latest job."""

    job: SolveJob
    elapsed: float
    best: dict[str, Any] | None
    errors: list[str]


def panel(event: Event) -> Panel | None:
    """The latest job while it runs, or its outcome until the draft changes after it."""
    job = latest(event)
    if job is None:
        return None
    working = planning.draft(event)
    if not job.active and working is not None and working.created_at > job.finished_at:
        return None
    return Panel(job, elapsed(job), (job.progress or [None])[-1], errors(job))


def elapsed(job: SolveJob, now: datetime | None = None) -> float:
    """Seconds since the organiser asked for the plan (so far, or in all): what they wait,
    queueing and starting included, so the progress bar keeps the time the limit promises."""
    if job.started_at is None:
        return 0.0
    end = job.finished_at or now or utcnow()
    return round(max(0.0, (end - job.created_at).total_seconds()), 1)


def search_seconds(job: SolveJob, now: datetime | None = None) -> float:
    """The solver's time limit for a job starting now: the job's limit less the time since
    the organiser asked (at most half of it), so the plan arrives within the limit."""
    waited = max(0.0, ((now or utcnow()) - job.created_at).total_seconds())
    return max(job.time_limit / 2, job.time_limit - waited - FINISH_SECONDS)


def errors(job: SolveJob) -> list[str]:
    """The reasons a job failed, one per line."""
    return [line for line in job.error.splitlines() if line.strip()]


def status(job: SolveJob | None) -> dict[str, Any]:
    """The job as the board's script polls it."""
    if job is None:
        return {"status": "none", "active": False}
    return {
        "id": job.id,
        "status": job.status,
        "active": job.active,
        "elapsed": elapsed(job),
        "time_limit": job.time_limit,
        "points": job.progress,
        "best": (job.progress or [None])[-1],
        "applied": job.applied,
        "stop_requested": job.stop_requested,
        "errors": errors(job),
    }
