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
    (["score", "--bogus"], "error: no such option: --bogus (see 'tra-assess score --help')"),
    (["score"], "error: missing argument 'inputs' (see 'tra-assess score --help')"),
    (["score", "a.csv", "--format", "nope"],
     "error: invalid value for '--format' / '-f': 'nope' is not one of 'table', 'json' "
     "(see 'tra-assess score --help')"),
    (["score", "a.csv", "--top", "abc"],
     "error: invalid value for '--top': Input should be a valid integer, unable to parse "
     "string as an integer (see 'tra-assess score --help')"),
    (["score", "--out"], "error: option '--out' requires an argument (see 'tra-assess score "
     "--help')"),
    (["report", "r.json", "--jobs", "0"],
     "error: invalid value for '--jobs' / '-j': Input should be greater than or equal to 1 "
     "(see 'tra-assess report --help')"),
    (["run", "--mode", "bad"], "error: invalid value for '--mode': 'bad' is not one of "
     "'individual', 'consensus' (see 'tra-assess run --help')"),
    (["questionnaires", "show"],
     "error: missing argument 'questionnaire' (see 'tra-assess questionnaires show --help')"),
    (["questionnaires", "nope"],
     "error: no such command 'nope' (see 'tra-assess questionnaires --help')"),
    (["bogus"], "error: no such command 'bogus' (see 'tra-assess --help')"),
    (["--bogus"], "error: no such option: --bogus (see 'tra-assess --help')"),
    (["template", "--format", "pdf"], "error: invalid value for '--format' / '-f': 'pdf' is not "
     "one of 'csv', 'yaml' (see 'tra-assess template --help')"),
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_a_usage_error_is_one_line_with_a_hint(runner: CliRunner, args: list[str],
                                               expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""


def test_the_installed_command_prints_one_line(tmp_path: Path) -> None:
    done = subprocess.run([*COMMAND, "score", "--bogus"], capture_output=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "error: no such option: --bogus (see 'tra-assess score --help')\n")
    assert "╭" not in done.stderr.decode() and done.stdout == b""


def test_a_near_miss_gets_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "a.csv", "--grop-by", "role"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no such option: --grop-by; did you mean --group-by")


def test_help_and_no_arguments_still_show_help(runner: CliRunner) -> None:
    assert runner.invoke(app, ["score", "--help"]).exit_code == 0
    bare = runner.invoke(app, [])
    assert "Usage: tra-assess" in bare.output
    assert "Usage: tra-assess questionnaires" in runner.invoke(app, ["questionnaires"]).output
