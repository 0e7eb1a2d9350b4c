"""A user's report template cannot keep the command busy or build gigabytes: each limit (time,
output size, the size of a built text) ends the command with one line and exit 1, never 3."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.cli.app import app

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]

RUNAWAY = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "the template ran longer than 10 seconds and was stopped"),
    ("{{ lipsum(n=10**7) }}", "a lipsum too large in a template"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s|length }}", "a text joined with ~ too large in a template"),
    ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
     "{% endmacro %}{{ d('x', 60) }}", "a text joined with ~ too large in a template"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}", "a text or list joined with + too large in a template"),
    ("{% set ns = namespace(s=[1]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}", "a list joined with + too large in a template"),
    ("{{ 'x'.ljust(10**10) }}", "'ljust' width too large in a template"),
    ("{{ 'x'.center(10**10) }}", "'center' width too large in a template"),
    ("{{ ('x'*1000).replace('x', 'y'*1000).replace('y', 'z'*1000) }}",
     "a replaced text too large in a template"),
    ("{% set s = ('x'*1000000) %}{{ s.replace('x', s) }}",
     "a replaced text too large in a template"),
    ("{{ ('x'*1000)|replace('x', 'y'*1000000) }}", "a replaced text too large in a template"),
    ("{{ ('y'*1000000).join(['a'] * 1000000) }}", "a joined text too large in a template"),
    ("{{ (['y'*1000000] * 100)|join('') }}", "a joined text too large in a template"),
    ("{{ '{:>9999999999}'.format(1) }}", "a format width too large in a template"),
    ("{{ 'x'|wordwrap(10**10) }}", "'wordwrap' width too large in a template"),
    ("{{ range(10)|slice(10**9)|list|length }}", "'slice' width too large in a template"),
    ("{% for i in range(100000) %}{% for j in range(1000) %}{{ 'x' * 1000 }}{% endfor %}"
     "{% endfor %}", "the template's output passed 20 MB and was stopped"),
]


@pytest.fixture
def results_file(tmp_path: Path) -> Path:
    path = tmp_path / "results.json"
    path.write_text(make_results().model_dump_json(indent=2))
    return path


@pytest.mark.parametrize(("template", "expected"), RUNAWAY)
def test_a_runaway_template_ends_in_one_line_with_exit_1(
        runner: CliRunner, tmp_path: Path, results_file: Path, template: str,
        expected: str) -> None:
    path = tmp_path / "t.md"
    path.write_text(template + "\n")
    out = tmp_path / "report.md"
    started = time.monotonic()
    result = runner.invoke(app, ["report", str(results_file), "--template", str(path),
                                 "--out", str(out)])
    assert time.monotonic() - started < 15
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{path}")
    assert f"template error: {expected}" in result.stderr
    assert not out.exists()


def test_nested_loops_stop_in_the_installed_command(tmp_path: Path, results_file: Path) -> None:
    path = tmp_path / "loops.md"
    path.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}"
                    "{% endfor %}{% endfor %}\n")
    started = time.monotonic()
    done = subprocess.run([*COMMAND, "report", str(results_file), "--template", str(path)],
                          capture_output=True, timeout=60)
    assert time.monotonic() - started < 15
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"{path}:1: template error: the template ran longer than 10 seconds and was stopped\n")
    assert done.stdout == b""


def test_a_doubling_inside_a_loop_scope_stays_small(runner: CliRunner, tmp_path: Path,
                                                    results_file: Path) -> None:
    # a {% set %} inside a for loop is the loop's own: this never doubles (and ends at once)
    path = tmp_path / "t.md"
    path.write_text("{% set s = 'x' %}{% for i in range(60) %}{% set s = s ~ s %}{% endfor %}"
                    "{{ s|length }}\n")
    result = runner.invoke(app, ["report", str(results_file), "--template", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "1\n"


def test_ordinary_templates_still_render(runner: CliRunner, tmp_path: Path,
                                         results_file: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text("{% for i in range(3) %}{{ i }}{% endfor %}|{{ range(5)|length }}|"
                    "{{ (range(4)|reverse|list)[0] }}|{{ 'a' ~ 'b' }}|{{ 'x'.ljust(3) }}.|"
                    "{{ 'ab'.replace('a', 'c') }}|{{ ['a', 'b']|join('-') }}|"
                    "{{ lipsum(1, html=False)|length > 0 }}|"
                    "{{ ('x'*1000).replace('x', 'y'*1000)|length }}|"
                    "{{ 'a b'|wordwrap(1) }}|{{ 'ab'|list|length }}\n")
    result = runner.invoke(app, ["report", str(results_file), "--template", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "012|5|3|ab|x  .|cb|a-b|True|1000000|a\nb|2\n"


def test_a_loop_in_an_included_template_is_stopped_too(runner: CliRunner, tmp_path: Path,
                                                       results_file: Path) -> None:
    (tmp_path / "inner.md").write_text(
        "{% for i in results.items * 100000 %}{% for j in results.items * 100000 %}"
        "{% endfor %}{% endfor %}\n")
    path = tmp_path / "outer.md"
    path.write_text("# Report\n{% include 'inner.md' %}\n")
    started = time.monotonic()
    result = runner.invoke(app, ["report", str(results_file), "--template", str(path)])
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "template error: the template ran longer than 10 seconds and was stopped" \
        in result.stderr
