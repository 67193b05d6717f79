"""A fast constructive start: pins first, then the hardest and most wanted sessions, each into
the place that raises the exact objective least."""

from __future__ import annotations

from .instance import Instance, Place
from .state import State


def demand(instance: Instance, session: int) -> int:
    """People interested in a session: marks plus extra interest."""
    return instance.extra[session] + sum(
        instance.groups[group].weight for group in instance.groups_of[session]
    )


def placing_order(instance: Instance, sessions: list[int]) -> list[int]:
    """Long and hard-to-place sessions first (they fit in fewer ways), then the most wanted."""
    return sorted(
        sessions,
        key=lambda session: (
            -instance.lengths[session],
            len(instance.places[session]) > 2 * instance.n_slots,
            -demand(instance, session),
            session,
        ),
    )


def candidate_places(state: State, session: int) -> list[Place]:
    """Per start slot, the largest free allowed room and the largest free stream room.

    Sessions come most-wanted first, so the largest free room is the right size class; the
    stream room is there for sessions with online followers. Trying two rooms per slot
    instead of all keeps construction fast on large events.
    """
    instance = state.instance
    best: dict[tuple[int, bool], Place] = {}
    for place in instance.places[session]:
        if not state.cells_free(session, place) or not state.hosts_free(session, place[1]):
            continue
        for key in ((place[1], False), (place[1], instance.streams[place[0]])):
            held = best.get(key)
            if held is None or instance.capacity[place[0]] > instance.capacity[held[0]]:
                best[key] = place
    return list(dict.fromkeys(best.values()))


def place_best(state: State, session: int) -> bool:
    """Put the session where the objective grows least; return False if nothing is free."""
    chosen, chosen_value = None, None
    for place in candidate_places(state, session):
        state.move(session, place)
        value = state.objective()
        state.move(session, None)
        if chosen_value is None or value < chosen_value:
            chosen, chosen_value = place, value
    if chosen is None:
        return False
    state.move(session, chosen)
    return True


def construct(state: State) -> State:
    """Fill the state: sessions already placed stay, the others are added greedily."""
    instance = state.instance
    open_sessions = [
        session
        for session in range(instance.n_sessions)
        if state.place_of(session) is None and instance.places[session]
    ]
    for session in placing_order(instance, open_sessions):
        place_best(state, session)
    return state
