"""Values past every bound, at the three JSON imports and the date fields of the organiser
forms: overflowing numbers, zero bytes, dates in year 1 or 9999, numbers JSON cannot carry.
Each is refused with words in the reader's language, nothing is written, never a 500."""

from __future__ import annotations

import copy
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.operations.backup import backup_document
from planner.operations.transfer import export_event

from ..web.test_auth import snapshot
from .test_public_input import fuzz, hostile, no_server_error

# (where in an event@1 document, the value): each once a 500 or a value no page can show.
EVENT_VALUES = [
    (("rooms", 0, "capacity"), 2**63),
    (("rooms", 0, "capacity"), 2**31),
    (("sessions", 0, "extra_interest"), 10**20),
    (("sessions", 0, "length"), 10**9),
    (("sessions", 0, "length"), 5),
    (("sessions", 0, "title"), "Open\x00Data"),
    (("sessions", 0, "title"), "x" * 201),
    (("sessions", 0, "hosts"), ["A" * 201]),
    (("sessions", 0, "needs"), ["n" * 101]),
    (("sessions", 0, "description"), "d" * 10_001),
    (("rooms", 0, "name"), "R" * 101),
    (("rooms", 0, "features"), ["\x00"]),
    (("event", "name"), "E" * 201),
    (("slots", 0, "start"), "0001-01-01T00:00"),
    (("slots", -1, "end"), "9999-12-31T23:59"),
]
BACKUP_VALUES = [
    (("rooms", 0, "capacity"), 2**63),
    (("rooms", 0, "position"), -(2**40)),
    (("sessions", 0, "extra_interest"), 10**20),
    (("sessions", 0, "version"), 2**31),
    (("sessions", 0, "title"), "a\x00b"),
    (("sessions", 0, "description"), "d" * 10_001),
    (("slots", 0, "starts_at"), "0001-01-01T00:00:00"),
    (("event", "starts_on"), "9999-12-31"),
    (("ballots", 0, "updated_at"), "1900-01-01T00:00:00"),
    (("rooms", 0, "stream_url"), "https://stream.example/" + "a" * 500),
]
RAW_BODIES = ["1" * 5000, '{"format": NaN}', '{"format": "x", "a": 1e999}', "[Infinity]"]
REFUSED_WORDS = ("must be at most", "zero byte", "in the years", "characters long", "number")


def _set(document: dict, path: tuple, value) -> dict:
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


def _upload(client, url: str, field: str, body: bytes, *, follow: bool = True):
    return client.post(
        url,
        data={field: (io.BytesIO(body), "upload.json")},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def _refused_with_words(response) -> None:
    no_server_error(response)
    page = response.get_data(as_text=True)
    assert any(words in page for words in REFUSED_WORDS), page[:2000]


@pytest.fixture
def organiser(client, auth, demo_event):
    auth.login()
    return client


@pytest.mark.parametrize(("path", "value"), EVENT_VALUES)
def test_an_event_file_past_a_bound_is_refused(organiser, demo_event, path, value):
    document = _set(export_event(demo_event), path, value)
    before = snapshot()
    response = _upload(organiser, "/organise/import", "document", json.dumps(document).encode())
    _refused_with_words(response)
    assert snapshot() == before


@pytest.mark.parametrize(("path", "value"), BACKUP_VALUES)
def test_a_backup_past_a_bound_is_refused(organiser, demo_event, path, value):
    document = _set(copy.deepcopy(backup_document(demo_event)), path, value)
    before = snapshot()
    response = _upload(organiser, "/organise/restore", "backup", json.dumps(document).encode())
    assert response.status_code == 400
    _refused_with_words(response)
    assert snapshot() == before


@pytest.mark.parametrize("body", RAW_BODIES)
def test_numbers_json_cannot_carry_are_refused_at_every_import(organiser, demo_event, body):
    before = snapshot()
    for url, field in (
        ("/organise/import", "document"),
        (f"/organise/{demo_event.slug}/import/plan", "document"),
        ("/organise/restore", "backup"),
    ):
        response = _upload(organiser, url, field, body.encode())
        no_server_error(response)
        assert "number" in response.get_data(as_text=True), url
    assert snapshot() == before


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        ("slots/generate", {"day": "9999-12-31", "first_start": "10:00", "days": "14"}),
        ("slots/generate", {"day": "0001-01-01", "first_start": "00:00"}),
        ("slots/{slot}", {"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T00:40"}),
        ("slots/{slot}", {"starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:59"}),
        ("settings", {"starts_on": "9999-12-31", "ends_on": "9999-12-31"}),
    ],
)
def test_dates_no_calendar_shows_are_refused_in_the_forms(organiser, demo_event, form, fields):
    defaults = {"length": "40", "pause": "10", "count": "3", "days": "1", "name": "Camp"}
    defaults.update(timezone="Europe/Berlin", language="de")
    url = f"/organise/{demo_event.slug}/" + form.format(slot=demo_event.slots[0].id)
    before = snapshot()
    response = organiser.post(url, data={**defaults, **fields})
    no_server_error(response)
    assert "Choose a date in the years 2000 to 2100." in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_series_that_leaves_the_events_days_is_refused(organiser, demo_event):
    day = demo_event.ends_on or demo_event.starts_on
    fields = {"day": day.isoformat(), "first_start": "18:00", "length": "40", "pause": "10"}
    fields.update(count="2", days="3")
    before = snapshot()
    response = organiser.post(f"/organise/{demo_event.slug}/slots/generate", data=fields)
    no_server_error(response)
    assert "is not on the event" in response.get_data(as_text=True)
    assert snapshot() == before


