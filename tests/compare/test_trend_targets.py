"""trend and report --history judge every assessment against one target: a file scored
against a lower target is not "met the target" on a chart whose target is higher, and
report --target judges its history against that target too."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tra_assess.cli.app import app

ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two"]


def _results(runner: CliRunner, mini_path: Path, tmp_path: Path) -> list[Path]:
    """Three assessments, every answer 2 (Middle): the first scored against 'mid'."""
    paths = []
    for year, extra in (("2021", ["--target", "mid"]), ("2022", []), ("2023", [])):
        folder = tmp_path / year
        folder.mkdir()
        doc = {
            "format": "tra-answers/1",
            "questionnaire": {"id": "mini", "version": "2.0"},
            "assessed_on": f"{year}-01-01",
            "answers": dict.fromkeys(ITEMS, 2),
        }
        (folder / "a.json").write_text(json.dumps(doc), encoding="utf-8")
        out = tmp_path / f"{year}.json"
        args = ["score", str(folder), "-q", str(mini_path), "-o", str(out), *extra]
        assert runner.invoke(app, args).exit_code == 0
        paths.append(out)
    return paths


def test_trend_judges_every_assessment_against_the_latest_target(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    paths = [str(p) for p in _results(runner, mini_path, tmp_path)]
    result = runner.invoke(app, ["trend", *paths, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["target"] == "high"
    assert [p["meets_target"] for p in doc["overall"]["points"]] == [False, False, False]
    result = runner.invoke(app, ["trend", *paths, "--format", "md"])
    assert "met the target on" not in result.stdout
    assert "- Overall: 2.00 Middle on 2021-01-01" in result.stdout
    assert "has not met the target yet" in result.stdout


def test_report_target_judges_the_history_too(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    first, second, latest = _results(runner, mini_path, tmp_path)
    out = tmp_path / "report.md"
    args = ["report", str(latest), "--history", str(first), "--history", str(second),
            "--target", "mid", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Overall: 2.00 Middle on 2021-01-01" in text
    assert "meets the target since 2021-01-01" in text
    assert "has not met the target yet" not in text
