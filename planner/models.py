"""Typed SQLAlchemy models: one concept per class, invariants as named constraints.

The scheduler knows sessions, rooms and slots by string ids; here they are the row ids with a
prefix (`s12`, `r3`, `t7`, voters `v40`), see the `key` properties.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

FORMATS = ("talk", "discussion", "workshop", "hands-on")
BY_PROPOSER, BY_ORGANISERS = "proposer", "organisers"  # Talk.withdrawn_by
FEATURES = ("projector", "stream", "accessible", "whiteboard")
LANGUAGES = ("de", "en")


def utcnow() -> datetime:
    """The current time in UTC, naive, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    """An unguessable token for private links and device ballots."""
    return secrets.token_urlsafe(24)


def new_feed_key() -> str:
    """A random key for a ballot's calendar feed (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


room_unavailable = sa.Table(
    "room_unavailable",
    db.metadata,
    sa.Column("room_id", sa.ForeignKey("room.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("slot_id", sa.ForeignKey("slot.id", ondelete="CASCADE"), primary_key=True),
)

talk_unavailable = sa.Table(
    "talk_unavailable",
    db.metadata,
    sa.Column("talk_id", sa.ForeignKey("talk.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("slot_id", sa.ForeignKey("slot.id", ondelete="CASCADE"), primary_key=True),
)

ballot_mark = sa.Table(
    "ballot_mark",
    db.metadata,
    sa.Column("ballot_id", sa.ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("talk_id", sa.ForeignKey("talk.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    """A barcamp: its settings, phases, rooms, slots, sessions, ballots and plans."""

    __tablename__ = "event"
    __table_args__ = (sa.CheckConstraint("language IN ('de', 'en')", name="language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Berlin")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    language: Mapped[str] = mapped_column(sa.String(2), default="de")
    proposals_open: Mapped[bool] = mapped_column(default=False)
    voting_open: Mapped[bool] = mapped_column(default=False)
    planning_started: Mapped[bool] = mapped_column(default=False)
    # Only people with a code from their badge may vote (one code, one ballot).
    voting_codes_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.position, Room.id"
    )
    slots: Mapped[list[Slot]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Slot.starts_at, Slot.id"
    )
    talks: Mapped[list[Talk]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Talk.id"
    )
    ballots: Mapped[list[Ballot]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Ballot.id"
    )
    plans: Mapped[list[PlanVersion]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="PlanVersion.number"
    )
    voting_codes: Mapped[list[VotingCode]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="VotingCode.id"
    )

    @property
    def active_talks(self) -> list[Talk]:
        """Sessions that are not withdrawn."""
        return [talk for talk in self.talks if not talk.withdrawn]


class Room(db.Model):
    """A room with seats, features and the slots in which it is not available."""

    __tablename__ = "room"
    __table_args__ = (sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    capacity: Mapped[int] = mapped_column(default=0)
    features: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    # Where online guests follow the sessions in this room (hybrid rooms); empty when none.
    stream_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    event: Mapped[Event] = relationship(back_populates="rooms")
    unavailable: Mapped[list[Slot]] = relationship(secondary=room_unavailable)

    @property
    def key(self) -> str:
        """The room's id in event@1 and plan@1 documents."""
        return f"r{self.id}"


class Slot(db.Model):
    """A time slot; start and end are local times in the event's timezone."""

    __tablename__ = "slot"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="slots")

    @property
    def key(self) -> str:
        """The slot's id in event@1 and plan@1 documents."""
        return f"t{self.id}"


