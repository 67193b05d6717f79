"""`planner seat` and `planner check-seating` through click's test runner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from planner.rounds_cli import EXIT_BROKEN, EXIT_INPUT, check_seating_command, seat_command

from .documents import HERE_EXAMPLE, example


def run(command, *args: str):
    """Invoke a command; click ≥ 8.2 keeps stderr apart."""
    return CliRunner().invoke(command, [str(arg) for arg in args])


def test_seat_writes_a_valid_seating_and_a_summary(tmp_path):
    output = tmp_path / "seating.json"
    result = run(seat_command, HERE_EXAMPLE, "-o", output, "--time-limit", "1", "--seed", "3")
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["format"] == "barcamp-planner/seating@1"
    assert document["metrics"]["unseated"] == 0 and document["solver"]["seed"] == 3
    assert "Seated 28 of 28 person-rounds; 0 missed choices" in result.stderr
    checked = run(check_seating_command, HERE_EXAMPLE, output)
    assert checked.exit_code == 0
    assert "The seating is valid." in checked.stderr


def test_seat_prints_to_standard_output_without_o():
    result = run(seat_command, HERE_EXAMPLE, "--time-limit", "0.5")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["format"] == "barcamp-planner/seating@1"


def test_malformed_and_infeasible_input_exit_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "barcamp-planner/rounds@1", "mode": "free"}')
    result = run(seat_command, broken)
    assert result.exit_code == EXIT_INPUT
    assert "is not a valid rounds@1 file" in result.stderr
    assert "  - rounds: is missing" in result.stderr
    data = example()
    data["people"][1]["pinned"] = {"round": "k2", "table": "b"}
    clash = tmp_path / "clash.json"
    clash.write_text(json.dumps(data))
    result = run(seat_command, clash, "--time-limit", "0.5")
    assert result.exit_code == EXIT_INPUT
    assert "No valid seating exists" in result.stderr and "table is closed" in result.stderr


def test_check_seating_reports_broken_rules_with_exit_1(tmp_path):
    seating = tmp_path / "seating.json"
    entries = [{"person": f"p{n}", "round": "k1", "table": "a"} for n in range(2, 10)]
    seating.write_text(json.dumps({"format": "barcamp-planner/seating@1", "seating": entries}))
    result = run(check_seating_command, HERE_EXAMPLE, seating)
    assert result.exit_code == EXIT_BROKEN
    lines = result.stdout.splitlines()
    assert lines[0].startswith("VIOLATION rule 1 (") and "more than its 6 seats" in lines[0]
    assert lines[1].startswith("VIOLATION rule 4 (")
    assert lines[-1].startswith("Seated 8 of 28 person-rounds")
    assert "2 hard rule violation(s)" in result.stderr


def test_check_seating_refuses_a_seating_of_other_rounds_with_exit_2(tmp_path):
    seating = tmp_path / "seating.json"
    entry = {"person": "p99", "round": "k1", "table": "a"}
    seating.write_text(json.dumps({"format": "barcamp-planner/seating@1", "seating": [entry]}))
    result = run(check_seating_command, HERE_EXAMPLE, seating)
    assert result.exit_code == EXIT_INPUT
    assert 'seating[0].person: no person "p99"' in result.stderr
