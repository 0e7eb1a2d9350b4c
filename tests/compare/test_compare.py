"""compare_results: hand-computed changes, levels, the gap to target then and now, items moved."""

from __future__ import annotations

import json

import pytest

from compare_helpers import as_results, baseline_doc, followup_doc, results_doc
from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.compare.change import compare_results


def _compare(target: str | None = None):  # type: ignore[no-untyped-def]
    return compare_results(as_results(baseline_doc()), as_results(followup_doc()), target)


def test_domain_changes_levels_and_progress_are_hand_computed() -> None:
    comparison = _compare()
    rows = {d.id: d for d in comparison.domains}
    assert [d.id for d in comparison.domains] == ["alpha", "beta", "gamma"]
    assert comparison.target == "high"
    assert comparison.target_min_score == 2.5

    alpha = rows["alpha"]
    assert alpha.baseline_score == 1.0 and alpha.followup_score == 2.0
    assert alpha.change == pytest.approx(1.0)
    assert (alpha.baseline_level, alpha.followup_level, alpha.level_change) == ("low", "mid", 1)
    # gap 2.5 - 1.0 then, 2.5 - 2.0 now
    assert alpha.baseline_gap == pytest.approx(1.5) and alpha.followup_gap == pytest.approx(0.5)
    assert alpha.against_target == "gap 1.50 → 0.50"
    assert alpha.target_already_met is False
    assert alpha.baseline_status == "scored" and alpha.followup_status == "scored"


def test_target_already_met_has_no_progress() -> None:
    beta = {d.id: d for d in _compare().domains}["beta"]
    assert beta.change == pytest.approx(-0.5)
    assert beta.level_change == 0
    assert beta.against_target == "target met then and now"
    assert beta.target_already_met is True


def test_regression_gives_negative_progress_and_level_drop() -> None:
    gamma = {d.id: d for d in _compare().domains}["gamma"]
    assert gamma.change == pytest.approx(-1.0)
    assert gamma.level_change == -1
    # gap 0.5 then, 1.5 now: never a percentage (the old formula said -200%)
    assert gamma.against_target == "further from target by 1.00"


def test_overall_change_and_progress() -> None:
    overall = _compare().overall
    assert overall.id == "overall"
    assert overall.change == pytest.approx(0.125)
    assert overall.against_target == "gap 0.75 → 0.63"  # 0.625 rounds half-up
    assert overall.baseline_level == overall.followup_level == "low"
    assert overall.level_change == 0


def test_progress_past_the_target_is_above_one() -> None:
    base = results_doc({"alpha": 1.5}, {"alpha.one": 1.5}, overall=1.5)
    follow = results_doc({"alpha": 3.0}, {"alpha.one": 3.0}, overall=3.0, assessed_on="2026-01-01")
    comparison = compare_results(as_results(base), as_results(follow))
    assert comparison.domains[0].against_target == "target reached"
    assert comparison.domains[0].followup_gap == 0.0
    assert comparison.domains[0].level_change == 1  # mid -> high


def test_explicit_target_changes_the_denominator() -> None:
    alpha = {d.id: d for d in _compare("top").domains}["alpha"]
    assert alpha.against_target == "gap 2.50 → 1.50"
    beta = {d.id: d for d in _compare("top").domains}["beta"]
    assert beta.target_already_met is False
    assert beta.against_target == "further from target by 0.50"


def test_unknown_target_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="'nope'"):
        _compare("nope")


def test_items_moved_by_absolute_change_then_questionnaire_order() -> None:
    moved = _compare().items_moved
    assert [m.id for m in moved] == [
        "alpha.one", "alpha.three", "beta.one", "gamma.one", "gamma.two",
    ]
    first = moved[0]
    assert (first.baseline_score, first.followup_score, first.change) == (1.0, 3.0, 2.0)
    assert first.text == "alpha.one happens."
    assert (first.baseline_level, first.followup_level) == ("low", "high")
    assert moved[2].change == pytest.approx(-1.0)


