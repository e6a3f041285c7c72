"""The same inputs give the same figures, byte for byte, and a figure can be traced to
the export that produced it.

The in-process test in test_end_to_end.py runs twice in one Python process; here the
two runs are separate processes (so a different hash seed would show any figure that
depends on the order of a set), started from different folders, with the exports'
modification times changed in between.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DEMO_SURVEYS, REPO, TARGETS

from pipeline.outputs.read import read_output

pytestmark = [pytest.mark.slow]

FIGURES = ("indicators.csv", "goals.csv", "quality.csv", "distribution.csv", "intervals.csv",
           "national.csv")


def run_process(*args: str, cwd: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_two_processes_from_different_folders_give_byte_identical_figures(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(DEMO_SURVEYS, project / "surveys")
    shutil.copy(TARGETS, project / "targets.csv")
    run_process(cwd=project, seed="1")  # as a user types it: surveys/, targets.csv, output/
    for path in (project / "surveys").rglob("*"):  # copied, touched, synced: same bytes
        os.utime(path, (1_000_000_000, 1_000_000_000))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run_process("--surveys", str(project / "surveys"), "--targets",
                str(project / "targets.csv"), "--out", str(tmp_path / "again"),
                cwd=elsewhere, seed="2")
    for name in FIGURES:
        assert (project / "output" / name).read_bytes() == \
            (tmp_path / "again" / name).read_bytes(), name
    first = json.loads((project / "output" / "manifest.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "again" / "manifest.json").read_text(encoding="utf-8"))
    assert [i["sha256"] for i in first["inputs"]] == [i["sha256"] for i in second["inputs"]]
    outputs = {o["path"]: o["sha256"] for o in first["outputs"]}
    assert {o["path"]: o["sha256"] for o in second["outputs"]}["indicators.csv"] == \
        outputs["indicators.csv"]


def test_every_response_is_traced_to_an_export_and_its_hash(demo_output):
    """responses.csv names the file and row of every response counted; the manifest
    holds that file's SHA-256, so a figure in a report leads to the very export."""
    manifest = json.loads((demo_output / "manifest.json").read_text(encoding="utf-8"))
    exports = {i["path"]: i["sha256"] for i in manifest["inputs"] if i["kind"] == "survey_export"}
    responses = read_output(demo_output / "responses.csv")
    assert set(responses["source_file"]) == set(exports)
    for path, digest in exports.items():
        assert hashlib.sha256((REPO / path).read_bytes()).hexdigest() == digest, path
    assert manifest["outputs"] and all(len(o["sha256"]) == 64 for o in manifest["outputs"])
