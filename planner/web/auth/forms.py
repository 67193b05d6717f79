"""Forms of the login, the account page, invitations and the team page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ...models import ORGANISER, OWNER
from ...operations.accounts import MIN_PASSWORD
from ..labels import choices

ROLE_LABELS = {OWNER: _l("Owner"), ORGANISER: _l("Organiser")}
EMAIL_INPUT = {"inputmode": "email", "autocomplete": "email", "spellcheck": "false"}


def _new_password(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                message=_l("The password needs at least %(min)d characters."),
            ),
        ],
    )


def _repeat(field: str):
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo(field, message=_l("The passwords differ."))],
    )


class LoginForm(FlaskForm):
    """Email address and password."""

    email = StringField(_l("Email"), validators=[DataRequired()], render_kw=EMAIL_INPUT)
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class PasswordForm(FlaskForm):
    """Change one's password: the current one, then the new one twice."""

    old_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = _new_password(_l("New password"))
    repeat = _repeat("new_password")


class NewAccountForm(FlaskForm):
    """An invited person's name and password."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=100)])
    password = _new_password(_l("Password"))
    repeat = _repeat("password")


class InviteForm(FlaskForm):
    """Whom to invite, in which role."""

    email = StringField(_l("Email"), validators=[DataRequired()], render_kw=EMAIL_INPUT)
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS), default=ORGANISER)


class RoleForm(FlaskForm):
    """A member's new role."""

    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS))
