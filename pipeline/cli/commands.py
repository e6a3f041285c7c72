"""Command line: `python -m pipeline run` and friends. Messages are in Danish, for analysts.

Each command imports what it needs when it runs (pandas, scipy, the report's Word and
chart libraries), so `--help` answers at once. The text a command prints is made in
`pipeline.cli.console`; the shared options and the error handling are in
`pipeline.cli.options`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pipeline.cli.options import (
    EXIT_INPUT_ERROR,
    friendly_errors,
    out_option,
    respondent_level_option,
    surveys_option,
    targets_option,
)
from pipeline.methods import CI_METHODS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Målopfyldelse for centralbibliotekerne: fra survey-eksporter til Bilag 3-mål.

    \b
    Typisk brug:
      python -m pipeline run            beregn alle indikatorer på survey-data
      python -m pipeline run --help     se alle valg

    \b
    Et nyt år:
      python -m pipeline add-year 2025 EKSPORT      læg eksporten ind, foreslå kodebog
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
    goal_certainty.csv, national.csv, sources.csv, municipalities.csv,
    period_indicators.csv, period_goals.csv, responses.csv og manifest.json. Ved
    fejl i inputtet skrives intet, og de tidligere resultater står urørt.
    """
    from pipeline.cli.console import summarise
    from pipeline.run import RunConfig
    from pipeline.run import run as run_pipeline

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
@click.argument("export_files", metavar="EKSPORT...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@surveys_option
@click.option("--replace", is_flag=True,
              help="Erstat en eksport med samme navn og årets codebook.csv. De gamle filer "
                   "slettes ikke, men flyttes til ÅR/erstattet/<tidspunkt>/.")
@click.option("--confirm", is_flag=True,
              help="Godkend alle forslag med det samme (uden at se dem først). Ellers: kør "
                   "confirm-codebook, når du har tjekket tabellen.")
@friendly_errors
def add_year(year: str, export_files: tuple[Path, ...], surveys: Path, replace: bool,
             confirm: bool) -> None:
    """Tilføj et nyt års survey-eksport, og få et forslag til dens kodebog.

    \b
    Eksempler:
      python -m pipeline add-year 2025 "Overførsler/besvarelser 2025.xlsx"
      python -m pipeline add-year 2025 sx/dataset.csv sx/structure.csv sx/labels.csv
      python -m pipeline add-year 2025 sx/     (mappen med de tre CSV-filer)

    Kopierer EKSPORT (.xlsx eller .csv) til SURVEYS/ÅR/ og skriver et forslag
    til SURVEYS/ÅR/codebook.csv: hvilken kolonne i eksporten der er hvilket
    spørgsmål. En SurveyXact-eksport er enten Excel-filen (arkene Dataset,
    Structure og Labels) eller de tre CSV-filer dataset.csv, structure.csv og
    labels.csv (eller mappen med dem); dens spørgsmål sammenlignes via
    spørgsmålsteksterne i Structure, og svarkoderne oversættes via Labels.
    Overskrifterne sammenlignes med de tidligere års kodebøger:
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
    from pipeline.cli.console import format_add_year
    from pipeline.intake.add_year import add_year as add

    export = export_files[0] if len(export_files) == 1 else list(export_files)
    click.echo(format_add_year(add(surveys, year, export, replace=replace, confirm=confirm)))


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
@click.option("--new-meaning", is_flag=True,
              help="Bekræft, at overskriften i rækken betyder noget andet i år end samme "
                   "overskrift i andre års kodebøger (eller spørgsmålskataloget): run og check "
                   "sammenligner så ikke rækken med dem. Skriver \"ny betydning\" i kolonnen "
                   "confirmed. Kræver --row.")
@friendly_errors
def confirm_codebook(year: str, surveys: Path, row: int | None, key: str | None,
                     value_labels: str | None, new_meaning: bool) -> None:
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
      python -m pipeline confirm-codebook 2025 --row 6 --new-meaning
          overskriften i række 6 betyder noget andet i år end i andre år

    Skriver ja i kodebogens kolonne confirmed. Ændringen gemmes kun, hvis den
    ikke giver kodebogen nye fejl; bagefter vises, hvad der stadig mangler.
    """
    from pipeline.cli.console import format_confirm
    from pipeline.intake.add_year import confirm_codebook as confirm

    click.echo(format_confirm(confirm(surveys, year, row, key, value_labels,
                                      new_meaning=new_meaning)))


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
    from pipeline.cli.console import format_check
    from pipeline.intake.add_year import parse_year
    from pipeline.intake.check import check_inputs
    from pipeline.run import RunConfig

    report = check_inputs(RunConfig(surveys, targets, respondent_level=respondent_level),
                          parse_year(year) if year is not None else None)
    click.echo(format_check(report))
    if not report.ok:
        sys.exit(EXIT_INPUT_ERROR)


@main.command("report")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True,
              help="Mappen med pipelinens resultater; rapporten skrives også hertil.")
@click.option("--year", default=None, metavar="ÅR",
              help="Året, der rapporteres for (standard: det seneste år i resultaterne).")
@click.option("--period", is_flag=True,
              help="Lav i stedet periodeevalueringen for hele aftaleperioden (årene i "
                   "targets.csv).")
@friendly_errors
def report(out: Path, year: str | None, period: bool) -> None:
    """Lav den fælles faglige beretning for ÅR ud fra resultaterne i OUT.

    \b
    Skriver til OUT:
      beretning_ÅR.xlsx           regneark: resultatmål, spor, alle tal,
                                  CB-regioner, datakvalitet, sporbarhed, metode
      beretning_ÅR.docx           Word-udkast efter bilag 3 med indholdsfortegnelse,
                                  tabeller, diagrammer, kort og tekstforslag
      beretning_ÅR_figurer/*.png  diagrammerne som billeder

    \b
    Med --period i stedet (fx 2021-2024):
      periodevaluering_2021-2024.docx  Word-udkast: hvert mål år for år, år
                                       opfyldt og udviklingen over perioden
      periodevaluering_2021-2024.xlsx  de samme tal som regneark

    Tallene er de samme som i dashboardet: rapporten læser resultatfilerne og
    beregner intet selv. Den nægter, hvis resultaterne mangler, er ufuldstændige
    eller forældede (kør så python -m pipeline run først). Diagrammerne tegnes
    med systemets Chromium. Ved fejl står tidligere rapportfiler urørte.
    """
    from pipeline.outputs.read import read_manifest
    from pipeline.outputs.write import SYNTHETIC_MARK
    from pipeline.report.build import build_report

    started = time.monotonic()
    if period:
        from pipeline.report.build import build_period

        if year is not None:
            raise click.UsageError("--period og --year kan ikke bruges sammen: perioden er "
                                   "årene i targets.csv.")
        workbook, document = build_period(out)
        if (read_manifest(out) or {}).get("synthetic_demo_data"):
            click.echo(f"!! {SYNTHETIC_MARK} (det står også i evalueringen).")
        click.echo(f"Skrev {workbook} og {document} ({time.monotonic() - started:.0f} s).")
        return
    paths = build_report(out, year)
    if (read_manifest(out) or {}).get("synthetic_demo_data"):
        click.echo(f"!! {SYNTHETIC_MARK} (det står også i rapporten).")
    workbook, document, *pngs = paths
    click.echo(f"Skrev {workbook}, {document} og {len(pngs)} diagrammer i "
               f"{pngs[0].parent if pngs else out}/ ({time.monotonic() - started:.0f} s).")
