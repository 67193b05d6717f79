"""The public address: every absolute link (QR codes, calendar feeds, schedule exports) names
the address the organisers configured, never whatever a visitor put in the `Host` header.

Either `PUBLIC_URL` (or Flask's `SERVER_NAME`) names it, and every request is treated as if
it came to that address; or the request's host is used only when it is in `TRUSTED_HOSTS`,
and a request for any other host is refused with a 400. With neither configured, only
localhost and 127.0.0.1 are trusted (so `make run` works), unless `TRUSTED_PROXIES` says that
a reverse proxy in front decides which hosts reach the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError

LOCAL_HOSTS = ("localhost", "127.0.0.1")


def public_url(config: dict[str, Any]) -> str | None:
    """The configured public address, like "https://barcamp.example.org", or None."""
    if config.get("PUBLIC_URL"):
        return checked_url(config["PUBLIC_URL"])
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    return None


def checked_url(url: str) -> str:
    """`url` without a trailing slash; a ValueError names what a usable one looks like."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
        raise ValueError(
            f"PUBLIC_URL must be a scheme and host like https://barcamp.example.org, not {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def install(app: Flask) -> None:
    """Build links from the public address, or trust only the allowed hosts."""
    address = public_url(app.config)
    if address is not None:
        app.wsgi_app = PublicAddress(app.wsgi_app, address)
    elif app.config.get("TRUSTED_HOSTS") is None and not app.config.get("TRUSTED_PROXIES"):
        app.config["TRUSTED_HOSTS"] = list(LOCAL_HOSTS)
    app.register_error_handler(SecurityError, _untrusted_host)


def _untrusted_host(error: SecurityError):
    """A plain 400: the error page would build links from the very host that is refused."""
    host = request.environ.get("HTTP_HOST", "")
    current_app.logger.warning("refused host %r: not in TRUSTED_HOSTS, and no PUBLIC_URL", host)
    message = _("The planner is not served under this address.")
    return message, 400, {"Content-Type": "text/plain; charset=utf-8"}


class PublicAddress:
    """WSGI middleware: each request as if it came to the public address (scheme and host),
    so that url_for(_external=True), request.host and request.host_url all name it."""

    def __init__(self, wsgi_app: Callable, address: str):
        self.wsgi_app = wsgi_app
        parts = urlsplit(address)
        self.scheme, self.host = parts.scheme, parts.netloc

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        environ["HTTP_HOST"] = self.host
        environ["wsgi.url_scheme"] = self.scheme
        return self.wsgi_app(environ, start_response)
