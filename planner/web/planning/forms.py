"""Forms of the planning board."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange


def revision_field() -> IntegerField:
    """The draft revision the board showed, which every plan-changing form must send: a
    change without it could silently overwrite another organiser's newer plan."""
    return IntegerField(
        validators=[
            InputRequired(_l("This page is out of date: reload the planning board.")),
            NumberRange(min=0),
        ]
    )


class MoveForm(FlaskForm):
    """Move a session to a room and first slot, or out of the plan ("")."""

    talk = SelectField(_l("Session"), coerce=int, validators=[DataRequired()])
    place = SelectField(_l("New place"), validate_choice=True)
    revision = revision_field()


class TalkActionForm(FlaskForm):
    """A button that acts on one session (pin, unpin)."""

    talk = IntegerField(validators=[DataRequired()])
    revision = revision_field()


class UploadForm(FlaskForm):
    """A JSON file to import."""

    document = FileField(_l("JSON file"), validators=[FileRequired()])
