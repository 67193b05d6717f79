"""The board answers its script in JSON, the event's tab bar leads to it, and the phases are
steps with a plain button each."""

from __future__ import annotations

from planner.extensions import db
from planner.operations import planning


def test_the_phases_are_steps_with_a_button_each(client, auth, demo_event):
    auth.login()
    demo_event.voting_open, demo_event.planning_started = True, False
    db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    page = client.get(f"/organise/{demo_event.slug}/").get_data(as_text=True)
    steps = page.split('class="phase-steps"')[1].split("</ol>")[0]
    assert [part.split("</span>")[0] for part in steps.split('class="step-name">')[1:]] == [
        "Vorschläge",
        "Abstimmung",
        "Planung",
        "veröffentlicht",
    ]
    assert 'aria-current="step"' in steps.split("Abstimmung")[0].rsplit("<li", 1)[1]
    assert ">Abstimmung beenden</button>" in page
    page = client.post(
        f"/organise/{demo_event.slug}/phases/voting_open", data={"open": "0"}, follow_redirects=True
    ).get_data(as_text=True)
    db.session.expire_all()
    assert demo_event.voting_open is False
    assert ">Abstimmung öffnen</button>" in page
    assert client.post(f"/organise/{demo_event.slug}/phases/nonsense").status_code == 404


def test_the_tab_bar_has_the_planning_board(client, auth, demo_event):
    auth.login()
    board = f"/organise/{demo_event.slug}/plan"
    page = client.get(f"/organise/{demo_event.slug}/rooms").get_data(as_text=True)
    assert f'href="{board}"' in page.split('class="event-nav"')[1].split("</nav>")[0]
    page = client.get(board).get_data(as_text=True)
    assert f'href="/organise/{demo_event.slug}/plan" aria-current="page"' in page


def test_move_and_pin_answer_the_script_in_json(client, auth, demo_event):
    auth.login()
    board = f"/organise/{demo_event.slug}/plan"
    client.post(f"{board}/generate")
    db.session.expire_all()
    item = planning.draft(demo_event).document["assignments"][0]
    talk = next(talk for talk in demo_event.talks if talk.key == item["session"])
    json = {"Accept": "application/json"}
    answer = client.post(f"{board}/move", data={"talk": talk.id, "place": ""}, headers=json)
    assert answer.get_json() == {"ok": True, "message": f"Moved: {talk.title}"}
    answer = client.post(
        f"{board}/move",
        data={"talk": talk.id, "place": f"{item['room']}|{item['slot']}"},
        headers=json,
    )
    assert answer.get_json()["ok"] is True
    answer = client.post(f"{board}/pin", data={"talk": talk.id, "pinned": "1"}, headers=json)
    assert answer.get_json() == {"ok": True, "message": f"Pinned: {talk.title}"}
    answer = client.post(f"{board}/undo", headers=json)
    assert answer.get_json() == {"ok": True, "message": "The last change was undone."}
