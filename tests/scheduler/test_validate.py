"""Tests for the independent judge: hard-rule violations and quality metrics (FORMAT.md)."""

from __future__ import annotations

import pytest

from planner.scheduler.problem import Assignment, Plan, Problem
from planner.scheduler.validate import RULES, Violation, metrics, violations

from .builders import plan, problem, room, slots, talk, title, vote

# Two days: t1, t2, t3 on the first (10:00, 11:00, 12:00), t4, t5 on the second.
DAYS = slots("t1", "t2", "t3") + slots("t4", "t5", day=1)


def two_rooms(*sessions, votes=()) -> Problem:
    """Return a problem with a projector room r1 and a stream room r2 over DAYS."""
    rooms = (room("r1", features=("projector",)), room("r2", features=("stream",)))
    return problem(rooms, DAYS, sessions, votes)


def broken(problem_: Problem, plan_: Plan) -> list[tuple[int, tuple[str, ...]]]:
    """Return (rule, sessions) for every violation, in the order found."""
    return [(item.rule, item.sessions) for item in violations(problem_, plan_)]


# --- a valid plan ---------------------------------------------------------------------------------


def test_valid_plan_has_no_violations():
    problem_ = two_rooms(
        talk("s1", hosts=("Anna",), needs=("projector",), length=2, pinned=("r1", "t1")),
        talk("s2", hosts=("Anna",), unavailable=("t1", "t2")),
        talk("s3", length=2, needs=("stream",)),
        talk("s4", length=2),
        talk("s5"),
    )
    # s1 takes t1+t2 and Anna's s2 follows in t3; s3 and s4 are doubles within one day each.
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r1", "t3"), s3=("r2", "t2"), s4=("r1", "t4"))
    assert plan_.unscheduled == ("s5",)
    assert violations(problem_, plan_) == []


def test_empty_plan_of_unpinned_sessions_is_valid():
    problem_ = two_rooms(talk("s1"), talk("s2"))
    assert violations(problem_, plan(problem_)) == []


# --- rule 0: the plan is consistent with the problem ----------------------------------------------


def test_session_neither_assigned_nor_unscheduled():
    problem_ = two_rooms(talk("s1"), talk("s2"))
    plan_ = Plan((Assignment("s1", "r1", "t1"),), unscheduled=())
    assert broken(problem_, plan_) == [(0, ("s2",))]


def test_session_both_assigned_and_unscheduled():
    problem_ = two_rooms(talk("s1"))
    plan_ = Plan((Assignment("s1", "r1", "t1"),), unscheduled=("s1",))
    assert broken(problem_, plan_) == [(0, ("s1",))]


def test_session_listed_twice_as_unscheduled():
    problem_ = two_rooms(talk("s1"))
    assert broken(problem_, Plan((), unscheduled=("s1", "s1"))) == [(0, ("s1",))]


@pytest.mark.parametrize(
    "assignment",
    [Assignment("s9", "r1", "t1"), Assignment("s1", "r9", "t1"), Assignment("s1", "r1", "t9")],
    ids=["session", "room", "slot"],
)
def test_assignment_with_unknown_id(assignment):
    problem_ = two_rooms(talk("s1"))
    unscheduled = () if assignment.session == "s1" else ("s1",)
    assert broken(problem_, Plan((assignment,), unscheduled)) == [(0, (assignment.session,))]


def test_unknown_session_in_unscheduled():
    problem_ = two_rooms(talk("s1"))
    found = violations(problem_, Plan((), unscheduled=("s1", "s9")))
    assert [item.rule for item in found] == [0]
    assert "s9" in found[0].message


# --- rule 1: at most one session per room and slot ------------------------------------------------


def test_rule_1_two_sessions_in_one_room_and_slot():
    problem_ = two_rooms(talk("s1"), talk("s2"))
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r1", "t1"))
    assert broken(problem_, plan_) == [(1, ("s1", "s2"))]


