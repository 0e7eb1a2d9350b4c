"""Tests that guard the rules against small changes (each kills a mutant that an independent
mutation run found surviving): thresholds checked just beside their value, merge output
checked field by field, and the library's own refusals.

mini: levels low 0, mid 1.5, high 2.5, top 3.5; target high; min_coverage 0.5; groups of 3.
"""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from tra_assess.common.errors import UsageError
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import Results
from tra_assess.scoring.scorer import Accumulator, score_responses
from tra_assess.scoring.stats import TOLERANCE, cronbach_alpha, sample_variance, weighted_mean
from tra_assess.scoring.tally import Tally, build_plan
from tra_assess.sources.answers import Response


def resp(values: dict[str, Any], **meta: Any) -> Response:
    respondent = {k: meta.pop(k) for k in ("role", "id") if k in meta}
    return Response(source="r.yaml", values=dict(values), respondent=respondent, **meta)


def score(mini: Questionnaire, *responses: Response, **options: Any) -> Results:
    return score_responses(mini, list(responses), **options)


def test_tolerance_is_one_billionth() -> None:
    assert TOLERANCE == 1e-9


def test_perception_gap_of_float_one_is_flagged(mini: Questionnaire) -> None:
    """1.4 - 0.4 is 0.9999999999999999 in floats: flagged at 1.0 only with the tolerance."""
    high = [resp({"gamma.one": v, "gamma.two": v}, role="lead") for v in (1, 1, 2, 2, 1)]
    low = [resp({"gamma.one": v, "gamma.two": v}, role="staff") for v in (0, 0, 1, 1, 0)]
    results = score(mini, *high, *low, group_by="role")
    assert results.groups is not None
    gap = next(g for g in results.groups.perception_gaps if g.domain == "gamma")
    assert (gap.high, gap.low, gap.high_score, gap.low_score) == ("lead", "staff", 1.4, 0.4)
    assert gap.gap == 1.4 - 0.4 and gap.gap < 1.0
    assert gap.flagged is True


def test_perception_gap_below_one_is_not_flagged(mini: Questionnaire) -> None:
    high = [resp({"gamma.one": v, "gamma.two": v}, role="lead") for v in (1, 1, 1, 2, 1)]
    low = [resp({"gamma.one": v, "gamma.two": v}, role="staff") for v in (0, 0, 1, 1, 0)]
    results = score(mini, *high, *low, group_by="role")
    assert results.groups is not None
    gap = next(g for g in results.groups.perception_gaps if g.domain == "gamma")
    assert gap.gap == pytest.approx(0.8) and gap.flagged is False  # 0.9 would still not flag
    high = [resp({"gamma.one": v, "gamma.two": v}, role="lead") for v in (1, 1, 2, 2, 1)]
    low = [resp({"gamma.one": v, "gamma.two": v}, role="staff") for v in (0, 0, 1, 1, 1)]
    near = score(mini, *high, *low, group_by="role")
    assert near.groups is not None
    gap = next(g for g in near.groups.perception_gaps if g.domain == "gamma")
    assert gap.gap == pytest.approx(0.8) and gap.flagged is False


def test_perception_gap_of_095_is_not_flagged(mini: Questionnaire) -> None:
    # 20 per group: lead mean 1.40, staff mean 0.45 -> 0.95 (a 0.9 flag would catch it)
    lead = [1] * 12 + [2] * 8
    staff = [0] * 11 + [1] * 9
    rows = [resp({"gamma.one": v, "gamma.two": v}, role="lead") for v in lead]
    rows += [resp({"gamma.one": v, "gamma.two": v}, role="staff") for v in staff]
    results = score(mini, *rows, group_by="role")
    assert results.groups is not None
    gap = next(g for g in results.groups.perception_gaps if g.domain == "gamma")
    assert gap.gap == pytest.approx(0.95) and gap.flagged is False


def test_low_agreement_just_above_one(mini: Questionnaire) -> None:
    # own gamma scores 0, 2, 2: sd = sqrt(4/3) = 1.155: above 1.0 (but below 1.5)
    rows = [resp({"gamma.one": v, "gamma.two": v}) for v in (0, 2, 2)]
    gamma = score(mini, *rows).domain("gamma")
    assert gamma.sd == pytest.approx((4 / 3) ** 0.5) and gamma.sd_n == 3
    assert gamma.low_agreement is True
    # 0, 1, 2: sd exactly 1.0: not above
    rows = [resp({"gamma.one": v, "gamma.two": v}) for v in (0, 1, 2)]
    assert score(mini, *rows).domain("gamma").low_agreement is False


def test_capped_by_lists_only_items_below_the_domain_level(mini: Questionnaire) -> None:
    # beta: beta.one 3, beta.two (critical) 2.5: domain 2.75 High; beta.two is High too
    rows = [resp({"beta.one": 3, "beta.two": v}) for v in (2, 3)]
    beta = score(mini, *rows).domain("beta")
    assert (beta.level_by_score, beta.level) == ("high", "high")
    assert beta.capped_by == []


