"""Hand-computed scoring cases on tests/data/mini.yaml, one rule (SPEC section 4) at a time.

mini: levels low 0, mid 1.5, high 2.5, top 3.5; target high; min_coverage 0.5; groups of 3.
alpha (weight 2): alpha.one (w1), alpha.two (critical, w2), alpha.three (w1);
beta: beta.one, beta.two (critical); gamma: gamma.one, gamma.two.
"""

from __future__ import annotations

import math
import pickle
from typing import Any

import pytest

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import Inputs, Results
from tra_assess.scoring.scorer import Accumulator, score_responses
from tra_assess.sources.answers import Response

ALL_ALPHA = ("alpha.one", "alpha.two", "alpha.three")


def close(actual: float | None, expected: float) -> bool:
    return actual is not None and abs(actual - expected) <= 1e-9


_counter = iter(range(1_000_000))


def resp(values: dict[str, Any] | None = None, **fields: Any) -> Response:
    """A Response; respondent fields (role, team...) as keywords, plus organization/mode."""
    meta = {key: fields.pop(key) for key in ("organization", "mode", "assessed_on", "notes")
            if key in fields}
    return Response(source=f"r{next(_counter)}.yaml", values=dict(values or {}),
                    respondent={k: str(v) for k, v in fields.items()}, **meta)


def score(mini: Questionnaire, *responses: Response, **options: Any) -> Results:
    return score_responses(mini, list(responses), **options)


# -- items -------------------------------------------------------------------------------------


def test_item_mean_counts_distribution_and_sd(mini: Questionnaire) -> None:
    results = score(
        mini,
        resp({"alpha.one": 4, "alpha.two": 3, "alpha.three": "na", "beta.one": "unknown"}),
        resp({"alpha.one": 2, "alpha.two": 3, "alpha.three": "na"}),
        resp({"alpha.one": 3, "alpha.two": "unknown"}),
        resp({"alpha.one": 0}),
    )
    items = {item.id: item for item in results.items}
    one = items["alpha.one"]
    assert (one.n, one.na, one.unknown, one.missing) == (4, 0, 0, 0)
    assert close(one.score, 9 / 4)
    assert one.level == "mid"
    assert one.distribution == {"0": 1, "1": 0, "2": 1, "3": 1, "4": 1}
    assert close(one.sd, math.sqrt(35 / 12))  # deviations 1.75 -.25 .75 -2.25: 8.75 / 3
    two = items["alpha.two"]
    assert (two.n, two.na, two.unknown, two.missing) == (2, 0, 1, 1)
    assert close(two.score, 3.0) and close(two.sd, 0.0)
    three = items["alpha.three"]
    assert (three.n, three.na, three.missing, three.applicable) == (0, 2, 2, False)
    assert three.score is None and three.level is None and three.sd is None
    beta_one = items["beta.one"]
    assert (beta_one.unknown, beta_one.missing, beta_one.applicable) == (1, 3, True)
    assert results.respondents == 4


def test_applicability(mini: Questionnaire) -> None:
    results = score(
        mini,
        resp({"gamma.one": "na", "gamma.two": "na", "beta.one": "na", "beta.two": "na"}),
        resp({"gamma.one": "na", "beta.one": "unknown", "beta.two": 2, "alpha.one": "na"}),
    )
    items = {item.id: item for item in results.items}
    assert items["gamma.one"].applicable is False  # na, no number, no unknown
    assert items["gamma.two"].applicable is False
    assert items["beta.one"].applicable is True  # na but also unknown
    assert items["beta.two"].applicable is True  # na but also a number
    assert items["alpha.two"].applicable is True  # nobody answered: missing is not na
    gamma = results.domain("gamma")
    assert gamma.status == "not-applicable"
    assert gamma.score is None and gamma.coverage is None and gamma.level is None
    assert gamma.applicable_items == 0
    beta = results.domain("beta")
    assert beta.status == "scored" and close(beta.coverage, 0.5)
    assert results.overall.applicable_domains == 2


# -- domains -----------------------------------------------------------------------------------


