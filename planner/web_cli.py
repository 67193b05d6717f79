"""The web app's commands: `planner run`, `db`, `demo`, `create-admin`, and Flask's own
developer commands under `planner dev`.

Only click is imported up front, so `planner --help` stays quick; each command creates the
app when it runs. `run`, `db` and `dev` are Flask's and Flask-Migrate's own commands, loaded
through `flask_command` when invoked.
"""

from __future__ import annotations

import importlib
import sys

import click

from .cli import make_app, with_app

EXIT_REFUSED = 1  # create-admin: the account cannot be created as asked


def flask_command(name: str, target: str, summary: str) -> click.Command:
    """A stand-in for the click command at `target` ("module:attribute", or a function there
    that builds it) that imports it only when invoked; its options and `--help` are the
    target's own."""

    @click.command(
        name,
        help=summary,
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    @click.pass_context
    def stand_in(ctx: click.Context) -> None:
        from flask.cli import ScriptInfo

        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # a function that builds the command
            command = command()
        root = ctx.find_root()
        if root.find_object(ScriptInfo) is None:
            root.obj = ScriptInfo(create_app=make_app)
        # As its own child of the `planner` group: FLASK_RUN_PORT and the like still apply.
        with command.make_context(ctx.info_name, list(ctx.args), parent=ctx.parent) as inner:
            return command.invoke(inner)

    return stand_in


def developer_group() -> click.Group:
    """Flask's full command line (routes, shell, plugins) on the planner's app."""
    from flask.cli import FlaskGroup

    return FlaskGroup(name="dev", create_app=make_app, help=developer_group.__doc__)


run_command = flask_command(
    "run",
    "flask.cli:run_command",
    "Serve the web app (development server, as `make run`).",
)
db_command = flask_command(
    "db",
    "flask_migrate.cli:db",
    "Database migrations: `planner db upgrade` after updates.",
)
dev_command = flask_command(
    "dev",
    "planner.web_cli:developer_group",
    "Flask's developer commands: routes, shell, ...",
)


@click.command("demo", short_help="Load the demo barcamp and its organiser account.")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no event yet.")
@click.option(
    "--upgrade",
    is_flag=True,
    help="Apply the migrations first, as `planner db upgrade` (one start fewer for `make run`).",
)
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
@with_app
def demo_command(if_empty: bool, upgrade: bool, host: str, port: int) -> None:
    """Load the demo barcamp (the Hesse congress) and its demo organiser account."""
    import sqlalchemy as sa
    from flask_migrate import upgrade as apply_migrations

    from .demo import demo_admin, load_demo
    from .extensions import db
    from .models import OWNER, Event, User
    from .operations.accounts import add_member, adopt_ownerless_events

    if upgrade:
        apply_migrations()
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


@click.command("create-admin", short_help="Create an administrator account.")
@click.option("--email", help="The administrator's email address (the login).")
@click.option("--name", help="The name shown to other organisers.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking.",
)
@with_app
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
