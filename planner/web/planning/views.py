"""The planning area."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("planning", __name__)
