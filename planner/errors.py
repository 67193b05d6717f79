"""Errors that carry a message for the user, as opposed to bugs."""

from __future__ import annotations

from .scheduler.errors import PlannerError


class UserInputError(PlannerError):
    """The user asked for something that cannot be done; `problems` says why, in words."""


class ConflictError(UserInputError):
    """Somebody else changed the same thing first (optimistic locking)."""
