"""The contract in docs/: the JSON Schemas are valid, and the examples in docs/ and every
document the planner writes (event@1, plan@1, schedule.json, backup@1) follow them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from planner.operations.backup import parse_backup
from planner.scheduler import dump_plan, parse_event, parse_plan, read_event, solve

DOCS = Path(__file__).parents[1] / "docs"
SCHEMAS = {
    "barcamp-planner/event@1": "event-1",
    "barcamp-planner/plan@1": "plan-1",
    "barcamp-planner/backup@1": "backup-1",
    "barcamp-planner/rounds@1": "rounds-1",
    "barcamp-planner/seating@1": "seating-1",
}
READERS = {
    "barcamp-planner/event@1": parse_event,
    "barcamp-planner/plan@1": parse_plan,
    "barcamp-planner/backup@1": parse_backup,
}


def _schema(name: str) -> dict:
    return json.loads((DOCS / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def _registry() -> Registry:
    """Every schema under its $id, so that one can refer to another (backup@1 to plan@1)."""
    resources = [
        (schema["$id"], Resource.from_contents(schema))
        for schema in map(_schema, [*SCHEMAS.values(), "schedule"])
    ]
    return Registry().with_resources(resources)


def problems(document: dict, name: str | None = None) -> list[str]:
    """What is wrong with `document` by its schema (by its `format` unless `name` is given)."""
    schema = _schema(name or SCHEMAS[document["format"]])
    validator = Draft202012Validator(schema, registry=_registry())
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def _markdown_examples() -> list[dict]:
    """The JSON blocks of docs/formats.md: one example document per format."""
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


@pytest.mark.parametrize("name", [*SCHEMAS.values(), "schedule"])
def test_every_schema_is_a_valid_draft_2020_12_schema(name):
    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_formats_md_has_an_example_of_every_format_and_each_follows_its_schema():
    examples = _markdown_examples()
    assert sorted(example["format"] for example in examples) == sorted(SCHEMAS)
    for example in examples:
        assert problems(example) == [], example["format"]


def test_the_backup_example_in_formats_md_is_one_the_planner_restores():
    (example,) = [doc for doc in _markdown_examples() if doc["format"].endswith("backup@1")]
    backup = parse_backup(example)
    assert [row.key for row in backup.sessions] == ["s1"]


@pytest.mark.parametrize("filename", ["example-event.json", "example-rounds.json"])
def test_example_files_follow_their_schema(filename):
    document = json.loads((DOCS / filename).read_text(encoding="utf-8"))
    assert problems(document) == []


def test_the_example_event_is_one_the_planner_reads_and_its_plan_follows_plan_1():
    problem = read_event((DOCS / "example-event.json").read_bytes())
    plan = dump_plan(solve(problem, time_limit=1.0, workers=1))
    assert problems(plan) == []
    assert parse_plan(plan, problem).assignments


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"format": "barcamp-planner/event@1"}, "event"),
        ({"format": "barcamp-planner/plan@1", "assignments": [{"session": "s1"}]}, "room"),
        (
            {"format": "barcamp-planner/event@1", "event": {"name": "x" * 201, "timezone": "UTC"}},
            "long",
        ),
    ],
)
def test_a_schema_refuses_what_breaks_the_format(document, where):
    assert any(where in problem for problem in problems(document))


# --- every export the web app writes --------------------------------------------------------


@pytest.fixture
def published(client, auth, demo_event):
    """The demo with a generated and published plan, and an organiser logged in."""
    from planner.extensions import db
    from planner.operations import planning

    planning.generate(demo_event, keep=False, time_limit=0.5, workers=1)
    planning.publish(demo_event)
    db.session.commit()
    auth.login()
    return demo_event


@pytest.mark.parametrize(
    ("address", "schema"),
    [
        ("/organise/{}/export/event.json", "event-1"),
        ("/organise/{}/export/plan.json", "plan-1"),
        ("/organise/{}/backup.json", "backup-1"),
        ("/e/{}/schedule.json", "plan-1"),
        ("/e/{}/schedule.json", "schedule"),
    ],
)
def test_every_export_follows_its_schema_and_reads_back(client, published, address, schema):
    response = client.get(address.format(published.slug))
    assert response.status_code == 200
    document = response.get_json(force=True)
    assert problems(document, schema) == []
    READERS[document["format"]](document)  # and the planner's own reader takes it
