"""Setting up an event: settings, phases, rooms, slots, pitched sessions, merges, show of hands.

Every function flushes and never commits; the view commits once. Input a form validator cannot
check (overlapping slots, a changed session, a pitch line without a title) raises
UserInputError with messages for the organiser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError, UserInputError
from ..extensions import db
from ..models import BY_ORGANISERS, Ballot, Event, Room, Slot, Talk, ballot_mark
from .transfer import unique_slug

EVENT_FIELDS = ("name", "starts_on", "ends_on", "timezone", "venue", "language", "mail_notices")
TALK_FIELDS = ("title", "description", "hosts", "format", "length", "language", "needs")
TALK_FIELDS += ("extra_interest",)
PHASES = ("proposals_open", "voting_open", "planning_started")
TITLE_MAX = 200

# The last separator wins, so a title may itself contain " - " or "/" ("KI - was nun? — Anna").
PITCH_SEPARATOR = re.compile(r"\s*—\s*|\s+–\s+|\s+-\s+|\s+/\s+|\s*;\s*")
HOST_SEPARATOR = re.compile(r"\s*,\s*|\s+und\s+|\s+and\s+|\s+&\s+", re.IGNORECASE)


@dataclass(frozen=True)
class SlotSeries:
    """A series of equal slots: `count` a day from `first_start`, on `days` consecutive days."""

    day: date
    first_start: time
    length: int
    pause: int
    count: int
    days: int = 1


def create_event(**fields) -> Event:
    """Create an event with a unique slug from its name."""
    event = Event(slug=unique_slug(fields["name"]), **_event_fields(fields))
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, **fields) -> None:
    """Change the event's settings; the slug stays, it is printed on QR codes."""
    for name, value in _event_fields(fields).items():
        setattr(event, name, value)
    db.session.flush()


def _event_fields(fields: dict) -> dict:
    values = {name: fields[name] for name in EVENT_FIELDS if name in fields}
    if values.get("ends_on") is None:
        values["ends_on"] = values.get("starts_on")
    return values


def set_phases(
    event: Event, *, proposals_open: bool, voting_open: bool, planning_started: bool
) -> None:
    """Switch the phases; starting planning closes proposals, so nobody edits under the plan."""
    event.proposals_open = proposals_open and not planning_started
    event.voting_open = voting_open
    event.planning_started = planning_started
    db.session.flush()


def add_room(
    event: Event,
    *,
    name: str,
    capacity: int,
    features: Iterable[str],
    unavailable: Iterable[int] = (),
    stream_url: str = "",
) -> Room:
    """Add a room at the end of the event's list."""
    _check_room_name(event, name, None)
    room = Room(name=name.strip(), capacity=capacity, position=len(event.rooms))
    room.stream_url = _checked_stream_url(stream_url)
    room.features = _clean_list(features)
    room.unavailable = _slots_of(event, unavailable)
    event.rooms.append(room)
    db.session.flush()
    return room


def update_room(
    room: Room,
    *,
    name: str,
    capacity: int,
    features: Iterable[str],
    unavailable: Iterable[int],
    stream_url: str = "",
) -> None:
    """Change a room's name, seats, features, unavailable slots and stream link."""
    _check_room_name(room.event, name, room)
    room.stream_url = _checked_stream_url(stream_url)
    room.name = name.strip()
    room.capacity = capacity
    room.features = _clean_list(features)
    room.unavailable = _slots_of(room.event, unavailable)
    db.session.flush()


def _check_room_name(event: Event, name: str, room: Room | None) -> None:
    taken = {other.name.casefold() for other in event.rooms if other is not room}
    if name.strip().casefold() in taken:
        raise UserInputError(_("There is already a room called “%(name)s”.", name=name.strip()))


STREAM_URL_RULE = _l("The stream link must be a web address starting with https:// (or http://).")


def is_stream_url(url: str | None) -> bool:
    """An http(s) address or nothing: the link ends up on public pages, so no other scheme."""
    url = (url or "").strip()
    return not url or bool(re.fullmatch(r"https?://[^\s/]+\.?[^\s]*", url, re.IGNORECASE))


def _checked_stream_url(url: str | None) -> str:
    if not is_stream_url(url):
        raise UserInputError(str(STREAM_URL_RULE))
    return (url or "").strip()


def delete_room(room: Room) -> None:
    """Delete a room and unpin the sessions pinned to it."""
    for talk in room.event.talks:
        if talk.pinned_room_id == room.id:
            talk.pinned_room = None
    room.event.rooms.remove(room)
    db.session.delete(room)
    db.session.flush()


