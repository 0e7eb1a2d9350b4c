"""What a board member reads: what holds the overall level, capped domains that do not meet
the target, the change since the baseline, labelled next actions, plain-words method notes,
ranked priorities for screen readers, print breaks, level boundaries in the chart, and
Markdown that reads well without becoming a link."""

from __future__ import annotations

import itertools
import re

from markdown_it import MarkdownIt

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.common.textsafe import md_inline
from tra_assess.reports.render import render_report
from tra_assess.results.model import Results


def _svg(html: str, name: str) -> str:
    match = re.search(rf'<svg [^>]*aria-labelledby="{name}-title.*?</svg>', html, flags=re.S)
    assert match, name
    return match.group(0)


def _capped_alpha_at_target() -> Results:
    """Alpha's score (2.60) is past the target's 2.50, but critical alpha.two holds it at
    Middle: gap 0.00, target not met. Gamma (2.55) meets the target."""
    results = make_results(scores=(2.6, 0.75, 2.55))
    alpha = results.domain("alpha")
    alpha.level_by_score, alpha.gap = "high", 0.0
    return results


def _baseline(scores: tuple[float, float, float]) -> Results:
    baseline = make_results(scores=scores, generated_at="2025-11-01T00:00:00Z")
    baseline.assessed_on = "2025-11-01"
    for domain in baseline.domains:
        assert domain.score is not None
        if domain.score < 2.5:
            domain.level = domain.level_by_score = "mid" if domain.score >= 1.5 else "low"
            domain.meets_target, domain.gap = False, 2.5 - domain.score
    return baseline


# 1. What holds the overall level ---------------------------------------------------------


def test_summary_names_every_domain_at_the_overall_level_with_its_cap() -> None:
    results = make_results()
    alpha = results.domain("alpha")
    alpha.level = "low"  # alpha.two now holds alpha at Low, the overall level
    results.items[1].score, results.items[1].level = 1.2, "low"
    text = render_report(results, fmt="md")
    held = ("Held at Low by: Beta practices (0.75); Alpha practices (2.00, capped by "
            "“Alpha two happens” at 1.20).")
    assert f"\n{held}\n" in text
    assert "| no | weakest link: Beta practices; Alpha practices | — |" in text
    html = render_report(results, fmt="html")
    assert f"<p>{held}</p>" in html
    assert "<td>weakest link: Beta practices; Alpha practices</td>" in html
    assert "weakest domain</td>" not in html


def test_no_held_sentence_without_an_overall_level() -> None:
    results = make_results()
    results.overall.level, results.overall.status = None, "insufficient"
    text = render_report(results, fmt="md")
    assert "Held at" not in text
    assert "| no | — | — |" in text


# 2. Capped domains must not look as if they meet the target -------------------------------


def test_closed_gap_of_a_capped_domain_says_what_holds_it() -> None:
    results = _capped_alpha_at_target()
    text = render_report(results, fmt="md")
    assert ("| Alpha practices | Middle | 2.60 | 3/3 (100%) | 0.00 (held by a critical item) "
            "| no |") in text
    assert "| Gamma practices | High | 2.55 | 2/2 (100%) | 0.00 | yes |" in text
    html = render_report(results, fmt="html")
    assert ('<td class="num">0.00 <span class="gap-note">(held by a critical item)</span></td>'
            '<td>no</td>') in html


def test_closed_gap_of_an_unverified_or_contested_domain_says_so() -> None:
    # gamma's score 2.55 is past the target's 2.50 and its level is High, but a critical
    # practice nobody could rate (then one many rate at the bottom) holds it back
    for field, note in (("unverified", "held until a critical practice is verified"),
                        ("contested", "held by a contested critical practice")):
        results = make_results(scores=(2.6, 0.75, 2.55))
        gamma = results.domain("gamma")
        setattr(gamma, field, ["gamma.one"])
        gamma.meets_target, gamma.gap = False, 0.0
        text = render_report(results, fmt="md")
        assert f"| Gamma practices | High | 2.55 | 2/2 (100%) | 0.00 ({note}) | no |" in text
        html = render_report(results, fmt="html")
        assert f'0.00 <span class="gap-note">({note})</span></td><td>no</td>' in html


