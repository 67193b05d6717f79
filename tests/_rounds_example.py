"""The contract's example rounds@1 document as text, for tests outside the scheduler's."""

from pathlib import Path

EXAMPLE_TEXT = (Path(__file__).parent / "scheduler" / "rounds" / "example-rounds.json").read_text(
    encoding="utf-8"
)
