"""Problems of an imported file in the reader's language.

The event@1, plan@1 and backup@1 readers record each problem as a FormatProblem: the place in
the file (`rooms[0].capacity`), a code and what it names, in English only for the command
line. Here each becomes a sentence in German or English that names the place as people know
it: "Raum 1 („Plenarsaal“), Plätze: Die Zahl darf nicht negativ sein."
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .scheduler.errors import FormatError, FormatProblem, PlannerError
from .scheduler.formats import BACKUP_FORMAT, EVENT_FORMAT, PLAN_FORMAT

SHOWN_PROBLEMS = 10  # a longer list ends in "and 25 more problems"
SHOWN_CHARACTERS = 40  # of a name or value a sentence quotes

SENTENCES = {
    "missing": _l("This is missing."),
    "not_string": _l("This must be a text, not %(found)s."),
    "not_integer": _l("This must be a whole number, not %(found)s."),
    "not_number": _l("This must be a number, not %(found)s."),
    "not_boolean": _l("This must be true or false, not %(found)s."),
    "not_a_list": _l("This must be a list in square brackets [ … ], not %(found)s."),
    "not_an_object": _l("This must be an entry in curly brackets { … }, not %(found)s."),
    "not_a_string_list": _l("This must be a list of texts, not %(found)s."),
    "not_one_of": _l("This must be one of %(options)s, not %(found)s."),
    "negative": _l("The number must not be negative."),
    "too_small": _l("The number must be at least %(minimum)s."),
    "too_large": _l("The number must be at most %(maximum)s."),
    "too_long": _l("The text must be at most %(maximum)s characters long."),
    "empty": _l("This must not be empty."),
    "duplicate": _l("%(value)s is used twice."),
    "listed_twice": _l("%(value)s is listed twice."),
    "marked_twice": _l("%(value)s is listed twice."),
    "unknown_timezone": _l("%(value)s is not a timezone (such as “Europe/Berlin”)."),
    "bad_time": _l("%(value)s is not a time like “%(example)s”."),
    "bad_date": _l("%(value)s is not a date like “%(example)s”."),
    "not_after_start": _l("The end must be after the start."),
    "not_chronological": _l("The slots must be listed in chronological order."),
    "bad_slug": _l("An address may hold only lower-case letters, digits and single hyphens."),
    "not_web_address": _l(
        "The stream link must be a web address starting with https:// (or http://)."
    ),
    "nul_character": _l("This holds a zero byte (\\u0000), which no text may hold."),
    "out_of_window": _l("The date must lie in the years %(first)s to %(last)s."),
    "draft_number": _l(
        "Only the draft (number 0) is unpublished: its publication time must be null, and "
        "every other version’s must be given."
    ),
}
UNKNOWN = {
    "room": _l("There is no room %(value)s."),
    "slot": _l("There is no slot %(value)s."),
    "session": _l("There is no session %(value)s."),
    "ballot": _l("There is no ballot %(value)s."),
}
LOCAL_TIME = {
    True: _l("The time must be the event’s local time, without a UTC offset such as “+01:00”."),
    False: _l("The time must be given without a UTC offset such as “+01:00”."),
}
# What a file of each kind is, after "not": German needs no article there, English does.
KIND_NAMES = {
    EVENT_FORMAT: _l("an event file (event@1)"),
    PLAN_FORMAT: _l("a plan file (plan@1)"),
    BACKUP_FORMAT: _l("a backup file (backup@1)"),
}
# JSON's own words for the usual slips; others are left out rather than shown in English.
JSON_SLIPS = {
    "Expecting value": _l("A value is missing here, or the file is empty."),
    "Expecting property name enclosed in double quotes": _l(
        "A name in double quotes is expected here (is there a comma too many?)."
    ),
    "Expecting ',' delimiter": _l("A comma is missing here."),
    "Expecting ':' delimiter": _l("A colon is missing here."),
    "Unterminated string starting at": _l("A text in quotes that starts here does not end."),
    "Invalid control character at": _l("A text in quotes holds a line break or a tab here."),
    "Extra data": _l("The file goes on after its end."),
}

# The lists of a document whose entries are things with a number (and a name).
ENTRIES = {
    "rooms": _l("Room %(number)d"),
    "slots": _l("Slot %(number)d"),
    "sessions": _l("Session %(number)d"),
    "votes": _l("Ballot %(number)d"),
    "ballots": _l("Ballot %(number)d"),
    "voting_codes": _l("Voting code %(number)d"),
    "plans": _l("Plan %(number)d"),
    "assignments": _l("Placement %(number)d"),
}
NAMES = {"rooms": "name", "sessions": "title"}
STARTS = {"slots": ("start", "starts_at")}
LABELS = {
    "event": _l("Event"),
    "rooms": _l("Rooms"),
    "slots": _l("Slots"),
    "sessions": _l("Sessions"),
    "votes": _l("Votes"),
    "ballots": _l("Ballots"),
    "voting_codes": _l("Voting codes"),
    "plans": _l("Plan versions"),
    "assignments": _l("Placements"),
    "unscheduled": _l("Not scheduled"),
    "metrics": _l("Figures"),
    "solver": _l("Solver details"),
    "moved": _l("Moved sessions"),
    "warnings": _l("Warnings"),
    "fullest_session": _l("Fullest session"),
    "id": _l("ID"),
    "key": _l("ID"),
    "voter": _l("ID"),
    "name": _l("Name"),
    "timezone": _l("Timezone"),
    "slug": _l("Address"),
    "starts_on": _l("First day"),
    "ends_on": _l("Last day"),
    "venue": _l("Venue"),
    "language": _l("Language"),
    "created_at": _l("Created at"),
    "updated_at": _l("Changed at"),
    "proposals_open": _l("Proposals open"),
    "voting_open": _l("Voting open"),
    "planning_started": _l("Planning started"),
    "voting_codes_required": _l("Only with a voting code from a badge"),
    "capacity": _l("Seats"),
    "features": _l("Features"),
    "unavailable": _l("Unavailable slots"),
    "position": _l("Order"),
    "stream_url": _l("Stream link for online guests"),
    "start": _l("Starts"),
    "starts_at": _l("Starts"),
    "end": _l("Ends"),
    "ends_at": _l("Ends"),
    "title": _l("Title"),
    "description": _l("Description"),
    "hosts": _l("Hosts"),
    "format": _l("Format"),
    "length": _l("Length"),
    "needs": _l("Needs"),
    "extra_interest": _l("Interest by show of hands"),
    "pinned": _l("Pinned place"),
    "pinned_room": _l("Pinned room"),
    "pinned_slot": _l("Pinned slot"),
    "withdrawn": _l("Withdrawn"),
    "withdrawn_by": _l("Withdrawn by"),
    "edit_token": _l("Private edit link"),
    "version": _l("Change counter"),
    "revision": _l("Change counter"),
    "online": _l("Online"),
    "token": _l("Device key"),
    "feed_key": _l("Calendar feed key"),
    "marks": _l("Marked sessions"),
    "chosen": _l("Chosen sessions"),
    "code": _l("Voting code"),
    "ballot": _l("Ballot"),
    "number": _l("Number"),
    "published_at": _l("Published at"),
    "room": _l("Room"),
    "slot": _l("Slot"),
    "session": _l("Session"),
}
_PART = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def problem_sentences(error: PlannerError, document: Any = None) -> list[str]:
    """Every problem of a refused file as a sentence in the reader's language.

    Args:
        error: a FormatError, or a UserInputError, whose problems are already sentences.
        document: the parsed file, whose names make the places readable (None: unreadable).
    """
    if not isinstance(error, FormatError):
        return list(error.problems)
    return [sentence(problem, document) for problem in error.problems]


def shortened(sentences: list[str], limit: int = SHOWN_PROBLEMS) -> list[str]:
    """The first `limit` sentences, and how many more there are."""
    if len(sentences) <= limit:
        return sentences
    more = len(sentences) - limit
    return [
        *sentences[:limit],
        ngettext("… and %(num)d more problem.", "… and %(num)d more problems.", more),
    ]


def sentence(problem: FormatProblem, document: Any = None) -> str:
    """One problem: where it is in words people know, and what is wrong."""
    what = _what(problem.code, problem.params)
    if problem.path in ("", "format"):  # about the whole file
        return what
    return f"{place(problem.path, document)}: {what}"


def _what(code: str, params: Mapping[str, Any]) -> str:
    if code in ("bad_json", "not_utf8", "too_deep", "bad_number"):
        return _unreadable(code, params)
    if code in ("not_a_document", "wrong_format", "wrong_kind"):
        return _wrong_file(code, params)
    if code == "unknown_reference":
        return str(UNKNOWN[params["kind"]]) % {"value": quoted(params["value"])}
    if code == "has_offset":
        return str(LOCAL_TIME[bool(params.get("local"))])
    return str(SENTENCES[code]) % _shown(params)


def _unreadable(code: str, params: Mapping[str, Any]) -> str:
    if code == "not_utf8":
        return _(
            "The file is not a JSON text file: perhaps it is a document of another program, "
            "such as a spreadsheet or a PDF."
        )
    if code == "too_deep":
        return _("The file is nested too deeply to be read.")
    if code == "bad_number":
        return _(
            "The file holds a number that is too long, or one that is not a number (NaN, Infinity)."
        )
    where = _(
        "The file is not valid JSON (line %(line)d, column %(column)d).",
        line=params["line"],
        column=params["column"],
    )
    slip = JSON_SLIPS.get(params["message"])
    return f"{where} {slip}" if slip else where


def _wrong_file(code: str, params: Mapping[str, Any]) -> str:
    if code == "wrong_kind":
        return _other_kind(params["found"])
    kind = KIND_NAMES[params["expected"]]
    if code == "not_a_document":
        return _("The file holds JSON, but it is not %(kind)s.", kind=kind)
    if params["found"] == "null":
        return _(
            'The file is not %(kind)s: it lacks the line "format": "%(expected)s".',
            kind=kind,
            expected=params["expected"],
        )
    return _(
        "The file is not %(kind)s: its “format” must be “%(expected)s”, not %(found)s.",
        kind=kind,
        expected=params["expected"],
        found=_found(params["found"]),
    )


def _other_kind(found: str) -> str:
    """What a file of another of the planner's kinds is, and where it belongs."""
    if found == BACKUP_FORMAT:
        return _(
            "This is a backup of a whole event: restore it under “%(link)s”.",
            link=_("Restore a backup"),
        )
    if found == EVENT_FORMAT:
        return _(
            "This is an event file (event@1): import it as a new event under “%(link)s”.",
            link=_("Import an event"),
        )
    return _(
        "This is a plan file (plan@1): import it on an event’s planning board under “%(link)s”.",
        link=_("Import plan"),
    )


