"""A quick greedy seating by topic, as CP-SAT's starting point.

CP-SAT proves the stages' optima readily but can take long to find a full seating where
everybody must visit every topic (a world café): people are interchangeable and the search
wanders among symmetric choices. Two greedy passes, one that serves choices first and one
that rotates people through the topics by their index, give it a start; the one that seats
more (then meets more choices) is used.
"""

from __future__ import annotations

from .instance import Instance


def greedy_topics(instance: Instance, *, choices_first: bool) -> dict[tuple[int, int, int], int]:
    """(person, topic, round) -> 1 for a greedy seating by topic (rule 3 and seats kept)."""
    room = {
        (instance.topic_of[t], round_): 0
        for round_, tables in enumerate(instance.open_tables)
        for t in tables
    }
    for round_, tables in enumerate(instance.open_tables):
        for t in tables:
            room[instance.topic_of[t], round_] += instance.seats[t]
    visited: list[set[int]] = [set() for _ in range(instance.n_people)]
    chosen: dict[tuple[int, int, int], int] = {}
    for round_ in range(instance.n_rounds):
        for person in _pinned_first(instance, round_):
            topic = _pick(instance, person, round_, room, visited[person], choices_first)
            if topic is not None:
                chosen[person, topic, round_] = 1
                room[topic, round_] -= 1
                visited[person].add(topic)
    return chosen


def _pinned_first(instance: Instance, round_: int) -> list[int]:
    people = range(instance.n_people)
    pinned = [p for p in people if instance.pins[p] and instance.pins[p][0] == round_]
    return pinned + [p for p in people if not (instance.pins[p] and instance.pins[p][0] == round_)]


def _pick(instance: Instance, person: int, round_: int, room, visited, choices_first: bool):
    pin = instance.pins[person]
    if pin is not None and pin[0] == round_:
        return instance.topic_of[pin[1]]
    topics = instance.n_topics
    rotation = [(person + round_ + step) % topics for step in range(topics)]
    order = [*instance.wanted[person], *rotation] if choices_first else rotation
    for topic in order:
        if topic not in visited and room.get((topic, round_), 0) > 0:
            return topic
    return None


def best_hint(instance: Instance) -> dict[tuple[int, int, int], int]:
    """The better of the two greedy seatings: more seated, then more choices met."""

    def quality(chosen: dict) -> tuple[int, int]:
        hits = sum(1 for (p, topic, _) in chosen if topic in instance.wanted[p])
        return len(chosen), hits

    return max(
        (greedy_topics(instance, choices_first=first) for first in (True, False)), key=quality
    )
