"""The reports drawn for real: the charts by Kaleido in the system's Chromium, and the Word
documents (the yearly report for 2024 and 2023, the period assessment) converted to PDF by
LibreOffice (`--headless --convert-to pdf`), their pages rasterised by pdftoppm and checked
as text and as images: the cover without a page number, the table of contents, en dashes
and no-break spaces in the printed text, charts with their captions, and no page left
largely blank inside a chapter.

Outside CI a test skips, saying what to install, when Chromium, LibreOffice or
poppler-utils is missing; in CI (CI set) it must run: .ci/run installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from helpers import REPO
from PIL import Image

from pipeline.formatting import percent
from pipeline.outputs.read import read_output
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.words import interval_text
from pipeline.reference import load_reference
from pipeline.report.build import build_period, build_report
from pipeline.report.data import report_reference
from pipeline.report.images import SCALE, WIDTH, browser_path

pytestmark = [pytest.mark.render, pytest.mark.slow]

ARTIFACTS = REPO / "test-artifacts"
SUBJECTS = report_reference(load_reference()).indicators.set_index("indicator_id")[
    "report_subject"]
CHAPTERS = ("Sammenfatning", "Målopfyldelse", "Materialeoverbygning", "Temaspor",
            "CB-regionerne", "Datakvalitet", "Bilag: Metode og kilder", "Resultatmål og",
            "Nøgletal og indikatorer")
MAX_BLANK = 0.30
"""Inside a chapter no page ends with more than this share of its text area blank."""


def need(path: str | None, what: str, package: str) -> str:
    """The tool's path; else skip (outside CI) or fail (in CI), naming the package."""
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: .ci/run must install {package}.", pytrace=False)
    pytest.skip(f"{what} is not installed (apt-get install {package}); CI installs it.")


@pytest.fixture(scope="module")
def demo_report(demo_output, tmp_path_factory) -> tuple[Path, list[Path], float]:
    need(browser_path(), "Chromium", "chromium")
    out = tmp_path_factory.mktemp("demo_report")
    for path in demo_output.iterdir():
        if path.is_file():
            shutil.copy(path, out / path.name)
    started = time.monotonic()
    paths = build_report(out)
    return out, paths, time.monotonic() - started


def colour_pixels(image: Image.Image, test) -> int:
    rgb = np.asarray(image.convert("RGB")).astype(int)
    return int(test(rgb[..., 0], rgb[..., 1], rgb[..., 2]).sum())


def is_blue(r, g, b):  # the charts' #0072B2
    return (r < 60) & (g > 80) & (g < 150) & (b > 140)


def is_red(r, g, b):  # the synthetic-data mark's #C00000
    return (r > 150) & (g < 90) & (b < 90)


def to_pdf(document: Path, tmp_path: Path) -> Path:
    office = need(shutil.which("libreoffice") or shutil.which("soffice"), "LibreOffice",
                  "libreoffice-writer")
    done = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(document)],
        capture_output=True, text=True, timeout=300)
    pdf = tmp_path / f"{document.stem}.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    return pdf


def page_texts(pdf: Path) -> list[str]:
    pdftotext = need(shutil.which("pdftotext"), "pdftotext", "poppler-utils")
    pages, page = [], 1
    while True:
        text = subprocess.run([pdftotext, "-layout", "-f", str(page), "-l", str(page),
                               str(pdf), "-"], capture_output=True, text=True)
        if text.returncode != 0:
            return pages
        pages.append(text.stdout)
        page += 1


def raster(pdf: Path, number: int, name: str, tmp_path: Path) -> Image.Image:
    pdftoppm = need(shutil.which("pdftoppm"), "pdftoppm", "poppler-utils")
    target = tmp_path / name
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", str(number), "-l", str(number),
                    "-singlefile", str(pdf), str(target)], check=True, timeout=60)
    image = Image.open(f"{target}.png")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / f"{name}.png")
    return image


def blank_bottom(image: Image.Image) -> float:
    """The share of the page's text area (below the header, above the footer) that is
    blank at its bottom."""
    grey = np.asarray(image.convert("L"))
    top, bottom = int(grey.shape[0] * 0.09), int(grey.shape[0] * 0.905)
    inked = np.nonzero((grey[top:bottom] < 200).any(axis=1))[0]
    return 1 - ((inked[-1] + 1) / (bottom - top) if len(inked) else 0)


def flat(text: str) -> str:
    return " ".join(text.split())


