"""A results file with impossible counts, scores or dates is refused in one line naming the
file, by every command that reads one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]
ANSWERS = [
    "answers: {alpha.one: 3, alpha.two: 2, beta.one: na, gamma.one: 4}\n",
    "answers: {alpha.one: 1, alpha.two: unknown, beta.two: 2, gamma.two: 3}\n",
]


@pytest.fixture
def document(tmp_path: Path, runner: CliRunner, mini_path: Path) -> dict[str, Any]:
    files = []
    for number, answers in enumerate(ANSWERS):
        path = tmp_path / f"a{number}.yaml"
        path.write_text("format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
                        f"assessed_on: 2025-0{number + 1}-10\n{answers}")
        files.append(str(path))
    out = tmp_path / "good.json"
    assert runner.invoke(app, ["score", *files, "-q", str(mini_path), "--out",
                               str(out)]).exit_code == 0
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def _item(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(item for item in doc["items"] if item["id"] == item_id)


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        where: Any = doc
        for key in path[:-1]:
            where = _item({"items": where}, key) if key == "alpha.one" else where[key]
        where[path[-1]] = value
    return edit


CASES = [
    (_set(["respondents"], -2), "respondents is -2, a negative count"),
    (_set(["items", "alpha.one", "n"], -1), "item 'alpha.one': n is -1, a negative count"),
    (_set(["items", "alpha.one", "n"], 9), "item 'alpha.one': n is 9, more than the 2 respondents"),
    (_set(["items", "alpha.one", "distribution"], {"0": 0, "1": 1, "2": 0, "3": 5, "4": 0}),
     "item 'alpha.one': distribution adds up to 6, but n is 2"),
    (_set(["items", "alpha.one", "distribution"], {"1": 1, "3": 1, "9": 0}),
     "item 'alpha.one': distribution has '9', not a scale value"),
    (_set(["items", "alpha.one", "score"], 7.5),
     "item 'alpha.one': score 7.5 is outside the scale 0-4"),
    (_set(["assessed_on"], "2025-02-30"), "assessed_on '2025-02-30' is not a date YYYY-MM-DD"),
    (_set(["assessed_on"], "20250203"), "assessed_on '20250203' is not a date YYYY-MM-DD"),
    (_set(["generated_at"], "yesterday"), "generated_at 'yesterday' is not a date and time"),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_report_refuses_an_impossible_results_file(
        runner: CliRunner, tmp_path: Path, document: dict[str, Any],
        edit: Callable[[dict[str, Any]], None], expected: str) -> None:
    edit(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, indent=2))
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: invalid tra-results/1 file: {expected}\n"
    assert result.stdout == ""


def test_compare_refuses_it_through_the_installed_command(tmp_path: Path,
                                                          document: dict[str, Any]) -> None:
    good = tmp_path / "good.json"
    _item(document, "alpha.one")["missing"] = -4
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    done = subprocess.run([*COMMAND, "compare", str(good), str(bad)], capture_output=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"{bad}: invalid tra-results/1 file: item 'alpha.one': missing is -4, a negative count\n")


def test_a_good_results_file_still_loads(runner: CliRunner, tmp_path: Path,
                                         document: dict[str, Any]) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "good.json")])
    assert result.exit_code == 0, result.output
