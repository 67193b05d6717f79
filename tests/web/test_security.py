"""Security headers on every answer, no inline code in any template, rate limits that stop
one person voting a hundred times without locking out a venue that shares one address."""

from __future__ import annotations

import re
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from planner.models import Ballot, Event, RateCount, Talk
from planner.operations import codes
from planner.web.device import DEVICE_COOKIE
from planner.web.limit_storage import LockedMemoryStorage

from ..conftest import database_url, empty_database
from ..services import redis_test_url

JSON = {"Accept": "application/json"}
TEMPLATES = Path(__file__).parents[2] / "planner/web/templates"


def test_headers_protect_every_page(client, demo_event):
    for url in ("/", f"/e/{demo_event.slug}/vote", "/login", "/nope"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_template_has_inline_scripts_styles_or_handlers():
    """The policy forbids them, so a template with one would break in the browser."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\sstyle=", text), template
        assert not re.search(r"\son[a-z]+=", text), template


def limited_config(tmp_path) -> dict:
    """Rate limits on, small enough to reach in a test."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_NEW_DEVICES": "5/minute",
        "RATELIMIT_NEW_BALLOTS": "3/minute",
        "RATELIMIT_MARKS": "4/minute",
        "RATELIMIT_PROPOSALS": "3/hour",
        "RATELIMIT_VOTING_CODES": "5/minute",
        "RATELIMIT_VOTING_CODES_PER_DEVICE": "2/minute",
    }