def check_pages(pdf: Path, tmp_path: Path, name: str) -> list[str]:
    """Every page: the synthetic mark, no page number on the cover, page numbers on the
    rest, the printed text's typography, and no page left largely blank inside a chapter.
    Returns the pages' text, whitespace flattened."""
    pages = page_texts(pdf)
    flats = [flat(p) for p in pages]
    assert all(SYNTHETIC_MARK in p for p in flats)  # the header, on every page
    assert "Side " not in flats[0]
    assert all(f"Side {i} af {len(pages)}" in p for i, p in enumerate(flats[1:], start=2))
    for number, text in enumerate(flats, start=1):
        assert not re.search(r"\b\d+-\d+\b|±|\bnan\b", text), (number, text)
        assert '"' not in text, (number, text)
    for number in range(3, len(pages)):  # the cover and the contents are short on purpose
        following = flats[number]  # the next page (numbers are 1-based)
        body = following.split("resultater", 1)[-1].strip()  # after the header's mark
        if body.startswith(CHAPTERS):
            continue  # the page ends a chapter: the next starts on a new page
        blank = blank_bottom(raster(pdf, number, f"{name}_page{number}", tmp_path))
        assert blank <= MAX_BLANK, (name, number, round(blank, 2))
    return flats


def test_charts_are_drawn_by_chromium_and_put_in_the_document(demo_report):
    out, paths, seconds = demo_report
    workbook, document, *pngs = paths
    assert workbook.name == "beretning_2024.xlsx" and document.name == "beretning_2024.docx"
    assert len(pngs) == 28 and seconds < 180  # 16 charts and 12 region maps
    for png in pngs:
        image = Image.open(png)
        assert image.format == "PNG" and image.width in (WIDTH * SCALE, 500 * SCALE), png.name
        assert len(image.convert("RGB").getcolors(1_000_000)) > 20, f"{png.name} is blank"
    trend = Image.open(out / "beretning_2024_figurer" / "01_MO-FYS_udvikling.png")
    assert colour_pixels(trend, is_blue) > 500  # the shares and their intervals
    doc = Document(str(document))
    embedded = [shape._inline.graphic.graphicData.pic.blipFill.blip.embed
                for shape in doc.inline_shapes]
    blobs = [doc.part.related_parts[r_id].blob for r_id in embedded]
    assert blobs == [png.read_bytes() for png in pngs]  # the same charts, in order


def test_the_yearly_report_renders_to_pdf_and_its_pages_read_well(demo_report, tmp_path):
    out, paths, _ = demo_report
    pdf = to_pdf(paths[1], tmp_path)
    pages = check_pages(pdf, tmp_path, "report_2024")
    assert 15 <= len(pages) <= 40, len(pages)
    assert "Fælles faglig beretning 2024" in pages[0]
    assert ("i henhold til bilag 3 til rammeaftale om centralbiblioteksvirksomhed 2021–2024"
            in pages[0])
    assert "Afgivet til Slots- og Kulturstyrelsen af centralbibliotekerne i" in pages[0]
    assert pages[1].count("Resultatmål") >= 5 and "Indhold" in pages[1]  # the TOC
    fys = read_output(out / "indicators.csv").query(
        "indicator_id == 'MO-FYS' and year == 2024 and scope == 'national'").iloc[0]
    sentence = flat(f"{SUBJECTS['MO-FYS']} er {percent(fys.share)} (95 %-konfidensinterval "
                    f"{interval_text(fys.ci_low, fys.ci_high, 0.9)})".replace("\u00a0", " "))
    found = [i for i, p in enumerate(pages, start=1) if sentence in p.replace("- ", "-")]
    assert found, "the MO-FYS sentence is not in the PDF"
    assert any("Figur 1. Tilfredshed med den fysiske del" in p for p in pages)

    title = raster(pdf, 1, "report_page1", tmp_path)
    assert title.height / title.width == pytest.approx(297 / 210, abs=0.02)  # A4 portrait
    top = title.crop((0, 0, title.width, title.height // 4))
    header_only = raster(pdf, 2, "report_page2", tmp_path).crop(
        (0, 0, title.width, title.height // 4))
    # the page header's red mark is on every page; the cover has the big one too
    assert colour_pixels(top, is_red) > 3 * colour_pixels(header_only, is_red) > 100
    chart_pages = [raster(pdf, n, f"report_chart_page{n}", tmp_path)
                   for n in (found[0] - 1, found[0])]  # the chart is just above its text
    assert max(colour_pixels(p, is_blue) for p in chart_pages) > 50  # MO-FYS's markers


def test_the_2023_report_and_the_period_assessment_render_too(demo_output, tmp_path):
    need(browser_path(), "Chromium", "chromium")
    out = tmp_path / "out"
    out.mkdir()
    for path in demo_output.iterdir():
        if path.is_file():
            shutil.copy(path, out / path.name)
    report_2023 = build_report(out, 2023)[1]
    pages = check_pages(to_pdf(report_2023, tmp_path), tmp_path, "report_2023")
    assert "Fælles faglig beretning 2023" in pages[0]
    assert any("Kommentér udviklingen i 2023" in p for p in pages)  # MO-IUL's comment slot
    workbook, document = build_period(out)
    assert workbook.name == "periodevaluering_2021-2024.xlsx"
    pages = check_pages(to_pdf(document, tmp_path), tmp_path, "period")
    assert "Periodevaluering 2021–2024" in pages[0]
    assert any("Målet var opfyldt i alle fire år" in p for p in pages)
    assert any(re.search(r"Fra 2021 til 2024 (steg|faldt) andelen fra \d+ % til \d+ %", p)
               for p in pages)
