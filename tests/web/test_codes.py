"""Voting codes: one code, one ballot, on any device; without a code no vote when the event
requires codes; organisers make codes and print them as labels."""

from __future__ import annotations

import re
from datetime import date

import pypdfium2
import pytest
import sqlalchemy as sa

from planner.errors import UserInputError
from planner.extensions import db
from planner.models import Ballot, Event, Talk
from planner.operations import agenda, codes


@pytest.fixture
def camp(app):
    event = Event(slug="camp", name="Camp", starts_on=date(2025, 5, 5))
    event.voting_open = event.voting_codes_required = True
    event.talks = [Talk(title="Open Data"), Talk(title="KI im Amt")]
    db.session.add(event)
    db.session.flush()
    codes.generate_codes(event, 3)
    db.session.commit()
    return event


def ballots() -> int:
    return db.session.scalar(sa.select(sa.func.count(Ballot.id)))


def test_codes_are_readable_and_distinct(camp):
    made = [code.code for code in camp.voting_codes]
    assert len(set(made)) == 3
    assert all(re.fullmatch(f"[{codes.ALPHABET}]{{8}}", code) for code in made)
    assert codes.readable("K7PXM3QD") == "K7PX-M3QD"
    assert codes.normalised(" k7px-m3qd ") == "K7PXM3QD"


def test_without_a_code_there_is_no_vote(client, camp):
    page = client.get("/e/camp/vote?code=ABCD").get_data(as_text=True)
    assert "enter the code printed on your badge" in page and 'value="ABCD"' in page
    assert "Open Data" not in page
    response = client.post(
        f"/e/camp/vote/{camp.talks[0].id}", headers={"Accept": "application/json"}
    )
    assert response.status_code == 409 and "voting code" in response.json["message"]
    assert ballots() == 0


