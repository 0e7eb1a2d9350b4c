"""``run``: ``n`` on a critical item asks for the reason (SPEC section 4)."""

from __future__ import annotations

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


def walk(runner: CliRunner, mini_path: Path, keys: list[str]):  # type: ignore[no-untyped-def]
    text = "".join(f"{key}\n" for key in keys)
    return runner.invoke(app, ["run", "-q", str(mini_path), "--out", "a.yaml", *META],
                         input=text)


def test_na_on_a_critical_item_records_the_reason(
    runner: CliRunner, mini_path: Path, mini: Questionnaire
) -> None:
    # alpha.one 3 (no note), alpha.two (critical) n + reason, alpha.three n (not critical:
    # the evidence note prompt as usual)
    result = walk(runner, mini_path, ["3", "", "n", "We never do alpha two here", "n", ""])
    assert result.exit_code == 0, result.output
    assert "why does it not apply here?" in result.output
    doc = yaml.safe_load(Path("a.yaml").read_text())
    response = parse_answers_document(doc, "a.yaml", mini)
    assert response.values["alpha.two"] == "na"
    assert response.notes == {"alpha.two": "We never do alpha two here"}
    assert response.values["alpha.three"] == "na"


def test_enter_without_a_reason_records_unknown_and_says_so(
    runner: CliRunner, mini_path: Path, mini: Questionnaire
) -> None:
    result = walk(runner, mini_path, ["3", "", "n", ""])
    assert result.exit_code == 0, result.output
    assert "Recorded as don't know: not applicable on a critical practice needs a reason." in (
        result.output
    )
    response = parse_answers_document(yaml.safe_load(Path("a.yaml").read_text()), "a.yaml", mini)
    assert response.values["alpha.two"] == "unknown"
    assert "alpha.two" not in response.notes


def test_an_invisible_reason_records_unknown(
    runner: CliRunner, mini_path: Path, mini: Questionnaire
) -> None:
    result = walk(runner, mini_path, ["3", "", "n", "\u200b\u2060"])
    assert result.exit_code == 0, result.output
    assert "Recorded as don't know" in result.output
    response = parse_answers_document(yaml.safe_load(Path("a.yaml").read_text()), "a.yaml", mini)
    assert response.values["alpha.two"] == "unknown"
    assert "alpha.two" not in response.notes
