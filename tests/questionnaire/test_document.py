"""The questionnaire as a Markdown document (`questionnaires show ID --format md`), escaping
of hostile questionnaire text, and the json/yaml round trips of `questionnaires show`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.document import md_block, questionnaire_markdown
from tra_assess.questionnaire.load import load_questionnaire, load_questionnaire_file
from tra_assess.questionnaire.model import PRINCIPLES, Questionnaire


@pytest.fixture(scope="module")
def core() -> Questionnaire:
    return load_questionnaire("tra-core")


@pytest.fixture(scope="module")
def core_md(core: Questionnaire) -> str:
    return questionnaire_markdown(core)


def _render_html(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(markdown))


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


# -- tra-core as a document -----------------------------------------------------------------


def test_document_has_every_section_in_order(core: Questionnaire, core_md: str) -> None:
    headings = [ln for ln in core_md.splitlines() if ln.startswith("## ")]
    assert headings == [
        "## About this questionnaire",
        "## Contents",
        "## How to answer",
        "## The maturity ladder",
        "## The six principles",
        *(f"## {n}. {d.title}" for n, d in enumerate(core.domains, 1)),
        "## References",
    ]
    assert core_md.startswith(f"# {core.title}\n\nQuestionnaire `tra-core`, version 1.1.0: "
                              "10 domains, 80 items (19 critical practices).\n")
    assert core_md.endswith("\n") and not core_md.endswith("\n\n")


def test_every_item_is_numbered_with_its_id(core: Questionnaire, core_md: str) -> None:
    items = [ln for ln in core_md.splitlines() if ln.startswith("### ")]
    expected = [f"### {d}.{i} {item.text}"
                for d, domain in enumerate(core.domains, 1)
                for i, item in enumerate(domain.items, 1)]
    assert items == expected
    for item in core.items:
        assert f"Item `{item.id}` · Principles: " in core_md


def test_anchor_tables_and_next_steps(core: Questionnaire, core_md: str) -> None:
    assert core_md.count("| Rating | Label | What it looks like here |") == len(core.items)
    item = core.item_by_id["crisis.restraint-safe-use"]
    assert f"| 0 | Not in place | {item.anchors[0]} |" in core_md
    assert f"| 4 | Embedded and measured | {item.anchors[4]} |" in core_md
    assert f"- **Trauma sensitive (rated 2):** {item.actions['sensitive']}" in core_md
    assert f"- **Not yet trauma aware (rated 0):** {item.actions['not-yet']}" in core_md
    assert "**Trauma informed (rated 4):**" not in core_md  # no step beyond the top


def test_critical_practices_are_marked_in_words(core: Questionnaire, core_md: str) -> None:
    critical = [item for item in core.items if item.critical]
    assert core_md.count("**Critical practice:**") == len(critical)
    section = core_md.split("### 4.3 ")[1].split("### 4.4 ")[0]
    assert "**Critical practice:**" in section
    section = core_md.split("### 4.10 ")[1].split("### 4.11 ")[0]  # crisis.debrief-staff
    assert "**Critical practice:**" not in section


def test_ladder_scale_and_principles(core: Questionnaire, core_md: str) -> None:
    assert "| Trauma responsive (target) | `responsive` | 3 | " in core_md
    assert "| Trauma informed | `informed` | 3.5 | " in core_md
    assert "| 0 | Not in place | This practice is absent here" in core_md
    assert "**Not applicable** (`na`" in core_md and "**Don't know** (`unknown`" in core_md
    for tag in PRINCIPLES:
        assert f"| `{tag}` | " in core_md
    assert "| Cultural, historical and gender issues | `cultural` | " in core_md
    matrix = core_md.split("number of items per domain):")[1].split("\n\n")[1].splitlines()
    assert matrix[2] == "| 1. Intake, screening and assessment | 6 | 4 | - | 4 | 5 | - |"
    assert len(matrix) == 2 + len(core.domains)


def test_references_and_limits(core_md: str) -> None:
    refs = core_md.split("## References\n\n")[1].splitlines()
    assert len(refs) == 8
    assert refs[0].startswith("1. SAMHSA (2014).")
    assert refs[0].endswith("<https://store.samhsa.gov/product/SAMHSA-s-Concept-of-Trauma-and-"
                            "Guidance-for-a-Trauma-Informed-Approach/SMA14-4884>")
    assert "It is not a validated psychometric test" in core_md


def test_tables_are_well_formed(core_md: str) -> None:
    table: list[str] = []
    for line in [*core_md.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            assert {_unescaped_pipes(row) for row in table} == {_unescaped_pipes(table[0])}
            assert re.fullmatch(r"(\|---)+\|", table[1])
            table = []


def test_markdown_is_deterministic(core: Questionnaire, core_md: str) -> None:
    assert questionnaire_markdown(load_questionnaire("tra-core")) == core_md


def test_renders_as_html_without_surprises(core: Questionnaire, core_md: str) -> None:
    html = _render_html(core_md)
    assert html.count("<h1>") == 1
    assert html.count("<h3>") == len(core.items)
    assert html.count("<table>") == 4 + len(core.items)
    assert "\\" not in re.sub(r"<[^>]+>", "", html), "a backslash escape was rendered"


# -- escaping of hostile text ---------------------------------------------------------------

HOSTILE = """\
format: tra-questionnaire/1
id: hostile
version: "1"
title: "# x <script>alert(1)</script>"
description: "> quoted\\n\\n1. listed\\n- bullet <img src=x onerror=alert(1)>"
references:
  - {title: "[click](javascript:alert(1))", url: "javascript:alert(1)"}
