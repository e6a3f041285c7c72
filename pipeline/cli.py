"""Command line: `python -m pipeline run` and friends. Messages are in Danish, for analysts.

Bad input ends with a readable message and exit code 1, never a traceback; an
unexpected error says so, with exit code 3 (run again with --debug to see details).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

from pipeline.errors import InputError
from pipeline.stats import CI_METHODS

EXIT_INPUT_ERROR = 1
EXIT_UNEXPECTED = 3


def friendly_errors(command: Callable) -> Callable:
    """Turn InputError into a message and exit code 1, anything else into exit code 3."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        debug = kwargs.pop("debug", False)
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            click.echo(exc.format(), err=True)
            sys.exit(EXIT_INPUT_ERROR)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:
            if debug:
                raise
            click.echo(f"Uventet fejl ({type(exc).__name__}: {exc}). Intet output er ændret. "
                       "Kør igen med --debug for detaljer, og meld fejlen til udviklerne.",
                       err=True)
            sys.exit(EXIT_UNEXPECTED)

    return click.option("--debug", is_flag=True, hidden=True,
                        help="Vis den fulde fejl (til udviklere).")(wrapper)


surveys_option = click.option(
    "--surveys", type=click.Path(path_type=Path), default=Path("surveys"), show_default=True,
    help="Mappe med én undermappe pr. år (eksporter + codebook.csv) og de nationale tal.")
targets_option = click.option(
    "--targets", type=click.Path(path_type=Path), default=Path("targets.csv"), show_default=True,
    help="Bilag 3-målene, én række pr. indikator og år.")
out_option = click.option(
    "--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
    help="Mappe til resultaterne (indicators.csv, goals.csv, quality.csv, ...).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Målopfyldelse for centralbibliotekerne: fra survey-eksporter til Bilag 3-mål.

    \b
    Typisk brug:
      python -m pipeline run            beregn alle indikatorer på survey-data
      python -m pipeline run --help     se alle valg
    """


@main.command()
@surveys_option
@targets_option
@out_option
@click.option("--ci-method", type=click.Choice(CI_METHODS), default="auto", show_default=True,
              help="Konfidensinterval. auto: eksakt hypergeometrisk interval for de 98 kommuner "
                   "(og for hver CB-region), Wilson for deltager-undergrupper.")
@click.option("--confidence", type=float, default=0.95, show_default=True,
              help="Konfidensniveau, fx 0.95 for 95 %-konfidensintervaller.")
@friendly_errors
def run(surveys: Path, targets: Path, out: Path, ci_method: str, confidence: float) -> None:
    """Beregn alle Bilag 3-indikatorer, mål og roll-up, og skriv dem til OUT.

    Læser alle årsmapper i SURVEYS, validerer dem og skriver indicators.csv,
    goals.csv, quality.csv, excluded_rows.csv, distribution.csv, national.csv,
    responses.csv og manifest.json. Ved fejl i inputtet skrives intet, og de
    tidligere resultater står urørt.
    """
    from pipeline.run import RunConfig
    from pipeline.run import run as run_pipeline
    from pipeline.summary import summarise

    result = run_pipeline(RunConfig(surveys, targets, out, ci_method, confidence))
    click.echo(summarise(result, out))


@main.command("demo-data")
@click.option("--out", type=click.Path(path_type=Path), default=Path("surveys"),
              show_default=True, help="Mappe, som demodata skrives til.")
@click.option("--seed", type=int, default=None, help="Startværdi for tilfældighederne.")
@friendly_errors
def demo_data(out: Path, seed: int | None) -> None:
    """Skriv de syntetiske demodata (2021-2024) til OUT.

    Data er tilfældigt trukket med fast seed og er mærket som syntetiske
    (SYNTETISKE_DEMODATA.txt), så alle resultater siger, at de ikke er rigtige.
    Eksisterende filer i OUT/2021..2024 overskrives.
    """
    from pipeline.demo import SEED, write_demo

    written = write_demo(out, SEED if seed is None else seed)
    click.echo(f"Skrev {len(written)} filer med syntetiske demodata til {out}/.")
