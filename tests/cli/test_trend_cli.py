"""`tra-assess trend` and `report --history` end to end: formats, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from report_factory import make_results
from tra_assess.cli.app import app

DATES = ("2024-05-01", "2025-05-01", "2026-05-01")
SCORES = ((1.0, 0.5, 2.0), (2.0, 0.75, 3.0), (2.75, 1.0, 3.25))


def _files(tmp_path: Path) -> list[Path]:
    paths = []
    for date, scores in zip(DATES, SCORES, strict=True):
        results = make_results(scores=scores)
        results.assessed_on = date
        path = tmp_path / f"results-{date[:4]}.json"
        path.write_text(results.model_dump_json(indent=2), encoding="utf-8")
        paths.append(path)
    return paths


def test_table_json_md_html(runner: CliRunner, tmp_path: Path) -> None:
    a, b, c = (str(p) for p in _files(tmp_path))
    result = runner.invoke(app, ["trend", c, a, b])
    assert result.exit_code == 0, result.output
    assert re.search(r"2024-05-01.*2025-05-01.*2026-05-01", result.output)
    assert "suppressed" in result.output
    result = runner.invoke(app, ["trend", c, a, b, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [x["date"] for x in data["assessments"]] == list(DATES)
    assert [p["score"] for p in data["domains"][0]["points"]] == [1.0, 2.0, 2.75]
    result = runner.invoke(app, ["trend", c, a, b, "-f", "md"])
    assert result.exit_code == 0 and result.stdout.startswith("# Trend: Mini test questionnaire")
    out = tmp_path / "trend.html"
    result = runner.invoke(app, ["trend", c, a, b, "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "<script" not in html.lower() and "http://" not in html.replace(
        "http://www.w3.org", ""
    )
    assert html.count('<svg class="trend-panel"') == 4  # overall + three domains
    assert "Alpha practices: 2024 1.00 Middle; 2025 2.00 Middle; 2026 2.75 Middle." in html


def test_bad_input_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    a, b, _ = _files(tmp_path)
    result = runner.invoke(app, ["trend", str(a), str(b)])
    assert result.exit_code == 2 and "at least 3" in result.output
    other = make_results()
    other.questionnaire.id = "other"
    other.assessed_on = "2027-01-01"
    d = tmp_path / "other.json"
    d.write_text(other.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["trend", str(a), str(b), str(d)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "different questionnaires" in result.output
    result = runner.invoke(app, ["trend", str(a), str(b), str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_report_history_adds_the_section(runner: CliRunner, tmp_path: Path) -> None:
    a, b, c = (str(p) for p in _files(tmp_path))
    result = runner.invoke(app, ["report", c, "--history", a, "--history", b])
    assert result.exit_code == 0, result.output
    assert "## Over time" in result.stdout
    assert "| Alpha practices | 1.00 Middle | 2.00 Middle | 2.75 Middle | +1.75 |" in result.stdout
    # the report's own file given again is counted once
    result = runner.invoke(app, ["report", c, "--history", a, "--history", b, "--history", c,
                                 "-f", "html"])
    assert result.exit_code == 0, result.output
    assert 'id="history"' in result.stdout and result.stdout.count("trend-panel\"") == 4
    result = runner.invoke(app, ["report", c, "--history", a])
    assert result.exit_code == 2 and "--history needs" in result.output
    result = runner.invoke(app, ["report", c])
    assert result.exit_code == 0 and "Over time" not in result.stdout


def test_table_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    a, b, c = (str(p) for p in _files(tmp_path))
    out = tmp_path / "trend.txt"
    result = runner.invoke(app, ["trend", a, b, c, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "Alpha practices" in text and "2026-05-01" in text and "\x1b[" not in text


def test_installed_command(tmp_path: Path) -> None:
    """The real entry point, in a subprocess: the trend page and a plan workbook."""
    import subprocess
    import sys

    import openpyxl

    a, b, c = (str(p) for p in _files(tmp_path))
    exe = [sys.executable, "-m", "tra_assess"]
    done = subprocess.run(
        [*exe, "trend", c, b, a, "--format", "html", "--out", str(tmp_path / "t.html")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "t.html").read_text("utf-8").count('<svg class="trend-panel"') == 4
    done = subprocess.run(
        [*exe, "plan", c, "--baseline", a, "--out", str(tmp_path / "p.xlsx")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert book.sheetnames == ["Action plan", "Since baseline"]
    done = subprocess.run([*exe, "trend", a, b], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_edited_files_are_rechecked_before_any_group_figure_is_shown(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A hand-edited file whose small group is shown again: trend and export suppress it."""
    paths = _files(tmp_path)
    data = json.loads(paths[1].read_text("utf-8"))
    lead = next(g for g in data["groups"]["groups"] if g["value"] == "lead")
    lead.update(n=2, suppressed=False, overall_score=3.33, overall_level="high")
    staff = next(g for g in data["groups"]["groups"] if g["value"] == "staff")
    staff["overall_suppressed"] = True
    paths[1].write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["trend", *(str(p) for p in paths), "-f", "json"])
    assert result.exit_code == 0, result.output
    trend = json.loads(result.stdout)
    groups = {g["value"]: g for g in trend["groups"]["groups"]}
    assert groups["lead"]["overall"][1] == {"score": None, "suppressed": True}
    assert groups["staff"]["overall"][1] == {"score": None, "suppressed": True}
    assert "3.33" not in result.stdout
    out = tmp_path / "tables"
    result = runner.invoke(app, ["export", str(paths[1]), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "groups.csv").read_text("utf-8")
    assert "3.33" not in text and "lead,,true" in text
    staff_overall = next(
        line for line in text.splitlines() if line.startswith("role,staff,") and ",overall," in line
    )
    assert staff_overall.endswith(",overall,,,true,false")
