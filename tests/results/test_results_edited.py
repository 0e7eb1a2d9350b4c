"""A results file edited into something no scoring writes: each kind of impossible count,
share, score or level is refused in one line naming the file and what is wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from report_factory import make_results
from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.results.load import load_results_file, results_from_data

Edit = Callable[[dict[str, Any]], None]


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = make_results().model_dump(mode="json")
    return data


def _domain(doc: dict[str, Any], domain_id: str) -> dict[str, Any]:
    return next(d for d in doc["domains"] if d["id"] == domain_id)


def _item(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in doc["items"] if i["id"] == item_id)


def _domain_set(domain_id: str, **values: Any) -> Edit:
    return lambda doc: _domain(doc, domain_id).update(values)


def _item_set(item_id: str, **values: Any) -> Edit:
    return lambda doc: _item(doc, item_id).update(values)


def _top(**values: Any) -> Edit:
    return lambda doc: doc.update(values)


def _na_reason(doc: dict[str, Any]) -> None:
    doc["na_reasons"] = [{"item": "beta.two", "reason": "no crisis service", "count": 13}]


def _group_n(doc: dict[str, Any]) -> None:
    doc["groups"]["groups"][1]["n"] = 40


def _files(doc: dict[str, Any]) -> None:
    doc["inputs"]["files"] = -1


CASES: list[tuple[Edit, str]] = [
    (_files, "inputs.files is -1, a negative count"),
    (_top(min_group_size=0), "min_group_size is 0; it must be at least 1"),
    (_top(modes={"individual": 14, "consensus": -2}), "modes holds a negative count"),
    (
        _na_reason,
        "na_reasons: 13 respondents gave a reason for beta.two, more than the 12 respondents",
    ),
    (_group_n, "group 'staff' has n = 40, outside 0 to the 12 respondents"),
    (
        _item_set("alpha.one", n=6, na=4, unknown=3),
        "item 'alpha.one': 6 ratings, 4 n/a and 3 unknown are more answers than the 12 "
        "respondents",
    ),
    (_item_set("alpha.one", missing=-3), "item 'alpha.one': missing is -3, a negative count"),
    (
        _item_set("alpha.one", n=2, distribution={"0": -1, "1": 3}),
        "item 'alpha.one': distribution holds a negative count",
    ),
    (_domain_set("beta", score=-0.5), "domain 'beta': score -0.5 is outside the scale 0-4"),
    (_domain_set("beta", sd_n=-1), "domain 'beta': sd_n is -1, a negative count"),
    (_domain_set("gamma", alpha_n=13), "domain 'gamma': alpha_n is more than the 12 respondents"),
    (
        _domain_set("gamma", evidenced=5, claimed=4),
        "domain 'gamma': evidenced (5) is more than claimed (4)",
    ),
    (
        _domain_set("alpha", coverage=1.5),
        "domain 'alpha': coverage is 1.5, not a share between 0 and 1",
    ),
    (
        _domain_set("beta", unknown_rate=-0.25),
        "domain 'beta': unknown_rate is -0.25, not a share between 0 and 1",
    ),
    (
        lambda doc: doc["overall"].update(score=4.5),
        "overall score 4.5 is outside the scale 0-4",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_each_impossible_figure_is_named(edit: Edit, expected: str) -> None:
    doc = _doc()
    results_from_data(_doc(), "good.json")  # the document before the edit is valid
    edit(doc)
    with pytest.raises(InvalidInputError) as caught:
        results_from_data(doc, "r.json")
    assert caught.value.lines() == [f"r.json: invalid tra-results/1 file: {expected}"]


def test_a_level_that_is_not_one_of_the_files_levels_is_named() -> None:
    doc = _doc()
    _domain(doc, "beta")["level_by_score"] = "expert"
    with pytest.raises(InvalidInputError) as caught:
        results_from_data(doc, "r.json")
    assert caught.value.lines() == [
        "r.json: invalid tra-results/1 file: level 'expert' is not one of its levels "
        "(high, low, mid, top)"
    ]


def test_a_schema_error_names_the_first_place_and_counts_the_rest() -> None:
    doc = _doc()
    doc["respondents"] = "twelve"
    doc["domains"][0]["score"] = "high"
    with pytest.raises(InvalidInputError) as caught:
        results_from_data(doc, "r.json")
    (line,) = caught.value.lines()
    assert line.startswith("r.json: invalid tra-results/1 file: respondents: Input should be")
    assert line.endswith("(and 1 more problems)")


@pytest.mark.parametrize("data", [[1, 2], "results", None])
def test_a_document_that_is_not_an_object_is_not_a_results_file(data: Any) -> None:
    with pytest.raises(InvalidInputError) as caught:
        results_from_data(data, "r.json")
    assert caught.value.lines() == [
        "r.json: not a results file (expected a tra-results/1 object)"
    ]


def test_a_folder_or_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_results_file(tmp_path, display="runs")
    assert str(caught.value) == "runs: is a folder, not a results file"
    with pytest.raises(UsageError) as caught:
        load_results_file(tmp_path / "none.json")
    assert str(caught.value) == f"{tmp_path / 'none.json'}: no such file"
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_doc()), encoding="utf-8")
    assert load_results_file(good).respondents == 12