def test_alpha_when_nobody_rated_the_domains_first_item(mini: Questionnaire) -> None:
    two = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]
    three = [0, 1, 2, 3, 4, 1, 2, 3, 4, 4]
    rows = [resp({"alpha.two": a, "alpha.three": b}) for a, b in zip(two, three, strict=True)]
    alpha = score(mini, *rows).domain("alpha")
    totals = [a + b for a, b in zip(two, three, strict=True)]
    expected = 2 * (1 - (statistics.variance(two) + statistics.variance(three))
                    / statistics.variance(totals))
    assert alpha.alpha_n == 10
    assert alpha.alpha == pytest.approx(expected)


def test_alpha_n_is_zero_for_a_domain_nobody_rated(mini: Questionnaire) -> None:
    rows = [resp({"beta.one": v % 5, "beta.two": (v * 3) % 5}) for v in range(12)]
    results = score(mini, *rows)
    assert results.domain("beta").alpha_n == 12
    alpha = results.domain("alpha")
    assert (alpha.alpha_n, alpha.alpha, alpha.status) == (0, None, "insufficient")


def test_stats_helpers_by_hand() -> None:
    assert sample_variance(1, 3, 9) is None
    assert sample_variance(2, 4, 10) == 2  # values 1, 3
    assert cronbach_alpha(10, [1, 2], [1, 4], 9) is not None
    assert cronbach_alpha(1, [1, 2], [1, 4], 9) is None
    assert cronbach_alpha(10, [5], [5], 5) is None
    assert cronbach_alpha(3, [3, 3], [3, 3], 12) is None  # everyone 1, 1: no spread
    from fractions import Fraction

    assert weighted_mean([]) is None
    assert weighted_mean([(Fraction(1), Fraction(1)), (Fraction(4), Fraction(2))]) == 3


# -- merging -------------------------------------------------------------------------------------


def test_accumulator_merge_output_field_by_field(mini: Questionnaire) -> None:
    one = Accumulator(mini)
    one.add(resp({"alpha.one": 3}, mode="individual", organization="A", assessed_on="2026-01-05"))
    one.add(resp({"alpha.one": 1, "beta.two": "na"}, mode="consensus",
                 notes={"beta.two": "no beta two here"}))
    two = Accumulator(mini)
    two.add(resp({"alpha.one": 4}, mode="individual", organization="B", assessed_on="2026-02-01"))
    two.add(resp({"beta.two": "na"}, notes={"beta.two": "no beta two here"}))
    empty = Accumulator(mini)
    empty.merge(one)
    empty.merge(two)
    merged = empty.finalize()
    assert merged.respondents == 4
    assert merged.modes == {"consensus": 1, "individual": 2}
    assert merged.assessed_on == "2026-02-01"
    assert merged.organizations == ["A", "B"]
    item = next(i for i in merged.items if i.id == "alpha.one")
    assert (item.n, item.missing, item.distribution["4"], item.distribution["1"]) == (3, 1, 1, 1)
    assert [(r.item, r.reason, r.count) for r in merged.na_reasons] == [
        ("beta.two", "no beta two here", 2)]
    assert [n.text for n in merged.notes] == ["no beta two here"]
    # the other order, and merging an accumulator with no date into one with a date
    two.merge(one)
    assert two.finalize().assessed_on == "2026-02-01"
    later = Accumulator(mini)
    later.add(resp({"alpha.one": 2}, assessed_on="2026-03-01"))
    later.merge(one)
    assert later.finalize().assessed_on == "2026-03-01"
    one.merge(Accumulator(mini))
    assert one.finalize().assessed_on == "2026-01-05"


def test_tally_merge_adds_every_count(mini: Questionnaire) -> None:
    plan = build_plan(mini)
    a, b = Tally(plan.key), Tally(plan.key)
    a.add_checked({"alpha.one": 2, "beta.one": "na"}, plan)
    b.add_checked({"alpha.one": 4, "beta.one": "unknown"}, plan)
    a.merge(b)
    assert a.n == 2 and a.na[3] == 1 and a.unknown[3] == 1
    assert a.dist[2] == 1 and a.dist[4] == 1


def test_library_refuses_min_group_size_zero(mini: Questionnaire) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        score(mini, resp({"alpha.one": 1}), min_group_size=0)
    assert score(mini, resp({"alpha.one": 1}), min_group_size=1).min_group_size == 1


def test_merge_refuses_another_questionnaire(mini: Questionnaire) -> None:
    other = mini.model_copy(update={"version": "9.9"})
    with pytest.raises(ValueError, match="cannot merge"):
        Accumulator(mini).merge(Accumulator(other))
    with pytest.raises(ValueError, match="cannot merge"):
        Tally(build_plan(mini).key).merge(Tally(build_plan(other).key))
    with pytest.raises(ValueError, match="cannot merge"):
        Accumulator(mini, group_by="role").merge(Accumulator(mini))
    profiled = Accumulator(mini, not_applicable={"beta.two": "none here"})
    with pytest.raises(ValueError, match="cannot merge"):
        Accumulator(mini).merge(profiled)
