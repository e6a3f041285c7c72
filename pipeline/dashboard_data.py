"""Load the pipeline's outputs for the dashboard, and refuse what cannot be trusted.

The dashboard shows a figure only if the output folder holds one complete run (every
file's hash matches the manifest, so a half-written or hand-edited set is caught)
and the inputs have not changed since (else the figures are stale). Either problem
becomes an `OutputUnavailable` with a Danish message and the one command that fixes it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.outputs import MANIFEST, read_manifest, read_output

TABLES = ("indicators", "goals", "quality", "excluded_rows", "distribution", "intervals",
          "goal_certainty", "national")
RUN_COMMAND = ".venv/bin/python -m pipeline run"
DATA_SUFFIXES = {".xlsx", ".csv"}


class OutputUnavailable(Exception):
    """The outputs cannot be shown; `message` says why and `command` fixes it."""

    def __init__(self, message: str, command: str = RUN_COMMAND):
        super().__init__(message)
        self.message = message
        self.command = command


@dataclass
class Outputs:
    out_dir: Path
    manifest: dict
    indicators: pd.DataFrame
    goals: pd.DataFrame
    quality: pd.DataFrame
    excluded_rows: pd.DataFrame
    distribution: pd.DataFrame
    intervals: pd.DataFrame
    goal_certainty: pd.DataFrame
    national: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic_demo_data"))

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.manifest.get("years", []))


def default_out_dir() -> Path:
    """The output folder the dashboard reads: $MAALOPFYLDELSE_OUTPUT, else output/."""
    return Path(os.environ.get("MAALOPFYLDELSE_OUTPUT", "output"))


def fingerprint(out_dir: Path) -> tuple:
    """Cheap key for caching: changes whenever a run (or anyone) replaces an output file."""
    stamps = []
    for name in (MANIFEST, *(f"{t}.csv" for t in TABLES)):
        path = out_dir / name
        stat = path.stat() if path.exists() else None
        stamps.append((name, stat.st_mtime_ns if stat else None, stat.st_size if stat else None))
    return (str(out_dir.resolve()), tuple(stamps))


def load_outputs(out_dir: Path) -> Outputs:
    """Read every output table after checking the set is complete and consistent."""
    manifest = read_manifest(out_dir) if out_dir.exists() else None
    if manifest is None:
        raise OutputUnavailable(
            f"Der er ingen resultater i mappen {out_dir}/ endnu: pipelinen er ikke kørt.")
    recorded = {o["path"]: o["sha256"] for o in manifest.get("outputs", [])}
    tables = {}
    for table in TABLES:
        name = f"{table}.csv"
        path = out_dir / name
        if name not in recorded or not path.exists():
            raise OutputUnavailable(
                f"Resultatfilen {name} mangler i {out_dir}/ (resultaterne er fra en ældre "
                "version eller ufuldstændige).")
        data = path.read_bytes()  # parse exactly the bytes whose hash is checked
        if hashlib.sha256(data).hexdigest() != recorded[name]:
            raise OutputUnavailable(
                f"Resultatfilen {name} passer ikke med manifest.json: den er ændret efter "
                "kørslen, eller en kørsel er i gang. Vent et øjeblik og genindlæs siden.")
        tables[table] = read_output(data)
    for frame in tables.values():  # empty text cells are empty strings, not NaN
        text = frame.select_dtypes(include=["object", "string"]).columns
        frame[text] = frame[text].fillna("")
    return Outputs(out_dir=out_dir, manifest=manifest, **tables)


def stale_inputs(manifest: dict) -> list[str]:
    """Inputs changed, removed or added since the run that made the outputs."""
    base = Path(manifest.get("working_directory", "."))
    changed = []
    recorded = {}
    for item in manifest.get("inputs", []):
        path = base / item["path"]
        recorded[path.resolve()] = item
        if not path.exists():
            changed.append(f"{item['path']} (fjernet)")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != item["sha256"]:
            changed.append(f"{item['path']} (ændret)")
    surveys = base / manifest.get("parameters", {}).get("surveys", "surveys")
    if surveys.is_dir():
        for path in sorted(surveys.rglob("*")):
            hidden = any(part.startswith((".", "~$")) for part in path.parts)
            if (path.is_file() and path.suffix.lower() in DATA_SUFFIXES and not hidden
                    and path.resolve() not in recorded):
                changed.append(f"{path.relative_to(base) if path.is_relative_to(base) else path}"
                               " (ny)")
    return changed
