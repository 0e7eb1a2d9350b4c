"""Change against the target is the gap then and now, in words (SPEC section 9): the issue's
cases where a percentage read 295 %, 186 % or -141 % for domains that started near the
target. mini's target is High (2.5)."""

from __future__ import annotations

import pytest

from compare_helpers import as_results, results_doc
from tra_assess.compare.change import against_target, compare_results


def _row(before: float | None, after: float | None, **flags: bool):  # type: ignore[no-untyped-def]
    base = results_doc({"alpha": before}, {"alpha.one": before}, overall=before)
    follow = results_doc({"alpha": after}, {"alpha.one": after}, overall=after,
                         assessed_on="2026-05-01")
    for key, value in flags.items():
        follow["domains"][0][key] = value
    return compare_results(as_results(base), as_results(follow)).domains[0]


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        (2.17, 2.38, "gap 0.33 → 0.12"),
        (2.4, 2.95, "target reached"),  # the old formula: 550 %
        (2.3, 1.89, "further from target by 0.41"),  # the old formula: -205 %
        (2.6, 2.7, "target met then and now"),
        (2.6, 2.4, "target lost: gap 0.00 → 0.10"),
        (2.0, 2.0, "gap 0.50 → 0.50"),
        (2.0, 2.004, "gap 0.50 → 0.50"),
        (2.004, 2.0, "gap 0.50 → 0.50"),  # 0.004 further does not show as 0.00
        (None, 2.0, "no baseline score"),
        (2.0, None, "no follow-up score"),
    ],
)
def test_gap_then_and_now(before: float | None, after: float | None, words: str) -> None:
    row = _row(before, after)
    assert row.against_target == words
    assert "%" not in row.against_target


def test_score_at_target_but_level_held_below() -> None:
    row = _row(2.2, 2.8, meets_target=False, unverified=["alpha.two"])
    assert row.followup_gap == 0.0
    assert row.against_target == "gap 0.30 → 0.00; level still below target"


def test_against_target_directly() -> None:
    assert against_target(0.33, 0.12, False, False) == "gap 0.33 → 0.12"
    assert against_target(0.1, 0.51, False, False) == "further from target by 0.41"
    assert against_target(0.1, 0.0, False, True) == "target reached"
    assert against_target(None, None, True, True) == "target met then and now"
