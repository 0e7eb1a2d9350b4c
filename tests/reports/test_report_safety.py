"""Hostile text in the data stays text: escaped in HTML, escaped in Markdown tables, no
script, no external loads, control sequences removed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.reports.render import render_report
from tra_assess.results.model import Results

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = (f"Evil {SCRIPT} {IMG} | pipes | \n# heading\n{{{{ jinja }}}} "
           "\x1b[31mred\x1b[0m \x1b]0;t\x07")
CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; img-src data:\">")


def hostile_results() -> Results:
    return make_results(
        organization=HOSTILE, alpha_title=f"Alpha {SCRIPT}", item_text=f"Item {IMG} | x |",
        group_value=f"team {IMG}\nnext", note_text=HOSTILE,
    )


@pytest.fixture(scope="module")
def html() -> str:
    baseline = make_results(scores=(1.0, 0.5, 2.0))
    return render_report(hostile_results(), fmt="html", baseline=baseline)


@pytest.fixture(scope="module")
def markdown() -> str:
    baseline = make_results(scores=(1.0, 0.5, 2.0))
    return render_report(hostile_results(), fmt="md", baseline=baseline)


def test_html_has_no_script_or_handler(html: str) -> None:
    body = html.replace(CSP, "")
    assert "<script" not in body.lower()
    assert " onerror=" not in body.lower()
    assert "<img" not in body.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text


def test_html_has_csp_and_no_external_loads(html: str) -> None:
    assert CSP in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", html, flags=re.I)
    assert "http://" not in html and "https://" not in html
    assert "@import" not in html and "url(http" not in html
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith("#"), href


def test_html_control_sequences_removed(html: str) -> None:
    assert "\x1b" not in html and "\x07" not in html
    assert "{{ jinja }}" in html  # data is never rendered as a template


def test_html_structure_for_print_and_screen_readers(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "@media print" in html and "@page {\n  size: A4;\n  margin: 15mm 15mm 18mm;" in html
    assert 'content: "Page " counter(page) " of " counter(pages);' in html
    assert "break-inside: avoid" in html and "break-after: avoid" in html
    assert html.count('role="img"') == 3  # domains, groups, change
    for name in ("tra-domains", "tra-groups", "tra-change"):
        assert f'<title id="{name}-title">' in html and f'<desc id="{name}-desc">' in html
    assert '<th scope="col">' in html and '<th scope="row">' in html


def test_svg_text_escaped(html: str) -> None:
    svg = "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assert "Alpha &lt;script&gt;" in svg
    assert "<script" not in svg


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_markdown_escapes_user_text(markdown: str) -> None:
    assert "<script" not in markdown.replace("\\<script", "")
    assert re.search(r"(?<!\\)<", markdown) is None  # every < is escaped
    assert "\x1b" not in markdown
    assert "\\# heading" in markdown
    assert not re.search(r"^#+ .*\n# heading", markdown, flags=re.M)
    assert "\\{\\{ jinja \\}\\}" in markdown


def test_markdown_tables_keep_their_columns(markdown: str) -> None:
    """Escaped pipes and folded newlines: every row of a table has the header's cell count."""
    tables: list[list[str]] = []
    previous = False
    for line in markdown.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            tables.append([])
        if is_row:
            tables[-1].append(line)
        previous = is_row
    assert len(tables) >= 6
    for table in tables:
        width = _cells(table[0])
        assert all(_cells(row) == width for row in table), table


def test_markdown_headings_are_single_lines(markdown: str) -> None:
    first = markdown.splitlines()[0]
    assert first.startswith("# Trauma-responsiveness report: Evil")
    assert "red" in first and "\\| pipes \\|" in first


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{% include "self.md" %}', "template error: it includes or extends itself, without end"),
        ('{{ "a" * 3000000000 }}', "template error: a repeated text or list longer than"),
        ("{{ 2 ** 100000000 }}", "template error: a power too large in a template"),
        ("{{ ((10 ** 1000) ** 1000) ** 100 }}", "template error: a power too large"),
        ('{{ "%0300000000d" % 1 }}', "template error: a format width or precision too large"),
        ('{{ "%0300000000d"|format(1) }}', "template error: a format width or precision"),
        ('{{ "a"|center(300000000) }}', "template error: 'center' width too large"),
    ],
)
def test_templates_cannot_run_away(tmp_path: Path, template: str, expected: str) -> None:
    from tra_assess.common.errors import InvalidInputError
    from tra_assess.reports.render import render_report

    path = tmp_path / "self.md"
    path.write_text(template + "\n")
    with pytest.raises(InvalidInputError) as caught:
        render_report(make_results(), fmt="md", template=path)
    assert expected in str(caught.value.problems[0])


def test_user_templates_get_plain_text_from_the_results(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("{{ results.organizations[0] }}|{{ results.questionnaire.title }}\n")
    results = make_results().model_copy(update={"organizations": ["Evil\x1b[31mOrg\x07"]})
    text = render_report(results, fmt="md", template=path)
    assert text.split("|")[0] == "EvilOrg"
    assert "\x1b" not in text and "\x07" not in text


def test_user_templates_get_plain_keys_too(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("{% for mode in results.modes %}[{{ mode }}]{% endfor %}\n")
    results = make_results().model_copy(update={"modes": {"\x1b[31mEVIL": 3}})
    assert render_report(results, fmt="md", template=path) == "[EVIL]\n"
