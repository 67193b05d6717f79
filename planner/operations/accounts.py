"""Accounts, roles per event and invitations: the writes behind login, account and team pages.

Every function flushes and never commits; the view or command commits once. What cannot be
done raises UserInputError with the reason in words.
"""

from __future__ import annotations

import re
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import UserInputError
from ..extensions import db
from ..models import (
    ORGANISER,
    OWNER,
    ROLES,
    Event,
    Invitation,
    Membership,
    User,
    normal_email,
    utcnow,
)

MIN_PASSWORD = 8
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password")


def user_by_email(email: str) -> User | None:
    """The account with this email address, in any case."""
    return db.session.scalar(sa.select(User).where(User.email == normal_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, else None (never saying which)."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)  # as slow as a wrong password
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def email_problems(email: str) -> list[str]:
    """What is wrong with an email address as typed."""
    if not EMAIL.fullmatch(normal_email(email)) or len(email) > 254:
        return [_("Please enter an email address such as name@example.org.")]
    return []


def password_problems(password: str) -> list[str]:
    """What is wrong with a new password."""
    if len(password) < MIN_PASSWORD:
        return [_("The password needs at least %(min)d characters.", min=MIN_PASSWORD)]
    return []


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    """Create an account; refuse an email address that already has one."""
    problems = email_problems(email)
    if not name.strip():
        problems.append(_("Please enter a name."))
    if problems:
        raise UserInputError(problems)
    if user_by_email(email) is not None:
        raise UserInputError(
            _("An account with the email %(email)s exists already.", email=normal_email(email))
        )
    user = User(
        email=normal_email(email),
        name=name.strip(),
        password_hash=generate_password_hash(password),
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def change_password(user: User, old: str, new: str) -> None:
    """Set a new password after checking the old one; other sessions end."""
    if not check_password_hash(user.password_hash, old):
        raise UserInputError(_("The current password is wrong."))
    problems = password_problems(new)
    if problems:
        raise UserInputError(problems)
    user.password_hash = generate_password_hash(new)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Make every session cookie issued so far worthless ("log out everywhere")."""
    user.session_version += 1
    db.session.flush()


# roles


def events_of(user: User) -> list[Event]:
    """The events the user organises, newest first; admins see all."""
    query = sa.select(Event).order_by(Event.starts_on.desc(), Event.id.desc())
    if not user.is_admin:
        query = query.join(Membership, Membership.event_id == Event.id).where(
            Membership.user_id == user.id
        )
    return list(db.session.scalars(query))


def add_member(event: Event, user: User, role: str) -> Membership:
    """Give the user a role in the event; an existing member can only be promoted."""
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.event_id == event.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(event=event, user=user, role=role)
        db.session.add(membership)
    elif role == OWNER:
        membership.role = OWNER
    db.session.flush()
    return membership


def team(event: Event) -> list[Membership]:
    """The event's members: owners first, then by name."""
    query = (
        sa.select(Membership)
        .join(Membership.user)
        .where(Membership.event_id == event.id)
        .order_by(Membership.role != OWNER, User.name, User.id)
    )
    return list(db.session.scalars(query))


def change_role(membership: Membership, role: str) -> None:
    """Make a member owner or organiser; the last owner stays owner."""
    if role not in ROLES:
        raise UserInputError(_("Choose a role."))
    if membership.role == OWNER and role != OWNER:
        _step_down(membership, role)
    else:
        membership.role = role
        db.session.flush()


def remove_member(membership: Membership) -> None:
    """Take a member off the team; the last owner cannot be removed."""
    if membership.role == OWNER:
        _step_down(membership, ORGANISER)
    db.session.delete(membership)
    db.session.flush()


def _step_down(owner: Membership, role: str) -> None:
    """Give an owner another role, unless no other owner would be left.

    Two owners demoting each other at the same moment must not leave the event with none.
    The owners' rows are locked first (PostgreSQL: the second demotion waits, then sees one
    owner), and the change itself is one statement that counts the other owners: SQLite runs
    writes one at a time, so the second statement sees the first one's change and changes
    nothing.
    """
    owners = db.session.scalars(
        sa.select(Membership.id)
        .where(Membership.event_id == owner.event_id, Membership.role == OWNER)
        .with_for_update()
    ).all()
    if set(owners) <= {owner.id} or not demote_if_another_owner(owner, role):
        raise _no_owner_left()


def demote_if_another_owner(owner: Membership, role: str) -> bool:
    """Give an owner another role in one statement that counts the other owners (whether it
    did): whatever ran before, it never leaves the event without an owner."""
    other = aliased(Membership)
    others = (
        sa.select(sa.func.count(other.id))
        .where(other.event_id == owner.event_id, other.role == OWNER, other.id != owner.id)
        .scalar_subquery()
    )
    changed = db.session.execute(
        sa.update(Membership)
        .where(Membership.id == owner.id, Membership.role == OWNER, others > 0)
        .values(role=role)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        set_committed_value(owner, "role", role)
    return bool(changed)


def _no_owner_left() -> UserInputError:
    return UserInputError(_("An event needs at least one owner: make someone else an owner first."))


def adopt_ownerless_events(user: User) -> list[Event]:
    """Make the user owner of every event that has no owner (events from before accounts)."""
    owned = sa.select(Membership.event_id).where(Membership.role == OWNER)
    events = list(db.session.scalars(sa.select(Event).where(Event.id.not_in(owned))))
    for event in events:
        add_member(event, user, OWNER)
    return events


# invitations


def invite(event: Event, email: str, role: str, invited_by: User) -> Invitation:
    """Create an invitation link for this email; it replaces an open one for the same email."""
    problems = email_problems(email)
    if role not in ROLES:
        problems.append(_("Choose a role."))
    if problems:
        raise UserInputError(problems)
    email = normal_email(email)
    member = user_by_email(email)
    if member is not None and any(m.event_id == event.id for m in member.memberships):
        raise UserInputError(_("%(email)s is in the team already.", email=email))
    for old in open_invitations(event):
        if old.email == email:
            db.session.delete(old)
    invitation = Invitation(event=event, email=email, role=role, invited_by=invited_by)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def open_invitations(event: Event) -> list[Invitation]:
    """Invitations not accepted yet (expired ones too, so they can be renewed), newest first."""
    query = (
        sa.select(Invitation)
        .where(Invitation.event_id == event.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(db.session.scalars(query))


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation with this token, if any."""
    return db.session.scalar(sa.select(Invitation).where(Invitation.token == token))


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why an invitation cannot be accepted: "unknown", "used", "expired", or None."""
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.expired:
        return "expired"
    return None


def accept(invitation: Invitation, user: User) -> Membership:
    """Accept the invitation as this user (whose email it must be); it works once."""
    if invitation_problem(invitation) is not None:
        raise UserInputError(_("This invitation cannot be used any more."))
    if user.email != invitation.email:
        raise UserInputError(_("This invitation is for %(email)s.", email=invitation.email))
    # Only one request can set accepted_at; a second one at the same moment updates nothing.
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise UserInputError(_("This invitation cannot be used any more."))
    return add_member(invitation.event, user, invitation.role)


def accept_as_new(invitation: Invitation, name: str, password: str) -> User:
    """Create the invited person's account with this name and password, and accept."""
    if invitation_problem(invitation) is not None:
        raise UserInputError(_("This invitation cannot be used any more."))
    problems = password_problems(password)
    if problems:
        raise UserInputError(problems)
    user = create_user(invitation.email, name, password)
    accept(invitation, user)
    return user


def revoke(invitation: Invitation) -> None:
    """Delete an invitation that has not been accepted; its link stops working."""
    if invitation.accepted_at is None:
        db.session.delete(invitation)
        db.session.flush()
