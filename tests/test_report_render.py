"""The report drawn for real: the charts by Kaleido in the system's Chromium, and the
Word document converted to PDF by LibreOffice (`--headless --convert-to pdf`), its pages
rasterised by pdftoppm and checked as images.

Outside CI a test skips, saying what to install, when Chromium, LibreOffice or
poppler-utils is missing; in CI (CI set) it must run: .ci/run installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from helpers import REPO
from PIL import Image

from pipeline.formatting import percent_beside
from pipeline.outputs.read import read_output
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.words import interval_text
from pipeline.reference import load_reference
from pipeline.report.build import build_report
from pipeline.report.images import SCALE, WIDTH, browser_path

pytestmark = [pytest.mark.render, pytest.mark.slow]

ARTIFACTS = REPO / "test-artifacts"
SUBJECTS = load_reference().indicators.set_index("indicator_id")["report_subject"]


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


def test_charts_are_drawn_by_chromium_and_put_in_the_document(demo_report):
    out, paths, seconds = demo_report
    workbook, document, *pngs = paths
    assert workbook.name == "beretning_2024.xlsx" and document.name == "beretning_2024.docx"
    assert len(pngs) == 16 and seconds < 120
    for png in pngs:
        image = Image.open(png)
        assert image.format == "PNG" and image.width == WIDTH * SCALE, png.name
        assert len(image.convert("RGB").getcolors(1_000_000)) > 20, f"{png.name} is blank"
    trend = Image.open(out / "beretning_2024_figurer" / "01_MO-FYS_udvikling.png")
    assert colour_pixels(trend, is_blue) > 500  # the shares and their intervals
    doc = Document(str(document))
    embedded = [shape._inline.graphic.graphicData.pic.blipFill.blip.embed
                for shape in doc.inline_shapes]
    blobs = [doc.part.related_parts[r_id].blob for r_id in embedded]
    assert blobs == [png.read_bytes() for png in pngs]  # the same charts, in order


def test_the_document_renders_to_pdf_and_its_pages_read_well(demo_report, tmp_path):
    office = need(shutil.which("libreoffice") or shutil.which("soffice"), "LibreOffice",
                  "libreoffice-writer")
    pdftoppm = need(shutil.which("pdftoppm"), "pdftoppm", "poppler-utils")
    pdftotext = need(shutil.which("pdftotext"), "pdftotext", "poppler-utils")
    out, paths, _ = demo_report
    done = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(paths[1])],
        capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "beretning_2024.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr

    pages = []
    page = 1
    while True:
        text = subprocess.run([pdftotext, "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True)
        if text.returncode != 0:
            break
        pages.append(" ".join(text.stdout.split()))
        page += 1
    assert 8 <= len(pages) <= 40, len(pages)
    assert all(SYNTHETIC_MARK in p for p in pages)  # the header, on every page
    assert "Fælles faglig beretning 2024" in pages[0]
    fys = read_output(out / "indicators.csv").query(
        "indicator_id == 'MO-FYS' and year == 2024 and scope == 'national'").iloc[0]
    sentence = (f"{SUBJECTS['MO-FYS']} er {percent_beside(fys.share, fys.target)} "
                f"(95\u00a0%-konfidensinterval "
                f"{interval_text(fys.ci_low, fys.ci_high, fys.target)})")
    sentence = " ".join(sentence.split())  # pdftotext gives no-break spaces as spaces
    found = [i for i, p in enumerate(pages, start=1) if sentence in p]
    assert found, "the MO-FYS sentence is not in the PDF"

    def raster(number: int, name: str) -> Image.Image:
        target = tmp_path / name
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", str(number), "-l", str(number),
                        "-singlefile", str(pdf), str(target)], check=True, timeout=60)
        image = Image.open(f"{target}.png")
        ARTIFACTS.mkdir(exist_ok=True)
        image.save(ARTIFACTS / f"report_{name}.png")
        return image

    title = raster(1, "page1")
    assert title.height / title.width == pytest.approx(297 / 210, abs=0.02)  # A4 portrait
    top = title.crop((0, 0, title.width, title.height // 4))
    header_only = raster(2, "page2").crop((0, 0, title.width, title.height // 4))
    # the page header's red mark is on every page; the title page has the big one too
    assert colour_pixels(top, is_red) > 3 * colour_pixels(header_only, is_red) > 100
    grey = np.asarray(title.convert("L"))
    assert 500 < (grey < 100).sum() < grey.size * 0.2  # text, on a mostly white page
    chart_pages = [raster(n, f"page{n}") for n in (found[0], found[0] + 1)
                   if n <= len(pages)]
    assert max(colour_pixels(p, is_blue) for p in chart_pages) > 300  # MO-FYS's chart

