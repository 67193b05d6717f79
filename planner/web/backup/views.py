"""Backups: download a whole event as a backup@1 file, restore one as a new event.

A backup holds the proposers' private links and the devices' ballot tokens, so both routes
are for organisers only, and the download is never cached.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...errors import UserInputError
from ...format_wording import problem_sentences, shortened
from ...models import utcnow
from ...operations.backup import backup_document, restore_event
from ...scheduler import FormatError, write_json
from ...scheduler.formats import loads_json
from ..auth.access import admin_required, make_owner_of, organiser_required
from ..lookup import event_or_404
from .forms import RestoreForm

blueprint = Blueprint("backup", __name__)


@blueprint.get("/organise/<slug>/backup.json")
@organiser_required
def download(slug: str):
    """Download the event with everything in it as a backup@1 file."""
    event = event_or_404(slug)
    filename = f"{slug}-backup-{utcnow():%Y-%m-%d}.json"
    return Response(
        write_json(backup_document(event)),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",  # private links and ballot tokens
        },
    )


@blueprint.route("/organise/restore", methods=["GET", "POST"])
@admin_required  # restoring creates an event, like creating or importing one
def restore():
    """Restore an uploaded backup as a new event; a bad file is refused with every problem."""
    form = RestoreForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("backup/restore.html", form=form, problems=[], count=0), status
    document = None
    try:
        document = loads_json(form.backup.data.read())
        event = restore_event(document)
    except (FormatError, UserInputError) as error:  # the page again: a 400 keeps nothing
        problems = problem_sentences(error, document)
        return render_template(
            "backup/restore.html", form=form, problems=shortened(problems), count=len(problems)
        ), 400
    make_owner_of(event)  # a backup carries no memberships: whoever restores it owns it
    flash(_("Event restored: %(name)s (address /e/%(slug)s/).", name=event.name, slug=event.slug))
    return redirect(url_for("organise.event", slug=event.slug))
