"""Solving in the background (the thread backend): progress, stop, one job per event, failed
solves and results that arrive after the draft changed."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from planner import jobs
from planner.extensions import db
from planner.models import SolveJob, utcnow
from planner.operations import planning, setup, solving

from .board_forms import board_form

# Waits end on an event (the job's state), not on a stopwatch; the deadline only keeps a
# broken job from hanging the suite, so it is generous for a loaded machine.
WAIT = 120.0


@pytest.fixture
def threaded(app):
    """The app with jobs in a background thread, as `make run` has it. Jobs end before the
    app does: a thread still holding a connection when the pool is disposed would leak it."""
    app.config.update(SOLVE_SYNC=False, SOLVER_TIME_LIMIT=2.0, SOLVER_WORKERS=2)
    yield app
    for thread in threading.enumerate():
        if thread.name.startswith("solve-"):
            thread.join(timeout=WAIT)


@pytest.fixture
def board_url(demo_event):
    return f"/organise/{demo_event.slug}/plan"


@pytest.fixture
def organiser(threaded, client, auth):
    auth.login()
    return client


def wait_for_end(client, board_url, timeout=WAIT) -> dict:
    """Poll the job's JSON until it is no longer queued or running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"{board_url}/job", headers={"Accept": "application/json"}).json
        if not job["active"]:
            return job
        time.sleep(0.1)
    raise AssertionError("the job did not end in time")


def wait_for_progress(client, board_url, timeout=WAIT) -> dict:
    """Poll until the running job has recorded a progress point."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"{board_url}/job").json
        if job["status"] == "running" and job["points"]:
            return job
        time.sleep(0.1)
    raise AssertionError("no progress recorded")


@pytest.fixture
def gate(monkeypatch):
    """A gate the background solve waits at before it starts searching: the test opens it
    once it has looked at the running job, so no race against the solver's clock."""
    opened = threading.Event()
    real_solve = jobs.solve

    def solve_once_opened(*args, **kwargs):
        opened.wait(WAIT)
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(jobs, "solve", solve_once_opened)
    return opened


def draft_document(event):
    db.session.expire_all()
    return planning.draft(event).document


def test_generate_returns_at_once_and_the_job_replaces_the_draft(
    organiser, demo_event, board_url, gate
):
    response = organiser.post(f"{board_url}/generate", data=board_form(board_url))
    assert response.status_code == 302
    # At once: the answer came while the solve waits at the gate (no stopwatch).
    job = organiser.get(f"{board_url}/job", headers={"Accept": "application/json"}).json
    assert job["active"] is True, "the request waited for the solve"
    page = organiser.get(board_url).get_data(as_text=True)
    assert 'id="solve-panel"' in page and "Use the best plan so far" in page
    assert "solve.js" in page and "Refresh" in page
    gate.set()
    job = wait_for_end(organiser, board_url)
    assert job["status"] == "done" and job["applied"] is True
    seconds = [point["seconds"] for point in job["points"]]
    assert seconds and seconds == sorted(seconds)
    best = job["best"]
    assert best["scheduled"] == 25 and best["bound"] <= best["missed"]
    assert 0 < best["attendable_share"] <= 1
    stored = db.session.get(SolveJob, job["id"])
    assert draft_document(demo_event) == stored.plan
    assert stored.plan["metrics"]["scheduled"] == 25
    page = organiser.get(board_url).get_data(as_text=True)
    assert "Plan generated" in page and "Use the best plan so far" not in page


def test_stop_early_saves_the_best_plan_so_far(organiser, threaded, demo_event, board_url):
    threaded.config["SOLVER_TIME_LIMIT"] = 30.0
    organiser.post(f"{board_url}/generate", data=board_form(board_url))
    wait_for_progress(organiser, board_url)
    response = organiser.post(f"{board_url}/job/stop", follow_redirects=True)
    assert "best plan so far" in response.get_data(as_text=True)
    job = wait_for_end(organiser, board_url)
    # "stopped" (not "done") shows the stop ended the 30 s solve: no stopwatch needed.
    assert job["status"] == "stopped" and job["applied"]
    document = draft_document(demo_event)
    assert document["solver"]["stopped"] is True
    assert document["metrics"]["scheduled"] == 25


def test_a_second_start_is_refused_while_one_runs(organiser, threaded, demo_event, board_url):
    threaded.config["SOLVER_TIME_LIMIT"] = 30.0
    organiser.post(f"{board_url}/generate", data=board_form(board_url))
    page = organiser.post(
        f"{board_url}/replan", data=board_form(board_url), follow_redirects=True
    ).get_data(as_text=True)
    assert "A plan is being generated already" in page
    active = db.select(db.func.count(SolveJob.id)).where(SolveJob.status.in_(("queued", "running")))
    assert db.session.scalar(active) == 1
    organiser.post(f"{board_url}/job/stop")
    assert wait_for_end(organiser, board_url)["status"] == "stopped"


