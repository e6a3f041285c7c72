"""The dashboard's pages, driven headless with Streamlit's AppTest: each page's logic, the
views in the URL, the sources beside the figures, stale and tampered outputs."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from helpers import REPO, copy_demo, run_pipeline
from lxml import html as lxml_html
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from dashboard_pages.ui import downloadable
from pipeline.formatting import percent, points
from pipeline.outputs.read import load_outputs, read_output
from pipeline.present.downloads import csv_bytes
from pipeline.present.method import method_sections
from pipeline.present.tables import indicator_table, with_method_columns
from pipeline.present.words import goal_cell, goal_verdict, interval_text, run_time_text
from pipeline.reference import BOUNDARIES_ATTRIBUTION

GOLDEN = Path(__file__).parent / "golden"
PAGES = {"spor": "dashboard_pages/spor.py", "regioner": "dashboard_pages/regioner.py",
         "datakvalitet": "dashboard_pages/datakvalitet.py",
         "metode": "dashboard_pages/metode.py", "rapport": "dashboard_pages/rapport.py"}


def app(out_dir: Path, monkeypatch, page: str | None = None, **params: str) -> AppTest:
    """The dashboard on `out_dir`, opened at `page` with these query parameters (as a
    link would open it)."""
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out_dir))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    if page is None:
        at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(PAGES[page])
        at.query_params.update(params)
        at.run()
    assert not at.exception, at.exception
    return at


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table the page shows (semantic HTML tables), as text frames."""
    found = []
    for m in at.markdown:
        if 'class="mo-table"' not in m.value:
            continue
        root = lxml_html.fromstring(m.value)
        head = [th.text_content() for th in root.xpath("//thead//th")]
        body = [[c.text_content() for c in tr.xpath("./th|./td")]
                for tr in root.xpath("//tbody/tr")]
        found.append(pd.DataFrame(body, columns=head))
    return found


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader",
                                  "warning", "error", "info") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def golden_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden_dash")
    assert run_pipeline(GOLDEN / "surveys", out).exit_code == 0
    return out


@pytest.fixture(scope="module")
def indicators(demo_output) -> pd.DataFrame:
    return read_output(demo_output / "indicators.csv")


def test_overview_shows_the_binding_verdict_of_every_goal_and_year(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch)
    assert at.title[0].value == "Målopfyldelse"
    assert "SYNTETISKE DEMODATA" in at.warning[0].value
    matrix = html_tables(at)[0]
    goals = read_output(demo_output / "goal_certainty.csv").query(
        "level == 'resultatmaal' and requested_method == 'auto'")
    reference = load_outputs(demo_output).reference
    for goal in goals.itertuples():
        name = reference.resultatmaal_name(goal.maal_id)
        row = matrix[matrix["Resultatmål"].str.startswith(f"{name}:")].iloc[0]
        assert row[str(goal.year)] == goal_cell(goal.attained, goal.uncertain)
    marked = sum("(usikkert)" in v for year in goals["year"].unique() for v in matrix[str(year)])
    assert marked == int(goals["uncertain"].sum()) > 0


def test_the_matrix_marks_uncertain_goals_for_the_chosen_method(demo_output, monkeypatch):
    certainty = read_output(demo_output / "goal_certainty.csv").query("level == 'resultatmaal'")
    by = certainty.pivot_table(index=["maal_id", "year"], columns="requested_method",
                               values="uncertain", aggfunc="first")
    differ = by[by["auto"] != by["wilson"]].reset_index().iloc[0]
    for method in ("auto", "wilson"):
        matrix = html_tables(app(demo_output, monkeypatch, metode=method))[0]
        name = load_outputs(demo_output).reference.resultatmaal_name(differ.maal_id)
        cell = matrix.set_index(matrix["Resultatmål"].str.split(":").str[0]).at[
            name, str(differ.year)]
        assert ("(usikkert)" in cell) == bool(differ[method])


