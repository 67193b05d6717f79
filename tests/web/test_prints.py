"""Printed matter: door signs, session cards, the voting poster and the plan as PDF.

The PDFs are read back with pypdfium2: pages, their text, and a rendered image for the QR
codes (no decoder offline: the HTML preview shows which URL a code holds, the image that it
is printed large and square).
"""

from __future__ import annotations

from datetime import date, datetime

import pypdfium2
import pytest

from planner.extensions import db
from planner.models import Event, Room, Slot, Talk
from planner.operations.printing import session_cards
from planner.operations.schedule import published_schedule
from planner.web.prints.pdf import StaticFetcher
from planner.web.qr import qr_svg

from .test_public import publish

PT_PER_MM = 72 / 25.4
A4 = (595, 842)
A3 = (842, 1191)


@pytest.fixture
def camp(app):
    """Two days, two rooms; a double session, a discussion, and a withdrawn session."""
    day1 = [
        Slot(starts_at=datetime(2025, 3, 3, h, 0), ends_at=datetime(2025, 3, 3, h, 45))
        for h in (10, 11)
    ]
    day2 = [Slot(starts_at=datetime(2025, 3, 4, 10, 0), ends_at=datetime(2025, 3, 4, 10, 45))]
    event = Event(slug="mini", name="Mini Camp", starts_on=date(2025, 3, 3))
    event.ends_on = date(2025, 3, 4)
    event.slots = day1 + day2
    event.rooms = [Room(name="Saal A", position=0), Room(name="Saal B", position=1)]
    event.talks = [
        Talk(title="Doppelt gut", hosts=["Ada"], length=2),
        Talk(title="Morgen früh", hosts=["Ben", "Cem"]),
        Talk(title="Offene Runde", hosts=["Dora"], format="discussion"),
        Talk(title="Zurückgezogen", hosts=["Eve"]),
    ]
    db.session.add(event)
    db.session.commit()
    return event


def publish_camp(event: Event) -> None:
    """Publish a hand-written plan, then withdraw the fourth session (after publishing)."""
    double, morning, round_, gone = event.talks
    room_a, room_b = event.rooms
    slots = event.slots
    places = [(double, room_b, 0), (morning, room_a, 2), (round_, room_a, 0), (gone, room_b, 2)]
    assignments = [
        {"session": talk.key, "room": room.key, "slot": slots[index].key}
        for talk, room, index in places
    ]
    publish(event, document={"format": "barcamp-planner/plan@1", "assignments": assignments})
    gone.withdrawn = True
    db.session.commit()


def pdf_of(response) -> pypdfium2.PdfDocument:
    """The PDF of a download response, after checking that it is one."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return pypdfium2.PdfDocument(response.data)


def texts(pdf: pypdfium2.PdfDocument) -> list[str]:
    """Each page's text, words hyphenated at a line end joined, spaces folded to one."""
    pages = [page.get_textpage().get_text_range().replace("\u2010\r\n", "") for page in pdf]
    return [" ".join(page.split()) for page in pages]


def page_size(pdf: pypdfium2.PdfDocument) -> tuple[int, int]:
    return tuple(round(side) for side in pdf[0].get_size())


def dark_box(image, region: tuple[int, int, int, int]) -> tuple[int, int, float]:
    """Width, height and dark share of the dark pixels' bounding box inside `region`."""
    gray = image.convert("L").crop(region).point(lambda value: 255 if value < 128 else 0)
    box = gray.getbbox()
    assert box is not None, "nothing dark there"
    area = gray.crop(box)
    dark = area.histogram()[255] / (area.width * area.height)
    return area.width, area.height, dark


def assert_qr_code(image, region, *, min_mm: float) -> None:
    """A square of black and white modules at least `min_mm` wide inside `region`."""
    width, height, dark = dark_box(image, region)
    assert width >= min_mm * PT_PER_MM and abs(width - height) <= 3
    assert 0.3 < dark < 0.7  # modules, not a black square