def test_chart_marks_capped_bars_in_label_and_description() -> None:
    html = render_report(_capped_alpha_at_target(), fmt="html")
    svg = _svg(html, "tra-domains")
    assert re.search(r'font-weight="bold"[^>]*>2\.60, held at Middle</text>', svg)
    assert ">2.55</text>" in svg  # a bar that is not capped has its value only
    desc = re.search(r'<desc id="tra-domains-desc">(.*?)</desc>', svg)
    assert desc
    assert ("Alpha practices: 2.60, level Middle, held there by a critical item "
            "(by score alone High)") in desc.group(1)
    assert "Gamma practices: 2.55, level High." in desc.group(1)
    text = render_report(_capped_alpha_at_target(), fmt="md")
    assert "2.60, held at Middle\n" in text.split("```text", 1)[1]


def test_strongest_lists_domains_meeting_the_target_first() -> None:
    text = render_report(_capped_alpha_at_target(), fmt="md")
    assert "- **Strongest:** Gamma practices (2.55, High)\n" in text  # not Alpha (2.60)
    six = _capped_alpha_at_target()
    six.domains += [d.model_copy(update={"id": f"{d.id}2", "title": f"{d.title} 2"})
                    for d in six.domains]
    html = render_report(six, fmt="html")
    strongest = html.split("<dt><strong>Strongest</strong></dt>", 1)[1].split("</dd>", 1)[0]
    assert strongest == ("\n<dd>Gamma practices (2.55, High); Gamma practices 2 (2.55, High); "
                         "Alpha practices (2.60, Middle, capped by a critical practice)")


def test_change_shows_the_gap_then_and_now_never_a_percentage() -> None:
    results = _capped_alpha_at_target()
    beta = results.domain("beta")
    beta.score, beta.level, beta.level_by_score, beta.gap = 2.4, "mid", "mid", 0.1
    results.overall.score, results.overall.level = (2 * 2.6 + 2.4 + 2.55) / 4, "mid"
    text = render_report(results, fmt="md", baseline=_baseline((1.0, 0.5, 2.0)))
    # alpha: score 2.60 past the target's 2.50, but alpha.two holds it at Middle
    assert ("| Alpha practices | 1.00 | 2.60 | +1.60 | Low → Middle "
            "| gap 1.50 → 0.00; level still below target |") in text
    # gamma: 2.55 and High now: the target is met
    assert "| Gamma practices | 2.00 | 2.55 | +0.55 | Middle → High | target reached |" in text
    assert "| Beta practices | 0.50 | 2.40 | +1.90 | Low → Middle | gap 2.00 → 0.10 |" in text
    change = text.split("## What changed since the baseline", 1)[1].split("## ", 1)[0]
    assert "%" not in change
    html = render_report(results, fmt="html", baseline=_baseline((1.0, 0.5, 2.0)))
    assert "<td>gap 2.00 → 0.10</td>" in html
    assert "Progress to target" not in html and "Progress to target" not in text


def test_change_further_from_the_target_says_by_how_much() -> None:
    text = render_report(make_results(), fmt="md", baseline=_baseline((2.4, 1.0, 3.0)))
    assert ("| Alpha practices | 2.40 | 2.00 | -0.40 | Middle "
            "| further from target by 0.40 |") in text


# 3. and 4. Change: the rounding note and the summary sentence ------------------------------


def test_change_table_has_rounding_note() -> None:
    note = ("Changes are computed from unrounded scores, so they can differ by 0.01 from the "
            "difference of the rounded ones.")
    baseline = _baseline((1.0, 0.5, 2.0))
    text = render_report(make_results(), fmt="md", baseline=baseline)
    table_end = text.index("| **Overall** | **1.13**")
    assert text.index(note) > table_end
    html = render_report(make_results(), fmt="html", baseline=baseline)
    assert html.index(note) > html.index('id="change-table"')
    assert note not in render_report(make_results(), fmt="md")


