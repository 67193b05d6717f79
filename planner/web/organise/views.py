"""The organisers' pages: events, settings, phases, rooms, slots, pitches, sessions, hands.

The planning board lives in the planning blueprint.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.routing import BuildError

from ...errors import ConflictError, UserInputError
from ...extensions import db
from ...models import Event, Invitation, Membership, Room, Slot, Talk
from ...operations import accounts, planning, setup
from ...operations.schedule import entry_of, published_schedule
from ..auth.access import admin_required, make_owner_of, organiser_required, owner_required
from ..auth.forms import ROLE_LABELS, InviteForm, RoleForm
from ..boundary import back_to, keep_nothing, wants_json
from ..lookup import event_or_404
from .forms import (
    EventForm,
    MergeForm,
    PhasesForm,
    PitchForm,
    RoomForm,
    SlotForm,
    SlotSeriesForm,
    TalkForm,
    hands_counts,
    hands_form,
    room_data,
    talk_data,
)

blueprint = Blueprint("organise", __name__, url_prefix="/organise")

RECENT_PITCHES = 20


def _of_event(model: type[Room | Slot | Talk], item_id: int, event: Event):
    """The room, slot or session with this id, if it belongs to the event; else 404."""
    item = db.get_or_404(model, item_id)
    if item.event_id != event.id:
        abort(404)
    return item


def _show(field, error: UserInputError) -> None:
    """Put the operation's messages next to the field they concern; the form is shown again,
    so this view answers the refusal itself and nothing of it is kept."""
    keep_nothing()
    field.errors = [*field.errors, *error.problems]


@blueprint.get("/")
@organiser_required
def events():
    """List the events the user organises (admins: all)."""
    return render_template(
        "organise/events.html",
        events=accounts.events_of(current_user),
        import_url=_optional_url("planning.import_event_file") if current_user.is_admin else None,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@organiser_required
@admin_required
def new_event():
    """Create an event; its creator becomes its owner."""
    form = EventForm()
    if form.validate_on_submit():
        event = setup.create_event(**form.values())
        make_owner_of(event)
        flash(_("The event “%(name)s” was created.", name=event.name))
        return redirect(url_for(".event", slug=event.slug))
    return render_template("organise/event_form.html", form=form, event=None)


@blueprint.get("/<slug>/")
@organiser_required
def event(slug: str):
    """Show an event's overview: settings, counts, phases and links to every page."""
    event = event_or_404(slug)
    return render_template(
        "organise/event.html",
        event=event,
        counts=setup.counts(event),
        phases=PhasesForm(obj=event),
        board_url=_optional_url("planning.board", slug=event.slug),
        published=published_schedule(event) is not None,
    )


def _optional_url(endpoint: str, **values) -> str | None:
    """A page of the planning blueprint, or None if it has no such page (yet)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@blueprint.route("/<slug>/settings", methods=["GET", "POST"])
@organiser_required
def settings(slug: str):
    """Edit an event's settings."""
    event = event_or_404(slug)
    form = EventForm(obj=event)
    if form.validate_on_submit():
        setup.update_event(event, **form.values())
        flash(_("The settings were saved."))
        return redirect(url_for(".event", slug=slug))
    return render_template("organise/event_form.html", form=form, event=event)


@blueprint.post("/<slug>/phases")
@organiser_required
def phases(slug: str):
    """Switch proposals, voting and planning on or off."""
    event = event_or_404(slug)
    form = PhasesForm()
    if form.validate_on_submit():
        setup.set_phases(event, **{name: form[name].data for name in setup.PHASES})
        flash(_("The phases were saved."))
        if form.planning_started.data and form.proposals_open.data:
            flash(_("Proposals are closed because planning has started."))
    return redirect(url_for(".event", slug=slug))


@blueprint.post("/<slug>/phases/<name>")
@organiser_required
def switch_phase(slug: str, name: str):
    """Open or close one phase with a button (`open=1` or `open=0`); the others stay."""
    event = event_or_404(slug)
    if name not in setup.PHASES:
        abort(404)
    wanted = {phase: getattr(event, phase) for phase in setup.PHASES}
    wanted[name] = request.form.get("open") == "1"
    setup.set_phases(event, **wanted)
    flash(PHASE_MESSAGES[name, wanted[name]]())
    return redirect(url_for(".event", slug=slug))


