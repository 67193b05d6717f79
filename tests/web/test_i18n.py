"""German and English: every string in the code is translated, German comes first."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
CATALOGUE = ROOT / "planner/translations/de/LC_MESSAGES/messages.po"
METHODS = [("**.py", "python"), ("web/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def test_every_string_in_the_code_has_a_german_translation():
    with CATALOGUE.open("rb") as handle:
        translated = {
            message.id[0] if message.pluralizable else message.id
            for message in read_po(handle)
            if message.id and all(message.string if message.pluralizable else [message.string])
        }
    found = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(ROOT / "planner"), METHODS, keywords=KEYWORDS)
    }
    assert found - translated == set(), "run pybabel extract/update and translate"


def test_german_browser_gets_german(client):
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"})
    assert 'lang="de"' in page.get_data(as_text=True)
    assert "Anmelden" in page.get_data(as_text=True)


def test_english_browser_gets_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in page.get_data(as_text=True) and "Log in" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("fr-FR", "en"),  # neither German nor English asked for: English reads better
        ("fr-FR,fr;q=0.9", "en"),
        ("", "de"),  # no preference at all: a calendar app or another program
        ("fr-FR,de;q=0.8,en;q=0.5", "de"),  # German before English in the browser's order
        ("fr-FR,en;q=0.8,de;q=0.5", "en"),
        ("en;q=0.4,de-CH;q=0.7", "de"),  # by quality, not by position in the header
        ("de;q=0,en;q=0.5", "en"),  # q=0: not wanted at all
        ("*", "en"),
    ],
)
def test_german_for_browsers_that_ask_for_german_first_else_english(client, accept, language):
    page = client.get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'lang="{language}"' in page
    assert ("Anmelden" in page) is (language == "de")


def test_a_regional_german_browser_gets_german_before_english(client):
    page = client.get("/login", headers={"Accept-Language": "de-AT,en;q=0.5"})
    assert 'lang="de"' in page.get_data(as_text=True)


def test_every_page_has_the_language_switch(client, demo_event):
    for url in ("/", f"/e/{demo_event.slug}/", f"/e/{demo_event.slug}/vote", "/login"):
        page = client.get(url).get_data(as_text=True)
        assert 'action="/language"' in page, url
        assert 'value="de" lang="de"' in page and 'value="en" lang="en" aria-current="true"' in page


def test_switching_language_sticks_and_returns_to_the_page(client, demo_event):
    back = f"/e/{demo_event.slug}/vote?x=1"
    response = client.post("/language", data={"lang": "de", "next": back})
    assert response.status_code == 302 and response.location == back
    page = client.get(f"/e/{demo_event.slug}/vote").get_data(as_text=True)  # browser says en
    assert 'lang="de"' in page and "Gemerkt:" in page
    client.post("/language", data={"lang": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_other_sites_and_languages(client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", None):
        response = client.post("/language", data={"lang": "de", "next": target or ""})
        assert response.location == "/", target
    client.post("/language", data={"lang": "fr", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="de"' in page, "the German chosen before stays; French is ignored"