def _shown(params: Mapping[str, Any]) -> dict[str, Any]:
    shown = dict(params)
    if "value" in params:
        shown["value"] = quoted(params["value"])
    if "found" in params:
        shown["found"] = _found(params["found"])
    if "options" in params:
        shown["options"] = ", ".join(quoted(option) for option in params["options"])
    return shown


def quoted(value: Any) -> str:
    """A value from the file in quotation marks (a number as it is), shortened."""
    if isinstance(value, str):
        return _("“%(text)s”", text=_short(value))
    return _short(json.dumps(value, ensure_ascii=False))


def _found(found: str) -> str:
    """A wrong value, which the reader gives as short JSON text, for people."""
    if found == "null":
        return _("empty (null)")
    if found.startswith('"'):
        closed = len(found) > 1 and found.endswith('"')
        return quoted(found[1:-1] if closed else f"{found[1:]}…")
    return _short(found)


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARACTERS else f"{text[: SHOWN_CHARACTERS - 1]}…"


def place(path: str, document: Any = None) -> str:
    """A place in a file as people know it: `rooms[0].capacity` is "Room 1 (“Plenarsaal”),
    Seats" when the document names the room."""
    parts: list[str] = []
    node, top = document, True  # top: at the top of a document, whose lists hold entries
    for key, indices in _parts(path):
        node = node.get(key) if isinstance(node, dict) else None
        if key == "document":  # a plan version's plan@1 document in a backup
            top = True
            continue
        if top and key in ENTRIES and len(indices) == 1:
            node = _item(node, indices[0])
            parts.append(_entry(key, indices[0], node))
        else:
            parts.append(str(LABELS.get(key, key)))
            for index in indices:
                node = _item(node, index)
                parts.append(_("entry %(number)d", number=index + 1))
        top = False
    return ", ".join(parts)


