"""Write the pipeline's outputs: all or nothing, one run at a time, traceable.

Files are first written to a staging folder next to the outputs and then moved into
place with an atomic rename each, under a journal that lets the next run (or reader) put
the previous files back if the process is killed half-way; `manifest.json` goes last and
records the SHA-256 of every input and output, so a reader can check that it sees one
run's complete set. A failed run, even a killed one, leaves the previous outputs exactly
as they were.
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
from pipeline.files import sha256, stage_file

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


JOURNAL = ".publish.json"
"""Written while new outputs are moved into place: what to put back should the process be
killed half-way (the next run, or the next reader, rolls back)."""
STAGING_PREFIX = ".staging-"
LEFTOVER_FILES = ".*.tmp"
"""The temporary files of `files.stage_file` (the journal's, the report's) that a killed
process leaves behind: hidden, and removed by the next run."""
LEFTOVER_AGE_SECONDS = 600
PAUSE_ENV = "MAALOPFYLDELSE_TEST_PAUSE_AT"
"""For the tests only: the write step at which to stop and wait to be killed."""
PAUSE_FILE_ENV = "MAALOPFYLDELSE_TEST_PAUSE_FILE"


def write_steps(names: list[str]) -> list[str]:
    """The steps of writing the outputs `names` (the manifest included), in order: the
    points at which the tests kill a run to prove the previous outputs survive."""
    return ["staged", "kept", "journal", *(f"moved:{n}" for n in names), "committed"]


def _checkpoint(step: str) -> None:
    """Test hook: stop at `step` (touching the pause file) until the test kills us."""
    if os.environ.get(PAUSE_ENV) == step:
        marker = os.environ.get(PAUSE_FILE_ENV)
        if marker:
            Path(marker).write_text(step, encoding="utf-8")
        while True:
            time.sleep(60)


def write_outputs(out_dir: Path, files: dict[str, bytes], manifest: dict) -> dict[str, str]:
    """Stage every file, then move them into `out_dir`; the manifest (with the outputs'
    hashes) is written last. Returns name -> sha256. Must be called holding
    `output_lock(out_dir)`.

    All or nothing, even if the process is killed: the files are written and flushed in a
    staging folder first, the files they replace are kept there (hard links), and a journal
    names them before the first file is moved; the journal is removed once the last file
    (the manifest) is in place. A run stopped by an error or Ctrl+C puts the previous files
    back at once; one killed outright (SIGKILL, a power cut) leaves the journal, and the
    next run, or the next reader of the outputs, puts them back (`recover_outputs`). An
    OSError becomes an InputError saying what happened."""
    hashes = {name: sha256(data) for name, data in files.items()}
    manifest = {**manifest, "outputs": [{"path": name, "sha256": hashes[name],
                                         "bytes": len(files[name])} for name in sorted(files)]}
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        recover_outputs(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as exc:
        raise _not_written(out_dir, exc) from None
    previous = staging / "previous"
    names = [*files, MANIFEST]
    journal = out_dir / JOURNAL
    replaced: list[str] = []
    try:
        for name, data in {**files, MANIFEST: manifest_bytes}.items():
            (staging / name).write_bytes(data)
            with open(staging / name, "rb") as fh:
                os.fsync(fh.fileno())
        _checkpoint("staged")
        previous.mkdir()
        kept = [name for name in names if (out_dir / name).exists()]
        for name in kept:
            _keep(out_dir / name, previous / name)
        _fsync_dir(previous)
        _checkpoint("kept")
        entry = {"staging": staging.name, "names": names, "kept": kept}
        os.replace(stage_file(journal, json.dumps(entry).encode("utf-8")), journal)
        _fsync_dir(out_dir)
        _checkpoint("journal")
        for name in names:
            os.replace(staging / name, out_dir / name)
            replaced.append(name)
            _checkpoint(f"moved:{name}")
        _fsync_dir(out_dir)
        journal.unlink()  # the commit: from here on the new set stands
        _fsync_dir(out_dir)
        _checkpoint("committed")
    except BaseException as exc:  # also Ctrl+C: never half a new set next to an old manifest
        _roll_back(out_dir, previous, replaced)
        with contextlib.suppress(OSError):
            journal.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _not_written(out_dir, exc) from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return hashes


def recover_outputs(out_dir: Path) -> bool:
    """Put back the previous outputs of a write that was killed half-way (its journal is
    still there), and remove staging folders left by killed runs. Call it holding the
    output lock. Returns whether a write was rolled back."""
    journal = out_dir / JOURNAL
    rolled_back = False
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            staging = out_dir / _plain(entry["staging"])
            names = [_plain(n) for n in entry["names"]]
            kept = {_plain(n) for n in entry["kept"]}
        except (ValueError, KeyError, TypeError):
            entry = None  # not ours: leave the outputs to the readers' hash check
        if entry is not None:
            for name in names:
                if name in kept:
                    if (staging / "previous" / name).exists():
                        os.replace(staging / "previous" / name, out_dir / name)
                else:
                    (out_dir / name).unlink(missing_ok=True)
            _fsync_dir(out_dir)
            rolled_back = True
        journal.unlink()
        _fsync_dir(out_dir)
    for leftover in out_dir.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in _old_leftovers(out_dir):
        leftover.unlink(missing_ok=True)
    return rolled_back


def _old_leftovers(out_dir: Path) -> list[Path]:
    """Temporary files of killed writes: old enough that no report (which writes without
    the run's lock) can still be writing them."""
    cutoff = time.time() - LEFTOVER_AGE_SECONDS
    found = []
    for path in out_dir.glob(LEFTOVER_FILES):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                found.append(path)
    return found


def tidy_outputs(out_dir: Path) -> None:
    """At the start of a run: roll back a write a killed run left half-done and remove its
    staging folders, unless another run is writing now (it will, when it writes). Done even
    if this run then stops at bad input: the previous outputs are then as they were."""
    if not out_dir.is_dir() or not (interrupted_write(out_dir)
                                    or any(out_dir.glob(f"{STAGING_PREFIX}*"))
                                    or _old_leftovers(out_dir)):
        return
    try:
        with output_lock(out_dir, wait=0):
            recover_outputs(out_dir)
    except (InputError, OSError):
        pass


def interrupted_write(out_dir: Path) -> bool:
    """Whether a write to `out_dir` is under way or was killed (its journal exists)."""
    return (out_dir / JOURNAL).exists()


def _plain(name: object) -> str:
    """A file name from the journal, refused unless it is a plain name in the folder."""
    if not isinstance(name, str) or not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    return name


def _fsync_dir(folder: Path) -> None:
    """Make renames in a folder durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
