"""The web benchmark's bookkeeping and report: a small rush against real gunicorn, and the
checks on their own. Speed is never asserted; `make bench-web` measures it."""

from __future__ import annotations

import os
import sqlite3
from collections import Counter

import pytest

from bench import web
from bench.web import Phase, Run, Site, Tally


def test_a_small_rush_stores_exactly_what_was_acknowledged(capsys):
    """On a new SQLite file, or on the PostgreSQL test database that DATABASE_URL names."""
    # Each phase ends when its voters are done; the limit only keeps a hung server from
    # hanging the suite, so it is generous for a loaded machine.
    status = web.main(
        ["--voters", "10", "--seconds", "120", "--concurrency", "4", "--workers", "2"]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    assert f"Database: {database}." in out
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 4  # header, rule, trivial, voting page, marks, all ballot requests
    assert len({len(line) for line in table}) == 1
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in table]
    assert rows[0] == list(web.HEADER)
    assert [cells[0] for cells in rows[2:]] == [
        web.TRIVIAL,
        web.PAGE,
        web.MARK,
        "ballot: all requests",
    ]
    trivial, page, _marks, ballots = rows[2:]
    assert page[1:3] == ["10", "0"]  # each voter opened the page once, without an error
    assert trivial[1] == ballots[1]  # the trivial visitors send as many requests as the voters
    assert "10 of 10 voters done" in out
    assert "Rate limits raised for this benchmark" in out
    for cells in rows[2:]:
        assert float(cells[-1]) >= 0, "gunicorn's CPU ms per request of each kind"
    assert ": OK" in out and "errors: 0" in out


def ballots_file(tmp_path, marks: dict[int, list[int]]) -> Site:
    """A SQLite file with just the two tables the bookkeeping reads; ballot 1 predates the run."""
    path = tmp_path / "marks.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE ballot (id INTEGER PRIMARY KEY)")
    connection.execute("CREATE TABLE ballot_mark (ballot_id INTEGER, talk_id INTEGER)")
    connection.executemany("INSERT INTO ballot VALUES (?)", [(1,), *((i,) for i in marks)])
    connection.execute("INSERT INTO ballot_mark VALUES (1, 7)")
    for ballot, talks in marks.items():
        connection.executemany(
            "INSERT INTO ballot_mark VALUES (?, ?)", [(ballot, t) for t in talks]
        )
    connection.commit()
    connection.close()
    return Site(f"sqlite:///{path}", "camp", last_ballot=1)


def phases(acknowledged: list[set[int]]) -> tuple[Phase, Phase]:
    """A trivial phase and a rush whose voters were acknowledged these marks."""
    trivial = Tally(sent=Counter({web.TRIVIAL: 10}), seconds={web.TRIVIAL: [0.001] * 10})
    rush = Tally(sent=Counter({web.PAGE: 2, web.MARK: 3}))
    rush.seconds = {web.PAGE: [0.01] * 2, web.MARK: [0.02] * 3}
    rush.acknowledged = [frozenset(marks) for marks in acknowledged]
    return Phase(trivial, 0.01), Phase(rush, 0.1)


def report(site: Site, trivial: Phase, rush: Phase, server_log: str = "") -> int:
    args = web.parse_args(["--voters", "2", "--concurrency", "2"])
    return web.report(args, Run(site, trivial, rush, "2 workers (test)", server_log))


def test_stored_marks_must_equal_the_acknowledged_ones(tmp_path, capsys):
    site = ballots_file(tmp_path, {2: [3, 4], 3: [5]})
    assert report(site, *phases([{3, 4}, {5}])) == 0
    assert "marks acknowledged 3, stored 3: OK" in capsys.readouterr().out
    assert report(site, *phases([{3, 4}, {6}])) == web.EXIT_FAILED  # same count, other mark
    assert report(site, *phases([{3, 4}])) == web.EXIT_FAILED
    assert "MISMATCH" in capsys.readouterr().out


def test_errors_fail_the_run_and_show_the_servers_traceback(tmp_path, capsys):
    site = ballots_file(tmp_path, {2: [3]})
    trivial, rush = phases([{3}])
    rush.tally.error(web.MARK, "mark 9: HTTP 500")
    log = "[...] ERROR in __init__: unhandled error\nTraceback (most recent call last):\n  boom"
    assert report(site, trivial, rush, server_log=log) == web.EXIT_FAILED
    captured = capsys.readouterr()
    assert "errors: 1" in captured.out and "HTTP 500" in captured.out
    assert "ERROR in __init__: unhandled error" in captured.err and "boom" in captured.err
    mark_row = next(line for line in captured.out.splitlines() if line.startswith(f"| {web.MARK}"))
    cells = [cell.strip() for cell in mark_row.split("|")[1:-1]]
    assert cells[1:4] == ["3", "1", "20.0"]  # sent, errors, successful per second of 0.1 s


def test_percentiles_take_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert web.percentile(values, 0.50) == 50.0
    assert web.percentile(values, 0.99) == 99.0
    assert web.percentile([], 0.99) == 0.0


def test_load_goes_to_loopback_only():
    with pytest.raises(ValueError, match="loopback"):
        web.Phone(80, host="192.0.2.1")


def test_the_generator_is_bounded():
    with pytest.raises(SystemExit):
        web.parse_args(["--voters", str(web.MOST_VOTERS + 1)])
    with pytest.raises(SystemExit):
        web.parse_args(["--seconds", str(web.MOST_SECONDS + 1)])
