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
import re
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
from pipeline.readers import sha256

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LOCK_NAME = ".pipeline.lock"
LOCK_WAIT_SECONDS = 60.0
MANIFEST = "manifest.json"


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
NEUTRALISED = re.compile("^'('*[=+\\-@\t\r])")


def restore_formula_text(value: object) -> object:
    """Undo the CSV writer's apostrophe, for readers of the outputs (dashboard, report),
    which show the text as it was and neutralise it again in their own downloads."""
    if isinstance(value, str) and value.startswith("'"):
        return NEUTRALISED.sub(r"\1", value, count=1)
    return value


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
                        file=str(out_dir))]) from None
                if not told:
                    print(f"En anden kørsel skriver til {out_dir}; venter op til {seconds} s ...",
                          flush=True)
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stage_file(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path` (flushed to disk, readable like any
    output) and return it; moving it over `path` with os.replace is then atomic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes it private
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """A reader (or Excel, or Word) sees the old file or the new one, never half of one."""
    tmp = stage_file(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
        file=str(out_dir))])


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


TEXT_COLUMNS = {
    "label", "note", "na_reason", "evidence", "certainty", "nonresponse_certainty",
    "development", "judgement", "indicators_attained", "indicators_not_attained",
    "indicators_missing", "indicators_without_target", "indicators_uncertain",
    "indicators_nonresponse_uncertain", "excluded_reasons",
    "municipalities_missing", "licence", "reason", "source_file", "answer",
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


def read_manifest(out_dir: Path) -> dict | None:
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
