"""Building blocks shared by the dashboard's pages: loading the outputs (or showing a
readable error page), the sidebar controls, the demo banner, and tables and charts with
their downloads. Layout only: the figures come from the pipeline's outputs, the words
and tables from `pipeline.present`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from pipeline.formatting import percent
from pipeline.outputs.read import (
    Outputs,
    OutputUnavailable,
    default_out_dir,
    fingerprint,
    load_outputs,
    stale_inputs,
)
from pipeline.outputs.write import SYNTHETIC_NOTICE
from pipeline.present import charts
from pipeline.present.downloads import csv_bytes, xlsx_bytes
from pipeline.present.tables import Table
from pipeline.present.words import indicator_verdict, verdict_badge_colour

CI_METHOD_LABELS = {"auto": "Automatisk (anbefalet)", "hypergeometric": "Hypergeometrisk (eksakt)",
                    "wilson": "Wilson", "clopper-pearson": "Clopper-Pearson"}
CHART_CONFIG = {"displaylogo": False, "locale": "da",
                "toImageButtonOptions": {"format": "png", "scale": 2}}


@st.cache_data(show_spinner="Indlæser resultaterne ...")
def _load(key: tuple) -> Outputs:
    return load_outputs(Path(key[0]))


@st.cache_data(show_spinner=False, ttl=10)
def _stale(key: tuple) -> list[str]:
    return stale_inputs(_load(key).manifest)


def error_page(problem: OutputUnavailable) -> None:
    """What a user sees instead of a traceback: why, and the one command that fixes it."""
    st.title("Målopfyldelse")
    st.error(f"**Resultaterne kan ikke vises.** {problem.message}")
    st.markdown("Kør pipelinen i projektmappen, og genindlæs så siden:")
    st.code(problem.command, language="bash")
    st.stop()


def get_outputs() -> Outputs:
    """The current outputs, or an error page if they are missing, incomplete or stale."""
    out_dir = default_out_dir()
    try:
        outputs = _load(fingerprint(out_dir))
    except OutputUnavailable as problem:
        error_page(problem)
    changed = _stale(fingerprint(out_dir))
    if changed:
        error_page(OutputUnavailable(
            "Inputtet er ændret, siden resultaterne blev beregnet, så tallene er forældede: "
            + "; ".join(changed[:8]) + (" ..." if len(changed) > 8 else "") + "."))
    return outputs


def page_start(outputs: Outputs) -> tuple[int, str]:
    """Sidebar controls shared by every page (year, interval method) and the demo banner."""
    st.sidebar.header("Valg")
    years = outputs.years[::-1]
    if st.session_state.get("year") not in years:
        st.session_state["year"] = years[0]
    year = st.sidebar.selectbox("År", years, key="year")
    method = st.sidebar.selectbox(
        "Konfidensinterval", list(CI_METHOD_LABELS), format_func=CI_METHOD_LABELS.get,
        key="ci_method",
        help="Automatisk: eksakt hypergeometrisk interval blandt de kommuner, der kan have "
             "et gyldigt svar, i hele landet og i hver CB-region (en lille, kendt population), "
             "også for indikatorerne om deltagelse. Se metodeafsnittet i README.")
    level = percent(outputs.manifest["parameters"]["confidence"])
    st.sidebar.caption(f"{level}-konfidensintervaller. Data: {outputs.out_dir}/, beregnet "
                       f"{outputs.manifest.get('created_utc', '?')} (UTC).")
    if outputs.synthetic:
        st.warning(f"**{SYNTHETIC_NOTICE}**", icon=":material/warning:")
    return year, method


def chart(fig, name: str) -> None:
    """A chart with its PNG download in the chart's toolbar (the camera icon); charts of
    synthetic data carry the notice inside the picture."""
    if get_outputs().synthetic:
        fig = charts.mark_synthetic(fig)
    config = {**CHART_CONFIG, "toImageButtonOptions": {
        **CHART_CONFIG["toImageButtonOptions"], "filename": name}}
    st.plotly_chart(fig, config=config, key=f"chart-{name}")


STATIC_ROWS = 40
"""Tables up to this size are plain HTML (instant, printable, searchable); larger ones get
the interactive grid, which loads a heavy script in the browser."""


def table(data: Table, name: str, outputs: Outputs, styled=None,
          columns: list[str] | None = None) -> None:
    """Show a table (Danish number format) with CSV and Excel downloads of its figures;
    `columns` narrows what is shown, the downloads keep every column."""
    shown = styled if styled is not None else (data.only(columns) if columns else data).shown()
    if len(data) <= STATIC_ROWS:
        if styled is None:
            shown = shown.style
        st.table(shown.hide(axis="index"))
    else:
        st.dataframe(shown, hide_index=True)
    note = SYNTHETIC_NOTICE if outputs.synthetic else ""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button("Hent CSV", lambda: csv_bytes(data), file_name=f"{name}.csv",
                         mime="text/csv", key=f"csv-{name}", on_click="ignore",
                         icon=":material/download:")
    right.download_button(
        "Hent Excel", lambda: xlsx_bytes(data, sheet=name[:31], note=note),
        file_name=f"{name}.xlsx", key=f"xlsx-{name}", on_click="ignore",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def with_method(rows: pd.DataFrame, outputs: Outputs, method: str) -> pd.DataFrame:
    """Swap in the interval (and certainty) the pipeline computed for the chosen method."""
    if method == outputs.manifest["parameters"]["ci_method"]:
        return rows
    alt = outputs.intervals[outputs.intervals["requested_method"] == method]
    alt = alt[["indicator_id", "year", "scope", "ci_method", "ci_low", "ci_high", "certainty"]]
    keep = rows.drop(columns=["ci_method", "ci_low", "ci_high", "certainty"])
    merged = keep.merge(alt, on=["indicator_id", "year", "scope"], how="left")
    merged["certainty"] = merged["certainty"].fillna("")
    return merged


def verdict_badge(column, row: pd.Series) -> None:
    """The verdict in words on a coloured badge (the words carry it; colour only helps)."""
    column.markdown("Vurdering")
    column.badge(indicator_verdict(row["attained"], row["certainty"], row["na_reason"]),
                 color=verdict_badge_colour(row["attained"], row["certainty"]))
