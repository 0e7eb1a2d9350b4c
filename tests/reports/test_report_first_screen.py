"""The board pack cannot be misread: the picture first (the at-a-glance strip before the
headline before the summary), item levels worded as the practice's own, no progress
percentage, critical practices to check and high "don't know" rates named in the summary, no
invented date, strongest/weakest only when there is a comparison to make, groups in words,
and Markdown that fits and never links user text."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.reports.render import render_report
from tra_assess.results.model import Priority, Results


def _text(html: str) -> str:
    """The visible text of an HTML report, tags removed, one space between words."""
    body = html.split("<body>", 1)[-1]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body)))


def _baseline() -> Results:
    baseline = make_results(scores=(1.0, 0.5, 2.0), generated_at="2025-11-01T00:00:00Z")
    baseline.assessed_on = "2025-11-01"
    gamma = baseline.domains[2]
    gamma.level = gamma.level_by_score = "mid"
    gamma.meets_target, gamma.gap = False, 0.5
    return baseline


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (60 respondents of a fictional agency, a baseline a year earlier, grouped)."""
    from tra_assess.demo.build import make_demo

    out = tmp_path_factory.mktemp("demo") / "demo"
    make_demo(out)
    return out


def _demo_reports(demo: Path) -> tuple[Results, str, str]:
    from tra_assess.results.load import load_results_file

    results = load_results_file(demo / "results.json")
    baseline = load_results_file(demo / "results-baseline.json")
    html = render_report(results, fmt="html", baseline=baseline)
    md = render_report(results, fmt="md", baseline=baseline)
    return results, html, md


# The first screen ---------------------------------------------------------------------------


def test_first_screen_is_strip_then_headline_then_summary() -> None:
    html = render_report(make_results(), fmt="html", baseline=_baseline())
    strip, headline = html.index('<section id="glance"'), html.index('id="headline"')
    summary = html.index('<h2 id="summary-h">Summary</h2>')
    chart = html.index('aria-labelledby="tra-domains-title')
    assert strip < headline < summary < chart < html.index('<section id="priorities"')
    glance = html[strip:headline]
    for row in ("Alpha practices", "Beta practices", "Gamma practices", "Overall"):
        assert row in glance
    assert "<strong>Middle</strong>, <span class=\"g-below\">1 level below target</span>" in glance
    assert "<strong>High</strong>, <span class=\"g-ok\">meets the target</span>" in glance
    assert "▲ </span>up 1.00 (was Middle)" in glance  # gamma: the change and the level then
    md = render_report(make_results(), fmt="md", baseline=_baseline())
    assert md.index("## At a glance") < md.index("**Riverbend Family Services is Low") < md.index(
        "## Summary"
    )
    assert "| Gamma practices | ■■◆□ | High | meets the target | ▲ up 1.00 (was Middle) |" in md


def test_strip_without_baseline_has_no_change_column() -> None:
    html = render_report(make_results(), fmt="html")
    glance = html.split('<section id="glance"', 1)[1].split("</section>", 1)[0]
    assert "g-change" not in glance and "▲" not in glance
    md = render_report(make_results(), fmt="md")
    assert "| Domain | Ladder | Level | Against the target |\n" in md


def test_contents_and_appendix_with_ids_only_there() -> None:
    html = render_report(make_results(), fmt="html", baseline=_baseline())
    nav = html.split('<nav class="contents"', 1)[1].split("</nav>", 1)[0]
    for anchor in ("#glance", "#summary", "#domains", "#priorities", "#change", "#groups",
                   "#appendix", "#groups-detail", "#disagreement", "#notes", "#method",
                   "#glossary", "#items"):
        assert f'href="{anchor}"' in nav
        assert f'id="{anchor[1:]}"' in html
    body, appendix = html.split('<div class="appendix" id="appendix">', 1)
    assert not re.search(r"\b(alpha|beta|gamma)\.(one|two|three)\b", _text(body))
    assert '<td class="id">alpha.two</td>' in appendix  # the full item table
    glossary = appendix.split('id="glossary"', 1)[1]
    terms = [htmllib.unescape(t) for t in re.findall(r"<dt>([^<]+)</dt>", glossary)]
    for term in ("SD (agreement)", "Coverage", "Capped by", "Don't know rate",
                 "Critical practice", "Suppressed"):
        assert term in terms, term