def test_rule_1_double_session_overlaps_a_single_in_its_second_slot():
    problem_ = two_rooms(talk("s1", length=2), talk("s2"))
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r1", "t2"))
    assert broken(problem_, plan_) == [(1, ("s1", "s2"))]
    assert violations(problem_, plan_)[0].slots == ("t2",)


def test_rule_1_same_slot_in_different_rooms_is_fine():
    problem_ = two_rooms(talk("s1", length=2), talk("s2"))
    assert broken(problem_, plan(problem_, s1=("r1", "t1"), s2=("r2", "t2"))) == []


# --- rule 2: L consecutive slots ------------------------------------------------------------------


@pytest.mark.parametrize(
    "first_slot", ["t3", "t5"], ids=["last-slot-of-a-day", "last-slot-overall"]
)
def test_rule_2_double_session_without_a_following_slot_that_day(first_slot):
    # t3 has a neighbour t4 in the list, but t4 is on the next day, so they are not consecutive.
    problem_ = two_rooms(talk("s1", length=2))
    assert broken(problem_, plan(problem_, s1=("r1", first_slot))) == [(2, ("s1",))]


def test_rule_2_triple_session_running_past_the_day():
    problem_ = two_rooms(talk("s1", length=3))
    assert broken(problem_, plan(problem_, s1=("r1", "t2"))) == [(2, ("s1",))]


def test_rule_2_double_session_ending_in_last_slot_of_a_day_is_fine():
    problem_ = two_rooms(talk("s1", length=2))
    assert broken(problem_, plan(problem_, s1=("r1", "t2"))) == []


# --- rule 3: hosts --------------------------------------------------------------------------------


def test_rule_3_host_in_two_sessions_at_once():
    problem_ = two_rooms(talk("s1", hosts=("Anna", "Ben")), talk("s2", hosts=("Anna",)))
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r2", "t1"))
    assert broken(problem_, plan_) == [(3, ("s1", "s2"))]


def test_rule_3_host_of_double_session_and_single_in_its_second_slot():
    problem_ = two_rooms(talk("s1", hosts=("Anna",), length=2), talk("s2", hosts=("Anna",)))
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r2", "t2"))
    assert broken(problem_, plan_) == [(3, ("s1", "s2"))]


def test_rule_3_host_in_back_to_back_sessions_is_fine():
    problem_ = two_rooms(talk("s1", hosts=("Anna",), length=2), talk("s2", hosts=("Anna",)))
    assert broken(problem_, plan(problem_, s1=("r1", "t1"), s2=("r2", "t3"))) == []


# --- rule 4: unavailability -----------------------------------------------------------------------


def test_rule_4_session_in_a_slot_it_cannot_do():
    problem_ = two_rooms(talk("s1", unavailable=("t1",)))
    assert broken(problem_, plan(problem_, s1=("r1", "t1"))) == [(4, ("s1",))]


def test_rule_4_double_session_unavailable_in_its_second_slot():
    problem_ = two_rooms(talk("s1", length=2, unavailable=("t2",)))
    plan_ = plan(problem_, s1=("r1", "t1"))
    assert broken(problem_, plan_) == [(4, ("s1",))]
    assert violations(problem_, plan_)[0].slots == ("t2",)


def test_rule_4_room_used_in_its_unavailable_slot():
    problem_ = problem([room("r1", unavailable=("t1",))], DAYS, [talk("s1")])
    plan_ = plan(problem_, s1=("r1", "t1"))
    assert broken(problem_, plan_) == [(4, ("s1",))]
    assert violations(problem_, plan_)[0].rooms == ("r1",)


def test_rule_4_room_unavailable_in_second_slot_of_a_double():
    problem_ = problem([room("r1", unavailable=("t2",))], DAYS, [talk("s1", length=2)])
    plan_ = plan(problem_, s1=("r1", "t1"))
    assert broken(problem_, plan_) == [(4, ("s1",))]
    assert violations(problem_, plan_)[0].slots == ("t2",)


