"""The action plan (SPEC section 9.1): rows equal the priorities, hand-checked on the report
factory's results (mini's ladder: low 0, mid 1.5, high 2.5 = target, top 3.5; scale 0-4
None, Some, Half, Most, All)."""

from __future__ import annotations

import csv
import io

import openpyxl

from report_factory import make_results
from tra_assess.results.model import Priority, Results
from tra_assess.results.plan import (
    build_action_plan,
    plan_csv,
    plan_markdown,
    plan_xlsx,
)
from tra_assess.scoring.retarget import all_candidates

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _results(**options: object) -> Results:
    results = make_results(**options)  # type: ignore[arg-type]
    for item in results.items:
        if item.id == "alpha.two":
            item.anchors = {"2": "Piloted in two teams", "3": "Routine everywhere"}
    return results


def test_rows_equal_the_priorities() -> None:
    plan = build_action_plan(_results())
    rows = [
        (r.rank, r.item_id, r.domain, r.critical, r.kind, r.level, r.action, r.done_when)
        for r in plan.rows
    ]
    assert rows == [
        (1, "alpha.two", "Alpha practices", True, "improve", "Item at Middle (score 1.50)",
         "Pilot alpha two.", "Rated 2 (Half): Piloted in two teams"),
        (2, "beta.one", "Beta practices", False, "improve", "Item at Low (score 0.75)",
         "No action given in the questionnaire; agree one as a team.", "Rated 1 (Some)"),
    ]
    assert plan.target == "High"
    assert plan.title == "Action plan: Riverbend Family Services"


def test_all_candidates_from_the_results() -> None:
    results = _results()
    extra = Priority(rank=3, item="alpha.one", domain="alpha", text="Alpha one happens.",
                     score=2.5, level="high", critical=False, shortfall=0.0, action="Go on.")
    results.candidates = [*results.priorities, extra]
    plan = build_action_plan(results, all_candidates=True)
    assert [r.item_id for r in plan.rows] == ["alpha.two", "beta.one", "alpha.one"]
    assert plan.warnings == []
    assert build_action_plan(results).rows[-1].item_id == "beta.one"


def test_all_candidates_of_an_older_file_are_worked_out_with_a_warning() -> None:
    results = _results()
    assert results.candidates == []
    plan = build_action_plan(results, all_candidates=True, work_out=all_candidates)
    # below High in domains missing it: alpha.two (critical, 1.5), beta.one (0.75); alpha.one
    # and alpha.three are at High; beta.two has no score; gamma meets the target
    # ranked as SPEC section 4 says: one next step per held-back domain, largest gap first
    # (beta 1.75, then alpha 0.50)
    assert [(r.rank, r.item_id) for r in plan.rows] == [(1, "beta.one"), (2, "alpha.two")]
    assert plan.rows[1].action == "Pilot alpha two."
    assert "earlier version" in plan.warnings[0]


def test_csv_parses_and_neutralises_formulas() -> None:
    results = _results(item_text=HOSTILE)
    results.priorities[1].action = "+SUM(A1:A9)"
    text = plan_csv(build_action_plan(results))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "rank", "domain", "item", "item_id", "critical", "kind", "item_level", "next_action",
        "done_when", "owner", "due", "status",
    ]
    assert [r["rank"] for r in rows] == ["1", "2"]
    assert rows[0]["item"] == "'" + HOSTILE
    assert rows[1]["next_action"] == "'+SUM(A1:A9)"
    assert rows[0]["critical"] == "yes" and rows[1]["critical"] == "no"
    assert all(r["owner"] == r["due"] == r["status"] == "" for r in rows)
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_xlsx_is_a_real_table() -> None:
    results = _results(item_text=HOSTILE)
    book = openpyxl.load_workbook(io.BytesIO(plan_xlsx(build_action_plan(results))))
    assert book.sheetnames == ["Action plan"]
    ws = book["Action plan"]
    table = ws.tables["ActionPlan"]
    assert table.ref == "A1:L3"
    assert table.autoFilter is not None and table.autoFilter.ref == "A1:L3"
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws["C2"].value == HOSTILE and ws["C2"].data_type == "s"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    assert ws["H2"].alignment.wrap_text is True
    assert ws.column_dimensions["C"].width == 45
    assert [c.value for c in ws[1]][-3:] == ["owner", "due", "status"]
    assert ws["A2"].value == 1 and ws["A3"].value == 2


def test_xlsx_is_the_same_bytes_for_the_same_results() -> None:
    plan = build_action_plan(_results())
    assert plan_xlsx(plan) == plan_xlsx(build_action_plan(_results()))


