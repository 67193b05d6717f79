"""Text as the public feeds may carry it, whatever an import or a database tool stored."""

from __future__ import annotations

import re

# RFC 5545 (3.1, 3.3.11) allows no control character in a calendar but the tab and the CR LF
# that ends each line; apps refuse or garble a feed that holds one. Byte by byte is safe in
# UTF-8: these bytes never occur inside a longer character.
ICS_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")


def ics_clean(calendar: bytes) -> bytes:
    """The calendar without the control characters RFC 5545 forbids (stray CRs and LFs too)."""
    return ICS_FORBIDDEN.sub(b"", calendar)
