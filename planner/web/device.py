"""An attendee's device, without an account: a signed cookie with a random token.

The ballot of an event is found by that token (see `operations.participation.ballot_for`).
Two more signed values carry it elsewhere: a private link that moves the ballot to another
device (it holds the token itself), and a calendar feed address that can only read (it holds
the ballot's id under another salt, so sharing the feed gives nobody the right to vote).
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


def device_token() -> str | None:
    """The token in this device's signed cookie, or None (a forged cookie counts as none)."""
    token = _loads("barcamp-device", request.cookies.get(DEVICE_COOKIE))
    return token if isinstance(token, str) and token else None


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


def feed_code(ballot_id: int) -> str:
    """The read-only code of a ballot's personal calendar feed."""
    return _serializer("barcamp-feed").dumps(ballot_id)


def ballot_from_feed(code: str) -> int | None:
    """The ballot id in a feed code, or None if the code was not made here."""
    ballot_id = _loads("barcamp-feed", code)
    return ballot_id if isinstance(ballot_id, int) else None
