"""End to end in a real browser: the dashboard served on localhost, loaded in headless
Chromium (Debian's package, installed by .ci/run), charts rendered and screenshotted.

Outside CI the test skips when Chromium is missing; in CI (CI set) it must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from helpers import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]

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


@pytest.fixture(scope="module")
def server(demo_output):
    port = free_port()
    env = {**os.environ, "MAALOPFYLDELSE_OUTPUT": str(demo_output)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_overview_in_a_real_browser(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    page.get_by_text("Indikatorerne bag et resultatmål").wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "SYNTETISKE DEMODATA" in body
    assert "Målopfyldelse" in body and "bindende" in body
    page.locator("[data-testid='stTable']").nth(1).wait_for(timeout=30_000)
    matrix = page.locator("[data-testid='stTable']").first.inner_text()
    assert "RM1: Relevant, effektiv og tydelig materialeoverbygning" in matrix
    assert "Opfyldt" in matrix and "2024" in matrix
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_overview.png"), full_page=True)
    page.close()


def test_track_page_charts_render(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/spor")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4",
                           timeout=30_000)
    body = page.inner_text("body")
    for text in ("Materialeoverbygning", "Andel positive", "95\u00a0%-konfidensinterval",
                 "Vurdering", "MO-FYS"):
        assert text in body
    # Each chart's toolbar offers it as PNG (the download a user reaches by the camera icon).
    assert page.locator(".js-plotly-plot .modebar-btn[data-title*='png' i]").count() >= 4
    svg = page.locator(".js-plotly-plot").first.inner_html()
    assert "Mål (Bilag 3)" in svg and " %" in svg  # legend and Danish axis ticks
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard_track.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    page.close()