@pytest.mark.slow
def test_overview_verdicts_for_the_hand_checked_fixture(golden_output, monkeypatch):
    at = app(golden_output, monkeypatch)
    by_goal = html_tables(at)[0].set_index("Resultatmål")
    rows = {r.split(":")[0]: r for r in by_goal.index}
    assert by_goal.loc[rows["Resultatmål 1"], "2023"].startswith("✘ Ikke opfyldt")
    assert by_goal.loc[rows["Resultatmål 3"], "2023"] == "⚠ Ufuldstændig"
    assert "SYNTETISKE" not in texts(at)  # the fixture is not demo data


@pytest.mark.slow
def test_a_missing_indicator_is_named_with_its_reason_whole(golden_output, monkeypatch):
    """goals.csv lists 'MO-DIG (why; more)': the reason's own semicolon does not split it."""
    at = app(golden_output, monkeypatch, maal="RM1", aar="2023")
    listed = next(m.value for m in at.markdown if m.value.startswith("- *Mangler data:*"))
    label = load_outputs(golden_output).reference.indicators.set_index(
        "indicator_id").at["MO-DIG", "label"]
    assert listed == (f"- *Mangler data:* {label} (Ingen andel at sammenligne med; "
                      "Spørgsmålet 'tilfreds_digital' er ikke med i kodebogen for 2023)")


def test_a_goal_shows_its_operational_goals_between_it_and_its_indicators(demo_output,
                                                                          monkeypatch):
    at = app(demo_output, monkeypatch, maal="RM5", aar="2022")
    assert at.header[0].value == "Resultatmål 5 i 2022"  # Bilag 3's goals have no codes
    maal = read_output(REPO / "pipeline" / "reference" / "maal.csv")
    operational = maal[(maal["resultatmaal_id"] == "RM5")
                       & (maal["level"] == "operationelt_maal")]
    assert [s.value for s in at.subheader] == [f"Operationelt mål: {short}"
                                               for short in operational["short_label"]]
    goals = read_output(demo_output / "goals.csv").set_index(["maal_id", "year"])
    verdict = goal_verdict(goals.at[("OM5.1", 2022), "attained"])
    assert f"**{verdict}** · {operational.iloc[0]['label']}" in texts(at)
    tables = html_tables(at)[1:]
    assert set(tables[0]["Indikator"]) == {"TS-LAES-STY", "TS-KULT-STY", "TS-DIGI-STY"}
    assert set(tables[2]["Indikator"]) == {"TS-SAMMENH"}


def test_the_uncertain_list_follows_the_chosen_interval_method(demo_output, monkeypatch):
    """One certainty source per view: the list above the tables and the tables agree."""
    intervals = read_output(demo_output / "intervals.csv")
    ind = read_output(demo_output / "indicators.csv").query("scope == 'national'")
    ind = ind[ind["kind"].isin(["survey_share", "participant_share"])]
    labels = load_outputs(demo_output).reference.indicators.set_index("indicator_id")["label"]
    checked = 0
    for method in ("wilson", "clopper-pearson"):
        alt = intervals.query("scope == 'national' and requested_method == @method")
        differs = alt.merge(ind, on=["indicator_id", "year"], suffixes=("", "_run"))
        differs = differs[(differs["certainty"] != differs["certainty_run"])
                          & differs["attained"].isin(["yes", "no"])]
        for row in differs.head(2).itertuples():
            at = app(demo_output, monkeypatch, maal=row.resultatmaal_id, aar=str(row.year),
                     metode=method)
            listed = next((m.value for m in at.markdown if "*Usikre" in m.value), "")
            shown = pd.concat(html_tables(at)[1:])
            uncertain = set(shown.loc[shown["Vurdering"].str.contains("usikkert"), "Indikator"])
            named = labels.get  # the list names indicators as Bilag 3 does
            assert (named(row.indicator_id) in listed) == (row.certainty == "straddles")
            assert all(named(i) in listed for i in uncertain)
            assert (row.indicator_id in uncertain) == (row.certainty == "straddles")
            checked += 1
    assert checked >= 2


