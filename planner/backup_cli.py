"""`planner export` and `planner import`: a whole event to and from a backup@1 file.

Only click is imported up front (`planner --help` stays quick); the app loads when a command
runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import with_app

EXIT_INPUT = 2  # as `planner solve`: malformed input, nothing written


@click.command("export", short_help="Write an event with everything in it as backup@1.")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup here instead of to standard output.",
)
@with_app
def export_command(slug: str, output: Path | None) -> None:
    """Write the event SLUG with everything in it as a backup@1 file."""
    import sqlalchemy as sa

    from .extensions import db
    from .models import Event
    from .operations.backup import backup_document
    from .scheduler import write_json

    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        _fail(f"No event has the address {slug!r}.", [])
    text = write_json(backup_document(event))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Backup of {event.name} written to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@click.command("import", short_help="Restore a backup@1 file as a new event.")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="The new event's address (default: the backup's, numbered if taken).")
@click.option("--owner", metavar="EMAIL", help="The account that owns the restored event.")
@with_app
def import_command(backup_file: Path, slug: str | None, owner: str | None) -> None:
    """Restore BACKUP_FILE (backup@1) as a new event; existing events are never changed.

    A backup holds no accounts: without --owner only administrators see the event.
    """
    from .errors import UserInputError
    from .extensions import db
    from .models import OWNER
    from .operations.accounts import add_member, user_by_email
    from .operations.backup import restore_event
    from .scheduler import FormatError
    from .scheduler.formats import loads_json

    owner_account = user_by_email(owner) if owner else None
    if owner and owner_account is None:
        _fail(f"No account has the email {owner!r}; nothing was written.", [])
    try:
        event = restore_event(loads_json(backup_file.read_bytes()), slug=slug)
    except (FormatError, UserInputError) as error:
        db.session.rollback()
        _fail(f"{backup_file} was not restored; nothing was written:", error.problems)
    if owner_account is not None:
        add_member(event, owner_account, OWNER)
    db.session.commit()
    click.echo(f"Restored {event.name} as /e/{event.slug}/")


def _fail(headline: str, problems: list[str]):
    click.echo(headline, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(EXIT_INPUT)
