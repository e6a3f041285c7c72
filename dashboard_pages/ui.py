"""Building blocks shared by the dashboard's pages: loading the outputs (or a readable
error page, or the last verified set with a banner when new inputs wait), the controls
that live in the URL, the sidebar, and tables and charts with their text alternatives,
sources and downloads. Layout only: the figures come from the pipeline's outputs, the
words and tables from `pipeline.present`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
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
    refresh_command,
    stale_inputs,
)
from pipeline.outputs.write import SYNTHETIC_NOTICE
from pipeline.present import charts
from pipeline.present.columns import TEXT
from pipeline.present.downloads import csv_bytes, xlsx_bytes
from pipeline.present.tables import Table
from pipeline.present.words import (
    CI_METHOD_CHOICES,
    change_direction,
    run_time_text,
    verdict_badge_colour,
)

APP_TITLE = "Målopfyldelse for centralbibliotekerne"
CHART_CONFIG = {"displaylogo": False, "locale": "da",
                "toImageButtonOptions": {"format": "png", "scale": 2}}
PAGE_FILES = {
    "maalopfyldelse": "dashboard_pages/maalopfyldelse.py",
    "spor": "dashboard_pages/spor.py",
    "regioner": "dashboard_pages/regioner.py",
    "datakvalitet": "dashboard_pages/datakvalitet.py",
    "metode": "dashboard_pages/metode.py",
    "rapport": "dashboard_pages/rapport.py",
    "opdater": "dashboard_pages/opdater_data.py",
}
SHARED_PARAMS = ("aar", "metode")
"""Query parameters every page shares: the sidebar's links carry them to the next page."""
STYLE_FILE = Path(__file__).with_name("page.html")
"""The page's CSS (phone, print, contrast) and script (lang="da", Danish texts)."""


# --- outputs -------------------------------------------------------------------------


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
    """The current outputs if they are complete and verified (every hash matches the
    manifest), else an error page. Outputs whose inputs changed since the run are still
    shown: `stale_banner` says so, with the command that refreshes them."""
    out_dir = default_out_dir()
    try:
        return _load(fingerprint(out_dir))
    except OutputUnavailable as problem:
        error_page(OutputUnavailable(problem.message, refresh_command(None, out_dir)))
    raise AssertionError("unreachable")  # error_page stops the script


def try_outputs() -> Outputs | None:
    """The outputs, or None when they cannot be shown (the page then says why)."""
    try:
        return _load(fingerprint(default_out_dir()))
    except OutputUnavailable:
        return None


def pending_inputs(outputs: Outputs) -> list[str]:
    """Input files added, changed or removed since the run that made the outputs."""
    return _stale(fingerprint(outputs.out_dir))


def stale_banner(outputs: Outputs) -> None:
    """The figures shown are the last complete, verified run; new input files wait."""
    changed = pending_inputs(outputs)
    if not changed:
        return
    when = run_time_text(outputs.manifest.get("created_utc"))
    shown = "; ".join(changed[:6]) + (f" og {len(changed) - 6} flere" if len(changed) > 6
                                      else "")
    st.warning(f"**Tallene er fra kørslen den {when}; nye inputfiler venter** ({shown}). "
               "Siden viser det seneste fuldstændige og kontrollerede sæt tal, indtil "
               "pipelinen køres igen. Kør i projektmappen:", icon=":material/update:")
    st.code(refresh_command(outputs.manifest, outputs.out_dir), language="bash")


# --- the URL ---------------------------------------------------------------------------


def control(where, label: str, options: Sequence, key: str,
            format_func: Callable = str, help: str | None = None,
            lower: bool = False, resets: Sequence[str] = ()) -> object:
    """A select box whose value lives in the URL (`?key=value`), so a view is a link:
    opening the link, the back and forward buttons and the sidebar's links all give the
    same view. The URL wins when the page starts (it is updated the moment a choice is
    made); an unknown value in the URL falls back to the first option. A change clears
    the choices in `resets` (which depend on this one)."""
    options = list(options)

    def _to_url(value: object) -> str:
        return str(value).lower() if lower else str(value)

    by_url = {str(o).lower(): o for o in options}
    wanted = st.query_params.get(key)
    if wanted is not None and wanted.lower() in by_url:
        st.session_state[key] = by_url[wanted.lower()]
    elif st.session_state.get(key) not in options:
        st.session_state[key] = options[0]

    def remember() -> None:
        for other in resets:
            st.session_state.pop(other, None)
            if other in st.query_params:
                del st.query_params[other]
        st.query_params[key] = _to_url(st.session_state[key])

    return where.selectbox(label, options, key=key, format_func=format_func, help=help,
                           on_change=remember)


