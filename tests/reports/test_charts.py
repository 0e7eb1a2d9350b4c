"""The group dot plot never lets one group's lettered dot hide another's."""

from __future__ import annotations

import itertools
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.reports.charts import DOT_R, Band, group_dots

BANDS = [Band("Low", 0.0), Band("Middle", 1.5), Band("High", 2.5, is_target=True)]
CIRCLE = re.compile(r'<circle cx="([\d.]+)" cy="([\d.]+)"')


def _circles(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in CIRCLE.findall(svg)]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.none(), st.floats(0, 4).map(lambda v: round(v, 2))), max_size=8),
        min_size=1,
        max_size=5,
    )
)
def test_dots_never_overlap(rows: list[list[float | None]]) -> None:
    codes = "ABCDEFGH"
    chart = group_dots(
        [(f"Domain {n}", list(zip(codes, scores, strict=False))) for n, scores in enumerate(rows)],
        [(code, f"group {code}") for code in codes],
        BANDS,
        4.0,
    )
    circles = _circles(str(chart))
    assert len(circles) == sum(score is not None for scores in rows for score in scores)
    for (x1, y1), (x2, y2) in itertools.combinations(circles, 2):
        assert math.hypot(x1 - x2, y1 - y2) >= 2 * DOT_R


def test_close_scores_are_stacked_and_far_ones_share_a_line() -> None:
    chart = str(
        group_dots(
            [("Intake", [("A", 2.50), ("B", 2.51), ("C", 3.5)])],
            [("A", "frontline"), ("B", "supervisor"), ("C", "leadership")],
            BANDS,
            4.0,
        )
    )
    (ax, ay), (bx, by), (cx, cy) = _circles(chart)
    assert (ax, bx, cx) == (500.0, 501.0, 600.0)  # positions stay at the scores
    assert by - ay == 16.0  # B is stacked under A
    assert cy == ay  # C, far away, takes the first lane


def test_axis_ticks_stay_few_on_any_scale() -> None:
    from tra_assess.reports.charts import _ticks

    assert list(_ticks(4)) == [0, 1, 2, 3, 4]
    assert list(_ticks(24)) == [0, 5, 10, 15, 20]
    assert list(_ticks(100)) == list(range(0, 101, 10))
    huge = _ticks(10**9)  # a hand-made scale: still eleven ticks, drawn at once
    assert len(huge) == 11 and huge[-1] == 10**9


def test_a_huge_scale_draws_at_once() -> None:
    chart = str(
        group_dots([("Intake", [("A", 5e8)])], [("A", "frontline")], BANDS, float(10**9))
    )
    assert chart.count("<line x1=") < 40
