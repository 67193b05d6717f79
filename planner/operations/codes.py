"""Voting codes: for events where one device, one ballot is not enough, every badge carries a
code and only a device that entered one may vote. One code, one ballot: a code entered on a
second device brings the same ballot there, it never makes a second one.

Writes flush and never commit.
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import UserInputError
from ..extensions import db
from ..models import Ballot, Event, VotingCode, new_token

# No 0/O and 1/I/L: people copy the code from a badge by eye.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MOST_CODES = 2000  # per request: the largest barcamps have about that many people


def new_code() -> str:
    """A random code, e.g. "K7PXM3QD" (about 8.5 * 10^11 possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def readable(code: str) -> str:
    """How a code is printed: in two halves, "K7PX-M3QD"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalised(text: str) -> str:
    """What a person typed, as stored: no spaces or dashes, capitals."""
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def generate_codes(event: Event, count: int) -> list[VotingCode]:
    """Add `count` new codes to the event, none equal to one it has."""
    if not 1 <= count <= MOST_CODES:
        raise UserInputError(_("Make between 1 and %(most)s codes at a time.", most=MOST_CODES))
    taken = {code.code for code in event.voting_codes}
    made = []
    while len(made) < count:
        code = new_code()
        if code not in taken:
            taken.add(code)
            made.append(VotingCode(code=code))
    event.voting_codes.extend(made)
    db.session.flush()
    return made


def code_of(ballot: Ballot | None) -> VotingCode | None:
    """The code a ballot belongs to, if any."""
    if ballot is None:
        return None
    return db.session.scalar(sa.select(VotingCode).where(VotingCode.ballot_id == ballot.id))


def may_vote(event: Event, ballot: Ballot | None) -> bool:
    """Whether this ballot may mark sessions: always, unless the event requires codes."""
    return not event.voting_codes_required or code_of(ballot) is not None


def redeem(event: Event, typed: str, own: Ballot | None) -> Ballot:
    """The ballot of the code `typed`: the one it already has, else `own` (this device's),
    else a new one. Raise UserInputError for a code the event does not have."""
    if not normalised(typed):  # nothing typed is not a wrong code: say what is missing
        raise UserInputError(_("Please enter the code from your badge."))
    code = db.session.scalar(
        sa.select(VotingCode).where(
            VotingCode.event_id == event.id, VotingCode.code == normalised(typed)
        )
    )
    if code is None:
        raise UserInputError(_("This code is not valid for this event. Check it on your badge."))
    if code.ballot is not None:
        return code.ballot
    if own is None or code_of(own) is not None:  # a device that voted with another code
        own = Ballot(event=event, token=new_token())
        db.session.add(own)
    code.ballot = own
    db.session.flush()
    return own


def usage(event: Event) -> tuple[int, int]:
    """How many codes the event has, and how many of them have been entered."""
    used = sum(1 for code in event.voting_codes if code.ballot_id is not None)
    return len(event.voting_codes), used
