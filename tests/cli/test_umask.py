"""New files get the user's umask (results and reports hold evidence notes: 0600 under
umask 077); answers files written by run are always 0600."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.common.fsutil import current_umask, user_mode

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]
ANSWER = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
answers: {alpha.one: 3, beta.two: 2}
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


@pytest.mark.parametrize(("mask", "expected"), [(0o077, 0o600), (0o022, 0o644), (0o027, 0o640)])
def test_results_reports_and_templates_follow_the_umask(
        runner: CliRunner, tmp_path: Path, mini_path: Path, umask: None, mask: int,
        expected: int) -> None:
    answer = tmp_path / "a.yaml"
    answer.write_text(ANSWER)
    os.umask(mask)
    assert current_umask() == mask and user_mode() == expected
    results, report = tmp_path / "results.json", tmp_path / "report.html"
    template = tmp_path / "columns.csv"
    assert runner.invoke(app, ["score", str(answer), "-q", str(mini_path), "--out",
                               str(results)]).exit_code == 0
    assert runner.invoke(app, ["report", str(results), "--format", "html", "--out",
                               str(report)]).exit_code == 0
    assert runner.invoke(app, ["template", "-q", str(mini_path), "--format", "csv", "--out",
                               str(template)]).exit_code == 0
    assert [mode(p) for p in (results, report, template)] == [expected] * 3
    # the answers file of a walk stays private whatever the umask
    walked = tmp_path / "walk.yaml"
    result = runner.invoke(app, ["run", "-q", str(mini_path), "--out", str(walked),
                                 "--organization", "O", "--role", "lead", "--respondent", "",
                                 "--mode", "individual", "--no-notes"], input="3\nq\n")
    assert result.exit_code == 0, result.output
    assert mode(walked) == 0o600


def test_the_installed_command_under_umask_077(tmp_path: Path, mini_path: Path) -> None:
    answer = tmp_path / "a.yaml"
    answer.write_text(ANSWER)
    script = (f"umask 077 && {' '.join(COMMAND)} score {answer} -q {mini_path} --out r.json"
              f" && {' '.join(COMMAND)} report r.json --out report.md")
    done = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert mode(tmp_path / "r.json") == 0o600
    assert mode(tmp_path / "report.md") == 0o600


def test_a_replaced_file_keeps_its_permissions(runner: CliRunner, tmp_path: Path,
                                               mini_path: Path, umask: None) -> None:
    answer = tmp_path / "a.yaml"
    answer.write_text(ANSWER)
    results = tmp_path / "results.json"
    results.write_text("{}")
    results.chmod(0o640)
    os.umask(0o077)
    assert runner.invoke(app, ["score", str(answer), "-q", str(mini_path), "--out",
                               str(results)]).exit_code == 0
    assert mode(results) == 0o640
