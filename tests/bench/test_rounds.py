"""The table rounds benchmark at tiny sizes: generation, baseline, report and verdicts."""

from __future__ import annotations

from bench.rounds import EVENTS, baseline, generate, main
from planner.scheduler.rounds import metrics, read_rounds, violations


def test_generation_is_the_same_for_the_same_seed():
    spec = EVENTS["hesse"]
    assert generate(spec, 3) == generate(spec, 3)
    assert generate(spec, 3) != generate(spec, 4)
    problem = generate(spec, 0)
    assert len(problem.people) == 300 and len(problem.topics) == 8
    assert all(len(person.choices) <= 1 for person in problem.people)
    assert len({person.group for person in problem.people if person.group}) <= 30
    assert all(6 <= table.seats <= 10 for table in problem.tables)


def test_the_baseline_is_valid_on_every_event():
    for spec in EVENTS.values():
        problem = generate(spec, 0, scale=0.2)
        seating = baseline(problem)
        assert violations(problem, seating) == [], spec.name
        assert metrics(problem, seating)["unseated"] < len(problem.people) * len(problem.rounds)


def test_the_benchmark_passes_at_tiny_sizes_and_writes_the_events(tmp_path, capsys):
    status = main(["--scale", "0.1", "--time-scale", "0.1", "--write", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0, out
    for name in EVENTS:
        assert f"{name}: PASS" in out
        problem = read_rounds((tmp_path / f"{name}.json").read_bytes())
        assert problem.mode == EVENTS[name].mode
    assert "| lower bound |" in out


def test_unknown_events_are_refused(capsys):
    try:
        main(["--events", "hesse,nowhere"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "unknown events: nowhere" in capsys.readouterr().err