@pytest.fixture
def limited(tmp_path):
    """An app with small rate limits, and two events open for proposals and votes."""
    app = create_app(limited_config(tmp_path))
    from flask_migrate import upgrade

    with app.app_context():
        empty_database()
        upgrade()
        for slug in ("camp", "other"):
            event = Event(slug=slug, name="Camp", starts_on=date(2025, 5, 5))
            event.voting_open = event.proposals_open = True
            event.talks = [Talk(title=f"Sitzung {number}") for number in range(3)]
            db.session.add(event)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_new_devices_are_limited_per_address_but_known_devices_are_not(limited):
    english = {"Accept-Language": "en"}
    for _ in range(5):
        assert limited.test_client().get("/e/camp/vote", headers=english).status_code == 200
    refused = limited.test_client().get("/e/camp/vote", headers=english)
    assert refused.status_code == 429 and "Please wait a minute" in refused.get_data(True)
    assert "Retry-After" in refused.headers
    # Somebody from another address still gets in.
    other = limited.test_client().get("/e/camp/vote", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_marks_are_limited_per_device(limited):
    phone, laptop = limited.test_client(), limited.test_client()
    laptop.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    phone.get("/e/camp/vote")
    laptop.get("/e/camp/vote")
    json = {"Accept": "application/json"}
    answers = [phone.post("/e/camp/vote/1", headers=json).status_code for _ in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]
    assert laptop.post("/e/camp/vote/1", headers=json).status_code == 200


def test_proposals_without_a_device_are_limited_per_address(limited):
    client = limited.test_client()
    data = {"title": "Offene Daten", "hosts": "Ada", "format": "talk", "length": "1"}
    data |= {"language": "de", "description": ""}
    answers = [client.post("/e/camp/propose", data=data).status_code for _ in range(4)]
    assert answers[:3] == [302, 302, 302] and answers[3] == 429
    assert client.get("/e/camp/propose").status_code == 200, "looking is never limited"


def test_limits_live_in_redis_when_configured(tmp_path):
    """With REDIS_URL, every web process shares the counts: they are in Redis."""
    redis = pytest.importorskip("redis")
    url = redis_test_url()
    connection = redis.Redis.from_url(url)
    try:
        connection.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": url,
            "RATELIMIT_NEW_DEVICES": "2/minute",
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        empty_database()
        upgrade()
        db.session.add(Event(slug="camp", name="Camp"))
        db.session.commit()
        answers = [app.test_client().get("/e/camp/vote").status_code for _ in range(3)]
        db.session.remove()  # the requests shared this app context and its session
        db.engine.dispose()
    assert answers == [200, 200, 429]
    assert connection.keys("LIMITS*"), "the counters are in Redis"
    connection.flushdb()


def test_behind_a_trusted_proxy_the_visitor_and_the_public_address_count(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_NEW_DEVICES": "1/minute",
            "TRUSTED_PROXIES": 1,
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        empty_database()
        upgrade()
        event = Event(slug="camp", name="Camp")
        event.voting_open = True
        db.session.add(event)
        db.session.commit()
        proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "camp.example.org"}
        first = app.test_client().get("/e/camp/", headers={**proxy, "X-Forwarded-For": "1.1.1.1"})
        assert "https://camp.example.org/e/camp/vote" in first.get_data(as_text=True)
        answers = [
            app.test_client().get("/e/camp/vote", headers={**proxy, "X-Forwarded-For": address})
            for address in ("1.1.1.1", "2.2.2.2", "1.1.1.1")
        ]
        db.session.remove()  # the requests shared this app context and its session
        db.engine.dispose()
    assert [answer.status_code for answer in answers] == [200, 200, 429]


def test_a_zero_byte_is_refused_with_words(client, demo_event):
    """PostgreSQL cannot store one (found by tests/fuzz on PostgreSQL)."""
    for response in (
        client.get("/e/%00/"),
        client.get(f"/e/{demo_event.slug}/agenda?at=%00"),
        client.post(f"/e/{demo_event.slug}/propose", data={"title": "a\x00b"}),
    ):
        assert response.status_code == 400
        assert "character that is not allowed" in response.get_data(as_text=True)


def test_the_memory_storage_counts_exactly_under_many_threads():
    """The library's own memory storage started one timer thread twice under this load
    (`RuntimeError: threads can only be started once`); this one starts none."""
    storage = LockedMemoryStorage()
    errors, threads_before = [], threading.active_count()

    def hammer() -> None:
        try:
            for _ in range(500):
                storage.incr("one-limit", 60)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert storage.get("one-limit") == 16 * 500
    assert threading.active_count() == threads_before, "no timer thread is left behind"


def test_an_expired_window_starts_again_from_zero():
    storage = LockedMemoryStorage()
    assert storage.incr("key", 0.05) == 1
    assert storage.incr("key", 0.05) == 2
    time.sleep(0.06)
    assert storage.get("key") == 0
    assert storage.incr("key", 60) == 1
    storage.clear("key")
    assert storage.get("key") == 0


def test_one_limit_hammered_from_many_threads_answers_only_200_or_429(limited):
    """Eight phones of one device tap at once: exactly the limit gets through, the rest wait,
    and no request fails on the limiter."""
    limited.config["RATELIMIT_MARKS"] = "40/minute"
    first = limited.test_client()
    first.get("/e/camp/vote")
    cookie = first.get_cookie(DEVICE_COOKIE).value
    answers = []

    def tap() -> None:
        phone = limited.test_client()
        phone.set_cookie(DEVICE_COOKIE, cookie)
        for number in range(10):
            marked = "1" if number % 2 else "0"
            response = phone.post("/e/camp/vote/1", data={"marked": marked}, headers=JSON)
            answers.append(response.status_code)

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(answers)) == [200, 429]
    assert answers.count(200) == 40


PROPOSAL = {"title": "Offene Daten", "hosts": "Ada", "format": "talk", "length": "1"}
PROPOSAL |= {"language": "de", "description": ""}


