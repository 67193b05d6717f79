"""The proposal form: what a proposer pitches, checked before anything is written."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ...models import Event, Slot, Talk
from ...operations.participation import Proposal, parse_hosts
from ..fields import CheckboxesField
from ..labels import FEATURE_LABELS, FORMAT_LABELS, LANGUAGE_LABELS, choices


def _hosts_given(form, field) -> None:
    if not parse_hosts(field.data):
        raise ValidationError(_l("Name at least one host."))
    if any(len(name) > 100 for name in parse_hosts(field.data)):
        raise ValidationError(_l("A name may have at most 100 characters."))


class ProposalForm(FlaskForm):
    """A pitched session; call `for_event` before validating so the slot choices exist."""

    version = HiddenField()
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give your session a title.")),
            Length(max=200, message=_l("At most 200 characters, please.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("At most 2000 characters, please."))],
    )
    hosts = StringField(_l("Hosts"), validators=[_hosts_given])
    format = SelectField(_l("Format"), choices=choices(FORMAT_LABELS), default="talk")
    length = RadioField(
        _l("Length"),
        choices=choices({1: _l("One slot"), 2: _l("Two slots in a row (double session)")}),
        coerce=int,
        default=1,
    )
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS), default="de")
    needs = CheckboxesField(_l("The room needs"), choices=choices(FEATURE_LABELS))
    unavailable = CheckboxesField(_l("Times I cannot do"), choices=[])
    email = StringField(
        _l("E-mail address (optional)"),
        filters=[lambda text: text.strip() if isinstance(text, str) else text],
        validators=[
            Optional(),
            Length(max=254, message=_l("At most 254 characters, please.")),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not an e-mail address.")),
        ],
    )

    def for_event(self, event: Event) -> ProposalForm:
        """Offer the event's slots as times the hosts cannot do."""
        self.unavailable.choices = [
            SelectChoice(slot.key, slot_label(event, slot)) for slot in event.slots
        ]
        return self

    def proposal(self) -> Proposal:
        """What was typed, as the operations take it."""
        return Proposal(
            title=self.title.data,
            description=self.description.data or "",
            hosts=parse_hosts(self.hosts.data),
            format=self.format.data,
            length=self.length.data,
            language=self.language.data,
            needs=tuple(self.needs.data or ()),
            unavailable=tuple(self.unavailable.data or ()),
            email=(self.email.data or "").strip(),
        )


def form_data(talk: Talk) -> dict:
    """A saved session as the form's initial values."""
    return {
        "version": talk.version,
        "title": talk.title,
        "description": talk.description,
        "hosts": ", ".join(talk.hosts),
        "format": talk.format,
        "length": talk.length,
        "language": talk.language,
        "needs": [need for need in talk.needs if need in FEATURE_LABELS],
        "unavailable": [slot.key for slot in talk.unavailable],
        "email": talk.contact_email,
    }


def slot_label(event: Event, slot: Slot) -> str:
    """A slot as people read it: the time, and the day when the event has several."""
    times = f"{slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"
    if len({other.starts_at.date() for other in event.slots}) < 2:
        return times
    return f"{format_date(slot.starts_at.date(), 'EEE d. MMM')}, {times}"