# --- rule 5: features -----------------------------------------------------------------------------


def test_rule_5_room_lacks_a_needed_feature():
    problem_ = two_rooms(talk("s1", needs=("projector", "whiteboard")))
    plan_ = plan(problem_, s1=("r1", "t1"))
    assert broken(problem_, plan_) == [(5, ("s1",))]
    assert "whiteboard" in violations(problem_, plan_)[0].message


# --- rule 6: pins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placed",
    [{"s1": ("r2", "t1")}, {"s1": ("r1", "t2")}, {}],
    ids=["other-room", "other-slot", "unscheduled"],
)
def test_rule_6_pinned_session_not_where_pinned(placed):
    problem_ = two_rooms(talk("s1", pinned=("r1", "t1")))
    assert broken(problem_, plan(problem_, **placed)) == [(6, ("s1",))]


# --- rule 7: at most once -------------------------------------------------------------------------


def test_rule_7_session_assigned_twice():
    problem_ = two_rooms(talk("s1"))
    plan_ = Plan((Assignment("s1", "r1", "t1"), Assignment("s1", "r2", "t3")))
    assert broken(problem_, plan_) == [(7, ("s1",))]


def test_rule_7_identical_duplicate_is_not_a_room_clash():
    problem_ = two_rooms(talk("s1"))
    plan_ = Plan((Assignment("s1", "r1", "t1"), Assignment("s1", "r1", "t1")))
    assert broken(problem_, plan_) == [(7, ("s1",))]


# --- messages -------------------------------------------------------------------------------------


def test_violations_carry_the_sessions_rooms_and_slots_involved():
    problem_ = two_rooms(talk("s1"), talk("s2"))
    found = violations(problem_, plan(problem_, s1=("r1", "t1"), s2=("r1", "t1")))
    assert found == [Violation(1, found[0].message, ("s1", "s2"), ("r1",), ("t1",))]


@pytest.mark.parametrize(
    ("sessions", "placed"),
    [
        ((talk("s1"), talk("s2")), {"s1": ("r1", "t1"), "s2": ("r1", "t1")}),
        ((talk("s1", length=2),), {"s1": ("r1", "t3")}),
        (
            (talk("s1", hosts=("Anna",)), talk("s2", hosts=("Anna",))),
            {"s1": ("r1", "t1"), "s2": ("r2", "t1")},
        ),
        ((talk("s1", unavailable=("t1",)),), {"s1": ("r1", "t1")}),
        ((talk("s1", needs=("whiteboard",)),), {"s1": ("r1", "t1")}),
        ((talk("s1", pinned=("r1", "t1")),), {"s1": ("r2", "t2")}),
    ],
    ids=["rule-1", "rule-2", "rule-3", "rule-4", "rule-5", "rule-6"],
)
def test_message_quotes_the_rule_and_the_session_titles(sessions, placed):
    problem_ = two_rooms(*sessions)
    (found,) = violations(problem_, plan(problem_, **placed))
    text = str(found)
    assert text.startswith(f"rule {found.rule} ({RULES[found.rule]}): ")
    for session_ in sessions:
        assert f'"{title(session_.id)}" ({session_.id})' in text


def test_message_for_session_twice_quotes_rule_7_and_title():
    problem_ = two_rooms(talk("s1"))
    plan_ = Plan((Assignment("s1", "r1", "t1"), Assignment("s1", "r2", "t2")))
    (found,) = violations(problem_, plan_)
    assert str(found) == f'rule 7 ({RULES[7]}): "Talk s1" (s1) is scheduled 2 times'


def test_message_names_host_and_room_name():
    problem_ = two_rooms(talk("s1", hosts=("Anna",)), talk("s2", hosts=("Anna",)))
    (found,) = violations(problem_, plan(problem_, s1=("r1", "t1"), s2=("r2", "t1")))
    assert "Anna hosts both" in str(found)


# --- metrics: lost_interests ----------------------------------------------------------------------


