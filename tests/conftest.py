"""Shared fixtures: a CliRunner with a fixed terminal, and the small test questionnaire."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same output everywhere: no colour, a fixed width, no terminal detection surprises."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini_path() -> Path:
    return MINI


@pytest.fixture
def mini():  # type: ignore[no-untyped-def]
    from tra_assess.questionnaire.load import load_questionnaire_file

    return load_questionnaire_file(MINI)
