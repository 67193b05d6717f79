"""Seating table rounds in the background (the thread backend): progress, stop early with the
best seating so far, one job per event, refusals."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from planner.errors import UserInputError
from planner.extensions import db
from planner.models import Event, SeatJob
from planner.operations import rounds as operations
from planner.scheduler.rounds import violations

WAIT = 120.0  # seconds: only keeps a broken job from hanging the suite

# A world café of 60 at four tables in four rounds: the search cannot prove its best
# seating, so it runs until it is stopped (the time limit is never reached).
CAFE = {
    "topics": "Daten\nKI\nBeteiligung\nSicherheit",
    "tables_per_topic": "1",
    "seats": "20",
    "minimum": "0",
    "rounds": "4",
    "first_start": "2026-11-18T11:00",
    "minutes": "20",
    "pause": "5",
    "mode": "free",
}


@pytest.fixture
def threaded(app):
    """Jobs in a background thread, as `make run` has them; they end before the app does."""
    app.config.update(SOLVE_SYNC=False, SOLVER_TIME_LIMIT=300.0)
    yield app
    for thread in threading.enumerate():
        if thread.name.startswith("seat-"):
            thread.join(timeout=WAIT)


@pytest.fixture
def cafe(threaded, client, auth):
    event = Event(slug="cafe", name="Café", starts_on=date(2026, 11, 18))
    db.session.add(event)
    db.session.commit()
    auth.login()
    client.post("/organise/cafe/rounds/setup", data=CAFE)
    names = "\n".join(f"Person {number}" for number in range(1, 61))
    client.post("/organise/cafe/rounds/names", data={"names": names})
    return event


def poll(client, until, timeout=WAIT) -> dict:
    """Poll the job's JSON until `until(job)` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get("/organise/cafe/rounds/job").json
        if until(job):
            return job
        time.sleep(0.1)
    raise AssertionError("the job did not get there in time")


def test_a_seating_runs_in_the_background_shows_progress_and_stops_with_the_best(client, cafe):
    started = client.post("/organise/cafe/rounds/seat", follow_redirects=True)
    page = started.get_data(as_text=True)
    assert 'id="seat-panel"' in page and "seat.js" in page
    running = poll(client, lambda job: job["status"] == "running" and job["best"])
    assert running["best"]["unseated"] == 0

    again = client.post("/organise/cafe/rounds/seat", follow_redirects=True)
    assert "already" in again.get_data(as_text=True) or "schon" in again.get_data(as_text=True)
    assert db.session.query(SeatJob).count() == 1  # one job per event at a time

    assert client.post("/organise/cafe/rounds/job/stop").status_code == 302
    ended = poll(client, lambda job: not job["active"])
    assert ended["status"] == "stopped" and ended["errors"] == []

    db.session.expire_all()
    rounds = operations.rounds_of(db.session.get(Event, cafe.id))
    problem, seating = operations.problem_of(rounds), operations.seating_of(rounds)
    assert violations(problem, seating) == []
    assert operations.figures(rounds)["unseated"] == 0
    figures = operations.figures(rounds)
    assert ended["best"]["repeat_meetings"] == figures["repeat_meetings"]
    page = client.get("/organise/cafe/rounds").get_data(as_text=True)
    assert 'id="seat-panel"' not in page and 'id="figures"' in page


def test_nobody_to_seat_is_refused_without_a_job(app, client, auth):
    event = Event(slug="empty", name="Leer", starts_on=date(2026, 11, 18))
    db.session.add(event)
    db.session.commit()
    auth.login()
    client.post("/organise/empty/rounds/setup", data=CAFE)
    answer = client.post("/organise/empty/rounds/seat", follow_redirects=True)
    assert answer.status_code == 200
    assert db.session.query(SeatJob).count() == 0
    assert client.get("/organise/empty/rounds/job").json == {"status": "none", "active": False}


def test_stopping_when_nothing_runs_says_so(client, cafe):
    answer = client.post("/organise/cafe/rounds/job/stop", follow_redirects=True)
    assert answer.status_code == 200
    assert db.session.query(SeatJob).count() == 0


def test_a_seating_that_no_longer_fits_when_it_ends_is_not_kept(app, client, auth):
    """A phone takes its choices back while the solver runs: the seating names a person who
    is gone, so the job fails with a reason and the rounds keep no seating."""
    from planner.models import Ballot, TopicChoice
    from planner.operations import seating_jobs

    event = Event(slug="late", name="Spät", starts_on=date(2026, 11, 18))
    db.session.add(event)
    db.session.commit()
    auth.login()
    client.post("/organise/late/rounds/setup", data=CAFE)
    for _ in range(3):
        device = app.test_client()
        device.get("/e/late/tables")
        device.post("/e/late/tables/choose/0")
    gone = db.session.scalars(db.select(Ballot).order_by(Ballot.id)).first()

    def take_back(point):
        db.session.execute(db.delete(TopicChoice).where(TopicChoice.ballot_id == gone.id))

    job = seating_jobs.start(event, latecomers=False, time_limit=1.0, language="en")
    db.session.flush()
    assert seating_jobs.begin(job)
    with pytest.raises(UserInputError) as refused:
        seating_jobs.seat_job(job, progress=take_back)
    assert "geändert" in refused.value.problems[0]  # the default language is German