PHASE_MESSAGES = {
    ("proposals_open", True): lambda: _("Proposals are open."),
    ("proposals_open", False): lambda: _("Proposals are closed."),
    ("voting_open", True): lambda: _("Voting is open."),
    ("voting_open", False): lambda: _("Voting has ended."),
    ("planning_started", True): lambda: _(
        "Planning has started: proposers can no longer change their sessions."
    ),
    ("planning_started", False): lambda: _("Planning is paused: proposers can edit again."),
}


@blueprint.route("/<slug>/rooms", methods=["GET", "POST"])
@organiser_required
def rooms(slug: str):
    """List the rooms and add one."""
    event = event_or_404(slug)
    form = RoomForm(slots=event.slots)
    if form.validate_on_submit():
        try:
            room = setup.add_room(event, **form.values())
        except UserInputError as error:
            _show(form.name, error)
        else:
            flash(_("The room “%(name)s” was added.", name=room.name))
            return redirect(url_for(".rooms", slug=slug))
    return render_template("organise/rooms.html", event=event, form=form)


@blueprint.route("/<slug>/rooms/<int:room_id>", methods=["GET", "POST"])
@organiser_required
def edit_room(slug: str, room_id: int):
    """Edit a room."""
    event = event_or_404(slug)
    room = _of_event(Room, room_id, event)
    data = room_data(room) if request.method == "GET" else None
    form = RoomForm(slots=event.slots, data=data)
    if form.validate_on_submit():
        try:
            setup.update_room(room, **form.values())
        except UserInputError as error:
            _show(form.name, error)
        else:
            flash(_("The room “%(name)s” was saved.", name=room.name))
            return redirect(url_for(".rooms", slug=slug))
    return render_template("organise/room.html", event=event, room=room, form=form)


@blueprint.post("/<slug>/rooms/<int:room_id>/delete")
@organiser_required
def delete_room(slug: str, room_id: int):
    """Delete a room."""
    event = event_or_404(slug)
    room = _of_event(Room, room_id, event)
    name = room.name
    setup.delete_room(room)
    flash(_("The room “%(name)s” was deleted.", name=name))
    return redirect(url_for(".rooms", slug=slug))


@blueprint.get("/<slug>/slots")
@organiser_required
def slots(slug: str):
    """List the slots by day, with the form for a series."""
    event = event_or_404(slug)
    return _slots_page(event, SlotSeriesForm(day=event.starts_on))


def _slots_page(event: Event, form: SlotSeriesForm):
    days = [(day, list(day_slots)) for day, day_slots in groupby(event.slots, _day)]
    return render_template("organise/slots.html", event=event, form=form, days=days)


def _day(slot: Slot):
    return slot.starts_at.date()


@blueprint.post("/<slug>/slots/generate")
@organiser_required
def generate_slots(slug: str):
    """Add a series of slots, for example three 40-minute rows after lunch."""
    event = event_or_404(slug)
    form = SlotSeriesForm()
    if form.validate_on_submit():
        try:
            added = setup.generate_slots(event, form.series())
        except UserInputError as error:
            _show(form.first_start, error)
        else:
            flash(ngettext("%(num)d slot was added.", "%(num)d slots were added.", len(added)))
            return redirect(url_for(".slots", slug=slug))
    return _slots_page(event, form)


@blueprint.route("/<slug>/slots/<int:slot_id>", methods=["GET", "POST"])
@organiser_required
def edit_slot(slug: str, slot_id: int):
    """Change a slot's start and end."""
    event = event_or_404(slug)
    slot = _of_event(Slot, slot_id, event)
    form = SlotForm(obj=slot)
    if form.validate_on_submit():
        try:
            setup.update_slot(slot, starts_at=form.starts_at.data, ends_at=form.ends_at.data)
        except UserInputError as error:
            _show(form.starts_at, error)
        else:
            flash(_("The slot was saved."))
            return redirect(url_for(".slots", slug=slug))
    return render_template("organise/slot.html", event=event, slot=slot, form=form)


