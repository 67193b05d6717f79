"""Forms of the planning board."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired


class MoveForm(FlaskForm):
    """Move a session to a room and first slot, or out of the plan ("")."""

    talk = SelectField(_l("Session"), coerce=int, validators=[DataRequired()])
    place = SelectField(_l("New place"), validate_choice=True)


class TalkActionForm(FlaskForm):
    """A button that acts on one session (pin, unpin)."""

    talk = IntegerField(validators=[DataRequired()])


class UploadForm(FlaskForm):
    """A JSON file to import."""

    document = FileField(_l("JSON file"), validators=[FileRequired()])