# Nothing misread -----------------------------------------------------------------------------


def test_demo_never_words_an_item_level_as_a_domain_level(demo: Path) -> None:
    results, html, md = _demo_reports(demo)
    labels = "|".join(re.escape(level.label) for level in results.levels)
    text = _text(html)
    assert not re.search(rf"; now ({labels})\)", text)  # the old wording of item levels
    assert not re.search(rf"; now ({labels})\)", md)
    # every priority line names its domain and the practice's level as the practice's
    for section in (html.split('id="summary"', 1)[1].split("</section>", 1)[0],
                    html.split('id="priorities"', 1)[1].split("</section>", 1)[0]):
        items = re.findall(r"<li value=\"\d+\">(.*?)</li>", section, flags=re.S)
        assert items
        for item in items:
            line = _text(f"<body>{item}")
            level = re.search(rf"({labels})", line)
            assert level, line
            assert re.search(rf"this practice: ({labels})", line), line
            assert any(d.title in line for d in results.domains), line
    for line in md.splitlines():
        if re.match(r"^\s*\d+\. ", line) and "(" in line and re.search(labels, line):
            assert "this practice: " in line, line


def test_demo_has_no_progress_percentage(demo: Path) -> None:
    _, html, md = _demo_reports(demo)
    for text in (_text(html), md):
        assert "Progress to target" not in text and "of the score gap" not in text
        change = text.split("What changed since the baseline", 2)[-1].split("Appendix", 1)[0]
        assert "%" not in change
        assert all(0 <= int(value) <= 100 for value in re.findall(r"(\d+)%", text))


def test_priorities_in_rank_order_with_check_first() -> None:
    results = make_results()
    results.priorities = [
        Priority(rank=2, item="alpha.two", domain="alpha", text="Alpha two happens.", score=1.5,
                 level="mid", critical=True, shortfall=1.0),
        Priority(rank=1, kind="verify", item="beta.two", domain="beta",
                 text="Beta two happens.", score=None, level=None, critical=True,
                 shortfall=None),
    ]
    html = render_report(results, fmt="html")
    section = html.split('<section id="priorities"', 1)[1].split("</section>", 1)[0]
    first, second = section.index('<li value="1">'), section.index('<li value="2">')
    assert first < second
    assert ('<li value="1"><span class="tag flag">CHECK FIRST</span> <span class="tag">'
            'CRITICAL</span> Beta two happens. <span class="muted">(Beta practices; this '
            'practice: no rating yet)</span>') in section
    md = render_report(results, fmt="md")
    assert ("1. **CHECK FIRST** **CRITICAL** Beta two happens. (Beta practices; this practice: "
            "no rating yet)\n") in md
    assert "**Check first:** a critical practice to verify" in md


def test_summary_names_contested_unverified_and_high_unknown() -> None:
    results = make_results()
    results.domain("alpha").contested = ["alpha.two"]
    results.domain("beta").unverified = ["beta.two"]
    results.domain("gamma").unknown_rate = 0.3
    html = render_report(results, fmt="html")
    summary = _text(html.split('<section id="summary"', 1)[1].split("</section>", 1)[0])
    assert ("Alpha two happens: 1 of 4 respondents rates it at the bottom of the scale (“None” "
            "or “Some”) — check before calling Alpha practices Middle.") in summary
    assert ("Beta practices: Low by score, pending verification of “Beta two happens” (a "
            "critical practice that no respondent has rated yet).") in summary
    assert ("Many answers were “don't know” in: Gamma practices (30%); Beta practices (25%). "
            "That is a finding in itself") in summary
    md = render_report(results, fmt="md").split("## Contents", 1)[0]
    assert "> - Alpha two happens: 1 of 4 respondents rates it" in md
    assert "pending verification of “Beta two happens”" in md


def test_unknown_rate_below_a_fifth_is_not_an_alert() -> None:
    results = make_results()
    results.domain("beta").unknown_rate = 0.19
    assert "Check before relying" not in render_report(results, fmt="md")
    results.domain("beta").unknown_rate = 0.2
    assert "“don't know” in: Beta practices (20%)" in render_report(results, fmt="md")


