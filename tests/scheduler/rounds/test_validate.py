"""The independent validator: each hard rule, labelled, and the four figures by hand."""

from __future__ import annotations

from planner.scheduler.rounds import Seat, Seating, metrics, parse_rounds, violations

from .documents import document, example


def seating(*entries: str) -> Seating:
    """Seats written as "person round table"."""
    return Seating(tuple(Seat(*entry.split()) for entry in entries))


def rules(problem, given: Seating) -> list[int]:
    """The numbers of the broken rules, in order."""
    return [violation.rule for violation in violations(problem, given)]


def test_an_empty_seating_breaks_only_pins():
    problem = parse_rounds(example())
    found = violations(problem, Seating(()))
    assert [violation.rule for violation in found] == [4]
    assert found[0].people == ("p1",) and found[0].tables == ("c",)
    assert "Tisch 3 (c)" in str(found[0]) and str(found[0]).startswith("rule 4 (")


def test_unknown_names_and_double_entries_are_rule_0():
    problem = parse_rounds(document())
    given = seating("p1 r1 t1", "p1 r1 t2", "p9 r1 t1", "p2 r7 t1", "p3 r1 t8")
    found = [v for v in violations(problem, given) if v.rule == 0]
    assert len(found) == 4
    assert "p1 has 2 entries in round r1" in [v.message for v in found]


def test_seats_and_closed_tables_are_rule_1():
    data = document(people=4, tables=(("A", 2, 0), ("B", 3, 0)))
    data["tables"][1]["unavailable"] = ["r2"]
    problem = parse_rounds(data)
    assert rules(problem, seating("p1 r1 t1", "p2 r1 t1", "p3 r1 t1")) == [1]
    assert rules(problem, seating("p1 r2 t2")) == [1]
    assert rules(problem, seating("p1 r1 t1", "p2 r1 t1", "p3 r1 t2")) == []


def test_a_table_below_its_minimum_is_rule_2():
    problem = parse_rounds(document(people=4, tables=(("A", 4, 3), ("B", 4, 0))))
    assert rules(problem, seating("p1 r1 t1", "p2 r1 t1")) == [2]
    assert rules(problem, seating("p1 r1 t2")) == []  # an empty table needs nobody
    assert rules(problem, seating("p1 r1 t1", "p2 r1 t1", "p3 r1 t1")) == []


def test_a_topic_twice_is_rule_3_also_at_two_of_its_tables():
    problem = parse_rounds(document(people=2, tables=(("A", 4, 0), ("A", 4, 0), ("B", 4, 0))))
    assert rules(problem, seating("p1 r1 t1", "p1 r2 t1")) == [3]
    found = violations(problem, seating("p1 r1 t1", "p1 r2 t2"))
    assert [v.rule for v in found] == [3] and found[0].tables == ("t1", "t2")
    assert rules(problem, seating("p1 r1 t1", "p1 r2 t3")) == []


def test_groups_that_split_up_are_rule_5_in_groups_mode_only():
    tables = (("A", 4, 0), ("B", 4, 0), ("C", 4, 0))
    split = seating("p1 r1 t1", "p2 r1 t1", "p1 r2 t2", "p2 r2 t3")
    assert rules(parse_rounds(document(people=2, tables=tables)), split) == []
    groups = parse_rounds(document(people=3, tables=tables, mode="groups"))
    assert rules(groups, split) == [5]
    # Together later, apart before: the same rule, seen from the later round.
    assert rules(groups, seating("p1 r1 t1", "p2 r1 t2", "p1 r2 t3", "p2 r2 t3")) == [5]
    # One of them sits a round out: nothing to keep.
    assert rules(groups, seating("p1 r1 t1", "p2 r1 t1", "p1 r2 t2")) == []
    kept = seating("p1 r1 t1", "p2 r1 t1", "p3 r1 t2", "p1 r2 t2", "p2 r2 t2", "p3 r2 t1")
    assert rules(groups, kept) == []


def test_the_figures_by_hand():
    data = document(people=4, tables=(("A", 4, 0), ("B", 4, 0), ("C", 4, 0)), rounds=3)
    data["people"][0].update(choices=["A", "B", "C", "D"], group="Kassel")
    data["people"][1].update(choices=["Z"], group="Kassel")
    data["people"][2].update(choices=["B", "B"], group="")
    data["people"][3].update(group="Kassel")
    problem = parse_rounds(data)
    given = seating(
        "p1 r1 t1", "p2 r1 t1", "p3 r1 t1", "p4 r1 t2",
        "p1 r2 t2", "p2 r2 t2", "p3 r2 t2", "p4 r2 t2",
        "p1 r3 t3", "p2 r3 t3",
    )  # fmt: skip
    assert metrics(problem, given) == {
        "unseated": 2,  # p3 and p4 in r3
        # p1 sees A, B, C (D is beyond R = 3); p2's Z is offered nowhere; p3's B once
        "missed_choices": 1,
        "repeat_meetings": 2 + 1 + 1,  # p1/p2 three times, p1/p3 and p2/p3 twice
        "same_group_pairs": 1 + 3 + 1,  # r1 t1: p1 p2; r2 t2: p1 p2 p4; r3 t3: p1 p2
    }


def test_repeat_meetings_are_zero_by_definition_in_groups_mode():
    problem = parse_rounds(document(people=2, tables=(("A", 4, 0), ("B", 4, 0)), mode="groups"))
    given = seating("p1 r1 t1", "p2 r1 t1", "p1 r2 t2", "p2 r2 t2")
    assert metrics(problem, given)["repeat_meetings"] == 0
    assert violations(problem, given) == []
