"""A plan under construction with incremental, exact bookkeeping of the metric in docs/formats.md.

Moving one session changes only the voters who marked it: their attendable count, and the
1/k shares they give to the sessions sharing a slot with it. `State` keeps per-session shares
and per-group losses and updates just those, in integers scaled by `Instance.scale`, so the
figures it reports equal the validator's exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from .instance import Instance, Place

# Cost of moving a session that had a place in the kept plan, in missed people. Small next
# to one missed person, so re-planning moves a session only when that helps somebody.
MOVE_COST = Fraction(1, 5)

UNPLACED = -1


class State:
    """Where each session is, which cells are taken, and the running objective."""

    def __init__(
        self,
        instance: Instance,
        kept: list[Place | None] | None = None,
        move_costs: Sequence[Fraction] | None = None,
    ):
        """Start empty; `move_costs` gives each kept session's cost of moving (default
        MOVE_COST), in missed people."""
        self.instance = instance
        sessions = instance.n_sessions
        self.room = [UNPLACED] * sessions
        self.start = [UNPLACED] * sessions
        self.occupant = [[UNPLACED] * instance.n_slots for _ in range(instance.n_rooms)]
        self.share: list[dict[int, int]] = [{} for _ in range(sessions)]
        self.overflow = [0] * sessions
        self.lost = [len(group.marks) for group in instance.groups]
        self.total_lost = sum(
            lost * group.weight for lost, group in zip(self.lost, instance.groups, strict=True)
        )
        self.total_overflow = 0
        self.scheduled = 0
        self.kept = kept or [None] * sessions
        costs = list(move_costs) if move_costs is not None else [MOVE_COST] * sessions
        self.move_costs = tuple(costs)
        # Objective units: missed people times scale times `denominator`, so that every move
        # cost is a whole number of units and sums stay exact.
        self.denominator = math.lcm(MOVE_COST.denominator, *(cost.denominator for cost in costs))
        self.move_units = [int(cost * self.denominator * instance.scale) for cost in costs]
        self.default_move_units = int(MOVE_COST * self.denominator * instance.scale)
        # A kept session counts as moved until it is back at its kept place.
        away = [session for session, place in enumerate(self.kept) if place is not None]
        self.moved = len(away)
        self.moved_units = sum(self.move_units[session] for session in away)
        self.place_sets = [frozenset(places) for places in instance.places]
        self.pinned = [session_.pinned is not None for session_ in instance.problem.sessions]
        # Per group, slot -> the marked sessions running then (for online groups: only those
        # in stream rooms). No entry means none. The list's length is the group's 1/k.
        self.running: list[dict[int, list[int]]] = [{} for _ in instance.groups]
        self.group_marks = [group.marks for group in instance.groups]
        self.group_sets = [frozenset(groups) for groups in instance.groups_of]
        lengths = instance.lengths
        self.simple = [
            instance.slots_disjoint and all(lengths[mark] == 1 for mark in group.marks)
            for group in instance.groups
        ]
        # In the usual grid (disjoint slots in time order), a group that marked one session
        # of several slots and otherwise one-slot sessions has a closed-form loss: the index
        # of that session, None where the general rule must be followed.
        ordered = instance.slots_disjoint and list(instance.slot_start) == sorted(
            instance.slot_start
        )
        self.long_mark: list[int | None] = [
            _the_one_long(group.marks, lengths) if ordered else None for group in instance.groups
        ]
        # Per-group figures as flat lists: the hot loop reads them for every group it touches.
        self.online = [group.online for group in instance.groups]
        self.weights = [group.weight for group in instance.groups]
        self.units = [group.weight * instance.scale for group in instance.groups]
        self.mark_counts = [len(group.marks) for group in instance.groups]
        self.seats_scaled = [capacity * instance.scale for capacity in instance.capacity]
        self.extra_scaled = [extra * instance.scale for extra in instance.extra]

    # --- reading ---------------------------------------------------------------------------

    def place_of(self, session: int) -> Place | None:
        """Return the session's (room, first slot), or None when unplaced."""
        return (
            None if self.start[session] == UNPLACED else (self.room[session], self.start[session])
        )

    def occupied(self, session: int) -> range:
        """The slot indices a placed session takes (empty when unplaced)."""
        return self._slots(session, self.place_of(session))

    def missed_scaled(self) -> int:
        """Missed people times `instance.scale`."""
        return self.total_lost * self.instance.scale + self.total_overflow

    def missed(self) -> Fraction:
        """Missed people, exactly."""
        return Fraction(self.missed_scaled(), self.instance.scale)

    def objective(self) -> tuple[int, int]:
        """Smaller is better: unplaced sessions first, then missed plus the cost of moves."""
        cost = self.denominator * self.missed_scaled() + self.moved_units
        return self.instance.n_sessions - self.scheduled, cost

    def snapshot(self) -> list[Place | None]:
        """Return every session's place, to restore or report later."""
        return [self.place_of(session) for session in range(self.instance.n_sessions)]

    def copy(self) -> State:
        """Return an independent state with the same places, kept plan and move costs."""
        twin = State(self.instance, self.kept, self.move_costs)
        for session in range(self.instance.n_sessions):
            if self.start[session] != UNPLACED:
                twin.move(session, (self.room[session], self.start[session]))
        return twin

    def least_cost_change(self, moves: list[tuple[int, Place, Place]]) -> int:
        """A lower bound on the change of objective()[1] if each placed one-slot session
        moved from its first place to its second, without moving anything.

        Most steps a search tries are refused; this lets it refuse many without applying
        and undoing them. For voter groups of one-slot sessions in disjoint slots the change
        of their loss is exact (a slot they lose or gain); any other group attends at most
        one session more per moved mark. Overflow can fall at most to nothing in the slots
        concerned (shares change nowhere else).
        """
        lost_change = 0
        both = (
            self.group_sets[moves[0][0]] & self.group_sets[moves[1][0]]
            if len(moves) == 2
            else frozenset()
        )
        for session, old, new in moves:
            lost_change += self._least_lost_change(session, old, new, both)
        if both:
            lost_change += self._least_lost_change_together(moves, both)
        return self.denominator * (
            lost_change * self.instance.scale - self._standing(moves)
        ) + self._moved_change(moves)

    def _least_lost_change(self, session: int, old: Place, new: Place, skip) -> int:
        """Weighted loss change of the groups marking `session` alone among those moved."""
        streams, all_running, simple = self.instance.streams, self.running, self.simple
        online, weights = self.online, self.weights
        old_slot, new_slot = old[1], new[1]
        seen_before, seen_after = streams[old[0]], streams[new[0]]
        change = 0
        for group_index in self.instance.groups_of[session]:
            if group_index in skip:
                continue
            if not simple[group_index]:
                change -= weights[group_index]
                continue
            running = all_running[group_index]
            if online[group_index]:
                if old_slot == new_slot and seen_before == seen_after:
                    continue
                if seen_before and len(running[old_slot]) == 1:
                    change += weights[group_index]
                if seen_after and new_slot not in running:
                    change -= weights[group_index]
            elif old_slot != new_slot:
                change += weights[group_index] * (
                    (len(running[old_slot]) == 1) - (new_slot not in running)
                )
        return change

    def _least_lost_change_together(self, moves, groups) -> int:
        """Weighted loss change of the groups marking several of the moved sessions."""
        change = 0
        streams = self.instance.streams
        for group_index in groups:
            if not self.simple[group_index]:
                change -= self.weights[group_index] * len(moves)
                continue
            counts: dict[int, int] = {}
            online = self.online[group_index]
            for _session, old, new in moves:
                if not online or streams[old[0]]:
                    counts[old[1]] = counts.get(old[1], 0) - 1
                if not online or streams[new[0]]:
                    counts[new[1]] = counts.get(new[1], 0) + 1
            running = self.running[group_index]
            for slot, difference in counts.items():
                before = len(running.get(slot, ()))
                change -= self.weights[group_index] * ((before + difference > 0) - (before > 0))
        return change

    def _standing(self, moves) -> int:
        """People standing (scaled) in every session running in the slots the moves touch."""
        columns = {slot for _session, old, new in moves for slot in (old[1], new[1])}
        overflow = self.overflow
        return sum(
            overflow[holder]
            for holder in {row[slot] for row in self.occupant for slot in columns}
            if holder != UNPLACED
        )

    def _moved_change(self, moves) -> int:
        """Exact change of the cost of moves away from the kept plan."""
        change = 0
        for session, old, new in moves:
            kept = self.kept[session]
            if kept is not None:
                change += ((new != kept) - (old != kept)) * self.move_units[session]
        return change

    # --- rules between sessions ------------------------------------------------------------

    def cells_free(self, session: int, place: Place, ignore: tuple[int, ...] = ()) -> bool:
        """Rule 1: the room is free in every slot the session would take there."""
        row = self.occupant[place[0]]
        for slot in range(place[1], place[1] + self.instance.lengths[session]):
            holder = row[slot]
            if holder != UNPLACED and holder != session and holder not in ignore:
                return False
        return True

    def hosts_free(self, session: int, start: int, ignore: tuple[int, ...] = ()) -> bool:
        """Rule 3: no host of the session is busy elsewhere at that time."""
        begin, end = self.instance.span(session, start)
        for mate in self.instance.host_mates[session]:
            if self.start[mate] == UNPLACED or mate in ignore:
                continue
            mate_begin, mate_end = self.instance.span(mate, self.start[mate])
            if begin < mate_end and mate_begin < end:
                return False
        return True

    def can_place(self, session: int, place: Place, ignore: tuple[int, ...] = ()) -> bool:
        """Tell whether the session may go to `place` (all seven rules)."""
        return (
            place in self.place_sets[session]
            and self.cells_free(session, place, ignore)
            and self.hosts_free(session, place[1], ignore)
        )

    # --- changing ----------------------------------------------------------------------------

    def move(self, session: int, place: Place | None) -> None:
        """Put the session at `place` (None: unplace it), updating every figure it touches.

        The caller has checked the rules. The cells it enters must be free, or held by a
        session that moves next (the two moves of a swap).
        """
        old = self.place_of(session)
        if old == place:
            return
        self._set_place(session, old, place)
        streams = self.instance.streams
        if (
            old is not None
            and place is not None
            and old[1] == place[1]
            and streams[old[0]] == streams[place[0]]
        ):
            # Same time, and online voters see it as before: nobody's choice changes, only
            # this session's seats (the common room exchange, much cheaper).
            self._update_overflow(session)
            return
        affected = {session}
        self._update_groups(
            session,
            self._slots(session, old),
            self._slots(session, place),
            old is not None and streams[old[0]],  # could online voters follow it before?
            place is not None and streams[place[0]],
            affected,
        )
        self._update_overflows(affected)

    def _update_overflows(self, sessions: set[int]) -> None:
        """_update_overflow for each session, with the common case (one placed slot) written
        out: a step changes the shares of a few dozen sessions."""
        start, room, shares, lengths = self.start, self.room, self.share, self.instance.lengths
        seats, extra, overflow, change = self.seats_scaled, self.extra_scaled, self.overflow, 0
        for session in sessions:
            first = start[session]
            if first == UNPLACED or lengths[session] != 1:
                self._update_overflow(session)
                continue
            standing = shares[session].get(first, 0) + extra[session] - seats[room[session]]
            if standing < 0:
                standing = 0
            change += standing - overflow[session]
            overflow[session] = standing
        self.total_overflow += change

    def _update_groups(
        self,
        session: int,
        old_slots: range,
        new_slots: range,
        old_seen: bool,
        new_seen: bool,
        affected: set[int],
    ) -> None:
        """Update every group that marked the moved session: which of its marks run in each
        slot, its loss and, on site, the 1/k shares it gives.

        This is the solver's hot loop (a few hundred groups per step on large events), so it
        is written out with local names rather than split into calls. Where the group marked
        nothing else in a slot, the common case, only the session's own share moves; where it
        did, the list of its sessions running then says whose shares change.
        """
        all_running, lost, simple, shares = self.running, self.lost, self.simple, self.share
        units, online, mark_counts, weights = (
            self.units,
            self.online,
            self.mark_counts,
            self.weights,
        )
        own, long_mark = shares[session], self.long_mark
        lost_change = 0
        for group_index in self.instance.groups_of[session]:
            running = all_running[group_index]
            if online[group_index]:
                if not (old_seen or new_seen):
                    continue
                if old_seen:
                    _leave(running, session, old_slots)
                if new_seen:
                    _enter(running, session, new_slots)
            else:
                unit = units[group_index]
                for slot in old_slots:
                    there = running[slot]
                    sharing = len(there)
                    own[slot] -= unit // sharing
                    if sharing == 1:
                        del running[slot]
                        continue
                    there.remove(session)
                    change = unit // (sharing - 1) - unit // sharing
                    for mark in there:
                        shares[mark][slot] += change
                        affected.add(mark)
                for slot in new_slots:
                    there = running.get(slot)
                    if there is None:
                        running[slot] = [session]
                        own[slot] = own.get(slot, 0) + unit
                        continue
                    sharing = len(there)
                    change = unit // (sharing + 1) - unit // sharing
                    for mark in there:
                        shares[mark][slot] += change
                        affected.add(mark)
                    there.append(session)
                    own[slot] = own.get(slot, 0) + unit // (sharing + 1)
            if simple[group_index]:
                # One-slot sessions in disjoint slots: a voter attends one per slot marked.
                group_lost = mark_counts[group_index] - len(running)
            elif long_mark[group_index] is not None:
                group_lost = mark_counts[group_index] - self._attendable_around(
                    running, long_mark[group_index], online[group_index]
                )
            else:
                group_lost = self._group_lost(group_index)
            if group_lost != lost[group_index]:
                lost_change += (group_lost - lost[group_index]) * weights[group_index]
                lost[group_index] = group_lost
        self.total_lost += lost_change

    def _slots(self, session: int, place: Place | None) -> range:
        if place is None:
            return range(0)
        return range(place[1], place[1] + self.instance.lengths[session])

    def _set_place(self, session: int, old: Place | None, place: Place | None) -> None:
        # Only cells the session still holds are freed: a swap moves the first session onto
        # the second's cells before the second leaves them (search.swap_step).
        if old is not None:
            row = self.occupant[old[0]]
            for slot in self._slots(session, old):
                if row[slot] == session:
                    row[slot] = UNPLACED
        for slot in self._slots(session, place):
            self.occupant[place[0]][slot] = session
        self.scheduled += (place is not None) - (old is not None)
        kept = self.kept[session]
        if kept is not None:
            change = (place != kept) - (old != kept)
            self.moved += change
            self.moved_units += change * self.move_units[session]
        self.room[session], self.start[session] = place if place else (UNPLACED, UNPLACED)

    def _attendable_around(self, running: dict[int, list[int]], long: int, online: bool) -> int:
        """Marks attendable for a group whose only session of several slots is `long`: either
        one session in every slot where its one-slot sessions run, or `long` and those
        outside its slots, whichever is more."""
        first = self.start[long]
        if first == UNPLACED or (online and not self.instance.streams[self.room[long]]):
            return len(running)  # every slot in it holds a one-slot session
        end = first + self.instance.lengths[long]
        others = outside = 0
        for slot, there in running.items():
            if len(there) > 1 or there[0] != long:
                others += 1
                if not first <= slot < end:
                    outside += 1
        return max(others, 1 + outside)

    def _group_lost(self, group_index: int) -> int:
        """Marks minus the most marked sessions attendable without overlap (FORMAT.md)."""
        instance, start, room = self.instance, self.start, self.room
        slot_start, slot_end, lengths = instance.slot_start, instance.slot_end, instance.lengths
        marks = self.group_marks[group_index]
        streams = instance.streams if self.online[group_index] else None
        spans = []
        for mark in marks:
            first = start[mark]
            if first == UNPLACED or (streams is not None and not streams[room[mark]]):
                continue
            spans.append((slot_end[first + lengths[mark] - 1], slot_start[first]))
        spans.sort()
        attendable, free_from = 0, -math.inf
        for end, begin in spans:
            if begin >= free_from:
                attendable += 1
                free_from = end
        return len(marks) - attendable

    def _update_overflow(self, session: int) -> None:
        instance = self.instance
        self.total_overflow -= self.overflow[session]
        first = self.start[session]
        if first == UNPLACED:
            self.share[session] = {
                slot: amount for slot, amount in self.share[session].items() if amount
            }
            self.overflow[session] = 0
            return
        shares = self.share[session]
        length = instance.lengths[session]
        if length == 1:
            peak = shares.get(first, 0)
        else:
            peak = max(shares.get(slot, 0) for slot in range(first, first + length))
        standing = peak + self.extra_scaled[session] - self.seats_scaled[self.room[session]]
        self.overflow[session] = max(0, standing)
        self.total_overflow += self.overflow[session]


def _the_one_long(marks: tuple[int, ...], lengths: tuple[int, ...]) -> int | None:
    """The group's only marked session of several slots, None for none or several."""
    long = [mark for mark in marks if lengths[mark] > 1]
    return long[0] if len(long) == 1 else None


def _enter(running: dict[int, list[int]], session: int, slots: range) -> None:
    for slot in slots:
        there = running.get(slot)
        if there is None:
            running[slot] = [session]
        else:
            there.append(session)


def _leave(running: dict[int, list[int]], session: int, slots: range) -> None:
    for slot in slots:
        there = running[slot]
        if len(there) == 1:
            del running[slot]
        else:
            there.remove(session)
