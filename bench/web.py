"""Replay the lunch-break rush against gunicorn: `python -m bench.web [--voters N] [--seconds S]`.

The database is a fresh SQLite file in a temporary folder, or the PostgreSQL database that
DATABASE_URL (or --database-url) names: its public schema is dropped and made anew, so give
it one of its own. It gets the migrations and the demo barcamp; the app runs under gunicorn
(gunicorn.conf.py, on a free loopback port). Then, with a bounded pool of client threads, the
trivial endpoint is measured (`GET /healthz`, as many visitors sending as many requests each
as the voters will), and then the rush in two steps: every voter opens the voting page
(device cookie, CSRF token), then every voter marks a few sessions as vote.js does. Two
steps, so that gunicorn's CPU time per request of each kind can be told apart (CPU time is
steadier than requests per second on a shared machine); the rush's throughput and latencies
are those of both steps together. After gunicorn has stopped, the database is read: the marks
stored must be exactly those acknowledged. One table on stdout; exit status 1 on any error
or a mismatch.

Every simulated phone comes from 127.0.0.1, as a venue's Wi-Fi shows one address for all its
phones, so the limit on new devices per address is raised for the run; the limit on marks per
device stays as configured. Traffic goes to loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: the generator refuses any other address
ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
RAISED_LIMITS = {"RATELIMIT_NEW_DEVICES": "100000/minute", "RATELIMIT_NEW_BALLOTS": "100000/minute"}
MARKS = (3, 6)  # a few marks per voter (the demo's voters have 2 to 6)
TIMEOUT = 10  # seconds for any one request
MOST_VOTERS = 5000  # the generator is bounded in count ...
MOST_SECONDS = 300  # ... and in time, whatever the command line asks
EXIT_FAILED = 1
CORES = os.cpu_count() or 1


# --- the database and the server -----------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """The prepared database: its SQLAlchemy URI, the demo's slug, the last ballot before
    the run."""

    uri: str
    slug: str
    last_ballot: int

    @property
    def kind(self) -> str:
        """SQLite or PostgreSQL, for the report."""
        return "PostgreSQL" if self.uri.startswith("postgresql") else "SQLite"


def database_uri(url: str | None, folder: Path) -> str:
    """The URI to run on: `url` (PostgreSQL) if given, else a new SQLite file in `folder`."""
    from planner.config import database_uri as configured

    return configured(url, str(folder)) if url else f"sqlite:///{folder / 'bench.sqlite3'}"


def prepare_database(uri: str, secret: str) -> Site:
    """Migrate an empty database and load the demo barcamp into it, in this process."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from planner import create_app
    from planner.demo import load_demo
    from planner.extensions import db
    from planner.models import Ballot

    app = create_app({"TESTING": True, "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # start from nothing, as a new file does
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA public"))
        upgrade()
        slug = load_demo().slug
        db.session.commit()
        last_ballot = db.session.scalar(sa.select(sa.func.max(Ballot.id))) or 0
        db.session.remove()
        db.engine.dispose()
    return Site(uri, slug, last_ballot)


def free_port() -> int:
    """A port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Serving:
    """How gunicorn runs: None keeps gunicorn.conf.py's value."""

    worker_class: str | None = None
    workers: int | None = None
    threads: int | None = None

    def options(self) -> list[str]:
        """gunicorn's command-line options for the values that are set."""
        chosen = (
            ("--worker-class", self.worker_class),
            ("--workers", self.workers),
            ("--threads", self.threads),
        )
        return [text for name, value in chosen if value for text in (name, str(value))]


def gunicorn_command(
    site: Site, secret: str, port: int, serving: Serving, extra_config: dict | None = None
) -> list[str]:
    """gunicorn with the project's settings, on `port`, serving the app on `site`'s file.

    The configuration goes to the factory itself (as in tests/durability), so no instance
    config.py can point the server at another database or other limits; `extra_config` adds
    settings of its own (bench.board: the solver's).
    """
    config = {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": site.uri,
        **RAISED_LIMITS,
        **(extra_config or {}),
    }
    config["RATELIMIT_STORAGE_URI"] = "locked-memory://"  # never a shared Redis
    return [
        sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF),
        "--bind", f"{HOST}:{port}", *serving.options(), f"planner:create_app({config!r})",
    ]  # fmt: skip


@contextmanager
def gunicorn(
    site: Site, secret: str, serving: Serving, log: Path, extra_config: dict | None = None
):
    """Run gunicorn until the block ends, then stop it gracefully; yield its port and pid."""
    port = free_port()
    env = {**os.environ, "SECRET_KEY": secret}
    for name in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        env.pop(name, None)
    with log.open("ab") as output:
        server = subprocess.Popen(
            gunicorn_command(site, secret, port, serving, extra_config),
            env=env, cwd=ROOT, stdout=output, stderr=output,
        )  # fmt: skip
    try:
        wait_until_healthy(port, server, log)
        yield port, server.pid
    finally:
        stop(server)


def wait_until_healthy(port: int, server: subprocess.Popen, log: Path) -> None:
    """Wait until /healthz answers 200; fail with the server's log if it never does.

    The deadline only catches a server that never comes up: on a loaded 2-core machine three
    workers importing the app took over 30 s, so it is generous."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            with closing(Phone(port)) as phone:
                status, _body = phone.request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer /healthz:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM (workers finish their requests and close the database), SIGKILL if stuck."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the phones ----------------------------------------------------------------------------


class Phone:
    """One device: its own connection (kept alive when the server allows) and cookies."""

    def __init__(self, port: int, host: str = HOST):
        if host != HOST:
            raise ValueError(f"load goes to loopback only, not to {host!r}")
        self.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        """Send one request with this phone's cookies; the status and the body."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            raise
        for header in response.msg.get_all("Set-Cookie") or ():
            # Browsers send Secure cookies to http://127.0.0.1 too; so does this phone.
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return response.status, payload

    def close(self) -> None:
        """Hang up."""
        self.connection.close()


@dataclass
class Tally:
    """Latencies and errors per kind of request, shared by the client threads."""

    sent: Counter = field(default_factory=Counter)
    seconds: dict[str, list[float]] = field(default_factory=dict)  # of answered requests
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    acknowledged: list[frozenset[int]] = field(default_factory=list)  # per voter
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, phone: Phone, method: str, path: str, **send):
        """Send and time one request; its body if answered 200, else None (an error)."""
        with self.lock:
            self.sent[kind] += 1
        began = time.perf_counter()
        try:
            status, body = phone.request(method, path, **send)
        except (OSError, http.client.HTTPException) as error:
            self.error(kind, f"{method} {path}: {error!r}")
            return None
        with self.lock:
            self.seconds.setdefault(kind, []).append(time.perf_counter() - began)
        if status != 200:
            self.error(kind, f"{method} {path}: HTTP {status}")
            return None
        return body

    def error(self, kind: str, example: str) -> None:
        """Count a failed request of this kind and keep a few examples."""
        with self.lock:
            self.errors[kind] += 1
            if len(self.examples) < 5:
                self.examples.append(example)

    def succeeded(self, *kinds: str) -> int:
        """Requests of these kinds sent without an error."""
        return sum(self.sent[kind] - self.errors[kind] for kind in kinds)


