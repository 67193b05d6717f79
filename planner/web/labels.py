"""What people read for the stored codes of formats, features and languages, in one place
for every form and template."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

FORMAT_LABELS = {
    "talk": _l("Talk"),
    "discussion": _l("Discussion"),
    "workshop": _l("Workshop"),
    "hands-on": _l("Hands-on"),
}
FEATURE_LABELS = {
    "projector": _l("Projector"),
    "stream": _l("Live stream"),
    "accessible": _l("Step-free access"),
    "whiteboard": _l("Whiteboard"),
}
LANGUAGE_LABELS = {"de": _l("German"), "en": _l("English")}
# The solver's status words (plan@1 "solver.status"); an imported plan may bring others.
SOLVER_STATUS_LABELS = {
    "OPTIMAL": _l("best possible plan"),
    "FEASIBLE": _l("good plan found"),
    "EDITED": _l("changed by hand"),
}


def choices(labels: dict) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox field from values and their labels."""
    return [SelectChoice(value, label) for value, label in labels.items()]


def template_labels() -> dict:
    """The labels for every template (a context processor)."""
    return {
        "format_labels": FORMAT_LABELS,
        "feature_labels": FEATURE_LABELS,
        "solver_status_labels": SOLVER_STATUS_LABELS,
    }
