"""Proposers and attendees without an account: propose, edit, withdraw, vote on a phone."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Ballot, Event, PlanVersion, Room, Slot, Talk, utcnow
from planner.operations.participation import parse_hosts, voting_order

EN = {"Accept-Language": "en"}
JSON = {"Accept": "application/json"}


@pytest.fixture
def event(app):
    """An event open for proposals and votes, with two slots and three sessions."""
    event = Event(slug="camp", name="Camp", proposals_open=True, voting_open=True)
    event.slots = [
        Slot(starts_at=datetime(2025, 5, 5, h, 0), ends_at=datetime(2025, 5, 5, h, 40))
        for h in (13, 14)
    ]
    event.rooms = [Room(name="Saal", capacity=30)]
    event.talks = [Talk(title=f"Thema {n}", hosts=[f"Host {n}"]) for n in range(1, 4)]
    db.session.add(event)
    db.session.commit()
    return event


@pytest.fixture
def other_event(app):
    """A second event with one session of its own."""
    other = Event(slug="other", name="Other", voting_open=True, talks=[Talk(title="Fremd")])
    db.session.add(other)
    db.session.commit()
    return other


def proposal(**changes) -> dict:
    """A valid proposal form, with `changes` applied."""
    data = {
        "title": "Open Data im Kreis",
        "description": "Was wir gelernt haben.",
        "hosts": "Anna Becker, Jonas Weber",
        "format": "discussion",
        "length": "2",
        "language": "de",
        "needs": ["projector", "stream"],
        "unavailable": [],
    }
    data.update(changes)
    return data


def titles_in_order(page: str) -> list[str]:
    """The session titles on a voting page, top to bottom."""
    return re.findall(r'<h2 id="title-\d+">([^<]+)</h2>', page)


def ballots() -> list[Ballot]:
    db.session.expire_all()  # marks are written by group commit, on another connection
    return db.session.scalars(sa.select(Ballot)).all()


# --- proposing -----------------------------------------------------------------------------


def test_propose_form_offers_formats_needs_and_slots(client, event):
    page = client.get("/e/camp/propose", headers=EN).get_data(as_text=True)
    for text in ("Hands-on", "Projector", "13:00–13:40", "14:00–14:40", 'name="length"'):
        assert text in page
    assert f'value="{event.slots[0].key}"' in page


def test_propose_saves_and_shows_private_link(client, event):
    data = proposal(unavailable=[event.slots[1].key])
    response = client.post("/e/camp/propose", data=data)
    assert response.status_code == 302
    talk = db.session.scalar(sa.select(Talk).where(Talk.title == "Open Data im Kreis"))
    assert talk.hosts == ["Anna Becker", "Jonas Weber"] and talk.length == 2
    assert talk.format == "discussion" and talk.needs == ["projector", "stream"]
    assert [slot.key for slot in talk.unavailable] == [event.slots[1].key]
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert f"/e/camp/proposals/{talk.edit_token}" in page and "Keep this private link" in page


def test_bad_proposal_rerenders_with_messages_and_values(client, event):
    data = proposal(title="", hosts=" , ", description="Mein Text", format="lecture")
    response = client.post("/e/camp/propose", data=data, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give your session a title." in page and "Name at least one host." in page
    assert "Not a valid choice" in page and "Mein Text" in page
    assert 'value="projector" checked' in page or 'checked id="needs-0"' in page
    assert db.session.scalar(sa.select(sa.func.count(Talk.id))) == 3


def test_too_long_title_is_refused(client, event):
    response = client.post("/e/camp/propose", data=proposal(title="x" * 201), headers=EN)
    assert "At most 200 characters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Talk.id))) == 3


def test_proposals_closed_page(client, event):
    event.proposals_open = False
    db.session.commit()
    response = client.get("/e/camp/propose", headers=EN)
    assert response.status_code == 200 and "Proposals are closed" in response.get_data(as_text=True)
    client.post("/e/camp/propose", data=proposal())
    assert db.session.scalar(sa.select(sa.func.count(Talk.id))) == 3


def test_propose_unknown_event_is_404(client):
    assert client.get("/e/nope/propose").status_code == 404


def test_hosts_are_trimmed_and_unique():
    assert parse_hosts(" Ada ,Ben,, Ada ") == ("Ada", "Ben")


# --- editing through the private link ------------------------------------------------------


def test_edit_link_changes_the_session(client, event):
    talk = event.talks[0]
    url = f"/e/camp/proposals/{talk.edit_token}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Thema 1"' in page and 'value="Host 1"' in page
    response = client.post(url, data=proposal(title="Neuer Titel", needs=[], length="1"))
    assert response.status_code == 302
    db.session.refresh(talk)
    assert talk.title == "Neuer Titel" and talk.needs == [] and talk.length == 1


def test_bad_edit_keeps_the_session(client, event):
    talk = event.talks[0]
    response = client.post(f"/e/camp/proposals/{talk.edit_token}", data=proposal(title=""))
    assert response.status_code == 200 and b"has-error" in response.data
    db.session.refresh(talk)
    assert talk.title == "Thema 1"


def test_foreign_or_unknown_token_is_404(client, event, other_event):
    assert client.get("/e/camp/proposals/not-a-token").status_code == 404
    foreign = other_event.talks[0].edit_token
    assert client.get(f"/e/camp/proposals/{foreign}").status_code == 404
    assert client.post(f"/e/camp/proposals/{foreign}/withdraw").status_code == 404


def test_withdraw_and_put_back(client, event):
    talk = event.talks[0]
    url = f"/e/camp/proposals/{talk.edit_token}"
    assert client.post(f"{url}/withdraw").status_code == 302
    db.session.refresh(talk)
    assert talk.withdrawn
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "This session is withdrawn" in page and "Put my session back" in page
    assert "Thema 1" not in client.get("/e/camp/vote").get_data(as_text=True)
    client.post(f"{url}/withdraw", data={"restore": "1"})
    db.session.refresh(talk)
    assert not talk.withdrawn


def test_read_only_once_planning_started(client, event):
    talk = event.talks[0]
    event.planning_started = True
    db.session.commit()
    url = f"/e/camp/proposals/{talk.edit_token}"
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "Planning has started" in page and "<textarea" not in page and "Thema 1" in page
    late = client.post(url, data=proposal(title="Zu spät"), headers=EN).get_data(as_text=True)
    assert "Your changes were not saved" in late and "Zu spät" in late  # shown, not lost
    client.post(f"{url}/withdraw", headers=EN)
    db.session.refresh(talk)
    assert talk.title == "Thema 1" and not talk.withdrawn


def test_the_proposer_learns_where_the_session_runs(client, event):
    placed, left_out = event.talks[0], event.talks[1]
    event.planning_started = True
    assignment = {"session": placed.key, "room": event.rooms[0].key, "slot": event.slots[1].key}
    document = {"format": "barcamp-planner/plan@1", "assignments": [assignment]}
    db.session.add(PlanVersion(event=event, number=1, document=document, published_at=utcnow()))
    db.session.commit()
    page = client.get(f"/e/camp/proposals/{placed.edit_token}", headers=EN).get_data(as_text=True)
    assert "Your session is in the plan:" in page and "14:00–14:40" in page and "Saal" in page
    other = client.get(f"/e/camp/proposals/{left_out.edit_token}", headers=EN)
    assert "Your session is not in the published plan." in other.get_data(as_text=True)


# --- voting --------------------------------------------------------------------------------


def test_vote_page_lists_active_sessions_with_buttons(client, event):
    event.talks[2].withdrawn = True
    db.session.commit()
    page = client.get("/e/camp/vote", headers=EN).get_data(as_text=True)
    assert sorted(titles_in_order(page)) == ["Thema 1", "Thema 2"]
    assert page.count('aria-pressed="false"') == 2 and "I follow online" in page
    assert 'src="/static/vote.js" defer' in page and "<script>" not in page


def test_vote_order_differs_between_devices_and_is_stable(app, event):
    event.talks.extend(Talk(title=f"Mehr {n}", hosts=["X"]) for n in range(12))
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    first = titles_in_order(phone.get("/e/camp/vote").get_data(as_text=True))
    assert titles_in_order(phone.get("/e/camp/vote").get_data(as_text=True)) == first
    other = titles_in_order(laptop.get("/e/camp/vote").get_data(as_text=True))
    assert sorted(first) == sorted(other) and first != other


def test_order_is_spread_over_devices(event):
    firsts = {voting_order(event.talks, f"device{n}")[0].id for n in range(40)}
    assert len(firsts) == 3


def test_marking_creates_one_ballot_per_device(app, event):
    phone, laptop = app.test_client(), app.test_client()
    one, two, _ = event.talks
    phone.get("/e/camp/vote")
    assert ballots() == []  # looking is not voting
    response = phone.post(f"/e/camp/vote/{one.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/e/camp/vote#talk-{one.id}")
    phone.post(f"/e/camp/vote/{two.id}")
    laptop.get("/e/camp/vote")
    laptop.post(f"/e/camp/vote/{two.id}")
    assert len(ballots()) == 2
    phone.post(f"/e/camp/vote/{one.id}", data={"marked": "0"})
    mine, theirs = ballots()
    assert [talk.id for talk in mine.marks] == [two.id]
    assert [talk.id for talk in theirs.marks] == [two.id]
    page = phone.get("/e/camp/vote", headers=EN).get_data(as_text=True)
    assert '<strong id="mark-count">1</strong>' in page and page.count('aria-pressed="true"') == 1


def test_marking_answers_json(client, event):
    talk = event.talks[0]
    client.get("/e/camp/vote")
    response = client.post(f"/e/camp/vote/{talk.id}", headers=JSON)
    assert response.status_code == 200 and response.json == {"marked": True, "count": 1}
    response = client.post(f"/e/camp/vote/{event.talks[1].id}", headers=JSON)
    assert response.json == {"marked": True, "count": 2}
    response = client.post(f"/e/camp/vote/{talk.id}", data={"marked": "0"}, headers=JSON)
    assert response.json == {"marked": False, "count": 1}


def test_a_stale_page_asks_for_a_state_not_a_flip(app, client, event):
    """A second tab or a page restored by the back button still shows "Mark" for a session
    marked meanwhile: its tap keeps the mark instead of undoing it."""
    talk = event.talks[0]
    url = f"/e/camp/vote/{talk.id}"
    client.get("/e/camp/vote")
    assert client.post(url, data={"marked": "1"}, headers=JSON).json["marked"] is True
    stale = client.post(url, data={"marked": "1"}, headers=JSON)
    assert stale.json == {"marked": True, "count": 1}
    for _tap in range(2):
        unmarked = client.post(url, data={"marked": "0"}, headers=JSON)
        assert unmarked.json == {"marked": False, "count": 0}
    (ballot,) = ballots()
    assert ballot.marks == []


def test_a_double_tap_without_javascript_ends_marked(client, event):
    talk = event.talks[0]
    page = client.get("/e/camp/vote").get_data(as_text=True)
    form = re.search(rf'action="/e/camp/vote/{talk.id}".*?</form>', page, re.S).group(0)
    wanted = dict(re.findall(r'name="(marked|csrf_token)" value="([^"]*)"', form))
    assert wanted["marked"] == "1"
    for _tap in range(2):  # the slow connection made the attendee tap twice
        assert client.post(f"/e/camp/vote/{talk.id}", data=wanted).status_code == 302
    (ballot,) = ballots()
    assert ballot.marks == [talk]
    page = client.get("/e/camp/vote").get_data(as_text=True)
    form = re.search(rf'action="/e/camp/vote/{talk.id}".*?</form>', page, re.S).group(0)
    assert 'name="marked" value="0"' in form, "the next tap of a marked session unmarks"


def test_two_unmarks_at_once_on_one_device_answer_unmarked(client, event, monkeypatch):
    """The second of two simultaneous "unmark" taps finds the mark already gone: no 500."""
    from planner.models import ballot_mark
    from planner.operations import participation

    talk = event.talks[0]
    client.get("/e/camp/vote")
    client.post(f"/e/camp/vote/{talk.id}")
    original = participation.record_tap

    def raced(connection, tap, gate):
        # The other tap's delete lands first (the same statement, on the same ballot).
        connection.execute(sa.delete(ballot_mark).where(ballot_mark.c.talk_id == talk.id))
        return original(connection, tap, gate)

    monkeypatch.setattr(participation, "record_tap", raced)
    response = client.post(f"/e/camp/vote/{talk.id}", data={"marked": "0"}, headers=JSON)
    assert response.status_code == 200 and response.json == {"marked": False, "count": 0}


def test_cannot_mark_withdrawn_or_foreign_talk(client, event, other_event):
    event.talks[0].withdrawn = True
    db.session.commit()
    client.get("/e/camp/vote")
    assert client.post(f"/e/camp/vote/{event.talks[0].id}").status_code == 404
    assert client.post(f"/e/camp/vote/{other_event.talks[0].id}").status_code == 404
    assert client.post("/e/camp/vote/99999", headers=JSON).status_code == 404
    assert client.post(f"/e/nope/vote/{event.talks[1].id}").status_code == 404
    assert ballots() == []


def test_a_forged_cookie_is_no_device(client, event):
    client.set_cookie("barcamp_device", "forged.value")
    refused = client.post(f"/e/camp/vote/{event.talks[0].id}", headers={**JSON, **EN})
    assert refused.status_code == 400 and "open the voting page again" in refused.json["message"]
    assert ballots() == []
    client.get("/e/camp/vote")  # the page gives the phone a real cookie
    client.post(f"/e/camp/vote/{event.talks[0].id}")
    (ballot,) = ballots()
    assert ballot.token not in ("forged", "forged.value")


def test_online_choice(client, event):
    client.get("/e/camp/vote")
    response = client.post("/e/camp/vote/online", data={"online": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#where")
    (ballot,) = ballots()
    assert ballot.online
    client.post("/e/camp/vote/online", data={"online": "0"})
    db.session.refresh(ballot)
    assert not ballot.online and len(ballots()) == 1


def test_voting_closed_is_read_only_with_my_marks(client, event):
    client.get("/e/camp/vote")
    client.post(f"/e/camp/vote/{event.talks[1].id}")
    event.voting_open = False
    db.session.commit()
    page = client.get("/e/camp/vote", headers=EN).get_data(as_text=True)
    assert "Voting is not open" in page and "Thema 2" in page and "Thema 1" not in page
    assert "<button" not in page.split("<main>")[1]
    response = client.post(f"/e/camp/vote/{event.talks[0].id}", headers={**JSON, **EN})
    assert response.status_code == 409
    assert response.json == {"error": "Not saved", "message": "Voting is closed."}
    response = client.post(f"/e/camp/vote/{event.talks[0].id}")
    assert response.status_code == 302
    client.post("/e/camp/vote/online", data={"online": "1"})
    (ballot,) = ballots()
    assert [talk.title for talk in ballot.marks] == ["Thema 2"] and not ballot.online


def test_after_voting_the_page_leads_to_the_plan_and_the_agenda(client, event):
    """On the event day, the voting page from a QR code or a bookmark is no dead end."""
    from planner.models import PlanVersion, utcnow

    client.get("/e/camp/vote")
    client.post(f"/e/camp/vote/{event.talks[1].id}")
    event.voting_open = False
    document = {"format": "barcamp-planner/plan@1", "assignments": []}
    db.session.add(PlanVersion(event=event, number=1, document=document, published_at=utcnow()))
    db.session.commit()
    page = client.get("/e/camp/vote", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Die Abstimmung ist beendet." in page and "nicht geöffnet" not in page
    assert 'class="button big" href="/e/camp/schedule"' in page
    assert 'href="/e/camp/agenda">Meine Agenda' in page
    assert "Thema 2" in page


def test_voting_closed_without_a_ballot_writes_nothing(client, event):
    event.voting_open = False
    db.session.commit()
    page = client.get("/e/camp/vote", headers=EN).get_data(as_text=True)
    assert "You have not marked any sessions" in page
    client.post(f"/e/camp/vote/{event.talks[0].id}")
    assert ballots() == []


def test_vote_page_is_small(client, demo_event):
    response = client.get(f"/e/{demo_event.slug}/vote")
    assert response.status_code == 200 and len(response.data) < 40_000
    script = client.get("/static/vote.js")
    text = script.get_data(as_text=True)
    script.close()
    assert "fetch(" in text and "aria-pressed" in text


def test_vote_page_is_never_cached(client, event):
    """The back button must not bring back a voting page with old marks."""
    assert "no-store" in client.get("/e/camp/vote").headers["Cache-Control"]
    event.voting_open = False
    db.session.commit()
    assert "no-store" in client.get("/e/camp/vote").headers["Cache-Control"]
    event.voting_open = event.voting_codes_required = True
    db.session.commit()
    assert "no-store" in client.get("/e/camp/vote").headers["Cache-Control"]


def test_vote_page_in_german(client, event):
    page = client.get("/e/camp/vote", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="de"' in page


def test_edit_keeps_needs_the_organisers_added(client, event):
    talk = event.talks[0]
    talk.needs = ["projector", "beamer-gross"]
    db.session.commit()
    page = client.get(f"/e/camp/proposals/{talk.edit_token}").get_data(as_text=True)
    assert "beamer-gross" not in page
    client.post(f"/e/camp/proposals/{talk.edit_token}", data=proposal(needs=["whiteboard"]))
    db.session.refresh(talk)
    assert talk.needs == ["whiteboard", "beamer-gross"]


def test_vote_js_request_passes_csrf(tmp_path):
    from flask_migrate import upgrade

    from planner import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'csrf.sqlite3'}",
        }
    )
    with app.app_context():
        upgrade()
        event = Event(slug="camp", name="Camp", voting_open=True, talks=[Talk(title="Eins")])
        db.session.add(event)
        db.session.commit()
        client = app.test_client()
        page = client.get("/e/camp/vote").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        url = f"/e/camp/vote/{event.talks[0].id}"
        assert client.post(url, headers=JSON).status_code == 400
        response = client.post(url, data={"csrf_token": token}, headers=JSON)
        assert response.json == {"marked": True, "count": 1}
        db.session.remove()
        db.engine.dispose()


def test_operation_refusal_shows_on_the_form(client, event, monkeypatch):
    from planner.errors import UserInputError
    from planner.operations import participation

    def refuse(*args):
        raise UserInputError("Nein.")

    monkeypatch.setattr(participation, "submit_proposal", refuse)
    response = client.post("/e/camp/propose", data=proposal())
    assert response.status_code == 200 and "Nein." in response.get_data(as_text=True)
    assert 'value="Open Data im Kreis"' in response.get_data(as_text=True)


def test_a_proposer_cannot_undo_the_organisers_withdrawal(app, client):
    from planner.operations import setup as setup_operations

    event = Event(slug="undo", name="Undo", proposals_open=True)
    talk = Talk(event=event, title="Spam", hosts=["X"])
    db.session.add(event)
    db.session.flush()
    setup_operations.withdraw_talk(talk)
    db.session.commit()
    page = client.post(
        f"/e/undo/proposals/{talk.edit_token}/withdraw",
        data={"restore": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "ask them" in page
    db.session.expire_all()
    assert db.session.get(Talk, talk.id).withdrawn


def test_a_stale_proposer_page_does_not_overwrite_the_organisers_edit(app, client):
    event = Event(slug="stale", name="Stale", proposals_open=True)
    talk = Talk(event=event, title="Old title", hosts=["Anna"])
    db.session.add(event)
    db.session.commit()
    seen_version = talk.version
    talk.title = "Organisers' title"
    db.session.commit()
    page = client.post(
        f"/e/stale/proposals/{talk.edit_token}",
        data={
            "version": seen_version,
            "title": "Proposer's title",
            "hosts": "Anna",
            "format": "talk",
            "length": "1",
            "language": "de",
        },
    ).get_data(as_text=True)
    assert "changed this session meanwhile" in page and "Proposer&#39;s title" in page
    db.session.expire_all()
    assert db.session.get(Talk, talk.id).title == "Organisers' title"


def test_a_second_first_tap_of_one_device_reuses_its_ballot(app):
    from planner.operations import participation

    event = Event(slug="race", name="Race", voting_open=True)
    db.session.add(event)
    db.session.add(Ballot(event=event, token="device-1"))
    db.session.commit()
    # As if the read before the write missed the other tap's fresh insert:
    ballot = participation._new_ballot(event, "device-1")
    db.session.commit()
    assert ballot is not None and ballot.token == "device-1"
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 1


def test_two_taps_at_once_on_one_device_keep_one_mark(client, demo_event, monkeypatch):
    """The second of two simultaneous taps finds the mark already saved: no 500."""
    from planner.models import Ballot, ballot_mark
    from planner.operations import participation

    talk, first = demo_event.active_talks[:2]
    client.get(f"/e/{demo_event.slug}/vote")
    client.post(f"/e/{demo_event.slug}/vote/{first.id}")  # the device's ballot exists
    original = participation.record_tap

    def raced(connection, tap, gate):
        # The other tap's insert of the same mark lands just before this one's.
        ballot_id = connection.execute(sa.select(sa.func.max(Ballot.id))).scalar_one()
        connection.execute(sa.insert(ballot_mark).values(ballot_id=ballot_id, talk_id=talk.id))
        return original(connection, tap, gate)

    monkeypatch.setattr(participation, "record_tap", raced)
    response = client.post(
        f"/e/{demo_event.slug}/vote/{talk.id}", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and response.json["marked"] is True
    db.session.expire_all()
    ballot = db.session.scalars(sa.select(Ballot).where(Ballot.event_id == demo_event.id)).all()
    assert sorted(marked.id for marked in ballot[-1].marks) == sorted([first.id, talk.id])


def test_a_database_busy_beyond_its_timeout_asks_to_try_again(client, event, monkeypatch):
    """SQLite answers "database is locked" when a vote waits longer for the write lock than
    the busy timeout (a rush on an overloaded machine): a 503 that says nothing was saved."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from planner.operations import participation

    original = participation.record_tap

    def locked(connection, tap, gate):
        original(connection, tap, gate)  # the ballot is begun, then the lock is not had
        raise OperationalError("UPDATE ballot", {}, sqlite3.OperationalError("database is locked"))

    client.get("/e/camp/vote")
    monkeypatch.setattr(participation, "record_tap", locked)
    answer = client.post(f"/e/camp/vote/{event.talks[0].id}", headers=JSON)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert "Nothing was saved" in answer.get_json()["message"]
    page = client.post(f"/e/camp/vote/{event.talks[0].id}", headers={"Accept-Language": "de"})
    assert page.status_code == 503
    assert "Es wurde nichts gespeichert" in page.get_data(as_text=True)
    assert ballots() == []  # the ballot begun in that request was rolled back too


