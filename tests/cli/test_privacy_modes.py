"""Mode counts never give back the size of a suppressed group under another grouping."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tra_assess.cli.app import app

DOC = """format: tra-answers/1
questionnaire: {{id: mini, version: "2.0"}}
mode: {mode}
respondent: {{id: "r{n}", team: {team}}}
answers: {{alpha.one: 3, alpha.two: 3, alpha.three: 3, beta.one: 3, beta.two: 3, gamma.one: 3,
  gamma.two: 3}}
"""


def test_a_small_consensus_team_is_not_counted_by_mode(tmp_path: Path, mini_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    people = [("night", "consensus")] * 2 + [("day", "individual")] * 6 + [
        ("late", "individual")
    ] * 7
    for n, (team, mode) in enumerate(people):
        (root / f"r{n}.yaml").write_text(DOC.format(n=n, team=team, mode=mode), "utf-8")
    runner = CliRunner()
    args = [str(root), "-q", str(mini_path), "--group-by", "team"]
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["score", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    night = next(g for g in data["groups"]["groups"] if g["value"] == "night")
    assert night["suppressed"] is True
    assert data["modes"] == {}
    report = runner.invoke(app, ["report", str(out)]).stdout
    assert "consensus" not in report.split("## ", 1)[0]
    assert "2 answered as a group" not in report and "2 consensus" not in report
    assert "not shown while a group is suppressed" in report
    # a file written before this rule: report drops its mode counts too
    data["modes"] = {"consensus": 2, "individual": 13}
    out.write_text(json.dumps(data), "utf-8")
    again = runner.invoke(app, ["report", str(out)]).stdout
    assert "2 consensus" not in again and "2 answered as a group" not in again
