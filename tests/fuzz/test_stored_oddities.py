"""Every public output tolerates whatever is stored: odd dates, control characters and
overlong texts that an older import, a restore or a database tool may have left. Never a 500,
and the feeds stay well-formed (the XML parses, the calendar holds no forbidden character)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from lxml import etree

from planner.extensions import db
from planner.operations import planning

from .test_public_input import no_server_error

# Every page and file the public can fetch for one event; {room}, {talk} and {code} are filled
# in from the event.
PUBLIC_OUTPUTS = [
    "/e/{slug}/",
    "/e/{slug}/schedule",
    "/e/{slug}/schedule/print",
    "/e/{slug}/schedule.xml",
    "/e/{slug}/schedule.csv",
    "/e/{slug}/schedule.ics",
    "/e/{slug}/schedule.json",
    "/e/{slug}/schedule.pdf",
    "/e/{slug}/sessions/{talk}",
    "/e/{slug}/agenda",
    "/e/{slug}/agenda/{code}.ics",
    "/e/{slug}/board",
    "/e/{slug}/board.json",
    "/e/{slug}/board?at=0001-01-01T00:00",
    "/e/{slug}/rooms/{room}/door",
    "/e/{slug}/print/cards",
    "/e/{slug}/print/doors",
    "/e/{slug}/print/poster",
    "/e/{slug}/vote",
    "/e/{slug}/propose",
]
# What RFC 5545 forbids in a calendar's text: control characters other than tab, line feed
# and carriage return (which folding uses).
FORBIDDEN_IN_ICS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ODD_STARTS = {
    "year one": datetime(1, 1, 1, 0, 0),
    "year 9999": datetime(9999, 12, 31, 23, 0),
    "a leap second's neighbour": datetime(2026, 12, 31, 23, 59, 59),
}
ODD_TEXTS = {
    "control characters": "Open\x01Data\x08im\x0bAmt\x1b[31m\x7f",
    "a zero-width joiner and a right-to-left mark": "KI\u200d im \u202eAmt",
    "markup": "</title><script>alert(1)</script>]]>",
    "a very long title": "Sehr langer Titel " * 300,
}


@pytest.fixture
def published(app, client, demo_event):
    """The demo with a published plan and a device whose agenda holds a session."""
    planning.generate(demo_event, keep=False, time_limit=0.5, workers=1)
    planning.publish(demo_event)
    db.session.commit()
    return demo_event


def _placed_talk(event):
    placed = {
        item["session"] for item in planning.published_versions(event)[-1].document["assignments"]
    }
    return next(talk for talk in event.talks if talk.key in placed)


def _get_every_output(client, event) -> list[tuple[str, object]]:
    client.post(f"/e/{event.slug}/vote/{event.talks[0].id}")  # a device with a ballot
    ballot = event.ballots[-1]
    fields = {
        "slug": event.slug,
        "talk": _placed_talk(event).id,
        "room": event.rooms[0].id,
        "code": ballot.feed_key,
    }
    answers = []
    for address in PUBLIC_OUTPUTS:
        url = address.format(**fields)
        response = client.get(url)
        no_server_error(response)
        answers.append((url, response))
    return answers


def _check_feeds(answers) -> None:
    for url, response in answers:
        if response.status_code != 200:
            continue
        if url.endswith(".xml"):
            etree.fromstring(response.data)  # well-formed, or this raises
        if url.endswith(".ics"):
            text = response.get_data(as_text=True)
            assert not FORBIDDEN_IN_ICS.search(text), url


@pytest.mark.parametrize("start", ODD_STARTS.values(), ids=ODD_STARTS.keys())
def test_an_odd_stored_date_never_gives_a_server_error(client, published, start):
    slot = published.slots[0]
    slot.starts_at, slot.ends_at = start, min(start + timedelta(minutes=40), datetime.max)
    if slot.ends_at <= slot.starts_at:
        slot.starts_at = start - timedelta(minutes=40)
    db.session.commit()
    _check_feeds(_get_every_output(client, published))


@pytest.mark.parametrize("text", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_odd_stored_texts_never_give_a_server_error(client, published, text):
    talk = _placed_talk(published)
    talk.title, talk.description, talk.hosts = text[:200], text, [text]  # as long as stored
    published.rooms[0].name = text[:100]
    published.name = text[:200]
    db.session.commit()
    _check_feeds(_get_every_output(client, published))


CASES = len(ODD_STARTS) + len(ODD_TEXTS)  # each fetches every public output
