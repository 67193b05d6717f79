"""The table rounds forms: topic tables in one go, and a rounds@1 file to import."""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateTimeLocalField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from ...operations.rounds import QuickSetup
from ...scheduler.rounds import FREE, GROUPS, RoundsProblem
from ..labels import choices

MODE_LABELS = {
    FREE: _l("Everyone chooses freely in every round"),
    GROUPS: _l("Fixed groups move together from table to table (world café)"),
}


class QuickSetupForm(FlaskForm):
    """Topics, tables per topic, seats and rounds: the whole setup in one form."""

    topics = TextAreaField(
        _l("Topics, one per line"), validators=[DataRequired()], render_kw={"rows": 8}
    )
    tables_per_topic = IntegerField(
        _l("Tables per topic"), default=1, validators=[InputRequired(), NumberRange(1, 50)]
    )
    seats = IntegerField(
        _l("Seats per table (besides the host)"),
        default=8,
        validators=[InputRequired(), NumberRange(1, 500)],
    )
    minimum = IntegerField(
        _l("Fewest people at a table that is used"),
        default=3,
        validators=[InputRequired(), NumberRange(0, 500)],
    )
    rounds = IntegerField(
        _l("Number of rounds"), default=2, validators=[InputRequired(), NumberRange(1, 12)]
    )
    first_start = DateTimeLocalField(
        _l("First round starts"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    minutes = IntegerField(
        _l("Minutes per round"), default=25, validators=[InputRequired(), NumberRange(5, 240)]
    )
    pause = IntegerField(
        _l("Minutes between rounds"), default=5, validators=[InputRequired(), NumberRange(0, 240)]
    )
    mode = RadioField(_l("How people move"), choices=choices(MODE_LABELS), default=FREE)

    def setup(self) -> QuickSetup:
        """The typed setup."""
        return QuickSetup(
            topics=tuple(self.topics.data.splitlines()),
            tables_per_topic=self.tables_per_topic.data,
            seats=self.seats.data,
            minimum=self.minimum.data,
            rounds=self.rounds.data,
            first_start=self.first_start.data,
            minutes=self.minutes.data,
            pause=self.pause.data,
            mode=self.mode.data,
        )


def setup_defaults(problem: RoundsProblem | None) -> dict:
    """The quick setup's fields as the current tables and rounds fill them, so an organiser
    adjusts what is there (the demo's topics, say) instead of typing it again."""
    if problem is None or not problem.tables or not problem.rounds:
        return {}
    first, *later = problem.rounds
    return {
        "topics": "\n".join(problem.topics),
        "tables_per_topic": max(Counter(table.topic for table in problem.tables).values()),
        "seats": max(table.seats for table in problem.tables),
        "minimum": max(table.min for table in problem.tables),
        "rounds": len(problem.rounds),
        "first_start": first.start,
        "minutes": max(5, int((first.end - first.start).total_seconds() // 60)),
        "pause": max(0, int((later[0].start - first.end).total_seconds() // 60)) if later else 5,
        "mode": problem.mode,
    }


class ImportForm(FlaskForm):
    """A rounds@1 file."""

    document = FileField(_l("Table rounds file (rounds@1)"), validators=[FileRequired()])


class StickersForm(FlaskForm):
    """People counted from stickers: a topic and a number a line."""

    counts = TextAreaField(
        _l("Stickers per topic, one topic a line: “KI und Trends: 40”"), render_kw={"rows": 6}
    )


class VideoLinksForm(FlaskForm):
    """Video rooms of online tables: "Tisch 3: https://…" a line."""

    links = TextAreaField(
        _l("Video rooms of online tables, one a line: “Tisch 3: https://…”"),
        render_kw={"rows": 4},
    )


class NameListForm(FlaskForm):
    """People by name: "Name; Topic, Topic; Organisation" a line."""

    names = TextAreaField(
        _l("Names, one a line: “Name; Topic, Topic; Organisation”"), render_kw={"rows": 8}
    )
