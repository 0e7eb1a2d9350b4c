"""Trends whose files disagree (targets, ladders, groupings, dates shared), whose rows lack a
level or a score, and what the sentences and Markdown then say."""

from __future__ import annotations

from report_factory import make_results
from tra_assess.compare.trend import (
    build_trend,
    cell_text,
    change_text,
    point_text,
    row_sentence,
    trend_markdown,
)
from tra_assess.results.model import GroupResult, LevelInfo, Results

DATES = ("2024-05-01", "2025-05-01", "2026-05-01")
NAMES = ["a.json", "b.json", "c.json"]


def _three(**kwargs: object) -> list[Results]:
    files = []
    for date in DATES:
        results = make_results(**kwargs)  # type: ignore[arg-type]
        results.assessed_on = date
        files.append(results)
    return files


def test_files_of_one_date_targets_and_ladders_that_differ_are_warned_about() -> None:
    files = _three()
    files[1].assessed_on = files[2].assessed_on = "2026-05-01"
    files[0].target = "mid"
    files[0].allow_small_groups = True
    files[2].allow_small_groups = True
    files[0].levels = [
        LevelInfo(id=lv.id, label=lv.label, min_score=lv.min_score + 0.25 * (lv.id == "top"))
        for lv in files[0].levels
    ]
    trend = build_trend(files, NAMES)
    assert trend.warnings == [
        "b.json, c.json are all dated 2026-05-01: kept in the order given",
        "the assessments were scored against different targets; each is judged here against "
        "one, where its ladder has that level",
        "small groups allowed (--allow-small-groups) in a.json, c.json: groups below the "
        "questionnaire's minimum are shown there and may be recognisable",
        "the results use different level ladders; levels shown are each file's",
    ]
    assert [a.source for a in trend.assessments] == NAMES  # same date: the order given
    md = trend_markdown(trend)
    assert md.endswith(
        "> Note: the results use different level ladders; levels shown are each file's\n"
    )
    assert "> Note: b.json, c.json are all dated 2026-05-01: kept in the order given" in md


def test_groups_are_followed_only_when_every_file_is_grouped_by_one_field() -> None:
    files = _three()
    files[1].groups = None
    assert build_trend(files, NAMES).groups is None
    files = _three()
    assert files[2].groups is not None
    files[2].groups.by = "team"
    assert build_trend(files, NAMES).groups is None


def test_a_group_missing_from_one_assessment_is_a_dash_there() -> None:
    files = _three()
    assert files[0].groups is not None and files[2].groups is not None
    files[0].groups.groups = [g for g in files[0].groups.groups if g.value != "volunteer"]
    files[2].groups.min_size = 5
    files[2].groups.groups.append(
        GroupResult(value="board", n=6, suppressed=False, overall_score=2.5, domains=[])
    )
    trend = build_trend(files, NAMES)
    assert trend.groups is not None
    by_value = {g.value: g for g in trend.groups.groups}
    assert list(by_value) == ["lead", "staff", "volunteer", "board"]
    volunteer = by_value["volunteer"]
    assert [cell_text(c) for c in volunteer.overall] == ["—", "2.20", "2.20"]
    assert [cell_text(c) for c in volunteer.domains["gamma"]] == ["—", "1.50", "1.50"]
    board = by_value["board"]
    assert [cell_text(c) for c in board.overall] == ["—", "—", "2.50"]
    # a group of the latest file without domain figures: no cell is invented for them
    assert [cell_text(c) for c in board.domains["alpha"]] == ["—", "—", "—"]
    assert trend.groups.rule == (
        "fewer than each assessment's minimum (3, 5) respondents, or needed to protect a "
        "smaller group"
    )
    md = trend_markdown(trend, heading_level=2)
    assert "### Overall score by role" in md
    assert "| volunteer | — | 2.20 | 2.20 |" in md
    assert "| board | — | — | 2.50 |" in md


def test_points_without_a_level_say_why() -> None:
    files = _three()
    files[0].domain("beta").status = "not-applicable"
    files[0].domain("beta").level = None
    files[0].domain("beta").score = None
    files[1].domain("beta").status = "insufficient"
    files[1].domain("beta").level = None
    files[1].domain("beta").score = 1.25  # a score below the coverage: shown, no level
    files[2].domain("beta").status = "insufficient"
    files[2].domain("beta").level = None
    files[2].domain("beta").score = None
    trend = build_trend(files, NAMES)
    beta = next(row for row in trend.domains if row.id == "beta")
    assert [point_text(trend, p) for p in beta.points] == [
        "not applicable",
        "1.25 (insufficient data)",
        "insufficient data",
    ]
    assert change_text(beta) == "—"
    assert row_sentence(trend, beta) == (
        "Beta practices: not applicable on 2024-05-01 → 1.25 (insufficient data) on 2025-05-01 "
        "→ insufficient data on 2026-05-01; has not met the target yet."
    )
    row = "| Beta practices | not applicable | 1.25 (insufficient data) | insufficient data | — |"
    assert row in trend_markdown(trend)


def test_a_target_met_before_and_not_now_is_said() -> None:
    files = _three()
    files[0].domain("gamma").meets_target = True
    files[1].domain("gamma").meets_target = True
    files[2].domain("gamma").meets_target = False
    trend = build_trend(files, NAMES)
    gamma = next(row for row in trend.domains if row.id == "gamma")
    assert row_sentence(trend, gamma).endswith(
        "; met the target on 2024-05-01, 2025-05-01, not now."
    )


def test_a_target_met_since_the_start_has_no_lost_and_regained() -> None:
    files = _three()
    files[0].domain("gamma").meets_target = False
    trend = build_trend(files, NAMES)
    gamma = next(row for row in trend.domains if row.id == "gamma")
    assert row_sentence(trend, gamma).endswith("; meets the target since 2025-05-01.")


def test_a_level_the_latest_ladder_does_not_have_is_shown_by_its_id() -> None:
    files = _three()
    files[0].domain("alpha").level = "emerging"  # an earlier file's own ladder
    trend = build_trend(files, NAMES)
    alpha = next(row for row in trend.domains if row.id == "alpha")
    assert point_text(trend, alpha.points[0]) == "2.00 emerging"
    assert trend.level_label(None) == "no level"
    assert trend.level_label("mid") == "Middle"
