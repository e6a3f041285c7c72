"""The report's drafted Danish sentences, word for word, for every verdict case."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.formatting import number, percent, percent_beside
from pipeline.outputs.read import read_output
from pipeline.present.words import interval_text, share_target
from pipeline.reference import NATIONAL, SURVEY_KINDS, load_reference
from pipeline.report.sentences import (
    change_sentence,
    danish_list,
    goal_ids,
    goal_sentence,
    indicator_sentence,
    summary_sentence,
)

REF = load_reference()
SUBJECTS = REF.indicators.set_index("indicator_id")["report_subject"]
NAN = math.nan


def share_row(**values) -> dict:
    """An indicators.csv row of a survey share, as load_outputs reads it."""
    row = {"indicator_id": "MO-FYS", "kind": "survey_share", "year": 2023, "share": 0.88,
           "ci_low": 0.83, "ci_high": 0.92, "confidence": 0.95, "target_kind": "min_share",
           "target": 0.85, "attained": "yes", "certainty": "above", "na_reason": "",
           "note": "", "change": NAN, "change_ci_low": NAN, "change_ci_high": NAN,
           "value": NAN, "value_change": NAN, "value_change_pct": NAN, "development": "",
           "judgement": "", "evidence": ""}
    return {**row, **values}


def test_met_with_the_whole_interval_above_the_target_is_the_issues_sentence():
    assert indicator_sentence(share_row(), SUBJECTS["MO-FYS"]) == (
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 88\u00a0% "
        "(95\u00a0%-konfidensinterval 83–92\u00a0%), og målet på 85\u00a0% for 2023 er dermed "
        "opfyldt.")


def test_met_but_the_interval_straddles_the_target_says_it_is_uncertain():
    row = share_row(share=0.86, ci_low=0.82, ci_high=0.89, certainty="straddles")
    assert indicator_sentence(row, SUBJECTS["MO-FYS"]) == (
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 86\u00a0% "
        "(95\u00a0%-konfidensinterval 82–89\u00a0%), og målet på 85\u00a0% for 2023 er dermed "
        "opfyldt. "
        "Opfyldelsen er dog usikker: målet ligger inden for konfidensintervallet, så den "
        "sande andel kan også ligge under målet.")


def test_not_met_with_the_whole_interval_below_the_target():
    row = share_row(indicator_id="MO-TYD", share=0.61, ci_low=0.56, ci_high=0.64,
                    target=0.72, attained="no", certainty="below")
    assert indicator_sentence(row, SUBJECTS["MO-TYD"]) == (
        "Andelen af biblioteker, der oplever, at der er tydelighed omkring det samlede "
        "materialeoverbygningstilbud, er 61\u00a0% (95\u00a0%-konfidensinterval 56–64\u00a0%), "
        "og målet på "
        "72\u00a0% for 2023 er dermed ikke opfyldt.")


def test_not_met_but_the_interval_reaches_the_target_says_it_is_uncertain():
    row = share_row(indicator_id="TS-LAES-STY", kind="participant_share", share=0.73,
                    ci_low=0.60, ci_high=0.83, target=0.75, attained="no",
                    certainty="straddles")
    assert indicator_sentence(row, SUBJECTS["TS-LAES-STY"]) == (
        "Andelen af de aktivt deltagende biblioteker, der oplever, at deltagelsen i "
        "\"Glæden ved sprog, litteratur og læsning\" styrker og kvalificerer arbejdet med "
        "borgernes læselyst, er 73\u00a0% (95\u00a0%-konfidensinterval 60–83\u00a0%), og målet "
        "på 75\u00a0% for "
        "2023 er dermed ikke opfyldt. Vurderingen er dog usikker: målet ligger inden for "
        "konfidensintervallet, så den sande andel kan også nå målet.")


def test_a_share_in_a_year_without_target_is_shown_without_verdict():
    row = share_row(target_kind="none", target=NAN, attained="n/a", certainty="",
                    na_reason="Intet mål i Bilag 3 for året")
    assert indicator_sentence(row, SUBJECTS["MO-FYS"]) == (
        "Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 88\u00a0% "
        "(95\u00a0%-konfidensinterval 83–92\u00a0%). Bilag 3 fastsætter intet mål for 2023, så "
        "tallet "
        "indgår ikke i målopfyldelsen.")


def test_no_data_says_why_and_what_it_means_for_the_goal():
    row = share_row(indicator_id="MO-DIG", share=NAN, ci_low=NAN, ci_high=NAN, target=0.72,
                    attained="n/a", certainty="", na_reason="Ingen andel at sammenligne med",
                    note="Spørgsmålet 'tilfreds_digital' er ikke med i kodebogen for 2023")
    assert indicator_sentence(row, SUBJECTS["MO-DIG"]) == (
        "Tilfredshedsgraden for den digitale del af materialeoverbygningen kan ikke opgøres "
        "for 2023. Årsag: Spørgsmålet 'tilfreds_digital' er ikke med i kodebogen for 2023. "
        "Målet på 72\u00a0% kan derfor ikke vurderes, og resultatmålet kan ikke erklæres opfyldt.")


def test_no_data_without_a_note_gives_the_reason_from_the_verdict():
    row = share_row(share=NAN, ci_low=NAN, ci_high=NAN, attained="n/a", certainty="",
                    na_reason="Ingen andel at sammenligne med", note="")
    assert "Årsag: Ingen andel at sammenligne med." in indicator_sentence(row, "Andelen")


def iul_row(**values) -> dict:
    return share_row(**{"indicator_id": "MO-IUL", "kind": "national_count", "year": 2024,
                        "share": NAN, "ci_low": NAN, "ci_high": NAN, "certainty": "",
                        "target_kind": "min_count", "target": 725000.0, "value": 731800.0,
                        "value_change": 9200.0, "value_change_pct": 0.012732,
                        "attained": "yes", **values})


def test_interlibrary_loans_against_the_2024_count_target():
    assert indicator_sentence(iul_row(), SUBJECTS["MO-IUL"]) == (
        "Det samlede nationale interurbanudlån er 731.800 i 2024 (9.200 flere end i 2023, "
        "+1,3\u00a0%), og målet på 725.000 for 2024 er dermed opfyldt.")
    below = iul_row(value=722600.0, value_change=-10500.0, value_change_pct=-0.014323,
                    attained="no")
    assert indicator_sentence(below, SUBJECTS["MO-IUL"]) == (
        "Det samlede nationale interurbanudlån er 722.600 i 2024 (10.500 færre end i 2023, "
        "−1,4\u00a0%), og målet på 725.000 for 2024 er dermed ikke opfyldt.")


def test_interlibrary_loans_before_2024_have_no_target():
    row = iul_row(year=2023, value=722600.0, value_change=-10500.0,
                  value_change_pct=-0.014323, target_kind="none", target=NAN,
                  attained="n/a", na_reason="Intet mål i Bilag 3 for året")
    assert indicator_sentence(row, SUBJECTS["MO-IUL"]) == (
        "Det samlede nationale interurbanudlån er 722.600 i 2023 (10.500 færre end i 2022, "
        "−1,4\u00a0%). Bilag 3 fastsætter intet mål for 2023, så tallet indgår ikke i "
        "målopfyldelsen.")


def test_interlibrary_loans_without_national_figures():
    row = iul_row(value=NAN, value_change=NAN, value_change_pct=NAN, attained="n/a",
                  na_reason="Intet tal at sammenligne med",
                  note="Filen national_figures findes ikke i survey-mappen")
    assert indicator_sentence(row, SUBJECTS["MO-IUL"]) == (
        "Det samlede nationale interurbanudlån kan ikke opgøres for 2024. Årsag: Filen "
        "national_figures findes ikke i survey-mappen. Målet på 725.000 kan derfor ikke "
        "vurderes, og resultatmålet kan ikke erklæres opfyldt.")


LICENCE_NOTE = ("Brug i alt 9.557.338 (+3,5 %); brugere pr. licens: eReolen 335.327 (+3,0 %), "
                "Filmstriben 213.303 (−1,0 %)")


def test_licences_without_a_target_are_shown_per_licence_without_a_verdict():
    """Bilag 3 sets no licence target (n/a): figures, no direction word, no verdict."""
    row = share_row(indicator_id="MO-LIC-BRUG", kind="national_trend", year=2024,
                    share=NAN, target_kind="none", target=NAN, certainty="",
                    development="not_up", attained="n/a", na_reason="Intet mål i Bilag 3",
                    note=f"{LICENCE_NOTE}; antallet af brugere steg ikke for Filmstriben")
    assert indicator_sentence(row, SUBJECTS["MO-LIC-BRUG"], {}) == (
        "Udviklingen i brugen af og antallet af brugere af de udbudte licenser i 2024: Brug i "
        "alt 9.557.338 (+3,5 %); brugere pr. licens: eReolen 335.327 (+3,0 %), Filmstriben "
        "213.303 (−1,0 %); antallet af brugere steg ikke for Filmstriben. Bilag 3 fastsætter "
        "intet mål for 2024, så udviklingen indgår ikke i målopfyldelsen.")


def test_a_development_target_gives_a_verdict_with_its_rule():
    row = share_row(indicator_id="MO-LIC-BRUG", kind="national_trend", year=2024,
                    share=NAN, target_kind="positive_development", target=NAN,
                    certainty="", development="up", attained="yes",
                    note=f"{LICENCE_NOTE}; Regel for positiv udvikling: ...")
    sentence = indicator_sentence(row, SUBJECTS["MO-LIC-BRUG"], {})
    assert sentence.startswith("Udviklingen i brugen af og antallet af brugere af de udbudte "
                               "licenser er positiv i 2024: Brug i alt 9.557.338")
    assert "Regel for positiv udvikling" in sentence
    assert sentence.endswith("Målet om en positiv udvikling er dermed opfyldt.")


def judgement_row(**values) -> dict:
    return share_row(**{"indicator_id": "TS-KULT-VAE", "kind": "judgement", "year": 2024,
                        "share": NAN, "target_kind": "sandsynliggjort", "target": NAN,
                        "certainty": "", "judgement": "sandsynliggjort", "attained": "yes",
                        "evidence": "Evaluering af 12 tiltag, se bilag 3",
                        "note": "Aftalt nøgletal: 1.200 (mål: 1.000)", **values})


def test_a_judgement_made_plausible_gives_its_evidence():
    assert indicator_sentence(judgement_row(), SUBJECTS["TS-KULT-VAE"]) == (
        "Værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under \"Kultur "
        "for alle\" er sandsynliggjort i 2024, og målet er dermed opfyldt. Begrundelse: "
        "Evaluering af 12 tiltag, se bilag 3. Aftalt nøgletal: 1.200 (mål: 1.000).")


def test_a_judgement_not_made_plausible_and_a_missing_one():
    row = judgement_row(judgement="ikke sandsynliggjort", attained="no", note="",
                        evidence="Effekten kunne ikke dokumenteres.")
    assert indicator_sentence(row, SUBJECTS["TS-KULT-VAE"]) == (
        "Værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under \"Kultur "
        "for alle\" er ikke sandsynliggjort i 2024, og målet er dermed ikke opfyldt. "
        "Begrundelse: Effekten kunne ikke dokumenteres.")
    missing = judgement_row(judgement="", attained="n/a", evidence="",
                            na_reason="Ingen vurdering",
                            note="Ingen vurdering for TS-KULT-VAE 2024 i judgements")
    assert indicator_sentence(missing, SUBJECTS["TS-KULT-VAE"]) == (
        "Værdien for borgere og lokale samarbejdspartnere af de aftalte tiltag under \"Kultur "
        "for alle\" kan ikke vurderes for 2024. Årsag: Ingen vurdering for TS-KULT-VAE 2024 i "
        "judgements. Resultatmålet kan derfor ikke erklæres opfyldt.")


@pytest.mark.parametrize(("change", "low", "high", "expected"), [
    (0.07, 0.02, 0.12, "Det er en stigning på 7 procentpoint fra 2022 (95\u00a0%-konfidensinterval "
                       "for ændringen: +2 procentpoint til +12 procentpoint)."),
    (-0.05, -0.16, 0.05, "Det er et fald på 5 procentpoint fra 2022 (95\u00a0%-konfidensinterval "
                         "for ændringen: −16 procentpoint til +5 procentpoint). Intervallet "
                         "omfatter 0, så ændringen kan skyldes tilfældig variation."),
    (0.004, -0.1, 0.1, "Andelen er uændret fra 2022 (afrundet til hele procentpoint)."),
    (NAN, NAN, NAN, ""),
])
def test_change_from_last_year(change, low, high, expected):
    row = share_row(change=change, change_ci_low=low, change_ci_high=high)
    assert change_sentence(row) == expected


def goal(**values) -> dict:
    return {"maal_id": "RM1", "year": 2024, "attained": "yes", "indicators_not_attained": "",
            "indicators_missing": "", "indicators_uncertain": "", **values}


def test_goal_sentences_for_each_roll_up():
    assert goal_sentence(goal(indicators_uncertain="MO-FYS")) == (
        "Resultatmålet er opfyldt i 2024: alle dets indikatorer med et mål for året er "
        "opfyldt. For MO-FYS er opfyldelsen dog usikker, fordi målet ligger inden for "
        "konfidensintervallet.")
    assert goal_sentence(goal(attained="no", indicators_not_attained="MO-FYS; MO-DIG",
                              indicators_uncertain="MO-DIG",
                              indicators_missing="MO-SAM (Ingen andel; Spørgsmålet 'x' "
                                                 "mangler)")) == (
        "Resultatmålet er ikke opfyldt i 2024, fordi MO-FYS og MO-DIG ikke er opfyldt. For "
        "MO-DIG er vurderingen dog usikker, fordi målet ligger inden for "
        "konfidensintervallet. Desuden mangler der tal for MO-SAM.")
    assert goal_sentence(goal(attained="incomplete",
                              indicators_missing="MO-TYD (a; b); MO-SAM (c)")) == (
        "Resultatmålet kan ikke erklæres opfyldt i 2024, fordi der mangler tal for MO-TYD og "
        "MO-SAM.")
    assert goal_sentence(goal(attained="n/a")) == (
        "Resultatmålet har ingen indikatorer med et mål for 2024.")


def test_goal_lists_are_split_outside_the_reasons_in_parentheses():
    assert goal_ids("MO-DIG (Ingen andel; Spørgsmålet 'a; b' mangler); MO-SAM; TS-X (c)") == \
        ["MO-DIG", "MO-SAM", "TS-X"]
    assert goal_ids("") == goal_ids(NAN) == []
    assert danish_list(["a"]) == "a" and danish_list(["a", "b", "c"]) == "a, b og c"


def test_summary_sentence_counts_the_binding_verdicts():
    goals = [goal(maal_id="RM1"), goal(maal_id="RM2", attained="no"),
             goal(maal_id="RM3", attained="incomplete"), goal(maal_id="RM4")]
    assert summary_sentence(goals, 2024) == (
        "I 2024 er 2 af de 4 resultatmål opfyldt. Ikke opfyldt: RM2. Kan ikke erklæres "
        "opfyldt, fordi der mangler tal: RM3.")


def test_every_indicator_has_a_subject_for_its_sentence():
    assert SUBJECTS.str.strip().ne("").all()


def test_every_sentence_of_the_demo_run_carries_the_dashboards_figures(demo_output):
    """For every national row of every year: the sentence has the share, its interval and
    the target exactly as the dashboard formats them, or says why there is none."""
    rows = read_output(demo_output / "indicators.csv")
    rows = rows[rows["scope"] == NATIONAL]
    text = rows.select_dtypes(include=["object", "string"]).columns
    rows[text] = rows[text].fillna("")
    national = read_output(demo_output / "national.csv")
    for _, row in rows.iterrows():
        totals = {r["measure"]: r for _, r in national[
            (national["year"] == row["year"]) & (national["licence"] == "I alt")].iterrows()}
        sentence = indicator_sentence(row, SUBJECTS[row["indicator_id"]], totals)
        assert sentence.startswith(SUBJECTS[row["indicator_id"]]), sentence
        if row["kind"] in SURVEY_KINDS:
            target = share_target(row["target_kind"], row["target"])
            assert f"er {percent_beside(row['share'], target)} (95\u00a0%-konfidensinterval " \
                   f"{interval_text(row['ci_low'], row['ci_high'], target)})" in sentence
            if row["attained"] in ("yes", "no"):
                assert f"målet på {percent(row['target'])} for {row['year']}" in sentence
                assert ("usikker" in sentence) == (row["certainty"] == "straddles")
        elif row["kind"] == "national_count":
            assert f"er {number(row['value'])} i {row['year']}" in sentence
        if row["attained"] == "yes":
            assert "dermed opfyldt." in sentence
        elif row["attained"] == "no":
            assert "dermed ikke opfyldt." in sentence
        else:
            assert "dermed" not in sentence and "mål" in sentence
        assert not pd.isna(sentence) and "nan" not in sentence
