"""The organisers' forms: event settings, phases, rooms, slots, pitches, sessions, hands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ...models import FEATURES, Room, Slot, Talk
from ...operations.setup import STREAM_URL_RULE, SlotSeries, is_stream_url, slot_label
from ...scheduler.formats import FIRST_YEAR, LAST_YEAR, known_timezone
from ..fields import CheckboxesField
from ..labels import FEATURE_LABELS, FORMAT_LABELS, LANGUAGE_LABELS, choices

TIMEZONES = (
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Luxembourg",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Copenhagen",
    "Europe/Paris",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
)
# What browsers send for datetime-local; the first is also how the value is shown.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
LENGTH_LABELS = {1: _l("One slot"), 2: _l("Two slots (double length)")}


# No room or show of hands comes near this; it keeps numbers inside the database's integers.
MOST_PEOPLE = 100_000


def split_list(text: str | None) -> list[str]:
    """Items of a comma-separated text, stripped, without blanks."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def valid_timezone(form, field) -> None:
    """Accept only a timezone the system knows (IANA names like Europe/Berlin)."""
    if not known_timezone(field.data or ""):
        raise ValidationError(_l("Choose a timezone from the list."))


def in_years(form, field) -> None:
    """Accept only a date in the years every reader and calendar takes (a typo such as year
    0001 or 9999 would make slots no page can show)."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l(
                "Choose a date in the years %(first)d to %(last)d.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )


class EventForm(FlaskForm):
    """An event's settings."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("First day"), validators=[InputRequired(), in_years])
    ends_on = DateField(_l("Last day"), validators=[Optional(), in_years])
    timezone = SelectField(_l("Timezone"), default="Europe/Berlin", validators=[valid_timezone])
    venue = StringField(_l("Venue"), validators=[Length(max=200)])
    language = SelectField(
        _l("Language of the pages"), choices=choices(LANGUAGE_LABELS), default="de"
    )
    mail_notices = BooleanField(
        _l("Mail hosts when their published session moves or is cancelled"), default=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(TIMEZONES)
        if self.timezone.data and self.timezone.data not in zones:
            zones.append(self.timezone.data)  # an imported event may use another zone
        self.timezone.choices = choices({zone: zone.replace("_", " ") for zone in zones})

    def validate_ends_on(self, field) -> None:
        """The last day is not before the first."""
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def values(self) -> dict:
        """The fields as keyword arguments for create_event / update_event."""
        names = ("name", "starts_on", "ends_on", "timezone", "venue", "language", "mail_notices")
        return {name: self[name].data for name in names}


class PhasesForm(FlaskForm):
    """Which phases are on."""

    proposals_open = BooleanField(_l("Proposals open"))
    voting_open = BooleanField(_l("Voting open"))
    planning_started = BooleanField(_l("Planning started"))


class RoomForm(FlaskForm):
    """A room: name, seats, features, slots in which it is not available."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    capacity = IntegerField(
        _l("Seats"), validators=[InputRequired(), NumberRange(min=0, max=MOST_PEOPLE)]
    )
    features = CheckboxesField(_l("Features"), choices=choices(FEATURE_LABELS))
    own_features = StringField(_l("Other features"), validators=[Length(max=300)])
    unavailable = CheckboxesField(_l("Not available in these slots"), coerce=int)
    stream_url = StringField(_l("Stream link for online guests"), validators=[Length(max=500)])

    def validate_stream_url(self, field) -> None:
        """Next to its own field, before the operation checks the same again."""
        if not is_stream_url(field.data):
            raise ValidationError(str(STREAM_URL_RULE))

    def __init__(self, *args, slots: list[Slot], **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable.choices = slot_choices(slots)

    def values(self) -> dict:
        """The fields as keyword arguments for add_room / update_room."""
        return {
            "name": self.name.data,
            "capacity": self.capacity.data,
            "features": [*self.features.data, *split_list(self.own_features.data)],
            "unavailable": self.unavailable.data,
            "stream_url": self.stream_url.data or "",
        }


def room_data(room: Room) -> dict:
    """A room as form data: known features as checkboxes, own ones as text."""
    return {
        "name": room.name,
        "capacity": room.capacity,
        "features": [feature for feature in room.features if feature in FEATURES],
        "own_features": ", ".join(f for f in room.features if f not in FEATURES),
        "unavailable": [slot.id for slot in room.unavailable],
        "stream_url": room.stream_url,
    }


def slot_choices(slots: list[Slot]) -> list[SelectChoice]:
    """Slots as checkbox choices."""
    return choices({slot.id: slot_label(slot.starts_at, slot.ends_at) for slot in slots})


class SlotSeriesForm(FlaskForm):
    """A series of equal slots, for example three 40-minute rows after lunch."""

    day = DateField(_l("First day"), validators=[InputRequired(), in_years])
    first_start = TimeField(_l("First slot starts at"), validators=[InputRequired()])
    length = IntegerField(
        _l("Length in minutes"), default=40, validators=[InputRequired(), NumberRange(5, 600)]
    )
    pause = IntegerField(
        _l("Break between slots in minutes"),
        default=10,
        validators=[InputRequired(), NumberRange(0, 600)],
    )
    count = IntegerField(
        _l("Slots per day"), default=3, validators=[InputRequired(), NumberRange(1, 24)]
    )
    days = IntegerField(
        _l("Number of days"), default=1, validators=[InputRequired(), NumberRange(1, 14)]
    )

    def series(self) -> SlotSeries:
        """The typed series."""
        names = ("day", "first_start", "length", "pause", "count", "days")
        return SlotSeries(**{name: self[name].data for name in names})


class SlotForm(FlaskForm):
    """One slot's start and end."""

    starts_at = DateTimeLocalField(
        _l("Starts"), format=DATETIME_FORMATS, validators=[InputRequired(), in_years]
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format=DATETIME_FORMATS, validators=[InputRequired(), in_years]
    )

    def validate_ends_at(self, field) -> None:
        """A slot ends after it starts."""
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))