def test_summary_sentence_on_change_since_baseline() -> None:
    text = render_report(make_results(), fmt="md", baseline=_baseline((1.0, 0.5, 2.0)))
    summary = text.split("## Domains", 1)[0]
    assert ("\nSince 2025-11-01 the overall score moved from 1.13 to 1.94 (Low then and now); "
            "3 domains improved, none fell.\n") in summary
    baseline = _baseline((1.0, 1.0, 3.25))
    baseline.overall.level = "mid"
    text = render_report(make_results(), fmt="md", baseline=baseline)
    assert ("the overall score moved from 1.56 to 1.94 (Middle then, Low now); 1 domain "
            "improved, 2 fell (Beta practices -0.25; Gamma practices -0.25).") in text
    html = render_report(make_results(), fmt="html", baseline=baseline)
    assert "<p>Since 2025-11-01 the overall score moved from 1.56 to 1.94" in html
    assert "Since 20" not in render_report(make_results(), fmt="md")


# 5. Next action labelled in the summary ----------------------------------------------------


def test_summary_priorities_label_the_next_action() -> None:
    text = render_report(make_results(), fmt="md")
    assert ("  1. **CRITICAL** Alpha two happens. (Alpha practices; this practice: Middle) "
            "**Next action:** Pilot alpha two.\n") in text
    assert "(Beta practices; this practice: Low)\n" in text  # no action: no label
    html = render_report(make_results(), fmt="html")
    assert ("Alpha two happens. <span class=\"muted\">(Alpha practices; this practice: Middle)"
            "</span><br><strong>Next action:</strong> Pilot alpha two.</li>") in html


# 6. Method notes in plain words ------------------------------------------------------------


def test_method_notes_explain_sd_and_alpha() -> None:
    results = make_results()
    results.domain("gamma").alpha = 0.45
    text = render_report(results, fmt="md")
    method = text.split("### How this was worked out", 1)[1]
    assert "how widely respondents' views of a domain spread" in method
    assert "Above 1.00 means people see the domain very differently" in method
    assert ("Below about 0.6, the items of that domain do not move together: read them item "
            "by item rather than trusting the domain score alone. Below 0.6 here: "
            "Gamma practices (0.45).\n") in method
    quiet = render_report(make_results(), fmt="md")  # alpha 0.81: nothing to name
    assert "Below 0.6 here" not in quiet
    assert "alone.\n- **Groups:**" in quiet


# 7. Ranked priorities as an ordered list ---------------------------------------------------


def test_html_priorities_are_an_ordered_list_with_ranks() -> None:
    html = render_report(make_results(), fmt="html")
    section = html.split('<section id="priorities"', 1)[1].split("</section>", 1)[0]
    assert section.count('<ol class="priorities">') == 1  # one list, in rank order
    assert '<li value="1"><span class="tag">CRITICAL</span> Alpha two happens.' in section
    assert '<li value="2">Beta one happens.' in section
    assert section.index('<li value="1">') < section.index('<li value="2">')
    assert "(Beta practices; this practice: Low" in section  # the domain named
    assert "<ul" not in section


# 8. Print: a new page for the appendix only -----------------------------------------------


def test_print_css_breaks_only_before_the_appendix() -> None:
    html = render_report(make_results(), fmt="html")
    css = html.split("@media print", 1)[1].split("</style>", 1)[0]
    assert css.count("break-before: page") == 1
    assert ".appendix { break-before: page; }" in css
    assert "tr, figure, li, .callout { break-inside: avoid; }" in css
    assert "h2, h3, h4, dt { break-after: avoid; }" in css


# 9. Level boundaries in the domain chart ---------------------------------------------------


