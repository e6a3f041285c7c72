"""The "Opdater data" flow of the dashboard: stage an uploaded export, let the analyst
review the proposed codebook, check, and publish. The same steps as `add-year`,
`confirm-codebook`, `check` and `run`, done on a staged copy of the surveys folder, so
that nothing on disk changes until a checked upload is published.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem
from pipeline.intake.add_year import AddYearResult
from pipeline.intake.add_year import add_year as propose_year
from pipeline.intake.check import CheckReport, check_inputs
from pipeline.read.codebook import CODEBOOK, CONFIRMED, MANUAL, codebook_bytes
from pipeline.run import RunConfig, RunResult, run

MAX_UPLOAD_MB = 25
"""Also set as server.maxUploadSize in .streamlit/config.toml."""
STAGING_PREFIX = ".opdater-"
REVIEW_COLUMNS = ["Række", "Overskrift i eksporten", "Nøgle", "Sådan fundet", "Bekræftet"]


@dataclass
class Staging:
    """A private copy of the surveys folder with the upload added as a new year."""

    folder: Path
    surveys: Path
    year: int
    proposal: AddYearResult

    @property
    def codebook(self) -> Path:
        return self.surveys / str(self.year) / CODEBOOK


def stage_upload(surveys: Path, year: int, uploads: Sequence[tuple[str, bytes]],
                 replace: bool = False) -> Staging:
    """Copy the surveys folder to a staging folder and add the upload there (add-year).

    `uploads` is one export file (name, bytes), or the three CSV files of a SurveyXact
    export (dataset.csv, structure.csv, labels.csv)."""
    total = sum(len(data) for _, data in uploads)
    names = ", ".join(name for name, _ in uploads)
    if not uploads:
        raise InputError([Problem("Der er ingen fil.", "Vælg eksporten.", code="upload.none")])
    if total > MAX_UPLOAD_MB * 1024 * 1024:
        raise InputError([Problem(f"Filerne er større end {MAX_UPLOAD_MB} MB.",
                                  "Tjek, at det er den rigtige eksport.", file=names,
                                  code="upload.too_large")])
    for filename, _ in uploads:
        if Path(filename).name != filename or filename.startswith("."):
            raise InputError([Problem("Filnavnet er ikke et almindeligt filnavn.",
                                      "Omdøb filen, fx til besvarelser_2025.xlsx.",
                                      file=filename, code="upload.file_name")])
    if len({name.casefold() for name, _ in uploads}) < len(uploads):
        raise InputError([Problem("To af filerne har samme navn.",
                                  "Vælg hver fil én gang.", file=names,
                                  code="upload.same_name")])
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
    staged = folder / "surveys"
    shutil.copytree(surveys, staged, ignore=shutil.ignore_patterns(".*"))
    paths = []
    for filename, data in uploads:
        (folder / "upload").mkdir(exist_ok=True)
        paths.append(folder / "upload" / filename)
        paths[-1].write_bytes(data)
    try:
        proposal = propose_year(staged, str(year), paths[0] if len(paths) == 1 else paths,
                                replace=replace)
    except InputError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Staging(folder, staged, year, proposal)


def review_table(staging: Staging) -> pd.DataFrame:
    """The proposed codebook as the analyst reviews it: one row per export header."""
    rows = [{"Række": i, "Overskrift i eksporten": p.header, "Nøgle": p.key,
             "Sådan fundet": p.match_text, "Bekræftet": p.confirmed}
            for i, p in enumerate(staging.proposal.proposals, start=2)]
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def save_review(staging: Staging, review: pd.DataFrame) -> None:
    """Write the reviewed codebook into the staging copy (keys as edited, confirmations)."""
    proposals = {p.header: p for p in staging.proposal.proposals}
    rows = []
    for row in review.itertuples(index=False):
        header, key, confirmed = row[1], (row[2] or "").strip(), bool(row[4])
        p = proposals[header]
        match = p.match_text if key == p.key else MANUAL
        rows.append([header, key, p.value_labels, match, CONFIRMED if confirmed else ""])
    staging.codebook.write_bytes(codebook_bytes(rows))


def check_staged(staging: Staging, targets: Path) -> CheckReport:
    return check_inputs(RunConfig(surveys=staging.surveys, targets=targets), staging.year)


def publish(staging: Staging, surveys: Path, targets: Path, out: Path) -> RunResult:
    """Move the checked year into the real surveys folder and recompute the outputs. If
    the run fails after all, the year folder is put back as it was."""
    report = check_staged(staging, targets)
    if not report.ok:
        raise InputError(report.problems)
    new = staging.surveys / str(staging.year)
    target = surveys / str(staging.year)
    incoming = surveys / f".{staging.year}.incoming"
    previous = surveys / f".{staging.year}.previous-{datetime.now():%Y%m%d%H%M%S}"
    shutil.copytree(new, incoming)
    if target.exists():
        os.replace(target, previous)
    os.replace(incoming, target)
    try:
        result = run(RunConfig(surveys=surveys, targets=targets, out=out))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        if previous.exists():
            os.replace(previous, target)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    discard(staging)
    return result


def discard(staging: Staging) -> None:
    shutil.rmtree(staging.folder, ignore_errors=True)
