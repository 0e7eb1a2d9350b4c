"""Properties of the safety-first rules and of audiences (SPEC sections 3 and 4).

- hiding a critical practice's ratings (turning every numeric rating of a critical item into
  ``unknown``, ``na`` without a reason, or leaving it unanswered) never makes a domain or the
  overall result meet the target;
- every domain that does not meet the target and has a candidate gets a priority whenever
  ``top`` is at least the number of such domains (counting a domain once per ``verify`` item,
  since those all rank first);
- the column path (wide tables) reaches exactly the row path's results with audiences.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import Results
from tra_assess.scoring.columns import add_columns
from tra_assess.scoring.scorer import Accumulator, score_responses
from tra_assess.scoring.tally import Tally, build_plan
from tra_assess.sources.answers import Response

SETTINGS = settings(max_examples=120, deadline=None)


def _questionnaire() -> Questionnaire:
    items = [
        [("a.one", False, None), ("a.two", True, ["lead"]), ("a.three", False, None)],
        [("b.one", True, None), ("b.two", False, ["staff"]), ("b.three", True, None)],
        [("c.one", False, ["lead", "staff"]), ("c.two", False, None)],
    ]
    return Questionnaire.model_validate({
        "format": "tra-questionnaire/1", "id": "props", "version": "1", "title": "Props",
        "scale": [{"value": v, "label": f"v{v}"} for v in range(5)],
        "levels": [{"id": i, "label": i, "min_score": s}
                   for i, s in [("low", 0), ("mid", 1.5), ("high", 2.5), ("top", 3.5)]],
        "target": "high", "min_coverage": 0.5, "min_group_size": 2,
        "roles": ["lead", "staff", "guest"],
        "domains": [
            {"id": d, "title": d.upper(), "items": [
                {"id": i, "text": f"{i} happens.", "critical": c,
                 **({"audience": a} if a else {})} for i, c, a in entries]}
            for d, entries in zip("abc", items, strict=True)
        ],
    })


Q = _questionnaire()
IDS = [item.id for item in Q.items]
CRITICAL = [item.id for item in Q.items if item.critical]
ROLES = [None, "lead", "staff", "guest", " LEAD "]
ANSWERS = st.one_of(st.integers(0, 4), st.sampled_from(["na", "unknown", None]))


@st.composite
def respondents(draw: st.DrawFn, min_size: int = 1) -> list[tuple[str | None, dict[str, Any]]]:
    rows = draw(st.lists(
        st.tuples(st.sampled_from(ROLES), st.lists(ANSWERS, min_size=len(IDS),
                                                     max_size=len(IDS))),
        min_size=min_size, max_size=12))
    return [(role, {k: v for k, v in zip(IDS, values, strict=True) if v is not None})
            for role, values in rows]


def _responses(rows: list[tuple[str | None, dict[str, Any]]]) -> list[Response]:
    return [Response(source=f"r{n}", values=dict(values),
                     respondent={"role": role} if role else {})
            for n, (role, values) in enumerate(rows)]


def _score(rows: list[tuple[str | None, dict[str, Any]]], **options: Any) -> Results:
    return score_responses(Q, _responses(rows), **options)


@SETTINGS
@given(rows=respondents(), hidden=st.sampled_from(CRITICAL),
       into=st.sampled_from(["unknown", "na", None]))
def test_hiding_a_critical_items_ratings_never_lifts_the_cap(
    rows: list[tuple[str | None, dict[str, Any]]], hidden: str, into: str | None
) -> None:
    before = _score(rows)
    changed = []
    for role, values in rows:
        values = dict(values)
        if isinstance(values.get(hidden), int):
            if into is None:
                del values[hidden]
            else:
                values[hidden] = into
        changed.append((role, values))
    after = _score(changed)
    for old, new in zip(before.domains, after.domains, strict=True):
        if old.meets_target is not True:
            assert new.meets_target is not True, (old.id, hidden, into)
    if before.overall.meets_target is not True:
        assert after.overall.meets_target is not True
    # and the item itself is not silently accepted: unverified, or not applicable at all
    item = next(i for i in after.items if i.id == hidden)
    assert item.n == 0
    domain = after.domain(item.domain)
    if item.applicable and domain.status != "not-applicable":
        assert hidden in domain.unverified and domain.meets_target is not True


@SETTINGS
@given(rows=respondents())
def test_every_held_back_domain_gets_a_priority(
    rows: list[tuple[str | None, dict[str, Any]]]
) -> None:
    probe = _score(rows, top=1000)
    held = [d for d in probe.domains if d.status != "not-applicable" and not d.meets_target]
    with_candidates = {p.domain for p in probe.priorities}
    # verify items all come first (SPEC), so a domain with two of them takes two places
    verify = [p for p in probe.priorities if p.kind == "verify"]
    places = len(verify) + len({d.id for d in held} - {p.domain for p in verify})
    results = _score(rows, top=max(1, places))
    named = {p.domain for p in results.priorities}
    for domain in held:
        if domain.id in with_candidates:
            assert domain.id in named, domain.id
        if domain.status == "scored":  # a scored domain below the target always has one
            assert domain.id in with_candidates, domain.id
    ranks = [p.rank for p in results.priorities]
    assert ranks == list(range(1, len(ranks) + 1))
    kinds = [p.kind for p in results.priorities]
    assert kinds == sorted(kinds, key=lambda k: k != "verify")  # verify items first


@SETTINGS
@given(rows=respondents())
def test_column_path_equals_row_path_with_audiences(
    rows: list[tuple[str | None, dict[str, Any]]]
) -> None:
    plan = build_plan(Q)
    by_rows = Tally(plan.key)
    acc_rows = Accumulator(Q, group_by="role")
    for response in _responses(rows):
        acc_rows.add(response)
    columns = [tuple(values.get(i, "") for _, values in rows) for i in IDS]
    translate: dict[Any, Any] = {"": None, "na": "na", "unknown": "unknown",
                                 **{v: v for v in range(5)}}
    roles = [role for role, _ in rows]
    acc_columns = Accumulator(Q, group_by="role")
    acc_columns.add_columns(columns, translate, len(rows), roles=roles,
                            groups=[r.strip() if r else None for r in roles])
    # and the bare tally paths
    from tra_assess.scoring.tally import marked_values

    for role, values in rows:
        by_rows.add_checked(marked_values(values, plan, role, ()), plan)
    by_columns = Tally(plan.key)
    add_columns(by_columns, plan, columns, translate, len(rows), roles=roles)
    assert _state(by_rows) == _state(by_columns)
    one = acc_rows.finalize().model_dump(exclude={"generated_at"})
    two = acc_columns.finalize().model_dump(exclude={"generated_at"})
    assert one["items"] == two["items"] and one["domains"] == two["domains"]


def _state(tally: Tally) -> dict[str, Any]:
    return {k: v for k, v in vars(tally).items() if k != "domain_items"}


# -- audience, hand-computed ------------------------------------------------------------------


def test_answers_from_outside_the_audience_are_counted_not_scored() -> None:
    rows: list[tuple[str | None, dict[str, Any]]] = [
        ("lead", {"a.two": 4}),
        ("staff", {"a.two": 0}),  # outside: not scored
        ("guest", {"a.two": "unknown"}),  # outside: not an unknown either
        (None, {"a.two": 2}),  # no role: in every audience
        ("Lead", {"a.two": 3}),  # roles are folded
    ]
    results = _score(rows)
    item = next(i for i in results.items if i.id == "a.two")
    assert (item.n, item.unknown, item.out_of_audience, item.missing) == (3, 0, 2, 0)
    assert item.score == pytest.approx(3.0)
    assert results.domain("a").unknown_rate == pytest.approx(0.0)


def test_everyone_outside_the_audience_leaves_a_critical_item_unverified() -> None:
    results = _score([("staff", {"a.one": 4, "a.two": 4, "a.three": 4})])
    item = next(i for i in results.items if i.id == "a.two")
    assert (item.n, item.out_of_audience) == (0, 1)
    assert results.domain("a").unverified == ["a.two"]


def test_hand_computed_columns_with_roles() -> None:
    plan = build_plan(Q)
    tally = Tally(plan.key)
    columns: list[Any] = [None] * len(IDS)
    columns[IDS.index("a.two")] = ("4", "0", "?", "")
    translate = {"4": 4, "0": 0, "?": "unknown", "": None}
    add_columns(tally, plan, columns, translate, 4, roles=["lead", "staff", "guest", "staff"])
    i = IDS.index("a.two")
    assert tally.out_of_audience[i] == 2 and tally.unknown[i] == 0
    assert tally.dist[i * 5 + 4] == 1 and sum(tally.dist[i * 5 : i * 5 + 5]) == 1