def test_chart_draws_a_labelled_line_at_each_level_boundary() -> None:
    svg = _svg(render_report(make_results(), fmt="html"), "tra-domains")
    # scale 0..4 over x 250..650: Low 0, Middle 1.5, High 2.5 (target), Top 3.5
    for x, label in (("250.0", "Low 0.00"), ("400.0", "Middle 1.50"), ("500.0", "High 2.50"),
                     ("600.0", "Top 3.50")):
        assert re.search(rf'<line x1="{x}" y1="[\d.]+" x2="{x}" y2="[\d.]+" stroke="#4a5a6a" '
                         r'stroke-width="1"/>', svg), label
        assert re.search(rf'<text x="{float(x) + 3:.1f}" y="[\d.]+" text-anchor="start"[^>]*>'
                         rf"{label}</text>", svg), label
    assert re.search(r'font-weight="bold">High 2\.50</text>', svg)  # the target level


def test_boundary_labels_do_not_overlap_on_one_row() -> None:
    results = make_results()
    names = ("A long first level name", "Second level name", "Third level name here", "Fourth")
    results.levels = [level.model_copy(update={"label": name})  # the factory shares LEVELS
                      for level, name in zip(results.levels, names, strict=True)]
    svg = _svg(render_report(results, fmt="html"), "tra-domains")
    spans: dict[str, list[tuple[float, float]]] = {}
    for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="start" '
                                 r'[^>]*stroke-width="3"[^>]*>([^<]*)</text>', svg):
        spans.setdefault(y, []).append((float(x), float(x) + len(text) * 6.6))
    assert sum(len(v) for v in spans.values()) == 4
    for row in spans.values():
        row.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(row)), row


# 10. Markdown: parentheses stay plain, links stay text -------------------------------------


def test_md_inline_leaves_parentheses_and_escapes_the_rest() -> None:
    assert md_inline("7/7 (100%)") == "7/7 (100%)"
    assert md_inline("[x](y) <b> *a* _b_ `c` #d |e| !f ~g {h} +i \\j & k") == (
        "\\[x\\](y) \\<b\\> \\*a\\* \\_b\\_ \\`c\\` \\#d \\|e\\| \\!f \\~g \\{h\\} \\+i "
        "\\\\j &amp; k"
    )
    text = render_report(make_results(), fmt="md")
    assert "| 3/3 (100%) |" in text and "\\(" not in text


def test_link_in_a_note_renders_as_text_not_a_link() -> None:
    hostile = "see [x](javascript:alert(1)) and ![i](http://e.test/i.png) <http://e.test>"
    text = render_report(make_results(note_text=hostile), fmt="md")
    wj = "\u2060"
    assert f"see \\[x\\](javascript:alert(1)) and \\!\\[i\\](http{wj}://e.test/i.png)" in text
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<a " not in rendered and "<img" not in rendered and "href" not in rendered
    assert f"see [x](javascript:alert(1)) and ![i](http{wj}://e.test/i.png)" in rendered
    assert f"&lt;http{wj}://e.test&gt;" in rendered


def test_weakest_is_the_lowest_level_first_not_the_lowest_score() -> None:
    # alpha (2.60) is held at Low by a critical practice; beta (1.80) is Middle by its score:
    # alpha is the weaker one, whatever its score says
    results = make_results(scores=(2.6, 1.8, 3.0))
    results.domain("alpha").level = "low"
    beta = results.domain("beta")
    beta.level = beta.level_by_score = "mid"
    text = render_report(results, fmt="md")
    assert "- **Weakest:** Alpha practices (2.60, Low)\n" in text


def test_a_group_score_without_a_level_says_why() -> None:
    results = make_results()
    assert results.groups is not None
    volunteer = next(g for g in results.groups.groups if g.value == "volunteer")
    beta = next(c for c in volunteer.domains if c.id == "beta")
    beta.level, beta.status = None, "insufficient"
    volunteer.overall_level = None
    text = render_report(results, fmt="md")
    assert "| 1.00 (insufficient data) |" in text
    assert "| 2.20 | no level (insufficient data) |" in text
    html = render_report(results, fmt="html")
    assert "1.00 (insufficient data)" in html and "no level (insufficient data)" in html