TRIVIAL = "trivial: GET /healthz"
PAGE = "ballot: GET /e/<slug>/vote"
MARK = "ballot: POST /e/<slug>/vote/<id>"
LATE = "not started within the time limit"


def visit(port: int, requests: int, tally: Tally, deadline: float) -> None:
    """A visitor of the trivial endpoint: as many requests as a voter sends, on one phone."""
    if time.monotonic() > deadline:
        tally.error(LATE, "visitor")
        return
    with closing(Phone(port)) as phone:
        for _ in range(requests):
            tally.timed(TRIVIAL, phone, "GET", "/healthz")


@dataclass
class Voter:
    """A phone in the rush, and what its voting page gave it: the CSRF token, its order."""

    phone: Phone
    marks: int
    token: str = ""
    order: list[int] = field(default_factory=list)


def open_page(voter: Voter, slug: str, tally: Tally, deadline: float) -> None:
    """A voter's first step: open the voting page (the device cookie, the token, the order)."""
    if time.monotonic() > deadline:
        tally.error(LATE, "voter")
        return
    page = tally.timed(PAGE, voter.phone, "GET", f"/e/{slug}/vote")
    if page is None:
        return
    text = page.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', text)
    order = [int(n) for n in re.findall(rf'action="/e/{re.escape(slug)}/vote/(\d+)"', text)]
    if token is None or len(order) < voter.marks:
        tally.error(PAGE, "the voting page has no mark forms")
        return
    voter.token, voter.order = token[1], order


