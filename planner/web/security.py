"""Security headers and rate limits.

Headers (Flask-Talisman): a Content-Security-Policy that allows only this site's own files
(no inline scripts or styles anywhere in the app, so nothing needs 'unsafe-inline'), no
framing, no content-type sniffing, a strict referrer policy; HSTS and the redirect to HTTPS
when FORCE_HTTPS is set (behind a TLS proxy).

Rate limits (Flask-Limiter): in memory per process by default (our own thread-safe storage,
see limit_storage), in Redis when REDIS_URL is set (then all web processes share the counts).
A whole venue often shares one public address, so the limits per address are generous and
the tight ones count per device or per login name.
"""

from __future__ import annotations

import os

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

from . import limit_storage
from .device import device_token

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# The limits, each overridable in the configuration under its key. A venue's Wi-Fi shows one
# address for hundreds of phones: a new device (a first visit to the voting page, or a mark
# without a cookie) is limited per address, marks per device.
LIMITS = {
    "RATELIMIT_NEW_DEVICES": "300/minute",
    "RATELIMIT_MARKS": "120/minute",
    "RATELIMIT_PROPOSALS": "30/hour",
    "RATELIMIT_PASSWORDS": "10/minute;100/hour",  # logins, invitations, password changes
    "RATELIMIT_VOTING_CODES": "20/minute",  # guessing: 31^8 codes against 20 tries a minute
}


def configured(key: str):
    """A limit read from the configuration when a request is checked."""
    return lambda: current_app.config.get(key, LIMITS[key])


NEW_DEVICES = configured("RATELIMIT_NEW_DEVICES")
MARKS_PER_DEVICE = configured("RATELIMIT_MARKS")
PROPOSALS = configured("RATELIMIT_PROPOSALS")
PASSWORD_FORMS = configured("RATELIMIT_PASSWORDS")
VOTING_CODES = configured("RATELIMIT_VOTING_CODES")

MEMORY = f"{limit_storage.LockedMemoryStorage.STORAGE_SCHEME[0]}://"

limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()


def device_or_address() -> str:
    """The rate-limit key of an attendee: their device, else their address."""
    return device_token() or get_remote_address()


def has_device() -> bool:
    """Requests from a known device do not count as new devices."""
    return device_token() is not None


def init_security(app: Flask) -> None:
    """Switch headers and limits on for `app`."""
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("REDIS_URL") or MEMORY)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.config["RATELIMIT_STORAGE_URI"] = MEMORY  # the library's own one races (see there)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    limiter.limit(PASSWORD_FORMS, exempt_when=not_a_post)(app.blueprints["auth"])
    force_https = bool(app.config.get("FORCE_HTTPS"))
    talisman.init_app(
        app,
        force_https=force_https,
        strict_transport_security=force_https,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        # The session cookie's flags are the app's own settings (SESSION_COOKIE_SECURE).
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=True,
    )


def not_a_post() -> bool:
    """Only sending a form counts against a limit, not looking at it."""
    return request.method != "POST"
