"""Run solve jobs in the background: in a thread of the web process, or on RQ workers.

Without REDIS_URL, `submit` starts a thread in the web process; the thread has its own app
context and database session, and the solver's own process pool does the work, so `make run`
needs nothing more (a restart of the web process loses the running job; the next start
notices its silence). With REDIS_URL, the job goes to an RQ queue and any `planner worker`
on any machine sharing the database and Redis runs it. With SOLVE_SYNC (the default when
TESTING), the job runs inside the request, as the solve did before.
"""

from __future__ import annotations

import os
import threading
import time

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale

from .errors import UserInputError
from .extensions import db
from .models import SeatJob, SolveJob
from .operations import planning, seating_jobs, solving
from .scheduler import InfeasibleError, solve
from .scheduler.solve import Progress

QUEUE_NAME = "planner-solve"
WRITE_INTERVAL = 1.0  # seconds between progress writes (each one a commit)
STOP_LOOK_INTERVAL = 0.5  # seconds between looks at the stop flag in the database
JOB_TIMEOUT_MARGIN = 300  # seconds RQ allows beyond the time limit before killing the job


def redis_url(app: Flask) -> str | None:
    """Where the job queue lives: REDIS_URL in the config or the environment, if set."""
    return app.config.get("REDIS_URL") or os.environ.get("REDIS_URL") or None


def submit(job_id: int) -> None:
    """Start a committed job: synchronously (SOLVE_SYNC), on RQ (REDIS_URL) or in a thread."""
    job = db.session.get(SolveJob, job_id)
    _dispatch(run, "planner.jobs.run_on_worker", f"solve-{job_id}", job_id, job.time_limit)


def submit_seating(job_id: int) -> None:
    """Start a committed seating job of the table rounds, as `submit` starts a solve."""
    job = db.session.get(SeatJob, job_id)
    _dispatch(run_seating, "planner.jobs.run_seating_on_worker", f"seat-{job_id}", job_id,
              job.time_limit)  # fmt: skip


def _dispatch(target, worker_function: str, name: str, job_id: int, time_limit: float) -> None:
    app = current_app._get_current_object()
    if app.config.get("SOLVE_SYNC", app.testing):
        target(app, job_id)
    elif redis_url(app):
        queue(app).enqueue(
            worker_function,
            job_id,
            job_id=name,
            job_timeout=int(time_limit) + JOB_TIMEOUT_MARGIN,
            result_ttl=600,
            failure_ttl=86400,
        )
    else:
        thread = threading.Thread(target=target, args=(app, job_id), name=name)
        thread.daemon = True
        thread.start()


def queue(app: Flask):
    """The RQ queue of solve jobs."""
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(redis_url(app)))


def run_on_worker(job_id: int) -> None:
    """Run a job on an RQ worker (the function RQ calls)."""
    run(_worker_app(), job_id)


def run_seating_on_worker(job_id: int) -> None:
    """Run a seating job on an RQ worker (the function RQ calls)."""
    run_seating(_worker_app(), job_id)


def _worker_app() -> Flask:
    if has_app_context():
        app = current_app._get_current_object()
    else:  # pragma: no cover - `planner worker` pushes an app context
        from . import create_app

        app = create_app()
    # A forked work horse must not share the parent's database connections.
    with app.app_context():
        db.engine.dispose(close=False)
    return app


def run(app: Flask, job_id: int) -> None:
    """Run one job to its end with its own app context and session; never raises."""
    with app.app_context():
        try:
            _run(app, job_id)
        finally:
            db.session.remove()