@blueprint.post("/<slug>/slots/<int:slot_id>/delete")
@organiser_required
def delete_slot(slug: str, slot_id: int):
    """Delete a slot."""
    event = event_or_404(slug)
    setup.delete_slot(_of_event(Slot, slot_id, event))
    flash(_("The slot was deleted."))
    return redirect(url_for(".slots", slug=slug))


@blueprint.route("/<slug>/pitches", methods=["GET", "POST"])
@organiser_required
def pitches(slug: str):
    """Type the pitches as they are spoken: one line each, Enter, next."""
    event = event_or_404(slug)
    form = PitchForm()
    if form.validate_on_submit():
        try:
            added = setup.add_pitches(event, form.text())
        except UserInputError as error:
            if wants_json():  # pitches.js keeps the typed line and shows why
                return {"errors": [str(problem) for problem in error.problems]}, 400
            _show(form.lines if form.lines.data else form.line, error)
        else:
            if wants_json():
                return {"added": [_pitch_json(slug, talk) for talk in added]}
            flash(_("Added: %(titles)s", titles="; ".join(talk.title for talk in added)))
            return redirect(url_for(".pitches", slug=slug))
    recent = sorted(event.talks, key=lambda talk: talk.id, reverse=True)[:RECENT_PITCHES]
    return render_template("organise/pitches.html", event=event, form=form, recent=recent)


def _pitch_json(slug: str, talk: Talk) -> dict:
    return {
        "title": talk.title,
        "hosts": talk.hosts,
        "edit_url": url_for(".edit_talk", slug=slug, talk_id=talk.id),
    }


@blueprint.get("/<slug>/proposals")
@organiser_required
def proposals(slug: str):
    """List all sessions with their marks and actions."""
    event = event_or_404(slug)
    schedule = published_schedule(event)
    publicly_cancelled = {
        entry.talk.id for entry in (schedule.entries if schedule else []) if entry.cancelled
    }
    return render_template(
        "organise/proposals.html",
        event=event,
        marks=setup.mark_counts(event),
        publicly_cancelled=publicly_cancelled,
    )


@blueprint.route("/<slug>/talks/<int:talk_id>", methods=["GET", "POST"])
@organiser_required
def edit_talk(slug: str, talk_id: int):
    """Edit a session; if somebody else saved it meanwhile, keep what was typed and say so."""
    event = event_or_404(slug)
    talk = _of_event(Talk, talk_id, event)
    data = talk_data(talk) if request.method == "GET" else None
    form = TalkForm(slots=event.slots, length=talk.length, data=data)
    conflict = False
    if form.validate_on_submit():
        try:
            setup.update_talk(talk, **form.values())
        except ConflictError:  # shown again with what was typed, so answered here
            keep_nothing()
            conflict = True
            form.version.data = str(talk.version)  # saving again overwrites, knowingly
        else:
            flash(_("The session “%(title)s” was saved.", title=talk.title))
            return redirect(url_for(".proposals", slug=slug))
    return render_template(
        "organise/talk.html", event=event, talk=talk, form=form, conflict=conflict
    )


@blueprint.route("/<slug>/talks/<int:talk_id>/withdraw", methods=["GET", "POST"])
@organiser_required
def withdraw_talk(slug: str, talk_id: int):
    """Ask before withdrawing a session; withdraw it, or restore it with `restore=1`."""
    event = event_or_404(slug)
    talk = _of_event(Talk, talk_id, event)
    if request.method == "GET":
        schedule = published_schedule(event)
        entry = entry_of(schedule, talk) if schedule else None
        return render_template("organise/withdraw.html", event=event, talk=talk, entry=entry)
    restore = request.form.get("restore") == "1"
    setup.withdraw_talk(talk, withdrawn=not restore)
    if restore:
        planning.restore_place(event, talk)
        flash(_("The session “%(title)s” is back.", title=talk.title))
    else:
        flash(_("The session “%(title)s” was withdrawn.", title=talk.title))
    return redirect(url_for(".proposals", slug=slug))


@blueprint.post("/<slug>/talks/<int:talk_id>/off-public-plan")
@organiser_required
def take_off_public_plan(slug: str, talk_id: int):
    """Take a cancelled session off the public plan: readers are no longer told about it."""
    event = event_or_404(slug)
    talk = _of_event(Talk, talk_id, event)
    back_to(url_for(".proposals", slug=slug))
    planning.take_off_public_plan(talk)
    flash(_("“%(title)s” is no longer shown in the public plan.", title=talk.title))
    return redirect(url_for(".proposals", slug=slug))


