"""Small builders for test inputs: a surveys folder with exports, a codebook and targets."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import Workbook
from PIL import Image

from pipeline.cli.commands import main

REPO = Path(__file__).resolve().parents[1]
DEMO_SURVEYS = REPO / "surveys"
TARGETS = REPO / "targets.csv"

# A plain questionnaire: the export header for each question key is "Q <key>".
KEYS = ["kommune", "besvaret", "tilfreds_fysisk", "tilfreds_digital", "formidling_licenser",
        "tydelighed", "sammenhaeng_mo", "relevans_laes", "relevans_kultur", "relevans_digital",
        "deltog_laes", "deltog_kultur", "deltog_digital", "styrker_laes", "styrker_kultur",
        "styrker_digital", "sammenhaeng_vaesen"]


def header(key: str) -> str:
    return "Kommune" if key == "kommune" else f"Q {key}"


def write_codebook(folder: Path, keys: list[str] | None = None,
                   value_labels: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    value_labels = value_labels or {}
    path = folder / "codebook.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["column", "key", "value_labels"])
        for key in keys or KEYS:
            writer.writerow([header(key), key, value_labels.get(key, "")])
    return path


def export_rows(rows: list[dict[str, str]], keys: list[str] | None = None,
                extra: dict[str, list[str]] | None = None) -> list[list[str]]:
    """Rows of dicts keyed by question key -> a header row plus cell rows."""
    keys = keys or KEYS
    extra = extra or {}
    head = [*extra, *(header(k) for k in keys)]
    body = [[*(values[i] for values in extra.values()), *(r.get(k, "") for k in keys)]
            for i, r in enumerate(rows)]
    return [head, *body]


def write_csv(path: Path, table: list[list[object]], delimiter: str = ";",
              encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=delimiter).writerows(table)
    return path


def write_xlsx(path: Path, table: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    for row in table:
        wb.active.append(row)
    wb.save(path)
    return path


def write_year(root: Path, year: int, rows: list[dict[str, str]], *, fmt: str = "csv",
               keys: list[str] | None = None, extra: dict[str, list[str]] | None = None,
               value_labels: dict[str, str] | None = None) -> Path:
    """A year folder with one export and its codebook; returns the export's path."""
    folder = root / str(year)
    write_codebook(folder, keys, value_labels)
    table = export_rows(rows, keys, extra)
    if fmt == "xlsx":
        return write_xlsx(folder / f"export_{year}.xlsx", table)
    return write_csv(folder / f"export_{year}.csv", table)


def copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "surveys"
    shutil.copytree(DEMO_SURVEYS, target)
    return target


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_pipeline(surveys: Path, out: Path, *extra: str, targets: Path = TARGETS) -> Result:
    return run_cli("run", "--surveys", str(surveys), "--targets", str(targets), "--out",
                   str(out), *extra)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes, to prove a failed run changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def reworded_export(source: Path, target: Path, renames: dict[str, str], seed: int = 7,
                    values: dict[str, dict[str, str]] | None = None) -> Path:
    """A copy of an .xlsx export with some headers reworded and the columns shuffled, as
    next year's export from the survey tool would come (its response times a year later);
    `values` recodes answers per (original) header, e.g. to numeric codes."""
    import random
    from datetime import datetime

    from openpyxl import load_workbook

    wb = load_workbook(source, read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    head, body = rows[0], rows[1:]
    body = [[v.replace(year=v.year + 1) if isinstance(v, datetime) else v for v in row]
            for row in body]
    for name, mapping in (values or {}).items():
        i = head.index(name)
        for row in body:
            row[i] = mapping.get(row[i], row[i])
    head = [renames.get(h, h) for h in head]
    missing = set(renames) - set(rows[0])
    assert not missing, f"not headers of {source.name}: {missing}"
    order = list(range(len(head)))
    random.Random(seed).shuffle(order)
    return write_xlsx(target, [[r[i] for i in order] for r in [head, *body]])


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """A CSV (a codebook) as dicts, one per row."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes, to prove that a refused command changed
    nothing on disk."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def fake_png() -> bytes:
    """A small blank PNG, standing in for a chart drawn by Chromium."""
    buffer = io.BytesIO()
    Image.new("RGB", (70, 42), "white").save(buffer, "PNG")
    return buffer.getvalue()


def unread_tables(files: list[Path], read: set[str]) -> list:
    """The exports among `files` as tables of the columns a codebook that reads `read`
    leaves unread: a plain export's every column (its read ones are left out by the
    caller), a SurveyXact export's Dataset columns but those the codebook names and
    closetime (the response time), answers as their label text."""
    from pipeline.read.surveyxact import find_surveyxact, read_surveyxact
    from pipeline.read.tables import read_table

    surveyxact, plain = find_surveyxact(files)
    tables = [read_table(export, header_names=read) for export in plain]
    for export_files in surveyxact:
        export = read_surveyxact(export_files)
        known = set(export.headers_for([*read, "closetime"]))
        tables.append(read_surveyxact(export_files, [
            h for h in export.dataset_headers if h not in known]).table)
    return tables