def year_control(where, outputs: Outputs) -> int:
    return control(where, "År", outputs.years[::-1], "aar")


def method_control(where) -> str:
    return control(
        where, "Konfidensinterval", list(CI_METHOD_CHOICES), "metode",
        format_func=CI_METHOD_CHOICES.get,
        help="Automatisk: eksakt hypergeometrisk interval blandt de kommuner, der kan have "
             "et gyldigt svar, i hele landet og i hver CB-region (en lille, kendt population), "
             "også for indikatorerne om deltagelse. Se siden Metode og kilder.")


def shared_params() -> dict[str, str]:
    """The year and interval method in the URL, for links to other pages."""
    return {k: st.query_params[k] for k in SHARED_PARAMS if k in st.query_params}


def page_link(page: str, label: str, **params: str) -> None:
    """A link to another page keeping the year and method, plus `params`."""
    st.page_link(PAGE_FILES[page], label=label,
                 query_params={**shared_params(), **params})


# --- the page frame --------------------------------------------------------------------


def start_page(title: str, outputs: Outputs | None) -> None:
    """The browser title, the page title, and the banners every page has."""
    st.set_page_config(page_title=f"{title} – {APP_TITLE}")
    st.title(title)
    if outputs is None:
        return
    if outputs.synthetic:
        st.warning(f"**{SYNTHETIC_NOTICE}**", icon=":material/warning:")
    stale_banner(outputs)
    print_note(outputs)


def print_note(outputs: Outputs) -> None:
    """Shown only on paper: where the printout comes from, when and its link (the
    script in page.html fills in the address)."""
    when = run_time_text(outputs.manifest.get("created_utc"))
    st.markdown(
        f'<div class="mo-print-only">{html.escape(APP_TITLE)} · tallene er fra kørslen den '
        f'{html.escape(when)} · kilde: centralbibliotekernes spørgeskemaundersøgelse, '
        'nationale tal og Bilag 3 til rammeaftalen · '
        '<span class="mo-print-url"></span></div>', unsafe_allow_html=True)


def page_assets() -> None:
    """CSS and the small script of page.html, once per run (lang="da", Danish texts of
    Streamlit's own controls, phone and print layout, contrast)."""
    st.html(STYLE_FILE.read_text(encoding="utf-8"), unsafe_allow_javascript=True)


def sidebar(outputs: Outputs | None, pages: Sequence[tuple[str, str, str]]) -> None:
    """The page links (keeping year and method) and when the figures were computed."""
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        for page, label, icon in pages:
            st.page_link(PAGE_FILES[page], label=label, icon=icon,
                         query_params=shared_params())
        if outputs is not None:
            params = outputs.manifest.get("parameters", {})
            st.caption(f"Tallene er beregnet {run_time_text(outputs.manifest.get('created_utc'))}"
                       f" med version {outputs.manifest.get('version', '–')}; "
                       f"{percent(params.get('confidence', 0.95))}-konfidensintervaller.")


# --- tables and charts -------------------------------------------------------------------


NUMERIC_CLASSES = {"share", "points", "count", "integer", "change_pct"}