def test_a_wrong_code_is_refused_and_kept(client, camp):
    response = client.post("/e/camp/vote/code", data={"code": "nope-nope"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "not valid for this event" in body
    assert 'value="nope-nope"' in body and ballots() == 0


@pytest.mark.parametrize("typed", ["", "  ", " - "])
def test_an_empty_code_asks_for_the_code(client, camp, typed):
    response = client.post(
        "/e/camp/vote/code", data={"code": typed}, headers={"Accept-Language": "de"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and ballots() == 0
    assert "Bitte geben Sie den Code von Ihrem Namensschild ein." in body
    assert "gilt nicht" not in body


def test_one_code_one_ballot_on_any_device(app, client, camp):
    code = camp.voting_codes[0].code
    typed = codes.readable(code).lower()  # as somebody types it from the badge
    response = client.post("/e/camp/vote/code", data={"code": typed})
    assert response.status_code == 302 and "barcamp_device" in response.headers["Set-Cookie"]
    first = camp.talks[0]
    assert client.post(f"/e/camp/vote/{first.id}").status_code == 302
    assert "Open Data" in client.get("/e/camp/vote").get_data(as_text=True)

    laptop = app.test_client()
    laptop.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    laptop.post("/e/camp/vote/code", data={"code": code})
    page = laptop.get("/e/camp/vote").get_data(as_text=True)
    assert re.search(r'aria-pressed="true"', page), "the mark came along with the code"
    assert ballots() == 1

    # A second code on the same laptop is a second person: a ballot of its own.
    laptop.post("/e/camp/vote/code", data={"code": camp.voting_codes[1].code})
    assert ballots() == 2
    page = laptop.get("/e/camp/vote").get_data(as_text=True)
    assert 'aria-pressed="true"' not in page


def test_without_the_requirement_codes_are_not_asked_for(client, camp):
    camp.voting_codes_required = False
    db.session.commit()
    page = client.get("/e/camp/vote").get_data(as_text=True)
    assert "Open Data" in page and "badge" not in page


def test_organisers_make_require_and_print_codes(client, auth, camp):
    auth.login()
    page = client.get("/organise/camp/codes").get_data(as_text=True)
    assert "3 codes, 0 of them entered" in page
    client.post("/organise/camp/codes/generate", data={"count": "40"})
    refused = client.post(
        "/organise/camp/codes/generate", data={"count": "5000"}, follow_redirects=True
    )
    assert "between 1 and 2000" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(camp.voting_codes) == 43
    client.post("/organise/camp/codes/required", data={"required": "0"})
    db.session.expire_all()
    assert camp.voting_codes_required is False
    preview = client.get("/organise/camp/codes/labels").get_data(as_text=True)
    assert preview.count('class="code-label"') == 43
    assert codes.readable(camp.voting_codes[0].code) in preview
    assert preview.count('class="qr"') == 43, "every label has its QR code"
    pdf = pypdfium2.PdfDocument(client.get("/organise/camp/codes/labels.pdf").data)
    assert len(pdf) == 3  # 43 labels, 21 to a sheet
    printed = [codes.readable(code.code) for code in camp.voting_codes]
    for number, first in enumerate(range(0, 43, 21)):
        places = label_places(pdf[number], printed[first : first + 21])
        assert all(places.values()), "every code of the sheet lies on the page"
        columns = {int(left // 100) for left, _top in places.values()}  # 70 mm = 198 pt apart
        assert len(columns) == min(3, len(places)), "three labels side by side"


def label_places(page, readable_codes: list[str]) -> dict[str, tuple[float, float] | None]:
    """Where each code's first letter sits on the page (PDF points), or None if off the page."""
    width, height = page.get_size()
    text = page.get_textpage()
    places = {}
    for readable in readable_codes:
        index, _count = text.search(readable).get_next()
        left, bottom, right, top = text.get_charbox(index)
        inside = left >= 0 and right <= width and bottom >= 0 and top <= height
        places[readable] = (left, top) if inside else None
    return places


def test_codes_pages_need_an_organiser(client, camp):
    for url in ("/organise/camp/codes", "/organise/camp/codes/labels.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location
    assert client.post("/organise/camp/codes/generate", data={"count": "5"}).status_code == 302
    db.session.expire_all()
    assert len(camp.voting_codes) == 3


def device_ballot(client, event: Event) -> Ballot:
    """The ballot the client's device votes with."""
    from planner.web.device import device_token

    with client.application.test_request_context(
        headers={"Cookie": f"barcamp_device={client.get_cookie('barcamp_device').value}"}
    ):
        token = device_token()
    return db.session.scalar(sa.select(Ballot).where(Ballot.token == token))


def test_the_private_link_moves_nothing_while_codes_count_the_votes(app, client, camp):
    """A device with code B that opened the link of code A's ballot would merge B into A and
    free code B for a fresh ballot: one person, two votes. The badge code moves a ballot."""
    from planner.web.device import transfer_code

    first, second = camp.talks
    client.post("/e/camp/vote/code", data={"code": camp.voting_codes[0].code})
    client.post(f"/e/camp/vote/{first.id}")
    own_agenda = client.get("/e/camp/agenda", headers={"Accept-Language": "en"})
    assert "/agenda/move/" not in own_agenda.get_data(as_text=True)
    assert "enter the code from your badge" in own_agenda.get_data(as_text=True)
    phone = device_ballot(client, camp)
    url = f"/e/camp/agenda/move/{transfer_code(phone.token)}"
    laptop = app.test_client()
    laptop.post("/e/camp/vote/code", data={"code": camp.voting_codes[1].code})
    laptop.post(f"/e/camp/vote/{second.id}")
    laptop_ballot = device_ballot(laptop, camp)

    for method in (laptop.get, laptop.post):
        refused = method(url, headers={"Accept-Language": "de"})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 409
        assert "Geben Sie auf dem anderen Gerät einfach den Code von Ihrem Namensschild ein" in page
    db.session.expire_all()
    assert ballots() == 2 and device_ballot(laptop, camp).id == laptop_ballot.id
    assert phone.marks == [first] and laptop_ballot.marks == [second]
    assert camp.voting_codes[1].ballot_id == laptop_ballot.id
    with pytest.raises(UserInputError, match="Namensschild"):
        agenda.adopt_ballot(camp, phone, laptop_ballot)  # no other caller can either

    # Once voting is over, the link shows the agenda on the other device, merging nothing.
    camp.voting_open = False
    db.session.commit()
    assert laptop.get(url).status_code == 200
    assert laptop.post(url).status_code == 302
    db.session.expire_all()
    assert ballots() == 2 and device_ballot(laptop, camp).id == phone.id
    assert phone.marks == [first] and laptop_ballot.marks == [second]
