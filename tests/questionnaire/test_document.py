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
from tra_assess.questionnaire.profile import load_profile


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
        "## Who answers what",
        "## Setting",
        "## The maturity ladder",
        "## The six principles",
        "## SAMHSA's implementation domains",
        *(f"## {n}. {d.title}" for n, d in enumerate(core.domains, 1)),
        "## Changes between versions",
        "## References",
    ]
    contents = core_md.split("## Contents\n\n")[1].split("\n\n")[0].splitlines()
    assert [ln.replace("\\", "") for ln in contents] == [f"- {h[3:]}" for h in headings[2:]]
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
    stsi = [ref for ref in refs if "STSI-OA" in ref]
    assert stsi == ["4. Sprang, G., Ross, L., Miller, B. C. and colleagues (2014). Secondary "
                    "Traumatic Stress-Informed Organization Assessment (STSI-OA). University of "
                    "Kentucky Center on Trauma and Children, with the National Child Traumatic "
                    "Stress Network."]
    assert "6. NHS Education for Scotland (2017). Transforming Psychological Trauma: A " \
        "Knowledge and Skills Framework for the Scottish Workforce." in refs
    assert refs[6] == (
        "7. Office for Health Improvement and Disparities (2022). Working definition of "
        "trauma-informed practice. Department of Health and Social Care, England. "
        "<https://www.gov.uk/government/publications/working-definition-of-trauma-informed-"
        "practice>")
    assert "It is not a validated psychometric test" in core_md


def _section(md: str, heading: str) -> str:
    return md.split(f"\n{heading}\n\n")[1].split("\n## ")[0]


def _item_section(md: str, number: str) -> str:
    return md.split(f"\n### {number} ")[1].split("\n### ")[0].split("\n## ")[0]


def test_each_item_says_who_answers_it(core: Questionnaire, core_md: str) -> None:
    assert core_md.count("- **Who answers:** ") == len(core.items)
    recorded = _item_section(core_md, "4.4")  # crisis.restraint-recorded
    assert ("- **Who answers:** senior leaders, managers, supervisors and frontline staff (not "
            "board members, support staff, people served or peer workers).") in recorded
    decisions = _item_section(core_md, "3.3")  # leadership.decision-reasons: every role
    assert ("- **Who answers:** everyone (board members, senior leaders, managers, supervisors, "
            "frontline staff, support staff, people served and peer workers).") in decisions


def test_who_answers_what_counts_each_role(core: Questionnaire, core_md: str) -> None:
    section = _section(core_md, "## Who answers what")
    assert "`tra-assess run --role ROLE`" in section and "`run --all-items`" in section
    assert "counted but not scored" in section
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and " of 80 |" in ln]
    assert [ln.split(" | ")[1] for ln in rows] == core.roles
    counts = {r: sum(1 for i in core.items if r in (i.audience or [])) for r in core.roles}
    assert [ln.split(" | ")[2] for ln in rows] == [f"{counts[r]} of 80" for r in core.roles]
    assert rows[0].startswith("| board members | board | ")
    assert rows[0].endswith("| Intake, screening and assessment; Supervision and reflective "
                            "practice; Physical and sensory environment; Staff wellness and "
                            "secondary traumatic stress |")
    assert "| people served | people-served | " in section


def test_each_item_names_its_samhsa_implementation_domains(core: Questionnaire,
                                                           core_md: str) -> None:
    assert core_md.count("- **SAMHSA implementation domains:** ") == len(core.items)
    partners = _item_section(core_md, "3.8")  # leadership.partner-agencies
    assert "- **SAMHSA implementation domains:** Cross-sector collaboration; Policy." in partners
    section = _section(core_md, "## SAMHSA's implementation domains")
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "`" in ln]
    assert len(rows) == 10
    assert all(int(ln.split(" | ")[2]) >= 2 for ln in rows)
    count = sum(1 for i in core.items if "evaluation" in i.crosswalk["samhsa-domain"])
    assert f"| Evaluation | `evaluation` | {count} | 7, 9, 10 |" in rows