def test_a_bare_post_makes_no_ballot(app, event):
    """Without the cookie the voting page gives, no tap and no choice starts a ballot: a
    script that drops its cookies cannot vote again with every request."""
    talk = event.talks[0]
    for _ in range(50):
        bare = app.test_client()
        answer = bare.post(f"/e/camp/vote/{talk.id}", headers={**JSON, **EN})
        assert answer.status_code == 400
        assert answer.json["message"].startswith("This phone is not known here yet")
    form = app.test_client().post(f"/e/camp/vote/{talk.id}", headers=EN)
    assert form.status_code == 302 and form.headers["Location"].endswith("/e/camp/vote")
    assert app.test_client().post("/e/camp/vote/online", data={"online": "1"}).status_code == 302
    assert ballots() == []


def test_an_unmark_from_a_device_without_a_ballot_makes_none(client, event):
    client.get("/e/camp/vote")
    answer = client.post(f"/e/camp/vote/{event.talks[0].id}", data={"marked": "0"}, headers=JSON)
    assert answer.json == {"marked": False, "count": 0}
    assert ballots() == []


def test_marks_are_committed_together(app, demo_event):
    """Taps from many phones at once share commits (group commit), and each is stored."""
    import threading

    from planner.group_commit import committer

    phones = [app.test_client() for _ in range(12)]
    for phone in phones:
        phone.get(f"/e/{demo_event.slug}/vote")
    slug, talks = demo_event.slug, [talk.id for talk in demo_event.active_talks[:3]]
    before = committer(app, db.engine).batches
    last = max(ballot.id for ballot in ballots())
    answers = []

    def vote(phone) -> None:
        for talk in talks:  # plain values: the threads have no app context for the ORM
            answers.append(phone.post(f"/e/{slug}/vote/{talk}", headers=JSON).json)

    threads = [threading.Thread(target=vote, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 36 and all(answer["marked"] for answer in answers)
    assert sorted(answer["count"] for answer in answers) == [1] * 12 + [2] * 12 + [3] * 12
    assert committer(app, db.engine).batches - before <= 36
    new = [ballot for ballot in ballots() if ballot.id > last]
    assert [sorted(talk.id for talk in ballot.marks) for ballot in new] == [sorted(talks)] * 12


def test_each_card_is_rendered_once_per_version_and_language(app, event):
    """The voting page puts cached cards in the device's order: a second phone's page
    renders no card again; an edited session or another language renders anew."""
    from flask import template_rendered

    rendered = []

    def seen(_app, template, context, **_extra) -> None:
        if template.name == "participate/_vote_card.html":
            rendered.append((context["talk"].title, context["on"]))

    template_rendered.connect(seen, app)
    try:
        first = app.test_client().get("/e/camp/vote", headers=EN).get_data(as_text=True)
        assert len(rendered) == 6  # three sessions, unmarked and marked
        second = app.test_client().get("/e/camp/vote", headers=EN).get_data(as_text=True)
        assert len(rendered) == 6
        event.talks[0].title = "Neu betitelt"
        db.session.commit()
        third = app.test_client().get("/e/camp/vote", headers=EN).get_data(as_text=True)
        assert rendered[6:] == [("Neu betitelt", False), ("Neu betitelt", True)]
        app.test_client().get("/e/camp/vote", headers={"Accept-Language": "de"})
        assert len(rendered) == 8 + 6
    finally:
        template_rendered.disconnect(seen, app)
    assert "Thema 1" in first and "Thema 1" in second
    assert "Neu betitelt" in third and "Thema 1" not in third


def test_every_card_carries_the_pages_own_token(client, event):
    """The cached cards hold a placeholder; each page puts in its own CSRF token."""
    page = client.get("/e/camp/vote").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" value="([^"]*)"', page)
    assert len(tokens) == 2 + 3 and len(set(tokens)) == 1 and tokens[0]  # language, where
    assert "\x00" not in page


def test_a_tap_is_one_read_one_write_and_the_count(app, client, event):
    """Authorise, write and count: three statements (and the batch's BEGIN and COMMIT)."""
    client.get("/e/camp/vote")
    client.post(f"/e/camp/vote/{event.talks[0].id}", headers=JSON)  # the ballot exists now
    # Read before listening: each request commits, which expires the test's own objects too.
    second = event.talks[1].id
    statements = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.split()[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        answer = client.post(f"/e/camp/vote/{second}", headers=JSON)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert answer.json == {"marked": True, "count": 2}
    assert statements == ["BEGIN", "SELECT", "INSERT", "UPDATE", "COMMIT"]
