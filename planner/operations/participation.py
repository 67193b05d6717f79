"""What proposers and attendees do without an account: pitch, edit, withdraw, mark, unmark.

Operations flush and never commit; the view commits once. Each one checks the event's phase
itself, so no caller can write outside it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import ConflictError, UserInputError
from ..extensions import db
from ..models import BY_PROPOSER, FEATURES, FORMATS, LANGUAGES, Ballot, Event, Talk, utcnow
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

    This runs first in its request, so rolling back on a clash loses nothing else. (A
    SAVEPOINT would be neater, but SQLite's driver commits a savepoint that opens a
    transaction.)
    """
    event_id = event.id
    try:
        ballot = Ballot(event=event, token=token)
        db.session.add(ballot)
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        ballot = db.session.scalar(
            sa.select(Ballot).where(Ballot.event_id == event_id, Ballot.token == token)
        )
    return ballot


def set_mark(ballot: Ballot, talk: Talk, marked: bool) -> bool:
    """Mark the session on the ballot, or unmark it; return whether it is marked now.

    The caller says which state it wants rather than asking to flip it: a tap sent twice, or
    from a page that shows an old state, then cannot undo what the attendee meant.
    """
    _check_voting(ballot)
    if talk.event_id != ballot.event_id or talk.withdrawn:
        raise UserInputError(_("This session cannot be marked."))
    if marked and talk not in ballot.marks:
        ballot.marks.append(talk)
    elif not marked and talk in ballot.marks:
        ballot.marks.remove(talk)
    ballot.updated_at = utcnow()
    db.session.flush()
    return marked


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


def voting_order(talks: list[Talk], token: str) -> list[Talk]:
    """The sessions in an order of their own for this device, the same on every reload.

    Sorting by a keyed hash rather than shuffling keeps everyone's order stable when a
    session is added later, and no session sits first for many attendees.
    """

    def rank(talk: Talk) -> str:
        return hashlib.sha256(f"{token}:{talk.id}".encode()).hexdigest()

    return sorted(talks, key=rank)
