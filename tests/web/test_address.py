"""The public address: QR codes, calendar feeds and exports never name a host a visitor made
up; they name PUBLIC_URL (or SERVER_NAME), or a host of TRUSTED_HOSTS, and any other host is
refused (planner/web/address.py)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask_migrate import upgrade

from planner import create_app
from planner.config import defaults
from planner.extensions import db
from planner.operations import planning

from ..conftest import database_url, empty_database

EVIL = {"Host": "evil.example"}


@contextmanager
def app_with(tmp_path, **config):
    """An app with `config`, a migrated database and the demo with a published plan."""
    from planner.demo import load_demo

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "SOLVER_TIME_LIMIT": 0.5,
            "SOLVER_WORKERS": 1,
            **config,
        }
    )
    with app.app_context():
        empty_database()
        upgrade()
        event = load_demo()
        planning.generate(event, keep=False, time_limit=0.5, workers=1)
        planning.publish(event)
        db.session.commit()
        try:
            yield app, event.slug
        finally:
            db.session.remove()
            db.engine.dispose()


def _public_texts(client, slug: str, headers: dict) -> dict[str, str]:
    """The outputs that carry absolute addresses, by path."""
    paths = [f"/e/{slug}/", f"/e/{slug}/schedule.ics", f"/e/{slug}/schedule.xml"]
    paths.append(f"/e/{slug}/schedule.json")
    texts = {}
    for path in paths:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        texts[path] = response.get_data(as_text=True).replace("\r\n ", "")  # ICS folds lines
    return texts


def test_by_default_only_local_hosts_are_trusted(tmp_path):
    with app_with(tmp_path) as (app, slug):
        client = app.test_client()
        assert client.get(f"/e/{slug}/", headers=EVIL).status_code == 400
        for host in ("localhost", "127.0.0.1:5000", "localhost:8000"):
            assert client.get(f"/e/{slug}/", headers={"Host": host}).status_code == 200


def test_the_public_url_is_named_whatever_host_a_request_names(tmp_path):
    with app_with(tmp_path, PUBLIC_URL="https://camp.example.org/") as (app, slug):
        texts = _public_texts(app.test_client(), slug, EVIL)
    for path, text in texts.items():
        assert "evil.example" not in text, path
        assert "https://camp.example.org/e/" in text, path
    assert "@camp.example.org" in texts[f"/e/{slug}/schedule.ics"]  # the sessions' UIDs


def test_server_name_is_a_public_address_too(tmp_path):
    config = {"SERVER_NAME": "camp.example.org", "PREFERRED_URL_SCHEME": "https"}
    with app_with(tmp_path, **config) as (app, slug):
        page = app.test_client().get(f"/e/{slug}/", headers=EVIL).get_data(as_text=True)
    assert "https://camp.example.org/e/" in page and "evil.example" not in page


def test_trusted_hosts_are_served_with_their_own_address_and_others_refused(tmp_path):
    with app_with(tmp_path, TRUSTED_HOSTS=["camp.example.org"]) as (app, slug):
        client = app.test_client()
        refused = client.get(f"/e/{slug}/schedule.ics", headers=EVIL)
        texts = _public_texts(client, slug, {"Host": "camp.example.org"})
    assert refused.status_code == 400
    assert all("http://camp.example.org/e/" in text for text in texts.values())


@pytest.mark.parametrize(
    "url", ["camp.example.org", "ftp://camp.example.org", "https://", "https://x.org/camp"]
)
def test_a_public_url_that_is_not_one_stops_the_start(tmp_path, url):
    with pytest.raises(ValueError, match="PUBLIC_URL must be a scheme and host"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": url})


def test_the_environment_configures_both(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLIC_URL", "https://camp.example.org")
    monkeypatch.setenv("TRUSTED_HOSTS", " camp.example.org, www.camp.example.org ,")
    settings = defaults(str(tmp_path))
    assert settings["PUBLIC_URL"] == "https://camp.example.org"
    assert settings["TRUSTED_HOSTS"] == ["camp.example.org", "www.camp.example.org"]
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert defaults(str(tmp_path))["TRUSTED_HOSTS"] is None
