"""The scheduler starts light: its search processes import neither the web app nor CP-SAT."""

from __future__ import annotations

import subprocess
import sys
from multiprocessing import spawn
from pathlib import Path

from planner.scheduler.parallel import PRELOAD, context, main_hidden

ROOT = Path(__file__).parents[2]

HEAVY = ("flask", "sqlalchemy", "weasyprint", "ortools", "pandas")


def loaded_after(statement: str) -> set[str]:
    """Top-level packages imported by a fresh interpreter running `statement`."""
    listing = "print(' '.join({name.split('.')[0] for name in sys.modules}))"
    code = f"{statement}\nimport sys\n{listing}"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return set(output.split())


def test_importing_the_scheduler_loads_no_web_app_and_no_cp_sat():
    loaded = loaded_after("import planner.scheduler, planner.scheduler.parallel")
    assert "planner" in loaded
    assert loaded.isdisjoint(HEAVY)


def test_solving_an_easy_event_loads_no_cp_sat():
    loaded = loaded_after(
        "from planner.scheduler import solve\n"
        "from tests.scheduler.events import make_problem\n"
        "rooms = [{'id': 'r1'}, {'id': 'r2'}]\n"
        "sessions = [{'id': f's{index}'} for index in range(5)]\n"
        "votes = [['s0', 's1'], ['s2', 's3', 's4']]\n"
        "solve(make_problem(rooms=rooms, sessions=sessions, votes=votes), time_limit=1)"
    )
    assert loaded.isdisjoint(HEAVY)


def test_helper_processes_start_without_the_main_module():
    main = sys.modules["__main__"]
    with main_hidden():
        data = spawn.get_preparation_data("helper")
        assert "init_main_from_path" not in data
        assert "init_main_from_name" not in data
    assert sys.modules["__main__"] is main


def test_helper_processes_come_from_a_fork_server_that_preloads_the_scheduler():
    assert context().get_start_method() == "forkserver"
    assert PRELOAD == ["planner.scheduler.parallel"]
    assert loaded_after("import planner.scheduler.parallel").isdisjoint(HEAVY)