def test_choices_live_in_the_url(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, aar="2022", maal="RM4")
    assert at.selectbox(key="aar").value == 2022 and at.selectbox(key="maal").value == "RM4"
    at.selectbox(key="aar").set_value(2023).run()
    assert at.query_params["aar"] == "2023"
    at.selectbox(key="metode").set_value("wilson").run()
    assert at.query_params["metode"] == "wilson" and at.header[0].value == "Resultatmål 4 i 2023"
    assert app(demo_output, monkeypatch, aar="1999").selectbox(key="aar").value == 2024


def test_sidebar_has_a_danish_date_and_no_server_path(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch)
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    manifest = load_outputs(demo_output).manifest
    assert run_time_text(manifest["created_utc"]) in sidebar
    assert str(demo_output) not in sidebar and manifest["created_utc"][:10] not in sidebar
    links = [link.proto.label for link in at.sidebar.get("page_link")]
    assert links[:6] == ["Målopfyldelse", "Spor og indikatorer", "CB-regioner",
                         "Datakvalitet", "Metode og kilder", "Rapport"]


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_a_fall_is_shown_falling_and_no_change_grey(demo_output, monkeypatch, indicators):
    national = indicators.query("scope == 'national' and kind == 'survey_share'")
    fall = national[national["change"] < -0.015].iloc[0]
    at = app(demo_output, monkeypatch, "spor", aar=str(fall.year), spor=fall.track,
             indikator=fall.indicator_id)
    shown = metric(at, "Andel positive")
    assert shown.value == percent(fall.share) and shown.delta == points(fall.change)
    assert shown.proto.direction == MetricProto.MetricDirection.DOWN
    assert shown.proto.color == MetricProto.MetricColor.RED
    rise = national[national["change"] > 0.015].iloc[0]
    at = app(demo_output, monkeypatch, "spor", aar=str(rise.year), spor=rise.track,
             indikator=rise.indicator_id)
    assert metric(at, "Andel positive").proto.direction == MetricProto.MetricDirection.UP
    assert metric(at, "Andel positive").proto.color == MetricProto.MetricColor.GREEN
    still = indicators[indicators["change"].abs() < 0.005].iloc[0]
    at = app(demo_output, monkeypatch, "spor", aar=str(still.year), spor=still.track,
             indikator=still.indicator_id, omraade=still.scope.lower())
    flat = metric(at, "Andel positive")
    assert flat.delta == "0 procentpoint"  # never ±0
    assert flat.proto.direction == MetricProto.MetricDirection.NONE
    assert flat.proto.color == MetricProto.MetricColor.GRAY


def test_track_page_reads_an_indicator_against_its_target_with_its_sources(
        demo_output, monkeypatch, indicators):
    at = app(demo_output, monkeypatch, "spor")
    assert at.title[0].value == "Spor og indikatorer" and at.header[0].value == \
        "Materialeoverbygning"
    fys = indicators.query("indicator_id == 'MO-FYS' and year == 2024 and scope == 'national'")
    fys = fys.iloc[0]
    assert metric(at, "95\u00a0%-konfidensinterval").value == interval_text(
        fys.ci_low, fys.ci_high, fys.target)
    assert metric(at, "Mål 2024").value == percent(fys.target)
    overview = html_tables(at)[0]
    assert list(overview["Indikator"]) == ["MO-FYS", "MO-DIG", "MO-LIC-BRUG", "MO-LIC-FORM",
                                           "MO-IUL", "MO-TYD", "MO-SAM"]
    assert [t.label for t in at.tabs] == ["Tal", "Udvikling", "Svarfordeling"]
    assert not at.get("plotly_chart")  # a chart is drawn when its tab is opened
    years = html_tables(at)[1]
    assert list(years["År"]) == ["2021", "2022", "2023", "2024"]
    sources = read_output(demo_output / "sources.csv").set_index(["indicator_id", "year"])
    captions = " ".join(c.value for c in at.caption)
    assert f"Spørgsmål i 2024: »{sources.at[('MO-FYS', 2024), 'question_text']}«" in captions
    assert sources.at[("MO-FYS", 2024), "bilag3_text"] in captions
    assert "n = " in captions and "hypergeometrisk" in captions
    for view, alt in (("Udvikling", "Diagrammet viser andelen positive for MO-FYS"),
                      ("Svarfordeling", "Diagrammet viser svarfordelingen for MO-FYS")):
        at = app(demo_output, monkeypatch, "spor", visning=view)
        plots = at.get("plotly_chart")
        assert len(plots) == 1 and "SYNTETISKE DEMODATA" in plots[0].proto.spec
        assert alt in " ".join(c.value for c in at.caption)  # the text alternative


