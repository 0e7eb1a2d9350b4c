"""Column-wise adding (scoring_block.add_columns) reaches exactly the row-by-row state.

Hypothesis draws blocks of raw cells for the mini questionnaire and for variants of it with
fractional weights, a long scale and negative scale values (the row-by-row fallback), adds
them to tallies that already hold respondents (so the Cronbach restart-and-merge rules are
exercised across blocks), and compares every integer of the state with
``Tally.add_checked`` fed the same respondents one at a time.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring import scorer as scoring
from tra_assess.scoring.columns import add_columns
from tra_assess.scoring.scorer import Accumulator
from tra_assess.scoring.tally import Plan, Tally, build_plan
from tra_assess.sources.answers import Response

DATA = Path(__file__).parents[1] / "data" / "mini.yaml"
MINI = load_questionnaire_file(DATA)
SETTINGS = settings(max_examples=200, deadline=None)


def _variant(tmp: Path, name: str, change: Any) -> Questionnaire:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    change(doc)
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return load_questionnaire_file(path)


def _fractional(doc: dict[str, Any]) -> None:
    for n, item in enumerate(doc["domains"][0]["items"]):
        item["weight"] = (0.25, 1.5, 3.0)[n]
    doc["domains"][1]["items"][0]["weight"] = 0.125


def _long_scale(doc: dict[str, Any]) -> None:
    doc["scale"] = [{"value": v, "label": f"point {v}"} for v in range(0, 101, 10)]
    for domain in doc["domains"]:
        for item in domain["items"]:
            item.pop("anchors", None)
            item.pop("actions", None)
    for level, score in zip(doc["levels"], (0, 30, 60, 90), strict=True):
        level["min_score"] = score


def _negative(doc: dict[str, Any]) -> None:
    doc["scale"] = [{"value": v, "label": f"point {v}"} for v in (-2, -1, 0, 1, 2)]
    for domain in doc["domains"]:
        for item in domain["items"]:
            item.pop("anchors", None)
            item.pop("actions", None)
    for level, score in zip(doc["levels"], (0, 0.5, 1, 1.5), strict=True):
        level["min_score"] = score


@pytest.fixture(scope="module")
def questionnaires(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Questionnaire]:
    tmp = tmp_path_factory.mktemp("variants")
    return {
        "mini": MINI,
        "fractional": _variant(tmp, "fractional", _fractional),
        "long-scale": _variant(tmp, "long", _long_scale),
        "negative": _variant(tmp, "negative", _negative),
    }


def _state(tally: Tally) -> dict[str, Any]:
    return {k: v for k, v in vars(tally).items() if k != "domain_items"}


@st.composite
def blocks(draw: st.DrawFn, n_items: int) -> tuple[list[list[int]], list[bool], list[int]]:
    """Cell codes per row (indices into a questionnaire's cell vocabulary), which item
    columns are present, and where the rows are cut into blocks."""
    codes = st.integers(0, 9)
    rows = draw(st.lists(st.lists(codes, min_size=n_items, max_size=n_items), max_size=40))
    present = draw(st.lists(st.booleans(), min_size=n_items, max_size=n_items))
    cuts = sorted(draw(st.lists(st.integers(0, len(rows)), max_size=3)))
    return rows, present, cuts


def _vocabulary(q: Questionnaire) -> tuple[list[str], dict[str, int | str | None]]:
    """Ten raw cells: blank, na, unknown and scale values (some spelt twice)."""
    values = q.scale_values
    cells: dict[str, int | str | None] = {"": None, "n/a": "na", "?": "unknown"}
    for n, value in enumerate(values):
        cells[str(value)] = value
        cells[f"{value} - {n}"] = value
    names = list(cells)
    picked = [names[n % len(names)] for n in range(10)]
    return picked, cells


def _run(q: Questionnaire, rows: list[list[int]], present: list[bool], cuts: list[int]) -> None:
    plan: Plan = build_plan(q)
    cells, translate = _vocabulary(q)
    raw_rows = [[cells[code] for code in row] for row in rows]
    one_by_one = Tally(plan.key)
    by_block = Tally(plan.key)
    edges = [0, *cuts, len(raw_rows)]
    for start, end in itertools.pairwise(edges):
        block = raw_rows[start:end]
        for row in block:
            values = {}
            for i, cell in enumerate(row):
                value = translate[cell]
                if present[i] and value is not None:
                    values[plan.item_ids[i]] = value
            one_by_one.add_checked(values, plan)
        transposed = list(zip(*block, strict=True)) if block else [() for _ in present]
        columns = [col if present[i] else None for i, col in enumerate(transposed)]
        counts = [Counter(col) if col is not None and start % 2 else None for col in columns]
        add_columns(by_block, plan, columns, translate, len(block), counts)
    assert _state(by_block) == _state(one_by_one)


@SETTINGS
@given(data=blocks(len(MINI.items)), which=st.sampled_from(["mini", "fractional", "long-scale"]))
def test_columns_equal_rows(
    questionnaires: dict[str, Questionnaire], data: Any, which: str
) -> None:
    _run(questionnaires[which], *data)


@settings(max_examples=50, deadline=None)
@given(data=blocks(len(MINI.items)))
def test_negative_scale_takes_the_row_path(
    questionnaires: dict[str, Questionnaire], data: Any
) -> None:
    _run(questionnaires["negative"], *data)


def test_hand_computed_block() -> None:
    """Three respondents of the mini questionnaire's alpha domain, column by column."""
    plan = build_plan(MINI)
    translate: dict[object, int | str | None] = {
        "": None,
        "4": 4,
        "2": 2,
        "na": "na",
        "?": "unknown",
    }
    columns: list[Any] = [None] * len(plan.item_ids)
    columns[0] = ("4", "2", "4")  # alpha.one, weight 1
    columns[1] = ("2", "2", "na")  # alpha.two, weight 2
    columns[2] = ("4", "?", "")  # alpha.three, weight 1
    tally = Tally(plan.key)
    add_columns(tally, plan, columns, translate, 3)
    assert tally.n == 3
    assert tally.dist[0 * 5 + 4] == 2 and tally.dist[0 * 5 + 2] == 1
    assert tally.na[1] == 1 and tally.unknown[2] == 1
    # own domain scores: r1 (4*1 + 2*2 + 4*1) / 4 = 3; r2 (2 + 4) / 3 = 2; r3 has 4 on
    # alpha.one only: its na on the critical alpha.two carries no note, so it counts as
    # unknown (SPEC section 4): 1 scored of 3 applicable is below min_coverage 0.5
    assert tally.spread[0] == {4: [1, 12, 144], 3: [1, 6, 36]}
    # alpha: only r1 answered all three items
    assert tally.alpha_mask[0] == 0b111 and tally.alpha_n[0] == 1
    assert tally.alpha_sum[:3] == [4, 2, 4] and tally.alpha_sq[:3] == [16, 4, 16]
    assert tally.alpha_t2[0] == 10 * 10


@settings(max_examples=150, deadline=None)
@given(
    data=blocks(len(MINI.items)),
    roles=st.lists(st.sampled_from([None, "lead", "staff", "peer", ""]), min_size=40, max_size=40),
    by_columns=st.booleans(),
)
def test_grouped_columns_equal_grouped_rows(
    data: Any, roles: list[str | None], by_columns: bool
) -> None:
    """Accumulator.add_columns with groups, whether each group goes in by columns or by
    rows, reaches the state that adding the responses one by one reaches."""
    rows, present, _ = data
    plan = build_plan(MINI)
    cells, translate = _vocabulary(MINI)
    raw_rows = [[cells[code] for code in row] for row in rows]
    groups = roles[: len(raw_rows)]
    one_by_one = Accumulator(MINI, group_by="role")
    for row, role in zip(raw_rows, groups, strict=True):
        values = {
            plan.item_ids[i]: translate[cell]
            for i, cell in enumerate(row)
            if present[i] and translate[cell] is not None
        }
        one_by_one.add(Response("r", values=values, respondent={"role": role} if role else {}))
    transposed = list(zip(*raw_rows, strict=True)) if raw_rows else [() for _ in present]
    columns = [col if present[i] else None for i, col in enumerate(transposed)]
    by_block = Accumulator(MINI, group_by="role")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "GROUP_ROWS_FOR_COLUMNS", 1 if by_columns else 10**9)
        by_block.add_columns(columns, translate, len(raw_rows), groups=groups)
    assert _accumulator_state(by_block) == _accumulator_state(one_by_one)


def _accumulator_state(accumulator: Accumulator) -> dict[str, Any]:
    state = accumulator.__getstate__()
    state["_tally"] = _state(state["_tally"])
    state["_groups"] = {key: _state(tally) for key, tally in state["_groups"].items()}
    return state
