"""Time what an organiser waits for: `python -m bench.board [--runs N] [--time-limit S]`.

From the click on "Plan erstellen" on the planning board until the plan is on the board,
against the solver's time limit (the promise: limit + 1 s). The demo barcamp gets a fresh
SQLite file in a temporary folder and runs under gunicorn on a free loopback port, as
bench/web.py serves it; the solve runs in a thread of the web process, as in production
(no SOLVE_SYNC, no Redis). Debian's Chromium logs in as the demo organiser, opens the board
and clicks the button; the clock runs from just before the click until the board, reloaded
by its own script, shows the finished plan: a newer draft than the one it showed before the
click (its revision), with sessions in the grid. Each run starts from the board as it is:
while no plan is published, "Plan erstellen" stays on it and replaces the draft unasked.

One Markdown table on stdout, then the largest and the mean wait; the exit status is 1 if a
run showed no plan. Figures only: no run fails for being slow.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from planner.models import DONE, STOPPED

from . import web
from .run import format_rows
from .web import _progress

CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright's own download cannot work here
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SOLVER_WORKERS = 2
MOST_RUNS = 20
MOST_SECONDS = 300
# How long a run may take beyond its limit before it counts as showing no plan: only keeps a
# broken page from hanging the benchmark, so it is generous for a loaded machine.
GIVE_UP_AFTER = 60.0
EXIT_FAILED = 1

GENERATE = "form[action$='/plan/generate'] button[type=submit]"
# solve.js reloads the board once the job has ended; the reloaded panel is no longer active.
ENDED = "#solve-panel[data-active='0']"
FAILED = "#solve-panel.solve-failed"
PLANNED = "table.board .talk"
# The draft's revision, which the board draws into its forms: a new plan raises it.
REVISION = "form[action$='/plan/generate'] input[name=revision]"
STALE = "the panel says the plan is made, the board still shows the draft from before"
HEADER = ("run", "time limit s", "click-to-plan s", "over the limit s")


@dataclass(frozen=True)
class Timing:
    """One click on "Plan erstellen": the solver's limit and the wait (None: no plan came,
    and `miss` says why)."""

    run: int
    limit: float
    seconds: float | None
    miss: str = ""

    @property
    def over(self) -> float | None:
        """Seconds beyond the limit; negative when the plan came earlier."""
        return None if self.seconds is None else self.seconds - self.limit


# --- the server and the browser ------------------------------------------------------------


@contextmanager
def served_demo(folder: Path, time_limit: float | None):
    """Serve the demo barcamp on a fresh SQLite file under gunicorn; yield its address, its
    slug and the server's log file."""
    secret = secrets.token_hex(16)
    site = web.prepare_database(web.database_uri(None, folder), secret)
    add_demo_organiser(site, secret)
    log = folder / "gunicorn.log"
    # A time limit of None keeps the app's size-scaled default.
    solver = {"SOLVER_TIME_LIMIT": time_limit, "SOLVER_WORKERS": SOLVER_WORKERS}
    with web.gunicorn(site, secret, web.Serving(), log, solver) as (port, _pid):
        yield f"http://{web.HOST}:{port}", site.slug, log


def add_demo_organiser(site: web.Site, secret: str) -> None:
    """Make the demo organiser account the demo event's owner, as `planner demo` does."""
    import sqlalchemy as sa

    from planner import create_app
    from planner.demo import demo_admin
    from planner.extensions import db
    from planner.models import OWNER, Event
    from planner.operations.accounts import add_member

    app = create_app({"TESTING": True, "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": site.uri})
    with app.app_context():
        event = db.session.scalars(sa.select(Event).where(Event.slug == site.slug)).one()
        add_member(event, demo_admin(), OWNER)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@contextmanager
def chromium_page():
    """A page in headless Chromium, in German as the demo organiser would see it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_page(locale="de-DE")
        finally:
            browser.close()


def log_in(page, url: str) -> None:
    """Log in through the form as the demo organiser."""
    from planner.demo import DEMO_EMAIL, DEMO_PASSWORD

    page.goto(f"{url}/login")
    page.fill("#email", DEMO_EMAIL)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if "/login" in page.url:
        raise RuntimeError("the demo organiser could not log in")


def click_to_plan(page, board: str, limit: float) -> tuple[float | None, str]:
    """Open the board, click "Plan erstellen" and return the seconds until the finished plan
    shows, or None and why it never did."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(board)
    button = page.locator(GENERATE)
    button.wait_for()  # found before the clock starts: the organiser sees the button
    drawn = page.locator(REVISION).get_attribute("value")
    began = time.monotonic()
    try:
        with page.expect_navigation():  # the POST answers with the board following the job
            button.click()
        page.wait_for_selector(ENDED, state="attached", timeout=1000 * (limit + GIVE_UP_AFTER))
        if page.locator(FAILED).count():
            return None, "the solve failed"
        # An ended panel above the draft from before the click stays so: solve.js reloads
        # only a board that it saw running.
        if page.locator(REVISION).get_attribute("value") == drawn:
            return None, STALE
        page.wait_for_selector(PLANNED, timeout=1000 * GIVE_UP_AFTER)
    except PlaywrightTimeout:
        return None, "timed out"
    return time.monotonic() - began, ""


