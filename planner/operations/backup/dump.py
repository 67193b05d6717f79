"""Write a whole event as a backup@1 document (fields.py says what each row holds)."""

from __future__ import annotations

import copy
from typing import Any

from ...models import Event, utcnow
from ...scheduler.formats import BACKUP_FORMAT
from .fields import EVENT, TABLES, Field, Keys, jsonable


def backup_document(event: Event) -> dict[str, Any]:
    """The whole event as a backup@1 document: everything needed to restore it."""
    keys = Keys(
        talks={talk.id: talk.key for talk in event.talks},
        known={
            "sessions": {talk.key for talk in event.talks},
            "rooms": {room.key for room in event.rooms},
            "slots": {slot.key for slot in event.slots},
        },
    )
    rows = {
        "slots": event.slots,
        "rooms": event.rooms,
        "sessions": event.talks,
        "ballots": event.ballots,
        "voting_codes": event.voting_codes,
        "plans": event.plans,
    }
    document: dict[str, Any] = {
        "format": BACKUP_FORMAT,
        "exported_at": jsonable(utcnow()),
        "event": _values(event, EVENT, keys),
    }
    for name, (fields, keyed) in TABLES.items():
        document[name] = [_row(row, fields, keyed, keys) for row in rows[name]]
    return document


def _row(row: Any, fields: tuple[Field, ...], keyed: bool, keys: Keys) -> dict[str, Any]:
    values = _values(row, fields, keys)
    return {"key": row.key, **values} if keyed else values


def _values(row: Any, fields: tuple[Field, ...], keys: Keys) -> dict[str, Any]:
    return {field.name: field.value(row, keys) for field in fields}


def living_plan(document: dict[str, Any], known: dict[str, set[str]]) -> dict[str, Any]:
    """The plan without places in rooms or slots deleted since it was made.

    The published pages already skip those places; a restored event could not tell the old
    keys from its own new ones, so they are left out here rather than copied.
    """
    result = copy.deepcopy(document)
    assignments = document.get("assignments") or []
    kept = [item for item in assignments if _names_known(item, known)]
    if len(kept) < len(assignments):
        placed = {item["session"] for item in kept}
        result["assignments"] = kept
        result["unscheduled"] = [
            *(document.get("unscheduled") or []),
            *(item["session"] for item in assignments if item["session"] not in placed),
        ]
    if document.get("cancelled"):
        result["cancelled"] = [item for item in document["cancelled"] if _names_known(item, known)]
    map_plan_sessions(result, lambda key: key if key in known["sessions"] else None)
    return result


def _names_known(item: dict[str, str], known: dict[str, set[str]]) -> bool:
    return (
        item["session"] in known["sessions"]
        and item["room"] in known["rooms"]
        and item["slot"] in known["slots"]
    )


def map_plan_sessions(document: dict[str, Any], new_key) -> None:
    """Apply `new_key` to every session named outside the assignments; None drops the name."""
    if document.get("unscheduled"):
        document["unscheduled"] = [
            new_key(key) for key in document["unscheduled"] if new_key(key) is not None
        ]
    solver = document.get("solver")
    if isinstance(solver, dict) and solver.get("moved"):
        solver["moved"] = [new_key(key) for key in solver["moved"] if new_key(key) is not None]
    metrics = document.get("metrics")
    if isinstance(metrics, dict) and isinstance(metrics.get("fullest_session"), str):
        metrics["fullest_session"] = new_key(metrics["fullest_session"])
