"""The `planner` command line: one lazy group whose commands load only when they run.

`planner solve` and `planner check` need the scheduler alone, so they start without Flask,
SQLAlchemy or WeasyPrint; the web app's commands create the app only when invoked. Every
module named in COMMANDS imports no more than click at its top, so `planner --help` stays
quick: it loads each command for its one-line help.
"""

from __future__ import annotations

import functools
import importlib

import click

# Name -> "module:attribute". Adding a command is one line here.
COMMANDS = {
    "solve": "planner.scheduler_cli:solve_command",
    "check": "planner.scheduler_cli:check_command",
    "seat": "planner.rounds_cli:seat_command",
    "check-seating": "planner.rounds_cli:check_seating_command",
    "run": "planner.web_cli:run_command",
    "db": "planner.web_cli:db_command",
    "demo": "planner.web_cli:demo_command",
    "create-admin": "planner.web_cli:create_admin_command",
    "export": "planner.backup_cli:export_command",
    "import": "planner.backup_cli:import_command",
    "worker": "planner.worker_cli:worker_command",
    "dev": "planner.web_cli:dev_command",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command is needed."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The table's order (the scheduler first, Flask's developer commands last)."""
        return [*self.lazy, *sorted(set(self.commands) - set(self.lazy))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Load the command from its module (or return one added with add_command)."""
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return self.commands.get(cmd_name)
        module_name, attribute = self.lazy[cmd_name].split(":")
        return getattr(importlib.import_module(module_name), attribute)


def make_app():
    """The web app, imported and created only now."""
    from .app import create_app

    return create_app()


def with_app(command):
    """Run `command` inside the web app, created only now (unless a test pushed one)."""

    @functools.wraps(command)
    def in_app(*args, **kwargs):
        from flask import current_app
        from flask.cli import ScriptInfo

        if current_app:
            return command(*args, **kwargs)
        info = click.get_current_context().find_object(ScriptInfo)
        app = (info or ScriptInfo(create_app=make_app)).load_app()
        with app.app_context():
            return command(*args, **kwargs)

    return in_app


# FLASK_RUN_HOST and FLASK_RUN_PORT reach `planner run` as they reach `flask run`.
@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"auto_envvar_prefix": "FLASK", "max_content_width": 100},
)
@click.version_option(
    package_name="barcamp-planner", prog_name="Barcamp Planner", message="%(prog)s %(version)s"
)
def main() -> None:
    """Barcamp Planner: turn pitches and votes into a plan of rooms and times."""
