"""compare and report --baseline judge both assessments against one target: a critical item
contested at that target (a minority rating it at the bottom) means the target was not met,
even when the file was scored against another target (SPEC section 4, "Contested")."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tra_assess.cli.app import app

ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two"]


def _answers(folder: Path, prefix: str, date: str, beta_two: list[int]) -> None:
    folder.mkdir()
    for n, value in enumerate(beta_two):
        answers = {item: 4 for item in ITEMS} | {"beta.two": value}
        doc = {
            "format": "tra-answers/1",
            "questionnaire": {"id": "mini", "version": "2.0"},
            "assessed_on": date,
            "respondent": {"id": f"{prefix}{n}"},
            "answers": answers,
        }
        (folder / f"{prefix}{n}.json").write_text(json.dumps(doc), encoding="utf-8")


def _score(runner: CliRunner, mini_path: Path, folder: Path, out: Path, *extra: str) -> None:
    args = ["score", str(folder), "-q", str(mini_path), "--out", str(out), *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def _files(runner: CliRunner, mini_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Baseline scored against 'top': beta.two is 3.2 (High) with 2 of 10 at 0, so it is
    contested against 'high' but not against 'top'. Follow-up: everything at 4."""
    _answers(tmp_path / "base", "b", "2025-01-01", [4] * 8 + [0, 0])
    _answers(tmp_path / "follow", "f", "2026-01-01", [4] * 10)
    base, follow = tmp_path / "base.json", tmp_path / "follow.json"
    _score(runner, mini_path, tmp_path / "base", base, "--target", "top")
    _score(runner, mini_path, tmp_path / "follow", follow)
    return base, follow


def test_compare_does_not_call_a_contested_baseline_met(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    base, follow = _files(runner, mini_path, tmp_path)
    result = runner.invoke(app, ["compare", str(base), str(follow), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    beta = next(d for d in data["domains"] if d["id"] == "beta")
    assert (beta["target_already_met"], beta["followup_meets_target"]) == (False, True)
    assert beta["against_target"] == "target reached"
    assert data["overall"]["target_already_met"] is False
    assert data["baseline_domains_meeting_target"] == 2


def test_report_baseline_does_not_call_a_contested_baseline_met(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    base, follow = _files(runner, mini_path, tmp_path)
    out = tmp_path / "report.md"
    args = ["report", str(follow), "--baseline", str(base), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    beta_rows = [line for line in text.splitlines() if line.startswith("| Beta practices")]
    assert beta_rows and all("met then and now" not in row for row in beta_rows), beta_rows
    assert any("target reached" in row for row in beta_rows), beta_rows