def test_changing_track_picks_its_first_indicator_and_national_figures_name_their_source(
        demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "spor", indikator="MO-IUL")
    assert metric(at, "Tal i alt").value.replace(".", "").isdigit()
    assert "Tallet stammer fra: Syntetisk demotal" in " ".join(c.value for c in at.caption)
    at.selectbox(key="spor").set_value("kultur").run()
    assert at.header[0].value == "Kultur for alle"
    assert at.selectbox(key="indikator").value == "TS-KULT-REL"
    assert "indikator" not in at.query_params


def test_regional_verdicts_are_for_orientation_on_every_page(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "spor", omraade="odense", aar="2024")
    assert at.selectbox(key="omraade").value == "Odense"
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges and all("(til orientering)" in b for b in badges
                          if "Opfyldt" in b or "Ikke opfyldt" in b)
    assert at.selectbox(key="metode").value == "auto"


def test_regions_page_opens_from_a_link_with_map_table_and_who_answered(demo_output,
                                                                         monkeypatch):
    at = app(demo_output, monkeypatch, "regioner", aar="2022", indikator="MO-DIG")
    assert at.title[0].value == "CB-regioner"
    assert at.subheader[0].value.endswith("(MO-DIG), 2022")
    shown = html_tables(at)[0]
    assert list(shown["Område"]) == ["Hele landet", "CB Gentofte", "CB Roskilde", "CB Vejle",
                                     "CB Odense", "CB Herning", "CB Aalborg"]
    assert {"Mål", "Vurdering", "n", "95\u00a0%-KI"} <= set(shown.columns)
    assert not {"Beskrivelse", "Tal", "Indikator"} & set(shown.columns)
    regional = shown["Vurdering"][1:]
    assert all(v.endswith("(til orientering)") for v in regional if v.startswith(("Opf", "Ikk")))
    assert not shown["Vurdering"][0].endswith("(til orientering)")
    plots = [p.proto.spec for p in at.get("plotly_chart")]
    assert len(plots) == 3 and sum(BOUNDARIES_ATTRIBUTION in p for p in plots) == 2
    kinds = {t["type"] for p in plots for t in json.loads(p)["data"]}
    assert kinds == {"scatter"}  # filled polygons, no geo map fetching a base map
    captions = " ".join(c.value for c in at.caption)
    assert BOUNDARIES_ATTRIBUTION in captions
    answered = read_output(demo_output / "municipalities.csv").query("year == 2022")
    missing = answered.loc[~answered["answered"], "kommune"]
    assert all(name in captions for name in missing)  # the map's text alternative


def test_data_quality_page_shows_response_rates_exclusions_and_input_hashes(demo_output,
                                                                             monkeypatch):
    at = app(demo_output, monkeypatch, "datakvalitet")
    assert at.title[0].value == "Datakvalitet"
    quality, excluded, files = html_tables(at)
    assert {"Svarprocent", "Dubletter", "Udeladte rækker"} <= set(quality.columns)
    assert "Dublet" in " ".join(excluded["Hvorfor"])  # 2024 has a duplicate in the demo
    assert any(str(f).endswith("besvarelser_2024.xlsx") for f in files["Fil"])
    assert files["SHA-256"].str.fullmatch("[0-9a-f]{64}").all()
    assert "Diagrammet viser svarprocenten" in " ".join(c.value for c in at.caption)


