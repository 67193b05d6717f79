"""What proposers and attendees do without an account: pitch, edit, withdraw, mark, unmark.

Operations flush and never commit; the view commits once. Each one checks the event's phase
itself, so no caller can write outside it. A tap (mark or unmark) is the exception in form,
not in rule: `record_tap` is a unit of group commit (planner.group_commit) in Core
statements, so that a vote costs three statements and a share of one commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..errors import ConflictError, UserInputError
from ..extensions import db
from ..models import (
    BY_PROPOSER,
    FEATURES,
    FORMATS,
    LANGUAGES,
    Ballot,
    Event,
    Talk,
    VotingCode,
    ballot_mark,
    utcnow,
)
from .codes import may_vote


@dataclass(frozen=True)
class Proposal:
    """What a proposer fills in; slots they cannot do are slot keys (`t7`)."""

    title: str
    description: str
    hosts: tuple[str, ...]
    format: str
    length: int
    language: str
    needs: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()
    email: str = ""  # where the hosts are told if their published session moves


def submit_proposal(event: Event, proposal: Proposal) -> Talk:
    """Add a pitched session while proposals are open."""
    if not event.proposals_open:
        raise UserInputError(_("Proposals are closed for this event."))
    talk = Talk(event=event)
    _apply(talk, proposal)
    db.session.add(talk)
    db.session.flush()
    return talk


def update_proposal(talk: Talk, proposal: Proposal, *, version: int | None = None) -> Talk:
    """Change a session through its private link until planning starts; `version` is the one
    the proposer's page showed, so an organiser's edit since then is not overwritten."""
    _check_editable(talk)
    if version is not None and version != talk.version:
        raise ConflictError(
            _(
                "The organisers changed this session meanwhile. Check their changes below and "
                "send yours again if they are still needed."
            )
        )
    _apply(talk, proposal)
    db.session.flush()
    return talk


def withdraw_proposal(talk: Talk, *, withdrawn: bool = True) -> Talk:
    """Withdraw a session (or put it back) until planning starts; only a withdrawal by the
    proposer can be taken back here."""
    _check_editable(talk)
    if not withdrawn and talk.withdrawn_by != BY_PROPOSER:
        raise UserInputError(_("The organisers took this session off the list; please ask them."))
    talk.withdrawn = withdrawn
    talk.withdrawn_by = BY_PROPOSER if withdrawn else None
    db.session.flush()
    return talk


def _check_editable(talk: Talk) -> None:
    if talk.event.planning_started:
        raise UserInputError(_("Planning has started: the session can no longer be changed."))


def _apply(talk: Talk, proposal: Proposal) -> None:
    problems = _problems(proposal)
    if problems:
        raise UserInputError(problems)
    wanted = set(proposal.unavailable)
    talk.title = proposal.title.strip()
    talk.description = proposal.description.strip()
    talk.hosts = list(proposal.hosts)
    talk.format = proposal.format
    talk.length = proposal.length
    talk.language = proposal.language
    # Needs an organiser added beyond the standard features are not the proposer's to drop.
    own = [need for need in talk.needs or [] if need not in FEATURES]
    talk.needs = [need for need in FEATURES if need in proposal.needs] + own
    talk.unavailable = [slot for slot in talk.event.slots if slot.key in wanted]
    talk.contact_email = proposal.email.strip()[:254]


def _problems(proposal: Proposal) -> list[str]:
    """The form checks all of this first; here it guards every other caller."""
    problems = []
    if not proposal.title.strip():
        problems.append(_("A title is needed."))
    if not proposal.hosts:
        problems.append(_("At least one host is needed."))
    if proposal.format not in FORMATS or proposal.language not in LANGUAGES:
        problems.append(_("Unknown format or language."))
    if proposal.length not in (1, 2):
        problems.append(_("A session takes one or two slots."))
    return problems


def parse_hosts(text: str) -> tuple[str, ...]:
    """Comma-separated names, trimmed, without empties and repeats."""
    names = (name.strip() for name in (text or "").split(","))
    return tuple(dict.fromkeys(name for name in names if name))


def ballot_for(event: Event, token: str | None, *, create: bool = False) -> Ballot | None:
    """The device's ballot for the event; with `create`, make it on first use."""
    if not token:
        return None
    ballot = db.session.scalar(
        sa.select(Ballot).where(Ballot.event_id == event.id, Ballot.token == token)
    )
    if ballot is None and create:
        ballot = _new_ballot(event, token)
    return ballot


