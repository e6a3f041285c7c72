"""Write the pipeline's outputs: all or nothing, one run at a time, traceable.

Files are first written to a staging folder next to the outputs and then moved into
place with an atomic rename each; `manifest.json` goes last and records the SHA-256 of
every input and output, so a reader can check that it sees one run's complete set.
A failed run leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from pipeline.errors import InputError, Problem
from pipeline.files import sha256

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LOCK_NAME = ".pipeline.lock"
LOCK_WAIT_SECONDS = 60.0
MANIFEST = "manifest.json"
SYNTHETIC_NOTICE = ("SYNTETISKE DEMODATA: tallene er genereret til demonstration og er ikke "
                    "rigtige resultater.")
"""Shown on every output, screen and report page made from the synthetic demo data."""
SYNTHETIC_MARK = "SYNTETISKE DEMODATA – ikke rigtige resultater"
"""The short form, for places with little room: chart images, sheet and page headers."""


def neutralise_formula(value: object) -> object:
    """A text starting like a formula gets a leading apostrophe, so that Excel shows it as
    text instead of running it (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


FORMULA_PATTERN = "^'*[=+\\-@\t\r]"
"""Text the CSV writer prefixes with an apostrophe: text that starts like a formula, and
text that already starts with apostrophes before such a character (so that
`read_output` can take exactly one apostrophe off again and get the text as it was)."""
def _csv_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """One column as it is written: floats rounded to 6 decimals, timestamps as
    'YYYY-MM-DD HH:MM:SS', text that could start a formula prefixed with an apostrophe."""
    kind = column.type
    if pa.types.is_floating(kind):
        return pc.round(column, 6)
    if pa.types.is_timestamp(kind):
        return pc.cast(pc.cast(column, pa.timestamp("s"), safe=False), pa.string())
    if pa.types.is_dictionary(kind):  # categoricals: neutralise the few distinct values
        return pa.chunked_array([
            pa.DictionaryArray.from_arrays(chunk.indices, _csv_column(
                pa.chunked_array([chunk.dictionary])).combine_chunks())
            for chunk in column.chunks], type=None) if column.num_chunks else column
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        risky = pc.match_substring_regex(column, FORMULA_PATTERN)
        quoted = pc.binary_join_element_wise(pa.scalar("'", kind), column, pa.scalar("", kind))
        return pc.if_else(risky, quoted, column)
    return column


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV, written by Arrow's C++ writer (a million rows in seconds, where
    pandas takes tens): fixed rounding, formulas neutralised, no per-row Python."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, name in enumerate(table.column_names):
        table = table.set_column(i, name, _csv_column(table.column(i)))
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer, write_options=pa_csv.WriteOptions(quoting_style="needed"))
    return buffer.getvalue()


@contextlib.contextmanager
def output_lock(out_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Only one run writes to an output folder at a time; a second one waits (at most
    `wait` seconds, default LOCK_WAIT_SECONDS), then refuses."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(out_dir / LOCK_NAME, "w")  # noqa: SIM115  (closed by the with below)
    except OSError as exc:
        raise _not_written(out_dir, exc) from None
    seconds = f"{wait:g}".replace(".", ",")
    with handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise InputError([Problem(
                        f"En anden kørsel skriver stadig til outputmappen (ventede {seconds} s).",
                        "Vent til den anden kørsel er færdig, og kør så igen.",
                        file=str(out_dir), code="outputs.locked")]) from None
                if not told:
                    print(f"En anden kørsel skriver til {out_dir}; venter op til {seconds} s ...",
                          flush=True)
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_outputs(out_dir: Path, files: dict[str, bytes], manifest: dict) -> dict[str, str]:
    """Stage every file, then move them into `out_dir`; the manifest (with the outputs'
    hashes) is written last. Returns name -> sha256. If anything fails on the way (a full
    disk, no write access, Ctrl+C), the files already moved are put back, and an OSError
    becomes an InputError saying what happened: the previous outputs stay as they were."""
    hashes = {name: sha256(data) for name, data in files.items()}
    manifest = {**manifest, "outputs": [{"path": name, "sha256": hashes[name],
                                         "bytes": len(files[name])} for name in sorted(files)]}
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    except OSError as exc:
        raise _not_written(out_dir, exc) from None
    previous = staging / "previous"
    replaced: list[str] = []
    try:
        for name, data in {**files, MANIFEST: manifest_bytes}.items():
            (staging / name).write_bytes(data)
            with open(staging / name, "rb") as fh:
                os.fsync(fh.fileno())
        previous.mkdir()
        for name in [*files, MANIFEST]:
            if (out_dir / name).exists():
                _keep(out_dir / name, previous / name)
            os.replace(staging / name, out_dir / name)
            replaced.append(name)
    except BaseException as exc:  # also Ctrl+C: never half a new set next to an old manifest
        _roll_back(out_dir, previous, replaced)
        if isinstance(exc, OSError):
            raise _not_written(out_dir, exc) from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return hashes


def _not_written(out_dir: Path, exc: OSError) -> InputError:
    return InputError([Problem(
        f"Resultaterne kunne ikke skrives til outputmappen ({exc.strerror or exc}).",
        "Tjek at der er plads på disken, og at du har skriveadgang til mappen (eller angiv en "
        "anden mappe med --out), og kør igen.",
        file=str(out_dir), code="outputs.not_written")])


def _keep(path: Path, copy: Path) -> None:
    """Keep the file being replaced, to put back should the run stop half-way: a hard
    link costs nothing; where the file system has none, a copy."""
    try:
        os.link(path, copy)
    except OSError:
        shutil.copy2(path, copy)


def _roll_back(out_dir: Path, previous: Path, replaced: list[str]) -> None:
    """Put the previous outputs back (and remove new files that had none), so a run that
    stops while moving files into place leaves the earlier set exactly as it was."""
    for name in reversed(replaced):
        with contextlib.suppress(OSError):
            if (previous / name).exists():
                os.replace(previous / name, out_dir / name)
            else:
                (out_dir / name).unlink()
