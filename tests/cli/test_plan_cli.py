"""`tra-assess plan` end to end: formats, files and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from report_factory import make_results
from tra_assess.cli.app import app


def _results_file(path: Path) -> Path:
    path.write_text(make_results().model_dump_json(indent=2), encoding="utf-8")
    return path


def test_markdown_to_stdout_by_default(runner: CliRunner, tmp_path: Path) -> None:
    results = _results_file(tmp_path / "r.json")
    result = runner.invoke(app, ["plan", str(results)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Action plan: Riverbend Family Services")
    assert "| 1 | Alpha practices | **CRITICAL** Alpha two happens. (alpha.two)" in result.output


def test_csv_and_xlsx_files(runner: CliRunner, tmp_path: Path) -> None:
    results = _results_file(tmp_path / "r.json")
    result = runner.invoke(app, ["plan", str(results), "--out", str(tmp_path / "plan.csv")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "plan.csv").read_text("utf-8"))))
    assert [r["item_id"] for r in rows] == ["alpha.two", "beta.one"]
    result = runner.invoke(
        app, ["plan", str(results), "--out", str(tmp_path / "plan.xlsx"), "--all"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: this results file does not list every candidate" in result.output
    ws = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Action plan"]
    assert ws.tables["ActionPlan"].ref == "A1:L3"


def test_baseline_adds_the_review(runner: CliRunner, tmp_path: Path) -> None:
    base = _results_file(tmp_path / "base.json")
    now = _results_file(tmp_path / "now.json")
    result = runner.invoke(app, ["plan", str(now), "--baseline", str(base), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["since_baseline"] for r in rows] == ["not moved", "not moved"]


def test_an_existing_plan_is_not_replaced(runner: CliRunner, tmp_path: Path) -> None:
    results = _results_file(tmp_path / "r.json")
    out = tmp_path / "plan.csv"
    assert runner.invoke(app, ["plan", str(results), "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["plan", str(results), "-o", str(out)]).exit_code == 0  # same
    out.write_text(out.read_text("utf-8") + "filled,in\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(results), "-o", str(out)])
    assert result.exit_code == 2
    assert "may hold the team's entries" in result.output
    assert out.read_text("utf-8").endswith("filled,in\n")
    assert runner.invoke(app, ["plan", str(results), "-o", str(out), "--force"]).exit_code == 0
    assert not out.read_text("utf-8").endswith("filled,in\n")


def test_bad_input_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    results = _results_file(tmp_path / "r.json")
    result = runner.invoke(app, ["plan", str(results), "-f", "xlsx"])
    assert result.exit_code == 2 and "needs --out" in result.output
    result = runner.invoke(app, ["plan", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "no such file" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "tra-answers/1"}), encoding="utf-8")
    result = runner.invoke(app, ["plan", str(bad)])
    assert result.exit_code == 1 and "not a results file" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["plan", str(results), "-o", str(results)])
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    other = make_results()
    other.questionnaire.id = "other"
    (tmp_path / "other.json").write_text(other.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["plan", str(results), "--baseline", str(tmp_path / "other.json")])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "same questionnaire" in result.output