def ballot_by_feed_key(event: Event, feed_key: str | None) -> Ballot | None:
    """The event's ballot whose calendar feed has the key `feed_key`, if any."""
    if not feed_key:
        return None
    return db.session.scalar(
        sa.select(Ballot).where(Ballot.event_id == event.id, Ballot.feed_key == feed_key)
    )


def _new_ballot(event: Event, token: str) -> Ballot:
    """Insert the device's ballot; if a second tap of the same device got there first, use
    that one (the unique (event, token) constraint decides, not a read before the write).

    An insert that does nothing on that conflict: the request's other work stays, and the
    boundary alone commits or rolls back.
    """
    connection = db.session.connection()
    connection.execute(
        _upsert(connection, Ballot.__table__)
        .values(event_id=event.id, token=token)
        .on_conflict_do_nothing()
    )
    return db.session.scalars(
        sa.select(Ballot).where(Ballot.event_id == event.id, Ballot.token == token)
    ).one()


def set_online(ballot: Ballot, online: bool) -> Ballot:
    """Record whether the attendee follows online (then only streamed rooms count)."""
    _check_voting(ballot)
    ballot.online = online
    ballot.updated_at = utcnow()
    db.session.flush()
    return ballot


def _check_voting(ballot: Ballot) -> None:
    if not ballot.event.voting_open:
        raise UserInputError(_("Voting is closed."))
    if not may_vote(ballot.event, ballot):
        raise UserInputError(_("Please enter the voting code from your badge first."))


def mark_count(ballot: Ballot | None) -> int:
    """How many active sessions the ballot marks."""
    if ballot is None:
        return 0
    return sum(1 for talk in ballot.marks if not talk.withdrawn)


def active_versions(event: Event) -> list[sa.Row]:
    """The event's active sessions as (id, version) rows, without loading them whole."""
    return db.session.execute(
        sa.select(Talk.id, Talk.version).where(
            Talk.event_id == event.id, Talk.withdrawn == sa.false()
        )
    ).all()


def marked_ids(ballot_id: int | None) -> set[int]:
    """The ids of the sessions a ballot marks (withdrawn ones too)."""
    if ballot_id is None:
        return set()
    return set(
        db.session.scalars(
            sa.select(ballot_mark.c.talk_id).where(ballot_mark.c.ballot_id == ballot_id)
        )
    )


def talks_by_id(ids: list[int]) -> list[Talk]:
    """The sessions with these ids."""
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Talk).where(Talk.id.in_(ids))))


def voting_order(talks: list[Talk], token: str) -> list[Talk]:
    """The sessions in an order of their own for this device, the same on every reload.

    Sorting by a keyed hash rather than shuffling keeps everyone's order stable when a
    session is added later, and no session sits first for many attendees.
    """

    def rank(talk: Talk) -> str:
        return hashlib.sha256(f"{token}:{talk.id}".encode()).hexdigest()

    return sorted(talks, key=rank)


# --- the lean mark: one tap as a unit of group commit (planner.group_commit) ---------------

MISSING, CLOSED, NEEDS_CODE, TOO_MANY_NEW = "missing", "closed", "needs-code", "too-many-new"


@dataclass(frozen=True)
class Tap:
    """One tap on the voting page: the event, the session, the device and the state asked."""

    slug: str
    talk_id: int
    token: str
    marked: bool


@dataclass(frozen=True)
class TapResult:
    """What a tap did: a refusal (one of the names above) or the state and the count now."""

    refusal: str | None = None
    marked: bool = False
    count: int = 0


_event, _talk, _ballot = Event.__table__, Talk.__table__, Ballot.__table__
_code = VotingCode.__table__

