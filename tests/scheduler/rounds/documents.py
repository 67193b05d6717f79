"""Small rounds@1 documents for the tests, as plain dictionaries."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EXAMPLE = Path("/work/shared/formats/example-rounds.json")
HERE_EXAMPLE = Path(__file__).parent / "example-rounds.json"  # a copy, kept in the tests


def example() -> dict[str, Any]:
    """The contract's example: 14 people, 4 tables, 2 rounds, one closed table, one pin."""
    return json.loads(HERE_EXAMPLE.read_text(encoding="utf-8"))


def document(
    people: int = 6,
    tables: tuple[tuple[str, int, int], ...] = (("A", 3, 0), ("B", 3, 0)),
    rounds: int = 2,
    mode: str = "free",
) -> dict[str, Any]:
    """A rounds@1 document: tables as (topic, seats, min), people p1.. without wishes."""
    return {
        "format": "barcamp-planner/rounds@1",
        "event": {"name": "Test", "timezone": "Europe/Berlin"},
        "mode": mode,
        "rounds": [
            {"id": f"r{i + 1}", "start": f"2024-11-18T1{i}:00", "end": f"2024-11-18T1{i}:25"}
            for i in range(rounds)
        ],
        "tables": [
            {"id": f"t{i + 1}", "topic": topic, "seats": seats, "min": least}
            for i, (topic, seats, least) in enumerate(tables)
        ],
        "people": [{"id": f"p{i + 1}"} for i in range(people)],
    }


def changed(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of a document with top-level keys replaced."""
    result = copy.deepcopy(data)
    result.update(changes)
    return result
