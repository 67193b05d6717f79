"""Form fields shared by the areas."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, not a multi-select box nobody can use on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