@blueprint.route("/<slug>/talks/<int:talk_id>/merge", methods=["GET", "POST"])
@organiser_required
def merge_talks(slug: str, talk_id: int):
    """Merge a duplicate into this session."""
    event = event_or_404(slug)
    talk = _of_event(Talk, talk_id, event)
    others = [other for other in event.active_talks if other.id != talk.id]
    form = MergeForm(others=others)
    if form.validate_on_submit():
        duplicate = _of_event(Talk, form.duplicate.data, event)
        setup.merge_talks(talk, duplicate)
        flash(
            _(
                "“%(duplicate)s” was merged into “%(title)s”.",
                duplicate=duplicate.title,
                title=talk.title,
            )
        )
        return redirect(url_for(".proposals", slug=slug))
    return render_template("organise/merge.html", event=event, talk=talk, form=form)


@blueprint.route("/<slug>/hands", methods=["GET", "POST"])
@organiser_required
def hands(slug: str):
    """Type the interest counted by show of hands, one number per session."""
    event = event_or_404(slug)
    talks = event.active_talks
    form = hands_form(talks)
    if form.validate_on_submit():
        setup.set_hands(event, hands_counts(form, talks))
        flash(_("The counts were saved."))
        return redirect(url_for(".hands", slug=slug))
    rows = [(talk, form[f"talk_{talk.id}"]) for talk in talks]
    return render_template("organise/hands.html", event=event, form=form, rows=rows)


# The team: members and invitations (owners only). The planner sends no email: the owner
# copies an invitation's link and sends it.


@blueprint.route("/<slug>/team", methods=["GET", "POST"])
@owner_required
def team(slug: str):
    """List the team and the open invitations; invite someone by email."""
    event = event_or_404(slug)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            inviter = current_user._get_current_object()
            invitation = accounts.invite(event, form.email.data, form.role.data, inviter)
        except UserInputError as error:
            _show(form.email, error)
        else:
            flash(
                _("The invitation for %(email)s is ready: copy its link.", email=invitation.email)
            )
            return redirect(url_for(".team", slug=slug, _anchor=f"invitation-{invitation.id}"))
    return render_template(
        "organise/team.html",
        event=event,
        form=form,
        members=accounts.team(event),
        invitations=accounts.open_invitations(event),
        role_form=RoleForm(),
    )


@blueprint.post("/<slug>/team/<int:membership_id>/role")
@owner_required
def change_role(slug: str, membership_id: int):
    """Make a member owner or organiser; the last owner stays."""
    membership = _of_event(Membership, membership_id, event_or_404(slug))
    form = RoleForm()
    back_to(url_for(".team", slug=slug))
    accounts.change_role(membership, form.role.data if form.validate_on_submit() else "")
    role = ROLE_LABELS[membership.role]
    flash(_("New role of %(name)s: %(role)s.", name=membership.user.name, role=role))
    return redirect(url_for(".team", slug=slug))


@blueprint.route("/<slug>/team/<int:membership_id>/remove", methods=["GET", "POST"])
@owner_required
def remove_member(slug: str, membership_id: int):
    """Ask first (GET), then take someone off the team; the last owner cannot go."""
    event = event_or_404(slug)
    membership = _of_event(Membership, membership_id, event)
    if request.method == "GET":
        return render_template("organise/remove_member.html", event=event, member=membership)
    name, myself = membership.user.name, membership.user_id == current_user.id
    back_to(url_for(".team", slug=slug))
    accounts.remove_member(membership)
    flash(_("%(name)s is no longer in the team.", name=name))
    if myself and not current_user.is_admin:
        return redirect(url_for(".events"))
    return redirect(url_for(".team", slug=slug))


@blueprint.post("/<slug>/team/invitations/<int:invitation_id>/delete")
@owner_required
def revoke_invitation(slug: str, invitation_id: int):
    """Withdraw an invitation: its link stops working."""
    invitation = _of_event(Invitation, invitation_id, event_or_404(slug))
    accounts.revoke(invitation)
    flash(_("The invitation for %(email)s was withdrawn.", email=invitation.email))
    return redirect(url_for(".team", slug=slug))