def generate_slots(event: Event, series: SlotSeries) -> list[Slot]:
    """Add a series of slots; raise UserInputError if one would overlap another slot."""
    new = list(_series_times(series))
    if any(end.date() != start.date() for start, end in new):
        raise UserInputError(_("The series runs past midnight. Start earlier or make fewer slots."))
    _check_event_days(event, new)
    _check_overlaps(new, event.slots)
    slots = [Slot(starts_at=start, ends_at=end) for start, end in new]
    event.slots.extend(slots)
    db.session.flush()
    return slots


def _series_times(series: SlotSeries):
    length, step = timedelta(minutes=series.length), timedelta(minutes=series.length + series.pause)
    for day in range(series.days):
        start = datetime.combine(series.day + timedelta(days=day), series.first_start)
        for number in range(series.count):
            yield start + number * step, start + number * step + length


def _check_event_days(event: Event, new: list[tuple[datetime, datetime]]) -> None:
    """Slots lie on the event's days, when it has them (a typo in the date would otherwise
    make a slot nobody attends, and the plan would use it)."""
    if event.starts_on is None:
        return
    last = event.ends_on or event.starts_on
    outside = [(start, end) for start, end in new if not event.starts_on <= start.date() <= last]
    if outside:
        start, end = outside[0]
        days = format_date(event.starts_on, "medium")
        if last != event.starts_on:
            days = f"{days}–{format_date(last, 'medium')}"
        raise UserInputError(
            _(
                "The slot %(slot)s is not on the event's days (%(days)s). Check the date, or "
                "change the event's days in the settings first.",
                slot=slot_label(start, end),
                days=days,
            )
        )


def _check_overlaps(new: list[tuple[datetime, datetime]], existing: list[Slot]) -> None:
    problems = [
        _(
            "The slot %(new)s would overlap the existing slot %(old)s.",
            new=slot_label(start, end),
            old=slot_label(other.starts_at, other.ends_at),
        )
        for start, end in new
        for other in existing
        if start < other.ends_at and other.starts_at < end
    ]
    if problems:
        raise UserInputError(problems)


def slot_label(start: datetime, end: datetime) -> str:
    """A slot as people read it: 24.05.2025 13:30–14:10."""
    return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


def update_slot(slot: Slot, *, starts_at: datetime, ends_at: datetime) -> None:
    """Move a slot; raise UserInputError if it would cross midnight, leave the event's days
    or overlap another slot of the event."""
    if ends_at.date() != starts_at.date():
        raise UserInputError(_("A slot ends on the day it starts: end it by midnight."))
    _check_event_days(slot.event, [(starts_at, ends_at)])
    _check_overlaps([(starts_at, ends_at)], [other for other in slot.event.slots if other != slot])
    slot.starts_at, slot.ends_at = starts_at, ends_at
    db.session.flush()


def delete_slot(slot: Slot) -> None:
    """Delete a slot and every reference to it: room and session availability, pins."""
    event = slot.event
    for holder in [*event.rooms, *event.talks]:
        if slot in holder.unavailable:
            holder.unavailable.remove(slot)
    for talk in event.talks:
        if talk.pinned_slot_id == slot.id:
            talk.pinned_slot = None
    event.slots.remove(slot)
    db.session.delete(slot)
    db.session.flush()


def parse_pitch_line(line: str) -> tuple[str, list[str]] | None:
    """Split "Title — Host, Host und Host" into the title and hosts; None for a blank line."""
    line = line.strip()
    if not line:
        return None
    separators = list(PITCH_SEPARATOR.finditer(line))
    if not separators:
        return line, []
    last = separators[-1]
    title, hosts = line[: last.start()].strip(), line[last.end() :]
    return title, _clean_list(HOST_SEPARATOR.split(hosts))


def add_pitches(event: Event, text: str) -> list[Talk]:
    """Add one session per line of `text`; check every line before adding any."""
    parsed, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        pitch = parse_pitch_line(line)
        if pitch is None:
            continue
        if not pitch[0] or len(pitch[0]) > TITLE_MAX:
            problems.append(_pitch_problem(number, line))
        parsed.append(pitch)
    if problems:
        raise UserInputError(problems)
    if not parsed:
        raise UserInputError(_("Type a title, and the hosts after a dash."))
    talks = [Talk(title=title, hosts=hosts, language=event.language) for title, hosts in parsed]
    event.talks.extend(talks)
    db.session.flush()
    return talks