def html_table(data: Table, caption: str = "", cell_class: Callable | None = None,
               phone_hidden: Sequence[str] = ()) -> str:
    """A plain, semantic HTML table (caption, header cells with scope, numbers right-
    aligned and never broken): it prints whole, reads on a phone (columns in
    `phone_hidden` give way there) and is read by screen readers as a table."""
    shown = data.shown()
    hidden = set(phone_hidden)
    head = "".join(
        f'<th scope="col" class="{"mo-phone-hide" if h in hidden else ""}">'
        f"{html.escape(str(h))}</th>" for h in shown.columns)
    rows = []
    for i, row in enumerate(shown.itertuples(index=False)):
        cells = []
        for j, (heading, value) in enumerate(zip(shown.columns, row, strict=True)):
            kind = data.cell_kinds(heading)[i]
            classes = ["mo-num" if kind in NUMERIC_CLASSES else ""]
            if heading in hidden:
                classes.append("mo-phone-hide")
            if cell_class:
                classes.append(cell_class(heading, value) or "")
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) \
                else html.escape(str(value))
            tag = "th" if j == 0 else "td"
            scope = ' scope="row"' if j == 0 else ""
            cells.append(f'<{tag}{scope} class="{" ".join(c for c in classes if c)}">'
                         f"{text}</{tag}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    label = html.escape(caption or "Tabel", quote=True)
    # A region that may scroll sideways on a narrow screen is reachable by keyboard.
    return (f'<div class="mo-table-wrap" tabindex="0" role="region" aria-label="{label}">'
            f'<table class="mo-table">{cap}<thead><tr>{head}'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def downloadable(data: Table, outputs: Outputs) -> Table:
    """The table as downloaded: what is shown, plus the synthetic-data flag."""
    if "Syntetiske demodata" in data.frame.columns:
        return data
    return data.add("Syntetiske demodata", ["Ja" if outputs.synthetic else "Nej"] * len(data),
                    TEXT, hidden=True)


def table(data: Table, name: str, outputs: Outputs, caption: str = "",
          cell_class: Callable | None = None, phone_hidden: Sequence[str] = (),
          downloads: bool = True) -> None:
    """Show a table (Danish number format) with CSV and Excel downloads of exactly its
    figures (as numbers), the synthetic-data flag, and any hidden columns (method,
    confidence level)."""
    st.markdown(html_table(data, caption, cell_class, phone_hidden), unsafe_allow_html=True)
    if downloads:
        download_buttons(data, name, outputs)


def download_buttons(data: Table, name: str, outputs: Outputs) -> None:
    """CSV (for a Danish Excel) and Excel files of a table's figures."""
    data = downloadable(data, outputs)
    note = SYNTHETIC_NOTICE if outputs.synthetic else ""
    left, right, _ = st.columns([1, 1, 1.5])
    left.download_button("Hent CSV", lambda: csv_bytes(data), file_name=f"{name}.csv",
                         mime="text/csv", key=f"csv-{name}", on_click="ignore",
                         icon=":material/download:")
    right.download_button(
        "Hent Excel", lambda: xlsx_bytes(data, sheet=name[:31], note=note),
        file_name=f"{name}.xlsx", key=f"xlsx-{name}", on_click="ignore",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def chart(fig, name: str, outputs: Outputs, alt: str) -> None:
    """A chart with its text alternative (`alt`: what it shows, in words and figures)
    right under it and its PNG download in the chart's toolbar (the camera icon); charts
    of synthetic data carry the notice inside the picture."""
    if outputs.synthetic:
        fig = charts.mark_synthetic(fig)
    config = {**CHART_CONFIG, "toImageButtonOptions": {
        **CHART_CONFIG["toImageButtonOptions"], "filename": name}}
    st.plotly_chart(fig, config=config, key=f"chart-{name}")
    st.caption(alt)


def with_method(rows: pd.DataFrame, outputs: Outputs, method: str) -> pd.DataFrame:
    """Swap in the intervals (level and change) and the certainty the pipeline computed
    for the chosen method, so every figure and message on the page rests on it."""
    if method == outputs.manifest["parameters"]["ci_method"]:
        return rows
    swapped = ["ci_method", "ci_low", "ci_high", "certainty", "change_ci_low",
               "change_ci_high"]
    alt = outputs.intervals[outputs.intervals["requested_method"] == method]
    alt = alt[["indicator_id", "year", "scope", *swapped]]
    keep = rows.drop(columns=swapped)
    merged = keep.merge(alt, on=["indicator_id", "year", "scope"], how="left")
    merged["certainty"] = merged["certainty"].fillna("")
    return merged[rows.columns]


def verdict_badge(column, text: str, attained: str, certainty: str) -> None:
    """The verdict in words on a coloured badge (the words carry it; colour only helps)."""
    column.markdown("Vurdering")
    column.badge(text, color=verdict_badge_colour(attained, certainty))


DELTA_COLOURS = {"up": "green", "down": "red", "none": "gray"}


def change_metric(column, label: str, value: str, change: object, change_text: str,
                  description: str = "", decimals: int = 0) -> None:
    """A figure with its change from last year: the arrow and colour follow the change
    as it is shown (a rounded ±0 is grey with no arrow), the text keeps the Danish minus."""
    direction = change_direction(change, decimals)
    column.metric(label, value, delta=change_text if change_text != "–" else None,
                  delta_color=DELTA_COLOURS[direction],
                  delta_arrow="off" if direction == "none" else direction,
                  delta_description=description or None)
