"""A constructed start for world cafés in free mode: routes in which two people share a
table in at most one round.

When every table is open in every round, each has a topic of its own and nobody is pinned,
people can follow the lines of an affine plane over a finite field of q = tables elements:
the route (a, b) sits at table a + b·r in round r (b ≠ 0, so never the same table twice).
Two routes with different b meet in exactly one round at most (a + b·r = a' + b'·r has one
solution r), routes with the same b never; and every table gets the same number of routes
in each round. Only people on the same route meet again, so spreading people evenly over
the q(q − 1) routes gives the fewest repeat meetings the construction allows (60 people at
four tables in four rounds: 12 routes of 5 people, 360 repeat meetings). The solver uses it
as a start only when it is better than its own (solve.py), and searches on from there.
"""

from __future__ import annotations

from .instance import Instance
from .state import SeatState

# Field sizes with their arithmetic: primes use arithmetic modulo q; 4, 8 and 16 use
# polynomials over GF(2) modulo an irreducible polynomial (bit masks).
IRREDUCIBLE = {4: 0b111, 8: 0b1011, 16: 0b10011}
PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31)


def _multiply(q: int, x: int, y: int) -> int:
    if q in PRIMES:
        return x * y % q
    product = 0
    while y:
        if y & 1:
            product ^= x
        y >>= 1
        x <<= 1
        if x & q:  # the degree reached the field's: reduce
            x ^= IRREDUCIBLE[q]
    return product


def _add(q: int, x: int, y: int) -> int:
    return (x + y) % q if q in PRIMES else x ^ y


def routes(q: int, n_rounds: int) -> list[tuple[int, ...]]:
    """The q(q − 1) routes of the plane: table per round, any two sharing at most one."""
    return [
        tuple(_add(q, a, _multiply(q, b, r)) for r in range(n_rounds))
        for b in range(1, q)
        for a in range(q)
    ]


def applies(instance: Instance) -> bool:
    """Whether the construction fits: free seating, no pins or kept places, as many rounds as
    tables at most, every table open in every round with a topic of its own, and a number of
    tables that is a field's size."""
    n_tables, n_rounds = len(instance.problem.tables), instance.n_rounds
    return (
        (n_tables in PRIMES or n_tables in IRREDUCIBLE)
        and 2 <= n_rounds <= n_tables
        and instance.n_people > 0
        and not any(instance.fixed)
        and all(len(tables) == n_tables for tables in instance.open_tables)
        and len(set(instance.topic_of)) == n_tables
    )


def rotation_state(instance: Instance) -> SeatState | None:
    """The constructed seating, or None when it does not apply or breaks a table's seats or
    minimum. People of one affiliation go to different routes where they can."""
    if not applies(instance):
        return None
    plane = routes(len(instance.problem.tables), instance.n_rounds)
    # Sorted by affiliation, then dealt out in turn: one organisation's people spread over
    # the routes, so they rarely share a table.
    order = sorted(range(instance.n_people), key=lambda person: instance.groups[person])
    route_of = {person: plane[index % len(plane)] for index, person in enumerate(order)}
    loads = [[0] * len(instance.problem.tables) for _ in range(instance.n_rounds)]
    for route in route_of.values():
        for round_, table in enumerate(route):
            loads[round_][table] += 1
    for row in loads:
        for table, load in enumerate(row):
            if load > instance.seats[table] or 0 < load < instance.minimum[table]:
                return None
    state = SeatState(instance)
    for person, route in route_of.items():
        for round_, table in enumerate(route):
            state.place(person, round_, table)
    return state
