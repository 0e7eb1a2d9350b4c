"""A mistyped command line is one line plus a hint and exit 2, like every other error, not
Click's box of usage, hint and message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]

CASES = [
    (["score", "--bogus"], "error: no such option: --bogus; see tra-assess score --help"),
    (["score", "--ot", "x"], "error: no such option: --ot (did you mean --out?)"),
    (["score"], "error: missing argument 'INPUT...'; see tra-assess score --help"),
    (["score", "a.csv", "--format", "nope"], "error: unknown format 'nope' (table or json)"),
    (["score", "a.csv", "--top", "abc"], "error: --top must be a valid integer"),
    (["score", "--out"], "error: option '--out' requires an argument"),
    (["report", "r.json", "--jobs", "0"], "error: --jobs must be greater than or equal to 1"),
    (["run", "--mode", "bad"], "error: unknown mode 'bad' (individual or consensus)"),
    (["questionnaires", "show"], "error: missing argument"),
    (["questionnaires", "nope"], "error: no such command 'nope'"),
    (["bogus"], "error: no such command 'bogus'"),
    (["--bogus"], "error: no such option: --bogus"),
    (["template", "--format", "pdf"], "error: unknown format 'pdf' (csv or yaml)"),
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_a_usage_error_is_one_line_with_a_hint(runner: CliRunner, args: list[str],
                                               expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")  # one line
    assert result.stdout == ""


def test_the_installed_command_prints_one_line(tmp_path: Path) -> None:
    done = subprocess.run([*COMMAND, "score", "--bogus"], capture_output=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == "error: no such option: --bogus; see tra-assess score --help\n"
    assert "╭" not in done.stderr.decode() and done.stdout == b""


def test_a_near_miss_gets_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "a.csv", "--grop-by", "role"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no such option: --grop-by (did you mean --group-by?)")


def test_help_and_no_arguments_still_show_help(runner: CliRunner) -> None:
    assert runner.invoke(app, ["score", "--help"]).exit_code == 0
    bare = runner.invoke(app, [])
    assert "Usage: tra-assess" in bare.output
    assert "Usage: tra-assess questionnaires" in runner.invoke(app, ["questionnaires"]).output
