"""The search's cheaper ways through a step: refusing a step unapplied when its least possible
rise is too large, and re-matching rooms within a slot after a step."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.scheduler import metrics, violations
from planner.scheduler.instance import compile_problem
from planner.scheduler.rematch import rematch_slot
from planner.scheduler.search import SearchResult, _placed_moves, load, propose
from planner.scheduler.search import apply as apply_step
from planner.scheduler.solve import to_plan

from . import builders
from .strategies import events

STEP_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def careless_start(instance):
    """Each session in its first allowed place that is still free, like a careless organiser."""
    state = load(instance, [None] * instance.n_sessions)
    for session, places in enumerate(instance.places):
        if places and state.can_place(session, places[0]):
            state.move(session, places[0])
    return state


@STEP_SETTINGS
@given(events(pins=False), st.integers(0, 2**16), st.booleans())
def test_the_least_cost_change_of_a_step_is_never_above_its_real_change(problem, seed, keep):
    instance = compile_problem(problem)
    kept = careless_start(instance).snapshot() if keep else None
    state = load(instance, kept or [None] * instance.n_sessions, kept)
    if not keep:
        state = careless_start(instance)
    rng = random.Random(seed)
    movable = [session for session, places in enumerate(instance.places) if places]
    for _ in range(60 if movable else 0):
        step = propose(state, rng, movable)
        if step is None:
            continue
        moves = _placed_moves(state, step)
        before = state.objective()[1]
        least = state.least_cost_change(moves) if moves is not None else None
        apply_step(state, step)
        if least is not None:
            assert least <= state.objective()[1] - before


@STEP_SETTINGS
@given(events(pins=False), st.integers(0, 2**16))
def test_rematching_a_slot_keeps_the_plan_valid_and_never_seats_fewer(problem, seed):
    instance = compile_problem(problem)
    state = careless_start(instance)
    rng = random.Random(seed)
    movable = [session for session, places in enumerate(instance.places) if places]
    for _ in range(20 if movable else 0):
        step = propose(state, rng, movable)
        if step is not None:
            apply_step(state, step)
        slot = rng.randrange(instance.n_slots)
        lost, standing = state.total_lost, state.total_overflow
        apply_step(state, rematch_slot(state, slot))
        assert state.total_lost == lost  # rooms of the same kind: online voters see the same
        assert state.total_overflow <= standing
        result = SearchResult(state.snapshot(), state.objective(), 0, [])
        plan = to_plan(instance, result, None, 0.0, instance.n_sessions)
        assert violations(problem, plan) == []
        assert state.total_lost == metrics(problem, plan)["lost_interests"]


def crowded_slot(big_room_features=()):
    """One slot, a hall of 30 and a room of 5 with a projector; the talk 20 people want needs
    one and sits in the small room."""
    event = builders.problem(
        [
            builders.room("hall", 30, features=big_room_features),
            builders.room("small", 5, features=("projector",)),
        ],
        builders.slots("t1"),
        [builders.talk("wanted", needs=("projector",)), builders.talk("quiet")],
        [builders.vote(f"v{index}", "wanted") for index in range(20)],
    )
    instance = compile_problem(event)
    room = {room_.id: index for index, room_ in enumerate(event.rooms)}
    session = {session_.id: index for index, session_ in enumerate(event.sessions)}
    places = [None] * 2
    places[session["wanted"]] = (room["small"], 0)
    places[session["quiet"]] = (room["hall"], 0)
    return instance, load(instance, places), room, session


def test_the_most_wanted_session_takes_the_largest_room_it_may_use():
    _instance, state, room, session = crowded_slot(big_room_features=("projector",))
    moves = dict(rematch_slot(state, 0))
    assert moves == {session["wanted"]: (room["hall"], 0), session["quiet"]: (room["small"], 0)}
    apply_step(state, list(moves.items()))
    assert state.missed() == 0


def test_a_room_without_what_the_session_needs_is_not_offered():
    _instance, state, _room, _session = crowded_slot(big_room_features=())
    assert rematch_slot(state, 0) == []


def test_a_session_changing_stream_room_at_the_same_time_costs_online_voters_nothing():
    """The first version counted the session's slot as lost and not regained (and so refused
    steps the search should have taken)."""
    event = builders.problem(
        [
            builders.room("r0", 10, features=("stream",)),
            builders.room("r1", 10, features=("stream",)),
        ],
        builders.slots("t1"),
        [builders.talk("s0")],
        [builders.vote("v0", "s0", online=True)],
    )
    instance = compile_problem(event)
    state = load(instance, [(0, 0)])
    assert state.least_cost_change([(0, (0, 0), (1, 0))]) == 0
