"""The dashboard's pages, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import REPO, copy_demo, run_pipeline
from streamlit.testing.v1 import AppTest

from pipeline.formatting import percent
from pipeline.outputs.read import read_output
from pipeline.present.words import goal_verdict, interval_text

GOLDEN = Path(__file__).parent / "golden"
PAGES = {"spor": "dashboard_pages/spor.py", "regioner": "dashboard_pages/regioner.py",
         "datakvalitet": "dashboard_pages/datakvalitet.py"}


def app(out_dir: Path, monkeypatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out_dir))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    if page:
        at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    return at


def first_metrics(at: AppTest) -> dict[str, str]:
    """The metric row of the first indicator on the page (label -> shown value)."""
    out: dict[str, str] = {}
    for m in at.metric:
        out.setdefault(m.label, m.value)
    return out


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "subheader", "warning",
                                  "error", "info") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def golden_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden_dash")
    assert run_pipeline(GOLDEN / "surveys", out).exit_code == 0
    return out


def test_overview_shows_the_binding_verdict_of_every_goal_and_year(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch)
    assert at.title[0].value == "Målopfyldelse"
    assert "SYNTETISKE DEMODATA" in at.warning[0].value
    matrix = at.table[0].value
    goals = read_output(demo_output / "goals.csv").query("level == 'resultatmaal'")
    for goal in goals.itertuples():
        row = matrix[matrix["Resultatmål"].str.startswith(f"{goal.maal_id}:")].iloc[0]
        assert row[str(goal.year)] == goal_verdict(goal.attained)


@pytest.mark.slow
def test_overview_verdicts_for_the_hand_checked_fixture(golden_output, monkeypatch):
    at = app(golden_output, monkeypatch)
    matrix = at.table[0].value.set_index("Opgave", append=True)
    rows = {r.split(":")[0]: r for r in matrix["Resultatmål"]}
    by_goal = at.table[0].value.set_index("Resultatmål")
    assert by_goal.loc[rows["RM1"], "2023"] == "✘ Ikke opfyldt"
    assert by_goal.loc[rows["RM3"], "2023"] == "⚠ Ufuldstændig"
    assert "SYNTETISKE" not in texts(at)  # the fixture is not demo data
    at.switch_page(PAGES["spor"]).run()
    assert not any("SYNTETISKE" in p.proto.spec for p in at.get("plotly_chart"))


@pytest.mark.slow
def test_choosing_a_goal_and_a_year_shows_its_indicators(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch)
    at.selectbox(key="goal").set_value("RM4").run()
    shown = at.table[1].value.set_index("Indikator")
    assert set(shown.index) == {"TS-LAES-REL", "TS-KULT-REL", "TS-DIGI-REL"}
    ind = read_output(demo_output / "indicators.csv").query("scope == 'national'")
    share = ind.set_index(["indicator_id", "year"])["share"]
    assert shown.at["TS-KULT-REL", "Andel positive"] == percent(share["TS-KULT-REL", 2024])
    at.selectbox(key="year").set_value(2022).run()
    shown = at.table[1].value.set_index("Indikator")
    assert shown.at["TS-KULT-REL", "Andel positive"] == percent(share["TS-KULT-REL", 2022])
    assert "Indikatorerne bag et resultatmål i 2022" in texts(at)


@pytest.mark.slow
def test_track_page_reads_each_indicator_against_its_target(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "spor")
    assert at.title[0].value == "Materialeoverbygning"
    ind = read_output(demo_output / "indicators.csv")
    fys = ind.query("indicator_id == 'MO-FYS' and year == 2024 and scope == 'national'").iloc[0]
    metrics = first_metrics(at)
    assert metrics["Andel positive"] == percent(fys.share)
    assert metrics["95\u00a0%-konfidensinterval"] == interval_text(fys.ci_low, fys.ci_high)
    assert metrics["Mål 2024"] == percent(fys.target)
    plots = at.get("plotly_chart")
    assert len(plots) >= 5
    assert all("SYNTETISKE DEMODATA" in p.proto.spec for p in plots)  # also in the PNGs
    at.radio(key="track").set_value("kultur").run()
    assert at.title[0].value == "Kultur for alle"
    assert any("TS-KULT-VAE" in s.value for s in at.subheader)


@pytest.mark.slow
def test_scope_and_interval_method_change_what_is_shown(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "spor")
    before = first_metrics(at)["95\u00a0%-konfidensinterval"]
    at.selectbox(key="ci_method").set_value("wilson").run()
    wilson = first_metrics(at)["95\u00a0%-konfidensinterval"]
    intervals = read_output(demo_output / "intervals.csv").query(
        "indicator_id == 'MO-FYS' and year == 2024 and scope == 'national' and "
        "requested_method == 'wilson'").iloc[0]
    assert wilson == interval_text(intervals.ci_low, intervals.ci_high) != before
    at.selectbox(key="scope").set_value("Odense").run()
    ind = read_output(demo_output / "indicators.csv")
    odense = ind.query("indicator_id == 'MO-FYS' and year == 2024 and scope == 'Odense'")
    assert first_metrics(at)["Andel positive"] == \
        percent(odense.iloc[0].share)


def test_regions_page_puts_the_six_regions_side_by_side(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "regioner")
    assert at.title[0].value == "CB-regioner"
    shown = at.table[0].value
    assert list(shown["Område"]) == ["Hele landet", "CB Gentofte", "CB Roskilde", "CB Vejle",
                                     "CB Odense", "CB Herning", "CB Aalborg"]
    at.selectbox(key="region_indicator").set_value("TS-SAMMENH").run()
    assert set(at.table[0].value["Indikator"]) == {"TS-SAMMENH"}


def test_data_quality_page_shows_response_rates_exclusions_and_input_hashes(demo_output,
                                                                             monkeypatch):
    at = app(demo_output, monkeypatch, "datakvalitet")
    assert at.title[0].value == "Datakvalitet"
    tables = [d.value for d in at.table]
    quality = tables[0]
    assert {"Svarprocent", "Dubletter", "Udeladte rækker"} <= set(quality.columns)
    assert "Dublet" in " ".join(tables[1]["Hvorfor"])  # 2024 has a duplicate in the demo
    files = tables[2]
    assert any(str(f).endswith("besvarelser_2024.xlsx") for f in files["Fil"])
    assert files["SHA-256"].str.fullmatch("[0-9a-f]{64}").all()


def test_download_buttons_offer_every_table_as_csv_and_excel(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Hent CSV") == labels.count("Hent Excel") == len(at.table)


def test_missing_output_gives_a_readable_page_with_the_command(tmp_path, monkeypatch):
    at = app(tmp_path / "nothing", monkeypatch)
    assert "ikke kørt" in at.error[0].value
    assert "python -m pipeline run" in at.code[0].value


@pytest.mark.slow
def test_stale_or_tampered_output_is_refused(tmp_path, monkeypatch):
    surveys = copy_demo(tmp_path)
    out = tmp_path / "out"
    assert run_pipeline(surveys, out).exit_code == 0
    (surveys / "judgements.csv").write_text(
        (surveys / "judgements.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    at = app(out, monkeypatch)
    assert "forældede" in at.error[0].value and "judgements.csv (ændret)" in at.error[0].value
    shutil.copy(out / "goals.csv", tmp_path / "goals.bak")
    (out / "goals.csv").write_text("level\n", encoding="utf-8")
    at = app(out, monkeypatch)
    assert "passer ikke med manifest.json" in at.error[0].value
