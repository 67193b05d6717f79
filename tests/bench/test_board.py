"""The board benchmark end to end: gunicorn, Chromium, one click on "Plan erstellen" and its
report. Speed is never asserted; `make bench-web` measures it."""

from __future__ import annotations

import shutil

import pytest

from bench import board
from bench.board import Timing

pytestmark = pytest.mark.browser


def test_one_click_shows_a_plan_and_reports_one_run(capsys):
    if not shutil.which("chromium"):  # as tests/browser/conftest.py: never silently skipped
        pytest.fail("Debian's chromium is missing: `make test` installs it (make browser)")
    # Not 1 s: the job would end while the board after the click is still being drawn, and
    # the board would show the panel's "done" above the old draft (the benchmark says so).
    status = board.main(["--runs", "1", "--time-limit", "3"])
    out, progress = capsys.readouterr()
    assert status == 0, out + progress
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 1  # header, rule, the one run
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in table]
    assert rows[0] == list(board.HEADER)
    run, limit, seconds, over = rows[2]
    assert (run, limit) == ("1", "3")
    # Both figures are rounded to 0.01 on their own.
    assert float(over) == pytest.approx(float(seconds) - 3, abs=0.015)
    assert "1 of 1 runs showed a plan" in out


def test_a_run_without_a_plan_is_reported_and_fails_the_benchmark(capsys):
    timings = [Timing(1, 5.0, 5.42), Timing(2, 5.0, None, board.STALE)]
    assert board.report(timings, "1.00 1.00 1.00") == board.EXIT_FAILED
    out = capsys.readouterr().out
    assert "|   2 |            5 |         no plan |                – |" in out
    assert "max 5.42 s" in out and "over the limit: max +0.42 s" in out
    assert "1 of 2 runs showed a plan" in out
    assert f"run 2: no plan: {board.STALE}" in out
