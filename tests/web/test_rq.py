"""The RQ backend: the web app queues a solve in Redis, a `planner worker` process runs it,
and the result lands in the database both share."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from planner.extensions import db
from planner.models import SolveJob
from planner.operations import planning

from ..services import redis_test_url
from .board_forms import board_form

REDIS_URL = redis_test_url()  # a database of its own, flushed before and after

# `planner worker --burst`, as a separate process.
WORKER = """
import sys
from planner.cli import main
sys.exit(main(["worker", "--burst"]))
"""


@pytest.fixture
def redis():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip(f"no Redis server at {REDIS_URL} (the RQ backend needs one)")
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture
def queued(app, redis):
    """The app with REDIS_URL set: jobs go to RQ."""
    app.config.update(SOLVE_SYNC=False, REDIS_URL=REDIS_URL, SOLVER_TIME_LIMIT=1.0)
    return app


def test_a_worker_process_runs_the_job_and_the_result_lands_in_the_database(
    queued, client, auth, demo_event, redis
):
    auth.login()
    board_url = f"/organise/{demo_event.slug}/plan"
    assert client.post(f"{board_url}/generate", data=board_form(board_url)).status_code == 302
    job = db.session.scalars(db.select(SolveJob)).one()
    assert job.status == "queued" and redis.llen("rq:queue:planner-solve") == 1
    page = client.get(board_url).get_data(as_text=True)
    assert "Waiting for a free solver" in page
    db.session.commit()  # end the read transaction before another process writes
    environment = {
        **os.environ,
        "DATABASE_URL": queued.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
    }
    worker = subprocess.run(
        [sys.executable, "-c", WORKER],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,  # a safety net against a hung worker, not a measure
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    db.session.expire_all()
    job = db.session.get(SolveJob, job.id)
    assert job.status == "done" and job.applied, (job.status, job.error, worker.stderr)
    assert job.progress and job.progress[-1]["scheduled"] == 25
    assert planning.draft(demo_event).document == job.plan


def test_a_worker_process_seats_the_table_rounds(queued, client, auth, demo_event, redis):
    from planner.models import SeatJob
    from planner.operations import rounds as table_rounds
    from planner.scheduler.rounds import violations

    auth.login()
    assert client.post(f"/organise/{demo_event.slug}/rounds/seat").status_code == 302
    job = db.session.scalars(db.select(SeatJob)).one()
    assert job.status == "queued" and redis.llen("rq:queue:planner-solve") == 1
    db.session.commit()  # end the read transaction before another process writes
    environment = {
        **os.environ,
        "DATABASE_URL": queued.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
    }
    worker = subprocess.run(
        [sys.executable, "-c", WORKER],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,  # a safety net against a hung worker, not a measure
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    db.session.expire_all()
    job = db.session.get(SeatJob, job.id)
    assert job.status == "done", (job.status, job.error, worker.stderr)
    rounds = table_rounds.rounds_of(demo_event)
    problem, seating = table_rounds.problem_of(rounds), table_rounds.seating_of(rounds)
    assert violations(problem, seating) == []
    assert job.progress[-1]["unseated"] == table_rounds.figures(rounds)["unseated"]
