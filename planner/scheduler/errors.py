"""Errors the scheduler reports to people, as opposed to bugs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class PlannerError(Exception):
    """Base of every error that carries a message meant for the user."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# What each problem code says in English, for the command line and logs; the web app words
# the same codes in the reader's language (planner/format_wording.py). A template names the
# parameters its code carries.
ENGLISH = {
    "bad_json": "not valid JSON: {message} (line {line}, column {column})",
    "not_utf8": "not valid JSON: the file is not UTF-8 text",
    "too_deep": "not valid JSON: nested too deeply",
    "bad_number": "not valid JSON: a number is too long, or not finite (NaN, Infinity)",
    "not_a_document": "the document must be a JSON object",
    "wrong_format": 'must be "{expected}", not {found}',
    "wrong_kind": 'must be "{expected}", not "{found}" ({hint})',
    "missing": "is missing",
    "not_string": "must be a string, not {found}",
    "not_integer": "must be a whole number, not {found}",
    "not_number": "must be a number, not {found}",
    "not_boolean": "must be true or false, not {found}",
    "not_a_list": "must be a list, not {found}",
    "not_an_object": "must be an object, not {found}",
    "not_a_string_list": "must be a list of strings, not {found}",
    "not_one_of": "must be one of {options}, not {found}",
    "negative": "must not be negative",
    "too_small": "must be at least {minimum}",
    "too_large": "must be at most {maximum}",
    "too_long": "must be at most {maximum} characters long",
    "empty": "must not be empty",
    "duplicate": "{value} is used twice",
    "listed_twice": "{value} is listed twice",
    "marked_twice": "{value} is marked twice",
    "unknown_reference": "no {kind} {value}",
    "unknown_timezone": "unknown timezone {value}",
    "bad_time": '{value} is not a time like "{example}"',
    "bad_date": '{value} is not a date like "{example}"',
    "has_offset": "must be a {local}time without a UTC offset",
    "not_after_start": "must be after the start",
    "not_chronological": "slots must be listed in chronological order",
    "bad_slug": "must be lower-case letters, digits and single hyphens",
    "not_web_address": "must be a web address starting with https://",
    "draft_number": "must be null for number 0 (the draft) only",
    "nul_character": "must not hold a zero byte (\\u0000)",
    "out_of_window": "must lie in the years {first} to {last}",
}
KIND_HINTS = {
    "barcamp-planner/event@1": "an event file: import it as an event instead",
    "barcamp-planner/plan@1": "a plan file: import it on an event's planning board instead",
    "barcamp-planner/backup@1": "a backup of a whole event: restore it instead",
}
SHOWN = 40  # characters of a value a message quotes


def shown(value: Any) -> str:
    """A value as a message quotes it: a string in quotes, anything else as JSON, shortened."""
    if isinstance(value, str):
        return f'"{value[:SHOWN]}"'
    return json.dumps(value)[:SHOWN]


@dataclass(frozen=True)
class FormatProblem:
    """One problem of a document: where, what, and the details a sentence about it names.

    `path` is the place, `rooms[0].capacity` ("" for the whole file); `code` is one of
    ENGLISH's keys; `params` holds what that code's sentence names: `value` the offending
    string or number, `found` the offending value as short JSON text, and so on. str() gives
    the English line the command line prints.
    """

    path: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)  # dicts do not hash

    def __str__(self) -> str:
        message = ENGLISH[self.code].format(**_english_params(self.code, self.params))
        return f"{self.path}: {message}" if self.path else message

    def within(self, path: str) -> FormatProblem:
        """The same problem in a document nested at `path` of another."""
        return FormatProblem(f"{path}.{self.path}" if self.path else path, self.code, self.params)


def _english_params(code: str, params: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(params)
    if "value" in params:
        result["value"] = shown(params["value"])
    if "options" in params:
        result["options"] = ", ".join(json.dumps(option) for option in params["options"])
    if code == "wrong_kind":
        result["hint"] = KIND_HINTS.get(params["found"], "")
    if code == "has_offset":
        result["local"] = "local " if params.get("local") else ""
    return result


class FormatError(PlannerError):
    """A document does not follow its format; `problems` names every place at once, as
    FormatProblem records (str() of each, or of the error, is English)."""

    problems: tuple[FormatProblem, ...]  # type: ignore[assignment]

    def __init__(self, problems: FormatProblem | Iterable[FormatProblem]):
        found = (problems,) if isinstance(problems, FormatProblem) else tuple(problems)
        super().__init__([str(problem) for problem in found])
        self.problems = found


class InfeasibleError(PlannerError):
    """No valid plan exists; `problems` says which sessions, rooms and rules clash and what
    to relax."""