def _run(app: Flask, job_id: int) -> None:
    job = db.session.get(SolveJob, job_id)
    if job is None or not solving.begin(job):
        db.session.rollback()
        return
    db.session.commit()
    with force_locale(job.language):
        try:
            problem, keep, move_costs = solving.inputs(job)
            tracker = _Tracker(job)
            plan = solve(
                problem,
                time_limit=solving.search_seconds(job),
                keep=keep,
                move_costs=move_costs,
                workers=app.config.get("SOLVER_WORKERS"),
                progress=tracker.progress,
                should_stop=tracker.should_stop,
            )
            tracker.write()
            solving.finish(job, plan)
        except InfeasibleError:
            _fail(job_id, planning.infeasible_reasons(problem))
            return
        except Exception:
            app.logger.exception("solve job %s failed", job_id)
            _fail(job_id, [_solver_failed()])
            return
        _commit_or_fail(app, job_id)


def _solver_failed() -> str:
    from flask_babel import gettext as _

    return _("The solver failed; nothing changed. Please try again.")


def _commit_or_fail(app: Flask, job_id: int) -> None:
    try:
        db.session.commit()
    except Exception:  # e.g. the draft was saved by a request in the same moment
        app.logger.exception("solve job %s: storing the result failed", job_id)
        _fail(job_id, [_solver_failed()])


def _fail(job_id: int, problems: list[str]) -> None:
    db.session.rollback()
    job = db.session.get(SolveJob, job_id)
    solving.fail(job, problems)
    db.session.commit()


def run_seating(app: Flask, job_id: int) -> None:
    """Run one seating job to its end with its own app context and session; never raises."""
    with app.app_context():
        try:
            _run_seating(app, job_id)
        finally:
            db.session.remove()


def _run_seating(app: Flask, job_id: int) -> None:
    job = db.session.get(SeatJob, job_id)
    if job is None or not seating_jobs.begin(job):
        db.session.rollback()
        return
    db.session.commit()
    with force_locale(job.language):
        try:
            tracker = _Tracker(job, seating_jobs.record, SeatJob)
            seating_jobs.seat_job(job, progress=tracker.progress, should_stop=tracker.should_stop)
            tracker.write()
        except UserInputError as error:
            _fail_seating(job_id, error.problems)
            return
        except Exception:
            app.logger.exception("seating job %s failed", job_id)
            _fail_seating(job_id, [_seating_failed()])
            return
        try:
            db.session.commit()
        except Exception:  # e.g. the rounds were changed by a request in the same moment
            app.logger.exception("seating job %s: storing the result failed", job_id)
            _fail_seating(job_id, [_seating_failed()])


def _seating_failed() -> str:
    from flask_babel import gettext as _

    return _("Distributing the tables failed; nothing changed. Please try again.")


def _fail_seating(job_id: int, problems: list[str]) -> None:
    db.session.rollback()
    seating_jobs.fail(db.session.get(SeatJob, job_id), problems)
    db.session.commit()


class _Tracker:
    """Collect progress; write it and read the stop flag at most every so often."""

    def __init__(self, job, record=solving.record, model=SolveJob):
        self.job, self.record, self.model = job, record, model
        self.points: list = []
        self.written = 0
        self.last_write = self.last_look = time.monotonic()
        self.stop = False

    def progress(self, point: Progress) -> None:
        """Keep a point; write if the last write is old enough."""
        self.points.append(point)
        if time.monotonic() - self.last_write >= WRITE_INTERVAL:
            self.write()

    def write(self) -> None:
        """Store the points so far (also the job's heartbeat) and commit."""
        self.record(self.job, self.points)
        db.session.commit()
        self.written, self.last_write = len(self.points), time.monotonic()

    def should_stop(self) -> bool:
        """Whether an organiser asked to stop (read from the database now and then)."""
        now = time.monotonic()
        if self.stop or now - self.last_look < STOP_LOOK_INTERVAL:
            return self.stop
        self.last_look = now
        if now - self.last_write >= WRITE_INTERVAL:
            self.write()  # also a heartbeat while nothing improves
        else:
            db.session.commit()  # end the read transaction: see other processes' writes
        model = self.model
        self.stop = bool(
            db.session.scalar(db.select(model.stop_requested).where(model.id == self.job.id))
        )
        return self.stop
