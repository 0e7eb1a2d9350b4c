"""`tra-assess run`: the existing-file message names the questionnaire; a lone `-` note."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import parse_answers_document

META = ["--organization", "Riverbend", "--role", "lead", "--respondent", "r1", "--mode",
        "consensus"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795348800")


def _keys(keys: list[str]) -> str:
    return "".join(f"{key}\n" for key in keys)


def _load(path: Path, q: Questionnaire):  # type: ignore[no-untyped-def]
    return parse_answers_document(yaml.safe_load(path.read_text()), str(path), q)


def test_existing_out_file_names_the_questionnaire_path(
    runner: CliRunner, mini_path: Path, mini: Questionnaire
) -> None:
    first = runner.invoke(app, ["run", "-q", str(mini_path), "--out", "a.yaml", *META],
                          input=_keys(["3", "", "q"]))
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["run", "-q", str(mini_path), "--out", "a.yaml", *META],
                          input=_keys(["1"]))
    assert again.exit_code == 2, again.output
    command = f"tra-assess run --resume a.yaml -q {shlex.quote(str(mini_path))}"
    assert again.stderr == (
        f"error: a.yaml already exists and is never overwritten. To continue it: {command}; "
        "or choose another name with --out\n"
    )
    # the command it gives works
    resumed = runner.invoke(app, shlex.split(command)[1:], input=_keys(["2", "", "q"]))
    assert resumed.exit_code == 0, resumed.output
    assert _load(Path("a.yaml"), mini).values == {"alpha.one": 3, "alpha.two": 2}


def test_existing_out_file_of_a_built_in_questionnaire_has_no_q(runner: CliRunner) -> None:
    Path("taken.yaml").write_text("precious\n")
    result = runner.invoke(app, ["run", "-q", "tra-core", "--out", "taken.yaml", *META],
                           input=_keys(["3"]))
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "error: taken.yaml already exists and is never overwritten. To continue it: "
        "tra-assess run --resume taken.yaml; or choose another name with --out\n"
    )
    assert Path("taken.yaml").read_text() == "precious\n"


def test_lone_dash_only_removes_a_note(
    runner: CliRunner, mini_path: Path, mini: Questionnaire
) -> None:
    doc = {"format": "tra-answers/1", "questionnaire": {"id": "mini", "version": "2.0"},
           "answers": {"alpha.one": 1, "alpha.two": {"value": 2, "note": "to remove"}}}
    Path("v.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    # review: alpha.one has no note ("-": nothing to remove), alpha.two's note is removed
    result = runner.invoke(app, ["run", "-q", str(mini_path), "--resume", "v.yaml", "--review"],
                           input=_keys(["1", "-", "2", "-", "q"]))
    assert result.exit_code == 0, result.output
    response = _load(Path("v.yaml"), mini)
    assert response.values == {"alpha.one": 1, "alpha.two": 2}
    assert response.notes == {}
    # a new walk: "-" at the note prompt stores nothing either
    result = runner.invoke(app, ["run", "-q", str(mini_path), "--out", "n.yaml", *META],
                           input=_keys(["3", "-", "q"]))
    assert result.exit_code == 0, result.output
    response = _load(Path("n.yaml"), mini)
    assert response.values == {"alpha.one": 3}
    assert response.notes == {}