def test_method_page_is_the_reports_method_text_in_plain_danish(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "metode")
    sections = method_sections(load_outputs(demo_output).manifest)
    assert [s.value for s in at.subheader][:len(sections)] == [h for h, _ in sections]
    body = texts(at)
    assert all(paragraph in body for _, paragraph in sections)
    assert BOUNDARIES_ATTRIBUTION in body and "README" not in body


def test_every_table_offers_csv_and_excel(demo_output, monkeypatch):
    at = app(demo_output, monkeypatch, "datakvalitet")
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Hent CSV") == labels.count("Hent Excel") == len(html_tables(at))


def test_downloads_open_in_danish_excel_with_numbers_method_level_and_flag(demo_output,
                                                                          indicators):
    outputs = load_outputs(demo_output)
    rows = indicators.query("indicator_id in ['MO-FYS', 'MO-IUL'] and year == 2024 and "
                            "scope == 'national'")
    data = downloadable(with_method_columns(indicator_table(rows, outputs.reference), rows),
                        outputs)
    raw = csv_bytes(data)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    fys, iul = table
    assert fys["Andel positive"] == f"{round(rows.iloc[0]['share'], 6)}".replace(".", ",")
    assert fys["Gyldige svar (n)"].isdigit() and "," not in fys["Gyldige svar (n)"]
    assert fys["Mål"] == "0,9" and iul["Mål"] == "725000"  # targets as numbers
    assert fys["Intervalmetode"].startswith("eksakt hypergeometrisk")
    assert fys["Konfidensniveau"] == "0,95" and fys["Syntetiske demodata"] == "Ja"
    assert "Intervalmetode" not in data.shown().columns  # downloads only


def test_missing_output_gives_a_readable_page_with_the_command(tmp_path, monkeypatch):
    at = app(tmp_path / "nothing", monkeypatch)
    assert "ikke kørt" in at.error[0].value
    assert "python -m pipeline run" in at.code[0].value
    assert f"--out {tmp_path / 'nothing'}" in at.code[0].value


@pytest.mark.slow
def test_stale_outputs_stay_shown_with_a_dated_banner_and_tampered_ones_are_refused(
        tmp_path, monkeypatch):
    surveys = copy_demo(tmp_path)
    out = tmp_path / "out"
    assert run_pipeline(surveys, out).exit_code == 0
    (surveys / "judgements.csv").write_text(
        (surveys / "judgements.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    at = app(out, monkeypatch)
    when = run_time_text(load_outputs(out).manifest["created_utc"])
    banner = next(w.value for w in at.warning if "nye inputfiler venter" in w.value)
    assert f"Tallene er fra kørslen den {when}; nye inputfiler venter" in banner
    assert "judgements.csv (ændret)" in banner
    command = at.code[0].value
    assert f"--surveys {surveys}" in command and "--targets " in command
    assert f"--out {out}" in command
    assert html_tables(at)  # the last verified figures are still shown
    shutil.copy(out / "goals.csv", tmp_path / "goals.bak")
    (out / "goals.csv").write_text("level\n", encoding="utf-8")
    at = app(out, monkeypatch)
    assert "passer ikke med manifest.json" in at.error[0].value
    assert not html_tables(at)


def test_the_report_page_waits_for_a_refresh_when_inputs_changed(tmp_path, monkeypatch):
    surveys = copy_demo(tmp_path)
    out = tmp_path / "out"
    assert run_pipeline(surveys, out).exit_code == 0
    at = app(out, monkeypatch, "rapport")
    assert not any(b.proto.disabled for b in at.get("download_button"))
    (surveys / "judgements.csv").write_text(
        (surveys / "judgements.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    st.cache_data.clear()  # the dashboard looks again within 10 s; the test at once
    at = app(out, monkeypatch, "rapport")
    assert all(b.proto.disabled for b in at.get("download_button"))
