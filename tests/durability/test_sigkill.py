"""No lost votes: the real server is killed with SIGKILL in the middle of a burst of ballots.

Sixty simulated phones open the voting page (device cookie, session cookie, CSRF token, like
a browser) and mark the sessions top to bottom, one request at a time each, as vote.js does.
After KILL_AFTER acknowledgements the server process gets SIGKILL while requests are in
flight. Then the server starts again on the same file, and the file is checked.

A request ends in one of four ways: acknowledged (200, JSON, marked), busy (503 "very busy,
try again": the lock was held longer than the busy timeout, which happens on a loaded machine;
the answer says nothing was saved, and the phone goes on with its next session), refused
before it reached the server (connection refused), or unanswered (sent, then the connection
died: it may or may not have been committed). The invariants after the restart:

- `PRAGMA integrity_check` is "ok" and `PRAGMA foreign_key_check` finds nothing: every mark
  points to an existing ballot and session, every ballot to the event;
- acknowledged ⊆ stored ⊆ acknowledged ∪ unanswered, per (voter, session): nothing
  acknowledged is lost, nothing appears that was refused, answered as busy or never sent;
- no ballot is half-written: the phones only ever mark, and a ballot is inserted in the same
  transaction as its first mark, so every ballot has at least one mark, even when that first
  mark was unanswered (a ballot without marks would be a transaction cut in half); each
  ballot's mark count is at least the highest count the server acknowledged to its voter;
- every answer before the kill was a success or an honest "busy" (never a 500 or a wrong
  answer), and some requests really were cut off by the kill.

SQLite only: on PostgreSQL commits are durable by the server's own settings, and this test
must not kill writers of the shared test database.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask_migrate import upgrade
from itsdangerous import URLSafeSerializer

from planner import create_app
from planner.extensions import db
from planner.models import Event, Talk

SECRET = "durability-test"
VOTERS = 60
SESSIONS = 12
KILL_AFTER = 150  # acknowledgements before the kill, of VOTERS * SESSIONS possible marks
# Seconds for any one request or wait. Only a safety net against a hung server: everything
# here waits for events (answers, acknowledgements), so it is generous for a loaded machine.
TIMEOUT = 60
BUSY = 503  # "very busy right now, nothing was saved": an honest non-acknowledgement

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="SIGKILL durability test runs on SQLite only (never kills a shared PostgreSQL)",
)


# --- the database and the server -----------------------------------------------------------


def prepare_database(path: Path) -> None:
    """Migrate a new SQLite file and add an event open for voting with SESSIONS sessions."""
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": uri(path)})
    with app.app_context():
        upgrade()
        talks = [Talk(title=f"Session {n}", hosts=["Host"]) for n in range(1, SESSIONS + 1)]
        db.session.add(Event(slug="camp", name="Camp", voting_open=True, talks=talks))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def uri(path: Path) -> str:
    return f"sqlite:///{path}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(path: Path, log: Path):
    """Run `flask run` (threaded, no reloader: one process to kill) on the database file.

    The configuration goes to the factory itself, so no instance config.py can point the
    server at another database.
    """
    port = free_port()
    # Python's cookie jar sends no Secure cookie over plain http (browsers do, to 127.0.0.1).
    config = {
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": uri(path),
        "SESSION_COOKIE_SECURE": False,
    }
    command = [sys.executable, "-m", "flask", "--app", f"planner:create_app({config!r})"]
    command += ["run", "--port", str(port), "--no-reload", "--no-debugger", "--with-threads"]
    env = {**os.environ, "SECRET_KEY": SECRET, "DATABASE_URL": uri(path), "FLASK_DEBUG": "0"}
    env.pop("REDIS_URL", None)  # rate limits in this process's memory
    with log.open("ab") as output:
        server = subprocess.Popen(command, env=env, cwd=path.parent, stdout=output, stderr=output)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server, log)
        yield server, base
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(TIMEOUT)


def wait_until_healthy(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, f"server exited:\n{log.read_text()[-2000:]}"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=TIMEOUT) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server did not answer /healthz:\n{log.read_text()[-2000:]}")


# --- the phones ----------------------------------------------------------------------------


@dataclass
class Voter:
    """One phone: its cookies, its CSRF token and the sessions in its own order."""

    jar: CookieJar = field(default_factory=CookieJar)
    csrf: str = ""
    order: list[int] = field(default_factory=list)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open_voting_page(self, base: str) -> str:
        with self.opener.open(f"{base}/e/camp/vote", timeout=TIMEOUT) as response:
            page = response.read().decode()
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.order = [int(n) for n in re.findall(r'action="/e/camp/vote/(\d+)"', page)]
        return page

    def mark(self, base: str, talk_id: int) -> tuple[int, dict]:
        """Send one tap as vote.js does; the status and the JSON answer."""
        request = urllib.request.Request(
            f"{base}/e/camp/vote/{talk_id}",
            data=urllib.parse.urlencode({"csrf_token": self.csrf, "marked": "1"}).encode(),
            headers={"Accept": "application/json", "X-CSRFToken": self.csrf},
        )
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    def token(self) -> str:
        """The device token inside the signed cookie, as the server reads it."""
        cookie = next(c for c in self.jar if c.name == "barcamp_device")
        return URLSafeSerializer(SECRET, salt="barcamp-device").loads(cookie.value)


@dataclass
class Burst:
    """What the phones saw, shared between their threads."""

    acknowledged: set[tuple[int, int]] = field(default_factory=set)
    unanswered: set[tuple[int, int]] = field(default_factory=set)
    highest_count: dict[int, int] = field(default_factory=dict)
    busy: set[tuple[int, int]] = field(default_factory=set)
    refused: int = 0
    failures: list[str] = field(default_factory=list)  # answers that were not a success
    in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)

    def run(self, number: int, voter: Voter, base: str) -> None:
        """Mark top to bottom until the server stops answering (the phone loses it)."""
        for talk_id in voter.order:
            with self.lock:
                self.in_flight += 1
            try:
                status, answer = voter.mark(base, talk_id)
            except (OSError, http.client.HTTPException) as error:
                # A kill between the status line and the body (IncompleteRead) is as
                # unanswered as a reset connection: the phone never saw the JSON.
                self.lost(number, talk_id, error)
                return
            with self.lock:
                self.in_flight -= 1
                if status == BUSY:
                    self.busy.add((number, talk_id))
                    continue
                if status != 200 or answer.get("marked") is not True:
                    self.failures.append(f"voter {number}, session {talk_id}: {status} {answer}")
                    return
                self.acknowledged.add((number, talk_id))
                self.highest_count[number] = max(answer["count"], self.highest_count.get(number, 0))
                if len(self.acknowledged) >= KILL_AFTER:
                    self.enough.set()

    def lost(self, number: int, talk_id: int, error: Exception) -> None:
        with self.lock:
            self.in_flight -= 1
            if isinstance(getattr(error, "reason", error), ConnectionRefusedError):
                self.refused += 1  # never reached the server
            else:
                self.unanswered.add((number, talk_id))


# --- the test ------------------------------------------------------------------------------


def test_acknowledged_ballots_survive_sigkill(tmp_path):
    path = tmp_path / "votes.sqlite3"
    prepare_database(path)
    voters = [Voter() for _ in range(VOTERS)]
    burst = Burst()
    with serve(path, tmp_path / "server.log") as (server, base):
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda voter: voter.open_voting_page(base), voters))
        phones = [
            threading.Thread(target=burst.run, args=(number, voter, base))
            for number, voter in enumerate(voters)
        ]
        for phone in phones:
            phone.start()
        assert burst.enough.wait(TIMEOUT), burst.failures or "too few acknowledgements"
        os.kill(server.pid, signal.SIGKILL)
        with burst.lock:
            in_flight_at_kill = burst.in_flight
        server.wait(TIMEOUT)
        for phone in phones:
            phone.join(TIMEOUT)

    with serve(path, tmp_path / "server.log") as (_server, base):
        check_voting_page_after_restart(voters, burst, base)
    stored = check_database(path, voters, burst)
    print(
        f"\nacknowledged {len(burst.acknowledged)}, stored {len(stored)}, "
        f"in flight at the kill {in_flight_at_kill}, unanswered {len(burst.unanswered)} "
        f"(of them stored {len(stored & burst.unanswered)}), busy {len(burst.busy)}, "
        f"refused {burst.refused}"
    )


def check_voting_page_after_restart(voters: list[Voter], burst: Burst, base: str) -> None:
    """The restarted server shows a phone at least the count it acknowledged to it."""
    assert not burst.failures, burst.failures
    assert burst.unanswered, "the kill cut off no request: nothing was tested mid-burst"
    number, count = max(burst.highest_count.items(), key=lambda item: item[1])
    page = voters[number].open_voting_page(base)
    shown = int(re.search(r'id="mark-count">(\d+)<', page).group(1))
    assert shown >= count


def check_database(path: Path, voters: list[Voter], burst: Burst) -> set[tuple[int, int]]:
    """Check the invariants in the module docstring; the stored (voter, session) marks."""
    connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        ballots = connection.execute(
            "SELECT ballot.id, ballot.token, count(ballot_mark.talk_id) FROM ballot "
            "JOIN event ON event.id = ballot.event_id AND event.slug = 'camp' "
            "LEFT JOIN ballot_mark ON ballot_mark.ballot_id = ballot.id GROUP BY ballot.id"
        ).fetchall()
        marks = connection.execute(
            "SELECT ballot.token, ballot_mark.talk_id FROM ballot_mark "
            "JOIN ballot ON ballot.id = ballot_mark.ballot_id"
        ).fetchall()
        (all_ballots,) = connection.execute("SELECT count(*) FROM ballot").fetchone()
    finally:
        connection.close()
    assert len(ballots) == all_ballots, "a ballot without its event"
    voter_of = {voter.token(): number for number, voter in enumerate(voters)}
    counts = {voter_of[token]: count for _id, token, count in ballots}
    assert len(counts) == len(ballots), "two ballots for one phone"
    empty = sorted(number for number, count in counts.items() if count == 0)
    assert not empty, f"half-written ballots (no marks) of voters {empty}"
    for number, count in burst.highest_count.items():
        assert counts.get(number, 0) >= count, f"voter {number} lost acknowledged marks"
    stored = {(voter_of[token], talk_id) for token, talk_id in marks}
    assert burst.acknowledged <= stored, sorted(burst.acknowledged - stored)
    assert stored <= burst.acknowledged | burst.unanswered, "a mark that was never sent"
    assert not stored & burst.busy, "a mark answered as busy (nothing saved) was saved"
    return stored
