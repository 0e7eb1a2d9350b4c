"""``--group-by`` a field that nobody has: a warning and one ``(unspecified)`` group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

ANSWER = """format: tra-answers/1
questionnaire: {{id: mini, version: "2.0"}}
respondent: {{id: "r{i}"{extra}}}
answers:
  alpha.one: 2
  alpha.two: 3
  beta.one: 3
  beta.two: 2
  gamma.one: 1
"""


SMALL = ["--min-group-size", "1", "--allow-small-groups"]


def _write(root: Path, n: int, extra: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"r{i}.yaml").write_text(ANSWER.format(i=i, extra=extra))
    return root


def _unspecified_only(stdout: str) -> None:
    groups = json.loads(stdout)["groups"]["groups"]
    assert [(g["value"], g["n"]) for g in groups] == [("(unspecified)", 4)]


@pytest.mark.parametrize("field", ["site", "role", "team", "organization", "mode"])
def test_standard_field_nobody_has_is_a_warning(
    runner: CliRunner, tmp_path: Path, mini_path: Path, field: str
) -> None:
    root = _write(tmp_path / "in", 4)
    argv = ["score", str(root), "-q", str(mini_path), "--group-by", field]
    result = runner.invoke(app, [*argv, "--format", "json", *SMALL])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: --group-by '{field}': no respondent has this field; all respondents are "
        "in the group '(unspecified)'\n"
    )
    _unspecified_only(result.stdout)


def test_field_present_but_empty_is_a_warning(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    # as written by ``template --format yaml``: role: "" and a custom empty field
    root = _write(tmp_path / "in", 4, extra=', role: "", department: ""')
    for field in ("role", "department"):
        argv = ["score", str(root), "-q", str(mini_path), "--group-by", field]
        result = runner.invoke(app, [*argv, "--format", "json", *SMALL])
        assert result.exit_code == 0, result.output
        assert f"warning: --group-by '{field}': no respondent has this field" in result.stderr
        _unspecified_only(result.stdout)


def test_misspelling_of_another_field_is_still_a_usage_error(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = _write(tmp_path / "in", 4, extra=", department: x")
    result = runner.invoke(
        app, ["score", str(root), "-q", str(mini_path), "--group-by", "departmnt"]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "error: --group-by 'departmnt': no respondent has this field; did you mean 'department'?\n"
    )


def test_report_group_by_team_nobody_has(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = _write(tmp_path / "in", 4)
    result = runner.invoke(
        app,
        ["report", str(root), "-q", str(mini_path), "--group-by", "team", *SMALL],
    )
    assert result.exit_code == 0, result.output
    assert "warning: --group-by 'team': no respondent has this field" in result.stderr
    assert "| ● (unspecified) | 4 |" in result.stdout


@pytest.mark.parametrize("as_csv", [False, True])
def test_a_field_that_splits_everyone_apart_is_refused(
    runner: CliRunner,
    tmp_path: Path,
    mini_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    as_csv: bool,
) -> None:
    from tra_assess.scoring import scorer as scoring

    monkeypatch.setattr(scoring, "MAX_GROUPS", 5)
    if as_csv:
        source = tmp_path / "ids.csv"
        source.write_text("respondent_id,alpha.one\n" + "".join(f"r{i},2\n" for i in range(8)))
    else:
        source = _write(tmp_path / "answers", 8)
    result = runner.invoke(app, ["score", str(source), "-q", str(mini_path), "--group-by", "id"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --group-by 'id' makes more than 5 groups; "
        "group by a field that people share (role, team, site ...)"
    )
    ok = runner.invoke(app, ["score", str(source), "-q", str(mini_path), "--group-by", "role"])
    assert ok.exit_code == 0, ok.output
