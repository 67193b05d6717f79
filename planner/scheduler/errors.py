"""Errors the scheduler reports to people, as opposed to bugs."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error that carries a message meant for the user."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class FormatError(PlannerError):
    """A document does not follow event@1 or plan@1; `problems` names every place at once."""


class InfeasibleError(PlannerError):
    """No valid plan exists; `problems` says which sessions, rooms and rules clash and what
    to relax."""
