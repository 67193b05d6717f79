"""Owners racing each other on the team page: whatever two owners do at the same moment
(demote or remove each other, or themselves), the event keeps an owner and nobody gets a
server error. On SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import random
from functools import partial

import pytest

from planner.extensions import db
from planner.models import ORGANISER, OWNER, Membership
from planner.operations import accounts

from ..conftest import make_user
from ..web.test_auth import _owners, _race, login, new_event
from .test_public_input import no_server_error

ROUNDS = 12


@pytest.fixture
def owners(app, client):
    """Two owners of one event, each logged in in a browser of their own."""
    olga = make_user("olga@example.org", "Olga")
    otto = make_user("otto@example.org", "Otto")
    event = new_event("Barcamp Fulda", olga)
    other = app.test_client()
    login(client, "olga@example.org")
    login(other, "otto@example.org")
    return event, (olga, client), (otto, other)


def test_owners_doing_anything_at_once_always_leave_one(owners):
    event, (olga, first), (otto, second) = owners
    pick = random.Random(5)  # fixed: the same rounds in every run
    team = f"/organise/{event.slug}/team"
    for _round in range(ROUNDS):
        accounts.add_member(event, olga, OWNER)
        accounts.add_member(event, otto, OWNER)
        db.session.commit()
        ids = {
            user.id: db.session.scalar(
                db.select(Membership.id).where(
                    Membership.user_id == user.id, Membership.event_id == event.id
                )
            )
            for user in (olga, otto)
        }
        calls = []
        for client in (first, second):
            target = ids[pick.choice([olga.id, otto.id])]
            action = pick.choice(["role", "remove"])
            calls.append(
                partial(client.post, f"{team}/{target}/{action}", data={"role": ORGANISER})
            )
        for response in _race(*calls):
            no_server_error(response)
        assert _owners(event) >= 1
