"""Group commit: units of many request threads share one transaction and one commit; each
caller is answered after the commit, and a failing unit fails only its own caller."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.group_commit import GroupCommitter
from planner.models import Event


def add_event(slug: str):
    """A unit that inserts an event and returns its slug."""

    def unit(connection) -> str:
        connection.execute(sa.insert(Event.__table__).values(slug=slug, name=slug))
        return slug

    return unit


def slugs() -> set[str]:
    with db.engine.connect() as connection:  # another connection: only committed rows
        return set(connection.scalars(sa.select(Event.slug)))


def test_a_unit_is_committed_when_its_caller_is_answered(app):
    committer = GroupCommitter(db.engine)
    assert committer.run(add_event("eins")) == "eins"
    assert slugs() == {"eins"}


def test_units_that_wait_together_share_one_commit(app):
    committer = GroupCommitter(db.engine)
    started, release = threading.Event(), threading.Event()

    def first(connection) -> str:
        started.set()
        release.wait(10)  # the others queue up meanwhile
        return add_event("first")(connection)

    results = []
    threads = [threading.Thread(target=lambda: results.append(committer.run(first)))]
    threads[0].start()
    assert started.wait(10)
    for number in range(10):
        unit = add_event(f"e{number}")
        threads.append(
            threading.Thread(target=lambda unit=unit: results.append(committer.run(unit)))
        )
        threads[-1].start()
    while committer._queue.qsize() < 10:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(["first", *(f"e{number}" for number in range(10))])
    assert committer.batches == 2
    assert len(slugs()) == 11


def test_a_failing_unit_fails_alone(app):
    committer = GroupCommitter(db.engine)
    started, release = threading.Event(), threading.Event()

    def first(connection) -> str:
        started.set()
        release.wait(10)
        return add_event("first")(connection)

    def broken(connection) -> None:
        add_event("half")(connection)
        raise ValueError("a bug in one unit")

    answers = {}

    def run(name, unit) -> None:
        try:
            answers[name] = committer.run(unit)
        except ValueError as error:
            answers[name] = error

    threads = [threading.Thread(target=run, args=("first", first))]
    threads[0].start()
    assert started.wait(10)
    for name, unit in (("a", add_event("a")), ("broken", broken), ("b", add_event("b"))):
        threads.append(threading.Thread(target=run, args=(name, unit)))
        threads[-1].start()
    while committer._queue.qsize() < 3:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join()
    assert answers["a"] == "a" and answers["b"] == "b" and answers["first"] == "first"
    assert isinstance(answers["broken"], ValueError)
    assert slugs() == {"first", "a", "b"}, "the broken unit's insert was rolled back"


def test_a_duplicate_fails_its_caller_with_the_databases_error(app):
    committer = GroupCommitter(db.engine)
    committer.run(add_event("same"))
    with pytest.raises(sa.exc.IntegrityError):
        committer.run(add_event("same"))
    assert slugs() == {"same"}


def test_an_idle_writer_stops_and_the_next_unit_starts_one(app):
    committer = GroupCommitter(db.engine, idle_seconds=0.05)
    committer.run(add_event("eins"))
    deadline = time.monotonic() + 10
    while committer._thread is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert committer._thread is None
    committer.run(add_event("zwei"))
    assert slugs() == {"eins", "zwei"}
