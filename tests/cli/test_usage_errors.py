"""Usage errors are one line on stderr with exit 2: an option that takes one value given
twice (never "the last one wins"), an unknown choice in words, an unknown option."""

from __future__ import annotations

from enum import Enum

import pytest
from typer.core import TyperGroup, TyperOption
from typer.main import get_command
from typer.testing import CliRunner

from tra_assess.cli.app import app


def _options() -> list[tuple[tuple[str, ...], TyperOption]]:
    found: list[tuple[tuple[str, ...], TyperOption]] = []

    def walk(group: TyperGroup, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, TyperGroup):
                walk(command, (*path, name))
                continue
            for param in command.params:
                if isinstance(param, TyperOption) and not (param.is_flag or param.multiple):
                    found.append(((*path, name), param))

    root = get_command(app)
    assert isinstance(root, TyperGroup)
    walk(root, ())
    return found


def _choices(param: TyperOption) -> list[str]:
    choices = param.type_descriptor.choices or ()
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]


SINGLE = _options()


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    assert "╭" not in lines[0] and "Traceback" not in lines[0]
    return lines[0]


@pytest.mark.parametrize(("path", "param"), SINGLE,
                         ids=[f"{' '.join(p)} {o.opts[0]}" for p, o in SINGLE])
def test_an_option_given_twice_is_a_usage_error(path: tuple[str, ...], param: TyperOption) -> None:
    value = (_choices(param) or ["7"])[0]
    long, short = max(param.opts, key=len), min(param.opts, key=len)
    runner = CliRunner()
    result = runner.invoke(app, [*path, long, value, short, value])
    assert _one_error_line(result) == f"error: {long} was given twice; give it once"


def test_given_twice_with_equals_and_between_arguments() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["report", "a.json", "--baseline=x.json", "b.json",
                                 "--baseline", "y.json"])
    assert _one_error_line(result) == "error: --baseline was given twice; give it once"
    result = runner.invoke(app, ["score", "a.json", "-qx", "-q", "y"])
    assert _one_error_line(result) == "error: --questionnaire was given twice; give it once"


def test_repeatable_options_and_flags_may_repeat(tmp_path, mini_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    result = runner.invoke(app, ["run", "-q", str(mini_path), "--domain", "alpha", "--domain",
                                 "beta", "--no-notes", "--no-notes", "--out",
                                 str(tmp_path / "a.yaml"), "--organization", "O", "--role",
                                 "lead", "--respondent", "", "--mode", "individual"], input="q\n")
    assert result.exit_code == 0, result.output
    assert "given twice" not in result.output


CHOICES = [(p, o) for p, o in SINGLE if _choices(o)]


@pytest.mark.parametrize(("path", "param"), CHOICES,
                         ids=[f"{' '.join(p)} {o.opts[0]}" for p, o in CHOICES])
def test_a_bad_choice_is_one_clean_line(path: tuple[str, ...], param: TyperOption) -> None:
    runner = CliRunner()
    result = runner.invoke(app, [*path, max(param.opts, key=len), "bogus"])
    line = _one_error_line(result)
    choices = _choices(param)
    listed = " or ".join(choices) if len(choices) == 2 else (
        ", ".join(choices[:-1]) + " or " + choices[-1])
    noun = max(param.opts, key=len).lstrip("-").replace("-", " ")
    assert line == f"error: unknown {noun} 'bogus' ({listed})"
    assert "Value error" not in result.output and "is not one of" not in result.output


def test_report_format_message_names_every_format() -> None:
    result = CliRunner().invoke(app, ["report", "r.json", "--format", "docx"])
    line = _one_error_line(result)
    assert line.startswith("error: unknown format 'docx' (md")
    assert "html" in line


def test_bad_argument_choice_and_unknown_option() -> None:
    runner = CliRunner()
    line = _one_error_line(runner.invoke(app, ["schema", "bogus"]))
    assert line == "error: unknown kind 'bogus' (questionnaire, answers, results or profile)"
    line = _one_error_line(runner.invoke(app, ["score", "x.json", "--bogus"]))
    assert line.startswith("error: no such option: --bogus")
    assert line.endswith("; see tra-assess score --help")
    line = _one_error_line(runner.invoke(app, ["score", "x.json", "--top", "0"]))
    assert line == "error: --top must be greater than or equal to 1; see tra-assess score --help"
    line = _one_error_line(runner.invoke(app, ["score"]))
    assert line == "error: missing argument 'INPUT...'; see tra-assess score --help"
