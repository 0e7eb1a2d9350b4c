"""What the report says: the executive summary, the domain table, priorities, groups,
disagreement, change since the baseline, evidence notes and method notes."""

from __future__ import annotations

import re

import pytest

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.common.display import fmt_number, fmt_percent
from tra_assess.reports.formatting import md
from tra_assess.reports.render import render_report


def test_executive_summary_sentence_md_and_html() -> None:
    results = make_results()
    text = render_report(results, fmt="md")
    sentence = ("Riverbend Family Services is Low overall; the target is High. "
                "1 of 3 domains meets it.")
    assert f"**{sentence}**" in text
    html = render_report(results, fmt="html")
    assert f'<p class="lead" id="headline">{sentence}</p>' in html
    assert "- **Strongest:** Gamma practices (3.00, High)" in text
    assert "- **Weakest:** Beta practices (0.75, Low)" in text
    assert "which alone would be Middle" in text


def test_summary_names_status_when_provisional_or_insufficient() -> None:
    results = make_results()
    results.overall.status = "provisional"
    results.overall.scored_domains = 2
    text = render_report(results, fmt="md")
    assert "Provisional: only 2 of 3 applicable domains have enough answers" in text
    results.overall.status = "insufficient"
    results.overall.level = None
    text = render_report(results, fmt="md")
    assert "Riverbend Family Services has no overall level yet" in text
    assert "Insufficient: only 2 of 3" in text


def test_domain_table_rows() -> None:
    text = render_report(make_results(), fmt="md")
    assert ("| Alpha practices | Middle | 2.00 | 3/3 (100%) | 0.50 | no "
            "| Alpha two happens. (this practice: Middle, 1.50) | low (SD 1.25) |") in text
    assert ("| Beta practices | Low | 0.75 | 1/2 (50%) | 1.75 | no | — "
            "| ok (SD 0.50) |") in text
    assert "| Gamma practices | High | 3.00 | 2/2 (100%) | 0.00 | yes | — |" in text
    assert "| **Overall** | **Low** | **1.94** | 3/3 domains | 0.56 | no |" in text


def test_domain_table_html_has_scoped_headers_and_cap() -> None:
    html = render_report(make_results(), fmt="html")
    assert '<th scope="col">Capped by</th>' in html
    assert ('<tr><th scope="row">Alpha practices</th><td>Middle</td>'
            '<td class="num">2.00</td>') in html
    assert "Alpha two happens. (this practice: Middle, 1.50)" in html
    body = html.split('<div class="appendix"', 1)[0]
    assert "alpha.two" not in body  # ids only in the appendix


def test_insufficient_domain_shows_status_and_dash() -> None:
    results = make_results()
    beta = results.domain("beta")
    beta.status, beta.level, beta.gap, beta.meets_target = "insufficient", None, None, None
    text = render_report(results, fmt="md")
    assert "| Beta practices | insufficient data | 0.75 | 1/2 (50%) | — | — |" in text
    html = render_report(results, fmt="html")
    assert "url(#tra-hatch)" in html  # a score without a level is hatched, and labelled
    assert "0.75 (insufficient data)" in html


def test_priorities_ranked_with_actions_and_critical_marks() -> None:
    text = render_report(make_results(), fmt="md")
    section = text.split("## What to do next", 1)[1].split("\n## ", 1)[0]
    assert ("1. **CRITICAL** Alpha two happens. (Alpha practices; this practice: Middle, "
            "score 1.50, 1.00 below target)") in section
    assert "   - Next action: Pilot alpha two." in section
    assert "\n2. Beta one happens." in section and "**CRITICAL** Beta one" not in section
    assert "no action given in the questionnaire" in section
    html = render_report(make_results(), fmt="html")
    assert '<span class="tag">CRITICAL</span> Alpha two happens.' in html


def test_top_limits_priorities() -> None:
    text = render_report(make_results(), fmt="md", top=1)
    section = text.split("## What to do next", 1)[1].split("\n## ", 1)[0]
    assert "\n1. " in section and "\n2. " not in section


def test_groups_suppressed_and_perception_gaps() -> None:
    text = render_report(make_results(), fmt="md")
    rule = "suppressed: fewer than 3, or needed to protect a smaller group"
    assert f"| lead | {rule} | — | — |" in text
    assert "| ● staff | 4 | 1.90 | Low |" in text
    assert "| Domain | ● staff | ■ volunteer |" in text
    assert "| Gamma practices | staff (3.00) | volunteer (1.50) | 1.50 | large gap" in text
    html = render_report(make_results(), fmt="html")
    assert rule in html and 'aria-labelledby="tra-groups-title tra-groups-desc"' in html


def test_no_groups_section_when_ungrouped() -> None:
    text = render_report(make_results(grouped=False), fmt="md")
    assert "## Groups" not in text
    assert "tra-groups" not in render_report(make_results(grouped=False), fmt="html")


def test_disagreement_lists_highest_sd_items_first() -> None:
    text = render_report(make_results(), fmt="md")
    section = text.split("### Where people disagree most", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "SD" not in line]
    assert rows[0].startswith("| Alpha two happens. (alpha.two) | Alpha practices | 1.50 |")
    assert "0 None: 1, 2 Half: 1, 4 All: 2" in rows[0]
    assert rows[1].startswith("| Alpha one happens.")
    assert not any("Gamma" in row for row in rows)  # SD 0 is agreement, not a prompt