def test_coverage_and_insufficient(mini: Questionnaire) -> None:
    results = score(
        mini,
        resp({"alpha.one": 3, "alpha.two": "unknown", "beta.one": 2, "gamma.one": "unknown"}),
    )
    alpha = results.domain("alpha")  # 1 scored of 3 applicable: 1/3 < 0.5
    assert alpha.status == "insufficient"
    assert close(alpha.coverage, 1 / 3) and (alpha.scored_items, alpha.applicable_items) == (1, 3)
    assert close(alpha.score, 3.0)  # the score is still reported
    assert alpha.level is None and alpha.level_by_score is None
    assert alpha.gap is None and alpha.meets_target is None
    beta = results.domain("beta")  # 1 of 2: exactly min_coverage
    assert beta.status == "scored" and close(beta.coverage, 0.5) and beta.level == "mid"
    gamma = results.domain("gamma")  # nothing scored
    assert gamma.status == "insufficient" and gamma.score is None and close(gamma.coverage, 0.0)
    assert close(gamma.unknown_rate, 1.0)


def test_item_weights_in_domain_score(mini: Questionnaire) -> None:
    results = score(mini, resp({"alpha.one": 4, "alpha.two": 1, "alpha.three": 2}))
    assert close(results.domain("alpha").score, (4 * 1 + 1 * 2 + 2 * 1) / 4)
    results = score(mini, resp({"alpha.one": 4, "alpha.two": 1}), resp({"alpha.one": 1}))
    # alpha.one 2.5 (w1), alpha.two 1 (w2), alpha.three unscored: (2.5 + 2) / 3
    assert close(results.domain("alpha").score, 4.5 / 3)


def test_unknown_rate(mini: Questionnaire) -> None:
    results = score(
        mini,
        resp({"alpha.one": 2, "alpha.two": "unknown", "alpha.three": "na"}),
        resp({"alpha.one": "unknown", "alpha.two": 3}),
    )
    assert close(results.domain("alpha").unknown_rate, 2 / 4)  # na and missing don't count
    assert results.domain("beta").unknown_rate is None


def test_critical_cap_and_capped_by(mini: Questionnaire) -> None:
    results = score(mini, resp({"alpha.one": 4, "alpha.two": 1, "alpha.three": 4}))
    alpha = results.domain("alpha")
    assert close(alpha.score, 2.5)  # (4 + 2 + 4) / 4
    assert alpha.level_by_score == "high"
    assert alpha.level == "low" and alpha.capped_by == ["alpha.two"]
    assert alpha.meets_target is False and close(alpha.gap, 0.0)
    # a critical item at or above the score's level does not cap
    results = score(mini, resp({"beta.one": 2, "beta.two": 4}))
    beta = results.domain("beta")
    assert (beta.level, beta.level_by_score, beta.capped_by) == ("high", "high", [])


def test_levels_use_the_tolerance(mini: Questionnaire) -> None:
    results = score(mini, *(resp({"gamma.one": v}) for v in (3, 2)))
    assert results.domain("gamma").level == "high"  # a threshold belongs to the level above
    assert mini.level_for_score(2.5 - 5e-10).id == "high"
    assert mini.level_for_score(2.5 - 5e-9).id == "mid"


# -- overall -----------------------------------------------------------------------------------


def _answers(alpha: int, beta: int, gamma: int) -> dict[str, Any]:
    return {**dict.fromkeys(ALL_ALPHA, alpha), "beta.one": beta, "beta.two": beta,
            "gamma.one": gamma, "gamma.two": gamma}


def test_overall_weakest_link_and_domain_weights(mini: Questionnaire) -> None:
    results = score(mini, resp(_answers(3, 4, 2)))
    overall = results.overall
    assert overall.status == "scored"
    assert (overall.scored_domains, overall.applicable_domains) == (3, 3)
    assert close(overall.score, (2 * 3 + 4 + 2) / 4)  # alpha weighs 2
    assert overall.level_by_score == "high"
    assert overall.level == "mid"  # gamma's level: the weakest link
    assert overall.meets_target is False and close(overall.gap, 0.0)
    assert [d.level for d in results.domains] == ["high", "top", "mid"]