def _parts(path: str) -> list[tuple[str, list[int]]]:
    """`votes[0].sessions[1]` as [("votes", [0]), ("sessions", [1])]."""
    result = []
    for part in path.split("."):
        match = _PART.fullmatch(part)
        indices = [int(index) for index in re.findall(r"\d+", match[2])] if match else []
        result.append((match[1] if match else part, indices))
    return result


def _item(node: Any, index: int) -> Any:
    return node[index] if isinstance(node, list) and index < len(node) else None


def _entry(key: str, index: int, item: Any) -> str:
    """An entry of a list by its number and, where the file gives it, its name."""
    number = item.get("number") if key == "plans" and isinstance(item, dict) else None
    if isinstance(number, int) and not isinstance(number, bool):
        return _("Plan draft") if number == 0 else _("Plan version %(number)d", number=number)
    entry = str(ENTRIES[key]) % {"number": index + 1}
    if not isinstance(item, dict):
        return entry
    name = item.get(NAMES.get(key, ""))
    if isinstance(name, str) and name.strip():
        return _("%(entry)s (“%(name)s”)", entry=entry, name=_short(name.strip()))
    start = _start(item, STARTS.get(key, ()))
    return f"{entry} ({start:%d.%m.%Y %H:%M})" if start else entry


def _start(item: dict, keys: tuple[str, ...]) -> datetime | None:
    for key in keys:
        try:
            return datetime.fromisoformat(item[key])
        except (KeyError, TypeError, ValueError):
            continue
    return None
