"""targets.csv must be complete: a missing row never silently means "no target"."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, run_cli, run_pipeline, snapshot, write_year

from pipeline.attainment import NO_TARGET_ROWS
from pipeline.errors import InputError
from pipeline.outputs.read import read_output
from pipeline.run import RunConfig, compute

ROWS = [{"kommune": "Odense", "tilfreds_fysisk": "Tilfreds", "tilfreds_digital": "Tilfreds"},
        {"kommune": "Vejle", "tilfreds_fysisk": "Tilfreds", "tilfreds_digital": "Utilfreds"}]


def targets_without(tmp_path: Path, *dropped: str) -> Path:
    """The repository's targets.csv without the rows starting with `dropped`."""
    lines = (REPO / "targets.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(dropped)]
    assert len(kept) == len(lines) - len(dropped)
    path = tmp_path / "targets.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_a_missing_row_stops_the_run_and_says_how_to_add_it(tmp_path, previous_output):
    """Deleting MO-DIG 2024 used to make RM1 2024 "Opfyldt"."""
    root = tmp_path / "surveys"
    write_year(root, 2024, ROWS)
    targets = targets_without(tmp_path, "MO-DIG,2024,", "TS-SAMMENH,2024,")
    before = snapshot(previous_output)
    result = run_pipeline(root, previous_output, targets=targets)
    assert result.exit_code == 1, result.output
    assert "2 problemer" in result.output and "Traceback" not in result.output
    for ind in ("MO-DIG", "TS-SAMMENH"):
        assert f"Der mangler en række for {ind} (" in result.output
        assert f"{ind},2024,none,,n/a,Bilag 3" in result.output
    assert snapshot(previous_output) == before
    with pytest.raises(InputError) as stopped:
        compute(RunConfig(surveys=root, targets=targets, out=tmp_path / "o"))
    problems = stopped.value.problems
    assert [p.code for p in problems] == ["targets.missing_row"] * 2
    assert all(p.file and "targets.csv" in p.file for p in problems)


def test_a_missing_row_fails_the_check_too(tmp_path):
    root = tmp_path / "surveys"
    write_year(root, 2024, ROWS)
    targets = targets_without(tmp_path, "MO-IUL,2024,")
    result = run_cli("check", "--surveys", str(root), "--targets", str(targets))
    assert result.exit_code == 1
    assert "Der mangler en række for MO-IUL" in result.output


@pytest.mark.slow
def test_a_year_outside_the_agreement_is_computed_without_verdicts(tmp_path):
    """A survey year with no rows at all in targets.csv (a 2025 export before a new
    agreement) is no error: its figures are shown without verdicts, and the run, check and
    na_reason say so."""
    root = tmp_path / "surveys"
    for year in (2024, 2025):  # each year's own export, dated in its year
        write_year(root, year, [{**r, "besvaret": f"{year}-03-01 10:00"} for r in ROWS])
    result = run_pipeline(root, tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert "targets.csv har ingen mål for 2025" in result.output
    assert "targets.csv har ingen mål for 2024" not in result.output
    rows = read_output(tmp_path / "o" / "indicators.csv")
    y2025 = rows[rows["year"] == 2025]
    assert (y2025["attained"] == "n/a").all()
    assert (y2025["na_reason"] == NO_TARGET_ROWS).all()
    fys = y2025.query("indicator_id == 'MO-FYS' and scope == 'national'").iloc[0]
    assert fys.share == 1 and fys.certainty == "" and fys.nonresponse_certainty == ""
    assert (rows.loc[rows["year"] == 2024, "na_reason"] != NO_TARGET_ROWS).all()
    check = run_cli("check", "--surveys", str(root), "--targets", str(REPO / "targets.csv"),
                    "--year", "2025")
    assert check.exit_code == 0 and "targets.csv har ingen mål for 2025" in check.output
