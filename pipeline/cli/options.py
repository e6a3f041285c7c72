"""What the commands share: their options, and how errors reach the user.

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
respondent_level_option = click.option(
    "--respondent-level", is_flag=True,
    help="Hver række er én respondent (fx en borgerundersøgelse med mange svar pr. kommune), "
         "ikke ét svar pr. kommune: ingen rækker frasorteres som dubletter, og intervallerne "
         "bruger Wilson (populationen er ukendt). Til andre undersøgelser og benchmarks, ikke "
         "til Bilag 3-tallene.")
out_option = click.option(
    "--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
    help="Mappe til resultaterne (indicators.csv, goals.csv, quality.csv, ...).")
