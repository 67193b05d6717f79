"""The board answers its script in JSON, the event's tab bar leads to it, and the phases are
steps with a plain button each."""

from __future__ import annotations

from planner.extensions import db
from planner.operations import planning

from .board_forms import board_form


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


def seen(event) -> str:
    """The draft revision a board drawn now sends with every change."""
    db.session.expire_all()
    return str(planning.revision(event))


def test_move_and_pin_answer_the_script_in_json(client, auth, demo_event):
    auth.login()
    board = f"/organise/{demo_event.slug}/plan"
    client.post(f"{board}/generate", data=board_form(board))
    db.session.expire_all()
    item = planning.draft(demo_event).document["assignments"][0]
    talk = next(talk for talk in demo_event.talks if talk.key == item["session"])
    json = {"Accept": "application/json"}
    answer = client.post(
        f"{board}/move",
        data={"talk": talk.id, "place": "", "revision": seen(demo_event)},
        headers=json,
    )
    assert answer.get_json() == {"ok": True, "message": f"Moved: {talk.title}"}
    answer = client.post(
        f"{board}/move",
        data={
            "talk": talk.id,
            "place": f"{item['room']}|{item['slot']}",
            "revision": seen(demo_event),
        },
        headers=json,
    )
    assert answer.get_json()["ok"] is True
    answer = client.post(
        f"{board}/pin",
        data={"talk": talk.id, "pinned": "1", "revision": seen(demo_event)},
        headers=json,
    )
    assert answer.get_json() == {"ok": True, "message": f"Pinned: {talk.title}"}
    answer = client.post(f"{board}/undo", data=board_form(board), headers=json)
    assert answer.get_json() == {"ok": True, "message": "The last change was undone."}


def test_a_refused_move_names_what_is_missing(client, auth, demo_event):
    auth.login()
    board = f"/organise/{demo_event.slug}/plan"
    client.post(f"{board}/generate", data=board_form(board))
    db.session.expire_all()
    talk = next(talk for talk in demo_event.active_talks if "projector" in talk.needs)
    room = next(room for room in demo_event.rooms if "projector" not in room.features)
    slot = demo_event.slots[0]
    answer = client.post(
        f"{board}/move",
        data={"talk": talk.id, "place": f"{room.key}|{slot.key}", "revision": seen(demo_event)},
        headers={"Accept": "application/json", "Accept-Language": "de"},
    )
    assert answer.status_code == 409
    assert (
        f"„{talk.title}“ braucht einen Beamer; Raum {room.name} hat keinen."
        in answer.get_json()["errors"]
    )


def test_figures_are_whole_people_with_plain_names(client, auth, demo_event):
    auth.login()
    board = f"/organise/{demo_event.slug}/plan"
    client.post(f"{board}/generate", data=board_form(board))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    page = client.get(board).get_data(as_text=True)
    figures = page.split('class="figures"')[1].split("</dl>")[0]
    assert "Verpasste Besuche" in figures and "Erfüllte Wünsche" in figures
    missed = figures.split("Verpasste Besuche</dt><dd>")[1].split("</dd>")[0]
    assert missed.isdigit()  # whole people, no decimal comma
    assert 'title="Wie oft jemand eine markierte Sitzung nicht besuchen kann' in figures


def test_an_over_full_room_is_said_in_a_sentence(client, auth, demo_event):
    auth.login()
    board = f"/organise/{demo_event.slug}/plan"
    client.post(f"{board}/generate", data=board_form(board))
    db.session.expire_all()
    room = next(
        room
        for room in demo_event.rooms
        if room.capacity == min(r.capacity for r in demo_event.rooms)
    )
    room.capacity = 1
    db.session.commit()
    found = planning.overfull(demo_event, planning.board(demo_event))
    assert found and all(people > seats for _room, _title, people, seats in found)
    page = client.get(board).get_data(as_text=True)
    assert (
        f"Room {room.name} is over-full:" in page
        and "Swap it with a session in a bigger room" in page
    )
