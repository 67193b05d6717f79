"""Before the first publication every form of the public plan answers alike: a 404 that says
"No plan is published yet." in the reader's language, never "this page does not exist"."""

from __future__ import annotations

import pytest

from planner.extensions import db
from planner.models import PlanVersion, utcnow
from planner.operations.transfer import to_problem
from planner.scheduler import dump_plan, solve

OUTPUTS = [
    "schedule",
    "schedule/print",
    "schedule.json",
    "schedule.ics",
    "schedule.xml",
    "schedule.csv",
    "schedule.pdf",
]
SAID = {"en": "No plan is published yet.", "de": "Es ist noch kein Plan veröffentlicht."}


def message_of(response) -> str:
    """The answer's words: the JSON message, or the body as text."""
    if response.is_json:
        return response.json["message"]
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("output", OUTPUTS)
def test_every_plan_output_says_the_same_before_publishing(client, demo_event, output, language):
    response = client.get(f"/e/{demo_event.slug}/{output}", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert SAID[language] in message_of(response)
    assert "does not exist" not in message_of(response)
    assert "existiert nicht" not in message_of(response)


def test_once_published_every_output_answers(client, demo_event):
    document = dump_plan(solve(to_problem(demo_event), time_limit=0.5, workers=1))
    db.session.add(
        PlanVersion(event=demo_event, number=1, document=document, published_at=utcnow())
    )
    db.session.commit()
    for output in OUTPUTS:
        response = client.get(f"/e/{demo_event.slug}/{output}")
        assert response.status_code == 200, output
        assert SAID["en"].encode() not in response.data, output


def test_an_unknown_event_is_still_not_found(client):
    for output in OUTPUTS:
        response = client.get(f"/e/nope/{output}")
        assert response.status_code == 404, output
        assert SAID["en"] not in message_of(response), output
