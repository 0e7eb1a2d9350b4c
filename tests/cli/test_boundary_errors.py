"""The command line's error boundary: a bug is one line and exit 3, Ctrl-C is 'interrupted'
and exit 130, and --debug lets the traceback through for a bug report."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tra_assess.cli import support
from tra_assess.cli.app import app
from tra_assess.common import resources
from tra_assess.common.errors import EXIT_BUG, EXIT_INTERRUPTED, InvalidInputError, Problem


@pytest.fixture(autouse=True)
def _debug_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(support._state, "debug", False)


def _failing(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    def builtin_questionnaires() -> list[str]:
        raise exc

    monkeypatch.setattr(resources, "builtin_questionnaires", builtin_questionnaires)


def test_a_bug_is_one_line_and_exit_3(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _failing(monkeypatch, ZeroDivisionError("division by zero"))
    result = runner.invoke(app, ["questionnaires", "list"])
    assert result.exit_code == EXIT_BUG == 3
    assert result.stderr == (
        "internal error: ZeroDivisionError: division by zero. This is a bug in tra-assess; run "
        "again with --debug for the details and report it.\n"
    )
    assert "Traceback" not in result.output


def test_ctrl_c_is_interrupted_and_exit_130(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing(monkeypatch, KeyboardInterrupt())
    result = runner.invoke(app, ["questionnaires", "list"])
    assert result.exit_code == EXIT_INTERRUPTED == 130
    assert result.stderr == "interrupted\n"


def test_debug_lets_a_bug_through(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _failing(monkeypatch, ZeroDivisionError("division by zero"))
    result = runner.invoke(app, ["--debug", "questionnaires", "list"])
    assert isinstance(result.exception, ZeroDivisionError)
    assert "internal error" not in result.stderr


def test_debug_lets_an_input_error_through(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing(monkeypatch, InvalidInputError("bad", [Problem("q.yaml", "broken", 3)]))
    plain = runner.invoke(app, ["questionnaires", "list"])
    assert (plain.exit_code, plain.stderr) == (1, "q.yaml:3: broken\n")
    result = runner.invoke(app, ["--debug", "questionnaires", "list"])
    assert isinstance(result.exception, InvalidInputError)
    assert result.exception.lines() == ["q.yaml:3: broken"]
