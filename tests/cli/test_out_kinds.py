"""``--out`` never replaces a file that is not the command's own kind (an answers file, a
survey export, a questionnaire, a profile), input or not, without ``--force``."""

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

ANSWER = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
respondent: {id: r1, role: lead}
answers: {alpha.one: 3, beta.two: 2}
"""
OTHER = ANSWER.replace("r1", "r2").replace("alpha.one: 3", "alpha.one: 1")
EXPORT = "respondent_id,alpha.one\nr9,4\n"
PROFILE = "format: tra-profile/1\nlabels: {Agree: 3}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(ANSWER)
    (tmp_path / "colleague.yaml").write_text(OTHER)
    (tmp_path / "export.csv").write_text(EXPORT)
    (tmp_path / "profile.yaml").write_text(PROFILE)
    return tmp_path


def _score(runner: CliRunner, mini: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["score", *args, "-q", str(mini)])


@pytest.mark.parametrize(("name", "kind"), [
    ("colleague.yaml", "an answers file (tra-answers/1)"),
    ("export.csv", "a survey export"),
    ("profile.yaml", "a profile (tra-profile/1)"),
])
def test_score_out_refuses_a_foreign_file_that_is_not_an_input(
        runner: CliRunner, folder: Path, mini_path: Path, name: str, kind: str) -> None:
    target = folder / name
    before = target.read_text()
    result = _score(runner, mini_path, str(folder / "a.yaml"), "--out", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --out {target} is {kind}, not this command's output; nothing was written. "
        "Choose another file name, or add --force to replace it\n")
    assert target.read_text() == before
    forced = _score(runner, mini_path, str(folder / "a.yaml"), "--out", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert '"format": "tra-results/1"' in target.read_text()


def test_score_out_refuses_a_questionnaire(runner: CliRunner, folder: Path,
                                           mini_path: Path) -> None:
    copy = folder / "other-questionnaire.yaml"
    copy.write_text(mini_path.read_text())
    result = _score(runner, mini_path, str(folder / "a.yaml"), "--out", str(copy))
    assert result.exit_code == 2
    assert "is a questionnaire (tra-questionnaire/1), not this command's output" in result.stderr
    assert copy.read_text() == mini_path.read_text()


def test_score_out_replaces_an_older_results_file(runner: CliRunner, folder: Path,
                                                  mini_path: Path) -> None:
    results = folder / "results.json"
    assert _score(runner, mini_path, str(folder / "a.yaml"), "--out", str(results)).exit_code == 0
    first = results.read_text()
    again = _score(runner, mini_path, str(folder / "colleague.yaml"), "--out", str(results))
    assert again.exit_code == 0, again.output
    assert results.read_text() != first and '"respondents": 1' in results.read_text()


def test_force_never_lets_out_replace_an_input(runner: CliRunner, folder: Path,
                                              mini_path: Path) -> None:
    answer = folder / "a.yaml"
    result = _score(runner, mini_path, str(answer), "--out", str(answer), "--force")
    assert result.exit_code == 2
    assert "would overwrite the input" in result.stderr
    assert answer.read_text() == ANSWER


def test_report_out_refuses_an_answers_file_through_the_installed_command(
        folder: Path, mini_path: Path) -> None:
    results = folder / "results.json"
    base = [*COMMAND]
    done = subprocess.run([*base, "score", str(folder / "a.yaml"), "-q", str(mini_path),
                           "--out", str(results)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    target = folder / "colleague.yaml"
    refused = subprocess.run([*base, "report", str(results), "--out", str(target)],
                             capture_output=True, timeout=60)
    assert refused.returncode == 2
    assert refused.stderr.decode().count("\n") == 1
    assert "is an answers file (tra-answers/1)" in refused.stderr.decode()
    assert target.read_text() == OTHER
    # a previous report (its own kind) is replaced
    report = folder / "report.md"
    report.write_text("# An older report\n")
    written = subprocess.run([*base, "report", str(results), "--out", str(report)],
                             capture_output=True, timeout=60)
    assert written.returncode == 0, written.stderr
    assert "An older report" not in report.read_text()


def test_template_out_never_replaces_a_filled_in_file_without_force(
        runner: CliRunner, folder: Path, mini_path: Path) -> None:
    target = folder / "colleague.yaml"
    args = ["template", "-q", str(mini_path), "--format", "yaml", "--out", str(target)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "add --force to replace it" in result.stderr
    assert target.read_text() == OTHER
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "alpha.one" in target.read_text() and "r2" not in target.read_text()
    copy = folder / "q.yaml"
    copy.write_text(mini_path.read_text())
    own_input = runner.invoke(app, ["template", "-q", str(copy), "--format", "csv",
                                    "--out", str(copy), "--force"])
    assert own_input.exit_code == 2 and copy.read_text() == mini_path.read_text()


def test_demo_refuses_a_folder_of_other_files(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(folder), "--respondents", "5"])
    assert result.exit_code == 2
    assert "folder is not empty and was not made by tra-assess demo" in result.stderr
    assert (folder / "colleague.yaml").read_text() == OTHER
    assert not (folder / "results.json").exists()


def test_demo_over_a_previous_demo_keeps_a_file_of_another_kind(runner: CliRunner,
                                                               tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert runner.invoke(app, ["demo", "--out", str(demo), "--respondents", "5"]).exit_code == 0
    (demo / "results.json").write_text(ANSWER)  # someone's answers, saved under that name
    result = runner.invoke(app, ["demo", "--out", str(demo), "--respondents", "5"])
    assert result.exit_code == 2
    assert "is an answers file (tra-answers/1), not this command's output" in result.stderr
    assert (demo / "results.json").read_text() == ANSWER
    assert (demo / "report.md").exists()
