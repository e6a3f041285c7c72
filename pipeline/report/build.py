"""The fælles faglige beretning, drafted from the pipeline's outputs:
beretning_<year>.xlsx (workbook), beretning_<year>.docx (Word draft) and the charts as
PNG files in beretning_<year>_figurer/, written next to the outputs.

Everything is built in memory first and then written file by file with an atomic
rename, so a report that fails leaves the earlier report files as they were. Heavy
libraries (python-docx, Kaleido) are imported only when a report is made, so the other
commands start as fast as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.files import write_atomic
from pipeline.outputs.read import fingerprint
from pipeline.report.data import ReportData, ReportError, load_period_data, load_report_data


@dataclass(frozen=True)
class ReportFiles:
    """A report's files as bytes, by file name (the PNGs under `figures_dir`)."""

    year: int
    workbook: bytes
    document: bytes
    images: dict[str, bytes]

    @property
    def stem(self) -> str:
        return f"beretning_{self.year}"

    @property
    def figures_dir(self) -> str:
        return f"{self.stem}_figurer"


@dataclass(frozen=True)
class PeriodFiles:
    """The period assessment's files as bytes."""

    first: int
    last: int
    workbook: bytes
    document: bytes

    @property
    def stem(self) -> str:
        return period_stem(self.first, self.last)


def period_stem(first: int, last: int) -> str:
    """'periodevaluering_2021-2024' (a hyphen: file names stay plain ASCII)."""
    return f"periodevaluering_{first}-{last}"


def period_charts(data: ReportData) -> list:
    """The indicators' charts over the whole period (no maps, no response rates)."""
    from pipeline.report.images import REGION_MAPS, report_charts

    return [c for c in report_charts(data) if c.indicator_id not in ("", REGION_MAPS)]


def make_period(data: ReportData) -> PeriodFiles:
    """Build the period assessment's workbook, charts and document in memory."""
    from pipeline.report.images import by_indicator, render_png
    from pipeline.report.period_document import period_document_bytes
    from pipeline.report.period_workbook import period_workbook_bytes

    charts = period_charts(data)
    images = render_png(charts)
    years = data.agreement_years
    return PeriodFiles(first=years[0], last=years[-1], workbook=period_workbook_bytes(data),
                       document=period_document_bytes(data, by_indicator(charts, images)))


def build_period(out_dir: Path) -> list[Path]:
    """Make the period assessment from the outputs in `out_dir` and write it there.
    Returns the paths written: workbook, document."""
    out_dir = Path(out_dir)
    files = make_period(load_period_data(out_dir))
    paths = [out_dir / f"{files.stem}.xlsx", out_dir / f"{files.stem}.docx"]
    try:
        write_atomic(paths[0], files.workbook)
        write_atomic(paths[1], files.document)
    except OSError as exc:
        raise ReportError(f"Periodeevalueringen kunne ikke skrives til {out_dir}/ ({exc}).",
                          "Luk filen, hvis den er åben i Excel eller Word, tjek at der er "
                          "plads og skriveadgang, og prøv igen.", untouched=False) from exc
    return paths


def make_report(data: ReportData) -> ReportFiles:
    """Build the workbook, the charts and the document in memory."""
    from pipeline.report.document import document_bytes
    from pipeline.report.images import by_indicator, render_png, report_charts
    from pipeline.report.workbook import workbook_bytes

    charts = report_charts(data)
    images = render_png(charts)
    return ReportFiles(year=data.year, workbook=workbook_bytes(data),
                       document=document_bytes(data, by_indicator(charts, images)),
                       images=images)


def build_report(out_dir: Path, year: int | str | None = None) -> list[Path]:
    """Make the report for `year` (default: the latest) from the outputs in `out_dir` and
    write it there. Returns the paths written: workbook, document, then the PNGs."""
    out_dir = Path(out_dir)
    files = make_report(load_report_data(out_dir, year))
    workbook = out_dir / f"{files.stem}.xlsx"
    document = out_dir / f"{files.stem}.docx"
    figures = out_dir / files.figures_dir
    try:
        write_atomic(workbook, files.workbook)
        write_atomic(document, files.document)
        pngs = []
        for name, data in files.images.items():
            write_atomic(figures / f"{name}.png", data)
            pngs.append(figures / f"{name}.png")
    except OSError as exc:
        raise ReportError(f"Rapportfilerne kunne ikke skrives til {out_dir}/ ({exc}).",
                          "Luk filen, hvis den er åben i Excel eller Word, tjek at der er "
                          "plads og skriveadgang, og prøv igen.", untouched=False) from exc
    for old in figures.glob("*.png"):  # charts of an earlier report that no longer exist
        if old not in pngs:
            old.unlink()
    return [workbook, document, *pngs]


@lru_cache(maxsize=4)
def _rendered(key: tuple, year: int) -> tuple[list, dict[str, bytes]]:
    """The charts of one report and their PNGs, kept while the outputs stay the same
    (`key` is the output folder's fingerprint), so the document and the zip download
    draw them once."""
    from pipeline.report.images import render_png, report_charts

    charts = report_charts(load_report_data(Path(key[0]), year))
    return charts, render_png(charts)


def period_download(out_dir: Path, kind: str) -> bytes:
    """The period assessment as bytes for the dashboard: 'xlsx' or 'docx'."""
    from pipeline.report.images import by_indicator, render_png
    from pipeline.report.period_document import period_document_bytes
    from pipeline.report.period_workbook import period_workbook_bytes

    data = load_period_data(Path(out_dir))
    if kind == "xlsx":
        return period_workbook_bytes(data)
    if kind == "docx":
        charts = period_charts(data)
        return period_document_bytes(data, by_indicator(charts, render_png(charts)))
    raise ValueError(f"unknown period file kind: {kind}")


def download_bytes(out_dir: Path, year: int, kind: str) -> bytes:
    """One report file as bytes, for the dashboard's download buttons: 'xlsx' (the
    workbook), 'docx' (the document) or 'zip' (the charts as PNG files)."""
    from pipeline.report.document import document_bytes
    from pipeline.report.images import by_indicator, png_zip
    from pipeline.report.workbook import workbook_bytes

    data = load_report_data(Path(out_dir), year)
    if kind == "xlsx":
        return workbook_bytes(data)
    charts, images = _rendered(fingerprint(Path(out_dir)), data.year)
    if kind == "zip":
        return png_zip(images, f"beretning_{data.year}_figurer")
    if kind == "docx":
        return document_bytes(data, by_indicator(charts, images))
    raise ValueError(f"unknown report file kind: {kind}")