def mark_top(voter: Voter, slug: str, tally: Tally, deadline: float) -> None:
    """A voter's second step: mark the top sessions of its own order, one tap at a time."""
    if not voter.token:
        return  # its page failed: counted there
    if time.monotonic() > deadline:
        tally.error(LATE, "voter")
        return
    # The page was a while ago and the server has closed that idle connection: like a
    # browser, the phone opens a new one (a stale one would fail with a broken pipe).
    voter.phone.close()
    marked = voter.order[: voter.marks]
    acknowledged = {talk for talk in marked if mark(voter.phone, slug, talk, voter.token, tally)}
    with tally.lock:
        tally.acknowledged.append(frozenset(acknowledged))


def mark(phone: Phone, slug: str, talk: int, token: str, tally: Tally) -> bool:
    """Send one tap as vote.js does; whether the server acknowledged the mark."""
    body = tally.timed(
        MARK, phone, "POST", f"/e/{slug}/vote/{talk}",
        body=urllib.parse.urlencode({"csrf_token": token, "marked": "1"}),
        headers={
            "Accept": "application/json", "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )  # fmt: skip
    if body is None:
        return False
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    if answer.get("marked") is not True:
        tally.error(MARK, f"mark {talk}: not acknowledged: {body[:80]!r}")
        return False
    return True


@dataclass(frozen=True)
class Phase:
    """One measured stretch of traffic: its tally, wall time and CPU seconds used by the
    load generator, by gunicorn and by the whole machine (None where /proc is missing)."""

    tally: Tally
    seconds: float
    client_cpu: float = 0.0
    server_cpu: float | None = None
    machine_cpu: float | None = None

    def then(self, later: Phase) -> Phase:
        """This phase and a later one as one: counts, times and CPU seconds added up."""
        tally = Tally()
        for part in (self.tally, later.tally):
            tally.sent.update(part.sent)
            tally.errors.update(part.errors)
            tally.examples.extend(part.examples)
            tally.acknowledged.extend(part.acknowledged)
            for kind, seconds in part.seconds.items():
                tally.seconds.setdefault(kind, []).extend(seconds)

        def add(first: float | None, second: float | None) -> float | None:
            return None if first is None or second is None else first + second

        return Phase(
            tally,
            self.seconds + later.seconds,
            self.client_cpu + later.client_cpu,
            add(self.server_cpu, later.server_cpu),
            add(self.machine_cpu, later.machine_cpu),
        )

    def cpu_ms(self, *kinds: str) -> str:
        """gunicorn's CPU milliseconds per request of these kinds in this phase."""
        sent = sum(self.tally.sent[kind] for kind in kinds)
        if self.server_cpu is None or not sent:
            return "?"
        return f"{1000 * self.server_cpu / sent:.2f}"

    def others_cpu(self) -> float | None:
        """CPU seconds that neither gunicorn nor the load generator used: other work."""
        if self.server_cpu is None or self.machine_cpu is None:
            return None
        return max(0.0, self.machine_cpu - self.server_cpu - self.client_cpu)


def run_phase(concurrency: int, jobs, seconds: float, server: int) -> Phase:
    """Run `jobs(tally, deadline)` callables on a bounded pool; time them."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    meters = (time.perf_counter(), time.process_time(), tree_cpu(server), machine_cpu())
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(job, tally, deadline) for job in jobs]:
            future.result()
    after = (time.perf_counter(), time.process_time(), tree_cpu(server), machine_cpu())
    used = [None if b is None or a is None else b - a for a, b in zip(meters, after, strict=True)]
    return Phase(tally, *used)


def machine_cpu() -> float | None:
    """CPU seconds all cores have been busy since boot (Linux /proc/stat), else None."""
    try:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float | None:
    """CPU seconds used by the process `pid` and its children (Linux /proc), else None."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for process in [pid, *map(int, children)]:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def warm_up(port: int, slug: str, concurrency: int) -> None:
    """Let every worker load its templates and connect, uncounted: the server has been up
    all morning when the lunch break comes. Opening the voting page makes no ballot."""
    tally = Tally()

    def look(_number: int) -> None:
        with closing(Phone(port)) as phone:
            tally.timed(TRIVIAL, phone, "GET", "/healthz")
            tally.timed(PAGE, phone, "GET", f"/e/{slug}/vote")

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(look, range(4 * concurrency)))
    if tally.errors:
        raise RuntimeError(f"the warm-up failed: {tally.examples}")


def ballot_sizes(voters: int, seed: int) -> list[int]:
    """How many sessions each voter marks (the trivial phase sends as many requests)."""
    rng = random.Random(seed)
    return [rng.randint(*MARKS) for _ in range(voters)]


# --- the database after the run ------------------------------------------------------------


def stored_ballots(site: Site) -> list[frozenset[int]]:
    """The marked sessions of each ballot made during the run, read from the database."""
    import sqlalchemy as sa

    engine = sa.create_engine(site.uri, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT ballot.id, ballot_mark.talk_id FROM ballot LEFT JOIN ballot_mark"
                    " ON ballot_mark.ballot_id = ballot.id WHERE ballot.id > :last"
                ),
                {"last": site.last_ballot},
            ).all()
    finally:
        engine.dispose()
    ballots: dict[int, set[int]] = {}
    for ballot, talk in rows:
        ballots.setdefault(ballot, set()).update([talk] if talk is not None else [])
    return [frozenset(marks) for marks in ballots.values()]


