"""What ``--out`` may write: never over an input, through a link, into a pipe, keeping a
file's permissions, and one line (not a traceback) when the place cannot be written."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

ANSWER = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
respondent: {id: r1, role: lead}
answers: {alpha.one: 3, beta.two: 2}
"""


@pytest.fixture
def answer(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    path.write_text(ANSWER)
    return path


def _score(runner: CliRunner, mini_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["score", *args, "-q", str(mini_path)])


def test_out_never_replaces_an_input(runner: CliRunner, answer: Path, mini_path: Path) -> None:
    result = _score(runner, mini_path, str(answer), "--out", str(answer))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --out {answer} would overwrite the input {answer}; choose another file name"
    )
    assert answer.read_text() == ANSWER
    folder = answer.parent
    result = _score(runner, mini_path, str(folder), "--out", str(answer))
    assert result.exit_code == 2 and answer.read_text() == ANSWER  # an answer file in a folder
    copy = folder / "q.yaml"
    copy.write_text(mini_path.read_text())
    result = runner.invoke(app, ["score", str(answer), "-q", str(copy), "--out", str(copy)])
    assert result.exit_code == 2 and copy.read_text() == mini_path.read_text()


def test_report_out_never_replaces_its_baseline_or_template(
    runner: CliRunner, answer: Path, mini_path: Path
) -> None:
    results = answer.parent / "results.json"
    assert _score(runner, mini_path, str(answer), "--out", str(results)).exit_code == 0
    before = results.read_text()
    template = answer.parent / "t.md"
    template.write_text("{{ title }}\n")
    for extra in (["--baseline", str(results)], ["--template", str(template)]):
        taken = Path(extra[1])
        kept = taken.read_text()
        result = runner.invoke(app, ["report", str(results), *extra, "--out", str(taken)])
        assert result.exit_code == 2, result.output
        assert "would overwrite the input" in result.stderr
        assert taken.read_text() == kept
    assert results.read_text() == before


def test_out_through_a_link_keeps_the_link_and_the_mode(
    runner: CliRunner, answer: Path, mini_path: Path
) -> None:
    real = answer.parent / "real.json"
    real.write_text("{}")
    real.chmod(0o640)
    link = answer.parent / "link.json"
    link.symlink_to(real.name)
    assert _score(runner, mini_path, str(answer), "--out", str(link)).exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text())["respondents"] == 1
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_out_into_a_pipe_is_written_through(
    runner: CliRunner, answer: Path, mini_path: Path
) -> None:
    fifo = answer.parent / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = _score(runner, mini_path, str(answer), "--out", str(fifo))
    reader.join(timeout=20)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["respondents"] == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_a_place_that_cannot_be_written_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--format", "csv", "--out", "/proc/self/nope.csv"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: cannot write /proc/self/nope.csv: No such file or directory"
    )
    result = runner.invoke(app, ["demo", "--out", "/proc/self/demo"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: cannot write /proc/self/demo: No such file or directory"


def test_out_through_a_link_in_an_input_folder_is_refused(
    runner: CliRunner, answer: Path, mini_path: Path
) -> None:
    outside = answer.parent / "outside"
    outside.mkdir()
    real = outside / "real.yaml"
    real.write_text(ANSWER.replace("r1", "r2"))
    link = answer.parent / "linked.yaml"
    link.symlink_to(real)
    result = _score(runner, mini_path, str(answer.parent), "--out", str(link))
    assert result.exit_code == 2
    assert real.read_text() == ANSWER.replace("r1", "r2")
