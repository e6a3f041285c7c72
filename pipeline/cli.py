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
respondent_level_option = click.option(
    "--respondent-level", is_flag=True,
    help="Hver række er én respondent (fx en borgerundersøgelse med mange svar pr. kommune), "
         "ikke ét svar pr. kommune: ingen rækker frasorteres som dubletter, og intervallerne "
         "bruger Wilson (populationen er ukendt). Til andre undersøgelser og benchmarks, ikke "
         "til Bilag 3-tallene.")
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

    \b
    Et nyt år:
      python -m pipeline add-year 2025 EKSPORTFIL   læg eksporten ind, foreslå kodebog
      python -m pipeline confirm-codebook 2025      godkend forslaget
      python -m pipeline check                      kontrollér alt, uden at skrive
    """


@main.command()
@surveys_option
@targets_option
@out_option
@click.option("--ci-method", type=click.Choice(CI_METHODS), default="auto", show_default=True,
              help="Konfidensinterval. auto: eksakt hypergeometrisk interval for de kommuner, der "
                   "kan have et gyldigt svar (hele landet og hver CB-region).")
@click.option("--confidence", type=float, default=0.95, show_default=True,
              help="Konfidensniveau, fx 0.95 for 95 %-konfidensintervaller.")
@respondent_level_option
@friendly_errors
def run(surveys: Path, targets: Path, out: Path, ci_method: str, confidence: float,
        respondent_level: bool) -> None:
    """Beregn alle Bilag 3-indikatorer, mål og roll-up, og skriv dem til OUT.

    Læser alle årsmapper i SURVEYS, validerer dem og skriver indicators.csv,
    goals.csv, quality.csv, excluded_rows.csv, distribution.csv, intervals.csv,
    goal_certainty.csv, national.csv, responses.csv og manifest.json. Ved fejl i inputtet skrives
    intet, og de tidligere resultater står urørt.
    """
    from pipeline.run import RunConfig
    from pipeline.run import run as run_pipeline
    from pipeline.summary import summarise

    result = run_pipeline(RunConfig(surveys, targets, out, ci_method, confidence,
                                    respondent_level))
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


@main.command("add-year")
@click.argument("year", metavar="ÅR")
@click.argument("export_file", metavar="EKSPORTFIL", type=click.Path(path_type=Path))
@surveys_option
@click.option("--replace", is_flag=True,
              help="Erstat en eksport med samme navn og årets codebook.csv. De gamle filer "
                   "slettes ikke, men flyttes til ÅR/erstattet/<tidspunkt>/.")
@click.option("--confirm", is_flag=True,
              help="Godkend alle forslag med det samme (uden at se dem først). Ellers: kør "
                   "confirm-codebook, når du har tjekket tabellen.")
@friendly_errors
def add_year(year: str, export_file: Path, surveys: Path, replace: bool, confirm: bool) -> None:
    """Tilføj et nyt års survey-eksport, og få et forslag til dens kodebog.

    \b
    Eksempel:
      python -m pipeline add-year 2025 "Overførsler/besvarelser 2025.xlsx"

    Kopierer EKSPORTFIL (.xlsx eller .csv) til SURVEYS/ÅR/ og skriver et forslag
    til SURVEYS/ÅR/codebook.csv: hvilken kolonne i eksporten der er hvilket
    spørgsmål. Overskrifterne sammenlignes med de tidligere års kodebøger:
    først samme ordlyd (præcis), så næsten samme ordlyd (tæt, med en score fra
    0 til 1). Tabellen viser hver overskrift, nøglen den foreslås som, og
    hvordan den er fundet. Kolonner uden match (navne, e-mails, kommentarer)
    kommer med i kodebogen med tom nøgle, dvs. de læses ikke.

    \b
    Gæt (tætte match, talkoder uden svarkoder) er markeret TJEK og skal
    bekræftes, før check og run vil køre:
      python -m pipeline confirm-codebook ÅR                  godkend alle rækker
      python -m pipeline confirm-codebook ÅR --row 9 --key tydelighed
                                                              ret én række
    Derefter: python -m pipeline check --year ÅR, og python -m pipeline run.

    Intet overskrives uden --replace; ved fejl i input ændres intet.
    """
    from pipeline.add_year import add_year as add
    from pipeline.add_year import format_add_year

    click.echo(format_add_year(add(surveys, year, export_file, replace=replace,
                                   confirm=confirm)))


@main.command("confirm-codebook")
@click.argument("year", metavar="ÅR")
@surveys_option
@click.option("--row", type=int, default=None, metavar="RÆKKE",
              help="Bekræft kun denne række i kodebogen (nummeret fra add-year's tabel eller "
                   "fejlbeskeden; overskriftsrækken er række 1).")
@click.option("--key", default=None, metavar="NØGLE",
              help='Læs rækkens kolonne som denne nøgle (se pipeline/reference/questions.csv). '
                   '--key "" (eller --key -) betyder: kolonnen læses ikke. Kræver --row.')
@click.option("--value-labels", default=None, metavar="KODER",
              help='Svarkoder for en kolonne med tal i stedet for svar, fx "1=Meget tilfreds; '
                   '2=Tilfreds; 3=Hverken tilfreds eller utilfreds; 4=Utilfreds; 5=Meget '
                   'utilfreds; 9=Ved ikke". Kræver --row.')
@friendly_errors
def confirm_codebook(year: str, surveys: Path, row: int | None, key: str | None,
                     value_labels: str | None) -> None:
    """Bekræft kodebogen for ÅR, så check og run vil bruge den.

    \b
    Eksempler:
      python -m pipeline confirm-codebook 2025
          godkend alle rækker, som add-year foreslog dem
      python -m pipeline confirm-codebook 2025 --row 9 --key tydelighed
          læs kolonnen i række 9 som tydelighed, og bekræft rækken
      python -m pipeline confirm-codebook 2025 --row 12 --key ""
          kolonnen i række 12 skal ikke læses
      python -m pipeline confirm-codebook 2025 --row 5 --value-labels "1=Ja; 2=Nej; 9=Ved ikke"
          giv svarkoderne for kolonnen i række 5

    Skriver ja i kodebogens kolonne confirmed. Ændringen gemmes kun, hvis den
    ikke giver kodebogen nye fejl; bagefter vises, hvad der stadig mangler.
    """
    from pipeline.add_year import confirm_codebook as confirm
    from pipeline.add_year import format_confirm

    click.echo(format_confirm(confirm(surveys, year, row, key, value_labels)))


@main.command()
@surveys_option
@targets_option
@click.option("--year", default=None, metavar="ÅR",
              help="Vis kun rapporten for dette år. Alle år kontrolleres stadig, fordi run "
                   "læser dem alle.")
@respondent_level_option
@friendly_errors
def check(surveys: Path, targets: Path, year: str | None, respondent_level: bool) -> None:
    """Kontrollér input som run, men uden at skrive noget.

    Læser alle årsmapper i SURVEYS, de nationale tal og TARGETS præcis som run,
    og viser pr. år: hvor mange af de 98 kommuner der svarede (og hvilke der
    ikke gjorde), dubletter, spørgsmål som kodebogen ikke kobler til en kolonne,
    kolonner læst via talkoder, og alle fejl (fx svar uden for skalaen, ukendte
    kommuner, talkoder uden svarkoder, ubekræftede rækker i en kodebog).

    Slutkode 0, når run vil køre uden fejl; 1, når der er fejl i input.
    """
    from pipeline.add_year import parse_year
    from pipeline.check import check_inputs
    from pipeline.run import RunConfig

    report = check_inputs(RunConfig(surveys, targets, respondent_level=respondent_level),
                          parse_year(year) if year is not None else None)
    click.echo(report.format())
    if not report.ok:
        sys.exit(EXIT_INPUT_ERROR)


from pipeline.report.cli import report  # noqa: E402  (python -m pipeline report)

main.add_command(report)
