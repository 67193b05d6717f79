"""Hostile input at every organiser form and at the JSON imports (event@1, plan@1 and
backup@1): never a 500, and a refused form or file writes nothing at all (every row of every
table is compared before and after)."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..web.test_auth import snapshot
from .test_public_input import EXAMPLES, fuzz, hostile, no_server_error

# JSON of any shape, with the keys the formats use mixed in so that the checks get past the
# first level now and then.
KEYS = ["format", "event", "rooms", "slots", "sessions", "voters", "assignments", "id", "name"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | hostile, children, max_size=5)
    ),
    max_leaves=20,
)
FORMATS = [
    "barcamp-planner/event@1",
    "barcamp-planner/plan@1",
    "barcamp-planner/backup@1",
    "nonsense",
]


TALK_FIELDS = [
    *("version", "title", "description", "hosts", "format", "length", "language"),
    *("needs", "own_needs", "unavailable", "extra_interest"),
]


def forms(slug: str, room: int, slot: int, talk: int) -> list[tuple[str, list[str]]]:
    """Every organiser form: its address and its fields."""
    base = f"/organise/{slug}"
    return [
        ("/organise/new", ["name", "starts_on", "ends_on", "timezone", "venue", "language"]),
        (f"{base}/settings", ["name", "starts_on", "ends_on", "timezone", "venue", "language"]),
        (f"{base}/phases", ["proposals_open", "voting_open", "planning_started"]),
        (f"{base}/rooms", ["name", "capacity", "features", "own_features", "stream_url"]),
        (f"{base}/rooms/{room}", ["name", "capacity", "unavailable", "stream_url"]),
        (f"{base}/slots/generate", ["day", "first_start", "length", "pause", "count", "days"]),
        (f"{base}/slots/{slot}", ["starts_at", "ends_at"]),
        (f"{base}/pitches", ["line", "lines"]),
        (f"{base}/talks/{talk}", TALK_FIELDS),
        (f"{base}/talks/{talk}/merge", ["duplicate"]),
        (f"{base}/hands", [f"talk-{talk}", "field"]),
        (f"{base}/team", ["email", "role"]),
        (f"{base}/codes/generate", ["count"]),
        (f"{base}/plan/move", ["talk", "place", "revision"]),
        (f"{base}/plan/pin", ["talk", "pinned", "revision"]),
        (f"{base}/plan/undo", ["revision", "places"]),
        (f"{base}/plan/reset", ["version", "revision", "places"]),
        (f"{base}/phases/voting_open", ["open"]),
        (f"{base}/talks/{talk}/off-public-plan", ["csrf_token"]),
    ]


@pytest.fixture
def organiser(client, auth, demo_event):
    auth.login()
    return client


@fuzz
@given(choice=st.integers(min_value=0, max_value=18), values=st.lists(hostile, min_size=12))
def test_every_organiser_form(organiser, demo_event, choice, values):
    url, fields = forms(
        demo_event.slug, demo_event.rooms[0].id, demo_event.slots[0].id, demo_event.talks[0].id
    )[choice]
    before = snapshot()
    response = organiser.post(url, data=dict(zip(fields, values, strict=False)))
    no_server_error(response)
    if response.status_code != 302:  # the form came back: nothing may have changed
        assert snapshot() == before, url


@fuzz
@given(document=json_values, format_=st.sampled_from(FORMATS), raw=st.booleans())
def test_every_json_import(organiser, demo_event, document, format_, raw):
    if isinstance(document, dict) and not raw:
        document["format"] = format_
    body = json.dumps(document).encode() if not raw else str(document).encode()
    slug = demo_event.slug
    for url, field in (
        ("/organise/import", "document"),
        (f"/organise/{slug}/import/plan", "document"),
        ("/organise/restore", "backup"),
    ):
        before = snapshot()
        response = organiser.post(
            url,
            data={field: (io.BytesIO(body), "upload.json")},
            content_type="multipart/form-data",
        )
        no_server_error(response)
        assert snapshot() == before, f"{url} wrote something from a broken file"


CASES = 2 * EXAMPLES  # in this module; the README reports the total with the public ones
