"""`python -m pipeline report`: the fælles faglige beretning from the pipeline's outputs.

Registered on the main command group at the end of pipeline/cli.py, which imports this
module; import it through pipeline.cli (as `python -m pipeline` does), not on its own.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from pipeline.cli import friendly_errors


@click.command("report")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True,
              help="Mappen med pipelinens resultater; rapporten skrives også hertil.")
@click.option("--year", default=None, metavar="ÅR",
              help="Året, der rapporteres for (standard: det seneste år i resultaterne).")
@friendly_errors
def report(out: Path, year: str | None) -> None:
    """Lav den fælles faglige beretning for ÅR ud fra resultaterne i OUT.

    \b
    Skriver til OUT:
      beretning_ÅR.xlsx           regneark: resultatmål, spor, CB-regioner,
                                  datakvalitet og metode
      beretning_ÅR.docx           Word-udkast med tabeller, diagrammer og
                                  tekstforslag pr. indikator
      beretning_ÅR_figurer/*.png  diagrammerne som billeder

    Tallene er de samme som i dashboardet: rapporten læser resultatfilerne og
    beregner intet selv. Den nægter, hvis resultaterne mangler, er ufuldstændige
    eller forældede (kør så python -m pipeline run først). Diagrammerne tegnes
    med systemets Chromium. Ved fejl står tidligere rapportfiler urørte.
    """
    from pipeline.outputs import read_manifest
    from pipeline.presentation import SYNTHETIC_MARK
    from pipeline.report import build_report

    started = time.monotonic()
    paths = build_report(out, year)
    if (read_manifest(out) or {}).get("synthetic_demo_data"):
        click.echo(f"!! {SYNTHETIC_MARK} (det står også i rapporten).")
    workbook, document, *pngs = paths
    click.echo(f"Skrev {workbook}, {document} og {len(pngs)} diagrammer i "
               f"{pngs[0].parent if pngs else out}/ ({time.monotonic() - started:.0f} s).")