def test_missing_assessment_date_is_said_not_invented() -> None:
    results = make_results(generated_at="2026-11-22T09:30:00Z")
    results.assessed_on = None
    for fmt in ("md", "html"):
        text = render_report(results, fmt=fmt)  # type: ignore[arg-type]
        assert "Riverbend Family Services · assessment date not recorded · 12 respondents" in text
        assert text.count("2026-11-22") == 1  # only "results generated 2026-11-22T09:30:00Z"
        assert "results generated 2026-11-22T09:30:00Z" in text
    html = render_report(results, fmt="html")
    assert ('@bottom-left { content: "Riverbend Family Services" " · " '
            '"assessment date not recorded";') in html


def test_strongest_and_weakest_need_two_scored_domains() -> None:
    results = make_results()
    for domain in results.domains[1:]:
        domain.status, domain.level, domain.meets_target = "insufficient", None, None
    text = render_report(results, fmt="md")
    assert "Strongest" not in text and "Weakest" not in text
    assert "Strongest" not in render_report(results, fmt="html")
    results.domains[1].status, results.domains[1].level = "scored", "low"
    two = render_report(results, fmt="md")
    assert "- **Strongest:** Alpha practices (2.00, Middle" in two
    assert "- **Weakest:** Beta practices (0.75, Low)" in two


# Groups --------------------------------------------------------------------------------------


def test_each_group_in_words_and_suppressed_cells() -> None:
    results = make_results()
    assert results.groups is not None
    results.groups.groups[2].domains[0].suppressed = True  # volunteer, alpha
    results.groups.groups[2].domains[0].score = None
    text = render_report(results, fmt="md")
    assert ("- ■ **volunteer** (5 respondents): weakest: Beta practices 1.00 (Low); Gamma "
            "practices 1.50 (Middle); differs most from everyone together in Gamma practices: "
            "1.50 lower (1.50 against 3.00).") in text
    assert "| Alpha practices | 2.00 | suppressed |" in text
    html = render_report(results, fmt="html")
    assert '<td class="num">suppressed</td>' in html


def test_modes_counted_only_where_stated() -> None:
    results = make_results()
    results.groups = None  # with a suppressed group, modes are not shown at all
    results.respondents, results.modes = 60, {"individual": 30, "consensus": 6}
    text = render_report(results, fmt="md")
    assert ("**Respondents:** 60 (6 answered as a group (consensus), 30 answered alone, 24 did "
            "not say whether they answered alone or as a group)") in text
    results.modes = {}
    assert "(60 did not say whether they answered alone or as a group)" in render_report(
        results, fmt="md"
    )


# Markdown ------------------------------------------------------------------------------------


def test_demo_markdown_chart_fits_100_columns(demo: Path) -> None:
    _, _, md = _demo_reports(demo)
    chart = md.split("```text\n", 1)[1].split("```", 1)[0]
    assert max(len(line) for line in chart.splitlines()) <= 100
    assert "Staff wellness and secondary" in chart and "traumatic stress" in chart  # no cut
    assert "…" not in chart


def test_user_text_urls_are_not_linked() -> None:
    hostile = "see http://evil.test/x and https://e.test, www.evil.test or me@evil.test"
    results = make_results(note_text=hostile, organization="Acme http://acme.test")
    text = render_report(results, fmt="md")
    assert not re.search(r"(?i)https?://|www\.|\w@\w", text)  # GitHub's autolink triggers
    assert text.replace("\u2060", "").count("http://evil.test/x") == 1  # reads the same
    rendered = MarkdownIt("gfm-like").render(text) if _has_linkify() else ""
    assert "<a " not in rendered
    html = render_report(results, fmt="html")
    assert "http://evil.test/x" in html and 'href="http' not in html


def _has_linkify() -> bool:
    try:
        import linkify_it  # noqa: F401
    except ImportError:
        return False
    return True


def test_css_footer_text_cannot_escape_the_style_element() -> None:
    results = make_results(organization='Evil </style><script>x()</script> "quoted" \\ ;}')
    html = render_report(results, fmt="html")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style.split("@page", 1)[1]
    footer = re.search(r"@bottom-left \{ content: (.*?); font", style)
    assert footer and re.fullmatch(r'("[A-Za-z0-9 ·\\]*" ?)+', footer.group(1))
