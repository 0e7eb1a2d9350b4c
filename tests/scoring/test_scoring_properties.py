"""Scoring invariants (hypothesis): exact merging, order independence, bounds, monotone levels
and group suppression."""

from __future__ import annotations

import itertools
import pickle
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import Results
from tra_assess.scoring.scorer import Accumulator, score_responses
from tra_assess.sources.answers import Response

ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one",
         "gamma.two"]
# mostly numbers, so that enough respondents are complete for Cronbach's alpha
ANSWER = st.sampled_from([0, 1, 2, 3, 4] * 4 + ["na", "unknown", None])
ROLES = st.sampled_from([None, "lead", "staff", "peer", "support"])
WEIGHTS = st.sampled_from([1.0, 2.0, 0.1, 0.3, 2.5, 1 / 3])
SETTINGS = settings(max_examples=60, deadline=None)
MINI = load_questionnaire_file(Path(__file__).parents[1] / "data" / "mini.yaml")


@st.composite
def responses(draw: st.DrawFn, max_size: int = 30) -> list[Response]:
    rows = draw(st.lists(st.tuples(st.lists(ANSWER, min_size=7, max_size=7), ROLES),
                         max_size=max_size))
    out = []
    for n, (answers, role) in enumerate(rows):
        values = {item: value for item, value in zip(ITEMS, answers, strict=True)
                  if value is not None}
        out.append(Response(source=f"r{n}", values=values,
                            respondent={"role": role} if role else {},
                            notes={"alpha.one": f"note {n % 3}"} if n % 4 == 0 else {}))
    return out


def reweighted(weights: list[float]) -> Questionnaire:
    """mini with other item and domain weights (fractions that floats can't hold exactly)."""
    data = MINI.model_dump()
    items = [item for domain in data["domains"] for item in domain["items"]]
    for item, weight in zip(items, weights, strict=False):
        item["weight"] = weight
    for domain, weight in zip(data["domains"], weights[len(items):], strict=False):
        domain["weight"] = weight
    return Questionnaire.model_validate(data)


def dump(results: Results) -> dict[str, Any]:
    return results.model_dump(exclude={"generated_at"})


def accumulate(q: Questionnaire, rows: list[Response], group_by: str | None) -> Accumulator:
    accumulator = Accumulator(q, group_by=group_by)
    for row in rows:
        accumulator.add(row)
    return accumulator


@settings(max_examples=300, deadline=None)
@given(rows=responses(), cuts=st.lists(st.integers(0, 30), max_size=30),
       weights=st.lists(WEIGHTS, min_size=10, max_size=10), order=st.randoms(),
       group_by=st.sampled_from([None, "role"]))
def test_merging_any_split_equals_scoring_the_whole(
    rows: list[Response], cuts: list[int], weights: list[float], order: Any,
    group_by: str | None,
) -> None:
    q = reweighted(weights)
    whole = dump(score_responses(q, rows, group_by=group_by))
    bounds = [0, *sorted(min(c, len(rows)) for c in cuts), len(rows)]
    parts = [accumulate(q, rows[a:b], group_by) for a, b in itertools.pairwise(bounds)]
    parts = [pickle.loads(pickle.dumps(part)) for part in parts]  # as workers send them
    order.shuffle(parts)
    parent = Accumulator(q, group_by=group_by)
    for part in parts:
        parent.merge(part)
    assert parent.respondents == len(rows)
    assert dump(parent.finalize()) == whole
    # merging detached accumulators among themselves, then attaching, is the same
    first, *rest = parts
    for part in rest:
        first.merge(part)
    first.attach(q)
    assert dump(first.finalize()) == whole


@SETTINGS
@given(rows=responses(), order=st.randoms())
def test_input_order_does_not_matter(rows: list[Response], order: Any) -> None:
    before = dump(score_responses(MINI, rows, group_by="role", min_group_size=2))
    shuffled = list(rows)
    order.shuffle(shuffled)
    assert dump(score_responses(MINI, shuffled, group_by="role", min_group_size=2)) == before


def _scores(results: Results) -> list[float | None]:
    scores: list[float | None] = [results.overall.score]
    scores += [d.score for d in results.domains] + [i.score for i in results.items]
    scores += [p.score for p in results.principles] + [p.score for p in results.priorities]
    if results.groups:
        for group in results.groups.groups:
            scores += [group.overall_score] + [d.score for d in group.domains]
    return scores


@SETTINGS
@given(rows=responses(), weights=st.lists(WEIGHTS, min_size=10, max_size=10))
def test_scores_within_the_scale_and_levels_monotone(
    rows: list[Response], weights: list[float]
) -> None:
    q = reweighted(weights)
    results = score_responses(q, rows, group_by="role")
    for value in _scores(results):
        assert value is None or 0 <= value <= 4
    for domain in results.domains:
        assert domain.coverage is None or 0 <= domain.coverage <= 1
        assert domain.sd is None or domain.sd >= 0
        assert domain.unknown_rate is None or 0 <= domain.unknown_rate <= 1
        if domain.level is not None:
            assert domain.level_by_score is not None
            assert q.level_rank(domain.level) <= q.level_rank(domain.level_by_score)
    pairs = [(i.score, i.level) for i in results.items if i.score is not None]
    pairs += [(d.score, d.level_by_score) for d in results.domains if d.level_by_score]
    ranked = sorted((score, q.level_rank(level or "")) for score, level in pairs)
    assert [rank for _, rank in ranked] == sorted(rank for _, rank in ranked)
    for item in results.items:
        assert item.n + item.na + item.unknown + item.missing == results.respondents
        assert sum(item.distribution.values()) == item.n


@settings(max_examples=150, deadline=None)
@given(sizes=st.lists(st.integers(1, 7), min_size=1, max_size=6), k=st.integers(1, 6))
def test_suppression_never_leaves_one_suppressed_group(sizes: list[int], k: int) -> None:
    rows = [Response(source=f"g{g}-{n}", values={"alpha.one": n % 5},
                     respondent={"team": f"t{g}"})
            for g, size in enumerate(sizes) for n in range(size)]
    results = score_responses(MINI, rows, group_by="team", min_group_size=k)
    assert results.groups is not None
    groups = results.groups.groups
    assert len(groups) == len(sizes)
    hidden = [g for g in groups if g.suppressed]
    assert len(hidden) != 1 or len(groups) == 1
    for group in groups:
        if group.suppressed:
            assert group.n is None and group.domains == [] and group.overall_score is None
        else:
            assert group.n is not None and group.n >= k
    shown = {g.value for g in groups if not g.suppressed}
    for gap in results.groups.perception_gaps:
        assert {gap.high, gap.low} <= shown and gap.gap >= 0