def test_proposals_are_limited_per_event_and_device(limited):
    """A hall proposing from one address is not held up by one busy proposer."""
    busy, neighbour = limited.test_client(), limited.test_client()
    for phone in (busy, neighbour):
        assert phone.get("/e/camp/propose").status_code == 200  # gives the device cookie
    answers = [busy.post("/e/camp/propose", data=PROPOSAL).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    assert neighbour.post("/e/camp/propose", data=PROPOSAL).status_code == 302
    assert busy.post("/e/other/propose", data=PROPOSAL).status_code == 302, "another event"


def test_new_ballots_per_address_are_shared_by_all_processes(limited, tmp_path):
    """Two web processes (two apps, each with its own memory) on one database: the limit
    on new ballots counts in the database, so together they start only three."""
    other_process = create_app(limited_config(tmp_path))
    answers = []
    for app in (limited, other_process, limited, other_process):
        phone = app.test_client()
        phone.get("/e/camp/vote")
        answers.append(phone.post("/e/camp/vote/1", headers={**JSON, "Accept-Language": "en"}))
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[3].json["message"].startswith("Very many phones started voting")
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 3
    keys = db.session.scalars(sa.select(RateCount.key)).all()
    assert keys and not any("127.0.0.1" in key for key in keys), "no address is stored"
    with other_process.app_context():
        db.engine.dispose()


def test_the_online_choice_is_limited_like_marks_and_needs_the_page(limited):
    phone = limited.test_client()
    assert phone.post("/e/camp/vote/online", data={"online": "1"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 0, "no ballot without page"
    phone.get("/e/camp/vote")
    answers = [phone.post("/e/camp/vote/online", data={"online": "1"}) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 302, 429]
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 1


@pytest.fixture
def with_codes(limited):
    """The event needs voting codes; thirty of them are printed."""
    event = db.session.scalar(sa.select(Event).where(Event.slug == "camp"))
    event.voting_codes_required = True
    made = [code.code for code in codes.generate_codes(event, 30)]
    db.session.commit()
    return made


def test_thirty_valid_codes_from_one_address_in_a_minute_are_accepted(limited, with_codes):
    answers = []
    for code in with_codes:
        phone = limited.test_client()
        phone.get("/e/camp/vote")
        answers.append(phone.post("/e/camp/vote/code", data={"code": code}).status_code)
    assert answers == [302] * 30
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 30


def test_wrong_codes_are_limited_per_device_and_per_address(limited, with_codes):
    guesser, neighbour = limited.test_client(), limited.test_client()
    guesser.get("/e/camp/vote")
    neighbour.get("/e/camp/vote")
    wrong = {"code": "AAAA-AAAA"}
    tries = [guesser.post("/e/camp/vote/code", data=wrong).status_code for _ in range(3)]
    assert tries == [400, 400, 429]  # two wrong tries a minute per device
    assert guesser.post("/e/camp/vote/code", data={"code": with_codes[0]}).status_code == 429
    assert neighbour.post("/e/camp/vote/code", data={"code": with_codes[1]}).status_code == 302
    # A guesser who takes a new cookie for every try still counts against the address.
    fresh = []
    for _ in range(4):
        phone = limited.test_client()
        phone.get("/e/camp/vote")
        fresh.append(phone.post("/e/camp/vote/code", data=wrong).status_code)
    assert fresh == [400, 400, 400, 429]  # five wrong tries a minute per address


def test_an_empty_code_form_is_not_a_wrong_try(limited, with_codes):
    phone = limited.test_client()
    phone.get("/e/camp/vote")
    empty = [phone.post("/e/camp/vote/code", data={"code": " - "}).status_code for _ in range(4)]
    assert empty == [400] * 4
    assert phone.post("/e/camp/vote/code", data={"code": with_codes[0]}).status_code == 302


def test_new_ballots_count_in_redis_when_configured(tmp_path):
    redis = pytest.importorskip("redis")
    url = redis_test_url()
    connection = redis.Redis.from_url(url)
    try:
        connection.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    config = {**limited_config(tmp_path), "RATELIMIT_STORAGE_URI": url}
    first, second = create_app(config), create_app(config)
    from flask_migrate import upgrade

    with first.app_context():
        empty_database()
        upgrade()
        db.session.add(Event(slug="camp", name="Camp", voting_open=True, talks=[Talk(title="A")]))
        db.session.commit()
        answers = []
        for app in (first, second, first, second):
            phone = app.test_client()
            phone.get("/e/camp/vote")
            answers.append(phone.post("/e/camp/vote/1", headers=JSON).status_code)
        assert db.session.scalar(sa.select(sa.func.count(RateCount.key))) == 0
        db.session.remove()
        db.engine.dispose()
    with second.app_context():
        db.engine.dispose()
    assert answers == [200, 200, 200, 429]
    assert any(b"new-ballot" in key for key in connection.keys("LIMITS*"))
    connection.flushdb()
