"""A run killed outright (SIGKILL, a power cut) at any step of writing its outputs leaves
the previous outputs as they were: for the next reader (dashboard, report) and for the
next run, which also removes what the killed run left behind.

The slow test kills a real `python -m pipeline run` at every step of the write: the run
stops at the step named by MAALOPFYLDELSE_TEST_PAUSE_AT, says so in a file, and the
test sends SIGKILL. The fast tests build the state a killed run leaves by hand.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, TARGETS, run_pipeline, snapshot, write_year

from pipeline.outputs.read import OutputUnavailable, load_outputs
from pipeline.outputs.write import (
    JOURNAL,
    MANIFEST,
    PAUSE_ENV,
    PAUSE_FILE_ENV,
    output_lock,
    recover_outputs,
    write_outputs,
    write_steps,
)

ROWS = [{"kommune": k, "besvaret": "2024-03-01 10:00", "tilfreds_fysisk": "Tilfreds"}
        for k in ("Odense", "Vejle", "Aarhus", "Ærø", "Tårnby")]


def outputs_without_lock(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(folder).items() if k != ".pipeline.lock"}


def other_surveys(tmp_path: Path) -> Path:
    """Inputs whose outputs differ from the demo's in every file."""
    root = tmp_path / "surveys"
    write_year(root, 2024, ROWS)
    return root


def kill_at(step: str, surveys: Path, out: Path, tmp_path: Path) -> None:
    """Start a run, wait until it reaches `step` of the write, and kill it outright."""
    marker = tmp_path / f"paused-{step.replace(':', '_')}"
    env = {**os.environ, "PYTHONPATH": str(REPO), PAUSE_ENV: step, PAUSE_FILE_ENV: str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--surveys", str(surveys), "--targets",
         str(TARGETS), "--out", str(out)], env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"the run never reached {step}"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


OUTPUT_NAMES = ["indicators.csv", "goals.csv", "quality.csv", "excluded_rows.csv",
                "distribution.csv", "intervals.csv", "national.csv", "responses.csv", MANIFEST]
STEPS = write_steps(OUTPUT_NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_a_run_killed_at_any_step_leaves_the_previous_outputs(step, tmp_path, previous_output):
    """Every other step, the dashboard or the report looks first (and rolls back); at the
    others the next run is the first to come, and rolls back itself, even when it then
    stops at bad input."""
    before = outputs_without_lock(previous_output)
    surveys = other_surveys(tmp_path)
    kill_at(step, surveys, previous_output, tmp_path)
    committed = step == "committed"  # the new set was complete and in place: it stands
    if STEPS.index(step) % 2 == 0:
        loaded = load_outputs(previous_output)
        assert loaded.years == ([2024] if committed else [2021, 2022, 2023, 2024])
        assert (outputs_without_lock(previous_output) == before) is not committed
    (surveys / "2024" / "export_2024.csv").write_text("Kommune\n", encoding="utf-8")
    result = run_pipeline(surveys, previous_output)
    assert result.exit_code == 1, result.output  # bad input: nothing new is written
    assert (outputs_without_lock(previous_output) == before) is not committed
    assert load_outputs(previous_output).years == ([2024] if committed else
                                                   [2021, 2022, 2023, 2024])
    assert not list(previous_output.glob(".staging-*"))
    assert not (previous_output / JOURNAL).exists()


def test_the_steps_cover_every_file_moved(tmp_path):
    names = ["a.csv", "b.csv"]
    assert write_steps(names) == ["staged", "kept", "journal", "moved:a.csv", "moved:b.csv",
                                  "committed"]


# ---------------------------------------------------------- the state a killed run leaves


def half_written(out: Path, moved: int) -> dict[str, bytes]:
    """Write a previous set, then fake a run killed after moving `moved` new files: the
    journal, the staging folder with the kept previous files, and the new files in place."""
    files = {"indicators.csv": b"old i\n", "goals.csv": b"old g\n"}
    with output_lock(out):
        write_outputs(out, files, {"run": "old"})
    before = outputs_without_lock(out)
    staging = out / ".staging-killed"
    (staging / "previous").mkdir(parents=True)
    names = [*files, MANIFEST]
    for name in names:
        os.link(out / name, staging / "previous" / name)
        (staging / name).write_bytes(b"new " + name.encode())
    (out / JOURNAL).write_text(json.dumps({"staging": staging.name, "names": names,
                                           "kept": names}), encoding="utf-8")
    for name in names[:moved]:
        os.replace(staging / name, out / name)
    return before


@pytest.mark.parametrize("moved", [0, 1, 2, 3])
def test_the_next_run_rolls_a_killed_write_back(tmp_path, moved):
    out = tmp_path / "out"
    before = half_written(out, moved)
    (out / ".beretning_2024.xlsx.k1ll3d.tmp").write_bytes(b"half a report")
    os.utime(out / ".beretning_2024.xlsx.k1ll3d.tmp", (1, 1))  # left long ago
    (out / ".beretning_2024.docx.n0w.tmp").write_bytes(b"a report being written now")
    with output_lock(out):
        assert recover_outputs(out)
    assert {k: v for k, v in outputs_without_lock(out).items()
            if not k.endswith(".tmp")} == before
    assert not list(out.glob(".staging-*")) and not (out / JOURNAL).exists()
    assert [p.name for p in out.glob(".*.tmp")] == [".beretning_2024.docx.n0w.tmp"]


def test_a_reader_rolls_back_unless_a_run_holds_the_lock(tmp_path, demo_output):
    out = tmp_path / "out"
    out.mkdir()
    for p in demo_output.iterdir():
        if p.is_file():
            (out / p.name).write_bytes(p.read_bytes())
    before = outputs_without_lock(out)
    staging = out / ".staging-x"
    (staging / "previous").mkdir(parents=True)
    os.link(out / "indicators.csv", staging / "previous" / "indicators.csv")
    (staging / "indicators.csv").write_bytes(b"half\n")
    os.replace(staging / "indicators.csv", out / "indicators.csv")  # as a run moves it in
    (out / JOURNAL).write_text(json.dumps({"staging": staging.name,
                                           "names": ["indicators.csv"],
                                           "kept": ["indicators.csv"]}), encoding="utf-8")
    with output_lock(out), pytest.raises(OutputUnavailable, match="skriver resultaterne"):
        load_outputs(out)  # a run is writing: never touch its files
    assert load_outputs(out).years == [2021, 2022, 2023, 2024]
    assert outputs_without_lock(out) == before


def test_a_journal_that_is_not_ours_touches_nothing(tmp_path):
    out = tmp_path / "out"
    with output_lock(out):
        write_outputs(out, {"indicators.csv": b"x\n"}, {})
    before = outputs_without_lock(out)
    (out / JOURNAL).write_text(json.dumps({"staging": "../../etc", "names": ["/etc/passwd"],
                                           "kept": []}), encoding="utf-8")
    with output_lock(out):
        assert not recover_outputs(out)
    assert outputs_without_lock(out) == before