def _pitch_problem(number: int, line: str) -> str:
    return _(
        "Line %(number)d: “%(line)s” needs a title of at most %(max)d characters.",
        number=number,
        line=line.strip(),
        max=TITLE_MAX,
    )


def update_talk(talk: Talk, *, version: int, unavailable: Iterable[int], **fields) -> None:
    """Change a session; raise ConflictError if somebody saved it since `version` was read."""
    if talk.version != version:
        raise ConflictError(_("Somebody else changed this session meanwhile."))
    try:  # loading the slots below flushes the fields set before: the race can show there too
        for name in TALK_FIELDS:
            if name in fields:
                setattr(talk, name, fields[name])
        talk.hosts, talk.needs = _clean_list(talk.hosts), _clean_list(talk.needs)
        talk.unavailable = _slots_of(talk.event, unavailable)
        db.session.flush()
    except StaleDataError as error:  # saved by another request between our read and write
        raise ConflictError(_("Somebody else changed this session meanwhile.")) from error


def withdraw_talk(talk: Talk, *, withdrawn: bool = True) -> None:
    """Withdraw a session from planning and voting, or restore it."""
    talk.withdrawn = withdrawn
    talk.withdrawn_by = BY_ORGANISERS if withdrawn else None
    if not withdrawn:
        talk.off_public_plan = False
    db.session.flush()


def merge_talks(kept: Talk, duplicate: Talk) -> None:
    """Merge a duplicate into `kept` and withdraw the duplicate (not delete it).

    Hosts, needs and unavailable slots are united, interest by show of hands is added, and
    every ballot that marked the duplicate marks `kept` instead, once. The duplicate stays,
    withdrawn and without marks, so its text can still be read and nothing is lost.
    """
    if kept.id == duplicate.id or kept.event_id != duplicate.event_id:
        raise UserInputError(_("Choose another session of this event to merge."))
    if kept.withdrawn:  # its votes would be lost from planning
        raise UserInputError(_("Restore this session before merging another into it."))
    kept.hosts = _clean_list([*kept.hosts, *duplicate.hosts])
    kept.needs = _clean_list([*kept.needs, *duplicate.needs])
    kept.unavailable = list(dict.fromkeys([*kept.unavailable, *duplicate.unavailable]))
    kept.length = max(kept.length, duplicate.length)
    kept.description = kept.description or duplicate.description
    kept.extra_interest += duplicate.extra_interest
    duplicate.extra_interest = 0
    for ballot in _ballots_marking(duplicate):
        ballot.marks.remove(duplicate)
        if kept not in ballot.marks:
            ballot.marks.append(kept)
    duplicate.withdrawn = True
    duplicate.withdrawn_by = BY_ORGANISERS
    db.session.flush()


def _ballots_marking(talk: Talk) -> list[Ballot]:
    query = sa.select(Ballot).join(ballot_mark).where(ballot_mark.c.talk_id == talk.id)
    return list(db.session.scalars(query))


def set_hands(event: Event, counts: dict[int, int]) -> None:
    """Set the interest counted by show of hands, by session id."""
    for talk in event.active_talks:
        if talk.id in counts and talk.extra_interest != counts[talk.id]:
            talk.extra_interest = counts[talk.id]
    db.session.flush()


def mark_counts(event: Event) -> dict[int, int]:
    """How many ballots mark each session, by session id."""
    query = (
        sa.select(ballot_mark.c.talk_id, sa.func.count())
        .join(Talk, Talk.id == ballot_mark.c.talk_id)
        .where(Talk.event_id == event.id)
        .group_by(ballot_mark.c.talk_id)
    )
    return {row.talk_id: row[1] for row in db.session.execute(query)}


def counts(event: Event) -> dict[str, int]:
    """How many rooms, slots, active sessions and ballots the event has."""
    ballots = sa.select(sa.func.count(Ballot.id)).where(Ballot.event_id == event.id)
    return {
        "rooms": len(event.rooms),
        "slots": len(event.slots),
        "talks": len(event.active_talks),
        "ballots": db.session.scalar(ballots) or 0,
    }


def _slots_of(event: Event, slot_ids: Iterable[int]) -> list[Slot]:
    wanted = set(slot_ids)
    return [slot for slot in event.slots if slot.id in wanted]


def _clean_list(values: Iterable[str]) -> list[str]:
    """Stripped, without blanks and without repeats (ignoring case), in the given order."""
    seen, result = set(), []
    for value in values:
        value = value.strip()
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result
