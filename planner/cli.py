"""The `planner` command line: solve an event@1 file into a plan@1 file, check a plan, and
the web app's commands (`run`, `db upgrade`, `demo`, `create-admin`, `export`, `import`,
`worker`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from .backup_cli import register as register_backup_commands
from .scheduler import (
    FormatError,
    InfeasibleError,
    Plan,
    Problem,
    dump_plan,
    metrics,
    read_event,
    read_plan,
    solve,
    violations,
    write_json,
)
from .worker_cli import register as register_worker_command

EXIT_BROKEN = 1  # the plan breaks a hard rule
EXIT_REFUSED = 1  # create-admin: the account cannot be created as asked
EXIT_INPUT = 2  # malformed or infeasible input

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Barcamp Planner: turn pitches and votes into a plan of rooms and times."""


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no event yet.")
# The printed links name the server that `planner run` will start: the same options, read
# from the same environment variables as its own (`make run` passes HOST and PORT to both).
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="FLASK_RUN_HOST",
    help="The address `planner run` listens on, for the links printed.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=5000,
    show_default=True,
    envvar="FLASK_RUN_PORT",
    help="The port `planner run` listens on, for the links printed.",
)
@with_appcontext
def demo_command(if_empty: bool, host: str, port: int) -> None:
    """Load the demo barcamp (the Hesse congress) and its demo organiser account."""
    import sqlalchemy as sa

    from .demo import demo_admin, load_demo
    from .extensions import db
    from .models import OWNER, Event, User
    from .operations.accounts import add_member, adopt_ownerless_events

    existing = db.session.scalars(sa.select(Event).order_by(Event.id)).first()
    if if_empty and existing is not None:
        click.echo("The database already holds events; no demo loaded.")
        if db.session.scalar(sa.select(User.id).limit(1)) is None:
            # A database from before accounts: its events get the demo account as owner.
            adopt_ownerless_events(demo_admin())
            db.session.commit()
        _print_urls(existing, server_url(host, port))
        return
    event = load_demo()
    add_member(event, demo_admin(), OWNER)
    db.session.commit()
    click.echo(f"Demo barcamp loaded: {event.name}")
    _print_urls(event, server_url(host, port))


