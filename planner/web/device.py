"""An attendee's device, without an account: a signed cookie with a random token.

The ballot of an event is found by that token (see `operations.participation.ballot_for`).
Two more signed values carry it elsewhere: a private link that moves the ballot to another
device (it holds the token itself), and a calendar feed address that can only read. The feed
holds the ballot's `feed_key`, a random key of its own, under another salt: the signed value
is readable by anyone who has the address, so it must not be the token (sharing the feed
would give the right to vote), and it is not the row id either, which changes when a backup
is restored into another database (the key travels with the backup; feeds keep working
where the installation keeps its secret key). The signature lets a forged code fail before
any query.
"""

from __future__ import annotations

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

DEVICE_COOKIE = "barcamp_device"
DEVICE_MAX_AGE = 180 * 24 * 3600  # a season of barcamps; the ballot is per event anyway


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=salt)


def _loads(salt: str, value: str | None):
    if not value:
        return None
    try:
        return _serializer(salt).loads(value)
    except BadSignature:
        return None


_CHECKED = "planner.device_token"  # where a request keeps its checked token


def device_token() -> str | None:
    """The token in this device's signed cookie, or None (a forged cookie counts as none).

    Checked once per request (the limits, the view and its helpers all ask): the answer is
    kept in the request's own environment, which no other request shares.
    """
    environ = request.environ
    if _CHECKED not in environ:
        token = _loads("barcamp-device", request.cookies.get(DEVICE_COOKIE))
        environ[_CHECKED] = token if isinstance(token, str) and token else None
    return environ[_CHECKED]


def remember_device(response, token: str):
    """Set (or renew) the device cookie on `response`."""
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer("barcamp-device").dumps(token),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


def transfer_code(token: str) -> str:
    """The private code that moves a device's ballot to another device."""
    return _serializer("barcamp-transfer").dumps(token)


def token_from_transfer(code: str) -> str | None:
    """The device token in a transfer code, or None if the code was not made here."""
    token = _loads("barcamp-transfer", code)
    return token if isinstance(token, str) and token else None


def feed_code(feed_key: str) -> str:
    """The read-only code of a ballot's personal calendar feed, from its `feed_key`."""
    return _serializer("barcamp-feed").dumps(feed_key)


def feed_key_from_code(code: str) -> str | None:
    """The ballot's feed key in a feed code, or None if the code was not made here."""
    feed_key = _loads("barcamp-feed", code)
    return feed_key if isinstance(feed_key, str) and feed_key else None
