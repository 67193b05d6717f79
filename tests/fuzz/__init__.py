"""Hostile input everywhere: never a 500, never a partial write.

TRIED counts, per process, the hostile requests sent and the server errors seen; the root
conftest adds the counts of every xdist worker and reports them at the end of the run.
"""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()
