"""QR codes as inline SVG, for pages on screen and sheets on paper alike."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str) -> Markup:
    """A QR code of `url` as inline SVG that scales with its box (size it with CSS).

    Args:
        url: the address to encode; printed codes should use stable, absolute URLs.
        title: what the code leads to, read out by screen readers.
    """
    code = segno.make(url, error="m", micro=False)  # phone cameras do not read Micro QR
    svg = code.svg_inline(scale=6, omitsize=True, title=title, svgclass="qr")
    return Markup(svg)  # segno escapes the title; the rest is its own markup