def test_overall_provisional_and_insufficient(mini: Questionnaire) -> None:
    provisional = score(mini, resp({"alpha.one": 3, "alpha.two": 3, "beta.one": 3}))
    assert provisional.overall.status == "provisional"  # 2 of 3 scored
    assert provisional.overall.level == "high"
    # beta.two (critical) has no rating: unverified, so the overall does not meet the target
    assert provisional.domain("beta").unverified == ["beta.two"]
    assert provisional.overall.meets_target is False
    assert close(provisional.overall.score, (2 * 3 + 3) / 3)
    insufficient = score(mini, resp({"alpha.one": 3, "alpha.two": 3}))
    overall = insufficient.overall
    assert overall.status == "insufficient"  # 1 of 3
    assert close(overall.score, 3.0)  # reported, but no level
    assert overall.level is None and overall.level_by_score is None
    assert overall.meets_target is None and overall.gap is None
    # not-applicable domains leave the count: 1 scored of 2 applicable is half
    half = score(mini, resp({"alpha.one": 3, "alpha.two": 3, "gamma.one": "na",
                             "gamma.two": "na"}))
    assert half.overall.status == "provisional" and half.overall.applicable_domains == 2
    empty = score(mini)
    assert empty.overall.status == "insufficient" and empty.overall.score is None
    assert empty.respondents == 0


def test_gap_meets_target_and_override(mini: Questionnaire) -> None:
    responses = [resp(_answers(2, 3, 4))]
    results = score(mini, *responses)
    assert results.target == "high"
    alpha, beta, gamma = results.domains
    assert close(alpha.gap, 0.5) and alpha.meets_target is False
    assert close(beta.gap, 0.0) and beta.meets_target is True
    assert close(gamma.gap, 0.0) and gamma.meets_target is True
    lower = score(mini, *responses, target="mid")
    assert lower.target == "mid" and lower.domain("alpha").meets_target is True
    assert close(lower.domain("alpha").gap, 0.0) and lower.overall.meets_target is True
    higher = score(mini, *responses, target="top")
    assert close(higher.domain("beta").gap, 0.5) and higher.domain("beta").meets_target is False
    assert close(higher.domain("gamma").gap, 0.0) and higher.domain("gamma").meets_target is True


def test_bad_target_is_a_usage_error(mini: Questionnaire) -> None:
    with pytest.raises(UsageError) as caught:
        score(mini, resp({"alpha.one": 1}), target="responsive")
    assert "'responsive'" in caught.value.message
    assert "low, mid, high, top" in caught.value.message
    accumulator = Accumulator(mini)
    with pytest.raises(UsageError):
        accumulator.finalize(target="nope")


# -- priorities --------------------------------------------------------------------------------


def test_priorities_order_candidates_and_actions(mini: Questionnaire) -> None:
    results = score(mini, resp({
        "alpha.one": 1, "alpha.two": 2, "alpha.three": 0,  # alpha 1.25: misses the target
        "beta.one": 4, "beta.two": 2,  # beta 3.0 high, capped to mid by beta.two
        "gamma.one": 4, "gamma.two": 1,  # gamma 2.5 high: meets the target
    }))
    assert results.domain("beta").capped_by == ["beta.two"]
    assert results.domain("gamma").meets_target is True
    got = [(p.rank, p.item, p.critical, p.action) for p in results.priorities]
    assert got == [
        (1, "alpha.two", True, "Pilot alpha two."),  # critical, 0.5 x 2 = 1.0
        (2, "beta.two", True, None),  # critical, 0.5 x 1
        (3, "alpha.three", False, None),  # 2.5 x 1
        (4, "alpha.one", False, "Start alpha one."),  # 1.5 x 1
    ]  # gamma.two is low, but gamma meets the target and it is not critical
    first = results.priorities[0]
    assert close(first.shortfall, 0.5) and close(first.score, 2.0) and first.level == "mid"
    assert first.domain == "alpha" and first.text == "Alpha two happens." and first.weight == 2


def test_priorities_ties_keep_questionnaire_order_and_top(mini: Questionnaire) -> None:
    given = {"alpha.three": 1, "alpha.one": 1, "alpha.two": 3, "beta.two": 3}
    results = score(mini, resp(given), top=1)
    assert [(p.rank, p.item) for p in results.priorities] == [(1, "alpha.one")]
    results = score(mini, resp(given))
    assert [p.item for p in results.priorities] == ["alpha.one", "alpha.three"]
    # an unscored (insufficient) domain does not meet the target: its low items are
    # candidates; alpha.two, critical and unrated, is to be verified first
    results = score(mini, resp({"alpha.one": 1, "alpha.two": "unknown", "alpha.three": "unknown",
                                "beta.two": 3}))
    assert results.domain("alpha").status == "insufficient"
    assert [(p.item, p.kind) for p in results.priorities] == [
        ("alpha.two", "verify"), ("alpha.one", "improve")]


