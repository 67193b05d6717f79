"""Backups (backup@1): a whole event out and back in without loss, by function, command line
and web; bad documents refused with every problem named and nothing written."""

from __future__ import annotations

import copy
import json

import pytest
import sqlalchemy as sa

from planner.backup_cli import export_command, import_command
from planner.errors import UserInputError
from planner.extensions import db
from planner.models import (
    BY_PROPOSER,
    Event,
    Talk,
    VotingCode,
)
from planner.operations import backup, participation, planning, setup
from planner.operations.backup import backup_document, restore_event
from planner.operations.transfer import export_event, to_problem
from planner.scheduler import FormatError, parse_plan, violations

# --- an event with everything a backup must carry ------------------------------------------


@pytest.fixture
def full_event(demo_event):
    """The demo plus what it lacks: withdrawn sessions (by proposer and organisers, one with
    half a pin), a pin, a stream link, unavailable slots, choices, voting codes with and
    without a ballot, two published versions and a draft that differs from them."""
    event = demo_event
    talks, rooms, slots = event.talks, event.rooms, event.slots
    participation.withdraw_proposal(talks[-2])
    setup.withdraw_talk(talks[-1])
    talks[-1].pinned_room = rooms[-1]  # its slot was deleted: the room half of the pin stays
    rooms[0].stream_url = "https://stream.example/plenarsaal"
    rooms[3].unavailable = [slots[2]]
    talks[0].unavailable = [slots[0]]
    talks[1].description = "Zwei Zeilen\nmit Umlauten: äöü — und „Anführung“"
    event.venue, event.voting_codes_required = "Kongresshalle Gießen", True
    db.session.flush()
    planning.generate(event, keep=False, time_limit=0.5, workers=1)
    planning.set_pin(event, talks[2], True)
    planning.publish(event)
    planning.move(event, _placed_unpinned(event), None, None)  # version 2 differs from 1
    planning.publish(event)
    planning.move(event, _placed_unpinned(event), None, None)
    event.ballots[0].chosen = [talks[3].id, talks[4].id]
    event.ballots[1].chosen = [talks[5].id]
    event.voting_codes = [
        VotingCode(code="K7M2QX9A", ballot=event.ballots[0]),
        VotingCode(code="P3W8ZT4B", ballot=None),
    ]
    event.planning_started = True
    db.session.commit()
    return event


def _placed_unpinned(event: Event) -> Talk:
    placed = {item["session"] for item in planning.draft(event).document["assignments"]}
    return next(t for t in event.active_talks if t.key in placed and t.pinned_room is None)


def normalised(document: dict) -> dict:
    """The document with each key replaced by its row's place in its list and without the
    moment of export: backups of two equal events are then equal, whatever their row ids."""
    result = copy.deepcopy(document)
    result.pop("exported_at")
    names = {
        kind: {row["key"]: f"{kind}#{index}" for index, row in enumerate(result[kind])}
        for kind in ("slots", "rooms", "sessions", "ballots")
    }
    slots, rooms, sessions = names["slots"], names["rooms"], names["sessions"]
    for kind, rows in names.items():
        for row in result[kind]:
            row["key"] = rows[row["key"]]
    for row in [*result["rooms"], *result["sessions"]]:
        row["unavailable"] = [slots[key] for key in row["unavailable"]]
    for row in result["sessions"]:
        row["pinned_room"] = rooms.get(row["pinned_room"])
        row["pinned_slot"] = slots.get(row["pinned_slot"])
    for row in result["ballots"]:
        row["marks"] = [sessions[key] for key in row["marks"]]
        row["chosen"] = [sessions[key] for key in row["chosen"]]
    for row in result["voting_codes"]:
        row["ballot"] = names["ballots"].get(row["ballot"])
    for row in result["plans"]:
        _normalise_plan(row["document"], sessions, rooms, slots)
    return result


def _normalise_plan(document: dict, sessions: dict, rooms: dict, slots: dict) -> None:
    for item in document["assignments"]:
        item.update(
            session=sessions[item["session"]], room=rooms[item["room"]], slot=slots[item["slot"]]
        )
    document["unscheduled"] = [sessions[key] for key in document["unscheduled"]]
    document["solver"]["moved"] = [sessions[key] for key in document["solver"]["moved"]]
    fullest = document["metrics"].get("fullest_session")
    document["metrics"]["fullest_session"] = sessions.get(fullest)