def test_markdown_escapes_user_text() -> None:
    text = plan_markdown(build_action_plan(_results(item_text="Two | <b>x</b>")))
    assert "Two \\| \\<b\\>x\\</b\\>" in text
    assert "| 1 | Alpha practices | **CRITICAL** " in text
    assert "<b>" not in text


def _followup(baseline: Results) -> Results:
    """alpha.two rose 1.5 -> 2.0 (moved, still Middle); beta.one 0.75 -> 0.75 (not moved);
    a third baseline priority gamma.one reached High (now met)."""
    follow = _results(generated_at="2027-11-22T00:00:00Z")
    follow.assessed_on = "2027-11-20"
    items = {item.id: item for item in follow.items}
    items["alpha.two"].score = 2.0
    items["gamma.one"].score, items["gamma.one"].level = 3.0, "high"
    follow.priorities[0].score = 2.0
    return follow


def test_baseline_priorities_marked_moved_not_moved_now_met() -> None:
    baseline = _results()
    baseline.priorities.append(
        Priority(rank=3, item="gamma.one", domain="gamma", text="Gamma one happens.",
                 score=2.0, level="mid", critical=False, shortfall=0.5)
    )
    baseline.priorities.append(
        Priority(rank=4, item="gone.item", domain="alpha", text="Dropped.", score=1.0,
                 level="low", critical=False, shortfall=1.5)
    )
    plan = build_action_plan(_followup(baseline), baseline=baseline)
    assert [(r.item_id, r.verdict) for r in plan.review] == [
        ("alpha.two", "moved"),
        ("beta.one", "not moved"),
        ("gamma.one", "now met"),
        ("gone.item", "not assessed now"),
    ]
    assert plan.review[0].then == "1.50 (Middle)" and plan.review[0].now == "2.00 (Middle)"
    assert [(r.item_id, r.since_baseline, r.baseline_rank) for r in plan.rows] == [
        ("alpha.two", "moved", 1),
        ("beta.one", "not moved", 2),
    ]
    rows = list(csv.DictReader(io.StringIO(plan_csv(plan))))
    assert [(r["item_id"], r["rank"], r["since_baseline"]) for r in rows] == [
        ("alpha.two", "1", "moved"),
        ("beta.one", "2", "not moved"),
        ("gamma.one", "", "now met"),
        ("gone.item", "", "not assessed now"),
    ]
    book = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan)))
    review = book["Since baseline"]
    assert review.tables["SinceBaseline"].ref == "A1:G5"
    assert [c.value for c in review["G"]][1:] == [
        "moved", "not moved", "now met", "not assessed now"
    ]
    md = plan_markdown(plan)
    assert "Of 4: 1 now met, 1 moved, 1 not moved." in md


def test_a_rise_too_small_to_show_is_not_moved() -> None:
    baseline = _results()
    follow = _results()
    items = {item.id: item for item in follow.items}
    items["alpha.two"].score = 1.5 + 1e-6
    plan = build_action_plan(follow, baseline=baseline)
    assert plan.review[0].verdict == "not moved"


def test_verify_rows_say_what_settles_them() -> None:
    results = _results()
    items = {item.id: item for item in results.items}
    items["beta.two"].status = "unverified"
    results.priorities.insert(
        0,
        Priority(rank=1, kind="verify", item="beta.two", domain="beta", text="Beta two happens.",
                 score=None, level=None, critical=True, shortfall=None),
    )
    row = build_action_plan(results).rows[0]
    assert row.kind == "verify"
    assert row.level == "Item unverified: no rating (don't know or unanswered)"
    assert row.done_when.startswith("Rated by the people who see this practice")
    assert row.action.startswith("Check with the people")


def test_a_report_with_a_baseline_says_whether_its_priorities_moved() -> None:
    from tra_assess.reports.render import render_report

    baseline = _results()
    follow = _followup(baseline)
    md = render_report(follow, fmt="md", baseline=baseline)
    assert "### The baseline's priorities (2026-11-20)" in md
    assert "Of the baseline's 2 priorities: 0 now met, 1 moved, 1 not moved." in md
    row = "| 1 | Alpha two happens. | Alpha practices | 1.50 (Middle) | 2.00 (Middle) |"
    assert row + " **moved** |" in md
    html = render_report(follow, fmt="html", baseline=baseline)
    assert '<section id="baseline-review"' in html and "<strong>not moved</strong>" in html
    assert "baseline's priorities" not in render_report(follow, fmt="md")
