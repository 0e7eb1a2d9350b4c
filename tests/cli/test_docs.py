"""The README and docs/ are the user's manual: they must cover every command and stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.cli.reference import _commands, render_reference

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def test_readme_is_short() -> None:
    assert len(README.splitlines()) <= 250


def test_the_command_reference_is_generated_from_help() -> None:
    written = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert written == render_reference(), (
        "docs/commands.md is out of date: run python -m tra_assess.cli.reference --write"
    )


@pytest.mark.parametrize("path", [p for p in _commands() if p], ids=" ".join)
def test_every_command_is_in_the_readme_table(path: list[str]) -> None:
    assert f"`tra-assess {path[0]}" in README


@pytest.mark.parametrize("path", [p for p in _commands() if p], ids=" ".join)
def test_every_command_has_help_with_an_example(runner: CliRunner, path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    if len(path) > 1 or path[0] != "questionnaires":
        assert "tra-assess" in result.output.split("Options")[0], path


def test_readme_states_the_two_setup_commands() -> None:
    assert ".venv/bin/pip install . && .venv/bin/tra-assess demo" in README
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest' in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '.venv/bin/pip install -q -e ".[test]"' in ci
    assert ".venv/bin/python -m pytest" in ci
    assert "lint-imports" in ci


@pytest.mark.parametrize("code", ["0", "1", "2", "3", "130"])
def test_exit_codes_are_documented(code: str) -> None:
    section = README.split("**Exit codes:**", 1)[1].split("\n\n", 1)[0]
    assert re.search(rf"(^|\W){code} ", section), code


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted(DOCS.rglob("*.md"))]


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
            continue
        if anchor and file.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), flags=re.M)
            slugs = {_slug(h) for h in headings}
            if anchor not in slugs:
                broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


def _slug(heading: str) -> str:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_the_library_example_runs_on_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DOCS / "library.md").read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "demo")
    printed: list[str] = []
    namespace: dict[str, object] = {"print": lambda *a: printed.append(" ".join(map(str, a)))}
    exec(compile(code, "docs/library.md", "exec"), namespace)
    html = namespace["html"]
    assert isinstance(html, str) and html.startswith("<!DOCTYPE html>")
    change = float(printed[-1])  # the overall change from the baseline to now
    assert -4.0 <= change <= 4.0 and change != 0.0