def without_edit_tokens(document: dict) -> dict:
    result = copy.deepcopy(document)
    for row in result["sessions"]:
        row.pop("edit_token")
    return result


def row_counts() -> dict[str, int]:
    """Rows in every table: what "nothing was written" means."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def event_by_slug(slug: str) -> Event | None:
    return db.session.scalar(sa.select(Event).where(Event.slug == slug))


# --- what a backup holds --------------------------------------------------------------------


@pytest.mark.parametrize("model", list(backup.MODELS), ids=lambda model: model.__name__)
def test_backup_holds_every_column_once(model):
    """A column added to a model without a place in the backup fails here, not in a restore;
    the one field table serves the dump and the reader alike."""
    stored = {column.name for column in model.__table__.columns} - {"id", "event_id"}
    stored -= set(backup.NOT_KEPT.get(model, ()))
    fields = backup.MODELS[model]
    columns = [field.column for field in fields if field.column is not None]
    assert sorted(columns) == sorted(stored)
    assert len({field.name for field in fields}) == len(fields)


def test_the_dump_writes_exactly_the_fields_the_reader_reads(full_event):
    document = backup_document(full_event)
    for name, (fields, keyed) in backup.TABLES.items():
        expected = [*(["key"] if keyed else []), *(field.name for field in fields)]
        assert all(list(row) == expected for row in document[name]), name


def test_backup_holds_the_whole_event(full_event):
    document = backup_document(full_event)
    assert document["format"] == "barcamp-planner/backup@1"
    assert document["event"]["slug"] == full_event.slug
    assert document["event"]["voting_codes_required"] is True
    assert len(document["rooms"]) == 9 and len(document["slots"]) == 3
    assert len(document["sessions"]) == 25 and len(document["ballots"]) == len(full_event.ballots)
    withdrawn = {row["withdrawn_by"] for row in document["sessions"] if row["withdrawn"]}
    assert withdrawn == {"proposer", "organisers"}
    assert [plan["number"] for plan in document["plans"]] == [0, 1, 2]
    assert document["plans"][0]["published_at"] is None
    # Counters that SQLAlchemy would reset on insert: the round trip must keep them.
    assert max(row["version"] for row in document["sessions"]) > 1
    assert document["plans"][0]["revision"] > 1
    assert [code["ballot"] for code in document["voting_codes"]] == [
        full_event.ballots[0].key,
        None,
    ]


def test_a_real_backup_of_the_demo_fits_the_upload_limit_easily(app, client, auth, full_event):
    auth.login()
    size = len(client.get(f"/organise/{full_event.slug}/backup.json").data)
    assert size < app.config["MAX_CONTENT_LENGTH"] / 10


# --- round trips ----------------------------------------------------------------------------


def test_restore_next_to_the_original_loses_nothing(full_event):
    before = backup_document(full_event)
    restored = restore_event(copy.deepcopy(before), slug="copy")
    db.session.commit()
    after = backup_document(restored)
    assert after["event"].pop("slug") == "copy"
    before["event"].pop("slug")
    assert normalised(without_edit_tokens(after)) == normalised(without_edit_tokens(before))
    # Tokens are unique in the whole database: the copy's proposers get new private links,
    # the original's keep theirs. Ballot tokens are per event and stay.
    old_tokens = {row["edit_token"] for row in before["sessions"]}
    new_tokens = {row["edit_token"] for row in after["sessions"]}
    assert len(new_tokens) == 25 and not old_tokens & new_tokens
    assert [row["token"] for row in after["ballots"]] == [row["token"] for row in before["ballots"]]
    assert [row["feed_key"] for row in after["ballots"]] == [
        row["feed_key"] for row in before["ballots"]
    ]
    assert {row["key"] for row in after["sessions"]}.isdisjoint(
        row["key"] for row in before["sessions"]
    )


def test_restore_after_loss_keeps_address_private_links_and_everything(client, full_event):
    before = backup_document(full_event)
    slug = full_event.slug
    db.session.delete(full_event)
    db.session.commit()
    restored = restore_event(json.loads(json.dumps(before)))
    db.session.commit()
    assert restored.slug == slug
    assert normalised(backup_document(restored)) == normalised(before)
    withdrawn = next(row for row in before["sessions"] if row["withdrawn_by"] == BY_PROPOSER)
    page = client.get(f"/e/{slug}/proposals/{withdrawn['edit_token']}")
    assert page.status_code == 200 and withdrawn["title"] in page.get_data(as_text=True)


def test_a_backup_from_before_feed_keys_gets_new_ones(full_event):
    document = backup_document(full_event)
    for row in document["ballots"]:
        del row["feed_key"]
    restored = restore_event(document, slug="older")
    db.session.commit()
    keys = [ballot.feed_key for ballot in restored.ballots]
    assert len(set(keys)) == len(keys) == len(full_event.ballots)
    assert not set(keys) & {ballot.feed_key for ballot in full_event.ballots}


def test_restored_plans_and_choices_name_the_restored_rows(full_event):
    restored = restore_event(backup_document(full_event))
    db.session.commit()
    problem = to_problem(restored)
    for version in restored.plans:
        plan = parse_plan(version.document, problem)  # every key is one of the restored rows
        assert violations(problem, plan) == []
        assert plan.assignments
    titles = {talk.id: talk.title for talk in restored.talks}
    original = {talk.id: talk.title for talk in full_event.talks}
    assert [titles[i] for i in restored.ballots[0].chosen] == [
        original[i] for i in full_event.ballots[0].chosen
    ]
    pinned = next(talk for talk in restored.talks if talk.pinned_slot is not None)
    assert pinned.pinned_room.event is restored and pinned.pinned_slot.event is restored
    assert restored.voting_codes[0].ballot is restored.ballots[0]
    assert planning.draft(restored).number == 0


def test_restoring_twice_gives_two_events(full_event):
    document = backup_document(full_event)
    first, second = restore_event(document), restore_event(document)
    db.session.commit()
    slugs = {full_event.slug, first.slug, second.slug}
    assert len(slugs) == 3 and first.slug.startswith(full_event.slug)
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 3
    assert len(first.talks) == len(second.talks) == 25


def test_a_published_place_in_a_deleted_room_is_left_out(full_event):
    published = next(version for version in full_event.plans if version.number == 1)
    first = published.document["assignments"][0]
    setup.delete_room(next(room for room in full_event.rooms if room.key == first["room"]))
    db.session.commit()
    document = backup_document(full_event)
    plan = document["plans"][1]["document"]
    assert plan["assignments"] and all(
        item["room"] != first["room"] for item in plan["assignments"]
    )
    assert first["session"] in plan["unscheduled"]
    restored = restore_event(document)
    assert len(restored.plans) == 3


# --- refused documents ----------------------------------------------------------------------


def _break_format(document):
    document["format"] = "barcamp-planner/event@1"


def _drop_title(document):
    del document["sessions"][0]["title"]


def _mark_unknown_session(document):
    document["ballots"][0]["marks"] = ["s99999"]


def _pin_unknown_room(document):
    document["sessions"][0]["pinned_room"] = "r99999"


def _plan_names_unknown_session(document):
    document["plans"][1]["document"]["assignments"][0]["session"] = "s99999"


def _capacity_as_text(document):
    document["rooms"][0]["capacity"] = "many"


def _title_too_long(document):
    document["sessions"][0]["title"] = "x" * 201


def _script_as_stream_link(document):
    document["rooms"][0]["stream_url"] = "javascript:alert(1)"


def _code_for_unknown_ballot(document):
    document["voting_codes"][1]["ballot"] = "v99999"


def _two_drafts(document):
    document["plans"][1]["number"] = 0


def _bad_time(document):
    document["slots"][0]["ends_at"] = "half past one"


def _plans_not_a_list(document):
    document["plans"] = {"draft": None}


def _feed_key_twice(document):
    document["ballots"][1]["feed_key"] = document["ballots"][0]["feed_key"]


def _feed_key_too_long(document):
    document["ballots"][0]["feed_key"] = "k" * 33


def _setting(*path_and_value):
    """A damage that sets the value at a path of keys and list indices."""
    *path, value = path_and_value

    def damage(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return damage


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_break_format, 'format: must be "barcamp-planner/backup@1"'),
        (_drop_title, "sessions[0].title: is missing"),
        (_mark_unknown_session, 'ballots[0].marks[0]: no session "s99999"'),
        (_pin_unknown_room, 'sessions[0].pinned_room: no room "r99999"'),
        (_plan_names_unknown_session, 'plans[1].document.assignments[0].session: no session "s99'),
        (_capacity_as_text, "rooms[0].capacity: must be a whole number"),
        (_title_too_long, "sessions[0].title: must be at most 200 characters long"),
        (_script_as_stream_link, "rooms[0].stream_url: must be a web address"),
        (_code_for_unknown_ballot, 'voting_codes[1].ballot: no ballot "v99999"'),
        (_two_drafts, "plans[1].number: 0 is used twice"),
        (_bad_time, 'slots[0].ends_at: "half past one" is not a time'),
        (_plans_not_a_list, "plans: must be a list"),
        (_feed_key_twice, "ballots[1].feed_key: "),
        (_feed_key_too_long, "ballots[0].feed_key: must be at most 32 characters long"),
        (_setting("rooms", 0, "capacity", 2**63), "rooms[0].capacity: must be at most 2147483647"),
        (_setting("rooms", 0, "position", -(2**40)), "rooms[0].position: must be at least"),
        (
            _setting("sessions", 0, "extra_interest", 10**20),
            "sessions[0].extra_interest: must be at most",
        ),
        (_setting("sessions", 0, "version", 2**31), "sessions[0].version: must be at most"),
        (
            _setting("sessions", 0, "title", "Open\x00Data"),
            "sessions[0].title: must not hold a zero byte",
        ),
        (
            _setting("sessions", 0, "hosts", ["A" * 201]),
            "sessions[0].hosts[0]: must be at most 200",
        ),
        (
            _setting("sessions", 0, "description", "d" * 10_001),
            "sessions[0].description: must be at most 10000",
        ),
        (
            _setting("rooms", 0, "features", ["f" * 101]),
            "rooms[0].features[0]: must be at most 100",
        ),
        (
            _setting("slots", 0, "starts_at", "0001-01-01T00:00:00"),
            "slots[0].starts_at: must lie in the years",
        ),
        (
            _setting("event", "ends_on", "9999-12-31"),
            "event.ends_on: must lie in the years 2000 to 2100",
        ),
        (
            _setting("ballots", 0, "created_at", "1970-01-01T00:00:00"),
            "ballots[0].created_at: must lie",
        ),
        (
            _setting("plans", 0, "document", "solver", "x\x00", 1),
            "plans[0].document.solver.x\x00: must not",
        ),
    ],
)
def test_a_damaged_backup_is_refused_with_its_place_and_nothing_written(
    full_event, damage, expected
):
    document = backup_document(full_event)
    damage(document)
    counts = row_counts()
    with pytest.raises(FormatError) as raised:
        restore_event(document)
    lines = [str(problem) for problem in raised.value.problems]
    assert any(line.startswith(expected) for line in lines), lines
    db.session.rollback()
    assert row_counts() == counts


def test_every_problem_is_named_at_once(full_event):
    document = backup_document(full_event)
    for damage in (_drop_title, _capacity_as_text, _plan_names_unknown_session, _bad_time):
        damage(document)
    del document["event"]["timezone"]
    with pytest.raises(FormatError) as raised:
        restore_event(document)
    assert len(raised.value.problems) == 5
    assert "event.timezone: is missing" in [str(problem) for problem in raised.value.problems]


def test_an_event_file_is_named_as_such_alone(full_event):
    with pytest.raises(FormatError) as raised:
        restore_event(export_event(full_event))
    assert [str(problem) for problem in raised.value.problems] == [
        'format: must be "barcamp-planner/backup@1", not "barcamp-planner/event@1" '
        "(an event file: import it as an event instead)"
    ]


@pytest.mark.parametrize("document", [[], "backup", None])
def test_a_document_that_is_no_object_is_refused(app, document):
    with pytest.raises(FormatError, match="must be a JSON object"):
        restore_event(document)


def test_a_chosen_slug_must_be_free_and_well_formed(full_event):
    document = backup_document(full_event)
    counts = row_counts()
    for slug in (full_event.slug, "Nicht gut!", "x" * 65):
        with pytest.raises(UserInputError):
            restore_event(document, slug=slug)
    assert row_counts() == counts
    assert restore_event(document, slug="archiv-2026").slug == "archiv-2026"


# --- command line ---------------------------------------------------------------------------


def test_cli_round_trip_through_files(runner, full_event, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    result = runner.invoke(export_command, [full_event.slug, "-o", str(first)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(import_command, [str(first), "--slug", "restored"])
    assert result.exit_code == 0, result.output
    assert "/e/restored/" in result.output
    result = runner.invoke(export_command, ["restored", "-o", str(second)])
    assert result.exit_code == 0, result.output
    before, after = (json.loads(path.read_text(encoding="utf-8")) for path in (first, second))
    before["event"].pop("slug"), after["event"].pop("slug")
    assert normalised(without_edit_tokens(after)) == normalised(without_edit_tokens(before))


def test_cli_export_to_standard_output(runner, full_event):
    result = runner.invoke(export_command, [full_event.slug])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["event"]["name"] == full_event.name


def test_cli_refuses_unknown_events_and_bad_files(runner, full_event, tmp_path):
    result = runner.invoke(export_command, ["no-such-event"])
    assert result.exit_code == 2 and "no-such-event" in result.output
    document = backup_document(full_event)
    _drop_title(document)
    _capacity_as_text(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    counts = row_counts()
    result = runner.invoke(import_command, [str(path)])
    assert result.exit_code == 2
    assert "sessions[0].title: is missing" in result.output
    assert "rooms[0].capacity: must be a whole number" in result.output
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(import_command, [str(path)])
    assert result.exit_code == 2 and "not valid JSON" in result.output
    assert row_counts() == counts


# --- web ------------------------------------------------------------------------------------


def upload(client, body: bytes):
    """Post `body` as the form's file, multipart-encoded here: the test client would spool a
    large body to a temporary file that nobody closes when the app refuses to read it."""
    boundary = "backup-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="backup"; '
        'filename="backup.json"\r\nContent-Type: application/json\r\n\r\n'
    )
    return client.post(
        "/organise/restore",
        data=head.encode() + body + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_backup_pages_are_for_organisers_only(client, full_event):
    for response in (
        client.get(f"/organise/{full_event.slug}/backup.json"),
        client.get("/organise/restore"),
        upload(client, b"{}"),
    ):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_download_and_upload_round_trip(client, auth, full_event):
    auth.login()
    response = client.get(f"/organise/{full_event.slug}/backup.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    assert client.get("/organise/restore").status_code == 200
    restored = upload(client, response.data)
    assert restored.status_code == 302
    slug = restored.headers["Location"].rstrip("/").split("/")[-1]
    assert slug != full_event.slug
    again = client.get(f"/organise/{slug}/backup.json")
    before, after = json.loads(response.data), json.loads(again.data)
    before["event"].pop("slug"), after["event"].pop("slug")
    assert normalised(without_edit_tokens(after)) == normalised(without_edit_tokens(before))


def test_bad_upload_lists_every_problem_and_writes_nothing(client, auth, full_event):
    auth.login()
    document = backup_document(full_event)
    _title_too_long(document)
    _plan_names_unknown_session(document)
    counts = row_counts()
    response = upload(client, json.dumps(document).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        "Session 1 (“xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”), Title: The text must be at "
        in page
    )
    assert "Plan version 1, Placement 1, Session: There is no session “s99999”." in page
    assert "2 problems" in page
    assert upload(client, b"\xff\xfe not json").status_code == 400
    assert client.post("/organise/restore", data={}).status_code == 400  # no file chosen
    assert row_counts() == counts


def test_an_upload_over_five_megabytes_is_refused(client, auth, full_event):
    auth.login()
    document = backup_document(full_event)
    document["sessions"][0]["description"] = "x" * (6 * 1024 * 1024)
    counts = row_counts()
    assert upload(client, json.dumps(document).encode()).status_code == 413
    assert row_counts() == counts


def test_cli_import_gives_the_event_an_owner(runner, full_event, tmp_path):
    from planner.models import OWNER, Membership
    from planner.operations.accounts import create_user

    create_user("ada@example.org", "Ada", "lange-geheim")
    db.session.commit()
    path = tmp_path / "backup.json"
    runner.invoke(export_command, [full_event.slug, "-o", str(path)])
    refused = runner.invoke(import_command, [str(path), "--owner", "nobody@example.org"])
    assert refused.exit_code == 2 and "No account has the email" in refused.output
    result = runner.invoke(import_command, [str(path), "--owner", "ADA@example.org"])
    assert result.exit_code == 0, result.output
    membership = db.session.scalar(sa.select(Membership).order_by(Membership.id.desc()))
    assert membership.role == OWNER and membership.user.email == "ada@example.org"
    assert membership.event.slug != full_event.slug


def test_a_field_older_backups_lack_takes_its_default():
    from planner.operations.backup.fields import flag, optional
    from planner.scheduler.formats import Reader

    field, reader = optional(flag("mail_notices"), True), Reader()
    assert field.read(reader, {}, "event") is True
    assert field.read(reader, {"mail_notices": False}, "event") is False
    assert field.read(reader, {"mail_notices": "ja"}, "event") is None
    assert [problem.code for problem in reader.problems] == ["not_boolean"]
