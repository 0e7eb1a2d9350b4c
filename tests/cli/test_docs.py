"""The README is the user's manual: it must cover every command and stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the manual: the README and the pages under docs/
MANUAL = README + "".join(
    page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").glob("*.md"))
)

COMMANDS = [
    "run",
    "score",
    "report",
    "compare",
    "questionnaires list",
    "questionnaires show",
    "questionnaires validate",
    "template",
    "schema",
    "demo",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_reference(command: str) -> None:
    assert f"`tra-assess {command}" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_a_command_is_documented(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", result.output)) - {"--help"}
    missing = sorted(option for option in options if option not in MANUAL)
    assert not missing, f"{command}: options not in the README or docs/: {missing}"


def test_readme_states_the_two_setup_commands() -> None:
    assert ".venv/bin/pip install . && .venv/bin/tra-assess demo" in README
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest' in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '.venv/bin/pip install -q -e ".[test]"' in ci
    assert ".venv/bin/python -m pytest" in ci


@pytest.mark.parametrize("code", ["0", "1", "2", "130"])
def test_exit_codes_are_documented(code: str) -> None:
    section = README.split("## Exit codes", 1)[1]
    assert f"| {code} |" in section