def test_lost_interests_for_marks_in_the_same_slot():
    problem_ = two_rooms(talk("s1"), talk("s2"), talk("s3"), votes=[vote("v1", "s1", "s2", "s3")])
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r2", "t1"), s3=("r1", "t2"))
    # 3 marks, s1 and s2 clash in t1: best is one of them plus s3 → 3 - 2 = 1.
    assert metrics(problem_, plan_)["lost_interests"] == 1


def test_lost_interests_prefers_two_singles_over_one_double():
    problem_ = two_rooms(
        talk("s1", length=2), talk("s2"), talk("s3"), votes=[vote("v1", "s1", "s2", "s3")]
    )
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r2", "t1"), s3=("r2", "t2"))
    # s1 spans t1+t2 and clashes with both; best is s2 + s3 → 3 - 2 = 1 (not 3 - 1 = 2).
    assert metrics(problem_, plan_)["lost_interests"] == 1


def test_online_voter_can_only_attend_stream_rooms():
    problem_ = two_rooms(
        talk("s1"),
        talk("s2"),
        votes=[vote("v1", "s1", "s2", online=True), vote("v2", "s1", "s2")],
    )
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r2", "t2"))
    # v1 (online) reaches only s2 in stream room r2 → 2 - 1 = 1; v2 on site reaches both → 0.
    assert metrics(problem_, plan_)["lost_interests"] == 1


def test_unscheduled_marks_are_lost():
    problem_ = two_rooms(talk("s1"), talk("s2"), talk("s3"), votes=[vote("v1", "s1", "s2", "s3")])
    # Only s1 is held → 3 - 1 = 2.
    assert metrics(problem_, plan(problem_, s1=("r1", "t1")))["lost_interests"] == 2


def test_empty_plan_loses_every_mark():
    problem_ = two_rooms(talk("s1"), talk("s2"), votes=[vote("v1", "s1", "s2"), vote("v2", "s2")])
    figures = metrics(problem_, plan(problem_))
    # 2 + 1 = 3 marks, none attendable.
    assert figures["scheduled"] == 0
    assert figures["lost_interests"] == 3
    assert figures["overflow_people"] == 0
    assert figures["attendable_share"] == 0.0


# --- metrics: overflow_people ---------------------------------------------------------------------


def three_small_rooms(*sessions, votes=()) -> Problem:
    """Return a problem with r1 (1 seat, no stream), r2 and r3 (10 seats each) over DAYS."""
    rooms = (room("r1", 1), room("r2", 10), room("r3", 10))
    return problem(rooms, DAYS, sessions, votes)


def split_votes_case() -> tuple[Problem, Plan]:
    """Return s1, s2, s3 side by side in t1 with one voter torn three ways."""
    problem_ = three_small_rooms(
        talk("s1"),
        talk("s2"),
        talk("s3"),
        votes=[vote("a", "s1", "s2", "s3"), vote("b", "s1"), vote("c", "s1", online=True)],
    )
    return problem_, plan(problem_, s1=("r1", "t1"), s2=("r2", "t1"), s3=("r3", "t1"))


def test_overflow_shares_a_torn_voter_and_seats_no_online_voter():
    # s1 in r1 (1 seat): a counts 1/3, b counts 1, c is online and needs no seat
    # → 4/3 - 1 = 1/3 ≈ 0.333333; s2 and s3 hold 1/3 each in 10 seats → 0.
    assert metrics(*split_votes_case())["overflow_people"] == 0.333333


def test_extra_interest_needs_seats():
    problem_ = three_small_rooms(talk("s1", extra_interest=5), votes=[vote("a", "s1")])
    # 1 voter + 5 extra = 6 people in 1 seat → 6 - 1 = 5.
    assert metrics(problem_, plan(problem_, s1=("r1", "t1")))["overflow_people"] == 5


