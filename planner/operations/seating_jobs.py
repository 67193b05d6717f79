"""Seating the table rounds in the background: start a job, record its progress, finish or
fail it, stop it early.

Like the plan's solve jobs (operations/solving.py): one queued or running job per event, a
heartbeat so that a job lost with its process no longer blocks a new one, and the result
stored only when it still fits the rounds as they are when it ends (the validator decides).
Operations flush and never commit: the caller (a request or the job runner) commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..errors import UserInputError
from ..extensions import db
from ..models import DONE, FAILED, QUEUED, STOPPED, Event, SeatJob, utcnow
from ..scheduler.rounds import violations
from ..scheduler.rounds.solve import SeatProgress, default_time_limit
from . import job_life
from . import rounds as operations


def latest(event: Event) -> SeatJob | None:
    """The event's most recent seating job, if any."""
    return job_life.latest(SeatJob, event)


def already_running_message() -> str:
    """What an organiser reads when a seating for the event is under way."""
    return _("The tables are being distributed already. Wait for it or stop it.")


def start(event: Event, *, latecomers: bool, time_limit: float | None, language: str) -> SeatJob:
    """Queue a seating of the event's rounds; the caller commits, then submits.

    Raises:
        UserInputError: no tables or nobody to seat, or a seating is under way.
    """
    rounds = operations.rounds_of(event)
    if rounds is None:
        raise UserInputError(_("Set up the tables first."))
    problem = operations.problem_of(rounds)
    if not problem.people:
        raise UserInputError(_("Nobody has chosen a topic yet: there is nobody to seat."))
    return job_life.queue(
        SeatJob,
        event,
        lambda: SeatJob(
            event=event,
            latecomers=latecomers,
            status=QUEUED,
            time_limit=default_time_limit(problem) if time_limit is None else time_limit,
            language=language if language in ("de", "en") else "de",
            heartbeat_at=utcnow(),
            progress=[],
        ),
        already_running_message(),
        _("The distribution stopped without an answer (its process ended)."),
    )


begin = job_life.begin


def record(job: SeatJob, points: list[SeatProgress]) -> None:
    """Store the progress so far; this is also the job's sign of life."""
    job.progress = [
        {
            "seconds": point.seconds,
            "unseated": point.unseated,
            "missed_choices": point.missed_choices,
            "repeat_meetings": point.repeat_meetings,
            "same_group_pairs": point.same_group_pairs,
        }
        for point in points
    ]
    job.heartbeat_at = utcnow()
    db.session.flush()


def seat_job(job: SeatJob, **solver: Any) -> None:
    """Seat the rounds as they are now and keep the seating, if it still fits them when the
    solver ends; `solver` goes to the scheduler (progress, should_stop, seed)."""
    seating = operations.seat_people(
        job.event, time_limit=job.time_limit, latecomers=job.latecomers, **solver
    )
    if not fits(job):  # the rounds as they are now, read again after the solver's time
        raise UserInputError(
            _("The tables or the people changed while the tables were being distributed: "
              "please distribute them again.")
        )  # fmt: skip
    job.moved = bool(seating.solver.get("moved"))
    job_life.end(job, STOPPED if seating.solver.get("stopped") else DONE)
    db.session.flush()


def fits(job: SeatJob) -> bool:
    """Whether the stored seating still keeps every rule for the rounds as they are now."""
    rounds = operations.rounds_of(job.event)
    seating = operations.seating_of(rounds) if rounds else None
    return seating is not None and not violations(operations.problem_of(rounds), seating)


def fail(job: SeatJob, problems: list[str]) -> None:
    """End the job without a seating; the rounds stay as they were."""
    job_life.end(job, FAILED, "\n".join(problems))
    db.session.flush()


def request_stop(event: Event) -> SeatJob | None:
    """Ask the running job to stop and keep its best seating so far; a queued job ends at
    once. Returns the job, or None when none is active."""
    return job_life.request_stop(latest(event))


def elapsed(job: SeatJob, now: datetime | None = None) -> float:
    """Seconds the job has run (so far, or in all)."""
    if job.started_at is None:
        return 0.0
    end = job.finished_at or now or utcnow()
    return round(max(0.0, (end - job.started_at).total_seconds()), 1)


def errors(job: SeatJob) -> list[str]:
    """The reasons a job failed, one per line."""
    return [line for line in job.error.splitlines() if line.strip()]


def status(job: SeatJob | None) -> dict[str, Any]:
    """The job as the page's script polls it."""
    if job is None:
        return {"status": "none", "active": False}
    return {
        "id": job.id,
        "status": job.status,
        "active": job.active,
        "elapsed": elapsed(job),
        "time_limit": job.time_limit,
        "best": (job.progress or [None])[-1],
        "stop_requested": job.stop_requested,
        "errors": errors(job),
    }
