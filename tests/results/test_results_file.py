"""A results file edited by hand is checked beyond its schema: one line naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

ANSWER = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
answers: {alpha.one: 3, alpha.two: 3, alpha.three: 2, beta.one: 3, beta.two: 2}
"""


def _edit(doc: dict[str, Any], how: str) -> None:
    if how == "target":
        doc["target"] = "bogus"
    elif how == "levels":
        doc["levels"] = []
    elif how == "item":
        doc["items"][0]["level"] = "legendary"
    else:
        doc["domains"][0]["score"] = float("inf")  # written as Infinity by json.dumps


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("target", "level 'bogus' is not one of its levels (high, low, mid, top)"),
        ("levels", "level 'high' is not one of its levels (none)"),
        ("finite", "domains.0.score: Input should be a finite number"),
        ("item", "level 'legendary' is not one of its levels (high, low, mid, top)"),
    ],
)
def test_broken_results_files_are_one_line(
    runner: CliRunner, tmp_path: Path, mini_path: Path, how: str, expected: str
) -> None:
    answer = tmp_path / "a.yaml"
    answer.write_text(ANSWER)
    good = tmp_path / "good.json"
    result = runner.invoke(app, ["score", str(answer), "-q", str(mini_path), "--out", str(good)])
    assert result.exit_code == 0, result.output
    doc = json.loads(good.read_text())
    _edit(doc, how)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    line = f"{bad}: invalid tra-results/1 file: {expected}"
    for args in (["report", str(bad)], ["compare", str(good), str(bad), "-f", "json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == line