def test_door_signs_one_page_per_room_and_day(client, camp):
    publish_camp(camp)
    response = client.get("/e/mini/print/doors.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mini-doors.pdf"'
    pages = texts(pdf_of(response))
    assert len(pages) == 3  # Saal B has only the withdrawn session on day two: no sign
    day1_a, day1_b, day2_a = pages
    assert "Saal A" in day1_a and "Monday, March 3, 2025" in day1_a
    assert "10:00–10:45 Offene Runde Dora" in day1_a and "Doppelt gut" not in day1_a
    assert "Saal B" in day1_b and "10:00–11:45 Doppelt gut Ada" in day1_b
    assert "Offene Runde" not in day1_b and "Morgen früh" not in day1_b
    assert "Tuesday, March 4, 2025" in day2_a and "Morgen früh Ben, Cem" in day2_a
    assert "Offene Runde" not in day2_a
    assert all("Zurückgezogen" not in page and "Mini Camp" in page for page in pages)


def test_door_signs_carry_a_large_qr_code_of_the_rooms_live_sign(client, camp):
    publish_camp(camp)
    room_a, room_b = camp.rooms
    page = client.get("/e/mini/print/doors").get_data(as_text=True)
    assert page.count('<svg viewBox="0 0 ') == 3
    for room in (room_a, room_b):
        code = qr_svg(f"http://localhost/e/mini/rooms/{room.id}/door", "")
        assert code[code.index(' d="') :] in page  # the modules of that very URL
    assert 'href="/e/mini/print/doors.pdf"' in page
    image = pdf_of(client.get("/e/mini/print/doors.pdf"))[0].render(scale=1).to_pil()
    width, height = image.size
    assert_qr_code(image, (width * 2 // 3, int(height * 0.77), width, height), min_mm=40)


def test_door_signs_list_a_busy_day_on_one_page(client, demo_event):
    publish(demo_event)
    signs = texts(pdf_of(client.get(f"/e/{demo_event.slug}/print/doors.pdf")))
    schedule = published_schedule(demo_event)
    assert len(signs) == len({(entry.room.id, entry.start.date()) for entry in schedule.entries})
    for entry in schedule.entries:
        assert sum(entry.talk.title in sign for sign in signs) == 1


def test_session_cards_work_before_publishing(client, camp):
    camp.talks[3].withdrawn = True
    db.session.commit()
    response = client.get("/e/mini/print/cards.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mini-cards.pdf"'
    (page,) = texts(pdf_of(response))  # three cards on one A4 page
    assert "Doppelt gut Ada Talk · 2 slots" in page
    assert "Morgen früh Ben, Cem Talk · 1 slot" in page
    assert "Offene Runde Dora Discussion · 1 slot" in page
    assert "Zurückgezogen" not in page and "Saal" not in page and "10:00" not in page


def test_session_cards_show_time_and_room_once_published(client, camp):
    publish_camp(camp)
    (page,) = texts(pdf_of(client.get("/e/mini/print/cards.pdf")))
    assert "Monday, March 3, 2025 10:00–11:45 Saal B" in page
    assert "Tuesday, March 4, 2025 10:00–10:45 Saal A" in page
    assert "Zurückgezogen" not in page
    preview = client.get("/e/mini/print/cards").get_data(as_text=True)
    assert preview.count('<article class="card"') == 3
    code = qr_svg(f"http://localhost/e/mini/sessions/{camp.talks[0].id}", "")
    assert code[code.index(' d="') :] in preview


def test_session_cards_four_to_a_page_with_a_qr_code_each(client, demo_event):
    active = len(demo_event.active_talks)
    pdf = pdf_of(client.get(f"/e/{demo_event.slug}/print/cards.pdf"))
    assert len(pdf) == -(-active // 4) and page_size(pdf) == A4
    image = pdf[0].render(scale=1).to_pil()
    width, height = image.size
    corner = (width // 2 - 110, height // 2 - 130, width // 2 - 4, height // 2 - 4)
    assert_qr_code(image, corner, min_mm=20)  # the first card's lower right corner


def test_session_cards_in_plan_order_then_pitch_order(app, camp):
    publish_camp(camp)
    double, morning, round_, _gone = camp.talks
    extra = Talk(title="Später gepitcht")
    camp.talks.append(extra)
    db.session.commit()
    cards = session_cards(camp, published_schedule(camp))
    assert [card.talk for card in cards] == [round_, double, morning, extra]
    assert cards[-1].entry is None and cards[0].entry.room.name == "Saal A"


def test_voting_poster_a3_and_a4(client, camp):
    response = client.get("/e/mini/print/poster.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mini-poster-a3.pdf"'
    pdf = pdf_of(response)
    (page,) = texts(pdf)
    assert page_size(pdf) == A3
    assert "Mini Camp" in page and "Vote for the sessions you want to attend" in page
    assert "http://localhost/e/mini/vote" in page
    image = pdf[0].render(scale=1).to_pil()
    width, height = image.size
    assert_qr_code(image, (0, int(height * 0.2), width, int(height * 0.64)), min_mm=150)
    pdf = pdf_of(client.get("/e/mini/print/poster.pdf?size=a4"))
    assert len(pdf) == 1 and page_size(pdf) == A4
    assert client.get("/e/mini/print/poster.pdf?size=a5").status_code == 400


def test_voting_poster_preview_holds_the_vote_url(client, camp):
    page = client.get("/e/mini/print/poster?size=a4").get_data(as_text=True)
    code = qr_svg("http://localhost/e/mini/vote", "")
    assert code[code.index(' d="') :] in page and "http://localhost/e/mini/vote" in page
    assert 'href="/e/mini/print/poster.pdf?size=a4"' in page


def test_schedule_pdf_one_page_per_day(client, camp):
    publish_camp(camp)
    response = client.get("/e/mini/schedule.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mini-plan.pdf"'
    pdf = pdf_of(response)
    day1, day2 = texts(pdf)
    assert page_size(pdf) == A4[::-1]  # landscape
    assert "Monday, March 3, 2025" in day1 and "Doppelt gut" in day1 and "until 11:45" in day1
    assert "Tuesday, March 4, 2025" in day2 and "Morgen früh" in day2
    assert "Doppelt gut" not in day2 and "Print this page" not in day1 + day2


def test_schedule_pdf_on_a3_when_asked(client, camp):
    publish_camp(camp)
    response = client.get("/e/mini/schedule.pdf?paper=a3")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mini-plan-a3.pdf"'
    pdf = pdf_of(response)
    assert page_size(pdf) == A3[::-1]
    assert "Doppelt gut" in texts(pdf)[0]


def test_a_pdf_neither_prints_nor_takes_the_last_actions_message(client, camp):
    publish_camp(camp)
    with client.session_transaction() as cookie:
        cookie["_flashes"] = [("message", "Die Sitzung wurde verschoben.")]
    plan = " ".join(texts(pdf_of(client.get("/e/mini/schedule.pdf"))))
    assert "verschoben" not in plan
    assert "Die Sitzung wurde verschoben." in client.get("/e/mini/").get_data(as_text=True)


def test_pdfs_in_german_for_a_german_browser(client, camp):
    publish_camp(camp)
    german = {"Accept-Language": "de"}
    doors = texts(pdf_of(client.get("/e/mini/print/doors.pdf", headers=german)))
    assert "Montag, 3. März 2025" in doors[0] and "Dienstag, 4. März 2025" in doors[2]
    (cards,) = texts(pdf_of(client.get("/e/mini/print/cards.pdf", headers=german)))
    assert "Diskussion · 1 Zeitfenster" in cards and "Vortrag · 2 Zeitfenster" in cards
    plan = texts(pdf_of(client.get("/e/mini/schedule.pdf", headers=german)))
    assert "Zeit" in plan[0] and "bis 11:45" in plan[0]


def test_unknown_event_is_404(client):
    for path in ("doors", "doors.pdf", "cards", "cards.pdf", "poster", "poster.pdf"):
        assert client.get(f"/e/nope/print/{path}").status_code == 404
    assert client.get("/e/nope/schedule.pdf").status_code == 404


def test_nothing_published_doors_and_plan_404_but_cards_print(client, camp):
    for url in ("/e/mini/print/doors", "/e/mini/print/doors.pdf", "/e/mini/schedule.pdf"):
        response = client.get(url)
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert "No plan is published yet." in response.get_data(as_text=True)
        assert 'href="/e/mini/print/cards"' in response.get_data(as_text=True)
    assert client.get("/e/mini/print/cards.pdf").status_code == 200
    assert client.get("/e/mini/print/poster.pdf").status_code == 200


def test_pdf_fetches_only_static_files(app):
    fetcher = StaticFetcher("http://localhost/static/", app.static_folder)
    response = fetcher.fetch("http://localhost/static/prints.css?v=1")
    assert response.content_type == "text/css" and b"@page door" in response.read()
    for url in (
        "http://localhost/static/../config.py",
        "http://localhost/static/missing.css",
        "http://localhost/organise/",
        "https://example.org/static/prints.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
