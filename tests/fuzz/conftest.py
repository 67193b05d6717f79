"""The run's hostile-input figures: how many hostile requests tests/fuzz sent, and how many
got a server error (none, or a test failed)."""

from __future__ import annotations

from .test_public_input import TRIED


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many hostile inputs this run tried and how many gave a server error."""
    if TRIED["hostile inputs"]:
        terminalreporter.write_line(
            f"tests/fuzz: {TRIED['hostile inputs']:,} hostile inputs tried, "
            f"{TRIED['server errors']} server errors"
        )
