"""The numpy path (scoring.arrays.add_codes) reaches exactly the row-by-row state.

Hypothesis draws code matrices for the mini questionnaire and its variants (fractional
weights, a long scale, negative scale values), adds them block by block to a tally that already
holds respondents (so the Cronbach restart-and-merge rules are crossed), and compares every
integer of the state with ``Tally.add_checked`` fed the same respondents one at a time.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_scoring_block import MINI, _fractional, _long_scale, _negative, _state, _variant

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.arrays import add_codes, fits
from tra_assess.scoring.tally import Tally, build_plan


@pytest.fixture(scope="module")
def questionnaires(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Questionnaire]:
    tmp = tmp_path_factory.mktemp("array-variants")
    return {
        "mini": MINI,
        "fractional": _variant(tmp, "fractional", _fractional),
        "long-scale": _variant(tmp, "long", _long_scale),
        "negative": _variant(tmp, "negative", _negative),
    }


def _meanings(q: Questionnaire) -> list[int | str | None]:
    return [None, "na", "unknown", *q.scale_values]


@st.composite
def matrices(draw: st.DrawFn, n_items: int, n_codes: int) -> tuple[list[list[int]], list[int]]:
    codes = st.integers(0, n_codes - 1)
    rows = draw(st.lists(st.lists(codes, min_size=n_items, max_size=n_items), max_size=40))
    absent = draw(st.lists(st.integers(0, n_items - 1), max_size=3))  # columns nobody answered
    for row in rows:
        for i in absent:
            row[i] = 0
    cuts = sorted(draw(st.lists(st.integers(0, len(rows)), max_size=3)))
    return rows, cuts


def _check(q: Questionnaire, rows: list[list[int]], cuts: list[int], seed: Tally | None) -> None:
    plan = build_plan(q)
    meanings = _meanings(q)
    one_by_one, by_array = Tally(plan.key), Tally(plan.key)
    if seed is not None:
        one_by_one.merge(seed)
        by_array.merge(seed)
    for start, end in itertools.pairwise([0, *cuts, len(rows)]):
        block = rows[start:end]
        for row in block:
            values = {
                plan.item_ids[i]: meanings[c] for i, c in enumerate(row) if meanings[c] is not None
            }
            one_by_one.add_checked(values, plan)  # type: ignore[arg-type]
        matrix = np.array(block, dtype=np.uint8).reshape(len(block), plan.n_items)
        assert fits(plan, len(block))
        add_codes(by_array, plan, matrix, meanings)
    assert _state(by_array) == _state(one_by_one)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    which=st.sampled_from(["mini", "fractional", "long-scale", "negative"]),
    seeded=st.booleans(),
)
def test_arrays_equal_rows(questionnaires: dict[str, Questionnaire], data: Any, which: str,
                           seeded: bool) -> None:
    q = questionnaires[which]
    rows, cuts = data.draw(matrices(len(q.items), len(_meanings(q))))
    seed = None
    if seeded:  # a tally that already answered every item: the union restarts or not
        plan = build_plan(q)
        seed = Tally(plan.key)
        seed.add_checked({item.id: q.scale_values[-1] for item in q.items}, plan)
    _check(q, rows, cuts, seed)


def test_hand_computed_codes() -> None:
    """Three respondents of the mini questionnaire's alpha domain (as in the column test)."""
    plan = build_plan(MINI)
    meanings: list[int | str | None] = [None, "na", "unknown", 2, 4]
    matrix = np.zeros((3, plan.n_items), dtype=np.uint8)
    matrix[:, 0] = [4, 3, 4]  # alpha.one: 4, 2, 4
    matrix[:, 1] = [3, 3, 1]  # alpha.two (weight 2): 2, 2, na
    matrix[:, 2] = [4, 2, 0]  # alpha.three: 4, ?, blank
    tally = Tally(plan.key)
    add_codes(tally, plan, matrix, meanings)
    assert tally.n == 3
    assert tally.dist[0 * 5 + 4] == 2 and tally.dist[0 * 5 + 2] == 1
    assert tally.na[1] == 1 and tally.unknown[2] == 1
    # r3's na on the critical alpha.two carries no note: it counts as unknown (SPEC section
    # 4), so 1 scored of 3 applicable is below min_coverage 0.5 and r3 has no own score
    assert tally.spread[0] == {4: [1, 12, 144], 3: [1, 6, 36]}
    assert tally.alpha_mask[0] == 0b111 and tally.alpha_n[0] == 1
    assert tally.alpha_sum[:3] == [4, 2, 4] and tally.alpha_sq[:3] == [16, 4, 16]
    assert tally.alpha_t2[0] == 10 * 10


def test_fits_refuses_sums_that_could_overflow(questionnaires: dict[str, Questionnaire]) -> None:
    plan = build_plan(questionnaires["fractional"])
    assert fits(plan, 1_000_000)
    assert not fits(plan, 1 << 60)
