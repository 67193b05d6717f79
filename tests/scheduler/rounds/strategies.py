"""Hypothesis strategies for small rounds problems, valid by construction."""

from __future__ import annotations

from hypothesis import strategies as st

from planner.scheduler.rounds import parse_rounds

from .documents import document

TOPICS = ("A", "B", "C")


@st.composite
def rounds_problems(draw, *, max_people: int = 6, pins: bool = True, modes=("free", "groups")):
    """Up to 3 rounds, 4 tables of topics A to C (some closed), people with choices among
    A to D (D offered nowhere), affiliations and now and then a pin."""
    rounds = draw(st.integers(1, 3))
    tables = tuple(
        (draw(st.sampled_from(TOPICS)), draw(st.integers(1, 4)), draw(st.integers(0, 3)))
        for _ in range(draw(st.integers(1, 4)))
    )
    data = document(draw(st.integers(0, max_people)), tables, rounds, draw(st.sampled_from(modes)))
    round_ids = [round_["id"] for round_ in data["rounds"]]
    for table in data["tables"]:
        table["unavailable"] = draw(st.lists(st.sampled_from(round_ids), unique=True, max_size=1))
    for person in data["people"]:
        person["choices"] = draw(st.lists(st.sampled_from((*TOPICS, "D")), max_size=3))
        person["group"] = draw(st.sampled_from((None, "", "Kassel", "Fulda")))
        if pins and draw(st.integers(0, 9)) == 0:
            person["pinned"] = {
                "round": draw(st.sampled_from(round_ids)),
                "table": draw(st.sampled_from([table["id"] for table in data["tables"]])),
            }
    return parse_rounds(data)