class Talk(db.Model):
    """A pitched session (named Talk so it never shadows Flask's or SQLAlchemy's session)."""

    __tablename__ = "talk"
    __table_args__ = (
        sa.CheckConstraint("length BETWEEN 1 AND 4", name="length_range"),
        sa.CheckConstraint("extra_interest >= 0", name="extra_interest_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    hosts: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    format: Mapped[str] = mapped_column(sa.String(20), default="talk")
    length: Mapped[int] = mapped_column(default=1)
    language: Mapped[str] = mapped_column(sa.String(2), default="de")
    needs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    extra_interest: Mapped[int] = mapped_column(default=0)
    pinned_room_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("room.id", ondelete="SET NULL")
    )
    pinned_slot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("slot.id", ondelete="SET NULL")
    )
    withdrawn: Mapped[bool] = mapped_column(default=False)
    # Who withdrew it: a proposer may only take back their own withdrawal.
    withdrawn_by: Mapped[str | None] = mapped_column(sa.String(16))
    edit_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    event: Mapped[Event] = relationship(back_populates="talks")
    unavailable: Mapped[list[Slot]] = relationship(secondary=talk_unavailable)
    pinned_room: Mapped[Room | None] = relationship(foreign_keys=[pinned_room_id])
    pinned_slot: Mapped[Slot | None] = relationship(foreign_keys=[pinned_slot_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict

    @property
    def key(self) -> str:
        """The session's id in event@1 and plan@1 documents."""
        return f"s{self.id}"


class Ballot(db.Model):
    """One device's marks: the cookie holds `token`; online voters follow remotely."""

    __tablename__ = "ballot"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "token", name="uq_ballot_event_token"),
        sa.UniqueConstraint("event_id", "feed_key", name="uq_ballot_event_feed_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(sa.String(64), default=new_token)
    # Names the ballot in its calendar feed's address. Not the token, which gives the right to
    # vote; not the row id, which a restore into another database changes. Unique per event,
    # like the token: the feed is found by (event, key), and a restored copy keeps its keys.
    feed_key: Mapped[str] = mapped_column(sa.String(32), default=new_feed_key)
    online: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Of marked sessions that clash in the published plan, the ids of those the attendee chose
    # to go to; the agenda shows the others as skipped.
    chosen: Mapped[list[int]] = mapped_column(sa.JSON, default=list, server_default="[]")

    event: Mapped[Event] = relationship(back_populates="ballots")
    marks: Mapped[list[Talk]] = relationship(secondary=ballot_mark, order_by="Talk.id")

    @property
    def key(self) -> str:
        """The voter's id in event@1 documents."""
        return f"v{self.id}"


class PlanVersion(db.Model):
    """A plan@1 document for an event: the organisers' draft (not published) or an
    immutable published version."""

    __tablename__ = "plan_version"
    __table_args__ = (sa.UniqueConstraint("event_id", "number", name="uq_plan_event_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    document: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    # Counts the draft's changes: a move sent from an older board is refused, not applied
    # over someone else's change (optimistic locking; published versions never change).
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 - SQLAlchemy's own dict

    event: Mapped[Event] = relationship(back_populates="plans")


class VotingCode(db.Model):
    """A code printed on a badge: whoever enters it votes with the ballot it belongs to."""

    __tablename__ = "voting_code"
    __table_args__ = (sa.UniqueConstraint("event_id", "code", name="uq_voting_code_event_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(16))
    ballot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ballot.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="voting_codes")
    ballot: Mapped[Ballot | None] = relationship()


# --- Organiser accounts, their roles per event, and invitations (issue 5) -------------------

OWNER, ORGANISER = "owner", "organiser"  # Membership.role, Invitation.role
ROLES = (OWNER, ORGANISER)
INVITATION_DAYS = 7


def _in_a_week() -> datetime:
    return utcnow() + timedelta(days=INVITATION_DAYS)


class User(db.Model):
    """An organiser's account; admins (site-wide) create events and see all of them.

    It is Flask-Login's user: `is_active`, `is_authenticated`, `is_anonymous`, `get_id()`.
    """

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (see normal_email), so the unique constraint ignores case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the id in every session cookie: raising it ends all sessions made before.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    is_authenticated = True  # a loaded account is a logged-in one (inactive ones never load)
    is_anonymous = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: row id and session version."""
        return f"{self.id}:{self.session_version}"


def normal_email(email: str) -> str:
    """An email address as stored: without surrounding spaces, lower-cased."""
    return email.strip().lower()


class Membership(db.Model):
    """A user's role in one event: owners also manage the team."""

    __tablename__ = "membership"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "event_id", name="uq_membership_user_event"),
        sa.CheckConstraint("role IN ('owner', 'organiser')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found by user through the unique constraint's index (user_id comes first).
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    event: Mapped[Event] = relationship()


class Invitation(db.Model):
    """A link that lets whoever has the invited email address join an event's team."""

    __tablename__ = "invitation"
    __table_args__ = (
        sa.CheckConstraint("role IN ('owner', 'organiser')", name="role"),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(16))
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(default=_in_a_week)
    accepted_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @property
    def expired(self) -> bool:
        """Whether the link is too old to be accepted."""
        return self.expires_at <= utcnow()


# --- Background solves ---------------------------------------------------------------------

QUEUED, RUNNING, DONE, FAILED, STOPPED = "queued", "running", "done", "failed", "stopped"
ACTIVE_JOB_STATES = (QUEUED, RUNNING)
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED, STOPPED)
_ACTIVE = sa.text("status IN ('queued', 'running')")


class SolveJob(db.Model):
    """A solve of an event's plan that runs in the background, with its progress and result.

    The draft is replaced only when the job ends well and the draft's revision is still
    `draft_revision`; otherwise the plan stays here (`plan`) for the organisers to take or
    leave. At most one queued or running job per event: a partial unique index.
    """

    __tablename__ = "solve_job"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'stopped')", name="status"
        ),
        sa.Index(
            "uq_solve_job_active_event",
            "event_id",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    keep: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[str] = mapped_column(sa.String(16), default=QUEUED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Last sign of life from whoever runs it: a job silent for long was lost with its process.
    heartbeat_at: Mapped[datetime | None]
    time_limit: Mapped[float]
    # [{seconds, scheduled, missed, attendable_share, bound}, ...] in the order found.
    progress: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    plan: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # plan@1, the best found
    error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    stop_requested: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    draft_revision: Mapped[int] = mapped_column(default=0)
    applied: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    language: Mapped[str] = mapped_column(sa.String(2), default="de", server_default="de")

    event: Mapped[Event] = relationship()

    @property
    def active(self) -> bool:
        """Whether the job is waiting or running."""
        return self.status in ACTIVE_JOB_STATES


# --- Rate limits shared by all web processes ------------------------------------------------


class RateCount(db.Model):
    """How often something was done under one rate-limit key in the current window.

    Only where no Redis is configured, for the limits that must hold across web processes
    (new ballots per address). The key holds a keyed hash of the address, never the address.
    """

    __tablename__ = "rate_count"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(index=True)
