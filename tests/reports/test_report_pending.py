"""The first screen never reads as met when the results say the target is not met: a level
at or above the target with a contested or unverified critical practice, or an overall that
rests on some domains only (provisional), says "target not met" and why (SPEC sections 4, 9)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from tra_assess.cli.app import app

ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two"]


def _answers(folder: Path, rows: list[dict[str, object]]) -> Path:
    folder.mkdir()
    for n, changes in enumerate(rows):
        doc = {
            "format": "tra-answers/1",
            "questionnaire": {"id": "mini", "version": "2.0"},
            "respondent": {"id": f"r{n}"},
            "answers": dict.fromkeys(ITEMS, 4) | changes,
        }
        (folder / f"r{n}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _glance(runner: CliRunner, mini_path: Path, inputs: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "report.md"
    args = ["report", str(inputs), "-q", str(mini_path), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {}
    for line in out.read_text(encoding="utf-8").split("## Summary")[0].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1][:1] in "■□◆◇":
            rows[cells[0].strip("*")] = f"{cells[1]} {cells[3]}"
    html = tmp_path / "report.html"
    result = runner.invoke(app, [*args[:-1], str(html), "--format", "html"])
    assert result.exit_code == 0, result.output
    glance = html.read_text(encoding="utf-8").split('<ul class="glance">')[1].split("</ul>")[0]
    for name, words in re.findall(r'g-name">([^<]*)<.*?class="g-(?:ok|below)">([^<]*)<', glance):
        assert words in rows[name], (name, words)
    return rows


def test_contested_critical_practice_is_not_met_on_the_first_screen(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    inputs = _answers(tmp_path / "in", [{}] * 9 + [{"beta.two": 0}])  # 1 of 10 at the bottom
    rows = _glance(runner, mini_path, inputs, tmp_path)
    assert rows["Beta practices"] == (
        "■■◇■ target not met: pending verification of a critical practice"
    )
    assert rows["Overall"] == "■■◇■ target not met: pending verification of a critical practice"
    assert rows["Alpha practices"] == "■■◆■ above the target"
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path)],
                           env={"COLUMNS": "200"})
    assert result.stdout.splitlines()[0].endswith(
        "target High: target not met: pending verification of a critical practice"
    )


def test_provisional_overall_does_not_meet_the_target(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    """gamma: everyone said don't know, so it is not scored; alpha and beta are Top."""
    unknown = {"gamma.one": "unknown", "gamma.two": "unknown"}
    inputs = _answers(tmp_path / "in", [unknown] * 3)
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-f", "json"])
    assert result.exit_code == 0, result.output
    overall = json.loads(result.stdout)["overall"]
    assert (overall["status"], overall["level"], overall["meets_target"]) == (
        "provisional", "top", False,
    )
    rows = _glance(runner, mini_path, inputs, tmp_path)
    assert rows["Overall"] == "■■◇■ target not met: provisional, not every domain is scored"
    assert rows["Gamma practices"] == "□□◇□ no level (insufficient data)"
