"""The installable tool: entry points, lazy start-up, schemas, templates, packaged data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess import __version__
from tra_assess.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["run", "score", "report", "compare", "questionnaires", "template", "schema", "demo"]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"tra-assess {__version__}"


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    if command != "questionnaires":
        assert "Example:" in result.output


def test_python_dash_m_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tra_assess", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"tra-assess {__version__}"


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "import tra_assess.cli.app\n"
        "heavy = [m for m in ('pydantic', 'yaml', 'jinja2', 'openpyxl') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


@pytest.mark.parametrize("kind", ["questionnaire", "answers", "results"])
def test_schema_is_json_schema(runner: CliRunner, kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert kind in schema["title"]
    assert schema["additionalProperties"] is False


def test_questionnaire_schema_allows_include_entries(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema", "questionnaire"]).output)
    entries = schema["properties"]["domains"]["items"]["anyOf"]
    assert {"$ref": "#/$defs/Include"} in entries
    assert schema["$defs"]["Include"]["required"] == ["include"]


def test_unknown_schema_kind_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "nope"])
    assert result.exit_code == 2


def test_csv_template_header(runner: CliRunner, mini_path: Path) -> None:
    result = runner.invoke(app, ["template", "-q", str(mini_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header[:6] == ["respondent_id", "organization", "role", "team", "site", "assessed_on"]
    assert header[6] == "alpha.one: Alpha one happens."
    assert len(header) == 6 + 7


def test_yaml_template_is_a_valid_blank_answers_file(
    runner: CliRunner,
    mini_path: Path,
    mini,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from tra_assess.sources.answers import parse_answers_document

    out = tmp_path / "blank.yaml"
    result = runner.invoke(
        app, ["template", "-q", str(mini_path), "--format", "yaml", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(out.read_text())
    assert list(doc["answers"]) == [item.id for item in mini.items]
    response = parse_answers_document(doc, str(out), mini)
    assert response.values == {}
    assert response.questionnaire_id == "mini"


def test_template_never_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "mine.csv"
    out.write_text("precious")
    result = runner.invoke(app, ["template", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 2
    assert "exists" in result.output
    assert out.read_text() == "precious"


def test_unknown_questionnaire_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questionnaires", "show", "no-such-thing"])
    assert result.exit_code == 2
    assert "unknown questionnaire 'no-such-thing'" in result.output
    assert "tra-core" in result.output
    assert "Traceback" not in result.output


def test_questionnaires_list_shows_builtins(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questionnaires", "list"])
    assert result.exit_code == 0, result.output
    assert "tra-core" in result.output
    assert "71" in result.output or "items" in result.output


def test_show_yaml_round_trips(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["questionnaires", "show", "tra-core", "--format", "yaml"])
    assert result.exit_code == 0, result.output
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(result.output)
    check = runner.invoke(app, ["questionnaires", "validate", str(resolved)])
    assert check.exit_code == 0, check.output
    assert "10 domains" in check.output


def _site_packages(venv: Path) -> Path:
    return Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))


@pytest.mark.slow
def test_wheel_install_finds_builtin_data_from_any_directory(tmp_path: Path) -> None:
    """A non-editable install carries questionnaires and templates inside the package."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "tra_assess/_data/questionnaires/tra-core/questionnaire.yaml" in names
    assert "tra_assess/_data/questionnaires/tra-core/domains/crisis.yaml" in names
    assert any(n.startswith("tra_assess/_data/report_templates/") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = venv / "bin" / "pip"
    subprocess.run(
        [str(pip), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # dependencies come from this test environment (offline, fast)
    deps = _site_packages(venv) / "zz_test_deps.pth"
    deps.write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [str(venv / "bin" / "tra-assess"), "questionnaires", "list"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "tra-core" in proc.stdout
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from tra_assess.common.resources import questionnaires_dir, templates_dir;"
            "print(questionnaires_dir()); print(templates_dir())",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert str(venv) in line and "_data" in line


def test_checkout_finds_builtin_data_in_the_repository() -> None:
    """In an editable install (this test run), data comes from the top-level folders."""
    from tra_assess.common.resources import (
        builtin_questionnaires,
        questionnaires_dir,
        templates_dir,
    )

    if "_data" in str(questionnaires_dir()):
        pytest.skip("running from an installed wheel, not a checkout")
    assert questionnaires_dir() == ROOT / "questionnaires"
    assert templates_dir() == ROOT / "report_templates"
    assert set(builtin_questionnaires()) == {"tra-core", "tra-quick"}