# -- spread, agreement, consistency ----------------------------------------------------------


def test_domain_sd_over_respondents_own_scores(mini: Questionnaire) -> None:
    results = score(
        mini,
        resp(dict.fromkeys(ALL_ALPHA, 4)),  # own score 4
        resp(dict.fromkeys(ALL_ALPHA, 0)),  # 0
        resp({"alpha.one": 2}),  # coverage 1/3: no own score
        resp({"alpha.one": 1, "alpha.two": 2, "alpha.three": "na"}),  # (1 + 4) / 3 = 5/3
    )
    alpha = results.domain("alpha")
    assert alpha.sd_n == 3
    assert close(alpha.sd, math.sqrt(327 / 81))  # mean 17/9; squares (361 + 289 + 4) / 81 / 2
    assert alpha.low_agreement is True


def test_low_agreement_is_above_one(mini: Questionnaire) -> None:
    exactly_one = score(mini, *(resp({"gamma.one": v}) for v in (0, 1, 2)))
    gamma = exactly_one.domain("gamma")
    assert close(gamma.sd, 1.0) and gamma.low_agreement is False
    one = score(mini, resp({"gamma.one": 1}))
    assert one.domain("gamma").sd is None and one.domain("gamma").low_agreement is None


ALPHA_ROWS = [(4, 3, 4), (3, 3, 2), (2, 2, 2), (1, 0, 1), (0, 1, 0),
              (4, 4, 3), (3, 2, 3), (2, 3, 1), (1, 1, 2), (0, 0, 0)]


def test_cronbach_alpha_by_hand(mini: Questionnaire) -> None:
    rows = [resp(dict(zip(ALL_ALPHA, row, strict=True))) for row in ALPHA_ROWS]
    # var(items) = 20/9, 169/90, 26/15 (sum 35/6); var(total) = 1381/90
    # alpha = 3/2 * (1 - (35/6) / (1381/90)) = 1284/1381
    incomplete = [resp({"alpha.one": 4, "alpha.two": 4}),  # alpha.three missing: left out
                  resp(dict.fromkeys(ALL_ALPHA, "na"))]
    results = score(mini, *rows, *incomplete)
    alpha = results.domain("alpha")
    assert alpha.alpha_n == 10
    assert close(alpha.alpha, 1284 / 1381)
    assert score(mini, *rows[:9]).domain("alpha").alpha is None  # fewer than 10
    same = [resp(dict.fromkeys(ALL_ALPHA, 2)) for _ in range(10)]
    assert score(mini, *same).domain("alpha").alpha is None  # var(total) = 0
    single = [resp({"gamma.one": v}) for v in range(4) for _ in range(3)]
    assert score(mini, *single).domain("gamma").alpha is None  # one scored item


def test_alpha_items_are_the_scored_items(mini: Questionnaire) -> None:
    # nobody answers alpha.three: the scored items are alpha.one and alpha.two
    rows = [resp({"alpha.one": a, "alpha.two": b}) for a, b, _ in ALPHA_ROWS]
    alpha = score(mini, *rows).domain("alpha")
    assert alpha.alpha_n == 10
    # var 20/9 and 169/90; totals 7,6,4,1,1,8,5,5,2,0: mean 3.9, var (221 - 152.1) / 9 = 689/90
    assert close(alpha.alpha, 2 * (1 - (200 / 90 + 169 / 90) / (689 / 90)))


# -- principles --------------------------------------------------------------------------------


def test_principles_weighted_mean_of_tagged_items(mini: Questionnaire) -> None:
    results = score(mini, resp({"alpha.one": 4, "alpha.two": 1, "beta.two": 3, "gamma.one": 2}))
    got = {p.id: (p.score, p.items) for p in results.principles}
    assert [p.id for p in results.principles] == ["safety", "collaboration", "empowerment",
                                                  "cultural"]
    assert close(got["safety"][0], (4 + 2 * 1 + 3) / 4) and got["safety"][1] == 3
    assert close(got["empowerment"][0], 1.0) and got["empowerment"][1] == 1
    assert got["collaboration"] == (None, 0)
    assert close(got["cultural"][0], 2.0)


# -- groups ------------------------------------------------------------------------------------