# --- reporting -----------------------------------------------------------------------------

HEADER = ("traffic", "requests", "errors", "req/s", "p50 ms", "p99 ms", "CPU ms/req")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0..1) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def row(name: str, phase: Phase, kinds: tuple[str, ...], cpu: Phase | None = None):
    """One line of the table: requests sent, errors, successful requests per second of the
    phase, the latencies of the answered ones in ms, and gunicorn's CPU ms per request (in
    the phase `cpu` if given: the step of the rush that sent only this kind)."""
    tally = phase.tally
    latencies = [seconds for kind in kinds for seconds in tally.seconds.get(kind, [])]
    return (
        name,
        str(sum(tally.sent[kind] for kind in kinds)),
        str(sum(tally.errors[kind] for kind in kinds)),
        f"{tally.succeeded(*kinds) / phase.seconds:.1f}" if phase.seconds else "–",
        f"{1000 * percentile(latencies, 0.50):.1f}",
        f"{1000 * percentile(latencies, 0.99):.1f}",
        (cpu or phase).cpu_ms(*kinds),
    )


def table_rows(run: Run) -> list[tuple[str, ...]]:
    """The trivial endpoint, each kind of ballot request, and all ballot requests."""
    return [
        row(TRIVIAL, run.trivial, (TRIVIAL,)),
        row(PAGE, run.rush, (PAGE,), run.pages),
        row(MARK, run.rush, (MARK,), run.marks),
        row("ballot: all requests", run.rush, (PAGE, MARK)),
    ]


def format_table(rows: list[tuple[str, ...]]) -> str:
    """An aligned plain-text table that is also a Markdown table."""
    widths = [max(len(line[column]) for line in [HEADER, *rows]) for column in range(len(HEADER))]

    def line(cells) -> str:
        padded = [cells[0].ljust(widths[0])]
        padded += [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":") for i, w in enumerate(widths))
    return "\n".join([line(HEADER), rule + "|", *(line(cells) for cells in rows)])


