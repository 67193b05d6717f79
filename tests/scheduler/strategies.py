"""Hypothesis strategies for small random events, valid by construction."""

from __future__ import annotations

from hypothesis import strategies as st

from planner.scheduler import Problem

from .events import make_problem

FEATURES = ("projector", "stream", "whiteboard")


@st.composite
def events(draw, max_sessions: int = 7, pins: bool = True) -> Problem:
    """A small event: up to 3 rooms, 1 to 2 days of 1 to 3 slots, up to 7 sessions, votes."""
    per_day = draw(st.integers(1, 3))
    days = draw(st.integers(1, 2))
    slot_ids = [f"t{index + 1}" for index in range(per_day * days)]
    rooms = [
        {
            "id": f"r{index}",
            "capacity": draw(st.integers(0, 6)),
            "features": draw(st.lists(st.sampled_from(FEATURES), unique=True)),
            "unavailable": draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=1)),
        }
        for index in range(draw(st.integers(1, 3)))
    ]
    session_ids = [f"s{index}" for index in range(draw(st.integers(1, max_sessions)))]
    sessions = [draw(_session(session_id, rooms, slot_ids, pins)) for session_id in session_ids]
    votes = draw(st.lists(_vote(session_ids), max_size=12))
    return make_problem(rooms=rooms, sessions=sessions, votes=votes, per_day=per_day, days=days)


@st.composite
def _session(draw, session_id: str, rooms: list[dict], slot_ids: list[str], pins: bool):
    pinned = None
    if pins and draw(st.integers(0, 9)) == 0:
        pinned = {
            "room": draw(st.sampled_from(rooms))["id"],
            "slot": draw(st.sampled_from(slot_ids)),
        }
    return {
        "id": session_id,
        "hosts": draw(
            st.lists(st.sampled_from(["Anna", "Bo", "Cem", "Dana"]), unique=True, max_size=2)
        ),
        "needs": draw(st.lists(st.sampled_from(FEATURES), unique=True, max_size=1)),
        "length": draw(st.sampled_from([1, 1, 1, 2])),
        "unavailable": draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=1)),
        "pinned": pinned,
        "extra_interest": draw(st.integers(0, 3)),
    }


def _vote(session_ids: list[str]):
    return st.tuples(
        st.lists(st.sampled_from(session_ids), unique=True, min_size=1, max_size=4), st.booleans()
    )


@st.composite
def tight_events(draw) -> Problem:
    """A small, nearly full event: as many slot-units of sessions as open room-slots, give or
    take one, with room closures, sessions of one to three slots, shared hosts and times
    some hosts cannot come."""
    per_day = draw(st.integers(2, 4))
    days = draw(st.integers(1, 2))
    slot_ids = [f"t{index + 1}" for index in range(per_day * days)]
    rooms = [
        {
            "id": f"r{index}",
            "capacity": draw(st.integers(1, 6)),
            "features": draw(st.lists(st.sampled_from(FEATURES[:1]), unique=True)),
            "unavailable": draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=2)),
        }
        for index in range(draw(st.integers(1, 3)))
    ]
    open_cells = sum(len(slot_ids) - len(room["unavailable"]) for room in rooms)
    target = max(1, open_cells + draw(st.integers(-1, 1)))
    sessions, units = [], 0
    while units < target:
        length = min(draw(st.sampled_from([1, 1, 1, 2, 3])), per_day, target - units)
        sessions.append(
            {
                "id": f"s{len(sessions)}",
                "hosts": draw(st.lists(st.sampled_from(["Anna", "Bo", "Cem"]), max_size=1)),
                "needs": draw(st.lists(st.sampled_from(FEATURES[:1]), max_size=1)),
                "length": length,
                "unavailable": draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=2)),
            }
        )
        units += length
    session_ids = [session_["id"] for session_ in sessions]
    votes = draw(st.lists(_vote(session_ids), max_size=6))
    return make_problem(rooms=rooms, sessions=sessions, votes=votes, per_day=per_day, days=days)
