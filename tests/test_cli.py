"""The `planner` command line: solve and check, with good and bad input; the command table,
what each command imports, the version, and Flask's commands under `planner dev`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import COMMANDS, main
from planner.scheduler import dump_event, read_plan, violations
from planner.web_cli import server_url

from .scheduler.events import make_problem


@pytest.fixture
def problem():
    return make_problem(
        rooms=[{"id": "r1", "name": "Saal"}, {"id": "r2"}],
        sessions=[{"id": f"s{index}", "title": f"Thema {index}"} for index in range(5)],
        votes=[["s0", "s1"], ["s2", "s3"], (["s4"], True)],
    )


@pytest.fixture
def event_file(tmp_path, problem):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(dump_event(problem)), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_solve_writes_a_valid_plan_to_stdout_and_a_summary_to_stderr(event_file, problem):
    result = run("solve", event_file, "--time-limit", "0.3", "--workers", "1")
    assert result.exit_code == 0, result.output
    plan = read_plan(result.stdout, problem)
    assert violations(problem, plan) == []
    assert "Scheduled 5 of 5 sessions" in result.stderr


def test_solve_to_a_file_then_check_it(event_file, tmp_path):
    plan_file = tmp_path / "plan.json"
    assert run("solve", event_file, "-o", plan_file, "--time-limit", "0.3").exit_code == 0
    result = run("check", event_file, plan_file)
    assert result.exit_code == 0
    assert "Scheduled 5 of 5" in result.stdout and "valid" in result.stderr


def test_solve_keeping_a_plan_reports_moves(event_file, tmp_path):
    plan_file = tmp_path / "plan.json"
    run("solve", event_file, "-o", plan_file, "--time-limit", "0.3", "--seed", "3")
    result = run("solve", event_file, "--keep", plan_file, "--time-limit", "0.3")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["metrics"]["moved"] == 0


def test_check_fails_on_a_broken_rule(event_file, tmp_path):
    plan = {
        "format": "barcamp-planner/plan@1",
        "unscheduled": ["s2", "s3", "s4"],
        "assignments": [
            {"session": "s0", "room": "r1", "slot": "t1"},
            {"session": "s1", "room": "r1", "slot": "t1"},
        ],
    }
    plan_file = tmp_path / "broken.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    result = run("check", event_file, plan_file)
    assert result.exit_code == 1
    assert "VIOLATION rule 1" in result.stdout and '"Thema 0" (s0)' in result.stdout


def test_malformed_event_names_every_place_and_exits_2(tmp_path, problem):
    document = dump_event(problem)
    document["sessions"][3]["pinned"] = {"room": "r99", "slot": "t1"}
    document["rooms"][0]["capacity"] = "viele"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("solve", path)
    assert result.exit_code == 2
    assert 'sessions[3].pinned.room: no room "r99"' in result.stderr
    assert "rooms[0].capacity: must be a whole number" in result.stderr
    assert "Traceback" not in result.output


def test_invalid_json_exits_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": ', encoding="utf-8")
    result = run("solve", path)
    assert result.exit_code == 2 and "not valid JSON" in result.stderr


def test_infeasible_pins_are_explained_and_exit_2(tmp_path, problem):
    document = dump_event(problem)
    for session_ in document["sessions"][:2]:
        session_["pinned"] = {"room": "r1", "slot": "t2"}
    path = tmp_path / "pins.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("solve", path)
    assert result.exit_code == 2
    assert "No valid plan exists" in result.stderr and "rule 1" in result.stderr
    assert "To fix:" in result.stderr


# --- the demo's links name the server `make run` starts -------------------------------------


def test_demo_can_apply_the_migrations_first(tmp_path):
    """`make run`'s one start: a database without tables gets them, then the demo."""
    from planner.app import create_app

    path = tmp_path / "new.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    result = app.test_cli_runner().invoke(main, ["demo", "--upgrade", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo barcamp loaded" in result.output and "orga@example.org" in result.output


def test_demo_links_name_the_port_the_server_will_use(runner):
    result = runner.invoke(args=["demo", "--host", "127.0.0.1", "--port", "8080"])
    assert result.exit_code == 0, result.output
    assert "  Vote:      http://127.0.0.1:8080/e/" in result.output
    assert ":5000" not in result.output
    # Or from the environment, as `planner run` reads it.
    environment = {"FLASK_RUN_HOST": "0.0.0.0", "FLASK_RUN_PORT": "9000"}
    result = runner.invoke(args=["demo", "--if-empty"], env=environment)
    assert result.exit_code == 0, result.output
    assert "  Plan:      http://127.0.0.1:9000/organise/" in result.output


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 5000, "http://127.0.0.1:5000"),
        ("localhost", 8080, "http://localhost:8080"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),  # every address: this machine's is one
        ("::", 8080, "http://127.0.0.1:8080"),
        ("::1", 8080, "http://[::1]:8080"),
    ],
)
def test_server_url(host, port, url):
    assert server_url(host, port) == url


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_run_gives_the_demo_the_servers_host_and_port():
    commands = subprocess.run(
        ["make", "--dry-run", "run", "HOST=0.0.0.0", "PORT=8080"],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "planner demo --upgrade --if-empty --host 0.0.0.0 --port 8080" in commands
    assert "planner run --host 0.0.0.0 --port 8080" in commands


# --- the command line of its own: quick to start, the planner's commands first -------------

HEAVY = ("flask", "sqlalchemy", "weasyprint", "flask_sqlalchemy", "werkzeug", "ortools", "pandas")

# Runs `planner ARGS...` in a fresh interpreter and prints the heavy modules it imported.
IMPORTS = """
import sys
from planner.cli import main
try:
    main(sys.argv[1:], prog_name="planner")
except SystemExit as end:
    code = end.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))
print("EXIT", code, "HEAVY", ",".join(heavy) or "-", file=sys.stderr)
"""


def imports_of(*args) -> tuple[str, str]:
    """What `planner ARGS` printed, and its last line: exit status and heavy modules."""
    script = f"HEAVY = {HEAVY!r}\n{IMPORTS}"
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout, result.stderr.strip().splitlines()[-1]


def test_solve_and_check_import_no_web_framework(event_file, tmp_path):
    plan_file = tmp_path / "plan.json"
    _out, last = imports_of("solve", event_file, "-o", plan_file, "--time-limit", "0.2")
    assert last == "EXIT 0 HEAVY -"
    _out, last = imports_of("check", event_file, plan_file)
    assert last == "EXIT 0 HEAVY -"


def test_help_lists_the_planners_commands_one_line_each_and_loads_no_app():
    out, last = imports_of("--help")
    assert last == "EXIT 0 HEAVY -"
    listed = out.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == list(COMMANDS)
    assert all(len(line.split(maxsplit=1)) == 2 for line in listed), "each has its line"
    for flask_option in ("--app", "--env-file", "--debug"):
        assert flask_option not in out


def test_every_command_in_the_table_loads_and_has_help():
    for name in COMMANDS:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert f"main {name}" in result.output.splitlines()[0]


def test_version_is_the_planners():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"Barcamp Planner {version('barcamp-planner')}\n"
    assert "Flask" not in result.output and "Python" not in result.output


def test_flasks_developer_commands_are_under_dev(app):
    result = app.test_cli_runner().invoke(main, ["dev", "routes"])
    assert result.exit_code == 0, result.output
    assert "/e/<slug>/schedule.json" in result.output


def test_run_takes_flasks_options_and_the_environment():
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--host" in result.output
