"""The organise area."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("organise", __name__)
