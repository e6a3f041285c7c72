"""The code base stays ruff-clean (the linter the project uses, configured in pyproject)."""

from __future__ import annotations

import subprocess
import sys

from helpers import REPO


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
