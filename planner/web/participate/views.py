"""The participate area."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("participate", __name__)
