"""Terse construction of small events for solver tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from planner.scheduler import Problem, parse_event
from planner.scheduler.formats import EVENT_FORMAT


def slot_list(per_day: int, days: int = 1, minutes: int = 40) -> list[dict]:
    """Slots of `minutes` with 10-minute breaks from 13:30, `per_day` on each of `days`."""
    slots = []
    for day in range(days):
        first = datetime.combine(date(2026, 11, 18) + timedelta(days=day), datetime.min.time())
        first = first.replace(hour=13, minute=30)
        for index in range(per_day):
            start = first + timedelta(minutes=(minutes + 10) * index)
            end = start + timedelta(minutes=minutes)
            slots.append(
                {
                    "id": f"t{len(slots) + 1}",
                    "start": start.isoformat(timespec="minutes"),
                    "end": end.isoformat(timespec="minutes"),
                }
            )
    return slots


def make_problem(
    *, rooms: list[dict], sessions: list[dict], votes: list = (), per_day: int = 3, days: int = 1
) -> Problem:
    """Build a Problem; votes are lists of session ids, or (ids, online) pairs."""
    return parse_event(
        {
            "format": EVENT_FORMAT,
            "event": {"name": "Test", "timezone": "Europe/Berlin"},
            "rooms": [{"name": room["id"], "capacity": 50, **room} for room in rooms],
            "slots": slot_list(per_day, days),
            "sessions": [{"title": session_["id"], **session_} for session_ in sessions],
            "votes": [_vote(index, vote) for index, vote in enumerate(votes)],
        }
    )


def _vote(index: int, vote) -> dict:
    marks, online = (vote, False) if isinstance(vote, list) else vote
    return {"voter": f"v{index}", "sessions": marks, "online": online}
