"""The command tree built for one named command behaves as the whole tree does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import COMMANDS, build_app, invoked_command


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["score", "a.csv"], "score"),
        (["--debug", "report", "r.json"], "report"),
        (["questionnaires", "list"], "questionnaires"),
        (["--help", "score"], None),
        (["-h"], None),
        (["--version"], None),
        ([], None),
        (["scroe", "a.csv"], None),
        (["--debug"], None),
    ],
)
def test_invoked_command(args: list[str], expected: str | None) -> None:
    assert invoked_command(args) == expected


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("tail", [["--help"], ["--no-such-option"]])
def test_one_command_tree_matches_the_whole_tree(name: str, tail: list[str]) -> None:
    runner = CliRunner()
    whole = runner.invoke(build_app(), [name, *tail])
    alone = runner.invoke(build_app(name), [name, *tail])
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert whole.exit_code == (0 if tail == ["--help"] else 2)


def test_whole_tree_lists_every_command() -> None:
    result = CliRunner().invoke(build_app(), ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def _run_main(argv: list[str], report: str, setup: str = "") -> subprocess.CompletedProcess[str]:
    """``main()`` run in a fresh interpreter on ``argv``; ``report`` is code that writes what
    the test looks at to stderr afterwards (``setup`` runs before the import)."""
    code = (
        f"import sys\nsys.argv = {['tra-assess', *argv]!r}\n{setup}"
        "from tra_assess.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    sys.exit_code_seen = exc.code\n"
        f"{report}"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_running_one_command_imports_no_other_command() -> None:
    proc = _run_main(
        ["schema", "answers"],
        "assert not sys.exit_code_seen, sys.exit_code_seen\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('tra_assess.cli.commands.'))\n"
        "sys.stderr.write(','.join(loaded))\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "tra_assess.cli.commands.schema"
    assert '"$schema"' in proc.stdout


def test_scoring_json_with_a_built_in_questionnaire_needs_no_yaml(tmp_path: Path) -> None:
    """PyYAML is imported on the first YAML document only: JSON answers scored with a
    built-in questionnaire (read from its validated copy) never need it."""
    answers = tmp_path / "a.json"
    answers.write_text(
        '{"format": "tra-answers/1", "questionnaire": {"id": "tra-core", "version": "1.1.0"},'
        ' "respondent": {"id": "r1", "role": "frontline"}, "answers": {"intake.first-contact": 3}}',
        encoding="utf-8",
    )
    proc = _run_main(
        ["score", str(answers), "--format", "json"],
        "assert not sys.exit_code_seen, sys.exit_code_seen\n"
        "sys.stderr.write(','.join(m for m in ('yaml', 'jinja2', 'openpyxl', 'numpy',"
        " 'importlib.metadata') if m in sys.modules))\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert '"respondents": 1' in proc.stdout


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["-h"], ["--debug", "--help"], ["--version"], ["--help", "--debug"]]
)
def test_the_listing_tree_shows_what_the_whole_tree_shows(args: list[str]) -> None:
    runner = CliRunner()
    listed = runner.invoke(build_app(listing=True), args)
    whole = runner.invoke(build_app(), args)
    assert (listed.exit_code, listed.output) == (whole.exit_code, whole.output)
    assert "score" in whole.output or "tra-assess" in whole.output


def test_the_root_help_inspects_no_command_signature() -> None:
    proc = _run_main(
        ["--help"],
        "sys.stderr.write(','.join(sorted(set(seen))))\n",
        setup=(
            "import typer.main\n"
            "seen = []\n"
            "original = typer.main._get_params_name_from_function\n"
            "def spy(callback):\n"
            "    seen.append(getattr(callback, '__name__', '?'))\n"
            "    return original(callback)\n"
            "typer.main._get_params_name_from_function = spy\n"
        ),
    )
    assert "Commands" in proc.stdout
    commands = {attribute for _, attribute in COMMANDS.values() if attribute != "app"}
    inspected = set(proc.stderr.split(","))
    assert "listed" in inspected and not inspected & commands, proc.stderr


def test_the_stand_in_plugin_loader_is_what_pydantic_does_with_plugins_off() -> None:
    """With plugins off, pydantic's own loader finds none, and ``get_plugins`` is all that
    pydantic takes from it: the stand-in (:func:`no_pydantic_plugins`) changes nothing else."""
    code = (
        "import inspect, os, sys\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
        "from pydantic.plugin import _loader, _schema_validator\n"
        "assert tuple(_loader.get_plugins()) == ()\n"
        "source = inspect.getsource(_schema_validator)\n"
        "assert source.count('_loader') == 1 and 'from ._loader import get_plugins' in source\n"
        "del sys.modules['pydantic.plugin._loader']\n"
        "from tra_assess.cli.app import no_pydantic_plugins\n"
        "no_pydantic_plugins()\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n"
        "    x: int\n"
        "assert M(x='3').x == 3\n"
        "assert tuple(sys.modules['pydantic.plugin._loader'].get_plugins()) == ()\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_a_user_choice_of_plugins_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from tra_assess.cli import app as cli_app

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some-plugin")
    monkeypatch.delitem(sys.modules, "pydantic.plugin._loader", raising=False)
    cli_app.no_pydantic_plugins()
    assert "pydantic.plugin._loader" not in sys.modules