class PitchForm(FlaskForm):
    """One pitch as a line, or many pasted lines."""

    line = StringField(_l("Pitch: title — hosts"), validators=[Length(max=1000)])
    lines = TextAreaField(_l("Several pitches, one per line"), validators=[Length(max=50_000)])

    def text(self) -> str:
        """Everything typed, one pitch per line."""
        return "\n".join(part for part in (self.line.data, self.lines.data) if part)


class TalkForm(FlaskForm):
    """A session as the organisers edit it."""

    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    hosts = StringField(_l("Hosts (separated by commas)"), validators=[Length(max=500)])
    format = SelectField(_l("Format"), choices=choices(FORMAT_LABELS))
    length = RadioField(_l("Length"), coerce=int, default=1)
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS))
    needs = CheckboxesField(_l("Needs"), choices=choices(FEATURE_LABELS))
    own_needs = StringField(_l("Other needs (separated by commas)"), validators=[Length(max=300)])
    unavailable = CheckboxesField(_l("Slots the hosts cannot do"), coerce=int)
    extra_interest = IntegerField(
        _l("Interest by show of hands"),
        default=0,
        validators=[InputRequired(), NumberRange(0, MOST_PEOPLE)],
    )

    def __init__(self, *args, slots: list[Slot], length: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable.choices = slot_choices(slots)
        lengths = dict(LENGTH_LABELS)
        if length not in lengths:  # an imported session may be longer
            lengths[length] = _l("%(count)d slots", count=length)
        self.length.choices = choices(lengths)

    def validate_version(self, field) -> None:
        """The version is the number the page was loaded with."""
        if not (field.data or "").isdigit():
            raise ValidationError(_l("Please reload the page."))

    def values(self) -> dict:
        """The fields as keyword arguments for update_talk."""
        names = ("title", "description", "format", "length", "language", "extra_interest")
        return {name: self[name].data for name in names} | {
            "version": int(self.version.data),
            "hosts": split_list(self.hosts.data),
            "needs": [*self.needs.data, *split_list(self.own_needs.data)],
            "unavailable": self.unavailable.data,
        }


def talk_data(talk: Talk) -> dict:
    """A session as form data."""
    return {
        "version": str(talk.version),
        "title": talk.title,
        "description": talk.description,
        "hosts": ", ".join(talk.hosts),
        "format": talk.format,
        "length": talk.length,
        "language": talk.language,
        "needs": [need for need in talk.needs if need in FEATURES],
        "own_needs": ", ".join(need for need in talk.needs if need not in FEATURES),
        "unavailable": [slot.id for slot in talk.unavailable],
        "extra_interest": talk.extra_interest,
    }


class MergeForm(FlaskForm):
    """The duplicate to merge into the session at hand."""

    duplicate = SelectField(_l("Duplicate to merge into this session"), coerce=int)

    def __init__(self, *args, others: list[Talk], **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate.choices = choices(
            {talk.id: f"{talk.title} ({', '.join(talk.hosts)})" for talk in others}
        )


def hands_form(talks: list[Talk], **kwargs) -> FlaskForm:
    """A form with one count per session, named `talk_<id>`, prefilled with the saved count."""

    class HandsForm(FlaskForm):
        pass

    for talk in talks:
        field = IntegerField(
            talk.title,
            default=talk.extra_interest,
            validators=[Optional(), NumberRange(min=0, max=MOST_PEOPLE)],
        )
        setattr(HandsForm, f"talk_{talk.id}", field)
    return HandsForm(**kwargs)


def hands_counts(form: FlaskForm, talks: list[Talk]) -> dict[int, int]:
    """The counts typed in a hands form, by session id; blank counts as 0."""
    return {talk.id: form[f"talk_{talk.id}"].data or 0 for talk in talks}
