"""report --target: a results document re-evaluated against another target with the scoring
rules (gaps, meets_target, flags, priorities and their actions)."""

from __future__ import annotations

from typing import Any

import pytest

from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.retarget import retarget
from tra_assess.scoring.scorer import score_responses
from tra_assess.sources.answers import Response


def resp(values: dict[str, Any]) -> Response:
    return Response(source="r.yaml", values=dict(values))


def test_gaps_and_verdicts_are_recomputed(mini: Questionnaire) -> None:
    rows = [resp({"alpha.one": 3, "alpha.two": 3, "alpha.three": 3, "beta.one": 2,
                  "beta.two": 3, "gamma.one": 4, "gamma.two": "unknown"})]
    results = score_responses(mini, rows)  # target high (2.5)
    assert results.domain("gamma").status == "scored"
    low = retarget(results, "mid", 10)  # 1.5
    assert low.target == "mid" and results.target == "high"  # a copy
    assert low.domain("alpha").gap == 0.0 and low.domain("alpha").meets_target is True
    assert low.overall.gap == 0.0 and low.overall.meets_target is True
    top = retarget(results, "top", 10)  # 3.5
    assert top.domain("alpha").gap == pytest.approx(0.5)
    assert top.domain("beta").gap == pytest.approx(1.0)
    assert top.overall.gap == pytest.approx(3.5 - results.overall.score)  # type: ignore[operator]
    assert top.overall.meets_target is False
    assert retarget(results, "high", 10) is results


def test_an_unscored_domain_keeps_no_gap(mini: Questionnaire) -> None:
    rows = [resp({"alpha.one": 3, "alpha.two": 3, "alpha.three": 3, "beta.one": 3,
                  "beta.two": 3, "gamma.one": 4, "gamma.two": "unknown"}),
            resp({"gamma.one": "unknown", "gamma.two": "unknown"})]
    results = score_responses(mini, rows)
    results.domain("gamma").status = "insufficient"
    results.domain("gamma").level = None
    results.domain("gamma").gap = None
    results.domain("gamma").meets_target = None
    moved = retarget(results, "top", 10)
    assert moved.domain("gamma").gap is None and moved.domain("gamma").meets_target is None


def test_contested_items_are_found_again_for_the_new_target(mini: Questionnaire) -> None:
    # beta.two: 0 and nine 3s: 2.7, High; 1 of 10 at the lowest values: contested at High,
    # but at Top (3.5) it is below the target by its own level: a cap, not contested
    rows = [resp({"beta.one": 3, "beta.two": 0})] + [
        resp({"beta.one": 3, "beta.two": 3}) for _ in range(9)]
    results = score_responses(mini, rows)
    assert results.domain("beta").contested == ["beta.two"]
    top = retarget(results, "top", 10)
    assert top.domain("beta").contested == []
    assert [(p.kind, p.action) for p in top.priorities if p.item == "beta.two"] == [
        ("improve", None)]  # what to check is not carried over as a next action


def test_actions_come_from_the_built_in_questionnaire() -> None:
    q = load_questionnaire("tra-core")
    responsive = q.level_for_score(3).id
    domain = next(
        d for d in q.domains
        if sum(1 for i in d.items if responsive in i.actions and not i.critical) >= 1
        and len(d.items) >= 2
    )
    later = next(i for i in domain.items if responsive in i.actions and not i.critical)
    values: dict[str, Any] = dict.fromkeys((i.id for i in q.items), 4)
    values.update(dict.fromkeys((i.id for i in domain.items), 0))
    values[later.id] = 3  # at the target, so not a priority of the file
    results = score_responses(q, [resp(values)], top=1)
    assert len(results.priorities) == 1
    first = results.priorities[0]
    assert first.item != later.id and first.action is not None
    higher = q.levels[q.level_rank(q.default_target) + 1].id
    moved = retarget(results, higher, 50)
    chosen = {p.item: p for p in moved.priorities}
    assert chosen[later.id].action == later.actions[responsive]  # from the questionnaire
    assert chosen[first.item].action == first.action  # carried over from the file
    other = results.model_copy(deep=True)
    other.questionnaire.version = "0.0.0-other"
    assert {p.item: p.action for p in retarget(other, higher, 10).priorities}[later.id] is None


def test_an_insufficient_overall_keeps_no_gap(mini: Questionnaire) -> None:
    results = score_responses(mini, [resp({"alpha.one": 3, "alpha.two": 3})])
    assert results.overall.status == "insufficient" and results.overall.score == 3.0
    moved = retarget(results, "top", 10)
    assert moved.overall.gap is None and moved.overall.meets_target is None


def test_actions_of_the_file_are_carried_over(mini: Questionnaire) -> None:
    rows = [resp({"alpha.one": 3, "alpha.two": 2, "alpha.three": 3, "beta.one": 3,
                  "beta.two": 3, "gamma.one": 3, "gamma.two": 3})]
    results = score_responses(mini, rows)
    assert [(p.item, p.action) for p in results.priorities] == [("alpha.two", "Pilot alpha two.")]
    moved = retarget(results, "top", 10)
    assert {p.item: p.action for p in moved.priorities}["alpha.two"] == "Pilot alpha two."


def test_a_questionnaire_that_cannot_be_loaded_gives_no_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tra_assess.common.errors import TraAssessError
    from tra_assess.questionnaire import load

    q = load_questionnaire("tra-core")
    values: dict[str, Any] = dict.fromkeys((i.id for i in q.items), 1)
    results = score_responses(q, [resp(values)], top=1)

    def broken(ref: object) -> object:
        raise TraAssessError("broken install")

    monkeypatch.setattr(load, "load_questionnaire", broken)
    results.candidates = []  # an older file: no candidates (and so no actions) of its own
    moved = retarget(results, q.levels[2].id, 5)  # every item (1) is below the new target
    others = [p for p in moved.priorities if p.item != results.priorities[0].item]
    assert others and all(p.kind == "improve" and p.action is None for p in others)
