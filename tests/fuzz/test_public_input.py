"""Hostile input at everything the public can reach: forms, votes, codes, agenda links, the
clock parameter and addresses. The rule: never a 500, never a partial write, and a refusal
comes with words.

The number of cases per test is EXAMPLES (the README reports the total).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.extensions import db
from planner.models import Ballot, Event, Slot, Talk, VotingCode
from planner.operations import codes

from . import TRIED  # hostile requests and server errors, reported at the end of the run

EXAMPLES = 150
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # One app and database for all examples of a test: each example checks its own request.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as hostile as it gets: control characters, surrogates left out (not encodable),
# markup, SQL, very long strings, right-to-left marks and emoji.
hostile = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "'; DROP TABLE talk; --",
            "\x00",
            "\u202e",
            '=HYPERLINK("http://x")',
            "💥" * 100,
            "a" * 5000,
            "../../etc/passwd",
            "%00",
            "{{ 7*7 }}",
        ]
    ),
)


@pytest.fixture
def camp(app):
    event = Event(slug="camp", name="Camp", starts_on=date(2025, 5, 5))
    event.voting_open = event.proposals_open = True
    event.slots = [Slot(starts_at=datetime(2025, 5, 5, 10), ends_at=datetime(2025, 5, 5, 11))]
    event.talks = [Talk(title="Open Data"), Talk(title="KI im Amt")]
    db.session.add(event)
    db.session.flush()
    codes.generate_codes(event, 2)
    db.session.commit()
    return event


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def no_server_error(response) -> None:
    """The one check every hostile request passes; counted for the run's summary."""
    TRIED["hostile inputs"] += 1
    if response.status_code >= 500:
        TRIED["server errors"] += 1
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


def refused_at_the_door(response) -> bool:
    """A zero byte anywhere is refused before any view (PostgreSQL cannot store one)."""
    return response.status_code == 400 and "character that is not allowed" in response.get_data(
        as_text=True
    )


@fuzz
@given(
    title=hostile,
    hosts=hostile,
    description=hostile,
    format_=hostile,
    length=hostile,
    language=hostile,
    needs=st.lists(hostile, max_size=3),
    unavailable=st.lists(hostile, max_size=3),
)
def test_proposal_form(
    client, camp, title, hosts, description, format_, length, language, needs, unavailable
):
    before = count(Talk)
    response = client.post(
        "/e/camp/propose",
        data={
            "title": title,
            "hosts": hosts,
            "description": description,
            "format": format_,
            "length": length,
            "language": language,
            "needs": needs,
            "unavailable": unavailable,
        },
    )
    no_server_error(response)
    if response.status_code == 302:
        assert count(Talk) == before + 1
    else:
        assert count(Talk) == before, "a refused proposal writes nothing"
        said = 'class="error"' in response.get_data(as_text=True)
        assert said or refused_at_the_door(response), "refusals say why"


@fuzz
@given(talk_id=st.integers(min_value=-(2**63), max_value=2**63), online=hostile)
def test_votes_and_where_one_takes_part(client, camp, talk_id, online):
    before = count(Ballot)
    response = client.post(f"/e/camp/vote/{talk_id}" if talk_id >= 0 else "/e/camp/vote/-1")
    no_server_error(response)
    if response.status_code >= 400:
        assert count(Ballot) == before
    no_server_error(client.post("/e/camp/vote/online", data={"online": online}))


@fuzz
@given(code=hostile)
def test_voting_codes(client, camp, code):
    camp.voting_codes_required = True
    db.session.commit()
    real = {voting_code.code for voting_code in camp.voting_codes}
    response = client.post("/e/camp/vote/code", data={"code": code})
    no_server_error(response)
    if codes.normalised(code) not in real:
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        said = "not valid" in page or "Please enter the code from your badge" in page  # empty
        assert said or refused_at_the_door(response)
    assert count(VotingCode) == 2


@fuzz
@given(
    path=st.sampled_from(
        [
            "/e/{}/",
            "/e/{}/schedule",
            "/e/{}/agenda?at={}",
            "/e/{}/board?at={}",
            "/e/{}/agenda/move/{}",
            "/e/{}/agenda/{}.ics",
            "/e/{}/sessions/{}",
            "/e/{}/schedule.xml",
            "/e/{}/print/poster?size={}",
            "/e/camp/board?at={}",
            "/e/camp/agenda?at={}",
            "/e/camp/agenda/move/{}",
            "/e/camp/print/poster.pdf?size={}",
        ]
    ),
    first=hostile,
    second=hostile,
)
def test_public_addresses(client, camp, path, first, second):
    from urllib.parse import quote

    url = path.format(quote(first, safe=""), quote(second, safe=""))
    no_server_error(client.get(url))


@fuzz
@given(lang=hostile, target=hostile)
def test_language_switch(client, camp, lang, target):
    response = client.post("/language", data={"lang": lang, "next": target})
    no_server_error(response)
    if "\x00" in lang + target:
        assert refused_at_the_door(response)
        return
    assert response.status_code == 302
    location = response.location
    assert location.startswith("/") and not location.startswith("//"), location