def _group_table(results: Results) -> list[tuple[str, int | None, bool]]:
    assert results.groups is not None
    return [(g.value, g.n, g.suppressed) for g in results.groups.groups]


def test_groups_scored_with_the_same_rules(mini: Questionnaire) -> None:
    responses = [resp(_answers(4, 2, 3), role="lead") for _ in range(3)]
    responses += [resp(_answers(2, 2, 1), role="staff") for _ in range(4)]
    results = score(mini, *responses, group_by="role")
    assert results.groups is not None
    assert (results.groups.by, results.groups.min_size) == ("role", 3)
    assert _group_table(results) == [("lead", 3, False), ("staff", 4, False)]
    lead = results.groups.groups[0]
    assert [(d.id, d.score, d.level, d.status) for d in lead.domains] == [
        ("alpha", 4.0, "top", "scored"), ("beta", 2.0, "mid", "scored"),
        ("gamma", 3.0, "high", "scored")]
    assert close(lead.overall_score, (8 + 2 + 3) / 4) and lead.overall_level == "mid"


def test_suppression_and_the_secondary_rule(mini: Questionnaire) -> None:
    responses = [resp({"alpha.one": 3}, role="lead") for _ in range(4)]
    responses += [resp({"alpha.one": 3}, role="staff") for _ in range(3)]
    responses += [resp({"alpha.one": 1}, role="peer")]
    results = score(mini, *responses, group_by="role")
    # peer < 3; exactly one suppressed, so the smallest other group (staff) goes too
    assert _group_table(results) == [("lead", 4, False), ("peer", None, True),
                                     ("staff", None, True)]
    assert results.groups is not None
    hidden = results.groups.groups[1]
    assert hidden.domains == [] and hidden.overall_score is None and hidden.overall_level is None
    assert results.groups.suppression_rule.startswith("suppressed: fewer than K")


def test_secondary_suppression_ties_by_value(mini: Questionnaire) -> None:
    responses = [resp({"alpha.one": 3}, team=team) for team in ["b"] * 3 + ["a"] * 3 + ["c"]]
    results = score(mini, *responses, group_by="team")
    assert _group_table(results) == [("a", None, True), ("b", 3, False), ("c", None, True)]


def test_two_small_groups_need_no_extra_suppression(mini: Questionnaire) -> None:
    responses = [resp({"alpha.one": 3}, team=t) for t in ["a"] + ["b"] * 2 + ["c"] * 5]
    results = score(mini, *responses, group_by="team")
    assert _group_table(results) == [("a", None, True), ("b", None, True), ("c", 5, False)]
    shown = score(mini, *responses, group_by="team", min_group_size=1)
    assert shown.min_group_size == 1
    assert _group_table(shown) == [("a", 1, False), ("b", 2, False), ("c", 5, False)]


def test_unspecified_group_organization_and_mode(mini: Questionnaire) -> None:
    responses = [resp({"alpha.one": 2}, role="lead") for _ in range(3)]
    responses += [resp({"alpha.one": 2}) for _ in range(3)]
    results = score(mini, *responses, group_by="role")
    assert _group_table(results) == [("lead", 3, False), ("(unspecified)", 3, False)]
    orgs = [resp({"alpha.one": 1}, organization=o) for o in ["Zed", "Ann", "Ann", "Ann"]]
    by_org = score(mini, *orgs, group_by="organization", min_group_size=1)
    assert _group_table(by_org) == [("Ann", 3, False), ("Zed", 1, False)]
    assert by_org.organizations == ["Ann", "Zed"]
    modes = [resp({"alpha.one": 1}, mode=m) for m in ["individual", "consensus", "individual"]]
    by_mode = score(mini, *modes, group_by="mode", min_group_size=1)
    assert _group_table(by_mode) == [("consensus", 1, False), ("individual", 2, False)]
    assert by_mode.modes == {"consensus": 1, "individual": 2}


