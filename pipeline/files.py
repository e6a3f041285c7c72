"""Files and paths as every layer sees them: how a path is shown, a file's hash, an
atomic write, and which folders of the surveys folder are years.

Kept free of pandas and the other heavy libraries, so the command line can use it
before it has decided which of them a command needs.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")
"""A survey year folder's name: four digits, 1900-2099."""
DEFAULT_SURVEYS = Path("surveys")


@dataclass(frozen=True)
class InputFile:
    """An input the figures depend on, recorded in the manifest with its hash."""

    path: str
    kind: str
    sha256: str
    bytes: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def display_path(path: Path) -> str:
    """Paths in messages and outputs: relative to the working folder where possible. A
    symbolic link is shown as the link (where the user put it), not as its target."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        pass
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def surveys_argument(surveys: Path) -> str:
    """The `--surveys` option to repeat in a suggested command (none for the default
    folder), quoted when the path has a space."""
    shown = display_path(surveys)
    if Path(shown) == DEFAULT_SURVEYS:
        return ""
    return f' --surveys "{shown}"' if " " in shown else f" --surveys {shown}"


def year_folders(root: Path) -> list[int]:
    """The years that have a folder in the surveys folder, in order."""
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir()
                  if p.is_dir() and YEAR_PATTERN.match(p.name))


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
