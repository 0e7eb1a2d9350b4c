"""The error boundary: the tool's errors, Ctrl-C and bugs become one line and an exit code;
--debug shows the traceback instead. The command reference writes and prints itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tra_assess.cli import support
from tra_assess.cli.reference import main as reference_main
from tra_assess.cli.reference import render_reference
from tra_assess.common.errors import InvalidInputError


def _app(raised: BaseException | None, code: int = 0) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @support.boundary
    def go() -> int:
        if raised is not None:
            raise raised
        return code

    return app


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(support._state, "debug", False)


@pytest.mark.parametrize(
    ("raised", "code", "line"),
    [
        (InvalidInputError("answers.yaml: bad"), 1, "answers.yaml: bad"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (
            ZeroDivisionError("division by zero"),
            3,
            "internal error: ZeroDivisionError: division by zero. This is a bug in tra-assess; "
            "run again with --debug for the details and report it.",
        ),
    ],
)
def test_errors_become_one_line_and_an_exit_code(
    raised: BaseException, code: int, line: str
) -> None:
    result = CliRunner().invoke(_app(raised), [])
    assert result.exit_code == code
    assert line in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_a_command_returns_its_exit_code() -> None:
    assert CliRunner().invoke(_app(None, 4), []).exit_code == 4
    assert CliRunner().invoke(_app(None, 0), []).exit_code == 0


@pytest.mark.parametrize("raised", [InvalidInputError("x: bad"), ZeroDivisionError("boom")])
def test_debug_shows_the_exception(raised: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(support._state, "debug", True)
    result = CliRunner().invoke(_app(raised), [])
    assert isinstance(result.exception, type(raised))


def test_the_reference_writes_and_prints(tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "commands.md"
    assert reference_main(["--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_reference()
    assert f"wrote {target}" in capsys.readouterr().out
    assert reference_main([]) == 0
    assert capsys.readouterr().out == render_reference()
