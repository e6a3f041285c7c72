"""Read the pipeline's outputs back, and refuse what cannot be trusted.

The dashboard and the report show a figure only if the output folder holds one
complete run (every file's hash matches the manifest, so a half-written or hand-edited
set is caught) and the inputs have not changed since (else the figures are stale).
Either problem becomes an `OutputUnavailable` with a Danish message and the one command
that fixes it. `read_output` reads one CSV exactly as it was written.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.files import sha256
from pipeline.outputs.write import MANIFEST, interrupted_write, output_lock, recover_outputs
from pipeline.read.listing import list_inputs
from pipeline.reference import Reference, load_reference

TABLES = ("indicators", "goals", "quality", "excluded_rows", "distribution", "intervals",
          "goal_certainty", "national", "sources", "municipalities", "period_indicators",
          "period_goals")
RUN_COMMAND = ".venv/bin/python -m pipeline run"


NEUTRALISED = re.compile("^'('*[=+\\-@\t\r])")


def restore_formula_text(value: object) -> object:
    """Undo the CSV writer's apostrophe, for readers of the outputs (dashboard, report),
    which show the text as it was and neutralise it again in their own downloads."""
    if isinstance(value, str) and value.startswith("'"):
        return NEUTRALISED.sub(r"\1", value, count=1)
    return value



TEXT_COLUMNS = {
    "label", "note", "na_reason", "evidence", "certainty", "nonresponse_certainty",
    "development", "judgement", "indicators_attained", "indicators_not_attained",
    "indicators_missing", "indicators_without_target", "indicators_uncertain",
    "indicators_nonresponse_uncertain", "excluded_reasons", "municipalities_missing",
    "licence", "reason_code", "reason", "source_file", "source", "answer", "status_columns",
    "bilag3_text", "target_text", "target_source", "question_key", "question_text",
    "participation_key", "participation_text", "figure_source", "kommune",
}
"""Output columns that hold text: read as text, with empty cells as empty strings."""


def read_output(source: Path | bytes) -> pd.DataFrame:
    """Read an output CSV as written: empty numeric cells are missing, empty text cells
    are empty strings, the word "n/a" (no verdict) stays a word, which pandas would
    otherwise turn into a missing value, and text the writer neutralised with an
    apostrophe is given back as it was. `source` may be the file's bytes, so that a reader
    can parse exactly the bytes whose hash it checked against the manifest."""
    def csv_source() -> Path | io.BytesIO:
        return io.BytesIO(source) if isinstance(source, bytes) else source

    header = pd.read_csv(csv_source(), nrows=0).columns
    text = {c: str for c in header if c in TEXT_COLUMNS}
    frame = pd.read_csv(csv_source(), keep_default_na=False, na_values=[""], dtype=text)
    for column in text:
        frame[column] = frame[column].fillna("")
    for column in frame.columns:  # the apostrophe that kept a text from being a formula
        values = frame[column]
        text_column = values.dtype == object or pd.api.types.is_string_dtype(values)
        if text_column and values.astype(str).str.startswith("'").any():
            frame[column] = values.map(restore_formula_text)
    return frame


def listed_indicators(listing: object) -> list[tuple[str, str]]:
    """A goals.csv list of indicators as (id, why) pairs: 'MO-DIG (why; more); MO-SAM' ->
    [('MO-DIG', 'why; more'), ('MO-SAM', '')]. The reasons hold semicolons of their own,
    so the list splits only outside parentheses."""
    text = "" if listing is None or pd.isna(listing) else str(listing).strip()
    pairs, depth, current = [], 0, ""
    for char in text + ";":
        depth += (char == "(") - (char == ")")
        if char == ";" and depth == 0:
            item = current.strip()
            if item:
                indicator, _, why = item.partition(" (")
                pairs.append((indicator, why[:-1] if why.endswith(")") else why))
            current = ""
        else:
            current += char
    return pairs


def read_manifest(out_dir: Path) -> dict | None:
    """The run's manifest, None when there is none; OutputUnavailable when it cannot be
    trusted (cut off, not JSON, or missing what a reader relies on)."""
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise OutputUnavailable(
            f"{MANIFEST} i {out_dir}/ kan ikke læses ({_why(exc)}): filen er beskadiget eller "
            "afbrudt midt i skrivningen, så resultaterne kan ikke kontrolleres.") from None
    if not _manifest_shape_ok(manifest):
        raise OutputUnavailable(
            f"{MANIFEST} i {out_dir}/ mangler oplysninger, som resultaterne kontrolleres med "
            "(den er ændret i hånden eller stammer ikke fra pipelinen).")
    return manifest


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"ugyldig JSON i linje {exc.lineno}"
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return "ugyldig tekst"


def _manifest_shape_ok(manifest: object) -> bool:
    """What the dashboard, the report and the freshness check read from a manifest."""
    if not isinstance(manifest, dict):
        return False

    def records(name: str) -> bool:
        items = manifest.get(name, [])
        return isinstance(items, list) and all(
            isinstance(i, dict) and isinstance(i.get("path"), str)
            and isinstance(i.get("sha256"), str) for i in items)

    years = manifest.get("years", [])
    parameters = manifest.get("parameters")
    return (records("outputs") and records("inputs") and records("reference")
            and isinstance(parameters, dict)
            and all(isinstance(parameters.get(k), str) for k in ("surveys", "targets",
                                                                  "ci_method"))
            and isinstance(parameters.get("confidence"), (int, float))
            and all(isinstance(manifest.get(k), str) for k in ("created_utc", "version"))
            and isinstance(years, list) and all(isinstance(y, int) for y in years)
            and isinstance(manifest.get("working_directory", ""), str))


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
    sources: pd.DataFrame
    """Per indicator and year: Bilag 3's wording and source, the year's question text."""
    municipalities: pd.DataFrame
    """Per year and municipality: whether it answered (never what)."""
    period_indicators: pd.DataFrame
    period_goals: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic_demo_data"))

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.manifest.get("years", []))

    @property
    def reference(self) -> Reference:
        """The reference files the run computed with (indicator catalogue, goals, tracks),
        so labels and goals shown always match the figures."""
        folder = self.manifest.get("reference_dir")
        return load_reference(Path(folder) if folder and Path(folder).is_dir() else None)


def refresh_command(manifest: dict | None, out_dir: Path) -> str:
    """The command that computes the outputs in `out_dir` again, with the run's own
    surveys folder, targets file and options (from its manifest), to be run in the
    folder the run was made in."""
    params = (manifest or {}).get("parameters", {})
    parts = [RUN_COMMAND]
    surveys, targets = params.get("surveys", "surveys"), params.get("targets", "targets.csv")
    if manifest is not None or surveys != "surveys":
        parts.append(f"--surveys {shlex.quote(str(surveys))}")
    if manifest is not None or targets != "targets.csv":
        parts.append(f"--targets {shlex.quote(str(targets))}")
    base = Path((manifest or {}).get("working_directory", Path.cwd()))
    shown = out_dir.resolve()
    if shown.is_relative_to(base.resolve()):
        shown = shown.relative_to(base.resolve())
    parts.append(f"--out {shlex.quote(str(shown))}")
    if params.get("ci_method", "auto") != "auto":
        parts.append(f"--ci-method {params['ci_method']}")
    if params.get("confidence", 0.95) != 0.95:
        parts.append(f"--confidence {params['confidence']}")
    if params.get("respondent_level"):
        parts.append("--respondent-level")
    return " ".join(parts)


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
    """Read every output table after checking the set is complete and consistent. A write
    that was killed half-way is rolled back first (see `outputs.write`), so the reader sees
    the previous outputs as they were."""
    if out_dir.is_dir() and interrupted_write(out_dir):
        _recover(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputUnavailable(f"{out_dir} er en fil, ikke en mappe med resultater.")
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
        try:
            data = path.read_bytes()  # parse exactly the bytes whose hash is checked
        except OSError as exc:
            raise OutputUnavailable(
                f"Resultatfilen {name} i {out_dir}/ kan ikke læses "
                f"({exc.strerror or type(exc).__name__}).") from None
        if sha256(data) != recorded[name]:
            raise OutputUnavailable(
                f"Resultatfilen {name} passer ikke med manifest.json: den er ændret efter "
                "kørslen, eller en kørsel er i gang. Vent et øjeblik og genindlæs siden.")
        tables[table] = read_output(data)
    for frame in tables.values():  # empty text cells are empty strings, not NaN
        text = frame.select_dtypes(include=["object", "string"]).columns
        frame[text] = frame[text].fillna("")
    return Outputs(out_dir=out_dir, manifest=manifest, **tables)


def _recover(out_dir: Path) -> None:
    """Roll back a killed write, unless a run is writing right now (it holds the lock)."""
    try:
        with output_lock(out_dir, wait=0):
            recover_outputs(out_dir)
    except InputError as exc:
        if exc.problems and exc.problems[0].code == "outputs.locked":
            raise OutputUnavailable(
                "En kørsel skriver resultaterne lige nu. Vent et øjeblik, og genindlæs siden."
            ) from None
        raise OutputUnavailable(
            f"En kørsel blev afbrudt, mens den skrev resultaterne i {out_dir}/, og de "
            "tidligere resultater kan ikke lægges tilbage herfra (ingen skriveadgang til "
            "mappen).") from None
    except OSError:
        raise OutputUnavailable(
            f"En kørsel blev afbrudt, mens den skrev resultaterne i {out_dir}/, og de "
            "tidligere resultater kan ikke lægges tilbage herfra.") from None


def stale_inputs(manifest: dict) -> list[str]:
    """Inputs (and reference files) changed, removed or added since the run that made the
    outputs. Which files are inputs is decided by the same listing `run` reads with
    (`pipeline.read.listing`), so the check and the run never disagree."""
    base = Path(manifest.get("working_directory", "."))
    folder = Path(manifest.get("reference_dir", "."))
    recorded = {(base / item["path"]).resolve(): item for item in manifest.get("inputs", [])}
    files = [*recorded.items(),
             *((folder / Path(item["path"]).name, item)
               for item in manifest.get("reference", []) if "reference_dir" in manifest)]
    changed = []
    for path, item in files:
        try:
            if not path.is_file():
                changed.append(f"{item['path']} (fjernet)")
            elif sha256(path.read_bytes()) != item["sha256"]:
                changed.append(f"{item['path']} (ændret)")
        except OSError:
            changed.append(f"{item['path']} (kan ikke læses)")
    surveys = base / manifest.get("parameters", {}).get("surveys", "surveys")
    listing = list_inputs(surveys)
    for path in listing.files():
        if path.resolve() in recorded:
            continue
        if path == listing.synthetic_marker and manifest.get("synthetic_demo_data"):
            continue  # runs before the marker was recorded as an input knew it all the same
        changed.append(f"{path.relative_to(base) if path.is_relative_to(base) else path} (ny)")
    changed += [f"{p.file} ({p.message})" for p in listing.problems]
    return changed
