"""HTML to PDF with WeasyPrint, reading the app's own stylesheets from disk.

The fetcher serves `/static/` files and `data:` URIs and refuses every other address, so a
rendering never calls back into this server (which could deadlock a single worker) nor
anywhere else.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

import weasyprint
from flask import Response, current_app, request, url_for
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join


class StaticFetcher(URLFetcher):
    """Fetch the app's static files from disk and `data:` URIs; refuse everything else."""

    def __init__(self, prefix: str, folder: str) -> None:
        super().__init__(allowed_protocols=("data", "http", "https"))
        self._prefix = prefix
        self._folder = folder

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Give the resource at `url`, or raise ValueError for an address not served here."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self._prefix):
            raise ValueError(f"not fetched for a PDF: {url}")
        name = url.removeprefix(self._prefix).split("?")[0].split("#")[0]
        path = safe_join(self._folder, name)
        if path is None or not Path(path).is_file():
            raise ValueError(f"no static file {name!r}")
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime_type})


def render_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render `html` as PDF, with extra static stylesheets (file names) after its own."""
    prefix = url_for("static", filename="", _external=True)
    fetcher = StaticFetcher(prefix, current_app.static_folder or "")
    extra = [
        weasyprint.CSS(url=prefix + name, url_fetcher=fetcher, media_type="print")
        for name in stylesheets
    ]
    document = weasyprint.HTML(string=html, base_url=request.url_root, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=extra)


def pdf_response(body: bytes, filename: str) -> Response:
    """A PDF download named `filename`."""
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
