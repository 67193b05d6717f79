"""Public PDFs are rendered once per content and language, then served from the cache; a
cold rendering runs once at a time per document, whoever else asks meanwhile."""

from __future__ import annotations

import threading
import time

import pytest

from planner.extensions import db
from planner.web.prints import cache, pdf

from .test_prints import camp, publish_camp  # noqa: F401 - the fixture, used by name

EN = {"Accept-Language": "en"}


@pytest.fixture
def renders(app, tmp_path, monkeypatch):
    """Count the real renderings; the cache in a folder of this test's own."""
    app.config["PDF_CACHE_FOLDER"] = str(tmp_path / "pdf-cache")
    counted = []
    real = pdf.render_pdf

    def render(html, stylesheets=()):
        counted.append(html)
        return real(html, stylesheets)

    monkeypatch.setattr(pdf, "render_pdf", render)
    return counted


def test_a_cached_pdf_is_served_without_a_render(client, camp, renders):  # noqa: F811
    publish_camp(camp)
    first = client.get("/e/mini/print/cards.pdf", headers=EN)
    second = client.get("/e/mini/print/cards.pdf", headers=EN)
    assert first.status_code == second.status_code == 200
    assert second.data == first.data and second.data.startswith(b"%PDF")
    assert second.headers["Content-Disposition"] == 'attachment; filename="mini-cards.pdf"'
    assert len(renders) == 1
    client.get("/e/mini/print/doors.pdf", headers=EN)
    client.get("/e/mini/print/doors.pdf", headers=EN)
    assert len(renders) == 2, "each document once"


def test_a_change_or_another_language_renders_anew(client, camp, renders):  # noqa: F811
    client.get("/e/mini/print/cards.pdf", headers=EN)
    client.get("/e/mini/print/cards.pdf", headers={"Accept-Language": "de"})
    assert len(renders) == 2
    camp.talks[0].title = "Doppelt besser"
    db.session.commit()
    changed = client.get("/e/mini/print/cards.pdf", headers=EN)
    assert len(renders) == 3 and "Doppelt besser" in renders[-1]
    assert changed.data != b""
    client.get("/e/mini/print/cards.pdf", headers={"Accept-Language": "de"})
    assert len(renders) == 4


def test_a_cold_render_runs_once_while_others_wait(app, camp, tmp_path, monkeypatch):  # noqa: F811
    app.config["PDF_CACHE_FOLDER"] = str(tmp_path / "pdf-cache")
    running, renders = [], []

    def slow(html, stylesheets=()):
        running.append(1)
        renders.append(len(running))  # how many ran at once
        time.sleep(0.3)
        running.pop()
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(pdf, "render_pdf", slow)
    bodies = []

    def fetch() -> None:
        response = app.test_client().get("/e/mini/print/cards.pdf", headers=EN)
        bodies.append(response.data)

    threads = [threading.Thread(target=fetch) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert renders == [1]
    assert bodies == [b"%PDF-1.7 stand-in"] * 6


def test_old_versions_are_pruned(client, camp, renders):  # noqa: F811
    for number in range(cache.KEEP + 2):
        camp.talks[0].title = f"Titel {number}"
        db.session.commit()
        client.get("/e/mini/print/cards.pdf", headers=EN)
    folder = client.application.config["PDF_CACHE_FOLDER"]
    from pathlib import Path

    assert len(list(Path(folder).glob("*.pdf"))) == cache.KEEP
