"""End to end in a real browser: the dashboard served on localhost, loaded in headless
Chromium (Debian's package, installed by .ci/run): links that keep the view, back and
forward, the map with no internet, the stale-input banner, the upload warnings, and
axe-core's WCAG 2.1 AA check on every page.

Outside CI the tests skip when Chromium is missing; in CI (CI set) they must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from helpers import REPO, copy_demo, reworded_export, run_pipeline

from pipeline.outputs.read import read_manifest, refresh_command
from pipeline.reference import BOUNDARIES_ATTRIBUTION

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
PAGES = {"": "Målopfyldelse", "spor": "Spor og indikatorer", "regioner": "CB-regioner",
         "datakvalitet": "Datakvalitet", "metode": "Metode og kilder", "rapport": "Rapport",
         "opdater_data": "Opdater data"}
PASSWORD = "hemmelig-test"

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing in CI: .ci/run must install the chromium package.",
                    pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it.",
                allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(out_dir: Path, cwd: Path = REPO, password: str | None = None) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "MAALOPFYLDELSE_OUTPUT": str(out_dir)}
    env.pop("MAALOPFYLDELSE_ADMIN_PASSWORD", None)
    if password:
        env["MAALOPFYLDELSE_ADMIN_PASSWORD"] = password
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("The dashboard did not start: " + proc.stdout.read().decode()[-2000:])
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(demo_output) -> Iterator[str]:
    yield from serve(demo_output, password=PASSWORD)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, url: str, width: int = 1440):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    settle(page)
    return page


def settle(page) -> None:
    """Wait until Streamlit has finished running the script and drawing."""
    page.wait_for_timeout(400)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)
    page.wait_for_timeout(600)


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_overview_in_a_real_browser_in_danish(server, browser):
    page = open_page(browser, server)
    assert page.evaluate("document.documentElement.lang") == "da"
    assert page.title() == "Målopfyldelse – Målopfyldelse for centralbibliotekerne"
    body = page.inner_text("body")
    assert "SYNTETISKE DEMODATA" in body and "bindende" in body
    matrix = page.locator("table.mo-table").first.inner_text()
    assert "Resultatmål 1: Relevant, effektiv og tydelig materialeoverbygning" in matrix
    assert "Gå til hovedindholdet" in page.content()  # Streamlit's own skip link, in Danish
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_overview.png"), full_page=True)
    page.close()


def test_a_link_opens_its_view_and_each_page_has_its_own_title(server, browser):
    page = open_page(browser, f"{server}/regioner?aar=2022&indikator=MO-DIG")
    assert page.title() == "CB-regioner – Målopfyldelse for centralbibliotekerne"
    heading = page.locator("h3").first.inner_text()
    assert "(MO-DIG), 2022" in heading
    page.close()
    for path, title in PAGES.items():
        if path == "opdater_data":
            continue
        page = open_page(browser, f"{server}/{path}")
        assert page.title().startswith(f"{title} – "), path
        page.close()


def test_sidebar_links_keep_year_and_method(server, browser):
    page = open_page(browser, f"{server}/?aar=2022&metode=wilson")
    page.locator("[data-testid='stSidebar'] a", has_text="CB-regioner").click()
    page.get_by_text("Tilfredshed med den fysiske del af materialeoverbygningen (MO-FYS), 2022"
                     ).first.wait_for(timeout=30_000)
    settle(page)
    assert urlparse(page.url).path == "/regioner"
    assert params(page) == {"aar": "2022", "metode": "wilson"}
    assert "95\u00a0%-konfidensinterval: Wilsons interval" in page.inner_text("body")
    page.close()


def test_back_and_forward_move_between_views(server, browser):
    page = open_page(browser, f"{server}/?aar=2022")
    choose(page, "År", "2023")
    assert params(page)["aar"] == "2023"
    assert page.get_by_role("heading", name="Resultatmål 1 i 2023").count() == 1
    page.locator("[data-testid='stSidebar'] a", has_text="Spor og indikatorer").click()
    page.get_by_role("heading", name="Materialeoverbygning", exact=True).wait_for(
        timeout=30_000)
    settle(page)
    assert urlparse(page.url).path == "/spor" and params(page)["aar"] == "2023"
    page.go_back()
    page.get_by_role("heading", name="Resultatmål 1 i 2023").wait_for(timeout=30_000)
    settle(page)
    assert urlparse(page.url).path == "/"
    page.go_back()
    page.get_by_role("heading", name="Resultatmål 1 i 2022").wait_for(timeout=30_000)
    settle(page)
    assert params(page)["aar"] == "2022"
    page.go_forward()
    page.get_by_role("heading", name="Resultatmål 1 i 2023").wait_for(timeout=30_000)
    page.close()


def test_the_map_draws_with_no_internet(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    outside: list[str] = []

    def only_localhost(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)
    page.goto(f"{server}/regioner?aar=2024&indikator=MO-FYS")
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=60_000)
    settle(page)
    fills = page.locator(".js-plotly-plot").first.locator("path.js-fill")
    assert fills.count() >= 98  # every municipality is drawn
    assert BOUNDARIES_ATTRIBUTION in page.inner_text("body")
    assert outside == []  # nothing was asked of the internet
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_regions.png"), full_page=True)
    page.close()


def test_track_page_draws_a_chart_when_its_tab_is_opened(server, browser):
    page = open_page(browser, f"{server}/spor")
    body = page.inner_text("body")
    for text in ("Materialeoverbygning", "Andel positive", "95\u00a0%-konfidensinterval",
                 "Vurdering", "MO-FYS", "Spørgsmål i 2024"):
        assert text in body
    assert page.locator(".js-plotly-plot").count() == 0
    page.get_by_role("tab", name="Udvikling").click()
    page.locator(".js-plotly-plot g.trace").first.wait_for(timeout=30_000)
    settle(page)
    assert params(page)["visning"] == "Udvikling"  # the open tab is part of the link
    assert page.locator(".js-plotly-plot .modebar-btn[data-title*='png' i]").count() >= 1
    svg = page.locator(".js-plotly-plot").first.inner_html()
    assert "Mål (Bilag 3)" in svg and " %" in svg
    assert "Diagrammet viser andelen positive for MO-FYS" in page.inner_text("body")
    page.close()


@pytest.fixture(scope="module")
def stale_server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("stale")
    surveys = copy_demo(root)
    out = root / "output"
    assert run_pipeline(surveys, out).exit_code == 0
    (surveys / "judgements.csv").write_text(
        (surveys / "judgements.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for url in serve(out):
        yield url, out


def test_changed_inputs_show_the_last_figures_with_a_dated_banner(stale_server, browser):
    url, out = stale_server
    page = open_page(browser, url)
    body = page.inner_text("body")
    assert "nye inputfiler venter" in body and "Tallene er fra kørslen den" in body
    command = " ".join(page.locator("[data-testid='stCode'] code").first.inner_text().split())
    manifest = read_manifest(out)  # the run's own --surveys, --targets and --out
    assert refresh_command(manifest, out) in command, command
    assert f"--surveys {manifest['parameters']['surveys']}" in command
    assert page.locator("table.mo-table").count() >= 2  # the figures are still there
    page.close()


def test_an_upload_warns_before_publishing(tmp_path, browser):
    """A good export for a year without targets: the check passes, the page warns and
    shows the goal matrix, and "Publicér" waits for the tick; no temporary path shows."""
    surveys = copy_demo(tmp_path)
    out = tmp_path / "output"
    assert run_pipeline(surveys, out).exit_code == 0
    export_2025 = reworded_export(surveys / "2024" / "besvarelser_2024.xlsx",
                                  tmp_path / "upload" / "besvarelser_2025.xlsx", {})
    for url in serve(out, password=PASSWORD):
        page = open_page(browser, f"{url}/opdater_data")
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.locator("[data-testid='stFileUploaderDropzone']").wait_for(timeout=30_000)
        settle(page)
        dropzone = page.locator("[data-testid='stFileUploaderDropzone']").inner_text()
        assert "Vælg fil" in dropzone and "Højst 25 MB pr. fil" in dropzone, dropzone
        page.locator("input[type=file]").set_input_files(str(export_2025))
        page.get_by_text("1. Gennemse kodebogen").wait_for(timeout=60_000)
        settle(page)
        page.get_by_role("button", name="Kontrollér").click()
        page.get_by_text("Kontrollen er i orden").wait_for(timeout=120_000)
        page.get_by_role("button", name="Publicér").wait_for(timeout=60_000)
        settle(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1440, "height": 3000})  # the page scrolls inside
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "dashboard_upload.png"), full_page=True)
        body = page.inner_text("body")
        assert "ingen mål for 2025" in body
        assert "Resultatmålene, som de bliver efter publicering" in body
        assert str(tmp_path) not in body and "/tmp/" not in body
        assert page.get_by_role("button", name="Publicér").is_disabled()
        page.close()
    assert not (surveys / "2025").exists()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("width", [1440, 390])
def test_no_serious_accessibility_violation_on_any_page(server, browser, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for path in PAGES:
        page = open_page(browser, f"{server}/{path}", width)
        if path == "":
            page.locator(".js-plotly-plot").count()
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        bad = [v for v in result.response["violations"]
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[path or "/"] = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                                  for v in bad]
        page.close()
    assert not found, found
