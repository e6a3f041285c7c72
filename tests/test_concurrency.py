"""Two runs at once, and runs that stop half-way: the output folder always holds one
complete run, and the dashboard's loader never accepts a half-written set.

A run computes first and takes the output folder's lock only to write: a second run
that wants to write meanwhile waits (LOCK_WAIT_SECONDS), then refuses in Danish. Files
are moved into place one by one with the manifest last; until the manifest is in place
the loader sees hashes that do not match and refuses; a run stopped while moving files
(a full disk, Ctrl+C) puts the previous files back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import REPO, TARGETS, run_pipeline, snapshot
from test_corpus import prepare

import pipeline.outputs.write as outputs
from pipeline.outputs.read import OutputUnavailable, load_outputs
from pipeline.outputs.write import MANIFEST, output_lock

pytestmark = [pytest.mark.slow]


@pytest.fixture
def surveys(tmp_path: Path) -> Path:
    """The corpus's small valid input (its figures differ from the demo's)."""
    prepare("valid-base", tmp_path / "case")
    return tmp_path / "case" / "surveys"


def test_a_second_run_refuses_while_another_holds_the_output_folder(
        surveys, previous_output, monkeypatch):
    monkeypatch.setattr(outputs, "LOCK_WAIT_SECONDS", 0.4)
    with output_lock(previous_output, wait=0):
        before = snapshot(previous_output)
        started = time.monotonic()
        result = run_pipeline(surveys, previous_output)
        waited = time.monotonic() - started
        assert snapshot(previous_output) == before
    assert result.exit_code == 1, result.output
    assert "venter op til 0,4 s" in result.output
    assert "En anden kørsel skriver stadig til outputmappen (ventede 0,4 s)." in result.output
    assert "Gør sådan: Vent til den anden kørsel er færdig, og kør så igen." in result.output
    assert "Traceback" not in result.output
    assert waited >= 0.4
    load_outputs(previous_output)  # the earlier run's set is still whole


def test_a_second_run_waits_for_the_first_and_then_writes(surveys, previous_output,
                                                           monkeypatch):
    monkeypatch.setattr(outputs, "LOCK_WAIT_SECONDS", 20)
    holding, release = threading.Event(), threading.Event()

    def first_run() -> None:
        with output_lock(previous_output, wait=0):
            holding.set()
            release.wait(10)

    def sleep(seconds: float) -> None:  # the second run found the folder busy: let go soon
        threading.Timer(0.5, release.set).start()
        time.sleep(seconds)

    monkeypatch.setattr(outputs, "time", SimpleNamespace(monotonic=time.monotonic,
                                                         sleep=sleep, time=time.time))
    thread = threading.Thread(target=first_run)
    thread.start()
    assert holding.wait(10)
    result = run_pipeline(surveys, previous_output)
    thread.join()
    assert result.exit_code == 0, result.output
    assert "venter op til 20 s" in result.output
    assert load_outputs(previous_output).indicators["respondents"].max() == 5  # the new run


def test_two_runs_started_together_leave_one_complete_set(tmp_path):
    """Two real processes writing to one folder: both finish, and the folder holds the
    complete set of one of them (byte for byte what that run writes alone)."""
    prepare("valid-base", tmp_path / "a")
    prepare("valid-base", tmp_path / "b")
    export = tmp_path / "b" / "surveys" / "2024" / "export.csv"
    export.write_text(export.read_text(encoding="utf-8").replace(";Utilfreds;", ";Tilfreds;"),
                      encoding="utf-8")
    alone = {}
    for name in ("a", "b"):
        result = run_pipeline(tmp_path / name / "surveys", tmp_path / f"alone_{name}")
        assert result.exit_code == 0, result.output
        alone[name] = (tmp_path / f"alone_{name}" / "indicators.csv").read_bytes()
    assert alone["a"] != alone["b"]
    out = tmp_path / "shared"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    processes = [subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--surveys", str(tmp_path / name / "surveys"),
         "--targets", str(TARGETS), "--out", str(out)], env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    loaded = load_outputs(out)  # raises if the set were mixed
    assert (out / "indicators.csv").read_bytes() in (alone["a"], alone["b"])
    assert len(loaded.indicators) > 0
    assert not list(out.glob(".staging-*"))


def test_the_loader_refuses_the_set_while_a_run_moves_files_into_place(
        surveys, previous_output, monkeypatch):
    """After each file a run moves into place, look at the folder as the dashboard
    would: until the write is committed it must refuse; after, it shows the new run."""
    seen: list[str] = []
    real_replace = os.replace

    def replace_and_look(src, dst) -> None:
        real_replace(src, dst)
        if Path(dst).parent != previous_output or Path(dst).name.startswith("."):
            return  # the journal, written before the first output is moved
        try:
            loaded = load_outputs(previous_output)
        except OutputUnavailable as exc:
            seen.append(f"{Path(dst).name}: refused ({exc.message[:40]})")
        else:
            seen.append(f"{Path(dst).name}: {int(loaded.indicators['respondents'].max())}")

    monkeypatch.setattr(outputs.os, "replace", replace_and_look)
    result = run_pipeline(surveys, previous_output)
    assert result.exit_code == 0, result.output
    assert seen[0].startswith("indicators.csv: refused")
    # Until the journal is gone (just after the manifest) the set is not committed: a
    # reader refuses it, even once every file is in place.
    assert seen[-1].startswith(f"{MANIFEST}: refused")
    tables = [s for s in seen if s.split(":")[0] in {f"{t}.csv" for t in (
        "indicators", "goals", "quality", "excluded_rows", "distribution", "intervals",
        "national")}]
    assert tables and all("refused" in s for s in tables), seen
    assert int(load_outputs(previous_output).indicators["respondents"].max()) == 5


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"),
                                     KeyboardInterrupt()])
def test_a_run_stopped_while_moving_files_leaves_the_previous_outputs(
        surveys, previous_output, monkeypatch, failure):
    calls = 0
    real_replace = os.replace

    def replace_then_fail(src, dst) -> None:
        nonlocal calls
        if Path(dst).parent == previous_output:
            calls += 1
            if calls == 4:
                raise failure
        real_replace(src, dst)

    before = snapshot(previous_output)
    monkeypatch.setattr(outputs.os, "replace", replace_then_fail)
    result = run_pipeline(surveys, previous_output)
    monkeypatch.undo()
    assert calls >= 4  # the fourth failed; the three before were put back
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    if isinstance(failure, KeyboardInterrupt):
        assert "Aborted!" in result.output  # click's word for Ctrl+C
    else:
        assert "Resultaterne kunne ikke skrives til outputmappen (No space left on device)" \
            in result.output
        assert "Intet output er ændret." in result.output
    assert snapshot(previous_output) == before
    assert not list(previous_output.glob(".staging-*"))
    load_outputs(previous_output)
