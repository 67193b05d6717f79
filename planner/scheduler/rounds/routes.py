"""People of one kind as routes: turn topic counts per round into one route per person.

The topic model counts, for each kind of person (the same choices, no pin), how many of them
sit at each topic in each round, with at most as many per round and per topic as there are
such people. Those counts are the edges of a bipartite multigraph of topics and rounds whose
degrees are at most the number of people, so by König's theorem they split into that many
matchings: each a route that visits a topic at most once and sits at most once a round. The
split below is the classic one with alternating paths.
"""

from __future__ import annotations


def split_routes(counts: dict[tuple[int, int], int], people: int) -> list[list[tuple[int, int]]]:
    """Split (topic, round) -> count into `people` routes of (topic, round) pairs.

    Each topic and round must carry at most `people` in all.
    """
    by_topic: dict[int, dict[int, int]] = {}  # topic -> {colour: round}
    by_round: dict[int, dict[int, int]] = {}  # round -> {colour: topic}
    for (topic, round_), count in sorted(counts.items()):
        for _ in range(count):
            at_topic = by_topic.setdefault(topic, {})
            at_round = by_round.setdefault(round_, {})
            free_topic = next(c for c in range(people) if c not in at_topic)
            free_round = next(c for c in range(people) if c not in at_round)
            if free_topic in at_round:
                _flip(by_topic, by_round, round_, free_topic, free_round)
            at_topic[free_topic] = round_
            at_round[free_topic] = topic
    routes: list[list[tuple[int, int]]] = [[] for _ in range(people)]
    for topic, colours in by_topic.items():
        for colour, round_ in colours.items():
            routes[colour].append((topic, round_))
    return routes


def _flip(by_topic: dict, by_round: dict, round_: int, first: int, second: int) -> None:
    """Swap colours `first` and `second` along the alternating path that leaves `round_` by
    an edge of colour `first`, which frees `first` at `round_`."""
    path = []
    vertex, on_round, colour = round_, True, first
    while True:
        side = by_round if on_round else by_topic
        other = side.get(vertex, {}).get(colour)
        if other is None:
            break
        topic, round_at = (other, vertex) if on_round else (vertex, other)
        path.append((topic, round_at, colour))
        vertex, on_round = other, not on_round
        colour = second if colour == first else first
    for topic, round_at, colour in path:
        del by_topic[topic][colour]
        del by_round[round_at][colour]
    for topic, round_at, colour in path:
        swapped = second if colour == first else first
        by_topic[topic][swapped] = round_at
        by_round[round_at][swapped] = topic