# One read authorises a tap: the event by its address, the session if it may be marked, the
# device's ballot and, for events with codes, whether that ballot came with one.
_AUTHORISE = (
    sa.select(
        _event.c.voting_open,
        _event.c.voting_codes_required,
        _talk.c.id.label("talk_id"),
        _ballot.c.id.label("ballot_id"),
        _code.c.id.label("code_id"),
    )
    .select_from(
        _event.outerjoin(
            _talk,
            sa.and_(
                _talk.c.event_id == _event.c.id,
                _talk.c.id == sa.bindparam("talk_id"),
                _talk.c.withdrawn == sa.false(),
            ),
        )
        .outerjoin(
            _ballot,
            sa.and_(_ballot.c.event_id == _event.c.id, _ballot.c.token == sa.bindparam("token")),
        )
        .outerjoin(_code, _code.c.ballot_id == _ballot.c.id)
    )
    .where(_event.c.slug == sa.bindparam("slug"))
)

# The ballot's change time and, in the same statement, its count of active marks.
_TOUCH_AND_COUNT = (
    _ballot.update()
    .where(_ballot.c.id == sa.bindparam("ballot_id"))
    .values(updated_at=sa.bindparam("now"))
    .returning(
        sa.select(sa.func.count())
        .select_from(ballot_mark.join(_talk, _talk.c.id == ballot_mark.c.talk_id))
        # The ballot by its parameter, not by the updated row: SQLite names the columns of
        # a RETURNING clause without their tables, so "ballot.id" would read as talk's id.
        .where(
            ballot_mark.c.ballot_id == sa.bindparam("ballot_id"), _talk.c.withdrawn == sa.false()
        )
        .scalar_subquery()
    )
)


def record_tap(connection: Connection, tap: Tap, may_start_ballot) -> TapResult:
    """Mark or unmark a session for a device in three statements (four on its first mark).

    Args:
        connection: in a transaction; nothing here commits.
        tap: what was asked.
        may_start_ballot: called with the connection before a new ballot is made; False
            refuses it (the limit on new ballots per address).
    """
    found = connection.execute(
        _AUTHORISE, {"slug": tap.slug, "talk_id": tap.talk_id, "token": tap.token}
    ).first()
    if found is None or found.talk_id is None:
        return TapResult(MISSING)
    if not found.voting_open:
        return TapResult(CLOSED)
    if found.voting_codes_required and found.code_id is None:
        return TapResult(NEEDS_CODE)
    ballot_id = found.ballot_id
    if ballot_id is None:
        if not tap.marked:
            return TapResult(marked=False)  # nothing to take back: no ballot is made for it
        if not may_start_ballot(connection):
            return TapResult(TOO_MANY_NEW)
        ballot_id = _start_ballot(connection, tap)
    if tap.marked:
        connection.execute(
            _upsert(connection, ballot_mark).on_conflict_do_nothing(),
            {"ballot_id": ballot_id, "talk_id": tap.talk_id},
        )
    else:
        connection.execute(
            ballot_mark.delete().where(
                ballot_mark.c.ballot_id == ballot_id, ballot_mark.c.talk_id == tap.talk_id
            )
        )
    count = connection.execute(_TOUCH_AND_COUNT, {"ballot_id": ballot_id, "now": utcnow()})
    return TapResult(marked=tap.marked, count=count.scalar_one())


def _start_ballot(connection: Connection, tap: Tap) -> int:
    """Insert the device's ballot; a second tap of the same device that got there first in
    this batch or another process keeps its own (the unique (event, token) decides)."""
    event_id = sa.select(_event.c.id).where(_event.c.slug == tap.slug).scalar_subquery()
    made = connection.execute(
        _upsert(connection, _ballot)
        .values(event_id=event_id, token=tap.token)
        .on_conflict_do_nothing()
        .returning(_ballot.c.id)
    ).scalar()
    if made is not None:
        return made
    return connection.execute(
        sa.select(_ballot.c.id).where(_ballot.c.event_id == event_id, _ballot.c.token == tap.token)
    ).scalar_one()


def _upsert(connection: Connection, table: sa.Table):
    """An INSERT that can say what to do on a conflict, in the connection's SQL dialect."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
