"""No personal data (names, e-mails, free-text comments, respondent ids) from the exports
reaches any output: the pipeline's files, the report, the dashboard's pages or any of
its downloads. The exports' unread columns are collected and searched for everywhere."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, TARGETS, copy_demo, run_cli, run_pipeline, unread_tables
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from pipeline.read.codebook import read_codebook
from pipeline.reference import load_reference

MARKER = "Birgitte Bibliotekschef (birgitte.hemmelig@example.org): fortroligt om budgettet"
PAGES = ["dashboard_pages/spor.py", "dashboard_pages/regioner.py",
         "dashboard_pages/datakvalitet.py", "dashboard_pages/rapport.py"]


def personal_values(surveys: Path) -> set[str]:
    """Every value of every export column that the year's codebook does not read (in a
    SurveyXact export: every Dataset column, e-mails, names and comments among them, but
    those the codebook reads and closetime, the response time)."""
    reference = load_reference()
    values: set[str] = set()
    for folder in sorted(p for p in surveys.iterdir() if p.is_dir()):
        codebook = read_codebook(folder / "codebook.csv", reference)
        read = {e.column for e in codebook.entries if e.key}
        files = [p for p in folder.iterdir()
                 if p.suffix in (".csv", ".xlsx") and p.name != "codebook.csv"]
        tables = unread_tables(files, read)
        for table in tables:
            for column in table.cells.columns:
                if column not in read:
                    values |= {v.strip() for v in table.cells[column] if len(v.strip()) >= 6}
    return values


def texts_in(data: bytes) -> str:
    """The text of a file, and of every member if it is a zip (docx, xlsx, zip)."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(texts_in(z.read(name)) for name in z.namelist())
    return data.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path, set[str]]:
    tmp = tmp_path_factory.mktemp("pii")
    surveys = copy_demo(tmp)
    export = surveys / "2023" / "Centralbiblioteksundersøgelse 2023.csv"
    text = export.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + f',"{MARKER}"'  # the last column is Kommentar
    export.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    out = tmp / "output"
    assert run_pipeline(surveys, out, targets=TARGETS).exit_code == 0
    secrets = personal_values(surveys)
    assert MARKER in secrets and any("@bibliotek-demo.dk" in s for s in secrets)
    # The SurveyXact year's e-mails and comments (every response's, completed or not).
    assert {"Godt samarbejde med CB i år.", "Fjernlån tager for lang tid."} <= secrets
    dataset = load_workbook(next((surveys / "2021").glob("*.xlsx")), read_only=True)["Dataset"]
    rows = list(dataset.iter_rows(values_only=True))
    emails = {r[rows[0].index("email")] for r in rows[1:]}
    assert len(emails) > 50 and emails <= secrets
    assert len(secrets) > 300  # names, e-mails, ids and comments of four years
    return surveys, out, secrets


def assert_clean(text: str, secrets: set[str], where: str) -> None:
    found = sorted(s for s in secrets if s in text)
    assert not found, f"{where} holds personal data: {found[:5]}"


@pytest.mark.slow
def test_no_pipeline_output_holds_personal_data(site):
    _, out, secrets = site
    for path in out.iterdir():
        if path.is_file():
            assert_clean(texts_in(path.read_bytes()), secrets, path.name)


@pytest.mark.slow
def test_no_report_file_holds_personal_data(site):
    _, out, secrets = site
    result = run_cli("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = [p for p in out.rglob("beretning_*") if p.is_file()]
    assert {p.suffix for p in files} >= {".docx", ".xlsx"}
    for path in files:
        if path.suffix != ".png":  # charts are pictures of figures, no text to leak
            assert_clean(texts_in(path.read_bytes()), secrets, path.name)


@pytest.mark.slow
def test_no_dashboard_page_or_download_holds_personal_data(site, monkeypatch):
    _, out, secrets = site
    builds: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        builds[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    pages = [at]
    for page in PAGES:
        pages.append(at.switch_page(page).run())
        if page.endswith("spor.py"):
            for track in ("laes", "kultur", "digital", "tvaergaaende"):
                pages.append(at.radio(key="track").set_value(track).run())
    for shown in pages:
        assert not shown.exception, shown.exception
        for kind in ("markdown", "caption", "title", "subheader", "text", "metric", "warning"):
            for element in getattr(shown, kind):
                assert_clean(str(getattr(element, "value", "")), secrets, kind)
        for element in shown.table:
            assert_clean(element.value.to_csv(), secrets, "table")
    built = 0
    for name, build in builds.items():
        if name.endswith((".csv", ".xlsx")):  # the Word/PNG downloads: see the report test
            assert_clean(texts_in(build()), secrets, name)
            built += 1
    assert built >= 20