def latest_job(page, board: str) -> dict:
    """The event's latest solve as the board's script polls it (the page's login cookie)."""
    return page.request.get(f"{board}/job").json()


def one_run(page, board: str, run: int, limit: float, before: dict) -> tuple[Timing, dict]:
    """Time one click; it counts only if a new job ended with its plan made the draft. The
    timing (against the job's own limit) and the job."""
    seconds, miss = click_to_plan(page, board, limit)
    job = latest_job(page, board)
    new = job.get("id") != before.get("id") and job["status"] in (DONE, STOPPED)
    if seconds is not None and not (new and job["applied"]):
        seconds, miss = None, "no new plan became the draft"
    # Seconds from the request to the stored plan, as the server counts them: the rest of
    # the wait is the click, the redirect, the last poll and the reload.
    on_server = f" (job {job['status']}, {job.get('elapsed', 0):.1f} s on the server)"
    _progress((miss or f"{seconds:.2f} s") + on_server + "\n")
    for error in job.get("errors") or ():
        _progress(f"  {error}\n")
    return Timing(run, job["time_limit"] if new else limit, seconds, miss), job


def measure(args: argparse.Namespace, limit: float, folder: Path) -> list[Timing]:
    """Serve the demo, log in and time `args.runs` clicks on "Plan erstellen"."""
    _progress("preparing a fresh SQLite database with the demo barcamp … ")
    with served_demo(folder, args.time_limit) as (url, slug, log):
        _progress(f"serving on {url}\n")
        board = f"{url}/organise/{slug}/plan"
        with chromium_page() as page:
            log_in(page, url)
            timings, job = [], latest_job(page, board)
            for run in range(1, args.runs + 1):
                _progress(f"run {run}: … ")
                timing, job = one_run(page, board, run, limit, job)
                timings.append(timing)
    if any(timing.seconds is None for timing in timings):
        _progress(web.last_traceback(log.read_text(errors="replace")) + "\n")
    return timings


# --- reporting -----------------------------------------------------------------------------


def table_rows(timings: list[Timing]) -> list[tuple[str, ...]]:
    """One line per run; "no plan" where none showed."""
    return [
        (
            str(timing.run),
            f"{timing.limit:g}",
            "no plan" if timing.seconds is None else f"{timing.seconds:.2f}",
            "–" if timing.over is None else f"{timing.over:+.2f}",
        )
        for timing in timings
    ]


def summary(timings: list[Timing]) -> str:
    """The largest and the mean wait of the runs that showed a plan, and their overrun."""
    shown = [timing for timing in timings if timing.seconds is not None]
    if not shown:
        return "no run showed a plan"
    waits = [timing.seconds for timing in shown]
    overs = [timing.over for timing in shown]
    return (
        f"click-to-plan: max {max(waits):.2f} s, mean {statistics.fmean(waits):.2f} s; "
        f"over the limit: max {max(overs):+.2f} s, mean {statistics.fmean(overs):+.2f} s "
        f"({len(shown)} of {len(timings)} runs showed a plan)"
    )


def report(timings: list[Timing], load_before: str) -> int:
    """Print the table, the summary and why a run showed no plan; the exit status."""
    print(
        f"\ngunicorn (gunicorn.conf.py), solver workers: {SOLVER_WORKERS}, Chromium headless;"
        f"\nload average before the runs: {load_before}.\n"
    )
    print(format_rows(HEADER, table_rows(timings), text_columns=()))
    print()
    print(summary(timings))
    for timing in timings:
        if timing.seconds is None:
            print(f"run {timing.run}: no plan: {timing.miss}")
    return EXIT_FAILED if any(timing.seconds is None for timing in timings) else 0


# --- command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.board", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--runs", type=int, default=3, help="clicks on 'Plan erstellen'")
    parser.add_argument(
        "--time-limit",
        type=float,
        help="the solver's time limit in seconds (default: the app's own for the demo)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= MOST_RUNS:
        parser.error(f"--runs must be between 1 and {MOST_RUNS}")
    if args.time_limit is not None and not 0 < args.time_limit <= MOST_SECONDS:
        parser.error(f"--time-limit must be positive and at most {MOST_SECONDS}")
    return args


def demo_time_limit() -> float:
    """The limit the app chooses for the demo event when none is configured."""
    from planner.demo import demo_problem
    from planner.scheduler import default_time_limit

    return default_time_limit(demo_problem())


def main(argv: list[str] | None = None) -> int:
    """Run the board benchmark and return the exit status."""
    args = parse_args(argv)
    limit = args.time_limit or demo_time_limit()
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="bench-board-") as folder:
        timings = measure(args, limit, Path(folder))
    return report(timings, load_before)


if __name__ == "__main__":
    sys.exit(main())
