"""``Tally.add_checked`` (each domain's numbers summed in one packed integer) reaches exactly
the state of adding the answers field by field.

The reference below is the plain formula: per answer, the distribution or na/unknown counts,
and per domain the answered-item mask, the weight sum, the weighted value sum and the na
count kept apart. Hypothesis feeds both the same respondents (numbers, na, unknown, na with a
note, answers from outside the audience) for the mini questionnaire and its variants with
fractional weights, a long scale and negative scale values (a negative numerator is the top
field of the packed sum), and tra-core, comparing every integer of the state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.questionnaire.load import load_questionnaire, load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.tally import NA_NOTED, OUTSIDE, Plan, Tally, build_plan

DATA = Path(__file__).parents[1] / "data" / "mini.yaml"
SETTINGS = settings(max_examples=150, deadline=None)


def _variant(
    tmp: Path, name: str, scale: list[int] | None, weights: list[float] | None
) -> Questionnaire:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    if scale is not None:
        doc["scale"] = [{"value": v, "label": f"point {v}"} for v in scale]
        for domain in doc["domains"]:
            for item in domain["items"]:
                item.pop("anchors", None)
                item.pop("actions", None)
        for n, level in enumerate(doc["levels"]):
            level["min_score"] = n * max(scale[-1], 2) / (len(doc["levels"]) + 1)
    if weights is not None:
        for item, weight in zip(doc["domains"][0]["items"], weights, strict=False):
            item["weight"] = weight
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return load_questionnaire_file(path)


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Plan]:
    tmp = tmp_path_factory.mktemp("packing")
    questionnaires = {
        "mini": load_questionnaire_file(DATA),
        "fractional": _variant(tmp, "fractional", None, [0.25, 1.5, 3.0]),
        "long-scale": _variant(tmp, "long", list(range(0, 101, 10)), [2.5, 1.0, 7.0]),
        "negative": _variant(tmp, "negative", [-2, -1, 0, 1, 2], [0.5, 3.0, 1.0]),
        "very-negative": _variant(tmp, "very-negative", [-100, -50, 0, 3], None),
        "tra-core": load_questionnaire("tra-core"),
    }
    return {
        name: build_plan(q, ["beta.one"] if name == "mini" else ())
        for name, q in questionnaires.items()
    }


def _add_reference(tally: Tally, values: dict[str, Any], plan: Plan) -> None:
    """The field-by-field formula :meth:`Tally.add_checked` must equal."""
    n_domains = len(tally.domain_items)
    nums = [0] * len(tally.na)
    a, b, masks, nas = ([0] * n_domains for _ in range(4))
    for item_id, value in values.items():
        i, d, w, bit, base = plan.slots[item_id]
        if value.__class__ is int:
            tally.dist[base + plan.scale_pos[value]] += 1
            nums[i] = value
            a[d] += w * value
            b[d] += w
            masks[d] |= bit
        elif value == "na":
            tally.na[i] += 1
            nas[d] += int(plan.na_counts[i])
        elif value == "unknown":
            tally.unknown[i] += 1
        elif value == NA_NOTED:
            tally.na[i] += 1
            tally.na_noted[i] += 1
            nas[d] += 1
        else:
            assert value == OUTSIDE
            tally.out_of_audience[i] += 1
    tally.n += 1
    domains = 0
    for d, mask in enumerate(masks):
        if mask:
            domains |= 1 << d
            if mask.bit_count() >= plan.thresholds[d][nas[d]]:
                bucket = tally.spread[d].setdefault(b[d], [0, 0, 0])
                bucket[0] += 1
                bucket[1] += a[d]
                bucket[2] += a[d] * a[d]
        union = tally.alpha_mask[d]
        if mask != union:
            if mask & ~union == 0:
                continue
            union |= mask
            tally.alpha_mask[d] = union
            tally.restart_alpha(d, tally.domain_items[d])
            if mask != union:
                continue
        tally.alpha_n[d] += 1
        total = sum(nums[i] for i in tally.domain_items[d])
        for i in tally.domain_items[d]:
            tally.alpha_sum[i] += nums[i]
            tally.alpha_sq[i] += nums[i] * nums[i]
        tally.alpha_t2[d] += total * total
    if domains:
        tally.contributors[domains] = tally.contributors.get(domains, 0) + 1


@st.composite
def respondents(draw: st.DrawFn, plan: Plan) -> list[dict[str, Any]]:
    answers = st.one_of(
        st.sampled_from(plan.scale_values),
        st.sampled_from(plan.scale_values),
        st.sampled_from(["na", "unknown", NA_NOTED, OUTSIDE]),
    )
    # mostly full answers (complete domains, for Cronbach's sums), some sparse ones
    rows = draw(st.lists(st.dictionaries(st.sampled_from(plan.item_ids), answers), max_size=12))
    full = draw(
        st.lists(st.lists(answers, min_size=plan.n_items, max_size=plan.n_items), max_size=12)
    )
    order = draw(st.permutations(range(plan.n_items)))
    rows += [{plan.item_ids[i]: row[i] for i in order} for row in full]
    return draw(st.permutations(rows))


@SETTINGS
@given(
    data=st.data(),
    name=st.sampled_from(
        ["mini", "fractional", "long-scale", "negative", "very-negative", "tra-core"]
    ),
)
def test_packed_add_equals_field_by_field(plans: dict[str, Plan], data: Any, name: str) -> None:
    plan = plans[name]
    rows = data.draw(respondents(plan))
    packed, reference = Tally(plan.key), Tally(plan.key)
    for values in rows:
        packed.add_checked(values, plan)
        _add_reference(reference, values, plan)
        assert vars(packed) == vars(reference)
