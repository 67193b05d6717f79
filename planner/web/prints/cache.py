"""Public PDFs rendered once: kept in the instance folder, keyed by what they show.

A PDF costs seconds of CPU (WeasyPrint), its HTML milliseconds. So the HTML is made on every
request and its digest (with the stylesheets' own) names the PDF: the same plan version,
session texts, language and address give the same HTML and so the file already rendered;
publishing, an edited session or another language give another HTML and a new rendering,
with nothing to invalidate by hand. Files live under `instance/pdf-cache/` (PDF_CACHE_FOLDER
in the configuration), shared by all web processes; a document keeps its last few versions
(both languages, say), older ones go. The page's CSRF token is blanked first: it differs per
visitor and is never printed.

A cold rendering runs at most once at a time per document: the first request takes a file
lock (all processes see it), the others wait for it and then find the file.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Response, current_app

from . import pdf

FOLDER = "pdf-cache"
_CSRF = re.compile(r'(name="csrf_token" value=")[^"]*')
KEEP = 4  # versions per document: German and English of the last two, say


def cached_pdf(html: str, filename: str, stylesheets: tuple[str, ...] = ()) -> Response:
    """The PDF of `html` as a download named `filename`, rendered only if not yet stored."""
    html = _CSRF.sub(r"\1", html)  # the page's own token: never printed, differs per visitor
    folder = Path(
        current_app.config.get("PDF_CACHE_FOLDER") or Path(current_app.instance_path) / FOLDER
    )
    folder.mkdir(parents=True, exist_ok=True)
    document = hashlib.sha256(filename.encode()).hexdigest()[:16]
    path = folder / f"{document}-{_digest(html, stylesheets)}.pdf"
    body = _read(path)
    if body is None:
        with _locked(folder / f"{document}.lock"):
            body = _read(path)  # rendered by whoever held the lock before
            if body is None:
                body = pdf.render_pdf(html, stylesheets)
                _write(path, body)
                _prune(folder, document)
    return pdf.pdf_response(body, filename)


def _digest(html: str, stylesheets: tuple[str, ...]) -> str:
    digest = hashlib.sha256(html.encode())
    digest.update(_static_version().encode())
    digest.update("\0".join(stylesheets).encode())
    return digest.hexdigest()[:32]


def _static_version() -> str:
    """The stylesheets' own state (a deployment may change them), once per process."""
    found = current_app.extensions.get("pdf_static_version")
    if found is None:
        folder = Path(current_app.static_folder or "")
        stamps = sorted(
            f"{path.name}:{path.stat().st_mtime_ns}:{path.stat().st_size}"
            for path in folder.glob("*.css")
        )
        found = current_app.extensions["pdf_static_version"] = ";".join(stamps)
    return found


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, body: bytes) -> None:
    """Write whole or not at all: a reader never sees half a PDF."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path, document: str) -> None:
    versions = sorted(folder.glob(f"{document}-*.pdf"), key=lambda p: p.stat().st_mtime_ns)
    for old in versions[:-KEEP]:
        old.unlink(missing_ok=True)


@contextmanager
def _locked(path: Path):
    """An exclusive lock on a file, across threads and processes."""
    with path.open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)
