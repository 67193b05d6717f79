"""An attendee's own day: the published sessions their device marked, which of them clash,
which one they chose, and what runs now and next.

Reads build an `Agenda`; `choose` and `adopt_ballot` write, flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..errors import UserInputError
from ..extensions import db
from ..models import Ballot, Event, Talk, utcnow
from .schedule import Entry, Schedule, entry_of, running_at, starting_next

GOING, SKIPPED, UNDECIDED, CANCELLED = "going", "skipped", "undecided", "cancelled"  # Item.state


@dataclass(frozen=True)
class Item:
    """A marked session in the plan; `clashes` are the other marked sessions overlapping it.

    `state` is GOING (no clash, or chosen over its rivals), SKIPPED (a rival was chosen),
    UNDECIDED (it clashes and nothing was chosen yet) or CANCELLED (withdrawn after the plan
    was published; it clashes with nothing, since nobody will be there).
    """

    entry: Entry
    clashes: tuple[Entry, ...]
    state: str


@dataclass(frozen=True)
class Agenda:
    """The day of one device's ballot, ready for the agenda page and the personal feed."""

    items: tuple[Item, ...]
    not_planned: tuple[Talk, ...]
    now: tuple[Item, ...]
    next: tuple[Item, ...]

    @property
    def attended(self) -> list[Entry]:
        """The sessions the attendee may go to: all but those skipped for a chosen rival
        and those cancelled."""
        return [item.entry for item in self.items if item.state in (GOING, UNDECIDED)]

    @property
    def in_calendar(self) -> list[Entry]:
        """The personal feed's sessions: those attended, and the cancelled ones too, so a
        calendar that holds one shows it cancelled rather than silently dropping it."""
        return [item.entry for item in self.items if item.state != SKIPPED]

    @property
    def cancelled(self) -> list[Item]:
        """Marked sessions withdrawn after the plan was published."""
        return [item for item in self.items if item.state == CANCELLED]

    @property
    def undecided(self) -> list[Item]:
        """Items whose clash still waits for a choice."""
        return [item for item in self.items if item.state == UNDECIDED]


def overlap(first: Entry, second: Entry) -> bool:
    """Whether two sessions run at the same time for at least a minute."""
    return first.start < second.end and second.start < first.end


def build_agenda(ballot: Ballot | None, schedule: Schedule | None, moment: datetime) -> Agenda:
    """The agenda of `ballot` in the published plan, with now and next as of `moment`.

    A marked session withdrawn after publishing stays on it as CANCELLED, so the attendee
    learns it will not take place; one withdrawn and not in the plan drops out.
    """
    marks = list(ballot.marks) if ballot else []
    active = [talk for talk in marks if not talk.withdrawn]
    if schedule is None:
        return Agenda(items=(), not_planned=tuple(active), now=(), next=())
    marked_ids = {talk.id for talk in marks}
    entries = [entry for entry in schedule.entries if entry.talk.id in marked_ids]
    items = tuple(_item(entry, entries, set(ballot.chosen)) for entry in entries)
    planned = {entry.talk.id for entry in entries}
    attended = [item.entry for item in items if item.state in (GOING, UNDECIDED)]
    return Agenda(
        items=items,
        not_planned=tuple(talk for talk in active if talk.id not in planned),
        now=_items_of(items, running_at(attended, moment)),
        next=_items_of(items, starting_next(attended, moment)),
    )


def _item(entry: Entry, entries: list[Entry], chosen_ids: set[int]) -> Item:
    if entry.cancelled:
        return Item(entry, (), CANCELLED)
    clashes = tuple(
        other
        for other in entries
        if other is not entry and not other.cancelled and overlap(entry, other)
    )
    picked = [other for other in (entry, *clashes) if other.talk.id in chosen_ids]
    if not clashes:
        return Item(entry, clashes, GOING)
    if not picked:
        return Item(entry, clashes, UNDECIDED)
    # Two rivals can both be picked when a re-plan made them clash: the earlier one wins,
    # so the page always shows one choice per clash.
    winner = min(picked, key=lambda other: (other.start, other.talk.id))
    return Item(entry, clashes, GOING if winner is entry else SKIPPED)


def _items_of(items: tuple[Item, ...], entries: list[Entry]) -> tuple[Item, ...]:
    wanted = {id(entry) for entry in entries}
    return tuple(item for item in items if id(item.entry) in wanted)


def choose(ballot: Ballot, talk: Talk, schedule: Schedule) -> None:
    """Record that the attendee goes to `talk` rather than the marked sessions it clashes with."""
    entry = entry_of(schedule, talk)
    if entry is None or talk not in ballot.marks:
        raise UserInputError(_("This session is not on your agenda."))
    if entry.cancelled:
        raise UserInputError(_("This session is cancelled."))
    marked_ids = {marked.id for marked in ballot.marks}
    rivals = {
        other.talk.id
        for other in schedule.entries
        if other.talk.id in marked_ids and other is not entry and overlap(entry, other)
    }
    # A new list, so the JSON column sees the change.
    ballot.chosen = sorted((set(ballot.chosen) - rivals) | {talk.id})
    db.session.flush()


def move_refusal(event: Event) -> str | None:
    """Why the private link may not move an agenda to another device now, or None if it may.

    While votes are counted by badge codes it may not: moving merges this device's own
    ballot into the link's and deletes it, and that own ballot belongs to another code,
    whose owner could then start a fresh one and be counted twice. The badge code already
    brings its ballot to any device.
    """
    if event.voting_open and event.voting_codes_required:
        return _(
            "While voting is open, this link does not move your marks. On the other device, "
            "simply enter the code from your badge."
        )
    return None


def adopt_ballot(event: Event, moved: Ballot, own: Ballot | None) -> None:
    """Move a ballot onto this device: while voting is open, this device's own marks join it
    and its own ballot goes, so one person is never counted twice. Later the own ballot stays
    as it was (its marks were the votes the plan was made from). Refused while votes are
    counted by badge codes (see `move_refusal`).

    The moved ballot keeps its calendar feed key: it is the same person's agenda, so a
    calendar subscribed to it keeps following it, and a new key would protect nothing (the
    transfer link leads to the feed address anyway). A merged own ballot's feed ends with it;
    its marks now show in the moved ballot's feed.
    """
    refusal = move_refusal(event)
    if refusal:
        raise UserInputError(refusal)
    if own is None or own.id == moved.id or not event.voting_open:
        return
    for talk in own.marks:
        if talk not in moved.marks:
            moved.marks.append(talk)
    moved.chosen = sorted(set(moved.chosen) | set(own.chosen))
    moved.updated_at = utcnow()
    db.session.delete(own)
    db.session.flush()