def throughput(phase: Phase, *kinds: str) -> float:
    """Successful requests of these kinds per second of the phase."""
    return phase.tally.succeeded(*kinds) / phase.seconds if phase.seconds else 0.0


# --- command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=400, help="phones in the rush")
    parser.add_argument("--seconds", type=float, default=120, help="time limit of each phase")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads")
    parser.add_argument("--seed", type=int, default=0, help="how many sessions each voter marks")
    parser.add_argument("--worker-class", help="gunicorn worker class (gunicorn.conf.py's)")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, help="threads per gthread worker")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL database of its own (its schema is dropped); default: DATABASE_URL,"
        " else a new SQLite file",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.voters <= MOST_VOTERS:
        parser.error(f"--voters must be between 1 and {MOST_VOTERS}")
    if not 0 < args.seconds <= MOST_SECONDS:
        parser.error(f"--seconds must be positive and at most {MOST_SECONDS}")
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency must be between 1 and 256")
    return args


@dataclass(frozen=True)
class Run:
    """One benchmark run: the database, both phases, how gunicorn ran and what it logged."""

    site: Site
    trivial: Phase
    rush: Phase  # both steps of the rush as one
    setup: str
    server_log: str
    pages: Phase | None = None  # the rush's first step: every voter opens the voting page
    marks: Phase | None = None  # its second step: every voter marks
    load_before: str = "?"  # the machine's load average before the run: a shared machine


def measure(args: argparse.Namespace, folder: Path) -> Run:
    """Prepare the database, serve it under gunicorn and run both phases."""
    secret = secrets.token_hex(16)
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    uri = database_uri(args.database_url, folder)
    kind = "PostgreSQL" if uri.startswith("postgresql") else "SQLite"
    _progress(f"preparing a fresh {kind} database with the demo barcamp … ")
    site = prepare_database(uri, secret)
    serving = Serving(args.worker_class, args.workers, args.threads)
    sizes = ballot_sizes(args.voters, args.seed)
    log = folder / "gunicorn.log"
    with gunicorn(site, secret, serving, log) as (port, pid):
        _progress(f"serving on {HOST}:{port}\nwarming up … ")
        warm_up(port, site.slug, args.concurrency)
        _progress("the trivial endpoint … ")
        visitors = [_job(visit, port, 1 + size) for size in sizes]
        trivial = run_phase(args.concurrency, visitors, args.seconds, pid)
        _progress(f"{trivial.seconds:.1f} s; the rush of {args.voters} voters … ")
        voters = [Voter(Phone(port), size) for size in sizes]
        try:
            pages = run_phase(
                args.concurrency, [_job(open_page, v, site.slug) for v in voters], args.seconds, pid
            )
            marks = run_phase(
                args.concurrency, [_job(mark_top, v, site.slug) for v in voters], args.seconds, pid
            )
        finally:
            for voter in voters:
                voter.phone.close()
        rush = pages.then(marks)
        _progress(f"{pages.seconds:.1f} s + {marks.seconds:.1f} s\n")
    text = log.read_text(errors="replace")
    return Run(site, trivial, rush, _server_setup(text), text, pages, marks, load_before)


def _job(function, *args):
    return lambda tally, deadline: function(*args, tally, deadline)


def _server_setup(text: str) -> str:
    """What gunicorn said about its workers, from its log."""
    workers = len(set(re.findall(r"Booting worker with pid: (\d+)", text)))
    kind = re.search(r"Using worker: (\S+)", text)
    return f"{workers} workers ({kind[1] if kind else '?'})"


