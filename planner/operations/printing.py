"""What the printed sheets show: a door sign per room and day, a card per session.

Pure reads over the published plan (`operations.schedule`). Withdrawn sessions are left off
both: they do not take place, and paper cannot say so later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import Event, Room, Talk
from .schedule import Entry, Schedule

# Beyond these a door sign's day no longer fits one A4 page in large type.
CROWDED_SESSIONS = 5
CROWDED_LETTERS = 240


@dataclass(frozen=True)
class DoorSign:
    """One door sign: a room on one day and its sessions in time order."""

    room: Room
    day: date
    entries: tuple[Entry, ...]

    @property
    def crowded(self) -> bool:
        """Whether the day needs smaller type to fit one page (many or long titles)."""
        letters = sum(len(entry.talk.title) for entry in self.entries)
        return len(self.entries) > CROWDED_SESSIONS or letters > CROWDED_LETTERS


@dataclass(frozen=True)
class Card:
    """One session card: the session and, once published, where and when it runs."""

    talk: Talk
    entry: Entry | None = None


def door_signs(schedule: Schedule) -> list[DoorSign]:
    """A sign for each room and day with sessions: day by day, rooms in the event's order."""
    signs = []
    for day in schedule.days:
        for room in schedule.rooms:
            entries = tuple(
                entry
                for entry in schedule.entries
                if entry.room.id == room.id
                and entry.start.date() == day.day
                and not entry.cancelled
            )
            if entries:
                signs.append(DoorSign(room, day.day, entries))
    return signs


def session_cards(event: Event, schedule: Schedule | None) -> list[Card]:
    """A card per active session: in plan order once published, the others in pitch order."""
    placed = {entry.talk.id: entry for entry in schedule.entries} if schedule else {}
    cards = [Card(talk, placed.get(talk.id)) for talk in event.active_talks]
    return sorted(cards, key=_card_order)


def _card_order(card: Card) -> tuple:
    if card.entry is None:
        return (1,)  # after the placed ones; the stable sort keeps pitch order
    return (0, card.entry.start, card.entry.room.position, card.entry.room.id)