def server_url(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server listening on host:port."""
    if host in ("0.0.0.0", "::", ""):  # every address of the machine: this one is among them
        host = "127.0.0.1"
    elif ":" in host:  # an IPv6 address goes in brackets
        host = f"[{host.strip('[]')}]"
    return f"http://{host}:{port}"


def _print_urls(event, base: str) -> None:
    """Say where to click first, and the demo login while it still has its demo password."""
    from .demo import DEMO_EMAIL, DEMO_PASSWORD, has_demo_password
    from .operations.accounts import user_by_email

    click.echo(f"  Event:     {base}/e/{event.slug}/")
    click.echo(f"  Vote:      {base}/e/{event.slug}/vote")
    click.echo(f"  Propose:   {base}/e/{event.slug}/propose")
    click.echo(f"  Plan:      {base}/organise/{event.slug}/plan")
    account = user_by_email(DEMO_EMAIL)
    if account is not None and has_demo_password(account):
        login = f"(login {DEMO_EMAIL} / {DEMO_PASSWORD}, demo only)"
    else:
        login = "(log in with your account; `planner create-admin` makes one)"
    click.echo(f"  Organise:  {base}/organise/{event.slug}/  {login}")


register_backup_commands(main)  # planner export / planner import
register_worker_command(main)  # planner worker


@main.command("create-admin")
@click.option("--email", help="The administrator's email address (the login).")
@click.option("--name", help="The name shown to other organisers.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking.",
)
@with_appcontext
def create_admin_command(email: str | None, name: str | None, password_stdin: bool) -> None:
    """Create an administrator: creates events, sees all of them, owns those without owner."""
    from flask_babel import force_locale

    from .errors import UserInputError
    from .extensions import db
    from .operations.accounts import adopt_ownerless_events, create_user, password_problems

    email = email or click.prompt("Email")
    name = name or click.prompt("Name")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):  # the command line speaks English
        try:
            problems = password_problems(password)
            if problems:
                raise UserInputError(problems)
            user = create_user(email, name, password, is_admin=True)
        except UserInputError as error:
            db.session.rollback()
            for problem in error.problems:
                click.echo(f"Error: {problem}", err=True)
            sys.exit(EXIT_REFUSED)
    adopted = adopt_ownerless_events(user)
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")
    if adopted:
        names = ", ".join(event.name for event in adopted)
        click.echo(f"Now the owner of {len(adopted)} event(s) that had none: {names}")


@main.command("solve")
@click.argument("event_file", type=FILE)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write plan@1 here instead of to standard output.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to search (default: scaled to the event, at most 120).",
)
@click.option(
    "--keep",
    "keep_file",
    type=FILE,
    help="A previous plan@1: keep sessions where they were when possible.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel searches (default: one per core, at most two).",
)
def solve_command(
    event_file: Path,
    output: Path | None,
    time_limit: float | None,
    keep_file: Path | None,
    seed: int,
    workers: int | None,
) -> None:
    """Solve EVENT_FILE (event@1) into the best plan (plan@1) found."""
    problem = _load_event(event_file)
    keep = _load_plan(keep_file, problem) if keep_file else None
    try:
        plan = solve(problem, time_limit=time_limit, keep=keep, seed=seed, workers=workers)
    except InfeasibleError as error:
        _fail(f"No valid plan exists for {event_file}:", error.problems)
    text = write_json(dump_plan(plan))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(summary(problem, plan), err=True)


@main.command("check")
@click.argument("event_file", type=FILE)
@click.argument("plan_file", type=FILE)
def check_command(event_file: Path, plan_file: Path) -> None:
    """Check PLAN_FILE against EVENT_FILE: broken rules and quality figures."""
    problem = _load_event(event_file)
    plan = _load_plan(plan_file, problem)
    broken = violations(problem, plan)
    figures = metrics(problem, plan)
    for violation in broken:
        click.echo(f"VIOLATION {violation}")
    click.echo(_figures_line(len(problem.sessions), figures))
    if broken:
        click.echo(f"{len(broken)} hard rule violation(s): the plan is invalid.", err=True)
        sys.exit(EXIT_BROKEN)
    click.echo("The plan is valid.", err=True)


def summary(problem: Problem, plan: Plan) -> str:
    """A few lines for people: what was scheduled, what it costs, what to look at."""
    solver = plan.solver
    lines = [
        _figures_line(len(problem.sessions), plan.metrics),
        f"Solver: {solver.get('status')} in {solver.get('seconds')} s; no plan can miss fewer "
        f"than {solver.get('bound')} people (gap {solver.get('gap')}).",
    ]
    if plan.moved:
        lines.append(f"Moved against the kept plan: {', '.join(plan.moved)}")
    lines.extend(f"Warning: {warning}" for warning in plan.warnings)
    return "\n".join(lines)


def _figures_line(total: int, figures: dict) -> str:
    share = figures.get("attendable_share", 0) * 100
    return (
        f"Scheduled {figures['scheduled']} of {total} sessions; missed "
        f"{figures['missed']} people ({figures['lost_interests']} lost interests, "
        f"{figures['overflow_people']} without a seat); {share:.1f} % of interests "
        f"attendable; fullest room at {figures.get('fullest_room', 0):.0%} of its seats."
    )


def _load_event(path: Path) -> Problem:
    try:
        return read_event(path.read_bytes())
    except FormatError as error:
        _fail(f"{path} is not a valid event@1 file:", error.problems)


def _load_plan(path: Path, problem: Problem) -> Plan:
    try:
        return read_plan(path.read_bytes(), problem)
    except FormatError as error:
        _fail(f"{path} is not a valid plan@1 file for this event:", error.problems)


def _fail(headline: str, problems: list[str]):
    click.echo(headline, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(EXIT_INPUT)
