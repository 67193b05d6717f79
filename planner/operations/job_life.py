"""The life of a background job, the same for a plan's solve and a table seating: one active
job per event, queued → running → done, stopped or failed, and a job whose process died is
recognised by its silence. The models (SolveJob, SeatJob) share the columns this touches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import UserInputError
from ..extensions import db
from ..models import FAILED, QUEUED, RUNNING, STOPPED, Event, utcnow

# A job silent for longer was lost with its process (a deploy, a crash): it no longer blocks
# a new one. A running job beats every second or so (CP-SAT at the start may keep it quiet
# for up to half a minute); a queued one waits for a free worker.
SILENT_RUNNING = timedelta(minutes=3)
SILENT_QUEUED = timedelta(minutes=15)


def latest(model: type, event: Event) -> Any:
    """The event's most recent job of this kind (SolveJob or SeatJob), if any."""
    return db.session.scalars(
        sa.select(model).where(model.event_id == event.id).order_by(model.id.desc())
    ).first()


def queue(model: type, event: Event, make_job: Callable[[], Any], running: str, lost: str):
    """Add the job `make_job` builds as the event's one active job of `model`, after failing
    a silent (lost) one; `running` and `lost` are the words for either case.

    Raises:
        UserInputError: another job of the kind is queued or running (`running`).
    """
    # Lock the event row (PostgreSQL) so two starts at once queue one job; on SQLite writers
    # are serialised anyway. The partial unique index is the backstop on both.
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    _abandon_lost(model, event.id, running, lost)
    job = make_job()
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except sa.exc.IntegrityError:  # another request started one in the same moment
        raise UserInputError(running) from None
    return job


def _abandon_lost(model: type, event_id: int, running_message: str, lost_message: str) -> None:
    """Fail the event's active job if it has been silent too long to be alive."""
    job = db.session.scalars(
        sa.select(model).where(model.event_id == event_id, model.status.in_((QUEUED, RUNNING)))
    ).first()
    if job is None:
        return
    silent = utcnow() - (job.heartbeat_at or job.created_at)
    if silent <= (SILENT_QUEUED if job.status == QUEUED else SILENT_RUNNING):
        raise UserInputError(running_message)
    end(job, FAILED, lost_message)
    db.session.flush()


def begin(job: Any) -> bool:
    """Mark a queued job as running; False if it is no longer queued (stopped, taken)."""
    if job.status != QUEUED:
        return False
    job.status, job.started_at, job.heartbeat_at = RUNNING, utcnow(), utcnow()
    db.session.flush()
    return True


def request_stop(job: Any) -> Any:
    """Ask a running job to stop and keep its best result so far; a queued job ends at once.
    Returns the job, or None when it is not active."""
    if job is None or not job.active:
        return None
    if job.status == QUEUED:
        end(job, STOPPED, _("Stopped before it began; nothing changed."))
    else:
        job.stop_requested = True
    db.session.flush()
    return job


def end(job: Any, status: str, error: str = "") -> None:
    """Close the job with `status` (and the reasons it failed, one per line)."""
    job.status, job.error, job.finished_at = status, error, utcnow()