def test_a_failed_solve_leaves_the_draft_and_says_why(organiser, demo_event, board_url):
    organiser.post(f"{board_url}/generate", data=board_form(board_url))
    wait_for_end(organiser, board_url)
    before = draft_document(demo_event)
    first, second = demo_event.talks[0], demo_event.talks[1]
    for talk in (first, second):
        talk.pinned_room, talk.pinned_slot = demo_event.rooms[0], demo_event.slots[0]
    db.session.commit()
    organiser.post(f"{board_url}/generate", data=board_form(board_url))
    job = wait_for_end(organiser, board_url)
    assert job["status"] == "failed" and any("same room" in line for line in job["errors"])
    assert draft_document(demo_event) == before
    page = organiser.get(board_url).get_data(as_text=True)
    assert "No plan is possible" in page and "as they were" in page


def test_a_result_after_a_manual_move_does_not_overwrite_the_draft(
    organiser, threaded, demo_event, board_url, gate
):
    gate.set()
    organiser.post(f"{board_url}/generate", data=board_form(board_url))
    wait_for_end(organiser, board_url)
    gate.clear()  # the re-plan waits until the move is saved
    organiser.post(f"{board_url}/replan", data={"revision": str(planning.revision(demo_event))})
    talk = demo_event.active_talks[0]
    revision = str(planning.revision(demo_event))
    moved = organiser.post(
        f"{board_url}/move", data={"talk": talk.id, "place": "", "revision": revision}
    )
    assert moved.status_code == 302
    after_move = draft_document(demo_event)
    gate.set()
    job = wait_for_end(organiser, board_url)
    assert job["status"] == "done" and job["applied"] is False
    assert draft_document(demo_event) == after_move
    page = organiser.get(board_url).get_data(as_text=True)
    assert "Use it anyway" in page
    organiser.post(f"{board_url}/job/use", data=board_form(board_url))
    assert (
        draft_document(demo_event)["assignments"]
        == (db.session.get(SolveJob, job["id"]).plan["assignments"])
    )


def test_a_result_naming_a_session_gone_meanwhile_is_refused_in_words(client, auth, demo_event):
    """Using a generated plan after one of its sessions was withdrawn: a message, not a 500."""
    auth.login()
    board_url = f"/organise/{demo_event.slug}/plan"
    client.post(
        f"{board_url}/generate", data=board_form(board_url)
    )  # the tests solve in the request
    job = solving.latest(demo_event)
    setup.withdraw_talk(next(talk for talk in demo_event.talks if talk.key in placed(job.plan)))
    job.applied = False
    db.session.commit()
    before = draft_document(demo_event)
    response = client.post(
        f"{board_url}/job/use", data=board_form(board_url), headers={"Accept-Language": "de"}
    )
    assert response.status_code == 302
    page = client.get(board_url, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Sitzungen, Räume oder Zeitfenster, die es nicht mehr gibt" in page
    assert draft_document(demo_event) == before


def placed(document: dict) -> set[str]:
    return {item["session"] for item in document["assignments"]}


def test_the_wait_counts_from_the_click_and_the_search_keeps_within_the_limit():
    asked = utcnow()
    job = SolveJob(time_limit=10.0, created_at=asked, started_at=asked + timedelta(seconds=2))
    assert solving.elapsed(job, now=asked + timedelta(seconds=5)) == 5.0
    soon = asked + timedelta(seconds=1)
    assert solving.search_seconds(job, now=soon) == 10.0 - 1 - solving.FINISH_SECONDS
    # A job that waited long for a free worker still gets half its time to search.
    assert solving.search_seconds(job, now=asked + timedelta(seconds=30)) == 5.0


def test_a_job_ending_while_the_board_is_drawn_never_shows_done_above_the_old_draft(
    organiser, demo_event, board_url, gate, monkeypatch
):
    """The helper writing the click-to-plan benchmark saw "Plan generated" above the draft
    from before the click: the board read the draft, the job ended, then the panel read the
    job. Here the job ends right after the draft is read."""
    organiser.post(f"{board_url}/generate", data=board_form(board_url))
    real_board = planning.board

    def board_then_the_job_ends(event):
        drawn = real_board(event)
        gate.set()
        for thread in threading.enumerate():
            if thread.name.startswith("solve-"):
                thread.join(timeout=WAIT)
        return drawn

    monkeypatch.setattr(planning, "board", board_then_the_job_ends)
    page = organiser.get(board_url).get_data(as_text=True)
    assert 'data-active="1"' in page, "the panel must describe the job as it was before"
    monkeypatch.undo()
    job = wait_for_end(organiser, board_url)
    assert job["status"] == "done" and job["applied"] is True
    page = organiser.get(board_url).get_data(as_text=True)
    assert 'data-active="0"' in page and "Plan generated" in page