def test_change_since_baseline_with_the_gap_then_and_now() -> None:
    baseline = make_results(scores=(1.0, 0.5, 2.0), generated_at="2025-11-01T00:00:00Z")
    baseline.assessed_on = "2025-11-01"
    text = render_report(make_results(), fmt="md", baseline=baseline)
    assert "Baseline 2025-11-01 → now 2026-11-20" in text
    # the gap to the target's 2.50: 1.50 then, 0.50 now
    assert "| Alpha practices | 1.00 | 2.00 | +1.00 | Middle | gap 1.50 → 0.50 |" in text
    assert "| Beta practices | 0.50 | 0.75 | +0.25 | Low | gap 2.00 → 1.75 |" in text
    assert "| **Overall** | **1.13** | **1.94** | **+0.81** |" in text
    html = render_report(make_results(), fmt="html", baseline=baseline)
    assert 'aria-labelledby="tra-change-title tra-change-desc"' in html
    assert "Alpha practices: 1.00 to 2.00" in html


def test_change_target_already_met() -> None:
    baseline = make_results(scores=(1.0, 0.5, 3.25))
    text = render_report(make_results(), fmt="md", baseline=baseline)
    assert "| Gamma practices | 3.25 | 3.00 | -0.25 | High | target met then and now |" in text


def test_no_change_section_without_baseline() -> None:
    assert "## What changed since" not in render_report(make_results(), fmt="md")


def test_baseline_of_another_questionnaire_is_an_error() -> None:
    from tra_assess.common.errors import InvalidInputError

    baseline = make_results()
    baseline.questionnaire.id = "other"
    with pytest.raises(InvalidInputError, match="different questionnaires"):
        render_report(make_results(), fmt="md", baseline=baseline)


def test_notes_present_and_absent() -> None:
    text = render_report(make_results(), fmt="md")
    assert "### Evidence notes" in text
    assert ("- **Alpha two happens.** (alpha.two)\n"
            "  - Evidence: intake script revised in May") in text
    assert "Posters in every room." in text
    quiet = render_report(make_results(), fmt="md", notes=False)
    assert "Evidence notes" not in quiet and "Posters in every room" not in quiet
    html = render_report(make_results(), fmt="html", notes=False)
    assert "Posters in every room" not in html and 'id="notes"' not in html


def test_method_notes() -> None:
    text = render_report(make_results(), fmt="md")
    method = text.split("### How this was worked out", 1)[1]
    # the factory's results have a suppressed group: counts by mode could give its size back
    assert ("**Respondents:** 12 (not shown while a group is suppressed (they could reveal its "
            "size)) from 13 input files.") in method
    assert "  - 1 × oops\n" in method and "bad.yaml" not in method  # no file names
    assert "at least 50% of its applicable items" in method
    assert "| Gamma practices | 2/2 (100%) | 0% | 0.00 (4) | 0.81 (12) |" in method
    assert "suppressed: fewer than 3, or needed to protect a smaller group" in method
    assert "Not a validated test." in method


def test_sections_in_order() -> None:
    baseline = make_results(scores=(1.0, 0.5, 2.0))
    text = render_report(make_results(), fmt="md", baseline=baseline)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "At a glance: each domain against the target", "Summary", "Contents",
        "How each domain scores", "What to do next", "What changed since the baseline",
        "How groups see it (by role)", "Appendix: the detail",
    ]
    appendix = re.findall(r"^### (.+)$", text.split("## Appendix", 1)[1], flags=re.M)
    assert appendix == [
        "Groups in detail", "Where people disagree most", "Evidence notes",
        "How this was worked out", "Terms used", "Every practice",
    ]


def test_title_option_and_default() -> None:
    assert render_report(make_results(), fmt="md", title="Board pack Q3").startswith(
        "# Board pack Q3\n"
    )
    assert render_report(make_results(), fmt="md").startswith(
        "# Trauma-responsiveness report: Riverbend Family Services\n"
    )


def test_target_reevaluates_gaps_and_priorities() -> None:
    text = render_report(make_results(), fmt="md", target="mid")
    assert "the target is Middle. 2 of 3 domains meet it." in text
    assert "| Alpha practices | Middle | 2.00 | 3/3 (100%) | 0.00 | yes |" in text
    assert "evaluated against Middle" in text
    # beta.two (critical) has no rating: verify it first; then beta.one (0.75, Low) is
    # below Middle in a domain that does not meet it
    assert ("1. **CHECK FIRST** **CRITICAL** Beta two happens. (Beta practices; this practice: "
            "no rating yet)") in text
    assert "2. Beta one happens. (Beta practices; this practice: Low, score 0.75" in text
    low = render_report(make_results(), fmt="md", target="top")
    assert "0 of 3 domains meet it" in low
    assert "Alpha one happens." in low.split("## What to do next", 1)[1].split("\n## ", 1)[0]


def test_unknown_target_is_usage_error() -> None:
    from tra_assess.common.errors import UsageError

    with pytest.raises(UsageError, match="unknown target level 'nope'"):
        render_report(make_results(), fmt="md", target="nope")


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.675, "2.68"), (0.125, "0.13"), (1.005, "1.01"), (None, "—"), (-0.001, "0.00"),
     (2.0, "2.00"), (float("nan"), "—")],
)
def test_fmt_number_rounds_half_up(value: float | None, text: str) -> None:
    assert fmt_number(value) == text


def test_fmt_percent_and_signed() -> None:
    assert fmt_percent(0.665) == "67%"
    assert fmt_percent(None) == "—"
    assert fmt_number(0.005, signed=True) == "+0.01"
    assert fmt_number(-0.25, signed=True) == "-0.25"


def test_md_filter_neutralises_block_starts() -> None:
    assert md("# heading") == "\\# heading"
    assert md("1. not a list") == "1\\. not a list"
    assert md("- not a bullet") == "\\- not a bullet"
    assert md("2.0") == "2.0"