def test_items_moved_keeps_the_top_ten() -> None:
    ids = [f"alpha.i{n:02d}" for n in range(14)]
    base = results_doc({"alpha": 1.0}, dict.fromkeys(ids, 1.0), overall=1.0)
    # item n moves by n * 0.1 (and i00 not at all)
    follow = results_doc(
        {"alpha": 2.0}, {iid: 1.0 + n * 0.1 for n, iid in enumerate(ids)}, overall=2.0
    )
    moved = compare_results(as_results(base), as_results(follow)).items_moved
    assert [m.id for m in moved] == [f"alpha.i{n:02d}" for n in range(13, 3, -1)]


def test_different_questionnaires_are_refused_naming_both() -> None:
    other = followup_doc(qid="other-q")
    with pytest.raises(InvalidInputError) as info:
        compare_results(as_results(baseline_doc()), as_results(other))
    assert "'mini'" in info.value.message and "'other-q'" in info.value.message


def test_different_versions_compare_shared_domains_with_a_warning() -> None:
    base = results_doc({"alpha": 1.0, "beta": 3.0}, {"alpha.one": 1.0, "beta.one": 3.0},
                       overall=2.0, version="1.0")
    follow = results_doc({"alpha": 2.0, "gamma": 1.0}, {"alpha.one": 2.0, "gamma.one": 1.0},
                         overall=1.5, version="2.0", assessed_on="2026-01-01")
    comparison = compare_results(as_results(base), as_results(follow))
    assert [d.id for d in comparison.domains] == ["alpha"]
    assert [m.id for m in comparison.items_moved] == ["alpha.one"]
    text = " ".join(comparison.warnings)
    assert "mini 1.0" in text and "mini 2.0" in text
    assert "1 domains and 1 items" in text
    assert "no changes list leading from 1.0 to 2.0 was found, so items are paired by id" in text
    assert [(n.kind, n.why, n.ids, n.text) for n in comparison.left_out] == [
        ("item", "not-in-followup", ["beta.one"],
         "not in the follow-up (2.0), so not compared: beta.one"),
        ("item", "not-in-baseline", ["gamma.one"],
         "not in the baseline (1.0), so not compared: gamma.one"),
        ("domain", "not-in-baseline", ["gamma"], "not in the baseline, so not compared: gamma"),
        ("domain", "not-in-followup", ["beta"], "not in the follow-up, so not compared: beta"),
    ]
    # the overall is worked out again over the one domain both have
    overall = comparison.overall
    assert (overall.baseline_score, overall.followup_score) == (1.0, 2.0)
    assert comparison.questionnaire.baseline_version == "1.0"


def test_missing_scores_give_no_change() -> None:
    base = results_doc({"alpha": None}, {"alpha.one": None}, overall=None)
    follow = results_doc({"alpha": 2.0}, {"alpha.one": 2.0}, overall=2.0, assessed_on="2026-01-01")
    alpha = compare_results(as_results(base), as_results(follow)).domains[0]
    assert alpha.change is None and alpha.against_target == "no baseline score"
    assert alpha.level_change is None
    assert alpha.baseline_status == "insufficient"


def test_swapped_order_is_warned() -> None:
    comparison = compare_results(as_results(followup_doc()), as_results(baseline_doc()))
    assert any("later than the follow-up" in w for w in comparison.warnings)


def test_comparison_is_json_dumpable() -> None:
    data = json.loads(_compare().model_dump_json())
    assert data["overall"]["against_target"] == "gap 0.75 → 0.63"
    assert data["baseline_date"] == "2025-05-01" and data["followup_date"] == "2026-05-01"
    assert data["warnings"] == []
    assert set(data["domains"][0]) >= {
        "id", "title", "baseline_score", "followup_score", "change", "baseline_level",
        "followup_level", "level_change", "baseline_status", "followup_status",
        "baseline_gap", "followup_gap", "against_target",
    }
    assert "progress_to_target" not in data["domains"][0]
