"""The report's drafted Danish sentences, word for word: the wording table of every variant
(met and not met, statistically sure or not, the non-response range, no target, a year
outside the agreement, missing data of every kind, national figures with their source,
licences without a verdict, judgements, changes, goals, the summary, the period assessment
and data quality), each read aloud and checked as a Danish civil servant would write it.
A change of wording changes this table on purpose; the demo run's sentences are checked
against the outputs they come from."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from pipeline.formatting import number, percent, percent_beside
from pipeline.outputs.read import listed_indicators, read_output
from pipeline.present.words import interval_text, share_target
from pipeline.reference import NATIONAL, SURVEY_KINDS, load_reference
from pipeline.report.data import load_report_data, report_reference
from pipeline.report.sentences import (
    change_sentence,
    danish_list,
    danish_quotes,
    development_sentence,
    goal_ids,
    goal_period_sentence,
    goal_sentence,
    indicator_sentence,
    licence_period_sentence,
    period_verdict_sentence,
    summary_sentences,
    years_text,
)
from pipeline.report.texts import quality_sentence

REF = report_reference(load_reference())
S = REF.indicators.set_index("indicator_id")["report_subject"]
NAN = math.nan
OM_IUL = "Fastholde niveauet på det fysiske interurbanlån."


def share(**v):
    row = {
        "indicator_id": "MO-FYS",
        "kind": "survey_share",
        "year": 2024,
        "share": 0.92,
        "ci_low": 0.903,
        "ci_high": 0.92,
        "confidence": 0.95,
        "target_kind": "min_share",
        "target": 0.90,
        "attained": "yes",
        "certainty": "above",
        "n_valid": 89,
        "n_unknown": 4,
        "nonresponse_low": 0.93,
        "nonresponse_high": 0.96,
        "nonresponse_certainty": "above",
        "na_reason": "",
        "note": "",
        "change": NAN,
        "change_ci_low": NAN,
        "change_ci_high": NAN,
        "value": NAN,
        "value_change": NAN,
        "value_change_pct": NAN,
        "development": "",
        "judgement": "",
        "evidence": "",
    }
    return {**row, **v}


NOT_A_SURVEY = {"share": NAN, "ci_low": NAN, "ci_high": NAN, "certainty": "", "n_valid": NAN,
                "n_unknown": NAN, "nonresponse_low": NAN, "nonresponse_high": NAN,
                "nonresponse_certainty": ""}
"""A national figure's or a judgement's row has no share, interval or non-response range."""


def iul(**v):
    return share(
        **{
            "indicator_id": "MO-IUL",
            "kind": "national_count",
            **NOT_A_SURVEY,
            "target_kind": "min_count",
            "target": 725000.0,
            "value": 731800.0,
            "value_change": 9200.0,
            "value_change_pct": 0.012732,
            **v,
        }
    )


def licences(users_change=(0.03, -0.01)):
    """national.csv's licence rows of 2024: the total use and two licences' users."""
    rows = [
        ("licence_use", "I alt", 9557338, 0.035),
        ("licence_use", "eReolen", 4748544, 0.04),
        ("licence_users", "eReolen", 335327, users_change[0]),
        ("licence_users", "Filmstriben", 213303, users_change[1]),
    ]
    return pd.DataFrame(
        [
            {
                "year": 2024,
                "measure": m,
                "licence": lic,
                "value": val,
                "value_change": val * pct,
                "value_change_pct": pct,
            }
            for m, lic, val, pct in rows
        ]
    )


def trend(**v):
    return share(
        **{
            "indicator_id": "MO-LIC-BRUG",
            "kind": "national_trend",
            **NOT_A_SURVEY,
            "target_kind": "none",
            "target": NAN,
            "attained": "n/a",
            "development": "not_up",
            "value": 9557338.0,
            **v,
        }
    )


def judgement(**v):
    return share(
        **{
            "indicator_id": "TS-KULT-VAE",
            "kind": "judgement",
            **NOT_A_SURVEY,
            "target_kind": "sandsynliggjort",
            "target": NAN,
            "judgement": "sandsynliggjort",
            "evidence": 'Evaluering af 12 tiltag under "Kultur for alle"',
            "note": "Aftalt nøgletal: 1.200 (mål: 1.000)",
            **v,
        }
    )


def goal(**v):
    return {
        "maal_id": "RM4",
        "level": "resultatmaal",
        "year": 2024,
        "attained": "yes",
        "indicators_not_attained": "",
        "indicators_missing": "",
        "indicators_uncertain": "",
        **v,
    }


def with_subject(row):
    return {**row, "subject": S[row["indicator_id"]]}


REASONS = {
    "TS-KULT-REL": with_subject(
        share(indicator_id="TS-KULT-REL", share=0.72, target=0.80, attained="no", certainty="below")
    ),
    "TS-DIGI-REL": with_subject(
        share(
            indicator_id="TS-DIGI-REL",
            share=0.78,
            target=0.80,
            attained="no",
            certainty="straddles",
        )
    ),
    "TS-LAES-REL": with_subject(
        share(
            indicator_id="TS-LAES-REL",
            share=0.91,
            target=0.90,
            attained="yes",
            certainty="straddles",
        )
    ),
    "TS-KULT-VAE": with_subject(judgement(judgement="ikke sandsynliggjort", attained="no")),
    "TS-DIGI-VAE": {
        "indicator_id": "TS-DIGI-VAE",
        "year": 2024,
        "missing": True,
        "attained": "n/a",
        "subject": S["TS-DIGI-VAE"],
    },
    "MO-IUL": with_subject(iul(value=700000.0, attained="no")),
}


def hist(ind, kind, years, attained, certainty=None, target_kind="min_share"):
    n = len(years)
    return pd.DataFrame(
        {
            "indicator_id": ind,
            "kind": kind,
            "year": years,
            "attained": attained,
            "certainty": certainty or [""] * n,
            "target_kind": target_kind if isinstance(target_kind, list) else [target_kind] * n,
        }
    )


def period(**v):
    row = {
        "indicator_id": "MO-FYS",
        "kind": "survey_share",
        "first_year": 2021,
        "last_year": 2024,
        "first_share": 0.843,
        "last_share": 0.921,
        "change": 0.078,
        "change_ci_low": 0.050,
        "change_ci_high": 0.109,
        "confidence": 0.95,
        "note": "",
        "first_value": NAN,
        "last_value": NAN,
        "value_change": NAN,
        "value_change_pct": NAN,
    }
    return {**row, **v}


def goal_hist(attained):
    return pd.DataFrame({"year": [2021, 2022, 2023, 2024], "attained": attained})


def quality(**v):
    row = {
        "year": 2024,
        "municipalities_answering": 94,
        "population": 98,
        "response_rate": 94 / 98,
        "rows_excluded": 1,
        "excluded_reasons": "1 × Dublet",
        "municipalities_missing": "Tårnby, Egedal, Stevns, Lemvig",
    }
    return {**row, **v}


WORDING = [
    (
        "share met, sure, sure of non-response",
        lambda: indicator_sentence(share(), S["MO-FYS"]),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 92\xa0% "
        "(95\xa0%-konfidensinterval 90,3–92,0\xa0%), og målet på 90\xa0% for 2024 er dermed "
        "opfyldt. Det er statistisk sikkert, at målet er nået, da hele konfidensintervallet "
        "ligger over "
        "målet. Målet ville også være nået, hvis de fire kommuner uden kendt svar alle havde "
        "svaret "
        "negativt (frafaldsspænd 93–96\xa0%).",
    ),
    (
        "share met, sure, non-response could flip",
        lambda: indicator_sentence(
            share(nonresponse_low=0.88, nonresponse_certainty="straddles"), S["MO-FYS"]
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 92\xa0% "
        "(95\xa0%-konfidensinterval 90,3–92,0\xa0%), og målet på 90\xa0% for 2024 er dermed "
        "opfyldt. Det er statistisk sikkert, at målet er nået, da hele konfidensintervallet "
        "ligger over "
        "målet. Hvis de fire kommuner uden kendt svar alle havde svaret negativt, ville målet ikke "
        "være nået (frafaldsspænd 88–96\xa0%).",
    ),
    (
        "share met, uncertain",
        lambda: indicator_sentence(
            share(
                share=0.91,
                ci_low=0.89,
                ci_high=0.93,
                certainty="straddles",
                nonresponse_low=0.87,
                nonresponse_certainty="straddles",
            ),
            S["MO-FYS"],
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 91\xa0% "
        "(95\xa0%-konfidensinterval 89–93\xa0%), og målet på 90\xa0% for 2024 er dermed opfyldt. "
        "Det er dog ikke statistisk sikkert: målet ligger inden for konfidensintervallet, så det "
        "kan ikke udelukkes, at den reelle andel er under målet. Hvis de fire kommuner uden kendt "
        "svar alle havde svaret negativt, ville målet ikke være nået (frafaldsspænd 87–96\xa0%).",
    ),
    (
        "share not met, sure",
        lambda: indicator_sentence(
            share(
                indicator_id="MO-TYD",
                share=0.61,
                ci_low=0.56,
                ci_high=0.64,
                target=0.72,
                attained="no",
                certainty="below",
                nonresponse_low=0.58,
                nonresponse_high=0.66,
                nonresponse_certainty="below",
            ),
            S["MO-TYD"],
        ),
        "Andelen af biblioteker, der oplever, at der er tydelighed omkring det samlede "
        "materialeoverbygningstilbud, er 61\xa0% (95\xa0%-konfidensinterval 56–64\xa0%), og målet "
        "på 72\xa0% for 2024 er dermed ikke opfyldt. Det er statistisk sikkert, at målet ikke er "
        "nået, da hele konfidensintervallet ligger under målet. Målet ville heller ikke være nået, "
        "hvis de fire kommuner uden kendt svar alle havde svaret positivt (frafaldsspænd "
        "58–66\xa0%).",
    ),
    (
        "share not met, uncertain",
        lambda: indicator_sentence(
            share(
                indicator_id="TS-LAES-STY",
                kind="participant_share",
                share=0.73,
                ci_low=0.60,
                ci_high=0.83,
                target=0.75,
                attained="no",
                certainty="straddles",
                n_unknown=9,
                nonresponse_low=0.60,
                nonresponse_high=0.80,
                nonresponse_certainty="straddles",
            ),
            S["TS-LAES-STY"],
        ),
        "Andelen af de aktivt deltagende biblioteker, der oplever, at deltagelsen i »Glæden ved "
        "sprog, litteratur og læsning« styrker og kvalificerer arbejdet med borgernes læselyst, er "
        "73\xa0% (95\xa0%-konfidensinterval 60–83\xa0%), og målet på 75\xa0% for 2024 er dermed "
        "ikke opfyldt, men det kan ikke udelukkes, at den reelle andel når målet, da målet ligger "
        "inden for konfidensintervallet. Hvis de ni kommuner uden kendt svar alle havde svaret "
        "positivt, ville målet være nået (frafaldsspænd 60–80\xa0%).",
    ),
    (
        "share not met, sure, non-response could flip",
        lambda: indicator_sentence(
            share(
                share=0.86,
                ci_low=0.84,
                ci_high=0.88,
                attained="no",
                certainty="below",
                n_unknown=1,
                nonresponse_low=0.85,
                nonresponse_high=0.91,
                nonresponse_certainty="straddles",
            ),
            S["MO-FYS"],
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 86\xa0% "
        "(95\xa0%-konfidensinterval 84–88\xa0%), og målet på 90\xa0% for 2024 er dermed ikke "
        "opfyldt. Det er statistisk sikkert, at målet ikke er nået, da hele konfidensintervallet "
        "ligger under målet. Hvis den ene kommune uden kendt svar havde svaret positivt, ville "
        "målet være nået (frafaldsspænd 85–91\xa0%).",
    ),
    (
        "share, everyone answered",
        lambda: indicator_sentence(
            share(
                share=0.95,
                ci_low=0.95,
                ci_high=0.95,
                n_unknown=0,
                nonresponse_low=0.95,
                nonresponse_high=0.95,
            ),
            S["MO-FYS"],
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 95\xa0% (alle har "
        "svaret), og målet på 90\xa0% for 2024 er dermed opfyldt. Da alle har svaret, er der ingen "
        "statistisk usikkerhed.",
    ),
    (
        "share beside its target",
        lambda: indicator_sentence(
            share(
                share=0.8966,
                ci_low=0.874,
                ci_high=0.912,
                attained="no",
                certainty="straddles",
                nonresponse_certainty="",
            ),
            S["MO-FYS"],
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 89,7\xa0% "
        "(95\xa0%-konfidensinterval 87–91\xa0%), og målet på 90\xa0% for 2024 er dermed ikke "
        "opfyldt, men det kan ikke udelukkes, at den reelle andel når målet, da målet ligger inden "
        "for konfidensintervallet.",
    ),
    (
        "share, no target in Bilag 3",
        lambda: indicator_sentence(
            share(
                target_kind="none",
                target=NAN,
                attained="n/a",
                certainty="",
                nonresponse_certainty="",
            ),
            S["MO-FYS"],
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 92\xa0% "
        "(95\xa0%-konfidensinterval 90–92\xa0%). Bilag 3 fastsætter intet mål for 2024, så tallet "
        "indgår ikke i målopfyldelsen.",
    ),
    (
        "share, year outside the agreement",
        lambda: indicator_sentence(
            share(
                year=2025,
                target_kind="",
                target=NAN,
                attained="n/a",
                certainty="",
                nonresponse_certainty="",
            ),
            S["MO-FYS"],
        ),
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 92\xa0% "
        "(95\xa0%-konfidensinterval 90–92\xa0%). Rammeaftalen fastsætter ingen mål for 2025, så "
        "tallet vises uden vurdering.",
    ),
    (
        "share, question not asked",
        lambda: indicator_sentence(
            share(
                indicator_id="MO-DIG",
                year=2023,
                share=NAN,
                ci_low=NAN,
                ci_high=NAN,
                n_valid=NAN,
                target=0.72,
                attained="n/a",
                certainty="",
                note="Spørgsmålet 'tilfreds_digital' er ikke med i kodebogen for 2023",
            ),
            S["MO-DIG"],
        ),
        "Tilfredshedsgraden for den digitale del af materialeoverbygningen kan ikke opgøres for "
        "2023, da spørgsmålet ikke indgik i årets undersøgelse. Målet på 72\xa0% kan derfor ikke "
        "vurderes, og resultatmålet kan ikke erklæres opfyldt.",
    ),
    (
        "share, no valid answers",
        lambda: indicator_sentence(
            share(
                indicator_id="MO-LIC-FORM",
                share=NAN,
                ci_low=NAN,
                ci_high=NAN,
                n_valid=0,
                target=0.75,
                attained="n/a",
                certainty="",
                note="Ingen gyldige svar",
            ),
            S["MO-LIC-FORM"],
        ),
        "Andelen af biblioteker, der oplever, at centralbibliotekerne understøtter formidlingen af "
        "licenserne til borgerne, kan ikke opgøres for 2024, da ingen af kommunerne har givet et "
        "gyldigt svar på spørgsmålet. Målet på 75\xa0% kan derfor ikke vurderes, og resultatmålet "
        "kan ikke erklæres opfyldt.",
    ),
    (
        "count met, with its source",
        lambda: indicator_sentence(iul(), S["MO-IUL"], source="Danmarks Statistik, BIB1"),
        "Det samlede nationale interurbanudlån er 731.800 i 2024 (9.200 flere end i 2023, "
        "+1,3\xa0%), og målet på 725.000 for 2024 er dermed opfyldt. Kilde: Danmarks Statistik, "
        "BIB1.",
    ),
    (
        "count not met",
        lambda: indicator_sentence(
            iul(value=722600.0, value_change=-10500.0, value_change_pct=-0.014323, attained="no"),
            S["MO-IUL"],
        ),
        "Det samlede nationale interurbanudlån er 722.600 i 2024 (10.500 færre end i 2023, "
        "−1,4\xa0%), og målet på 725.000 for 2024 er dermed ikke opfyldt.",
    ),
    (
        "count without target: the operationelt mål",
        lambda: indicator_sentence(
            iul(
                year=2023,
                value=722600.0,
                value_change=-10500.0,
                value_change_pct=-0.014323,
                target_kind="none",
                target=NAN,
                attained="n/a",
            ),
            S["MO-IUL"],
            operational_goal=OM_IUL,
        ),
        "Det samlede nationale interurbanudlån er 722.600 i 2023 (10.500 færre end i 2022, "
        "−1,4\xa0%). Bilag 3 fastsætter intet måltal for 2023, men det operationelle mål er at "
        "fastholde niveauet på det fysiske interurbanlån.",
    ),
    (
        "count unchanged",
        lambda: indicator_sentence(iul(value_change=0.0, value_change_pct=0.0), S["MO-IUL"]),
        "Det samlede nationale interurbanudlån er 731.800 i 2024 (det samme som i 2023), og målet "
        "på 725.000 for 2024 er dermed opfyldt.",
    ),
    (
        "count, figure missing",
        lambda: indicator_sentence(
            iul(
                value=NAN,
                value_change=NAN,
                value_change_pct=NAN,
                attained="n/a",
                note="Intet tal for interlibrary_loans 2024 i national_figures",
            ),
            S["MO-IUL"],
            measure="Interurbanudlån i alt",
        ),
        "Det samlede nationale interurbanudlån kan ikke opgøres for 2024, da det nationale tal for "
        "interurbanudlån i alt endnu ikke foreligger. Målet på 725.000 kan derfor ikke vurderes, "
        "og "
        "resultatmålet kan ikke erklæres opfyldt.",
    ),
    (
        "licences without target",
        lambda: indicator_sentence(
            trend(),
            S["MO-LIC-BRUG"],
            licences=licences(),
            unit="udlån/visninger",
            source="eReolen statistik",
        ),
        "Den samlede brug af licenserne steg i 2024 til 9.557.338 udlån/visninger (+3,5\xa0% fra "
        "2023). Antallet af unikke brugere steg for én af de to licenser: eReolen 335.327 "
        "(+3,0\xa0%) og Filmstriben 213.303 (−1,0\xa0%). Brugerne af de enkelte licenser lægges "
        "ikke sammen, da den samme person kan bruge flere licenser. Bilag 3 fastsætter intet mål "
        "for 2024, så udviklingen indgår ikke i målopfyldelsen. Kilde: eReolen statistik.",
    ),
    (
        "licences, a development target met",
        lambda: indicator_sentence(
            trend(target_kind="positive_development", attained="yes", development="up"),
            S["MO-LIC-BRUG"],
            licences=licences((0.03, 0.01)),
            unit="udlån/visninger",
        ),
        "Den samlede brug af licenserne steg i 2024 til 9.557.338 udlån/visninger (+3,5\xa0% fra "
        "2023). Antallet af unikke brugere steg for begge licenser: eReolen 335.327 (+3,0\xa0%) og "
        "Filmstriben 213.303 (+1,0\xa0%). Brugerne af de enkelte licenser lægges ikke sammen, da "
        "den samme person kan bruge flere licenser. Udviklingen er dermed positiv, og målet om en "
        "positiv udvikling er opfyldt.",
    ),
    (
        "licences, a development target not met",
        lambda: indicator_sentence(
            trend(target_kind="positive_development", attained="no"),
            S["MO-LIC-BRUG"],
            licences=licences(),
        ),
        "Den samlede brug af licenserne steg i 2024 til 9.557.338 (+3,5\xa0% fra 2023). Antallet "
        "af "
        "unikke brugere steg for én af de to licenser: eReolen 335.327 (+3,0\xa0%) og Filmstriben "
        "213.303 (−1,0\xa0%). Brugerne af de enkelte licenser lægges ikke sammen, da den samme "
        "person kan bruge flere licenser. Udviklingen er dermed ikke positiv, og målet om en "
        "positiv udvikling er ikke opfyldt.",
    ),
    (
        "licences, figures missing",
        lambda: indicator_sentence(
            trend(
                development="",
                value=NAN,
                note="Ingen licenstal (brug og brugere) for 2024 i national_figures",
            ),
            S["MO-LIC-BRUG"],
            licences=licences().iloc[0:0],
        ),
        "Udviklingen i brugen af og antallet af brugere af de udbudte licenser kan ikke opgøres "
        "for "
        "2024, da tallene for brug og brugere af licenserne endnu ikke foreligger. Bilag 3 "
        "fastsætter i øvrigt intet mål for 2024.",
    ),
    (
        "judgement made plausible",
        lambda: indicator_sentence(judgement(), S["TS-KULT-VAE"]),
        "Værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under »Kultur for "
        "alle« er sandsynliggjort i 2024, og målet er dermed opfyldt. Begrundelse: Evaluering af "
        "12 "
        "tiltag under »Kultur for alle«. Aftalt nøgletal: 1.200 (mål: 1.000).",
    ),
    (
        "judgement not made plausible",
        lambda: indicator_sentence(
            judgement(
                judgement="ikke sandsynliggjort",
                attained="no",
                note="",
                evidence="Effekten kunne ikke dokumenteres.",
            ),
            S["TS-KULT-VAE"],
        ),
        "Værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under »Kultur for "
        "alle« er ikke sandsynliggjort i 2024, og målet er dermed ikke opfyldt. Begrundelse: "
        "Effekten kunne ikke dokumenteres.",
    ),
    (
        "judgement missing",
        lambda: indicator_sentence(
            judgement(
                judgement="",
                attained="n/a",
                evidence="",
                note="Ingen vurdering for TS-KULT-VAE 2024 i judgements",
            ),
            S["TS-KULT-VAE"],
        ),
        "Værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under »Kultur for "
        "alle« kan ikke vurderes for 2024, da vurderingen endnu ikke foreligger. Resultatmålet kan "
        "derfor ikke erklæres opfyldt.",
    ),
    (
        "change up, sure",
        lambda: change_sentence(share(change=0.07, change_ci_low=0.02, change_ci_high=0.12)),
        "Det er en stigning på 7 procentpoint fra 2023, og ændringen er statistisk sikker "
        "(95\xa0%-konfidensinterval for ændringen fra +2 til +12 procentpoint).",
    ),
    (
        "change down, not sure",
        lambda: change_sentence(share(change=-0.05, change_ci_low=-0.16, change_ci_high=0.05)),
        "Det er et fald på 5 procentpoint fra 2023, men ændringen er ikke statistisk sikker "
        "(95\xa0%-konfidensinterval for ændringen fra −16 til +5 procentpoint).",
    ),
    (
        "change rounds to nothing",
        lambda: change_sentence(share(change=0.004, change_ci_low=-0.03, change_ci_high=0.04)),
        "Andelen er den samme som i 2023, afrundet til hele procentpoint "
        "(95\xa0%-konfidensinterval "
        "for ændringen fra −3 til +4 procentpoint).",
    ),
    (
        "change, a bound rounds to 0",
        lambda: change_sentence(share(change=0.05, change_ci_low=0.002, change_ci_high=0.09)),
        "Det er en stigning på 5 procentpoint fra 2023, og ændringen er statistisk sikker "
        "(95\xa0%-konfidensinterval for ændringen fra 0 til +9 procentpoint).",
    ),
    (
        "change without interval",
        lambda: change_sentence(share(change=0.03)),
        "Det er en stigning på 3 procentpoint fra 2023.",
    ),
    (
        "change of participants",
        lambda: change_sentence(
            share(kind="participant_share", change=0.07, change_ci_low=0.03, change_ci_high=0.12)
        ),
        "Det er en stigning på 7 procentpoint fra 2023, og ændringen er statistisk sikker "
        "(95\xa0%-konfidensinterval for ændringen fra +3 til +12 procentpoint). En del af "
        "ændringen "
        "kan skyldes, at det ikke er de samme biblioteker, der har deltaget i temasporet begge år.",
    ),
    (
        "goal met",
        lambda: goal_sentence(goal(), REASONS),
        "Resultatmålet er opfyldt i 2024, fordi alle dets nøgletal og indikatorer med et mål for "
        "året er opfyldt.",
    ),
    (
        "goal met, uncertain",
        lambda: goal_sentence(goal(indicators_uncertain="TS-LAES-REL"), REASONS),
        "Resultatmålet er opfyldt i 2024, fordi alle dets nøgletal og indikatorer med et mål for "
        "året er opfyldt. For tilfredshedsgraden for relevansen af tiltagene under temasporet "
        "»Glæden ved sprog, litteratur og læsning« er opfyldelsen dog ikke statistisk sikker: "
        "målet "
        "ligger inden for konfidensintervallet, så det kan ikke udelukkes, at den reelle andel er "
        "under målet.",
    ),
    (
        "goal met, several uncertain with relative clauses",
        lambda: goal_sentence(
            goal(maal_id="RM5", indicators_uncertain="TS-LAES-STY; TS-DIGI-STY"),
            {
                "TS-LAES-STY": {"subject": S["TS-LAES-STY"]},
                "TS-DIGI-STY": {"subject": S["TS-DIGI-STY"]},
            },
        ),
        "Resultatmålet er opfyldt i 2024, fordi alle dets nøgletal og indikatorer med et mål for "
        "året er opfyldt. For andelen af de aktivt deltagende biblioteker, der oplever, at "
        "deltagelsen i »Glæden ved sprog, litteratur og læsning« styrker og kvalificerer arbejdet "
        "med borgernes læselyst, og andelen af de aktivt deltagende biblioteker, der oplever, at "
        "deltagelsen i »Borgeren i den digitale transformation« styrker og kvalificerer arbejdet "
        "med digital formidling og digitale kompetencer, er opfyldelsen dog ikke statistisk "
        "sikker: målet ligger inden for konfidensintervallet, så det kan ikke udelukkes, at den "
        "reelle andel er under målet.",
    ),
    (
        "goal not met by one",
        lambda: goal_sentence(goal(attained="no", indicators_not_attained="TS-KULT-REL"), REASONS),
        "Resultatmålet er ikke opfyldt i 2024, fordi tilfredshedsgraden for relevansen af "
        "tiltagene "
        "under temasporet »Kultur for alle« er 72\xa0%, mod et mål på 80\xa0%.",
    ),
    (
        "goal not met by several, uncertain, missing",
        lambda: goal_sentence(
            goal(
                attained="no",
                indicators_not_attained="TS-DIGI-REL; TS-KULT-VAE",
                indicators_uncertain="TS-DIGI-REL",
                indicators_missing="TS-DIGI-VAE (Ingen vurdering)",
            ),
            REASONS,
        ),
        "Resultatmålet er ikke opfyldt i 2024, fordi tilfredshedsgraden for relevansen af "
        "tiltagene "
        "under temasporet »Borgeren i den digitale transformation« er 78\xa0%, mod et mål på "
        "80\xa0%, og værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under "
        "»Kultur for alle« ikke er sandsynliggjort. For tilfredshedsgraden for relevansen af "
        "tiltagene under temasporet »Borgeren i den digitale transformation« kan det dog ikke "
        "udelukkes, at den reelle andel når målet, da målet ligger inden for konfidensintervallet. "
        "Desuden foreligger der endnu ikke tal for værdien for borgere og lokale "
        "samarbejdspartnere "
        "af de aftalte tiltag under »Borgeren i den digitale transformation«.",
    ),
    (
        "goal not met by a count",
        lambda: goal_sentence(
            goal(maal_id="RM2", attained="no", indicators_not_attained="MO-IUL"), REASONS
        ),
        "Resultatmålet er ikke opfyldt i 2024, fordi det samlede nationale interurbanudlån er "
        "700.000, mod et mål på 725.000.",
    ),
    (
        "goal incomplete",
        lambda: goal_sentence(
            goal(attained="incomplete", indicators_missing="TS-DIGI-VAE (Ingen vurdering)"), REASONS
        ),
        "Resultatmålet kan ikke erklæres opfyldt for 2024, fordi der endnu ikke foreligger tal for "
        "værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under »Borgeren i "
        "den digitale transformation«.",
    ),
    (
        "goal without targets",
        lambda: goal_sentence(goal(attained="n/a"), REASONS),
        "Bilag 3 fastsætter intet mål for 2024 for resultatmålets nøgletal og indikatorer, så "
        "resultatmålet vurderes ikke.",
    ),
    (
        "summary, some met",
        lambda: summary_sentences(
            [
                goal(maal_id="RM1"),
                goal(maal_id="RM2"),
                goal(maal_id="RM3", attained="incomplete", indicators_missing="TS-DIGI-VAE (x)"),
                goal(maal_id="RM4", attained="no", indicators_not_attained="TS-KULT-REL"),
                goal(maal_id="RM5", attained="no", indicators_not_attained="TS-KULT-VAE"),
            ],
            2024,
            {f"RM{i}": f"Resultatmål {i}: Mål nummer {i}." for i in range(1, 6)},
            lambda g: REASONS,
        ),
        (
            "I 2024 er to af de fem resultatmål i bilag 3 opfyldt. To er ikke opfyldt, og ét kan "
            "ikke erklæres opfyldt, fordi der mangler tal:",
            [
                (
                    "Resultatmål 3: Mål nummer 3.",
                    "Resultatmålet kan ikke erklæres opfyldt for 2024, fordi der endnu ikke "
                    "foreligger "
                    "tal for værdien for borgere og lokale samarbejdspartnere af de aftalte "
                    "tiltag under "
                    "»Borgeren i den digitale transformation«.",
                ),
                (
                    "Resultatmål 4: Mål nummer 4.",
                    "Resultatmålet er ikke opfyldt i 2024, fordi tilfredshedsgraden for "
                    "relevansen af "
                    "tiltagene under temasporet »Kultur for alle« er 72\xa0%, mod et mål på "
                    "80\xa0%.",
                ),
                (
                    "Resultatmål 5: Mål nummer 5.",
                    "Resultatmålet er ikke opfyldt i 2024, fordi værdien for borgere og lokale "
                    "samarbejdspartnere af de aftalte tiltag under »Kultur for alle« ikke er "
                    "sandsynliggjort.",
                ),
            ],
        ),
    ),
    (
        "summary, all met",
        lambda: summary_sentences(
            [goal(maal_id=f"RM{i}") for i in range(1, 6)], 2024, {}, lambda g: REASONS
        ),
        ("I 2024 er alle fem resultatmål i bilag 3 opfyldt.", []),
    ),
    (
        "summary, none met, one not met",
        lambda: summary_sentences(
            [goal(maal_id="RM1", attained="no", indicators_not_attained="TS-KULT-REL")],
            2024,
            {"RM1": "Resultatmål 1: Mål."},
            lambda g: REASONS,
        ),
        (
            "I 2024 er det ene resultatmål i bilag 3 ikke opfyldt.",
            [
                (
                    "Resultatmål 1: Mål.",
                    "Resultatmålet er ikke opfyldt i 2024, fordi tilfredshedsgraden for "
                    "relevansen af "
                    "tiltagene under temasporet »Kultur for alle« er 72\xa0%, mod et mål på "
                    "80\xa0%.",
                )
            ],
        ),
    ),
    (
        "period: met every year",
        lambda: period_verdict_sentence(
            hist(
                "MO-FYS",
                "survey_share",
                [2021, 2022, 2023, 2024],
                ["yes"] * 4,
                ["above", "straddles", "straddles", "above"],
            )
        ),
        "Målet var opfyldt i alle fire år. I 2022 og 2023 var vurderingen ikke statistisk sikker.",
    ),
    (
        "period: met some years",
        lambda: period_verdict_sentence(
            hist(
                "MO-TYD",
                "survey_share",
                [2021, 2022, 2023, 2024],
                ["yes", "yes", "no", "yes"],
                ["above", "above", "below", "above"],
            )
        ),
        "Målet var opfyldt i tre af de fire år (2021, 2022 og 2024), men ikke i 2023.",
    ),
    (
        "period: never met",
        lambda: period_verdict_sentence(
            hist("X", "survey_share", [2021, 2022], ["no", "no"], ["below", "below"])
        ),
        "Målet var ikke opfyldt i nogen af de to år.",
    ),
    (
        "period: a year without figure",
        lambda: period_verdict_sentence(
            hist(
                "MO-DIG",
                "survey_share",
                [2021, 2022, 2023, 2024],
                ["yes", "yes", "n/a", "yes"],
                ["above", "above", "", "above"],
            )
        ),
        "Målet var opfyldt i alle tre år med tal (2021, 2022 og 2024). For 2023 foreligger der "
        "ikke "
        "tal.",
    ),
    (
        "period: target only the last year",
        lambda: period_verdict_sentence(
            hist(
                "MO-IUL",
                "national_count",
                [2021, 2022, 2023, 2024],
                ["n/a", "n/a", "n/a", "yes"],
                target_kind=["none", "none", "none", "min_count"],
            ),
            OM_IUL,
        ),
        "Målet for 2024 var opfyldt. Bilag 3 fastsætter intet mål for 2021–2023, men det "
        "operationelle mål er at fastholde niveauet på det fysiske interurbanlån.",
    ),
    (
        "period: never a target",
        lambda: period_verdict_sentence(
            hist(
                "MO-LIC-BRUG",
                "national_trend",
                [2021, 2022, 2023, 2024],
                ["n/a"] * 4,
                target_kind="none",
            )
        ),
        "Bilag 3 fastsætter intet mål for 2021–2024, så udviklingen indgår ikke i målopfyldelsen.",
    ),
    (
        "development: rise, sure",
        lambda: development_sentence(period()),
        "Fra 2021 til 2024 steg andelen fra 84\xa0% til 92\xa0%, en stigning på 8 procentpoint, og "
        "udviklingen er statistisk sikker (95\xa0%-konfidensinterval for ændringen fra +5 til +11 "
        "procentpoint).",
    ),
    (
        "development: no interval, no claim of certainty",
        lambda: development_sentence(period(change_ci_low=NAN, change_ci_high=NAN)),
        "Fra 2021 til 2024 steg andelen fra 84\xa0% til 92\xa0%, en stigning på 8 procentpoint.",
    ),
    (
        "development: fall, not sure",
        lambda: development_sentence(
            period(
                first_share=0.80,
                last_share=0.78,
                change=-0.02,
                change_ci_low=-0.06,
                change_ci_high=0.02,
            )
        ),
        "Fra 2021 til 2024 faldt andelen fra 80\xa0% til 78\xa0%, et fald på 2 procentpoint, men "
        "udviklingen er ikke statistisk sikker (95\xa0%-konfidensinterval for ændringen fra −6 til "
        "+2 procentpoint).",
    ),
    (
        "development: unchanged",
        lambda: development_sentence(
            period(
                first_share=0.80,
                last_share=0.803,
                change=0.003,
                change_ci_low=-0.03,
                change_ci_high=0.04,
            )
        ),
        "Andelen var den samme i 2024 som i 2021, afrundet til hele procentpoint "
        "(95\xa0%-konfidensinterval for ændringen fra −3 til +4 procentpoint).",
    ),
    (
        "development: participants",
        lambda: development_sentence(period(kind="participant_share", note="x")),
        "Fra 2021 til 2024 steg andelen fra 84\xa0% til 92\xa0%, en stigning på 8 procentpoint, og "
        "udviklingen er statistisk sikker (95\xa0%-konfidensinterval for ændringen fra +5 til +11 "
        "procentpoint). En del af udviklingen kan skyldes, at det ikke er de samme biblioteker, "
        "der "
        "har deltaget i temasporet i de to år.",
    ),
    (
        "development: national count",
        lambda: development_sentence(
            period(
                indicator_id="MO-IUL",
                kind="national_count",
                first_share=NAN,
                last_share=NAN,
                change=NAN,
                first_value=742900,
                last_value=731800,
                value_change=-11100,
                value_change_pct=-0.014941,
            )
        ),
        "Fra 2021 til 2024 faldt tallet fra 742.900 til 731.800 (11.100 færre, −1,5\xa0%).",
    ),
    (
        "licences over the period",
        lambda: licence_period_sentence(
            pd.DataFrame(
                {
                    "year": 2024,
                    "measure": [
                        "licence_use",
                        "licence_use",
                        "licence_use",
                        "licence_users",
                        "licence_users",
                    ],
                    "licence": ["I alt", "eReolen", "Filmstriben", "eReolen", "Filmstriben"],
                    "first_year": [NAN, 2020, 2020, 2020, 2020],
                    "change_since_first": [NAN, 648544, 140060, 25327, -1697],
                    "change_since_first_pct": [NAN, 0.158, 0.061, 0.082, -0.008],
                }
            )
        ),
        "Brugen steg for begge licenser fra 2020 til 2024: eReolen +15,8\xa0% og Filmstriben "
        "+6,1\xa0%. Antallet af unikke brugere steg for én af de to licenser fra 2020 til 2024: "
        "eReolen +8,2\xa0% og Filmstriben −0,8\xa0%.",
    ),
    (
        "goal period: every year",
        lambda: goal_period_sentence(goal_hist(["yes"] * 4)),
        "Resultatmålet var opfyldt i alle fire år.",
    ),
    (
        "goal period: some years",
        lambda: goal_period_sentence(goal_hist(["yes", "no", "yes", "yes"])),
        "Resultatmålet var opfyldt i tre af de fire år (2021, 2023 og 2024), men ikke i 2022.",
    ),
    (
        "goal period: never",
        lambda: goal_period_sentence(goal_hist(["no"] * 4)),
        "Resultatmålet var ikke opfyldt i nogen af de fire år.",
    ),
    (
        "goal period: incomplete",
        lambda: goal_period_sentence(goal_hist(["yes", "incomplete", "no", "yes"])),
        "Resultatmålet var opfyldt i to af de fire år (2021 og 2024), men ikke i 2022 og 2023; for "
        "2022 mangler der tal.",
    ),
    (
        "quality: one row left out",
        lambda: quality_sentence(quality()),
        "I 2024 svarede 94 af 98 kommuner (svarprocent 96\xa0%). Én række i eksporterne er "
        "udeladt: 1 × Dublet. Kommuner uden svar: Tårnby, Egedal, Stevns, Lemvig.",
    ),
    (
        "quality: several rows left out",
        lambda: quality_sentence(
            quality(
                rows_excluded=3,
                excluded_reasons="2 × Dublet, 1 × Tom besvarelse",
                municipalities_missing="",
            )
        ),
        "I 2024 svarede 94 af 98 kommuner (svarprocent 96\xa0%). Tre rækker i eksporterne er "
        "udeladt: 2 × Dublet, 1 × Tom besvarelse.",
    ),
    (
        "quality: none left out",
        lambda: quality_sentence(quality(rows_excluded=0, excluded_reasons="")),
        "I 2024 svarede 94 af 98 kommuner (svarprocent 96\xa0%). Ingen rækker i eksporterne er "
        "udeladt. Kommuner uden svar: Tårnby, Egedal, Stevns, Lemvig.",
    ),
]


@pytest.mark.parametrize(("variant", "make", "expected"), WORDING, ids=[w[0] for w in WORDING])
def test_every_sentence_variant_reads_as_reviewed(variant, make, expected):
    assert make() == expected


def texts_of(value) -> list[str]:
    if isinstance(value, tuple):
        return [value[0], *(t for pair in value[1] for t in pair)]
    return [value]


@pytest.mark.parametrize(("variant", "make", "expected"), WORDING, ids=[w[0] for w in WORDING])
def test_no_variant_has_codes_internal_names_or_plain_typography(variant, make, expected):
    for text in texts_of(expected):
        assert not re.search(r"\b(MO|TS|RM|OM)[-\d]", text), text  # no tool codes
        assert not re.search(
            r"national_figures|judgements|interlibrary|licence_|kodebog"
            r"|targets\.csv|tilfreds_|\bnan\b",
            text,
        ), text
        assert '"' not in text and "±" not in text, text
        assert not re.search(r"\d-\d|\d %", text), text  # en dash, no-break space
        assert "procentpoint til" not in text, text  # 'fra −3 til +17 procentpoint'


def test_lists_years_quotes_and_goal_ids():
    assert goal_ids("MO-DIG (Ingen andel; Spørgsmålet 'a; b' mangler); MO-SAM; TS-X (c)") == [
        "MO-DIG",
        "MO-SAM",
        "TS-X",
    ]
    assert goal_ids("") == goal_ids(NAN) == []
    assert listed_indicators("MO-DIG (Ingen andel; Spørgsmålet 'a; b' mangler); MO-SAM") == [
        ("MO-DIG", "Ingen andel; Spørgsmålet 'a; b' mangler"), ("MO-SAM", "")]
    assert danish_list(["a"]) == "a" and danish_list(["a", "b", "c"]) == "a, b og c"
    assert danish_list(["a", "b"], ", og ") == "a, og b"
    assert years_text([2024, 2021, 2022, 2023]) == "2021–2024"
    assert years_text([2021, 2023, 2024]) == "2021, 2023 og 2024"
    assert (
        danish_quotes('under "Kultur for alle" og ”Borgeren”')
        == "under »Kultur for alle« og »Borgeren«"
    )
    assert danish_quotes('et "skævt citat') == 'et "skævt citat'


def test_every_indicator_has_a_subject_for_its_sentence():
    assert S.str.strip().ne("").all()


def test_every_sentence_of_the_demo_run_carries_the_dashboards_figures(demo_output):
    """For every national row of every year: the sentence has the share, its interval and
    the target exactly as the dashboard formats them, or says why there is none, and no
    sentence names a file, a column or a tool code."""
    data = load_report_data(demo_output)
    rows = read_output(demo_output / "indicators.csv")
    rows = rows[rows["scope"] == NATIONAL]
    text = rows.select_dtypes(include=["object", "string"]).columns
    rows[text] = rows[text].fillna("")
    subjects = data.catalogue()["report_subject"]
    for _, row in rows.iterrows():
        measure, source = data.measure_of(row["indicator_id"])
        sentence = indicator_sentence(
            row,
            subjects[row["indicator_id"]],
            licences=data.licences(row["year"]),
            measure=measure,
            source=source,
        )
        change = change_sentence(row)
        if row["kind"] in SURVEY_KINDS:
            assert sentence.startswith(subjects[row["indicator_id"]]), sentence
            target = share_target(row["target_kind"], row["target"])
            assert (
                f"er {percent_beside(row['share'], target)} (95\u00a0%-konfidensinterval "
                f"{interval_text(row['ci_low'], row['ci_high'], target)})" in sentence
            )
            if row["attained"] in ("yes", "no"):
                assert f"målet på {percent(row['target'])} for {row['year']}" in sentence
                assert (
                    "ikke statistisk sikkert" in sentence or "kan ikke udelukkes" in sentence
                ) == (row["certainty"] == "straddles")
        elif row["kind"] == "national_count":
            assert f"er {number(row['value'])} i {row['year']}" in sentence
            assert f"Kilde: {source}" in sentence
        if row["attained"] == "yes":
            assert "dermed opfyldt" in sentence or "er opfyldt" in sentence
        elif row["attained"] == "no":
            assert "ikke opfyldt" in sentence
        else:
            assert "dermed" not in sentence and "mål" in sentence
        for piece in (sentence, change):
            assert not re.search(r"\b(MO|TS)-|national_figures|judgements|\bnan\b", piece)
            assert '"' not in piece and "±" not in piece
