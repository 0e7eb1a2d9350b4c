"""`tra-assess compare`: formats, escaping and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compare_helpers import baseline_doc, followup_doc
from tra_assess.cli.app import app


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    hostile = {"alpha": "Alpha | <b>bold</b> & *stars*"}
    texts = {"alpha.one": "Alpha <script>x</script> | one"}
    return (
        _write(tmp_path / "base.json", baseline_doc(titles=hostile, texts=texts)),
        _write(tmp_path / "follow.json", followup_doc(titles=hostile, texts=texts)),
    )


def test_table_format(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1])], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    # plain text: no Rich markup interpreted (the cell may wrap)
    assert "<b>bold</b>" in out and "*stars*" in out and "Alpha |" in out
    assert "+1.00" in out and "-1.00" in out
    assert "gap 1.50 → 0.50" in out and "further from target by 1.00" in out
    assert "gap 0.75 → 0.63" in out and "%" not in out
    assert "target met then and now" in out
    assert "Low → Middle (+1)" in out
    assert "Items that moved most" in out and "alpha.one" in out


def test_markdown_format_escapes_user_text(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1]), "--format", "md"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "| Domain | Baseline | Follow-up | Change | Level | Against the target |" in out
    row = next(line for line in out.splitlines() if line.startswith("| Alpha"))
    assert r"Alpha \| \<b\>bold\</b\> &amp; \*stars\*" in row
    assert "| 1.00 | 2.00 | +1.00 | Low → Middle (+1) | gap 1.50 → 0.50 |" in row
    assert "<script>" not in out and "<b>" not in out
    # every table row keeps its 6 cells (escaped pipes do not split cells)
    for line in out.splitlines():
        if line.startswith("| Alpha"):
            assert len(line.replace("\\|", "").split("|")) == 8
    assert "| **Overall** | 1.75 | 1.88 | +0.13 | Low (same) | gap 0.75 → 0.63 |" in out


def test_json_format(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1]), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questionnaire"]["id"] == "mini"
    assert data["domains"][2]["against_target"] == "further from target by 1.00"
    assert data["domains"][2]["baseline_gap"] == pytest.approx(0.5)
    assert data["domains"][2]["followup_gap"] == pytest.approx(1.5)
    assert data["domains"][1]["target_already_met"] is True
    assert data["items_moved"][0]["id"] == "alpha.one"


def test_missing_file_is_exit_2(runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = runner.invoke(app, ["compare", str(pair[0]), str(missing)])
    assert result.exit_code == 2, result.output
    assert "nope.json: no such file" in result.output
    assert "Traceback" not in result.output


def test_json_syntax_error_names_file_and_line(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "tra-results/1",\n  "x": ,\n}\n', encoding="utf-8")
    result = runner.invoke(app, ["compare", str(bad), str(pair[1])])
    assert result.exit_code == 1, result.output
    assert f"{bad}:3: invalid JSON" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_invalid_results_is_one_line(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    doc = baseline_doc()
    doc["domains"][0]["score"] = "high"
    del doc["respondents"]
    bad = _write(tmp_path / "broken.json", doc)
    result = runner.invoke(app, ["compare", str(bad), str(pair[1])])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: invalid tra-results/1 file:")
    assert "more problem" in lines[0]


def test_answers_file_is_not_results(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    answers = _write(tmp_path / "a.json", {"format": "tra-answers/1", "answers": {}})
    result = runner.invoke(app, ["compare", str(answers), str(pair[1])])
    assert result.exit_code == 1, result.output
    assert "'tra-answers/1'" in result.output and "tra-assess score" in result.output


def test_different_questionnaires_exit_1(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    other = _write(tmp_path / "other.json", followup_doc(qid="other-q"))
    result = runner.invoke(app, ["compare", str(pair[0]), str(other)])
    assert result.exit_code == 1, result.output
    assert "'mini'" in result.output and "'other-q'" in result.output


def test_warnings_go_to_stderr(runner: CliRunner, tmp_path: Path) -> None:
    base = _write(tmp_path / "b.json", baseline_doc(version="1.0"))
    follow = _write(tmp_path / "f.json", followup_doc())
    result = runner.invoke(app, ["compare", str(base), str(follow), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "warning: the baseline used mini 1.0" in result.stderr
    assert json.loads(result.stdout)["warnings"]