CASES = len(EVENT_VALUES) + len(BACKUP_VALUES) + 3 * len(RAW_BODIES) + 6


@pytest.fixture
def drafted(organiser, demo_event):
    from planner.extensions import db
    from planner.operations import planning

    planning.generate(demo_event, keep=False, time_limit=0.5, workers=1)
    db.session.commit()
    return demo_event


@pytest.mark.parametrize("revision", [None, "", "-1", "x", str(2**40)])
@pytest.mark.parametrize("json_client", [False, True])
def test_a_plan_change_without_a_good_revision_is_refused(
    organiser, drafted, revision, json_client
):
    """A stale move is refused with 409; leaving the revision out must not get it through."""
    from planner.operations import planning

    placed = planning.draft(drafted).document["assignments"][0]["session"]
    talk = next(talk for talk in drafted.talks if talk.key == placed)
    headers = {"Accept": "application/json"} if json_client else {}
    before = snapshot()
    for action, fields in (("move", {"place": ""}), ("pin", {"pinned": "1"})):
        data = {"talk": str(talk.id), **fields}
        if revision is not None:
            data["revision"] = revision
        response = organiser.post(
            f"/organise/{drafted.slug}/plan/{action}", data=data, headers=headers
        )
        no_server_error(response)
    assert snapshot() == before, "nothing changed"


# --- any value at any field -----------------------------------------------------------------

EVENT_FIELDS = [
    *(("event", key) for key in ("name", "timezone")),
    *(("rooms", 0, key) for key in ("id", "name", "capacity", "features", "unavailable")),
    *(("slots", 0, key) for key in ("id", "start", "end")),
    *(("sessions", 0, key) for key in ("title", "description", "hosts", "needs", "length")),
    *(("sessions", 0, key) for key in ("extra_interest", "pinned", "unavailable")),
    *(("votes", 0, key) for key in ("voter", "sessions", "online")),
]
BACKUP_FIELDS = [
    *(("event", key) for key in ("slug", "name", "starts_on", "ends_on", "timezone", "venue")),
    *(("event", key) for key in ("language", "voting_open", "created_at")),
    *(("rooms", 0, key) for key in ("key", "name", "capacity", "position", "stream_url")),
    *(("slots", 0, key) for key in ("key", "starts_at", "ends_at")),
    *(("sessions", 0, key) for key in ("title", "hosts", "format", "length", "withdrawn_by")),
    *(("sessions", 0, key) for key in ("edit_token", "version", "pinned_room", "created_at")),
    *(("ballots", 0, key) for key in ("token", "feed_key", "marks", "chosen", "updated_at")),
]
ODD_TIMES = ["0001-01-01T00:00", "9999-12-31T23:59:59", "2026-02-30T10:00", "2026-11-18T25:00"]
ODD_TIMES += ["1999-12-31T23:59", "2101-01-01T00:00", "2026-11-18T10:00+01:00", "2026-11-18"]
any_value = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**31 - 1, 2**31, -(2**31), 2**63, 10**20, 0, -1]),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile,
    st.sampled_from(ODD_TIMES),
    st.lists(hostile, max_size=3),
    st.none(),
    st.booleans(),
    st.dictionaries(hostile, hostile, max_size=2),
)


# Each example imports a whole event: fewer than the other properties, to keep `make test`
# short.
WHOLE_FILES = settings(fuzz, max_examples=60)


@WHOLE_FILES
@given(path=st.sampled_from(EVENT_FIELDS), value=any_value)
def test_any_value_at_any_field_of_an_event_file(organiser, demo_event, path, value):
    body = json.dumps(_set(export_event(demo_event), path, value)).encode()
    before = snapshot()
    response = _upload(organiser, "/organise/import", "document", body, follow=False)
    no_server_error(response)
    if not response.location.endswith("/plan"):  # refused: back to the events
        assert snapshot() == before


@WHOLE_FILES
@given(path=st.sampled_from(BACKUP_FIELDS), value=any_value)
def test_any_value_at_any_field_of_a_backup(organiser, demo_event, path, value):
    body = json.dumps(_set(backup_document(demo_event), path, value)).encode()
    before = snapshot()
    response = _upload(organiser, "/organise/restore", "backup", body, follow=False)
    no_server_error(response)
    if response.status_code == 400:
        assert snapshot() == before