scale:
  - {value: 0, label: "No | pipe", description: "<b>bold</b> & *em*"}
  - {value: 1, label: "Yes", description: "`code`"}
levels:
  - {id: low, label: "Low | level", min_score: 0, description: "# not a heading"}
  - {id: high, label: "High", min_score: 1}
roles: ["<i>role</i>"]
domains:
  - id: d1
    title: "Domain | one <script>"
    description: "# x\\n---"
    items:
      - id: d1.a
        text: "# x | <script>alert(1)</script> and [link](http://evil)"
        help: "> not a quote\\n+ not a list"
        principles: [safety]
        critical: true
        anchors: {0: "a | b <script>", 1: "# x"}
        actions: {low: "1. not a list <b>x</b>"}
"""


@pytest.fixture
def hostile_md(tmp_path: Path) -> str:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return questionnaire_markdown(load_questionnaire_file(path))


def test_hostile_text_is_escaped(hostile_md: str) -> None:
    assert not re.search(r"(?<!\\)[<>]", hostile_md), "every < and > is escaped"
    assert not re.search(r"(?<!\\)\]\(", hostile_md), "no link syntax survives"
    lines = hostile_md.splitlines()
    assert lines[0] == "# \\# x \\<script\\>alert(1)\\</script\\>"
    assert [ln for ln in lines if ln.startswith("#")] == [
        ln for ln in lines if re.match(r"#{1,3} ", ln)
    ]
    assert ("### 1.1 \\# x \\| \\<script\\>alert(1)\\</script\\> and "
            "\\[link\\](http\u2060://evil)") in lines  # a word joiner: no bare link
    assert "Questionnaire `hostile`, version 1: 1 domain, 1 item (1 critical practice)." in lines
    assert "| 0 | No \\| pipe | a \\| b \\<script\\> |" in lines
    assert "| 1 | Yes | \\# x |" in lines
    assert "\\> quoted" in lines and "1\\. listed" in lines and "\\- bullet \\<img src=x " \
        "onerror=alert(1)\\>" in lines
    assert "\\---" in lines
    assert "- **Low \\| level (rated 0):** 1\\. not a list \\<b\\>x\\</b\\>" in lines
    assert "1. \\[click\\](javascript:alert(1)) (javascript:alert(1))" in lines


def test_hostile_text_renders_as_text(hostile_md: str) -> None:
    html = _render_html(hostile_md)
    for tag in ("<script", "<img", "<b>", "<i>", "<blockquote", "<hr", "<a ", "<code>`"):
        assert tag not in html, tag
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == hostile_md.count("\n## ")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>" in html  # only the document's own lists
    assert html.count("<table>") == 5  # scale, ladder, principles, matrix, one item


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("# heading", "\\# heading"),
        ("## two", "\\#\\# two"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("12. item", "12\\. item"),
        ("3) item", "3\\) item"),
        ("a <b>x</b> & *y* _z_ `c` [l](u) ~s~ | p", "a \\<b\\>x\\</b\\> \\& \\*y\\* \\_z\\_ "
         "\\`c\\` \\[l\\](u) \\~s\\~ \\| p"),
        ("one\ntwo", "one\n\ntwo"),
        ("a\x1b[31mred", "ared"),
        ("see www.x.org, http://x.org, me@x.org", "see www\u2060.x.org, http\u2060://x.org, "
         "me@\u2060x.org"),
    ],
)
def test_md_block(text: str, expected: str) -> None:
    assert md_block(text) == expected


# -- the CLI ----------------------------------------------------------------------------------


def test_show_md(runner: CliRunner, core_md: str) -> None:
    result = runner.invoke(app, ["questionnaires", "show", "tra-core", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.output == core_md


def test_show_md_of_a_path(runner: CliRunner, mini_path: Path) -> None:
    result = runner.invoke(app, ["questionnaires", "show", str(mini_path), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.output == questionnaire_markdown(load_questionnaire_file(mini_path))


def test_show_json(runner: CliRunner, core: Questionnaire, tmp_path: Path) -> None:
    result = runner.invoke(app, ["questionnaires", "show", "tra-core", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["format"], doc["id"], doc["version"]) == ("tra-questionnaire/1", "tra-core",
                                                          "1.1.0")
    assert [i["id"] for d in doc["domains"] for i in d["items"]] == [i.id for i in core.items]
    path = tmp_path / "core.json"
    path.write_text(result.output, encoding="utf-8")
    again = load_questionnaire_file(path)
    assert again.model_dump() == core.model_dump()


@pytest.mark.parametrize("qid", ["tra-core", "tra-quick"])
def test_show_yaml_round_trip(runner: CliRunner, tmp_path: Path, qid: str) -> None:
    result = runner.invoke(app, ["questionnaires", "show", qid])
    assert result.exit_code == 0, result.output
    assert "include:" not in result.output
    path = tmp_path / f"{qid}.yaml"
    path.write_text(result.output, encoding="utf-8")
    assert yaml.safe_load(result.output)["id"] == qid
    check = runner.invoke(app, ["questionnaires", "validate", str(path)])
    assert check.exit_code == 0, check.output
    q = load_questionnaire(qid)
    assert check.output == (f"{path}: ok ({qid} {q.version}: {len(q.domains)} domains, "
                            f"{len(q.items)} items)\n")
    assert load_questionnaire_file(path).model_dump() == q.model_dump()


def test_show_unknown_questionnaire_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questionnaires", "show", "no-such-thing", "--format", "md"])
    assert result.exit_code == 2
    assert "unknown questionnaire 'no-such-thing'" in result.output
