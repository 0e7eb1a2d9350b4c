"""A critical practice must be shown, not assumed (SPEC section 4), hand-computed.

The questionnaire here is written for these cases (tra-core's ids are being rewritten): a
``crisis`` domain of seven items, four of them critical, and an ``improvement`` domain of three
non-critical items, on a 0-4 scale with the built-in ladder (responsive 3.0 is the target).
"""

from __future__ import annotations

from typing import Any

import pytest

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import NaReason, Results
from tra_assess.scoring.scorer import score_responses
from tra_assess.sources.answers import Response

CRISIS = ["crisis.plan", "crisis.de-escalation", "crisis.restraint", "crisis.debrief",
          "crisis.review", "crisis.calm", "crisis.words"]
CRITICAL = CRISIS[:4]
IMPROVEMENT = ["improvement.tracking", "improvement.review", "improvement.repeat"]
ALL = CRISIS + IMPROVEMENT
TEXTS = {
    "crisis.restraint": "Restraint is used only as a last resort.",
    "crisis.de-escalation": "Staff de-escalate before any restrictive step.",
}


def make_questionnaire(**top: Any) -> Questionnaire:
    def item(item_id: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": item_id, "text": TEXTS.get(item_id, f"{item_id} happens.")}
        if item_id in CRITICAL:
            entry["critical"] = True
        return entry

    doc: dict[str, Any] = {
        "format": "tra-questionnaire/1", "id": "safety", "version": "1", "title": "Safety",
        "scale": [{"value": v, "label": label} for v, label in
                  enumerate(["Not in place", "Aware", "Sensitive", "Responsive", "Informed"])],
        "levels": [{"id": i, "label": i, "min_score": s} for i, s in
                   [("not-yet", 0), ("aware", 1), ("sensitive", 2), ("responsive", 3),
                    ("informed", 3.5)]],
        "target": "responsive",
        "roles": ["leadership", "frontline"],
        "domains": [
            {"id": "crisis", "title": "Crisis response", "items": [item(i) for i in CRISIS]},
            {"id": "improvement", "title": "Measurement and continuous improvement",
             "items": [item(i) for i in IMPROVEMENT]},
        ],
        **top,
    }
    return Questionnaire.model_validate(doc)


Q = make_questionnaire()


def resp(values: dict[str, Any], notes: dict[str, str] | None = None,
         role: str | None = None) -> Response:
    return Response(source="r.yaml", values=dict(values), notes=dict(notes or {}),
                    respondent={"role": role} if role else {})


def everyone(value: Any = 4) -> dict[str, Any]:
    return dict.fromkeys(ALL, value)


def score(*responses: Response, q: Questionnaire = Q, **options: Any) -> Results:
    return score_responses(q, list(responses), **options)


def item(results: Results, item_id: str) -> Any:
    return next(i for i in results.items if i.id == item_id)


# -- unverified ----------------------------------------------------------------------------


def test_two_critical_items_all_dont_know_are_unverified_and_block_the_target() -> None:
    values = dict.fromkeys(ALL, 4) | {"crisis.restraint": "unknown",
                                      "crisis.de-escalation": "unknown"}
    results = score(*[resp(values) for _ in range(5)])
    crisis = results.domain("crisis")
    # 5 of 7 items scored (coverage 0.71 >= 0.6), all 4: informed by score, no cap
    assert crisis.status == "scored" and crisis.level == "informed" and crisis.capped_by == []
    assert crisis.unverified == ["crisis.de-escalation", "crisis.restraint"]
    assert crisis.contested == []
    assert crisis.meets_target is False
    assert results.domain("improvement").meets_target is True
    assert results.overall.level == "informed" and results.overall.meets_target is False
    assert item(results, "crisis.restraint").status == "unverified"
    assert item(results, "crisis.plan").status == "scored"
    assert item(results, "crisis.review").status is None  # not critical
    got = [(p.rank, p.kind, p.item, p.score, p.shortfall) for p in results.priorities]
    assert got == [(1, "verify", "crisis.de-escalation", None, None),
                   (2, "verify", "crisis.restraint", None, None)]
    assert results.priorities[1].action == (
        "Check whether restraint is used only as a last resort: nobody rated it "
        "(5 said don't know or n/a without a reason)"
    )


def test_unanswered_critical_item_is_unverified() -> None:
    values = {k: 4 for k in ALL if k != "crisis.plan"}
    results = score(resp(values))
    assert results.domain("crisis").unverified == ["crisis.plan"]
    assert item(results, "crisis.plan").missing == 1
    assert results.priorities[0].action == "Check whether crisis.plan happens: nobody rated it"


# -- n/a needs a reason ----------------------------------------------------------------------


def test_critical_na_without_a_reason_counts_as_unknown() -> None:
    values = everyone() | dict.fromkeys(CRITICAL, "na")
    results = score(*[resp(values) for _ in range(5)])
    restraint = item(results, "crisis.restraint")
    assert (restraint.na, restraint.unknown, restraint.applicable) == (0, 5, True)
    crisis = results.domain("crisis")
    # 3 of 7 applicable items scored: 0.43 < 0.6, so not scored at all
    assert crisis.status == "insufficient" and crisis.meets_target is None
    assert crisis.unverified == CRITICAL
    assert crisis.unknown_rate == pytest.approx(20 / (15 + 20))
    assert results.overall.meets_target is False
    assert [p.item for p in results.priorities if p.kind == "verify"] == CRITICAL
    assert results.na_reasons == []


def test_critical_na_with_a_note_counts_as_na_and_the_reason_is_listed() -> None:
    values = everyone() | {"crisis.restraint": "na"}
    reason = {"crisis.restraint": "Outpatient clinic: no restraint is ever used"}
    results = score(*[resp(values, reason) for _ in range(4)],
                    resp(values, {"crisis.restraint": "  not used here "}))
    restraint = item(results, "crisis.restraint")
    assert (restraint.na, restraint.unknown, restraint.applicable) == (5, 0, False)
    assert restraint.status is None
    crisis = results.domain("crisis")
    assert crisis.unverified == [] and crisis.meets_target is True
    assert crisis.applicable_items == 6
    assert results.overall.meets_target is True
    assert results.na_reasons == [
        NaReason(item="crisis.restraint", reason="Outpatient clinic: no restraint is ever used",
                 source="note", count=4),
        NaReason(item="crisis.restraint", reason="not used here", source="note", count=1),
    ]


def test_half_noted_na_the_rest_count_as_unknown() -> None:
    values = everyone() | {"crisis.restraint": "na"}
    results = score(resp(values, {"crisis.restraint": "outpatient"}), resp(values))
    restraint = item(results, "crisis.restraint")
    assert (restraint.na, restraint.unknown, restraint.applicable) == (1, 1, True)
    assert results.domain("crisis").unverified == ["crisis.restraint"]


def test_non_critical_na_needs_no_reason() -> None:
    results = score(resp(everyone() | {"crisis.review": "na"}))
    review = item(results, "crisis.review")
    assert (review.na, review.unknown, review.applicable) == (1, 0, False)


def test_profile_marks_items_not_applicable() -> None:
    values = everyone() | {"crisis.restraint": "na"}
    profile = {"crisis.restraint": "Outpatient only", "crisis.debrief": "No crisis work"}
    results = score(*[resp(values) for _ in range(3)], resp(everyone() | {"crisis.restraint":
                    "unknown", "crisis.debrief": "unknown"}), not_applicable=profile)
    restraint = item(results, "crisis.restraint")
    assert (restraint.na, restraint.unknown, restraint.applicable) == (3, 1, False)
    debrief = item(results, "crisis.debrief")  # rated 4 by three: still scored
    assert debrief.n == 3 and debrief.applicable and debrief.status == "scored"
    crisis = results.domain("crisis")
    assert crisis.unverified == [] and crisis.meets_target is True
    # restraint left out: 23 numeric ratings and debrief's one unknown
    assert crisis.unknown_rate == pytest.approx(1 / 24)
    assert [(r.item, r.reason, r.source, r.count) for r in results.na_reasons] == [
        ("crisis.restraint", "Outpatient only", "profile", 1),
        ("crisis.debrief", "No crisis work", "profile", 1),
    ]


def test_profile_item_nobody_rated_is_not_applicable_not_unverified() -> None:
    values = {k: 4 for k in ALL if k != "crisis.restraint"}
    results = score(resp(values), not_applicable={"crisis.restraint": "Outpatient only"})
    assert item(results, "crisis.restraint").applicable is False
    assert results.domain("crisis").unverified == []


# -- contested -----------------------------------------------------------------------------


def test_one_zero_among_five_fours_on_a_critical_item_is_contested() -> None:
    leaders = [resp(everyone()) for _ in range(5)]
    frontline = resp(everyone() | {"crisis.restraint": 0},
                     {"crisis.restraint": "used for control, not tracked"})
    results = score(*leaders, frontline)
    restraint = item(results, "crisis.restraint")
    assert restraint.score == pytest.approx(20 / 6) and restraint.level == "responsive"
    assert restraint.dissent == pytest.approx(1 / 6) and restraint.status == "contested"
    crisis = results.domain("crisis")
    # 3.90 by score (informed), capped to responsive by restraint's 3.33: responsive meets
    # the target by level, but a sixth of the ratings say the practice is absent
    assert crisis.level_by_score == "informed" and crisis.level == "responsive"
    assert crisis.capped_by == ["crisis.restraint"]
    assert crisis.contested == ["crisis.restraint"] and crisis.meets_target is False
    assert results.overall.meets_target is False
    first = results.priorities[0]
    assert (first.rank, first.kind, first.item) == (1, "verify", "crisis.restraint")
    assert first.score == pytest.approx(20 / 6) and first.level == "responsive"
    assert first.action == (
        "Check whether restraint is used only as a last resort: 1 of 6 ratings say it is absent"
    )


@pytest.mark.parametrize(
    ("low", "others", "contested"),
    [(1, 9, True), (1, 10, False), (2, 18, True), (0, 5, False)],
)
def test_contested_threshold_is_inclusive(low: int, others: int, contested: bool) -> None:
    """1 of 10 is exactly critical_dissent 0.1 (inclusive, tolerance 1e-9); 1 of 11 is not."""
    rows = [resp(everyone() | {"crisis.plan": 1}) for _ in range(low)]
    rows += [resp(everyone()) for _ in range(others)]
    results = score(*rows)
    assert (results.domain("crisis").contested == ["crisis.plan"]) is contested


def test_contested_only_when_the_item_meets_the_target_by_its_own_level() -> None:
    # 1, 1, 4, 4: mean 2.5 (sensitive), below target: capped, not contested
    rows = [resp(everyone() | {"crisis.plan": v}) for v in (1, 1, 4, 4)]
    results = score(*rows)
    crisis = results.domain("crisis")
    assert crisis.contested == [] and crisis.capped_by == ["crisis.plan"]
    assert crisis.level == "sensitive" and crisis.meets_target is False
    assert item(results, "crisis.plan").status == "scored"


def test_questionnaire_critical_dissent_is_used() -> None:
    q = make_questionnaire(critical_dissent=0.2)
    rows = [resp(everyone() | {"crisis.plan": 0})] + [resp(everyone()) for _ in range(5)]
    results = score(*rows, q=q)  # 1/6 = 0.167 < 0.2
    assert results.domain("crisis").contested == [] and results.critical_dissent == 0.2
    rows.append(resp(everyone() | {"crisis.plan": 1}))  # 2/7 = 0.286
    assert score(*rows, q=q).domain("crisis").contested == ["crisis.plan"]


def test_dissent_counts_the_two_lowest_scale_values_only() -> None:
    rows = [resp(everyone() | {"crisis.plan": v}) for v in (0, 1, 2, 4)]
    plan = item(score(*rows), "crisis.plan")
    assert plan.dissent == pytest.approx(2 / 4)


# -- priorities --------------------------------------------------------------------------------


def test_every_held_back_domain_gets_a_priority_before_critical_items_elsewhere() -> None:
    """The demo's case: crisis is held by critical items a little below the target, while
    improvement's items are all far below; with room for two, both domains get one."""
    values = everyone() | {"crisis.plan": 2, "crisis.de-escalation": 2}
    values |= dict.fromkeys(IMPROVEMENT, 1)
    rows = [resp(values), resp(everyone() | dict.fromkeys(IMPROVEMENT, 2) | {
        "crisis.plan": 3, "crisis.de-escalation": 4})]
    results = score(*rows, top=2)
    crisis, improvement = results.domain("crisis"), results.domain("improvement")
    assert crisis.capped_by == ["crisis.plan", "crisis.de-escalation"]
    assert improvement.gap == pytest.approx(1.5) and crisis.gap == pytest.approx(0.0)
    got = [(p.rank, p.kind, p.item) for p in results.priorities]
    assert got == [(1, "improve", "improvement.tracking"), (2, "improve", "crisis.plan")]
    everything = score(*rows, top=10)
    assert [p.item for p in everything.priorities] == [
        "improvement.tracking",  # improvement: gap 1.5; 1.5 each, first in questionnaire order
        "crisis.plan",  # crisis: gap 0 (3.64 by score, capped); its only candidate, 0.5
        "improvement.review",  # the rest (de-escalation, 3.0, is at the target)
        "improvement.repeat",
    ]


def test_unscored_domain_comes_first_among_held_back_domains() -> None:
    values = everyone() | dict.fromkeys(["improvement.review", "improvement.repeat"], "unknown")
    values |= {"improvement.tracking": 3, "crisis.words": 0}
    results = score(resp(values))
    assert results.domain("improvement").status == "insufficient"
    # improvement is unscored but its only scored item meets the target: no candidate;
    # crisis (4 x 6 + 0) / 7 = 3.43 meets the target; crisis.words is not critical
    assert results.priorities == []
    values |= {"improvement.tracking": 2, "crisis.review": 0}  # crisis 20 / 7 = 2.86
    results = score(resp(values))
    assert results.domain("crisis").gap == pytest.approx(3 - 20 / 7)
    assert [p.item for p in results.priorities] == [
        "improvement.tracking",  # the unscored domain first, though its shortfall is 1
        "crisis.review",  # crisis: 3 each for review and words; questionnaire order
        "crisis.words",
    ]


def test_domain_with_a_verify_item_gets_no_second_slot() -> None:
    values = everyone() | {"crisis.restraint": "unknown", "crisis.words": 1}
    values |= {"improvement.tracking": 2}  # improvement 3.33: meets the target
    results = score(resp(values))
    assert [(p.rank, p.kind, p.item) for p in results.priorities] == [
        (1, "verify", "crisis.restraint"),
        (2, "improve", "crisis.words"),  # with the rest: crisis already has a verify item
    ]


# -- groups -------------------------------------------------------------------------------------


def test_shown_groups_get_the_same_flags() -> None:
    lead = [resp(everyone() | {"crisis.restraint": "unknown"}, role="leadership")
            for _ in range(5)]
    front = [resp(everyone() | {"crisis.plan": 0}, role="frontline")] + [
        resp(everyone(), role="frontline") for _ in range(4)]
    results = score(*lead, *front, group_by="role")
    assert results.groups is not None
    cells = {g.value: g.domains[0] for g in results.groups.groups}
    assert cells["leadership"].unverified == ["crisis.restraint"]
    assert cells["leadership"].contested == []
    assert cells["frontline"].contested == ["crisis.plan"]  # 1 of 5 rate it 0
    assert cells["frontline"].unverified == []
