"""Every ``--help`` reads cleanly at 80 columns: sentences wrap at spaces (never mid-word),
options show metavars (FILE, N, INPUT...) instead of Python types, and each command's summary
in the top-level help is one sentence."""

from __future__ import annotations

import re

import pytest
from typer.core import TyperGroup, TyperOption
from typer.main import get_command
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.cli.parsing import reflow

BOX = str.maketrans({c: " " for c in "│╭╮╰╯─┃━┏┓┗┛"})


def _commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [()]

    def walk(group: TyperGroup, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            found.append((*path, name))
            if isinstance(command, TyperGroup):
                walk(command, (*path, name))

    root = get_command(app)
    assert isinstance(root, TyperGroup)
    walk(root, ())
    return found


COMMANDS = _commands()


def _command(path: tuple[str, ...]):  # type: ignore[no-untyped-def]
    command = get_command(app)
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return command


def _help(runner: CliRunner, path: tuple[str, ...], columns: int = 80) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_checked() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"run", "score", "report", "compare", "questionnaires show", "schema"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "tra-assess")
def test_help_fits_80_columns_and_shows_no_python_types(runner: CliRunner,
                                                        path: tuple[str, ...]) -> None:
    text = _help(runner, path)
    for line in text.splitlines():
        assert len(line) <= 80, line
    for python_type in ("<bool>", "<list", "<str>", "<path>", "<int", "<float", "[x>="):
        assert python_type not in text, f"{python_type!r} in the help of {path}"
    assert not re.search(r"\{[a-z_]+\}", text), f"a braced argument name in {path}"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "tra-assess")
def test_help_never_cuts_a_word(runner: CliRunner, path: tuple[str, ...]) -> None:
    command = _command(path)
    words = set(_help(runner, path).translate(BOX).split())
    sources = [command.help or ""]
    for param in command.params:
        sources.append(getattr(param, "help", None) or "")
        if isinstance(param, TyperOption):
            sources.extend(param.opts)
        if param.metavar:
            sources.append(param.metavar)
    for source in sources:
        for word in (reflow(source) or "").split():
            assert word in words, f"{word!r} of {path} is cut or missing in its --help"


def _summaries(text: str) -> dict[str, str]:
    """The Commands panel of a group's help: command name -> its summary, lines joined."""
    panel = text.split("Commands ─", 1)[1].split("╰", 1)[0]
    rows: dict[str, list[str]] = {}
    current = ""
    for line in panel.splitlines()[1:]:
        inner = line.strip().strip("│").rstrip()
        if not inner.strip():
            continue
        if inner[1] != " ":
            current, _, rest = inner.strip().partition(" ")
            rows[current] = [rest.strip()]
        else:
            rows[current].append(inner.strip())
    return {name: " ".join(parts) for name, parts in rows.items()}


@pytest.mark.parametrize("columns", [80, 100])
def test_top_level_summaries_are_one_clean_sentence(runner: CliRunner, columns: int) -> None:
    summaries = _summaries(_help(runner, (), columns))
    root = _command(())
    assert set(summaries) == set(root.commands)
    for name, summary in summaries.items():
        first = (reflow(root.commands[name].help) or "").split("\n\n")[0]
        assert summary == first, name
        assert summary.endswith("."), name
        assert not re.search(r"\.\s", summary[:-1]), f"{name}: more than one sentence"
        assert "\n" not in first


def test_metavars_read_like_the_spec(runner: CliRunner) -> None:
    score = _help(runner, ("score",), 120)
    assert "INPUT..." in score and "ID|PATH" in score and "LEVEL" in score
    assert re.search(r"--out\s+-o\s+FILE", score)
    assert re.search(r"--jobs\s+-j\s+N\b", score)
    assert re.search(r"--format\s+-f\s+\[table\|json\]", score)
    assert "Usage: tra-assess score [OPTIONS] INPUT..." in score
    assert re.search(r"--out\s+-o\s+DIR", _help(runner, ("demo",), 120))
    assert "Usage: tra-assess schema [OPTIONS] questionnaire|answers|results" in _help(
        runner, ("schema",), 120)
    run = _help(runner, ("run",), 120)
    assert re.search(r"--review\s+With --resume", run)  # a flag shows no type at all