def test_perception_gaps(mini: Questionnaire) -> None:
    responses = [resp({**dict.fromkeys(ALL_ALPHA, 4), "gamma.one": 3, "beta.one": 2},
                      role="lead") for _ in range(3)]
    responses += [resp({**dict.fromkeys(ALL_ALPHA, 2), "gamma.one": 2, "beta.one": b},
                       role="staff") for b in (1, 2, 2)]
    responses += [resp({"alpha.one": 3, "gamma.one": "unknown"}, role="peer") for _ in range(3)]
    results = score(mini, *responses, group_by="role")
    assert results.groups is not None
    gaps = {g.domain: g for g in results.groups.perception_gaps}
    alpha = gaps["alpha"]  # peer's alpha is insufficient (1 of 3 items): not compared
    assert (alpha.high, alpha.low, alpha.high_score, alpha.low_score) == ("lead", "staff", 4, 2)
    assert close(alpha.gap, 2.0) and alpha.flagged is True
    assert close(gaps["gamma"].gap, 1.0) and gaps["gamma"].flagged is True  # at 1.0: flagged
    beta = gaps["beta"]
    assert (beta.high, beta.low) == ("lead", "staff")
    assert close(beta.gap, 2 - 5 / 3) and beta.flagged is False


def test_perception_gaps_ignore_suppressed_groups(mini: Questionnaire) -> None:
    responses = [resp(dict.fromkeys(ALL_ALPHA, 4), role="lead") for _ in range(3)]
    responses += [resp(dict.fromkeys(ALL_ALPHA, 2), role="staff") for _ in range(4)]
    responses += [resp(dict.fromkeys(ALL_ALPHA, 0), role="peer")]
    results = score(mini, *responses, group_by="role")
    assert results.groups is not None
    assert _group_table(results) == [("lead", None, True), ("peer", None, True),
                                     ("staff", 4, False)]
    assert results.groups.perception_gaps == []


# -- the document ------------------------------------------------------------------------------