SECTOR_SPECIFIC = {  # item -> (its number in the document, the words of its setting)
    "crisis.restraint-safe-use": ("4.3", "restraint or seclusion is ever used"),
    "crisis.restraint-recorded": ("4.4", "restraint or seclusion is ever used"),
    "crisis.restraint-reduction": ("4.5", "restraint or seclusion is ever used"),
    "crisis.searches": ("4.6", "people, their rooms or their belongings are ever searched"),
    "environment.sexual-safety": ("5.6", "people stay overnight, as in residential care"),
    "voice.consent-to-touch": ("8.3", "as in health procedures and personal care"),
}


def test_setting_section_names_sector_specific_items_and_the_profile(
    core: Questionnaire, core_md: str, tmp_path: Path
) -> None:
    section = _section(core_md, "## Setting")
    rows = [ln for ln in section.splitlines() if re.match(r"\| \d+\.\d+ \| `", ln)]
    assert [ln.split(" | ")[1].strip("`") for ln in rows] == list(SECTOR_SPECIFIC)
    for row, (number, words) in zip(rows, SECTOR_SPECIFIC.values(), strict=True):
        assert row.startswith(f"| {number} |") and words in row
    assert [i.id for i in core.items if i.setting] == list(SECTOR_SPECIFIC)
    assert "`tra-assess schema profile`" in section
    assert "--profile profile.yaml" in section
    assert 'counts as "don\'t know"' in section
    example = section.split("```yaml\n")[1].split("```")[0]
    path = tmp_path / "profile.yaml"
    path.write_text(example, encoding="utf-8")
    profile = load_profile(path, core)  # the example is a valid tra-profile/1
    assert list(profile.not_applicable) == list(SECTOR_SPECIFIC)
    for item_id, (number, _) in SECTOR_SPECIFIC.items():
        assert "- **Setting:** applies only where " in _item_section(core_md, number), item_id
    assert core_md.count("- **Setting:** ") == len(SECTOR_SPECIFIC)


def test_changes_between_versions(core: Questionnaire, core_md: str) -> None:
    section = _section(core_md, "## Changes between versions")
    assert section.index("**Version 1.1.0.** Adds the harm-related") < section.index(
        "**Version 1.0.0.** First published version.")
    lines = section.splitlines()
    assert ("- Split: `crisis.restraint-last-resort` into `crisis.restraint-safe-use` (4.3), "
            "`crisis.restraint-recorded` (4.4) and `crisis.restraint-reduction` (4.5).") in lines
    assert ("- Merged: `intake.why-asked` and `intake.confidentiality` into "
            "`intake.information-use` (1.2).") in lines
    assert sum(ln.startswith("- Merged: ") for ln in lines) == 7
    assert "- Removed (1): `improvement.small-tests`." in lines
    added = next(ln for ln in lines if ln.startswith("- Added (15): "))
    assert "`intake.disclosure-response` (1.7)" in added and "`voice.families` (8.6)" in added
    assert any(ln.startswith("- Reworded, same id and practice (55): ") for ln in lines)
    assert "`tra-assess compare`" in section and "left out and named" in section


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
    assert html.count("<table>") == 7 + len(core.items)
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
roles: ["<i>role</i>", "a | b"]
changes:
  - {version: "1", summary: "# <b>new</b> | x", added: [d1.a]}
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
        audience: ["<i>role</i>"]
        setting: "<b>x</b> | [y](http://evil)"
        crosswalk: {samhsa-domain: [policy, "<s>z</s>"], other-fw: ["a | b"]}
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
    assert "- **Who answers:** \\<i\\>role\\</i\\> (not a \\| b)." in lines
    assert any(ln.startswith("- **Setting:** applies only where \\<b\\>x\\</b\\> \\| "
                             "\\[y\\](http\u2060://evil). ") for ln in lines)
    assert "- **SAMHSA implementation domains:** Policy; \\<s\\>z\\</s\\>." in lines
    assert "- **Crosswalk to other-fw:** a \\| b." in lines
    assert "**Version 1.** \\# \\<b\\>new\\</b\\> \\| x" in lines


def test_hostile_text_renders_as_text(hostile_md: str) -> None:
    html = _render_html(hostile_md)
    for tag in ("<script", "<img", "<b>", "<i>", "<blockquote", "<hr", "<a ", "<code>`"):
        assert tag not in html, tag
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == hostile_md.count("\n## ")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>" in html  # only the document's own lists
    # scale, who answers what, setting, ladder, principles, matrix, SAMHSA domains, one item
    assert html.count("<table>") == 8


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