def test_extra_interest_alone_can_overflow():
    problem_ = three_small_rooms(talk("s1", extra_interest=12))
    # 12 people in 10 seats → 2.
    assert metrics(problem_, plan(problem_, s1=("r2", "t1")))["overflow_people"] == 2


def test_overflow_of_double_session_counts_its_fullest_slot():
    problem_ = three_small_rooms(
        talk("s1", length=2), talk("s3"), votes=[vote("a", "s1", "s3"), vote("b", "s1")]
    )
    plan_ = plan(problem_, s1=("r1", "t1"), s3=("r2", "t1"))
    # s1 in t1: a splits with s3 → 1/2, b → 1, total 3/2; in t2: a → 1, b → 1, total 2.
    # Fullest slot t2: 2 - 1 seat = 1 (first slot would give 1/2, the sum 5/2).
    assert metrics(problem_, plan_)["overflow_people"] == 1


def test_unscheduled_marks_do_not_split_a_voter():
    problem_ = three_small_rooms(talk("s1"), talk("s2"), votes=[vote("a", "s1", "s2")])
    # s2 is not held, so a counts fully for s1: 1 person in 1 seat → 0 overflow.
    assert metrics(problem_, plan(problem_, s1=("r1", "t1")))["overflow_people"] == 0


# --- metrics: missed, attendable_share, fullest_room, number types --------------------------------


def test_missed_is_lost_plus_overflow():
    figures = metrics(*split_votes_case())
    # lost: a reaches 1 of 3 → 2; b → 0; c online, r1 has no stream → 1; total 3.
    assert figures["lost_interests"] == 3
    # missed = 3 + 1/3 = 10/3 ≈ 3.333333.
    assert figures["missed"] == 3.333333


def test_attendable_share_is_the_share_of_marks_not_lost():
    figures = metrics(*split_votes_case())
    # marks: a 3 + b 1 + c 1 = 5; lost 3 → 1 - 3/5 = 0.4.
    assert figures["interests"] == 5
    assert figures["attendable_share"] == 0.4


def test_attendable_share_without_votes_is_one():
    problem_ = two_rooms(talk("s1"))
    assert metrics(problem_, plan(problem_, s1=("r1", "t1")))["attendable_share"] == 1.0


def test_fullest_room_is_the_highest_people_per_seat():
    figures = metrics(*split_votes_case())
    # s1: 4/3 people / 1 seat ≈ 1.333; s2, s3: 1/3 / 10 ≈ 0.033.
    assert figures["fullest_room"] == 1.333
    assert figures["fullest_session"] == "s1"


def test_scheduled_counts_assigned_sessions():
    assert metrics(*split_votes_case())["scheduled"] == 3


def test_whole_figures_are_ints():
    problem_ = three_small_rooms(talk("s1", extra_interest=5), votes=[vote("a", "s1")])
    figures = metrics(problem_, plan(problem_, s1=("r1", "t1")))
    # overflow 6 - 1 = 5, lost 0, missed 5.
    assert (figures["overflow_people"], figures["missed"]) == (5, 5)
    assert type(figures["overflow_people"]) is int
    assert type(figures["missed"]) is int
    assert type(figures["lost_interests"]) is int


def test_fractional_figures_are_floats_rounded_to_a_millionth():
    problem_ = three_small_rooms(
        talk("s1"),
        talk("s2"),
        talk("s3"),
        votes=[vote("a", "s1", "s2", "s3"), vote("b", "s1"), vote("c", "s1", "s2", "s3")],
    )
    plan_ = plan(problem_, s1=("r1", "t1"), s2=("r2", "t1"), s3=("r3", "t1"))
    figures = metrics(problem_, plan_)
    # s1: 1/3 + 1 + 1/3 = 5/3 in 1 seat → 2/3 ≈ 0.666667; lost: a 2, b 0, c 2 → 4.
    assert figures["overflow_people"] == 0.666667
    assert type(figures["overflow_people"]) is float
    # missed = 4 + 2/3 = 14/3 ≈ 4.666667.
    assert figures["missed"] == 4.666667
