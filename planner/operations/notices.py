"""What hosts are told when a published version moves or cancels their session.

`record` runs inside the publish (flush, never commit): one Notice per session and version,
shown on the hosts' private page at once. Its mail, where the hosts gave an address and the
event sends mail, is sent after the commit by planner.mail.deliver.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    CANCELLED,
    MAIL_NONE,
    MAIL_PENDING,
    MOVED,
    Event,
    Notice,
    PlanVersion,
    Talk,
)


def record(event: Event, version: PlanVersion, changed: list) -> list[Notice]:
    """A notice for each session that was published and now moved, left the plan or was
    cancelled (`changed` from planning.changes); new sessions need none."""
    talks = {talk.key: talk for talk in event.talks}
    notices = []
    for change in changed:
        talk = talks.get(change.talk)
        if talk is None or change.before is None:
            continue
        kind = CANCELLED if change.cancelled else MOVED
        after = "" if change.cancelled or change.after is None else _place(event, change.after)
        notice = Notice(
            event_id=event.id,
            talk=talk,
            version=version.number,
            kind=kind,
            before=_place(event, change.before),
            after=after,
        )
        _address(event, talk, notice)
        db.session.add(notice)
        notices.append(notice)
    db.session.flush()
    return notices


def of_talk(talk: Talk) -> list[Notice]:
    """What the hosts of `talk` were told, newest first."""
    return list(
        db.session.scalars(
            db.select(Notice).where(Notice.talk_id == talk.id).order_by(Notice.version.desc())
        )
    )


def pending_ids(notices: list[Notice]) -> list[int]:
    """The notices whose mail is still to be sent."""
    return [notice.id for notice in notices if notice.mail_status == MAIL_PENDING]


def _place(event: Event, place: tuple[str, str]) -> str:
    rooms = {room.key: room.name for room in event.rooms}
    slots = {slot.key: slot for slot in event.slots}
    room, slot = rooms.get(place[0], place[0]), slots.get(place[1])
    when = f"{slot.starts_at:%d.%m.%Y, %H:%M}" if slot else place[1]
    return f"{when}, {room}"


def _address(event: Event, talk: Talk, notice: Notice) -> None:
    """Write the mail (in the event's language) if it is to be sent."""
    if not (talk.contact_email and event.mail_notices):
        notice.mail_status = MAIL_NONE
        return
    notice.email = talk.contact_email
    notice.mail_status = MAIL_PENDING
    with force_locale(event.language):
        notice.subject, notice.body = _mail_text(event, talk, notice)


def _mail_text(event: Event, talk: Talk, notice: Notice) -> tuple[str, str]:
    if notice.kind == CANCELLED:
        subject = _("Cancelled: your session “%(title)s”", title=talk.title)
        what = _(
            "The organisers of %(event)s have cancelled your session “%(title)s”. It was "
            "planned for %(before)s; the public plan now shows it as cancelled.",
            event=event.name,
            title=talk.title,
            before=notice.before,
        )
    elif notice.after:
        subject = _("New time or room: your session “%(title)s”", title=talk.title)
        what = _(
            "Your session “%(title)s” at %(event)s has moved.\n\nBefore: %(before)s\n"
            "Now: %(after)s",
            title=talk.title,
            event=event.name,
            before=notice.before,
            after=notice.after,
        )
    else:
        subject = _("No longer in the plan: your session “%(title)s”", title=talk.title)
        what = _(
            "Your session “%(title)s” at %(event)s is no longer in the published plan (it was "
            "planned for %(before)s). Please talk to the organisers.",
            title=talk.title,
            event=event.name,
            before=notice.before,
        )
    link = url_for(
        "participate.edit_proposal", slug=event.slug, token=talk.edit_token, _external=True
    )
    body = "\n\n".join(
        [
            what,
            _("Your session's private page: %(url)s", url=link),
            _("You get this mail because you gave this address with your session."),
        ]
    )
    return subject, body


def of_version(event: Event, number: int) -> list[Notice]:
    """The notices a published version caused."""
    return list(
        db.session.scalars(
            db.select(Notice).where(Notice.event_id == event.id, Notice.version == number)
        )
    )
