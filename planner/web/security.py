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

import functools
import hmac
import os
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from limits import parse_many
from sqlalchemy.engine import Connection

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
# address for hundreds of phones, so what an honest hall does together (open the page, start
# a ballot, type valid codes) is counted per address only generously, and the tight limits
# count per device (the signed cookie), per event, or only what fails (wrong codes).
LIMITS = {
    # Voting pages shown to a phone without a device cookie, per address and per process: a
    # page view writes nothing, this only stops one address from flooding the renderer.
    "RATELIMIT_NEW_DEVICES": "300/minute",
    # New ballots (a device's first mark or its online/on-site choice) per address, shared
    # by all web processes (Redis, else the database, in the ballot's own transaction). No
    # limit makes one ballot one person (voting codes do); this keeps a script slow.
    "RATELIMIT_NEW_BALLOTS": "300/minute",
    # Marks and the online choice, per device: a phone taps a few dozen times at most.
    "RATELIMIT_MARKS": "120/minute",
    # Proposals per event and device (else address): one person pitching a whole program
    # waits; a hall proposing together does not, and another event's count is its own.
    "RATELIMIT_PROPOSALS": "10/hour",
    "RATELIMIT_PASSWORDS": "10/minute;100/hour",  # logins, invitations, password changes
    # Only WRONG voting codes count: per address (a guesser behind any number of cookies)
    # and per device. A hall's typos must not lock the hall out, so the address gets many:
    # 1000 wrong tries an hour against 31^8 codes (2000 of them valid) finds one in about
    # 50 years. Valid codes, a whole hall of them from one address, are never held up.
    "RATELIMIT_VOTING_CODES": "100/minute;1000/hour",
    "RATELIMIT_VOTING_CODES_PER_DEVICE": "10/minute",
}


def configured(key: str):
    """A limit read from the configuration when a request is checked."""
    return lambda: current_app.config.get(key, LIMITS[key])


NEW_DEVICES = configured("RATELIMIT_NEW_DEVICES")
PROPOSALS = configured("RATELIMIT_PROPOSALS")
PASSWORD_FORMS = configured("RATELIMIT_PASSWORDS")
VOTING_CODES = configured("RATELIMIT_VOTING_CODES")
VOTING_CODES_PER_DEVICE = configured("RATELIMIT_VOTING_CODES_PER_DEVICE")

MEMORY = f"{limit_storage.LockedMemoryStorage.STORAGE_SCHEME[0]}://"

limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()


def device_or_address() -> str:
    """The rate-limit key of an attendee: their device, else their address."""
    return device_token() or get_remote_address()


def event_and_device() -> str:
    """The rate-limit key of a proposer: the event, and their device or else address."""
    return f"{request.view_args.get('slug', '')}:{device_or_address()}"


def has_device() -> bool:
    """Requests from a known device do not count as new devices."""
    return device_token() is not None


def refused(response) -> bool:
    """Only a refused attempt counts against the limit (a wrong voting code)."""
    return response.status_code == 400


def within_limit(key: str, scope: str, who: str) -> bool:
    """Count one request of `who` against the configured limit `key`; False if over it.

    For the hottest requests (marks): the same counts and storage as Flask-Limiter's
    decorators, without their per-request machinery (a third of a mark's own CPU time).
    """
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return True
    limits = _parsed(current_app.config.get(key, LIMITS[key]))
    return all(limiter.limiter.hit(item, scope, who) for item in limits)


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple:
    return tuple(parse_many(text))


def new_ballot_gate() -> Callable[[Connection], bool]:
    """A check, made in the ballot's transaction, that this address may start one more
    ballot (RATELIMIT_NEW_BALLOTS); counted in Redis when configured, else the database."""
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return lambda _connection: True
    limits = _parsed(
        current_app.config.get("RATELIMIT_NEW_BALLOTS", LIMITS["RATELIMIT_NEW_BALLOTS"])
    )
    address = get_remote_address()
    if not current_app.config["RATELIMIT_STORAGE_URI"].startswith(MEMORY):
        strategy = limiter.limiter
        return lambda _connection: all(strategy.hit(item, "new-ballot", address) for item in limits)
    secret = str(current_app.secret_key).encode()
    key = "new-ballot:" + hmac.new(secret, address.encode(), "sha256").hexdigest()[:32]

    def gate(connection: Connection) -> bool:
        return all(
            limit_storage.count_in_database(connection, key, item.get_expiry()) <= item.amount
            for item in limits
        )

    return gate


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