def report(args: argparse.Namespace, run: Run) -> int:
    """Print the table, the figures and the bookkeeping; the exit status."""
    trivial, rush = run.trivial, run.rush
    stored = stored_ballots(run.site)
    acknowledged = [marks for marks in rush.tally.acknowledged if marks]
    matches = Counter(stored) == Counter(acknowledged)
    errors = sum(trivial.tally.errors.values()) + sum(rush.tally.errors.values())
    raised = ", ".join(f"{key}={value}" for key, value in RAISED_LIMITS.items())
    print(
        f"\nRate limits raised for this benchmark ({raised}): all {args.voters} phones come"
        f"\nfrom {HOST}, as a venue's phones share one address; marks per device as configured."
        f"\ngunicorn: {run.setup}; {args.concurrency} client threads on the same machine."
        f"\nDatabase: {run.site.kind}. Load average before the run: {run.load_before}.\n"
    )
    print(format_table(table_rows(run)))
    print()
    for line in figures(args, trivial, rush):
        print(line)
    print(
        f"marks acknowledged {sum(map(len, acknowledged))}, stored {sum(map(len, stored))}: "
        f"{'OK' if matches else 'MISMATCH'}"
    )
    print(f"errors: {errors}")
    for example in trivial.tally.examples + rush.tally.examples:
        print(f"  e.g. {example}")
    if errors:
        print(last_traceback(run.server_log), file=sys.stderr)
    return 0 if matches and not errors else EXIT_FAILED


def last_traceback(log: str) -> str:
    """The server's last logged error with its traceback, for a run that had errors."""
    start = log.rfind("ERROR in ")  # Flask's default format for app.logger
    if start < 0:
        start = log.rfind("Traceback (most recent call last)")
    if start < 0:
        return "gunicorn logged no traceback."
    return "gunicorn's last logged error:\n" + "\n".join(log[start:].splitlines()[:60])


def figures(args: argparse.Namespace, trivial: Phase, rush: Phase) -> list[str]:
    """The lines under the table: voters done, the throughput ratio, who used the CPU."""
    done = len(rush.tally.acknowledged)
    trivial_rate = throughput(trivial, TRIVIAL)
    ratio = throughput(rush, PAGE, MARK) / trivial_rate if trivial_rate else 0.0
    lines = [
        f"ballots: {done} of {args.voters} voters done in {rush.seconds:.1f} s "
        f"(limit {args.seconds:g} s), {done / rush.seconds:.1f} voters/s",
        f"ballot ÷ trivial throughput (requests/s): {ratio:.2f}",
        f"ballot ÷ trivial by gunicorn's CPU time per request: {cpu_ratio(trivial, rush)}"
        " (steadier when other work shares the machine)",
    ]
    late = trivial.tally.errors[LATE] + rush.tally.errors[LATE]
    if late:
        lines.append(f"{LATE}: {late}")
    for name, phase in (("trivial", trivial), ("rush", rush)):
        lines.append(
            f"CPU s in the {name} phase ({phase.seconds:.1f} s × {CORES} cores): {cpu_use(phase)}"
        )
    return lines


def cpu_ratio(trivial: Phase, rush: Phase) -> str:
    """What the throughput ratio would be if gunicorn's CPU alone set the pace: trivial CPU
    time per request over that of a ballot request."""
    sent = sum(rush.tally.sent[kind] for kind in (PAGE, MARK))
    if trivial.server_cpu is None or rush.server_cpu is None or not sent or not rush.server_cpu:
        return "?"
    trivial_each = trivial.server_cpu / max(1, trivial.tally.sent[TRIVIAL])
    return f"{trivial_each / (rush.server_cpu / sent):.2f}"


def cpu_use(phase: Phase) -> str:
    """Who used the CPU during a phase, so a busy machine shows in the report."""

    def seconds(value: float | None) -> str:
        return "?" if value is None else f"{value:.1f}"

    return (
        f"gunicorn {seconds(phase.server_cpu)}, load generator {seconds(phase.client_cpu)}, "
        f"other processes {seconds(phase.others_cpu())}"
    )


def _progress(text: str) -> None:
    """Progress goes to stderr so that stdout holds only the report."""
    sys.stderr.write(text)
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the web benchmark and return the exit status."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        return report(args, measure(args, Path(folder)))


if __name__ == "__main__":
    sys.exit(main())
