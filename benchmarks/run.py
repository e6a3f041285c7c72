"""Benchmarks: how fast the refresh, the dashboard, the report and the statistics are, and
how the cost grows with the data. Run from the repository folder:

    .venv/bin/python benchmarks/run.py            # everything (a few minutes)
    .venv/bin/python benchmarks/run.py --quick    # smaller sizes, fewer repeats
    .venv/bin/python benchmarks/run.py --dashboard  # only the dashboard (about a minute)

Prints a Markdown table (the README's "Performance" section is a copy of one run).
Each figure is the median of several runs (the interval timings: the fastest of 15);
large exports are generated in a temporary folder, never committed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import stats  # noqa: E402
from pipeline.demo import write_large_year  # noqa: E402

PYTHON = sys.executable
ROWS: list[tuple[str, str, str, str]] = []  # what, measured, target, verdict


def record(what: str, measured: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("met" if ok else "**missed**")
    ROWS.append((what, measured, target, verdict))
    print(f"  {what}: {measured} {('(target ' + target + ')') if target else ''} {verdict}",
          flush=True)


def timed_process(args: list[str], cwd: Path = REPO, env: dict | None = None) -> tuple[float, int]:
    """Wall time and peak memory (KB) of one process, via a fresh wrapper process whose
    RUSAGE_CHILDREN holds only that process's peak."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "print(time.perf_counter() - t, "
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    done = subprocess.run([PYTHON, "-c", wrapper, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=True)
    seconds, peak_kb, code = done.stdout.split()
    if code != "0":
        raise RuntimeError(f"{' '.join(args)} failed with exit code {code}")
    return float(seconds), int(peak_kb)


def median_process(args: list[str], repeat: int, **kw) -> tuple[float, int]:
    runs = [timed_process(args, **kw) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def bench_demo_run(repeat: int, out: Path) -> None:
    print("1. pipeline run on the demo data", flush=True)
    floor, _ = median_process([PYTHON, "-c", "import pandas, scipy.stats, openpyxl"], repeat)
    seconds, peak = median_process([PYTHON, "-m", "pipeline", "run", "--out", str(out)], repeat)
    record("import floor (`import pandas, scipy.stats, openpyxl`)", f"{floor:.2f} s")
    record("`python -m pipeline run`, demo data", f"{seconds:.2f} s, {peak // 1024} MB",
           "< 2 s", seconds < 2)
    record("run / import floor", f"{seconds / floor:.2f}×", "≤ 2×", seconds / floor <= 2)


def bench_help(repeat: int) -> None:
    print("0. command line start-up", flush=True)
    floor, _ = median_process([PYTHON, "-c", "import click"], repeat)
    seconds, _ = median_process([PYTHON, "-m", "pipeline", "--help"], repeat)
    record("`python -c \"import click\"`", f"{floor:.2f} s")
    record("`python -m pipeline --help`", f"{seconds:.2f} s ({seconds / floor:.1f}× import click)",
           "≤ 2× import click", seconds <= 2 * floor)


def bench_scaling(sizes: list[int], repeat: int) -> None:
    print("2. scaling with respondent rows (--respondent-level)", flush=True)
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            surveys = Path(tmp) / f"s{n}"
            write_large_year(surveys, 2024, n)
            args = [PYTHON, "-m", "pipeline", "run", "--respondent-level", "--surveys",
                    str(surveys), "--out", str(Path(tmp) / f"o{n}")]
            seconds, peak = median_process(args, repeat if n < 1_000_000 else 1)
            target, ok = "", None
            if n == 1_000_000:
                target, ok = "< 15 s, < 2 GB", seconds < 15 and peak < 2 * 1024 * 1024
            record(f"{n:>9,} rows".replace(",", "."), f"{seconds:.2f} s, {peak // 1024} MB",
                   target, ok)
            if previous:
                ratio = seconds / previous[1]
                factor = n / previous[0]
                record(f"  time ratio for {factor:.0f}× rows", f"{ratio:.1f}×", "≤ 12× per 10×",
                       ratio <= 12 * factor / 10)
            previous = (n, seconds)
            shutil.rmtree(surveys, ignore_errors=True)


def bench_intervals() -> None:
    print("3. interval computations, 10.000 cells (fastest of 15)", flush=True)
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(1)
    n = rng.integers(1, 99, 10_000)
    x = rng.integers(0, n + 1)
    big_n = np.full(10_000, 98)

    def best(fn) -> float:
        """Fastest of 15 runs: for calls of milliseconds the minimum is the stable
        figure (the median mostly measures what else the machine was doing)."""
        times = []
        for _ in range(15):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    peers = {"wilson": "wilson", "clopper-pearson": "beta", "hypergeometric": "beta"}
    for method, peer in peers.items():
        ours = best(lambda m=method: stats.interval(m, x, n, big_n, 0.95))
        theirs = best(lambda p=peer: proportion_confint(x, n, alpha=0.05, method=p))
        record(f"{method} (peer: statsmodels `{peer}`)",
               f"{ours * 1000:.1f} ms vs {theirs * 1000:.1f} ms", "no slower than the peer",
               ours <= theirs * 1.05 if method != "hypergeometric" else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(script: Path, env: dict) -> tuple[subprocess.Popen, str, float]:
    """Start `streamlit run script` on a free port; returns (process, url, start time)."""
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return server, url, start
        except OSError:
            time.sleep(0.05)


def _wait_drawn(page, tables: int, charts: int) -> None:
    """Until the page shows `tables` tables and `charts` drawn charts and Streamlit has
    stopped running the script."""
    page.wait_for_function(
        f"document.querySelectorAll('table.mo-table, [data-testid=stTable] table').length >= "
        f"{tables} && [...document.querySelectorAll('.js-plotly-plot')].filter("
        f"e => e.querySelector('g.trace')).length >= {charts}", timeout=120_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=120_000)


def bench_dashboard(out: Path, repeat: int) -> None:
    print("4. dashboard in headless Chromium", flush=True)
    chromium = shutil.which("chromium")
    if chromium is None:
        record("dashboard", "not measured: Chromium is not installed")
        return
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "MAALOPFYLDELSE_OUTPUT": str(out)}
    floor_app = Path(tempfile.mkdtemp()) / "floor.py"
    floor_app.write_text('import streamlit as st\nst.title("Gulv")\nst.table({"a": [1]})\n')
    floors, overviews, tracks, tabs, starts, changes = [], [], [], [], [], []
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        for _ in range(repeat):
            # The floor: a one-line Streamlit app with one table, in the same browser.
            server, url, _ = _serve(floor_app, env)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(url)  # warm, as the dashboard's pages are measured warm
                _wait_drawn(page, 1, 0)
                page.close()
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                t = time.perf_counter()
                page.goto(url)
                _wait_drawn(page, 1, 0)
                floors.append(time.perf_counter() - t)
                page.close()
            finally:
                server.terminate()
                server.wait()
            server, url, start = _serve(REPO / "dashboard.py", env)
            try:
                # the first visit pays for the imports and reading the outputs once
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(url)
                _wait_drawn(page, 2, 0)
                starts.append(time.perf_counter() - start)
                page.close()
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                t = time.perf_counter()
                page.goto(url)
                _wait_drawn(page, 2, 0)  # the goal matrix and the first goal's indicators
                overviews.append(time.perf_counter() - t)
                page.get_by_role("heading", name="Resultatmål 1 i 2024").wait_for()
                page.get_by_label("År", exact=True).first.click()
                t = time.perf_counter()
                page.get_by_role("option", name="2023", exact=True).click()
                page.get_by_role("heading", name="Resultatmål 1 i 2023").wait_for()
                page.wait_for_function(
                    "!document.querySelector('[data-testid=\"stStatusWidget\"]')")
                changes.append(time.perf_counter() - t)
                page.close()
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                t = time.perf_counter()
                page.goto(f"{url}/spor")
                _wait_drawn(page, 2, 0)  # the track's table and the indicator's years
                tracks.append(time.perf_counter() - t)
                t = time.perf_counter()
                page.get_by_role("tab", name="Udvikling").click()
                _wait_drawn(page, 1, 1)  # the chart, drawn when its tab is opened
                tabs.append(time.perf_counter() - t)
                page.close()
            finally:
                server.terminate()
                server.wait()
        browser.close()
    floor = statistics.median(floors)
    overview = statistics.median(overviews)
    track = statistics.median(tracks)
    change = statistics.median(changes)
    record("Streamlit floor: one-table app, page load → table shown (second visit)",
           f"{floor:.2f} s")
    record("overview (Målopfyldelse), page load → both tables shown",
           f"{overview:.2f} s ({overview / floor:.2f}× floor)", "≤ 1,2× floor",
           overview <= 1.2 * floor)
    record("Spor og indikatorer, page load → all drawn (charts drawn in their tabs)",
           f"{track:.2f} s ({track / floor:.2f}× floor)", "≤ 1,5× floor", track <= 1.5 * floor)
    record("  opening the tab Udvikling → its chart drawn",
           f"{statistics.median(tabs):.2f} s")
    record("  first visit after server start", f"{statistics.median(starts):.2f} s")
    record("re-render after changing the year", f"{change:.2f} s", "< 0,5 s", change < 0.5)


def bench_report(out: Path, repeat: int) -> None:
    print("5. report (Word + Excel)", flush=True)
    if not (REPO / "pipeline" / "report").exists():
        record("report", "not measured: no report command")
        return
    seconds, peak = median_process([PYTHON, "-m", "pipeline", "report", "--out", str(out)],
                                   repeat)
    record("`python -m pipeline report`", f"{seconds:.2f} s, {peak // 1024} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 repeats")
    parser.add_argument("--dashboard", action="store_true",
                        help="only the dashboard (after one demo run for its outputs)")
    args = parser.parse_args()
    repeat = 2 if args.quick else 5
    sizes = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    os.chdir(REPO)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        if args.dashboard:
            subprocess.run([PYTHON, "-m", "pipeline", "run", "--out", str(out)], check=True,
                           stdout=subprocess.DEVNULL)
            bench_dashboard(out, 3)
        else:
            bench_help(repeat)
            bench_demo_run(repeat, out)
            bench_scaling(sizes, min(repeat, 3))
            bench_intervals()
            bench_dashboard(out, min(repeat, 3))
            bench_report(out, min(repeat, 3))
    cpu = platform.processor() or platform.machine()
    print(f"\nMachine: {platform.system()} {platform.machine()} ({cpu}), {os.cpu_count()} "
          f"cores, Python {platform.python_version()}\n")
    print("| what | measured (median) | target | |")
    print("|---|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
