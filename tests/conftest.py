from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import DEMO_SURVEYS, TARGETS, fake_png, run_pipeline  # noqa: E402

from pipeline.report import images  # noqa: E402


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pipeline's output on the bundled demo data, made once per test session."""
    out = tmp_path_factory.mktemp("demo_output")
    result = run_pipeline(DEMO_SURVEYS, out, targets=TARGETS)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def previous_output(tmp_path: Path, demo_output: Path) -> Path:
    """An output folder holding a good earlier run, to check that failures leave it alone."""
    out = tmp_path / "output"
    out.mkdir()
    for p in demo_output.iterdir():
        if p.is_file():
            (out / p.name).write_bytes(p.read_bytes())
    return out


@pytest.fixture
def fake_charts(monkeypatch) -> list[list[str]]:
    """Draw each chart as a small blank PNG instead of starting Chromium."""
    calls: list[list[str]] = []

    def render(charts):
        calls.append([c.name for c in charts])
        return {c.name: fake_png() for c in charts}

    monkeypatch.setattr(images, "render_png", render)
    return calls