def test_document_fields(mini: Questionnaire, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    from tra_assess import __version__

    results = score(
        mini,
        resp({"alpha.one": 1}, assessed_on="2025-03-01", mode="consensus",
             notes={"alpha.one": "Evidence: script", "beta.one": " seen "}),
        resp({"alpha.one": 2}, assessed_on="2025-04-02",
             notes={"alpha.one": "Evidence: script", "alpha.two": "later"}),
        inputs=Inputs(files=2),
    )
    assert results.generated_at == "1970-01-02T00:00:00Z"
    assert results.tool_version == __version__
    assert results.assessed_on == "2025-04-02"
    assert results.modes == {"consensus": 1}
    assert results.inputs.files == 2
    assert (results.questionnaire.id, results.questionnaire.version) == ("mini", "2.0")
    assert [level.id for level in results.levels] == ["low", "mid", "high", "top"]
    assert results.min_coverage == 0.5 and results.min_group_size == 3
    assert results.groups is None
    assert [(n.item, n.domain, n.text) for n in results.notes] == [
        ("alpha.one", "alpha", "Evidence: script"),  # once: identical notes deduplicated
        ("alpha.two", "alpha", "later"),
        ("beta.one", "beta", "seen"),
    ]


def test_bad_answers_are_rejected_without_being_added(mini: Questionnaire) -> None:
    accumulator = Accumulator(mini)
    with pytest.raises(InvalidInputError) as caught:
        accumulator.add(Response(source="x.yaml", values={"alpha.one": 2, "nope": 1}))
    assert str(caught.value.problems[0]) == "x.yaml: unknown item 'nope'"
    with pytest.raises(InvalidInputError) as caught:
        accumulator.add(Response(source="y.yaml", values={"alpha.one": 9}))
    assert "not on the scale" in caught.value.lines()[0]
    with pytest.raises(InvalidInputError, match="'maybe' is not an answer"):
        accumulator.add(Response(source="z.yaml", values={"alpha.one": "maybe"}))
    assert accumulator.respondents == 0
    assert accumulator.finalize().items[0].n == 0
    accumulator.add(Response(source="ok.yaml", values={"alpha.one": None, "alpha.two": 1}))
    assert accumulator.finalize().items[0].missing == 1  # None is unanswered


def test_single_respondent_domain_score_is_their_own(mini: Questionnaire) -> None:
    results = score(mini, resp({"alpha.one": 3, "alpha.two": 2, "alpha.three": "na"}))
    alpha = results.domain("alpha")
    assert close(alpha.score, 7 / 3) and alpha.sd_n == 1 and alpha.sd is None


def test_pickled_accumulators_merge_exactly(mini: Questionnaire) -> None:
    responses = [resp(_answers(i % 5, (i * 3) % 5, (i * 7) % 5), role=("a", "b")[i % 2])
                 for i in range(24)]
    whole = score(mini, *responses, group_by="role").model_dump(exclude={"generated_at"})
    parts = []
    for chunk in (responses[:7], responses[7:15], responses[15:]):
        part = Accumulator(mini, group_by="role")
        for response in chunk:
            part.add(response)
        parts.append(pickle.loads(pickle.dumps(part)))
    parent = Accumulator(mini, group_by="role")
    for part in reversed(parts):
        parent.merge(part)
    assert parent.respondents == 24
    assert parent.finalize().model_dump(exclude={"generated_at"}) == whole
    detached = parts[0]
    with pytest.raises(RuntimeError, match="attach"):
        detached.finalize()
    detached.merge(parts[1])  # detached accumulators still merge
    detached.merge(parts[2])
    detached.attach(mini)
    assert detached.finalize().model_dump(exclude={"generated_at"}) == whole


def test_pickled_state_is_small_and_has_no_questionnaire(mini: Questionnaire) -> None:
    accumulator = Accumulator(mini, group_by="role")
    for i in range(200):
        accumulator.add(resp(_answers(i % 5, 2, 3), role=f"r{i % 3}"))
    data = pickle.dumps(accumulator)
    assert len(data) < 4000
    assert b"Alpha one happens" not in data and b"Questionnaire" not in data


def test_alpha_merges_exactly_when_the_scored_items_grow(mini: Questionnaire) -> None:
    # one part never sees alpha.three: its complete respondents are not complete in the whole
    rows = [resp(dict(zip(ALL_ALPHA, row, strict=True))) for row in ALPHA_ROWS]
    partial = [resp({"alpha.one": 1, "alpha.two": 2}) for _ in range(5)]
    whole = score(mini, *partial, *rows).model_dump(exclude={"generated_at"})
    assert whole["domains"][0]["alpha_n"] == 10
    for first, second in ((partial, rows), (rows, partial)):
        parent = Accumulator(mini)
        for chunk in (first, second):
            part = Accumulator(mini)
            for response in chunk:
                part.add(response)
            parent.merge(pickle.loads(pickle.dumps(part)))
        assert parent.finalize().model_dump(exclude={"generated_at"}) == whole


WORKED_EXAMPLE = """\
format: tra-questionnaire/1
id: example
version: "1"
title: Worked example
scale: [{value: 0, label: a}, {value: 1, label: b}, {value: 2, label: c}, {value: 3, label: d},
        {value: 4, label: e}]
levels:
  - {id: not-yet, label: Not yet, min_score: 0}
  - {id: aware, label: Aware, min_score: 1.0}
  - {id: sensitive, label: Sensitive, min_score: 2.0}
  - {id: responsive, label: Responsive, min_score: 3.0}
  - {id: informed, label: Informed, min_score: 3.5}
target: responsive
min_coverage: 0.6
domains:
  - id: crisis
    title: Crisis response
    items:
      - {id: crisis.plans, text: Safety plans}
      - {id: crisis.de-escalation, text: De-escalation}
      - {id: crisis.debrief, text: Debriefing, critical: true,
         actions: {sensitive: Debrief every incident within 72 hours.}}
"""


def test_the_readme_worked_example(tmp_path: Any) -> None:
    from tra_assess.questionnaire.load import load_questionnaire_file

    path = tmp_path / "example.yaml"
    path.write_text(WORKED_EXAMPLE, encoding="utf-8")
    q = load_questionnaire_file(path)
    results = score(q, *(resp(dict(zip(["crisis.plans", "crisis.de-escalation", "crisis.debrief"],
                                       row, strict=True)))
                         for row in [(4, 4, 2), (4, 3, 3), (3, "na", "unknown")]))
    assert [(i.score, i.level, i.n) for i in results.items] == [
        (11 / 3, "informed", 3), (3.5, "informed", 2), (2.5, "sensitive", 2)]
    crisis = results.domain("crisis")
    assert close(crisis.score, 29 / 9) and crisis.level_by_score == "responsive"
    assert (crisis.level, crisis.capped_by) == ("sensitive", ["crisis.debrief"])
    assert close(crisis.gap, 0.0) and crisis.meets_target is False
    assert close(crisis.unknown_rate, 0.125)
    assert crisis.sd_n == 2 and close(crisis.sd, 0.0)
    [first] = results.priorities
    assert (first.item, first.shortfall, first.action) == (
        "crisis.debrief", 0.5, "Debrief every incident within 72 hours.")
