"""Typed SQLAlchemy models: one concept per class, invariants as named constraints.

The scheduler knows sessions, rooms and slots by string ids; here they are the row ids with a
prefix (`s12`, `r3`, `t7`, voters `v40`), see the `key` properties.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
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
    __table_args__ = (sa.UniqueConstraint("event_id", "token", name="uq_ballot_event_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(sa.String(64), default=new_token)
    online: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

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

    event: Mapped[Event] = relationship(back_populates="plans")
