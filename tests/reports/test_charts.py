"""The charts: group marks never hide one another and are told apart by shape and place, not
only by a legend; labels are wrapped, never cut; values are never struck through by a line."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.reports.charts import (
    DOT_R,
    Band,
    Bar,
    domain_bars,
    group_dots,
    group_mark,
    text_bars,
    wrap,
)

BANDS = [Band("Low", 0.0), Band("Middle", 1.5), Band("High", 2.5, is_target=True)]
MARK = re.compile(r'<g class="mark" transform="translate\(([\d.]+) ([\d.]+)\)">')


def _marks(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in MARK.findall(svg)]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.none(), st.floats(0, 4).map(lambda v: round(v, 2))), max_size=8),
        min_size=1,
        max_size=5,
    )
)
def test_marks_never_overlap(rows: list[list[float | None]]) -> None:
    names = [f"group {n}" for n in range(8)]
    chart = group_dots([(f"Domain {n}", s) for n, s in enumerate(rows)], names, BANDS, 4.0)
    marks = _marks(str(chart))
    assert len(marks) == sum(score is not None for scores in rows for score in scores)
    for (_, y1), (_, y2) in itertools.combinations(marks, 2):
        assert abs(y1 - y2) >= 2 * DOT_R  # every group has its own lane: marks never touch


def test_each_group_keeps_its_shape_and_its_place_in_every_row() -> None:
    chart = str(
        group_dots(
            [("Intake", [2.50, 2.51, 3.5]), ("Crisis", [1.0, None, 1.0])],
            ["frontline", "supervisor", "leadership"],
            BANDS,
            4.0,
        )
    )
    (ax, ay), (bx, by), (cx, cy), (_, dy), (_, ey) = _marks(chart)[:5]
    assert (ax, bx, cx) == (500.0, 501.0, 600.0)  # positions stay at the scores
    assert ay < by < cy  # one lane per group, in legend order
    assert round(dy - ay, 1) == round(ey - cy, 1)  # the same lane in the next row
    shapes = [group_mark(i)[0] for i in range(3)]
    assert len(set(shapes)) == 3  # three groups, three shapes
    assert "<circle" in chart and "<rect" in chart and "<polygon" in chart
    for name in ("frontline", "supervisor", "leadership"):
        assert f">{name}</text>" in chart  # the legend names each group in full


def test_long_labels_are_wrapped_not_cut() -> None:
    title = "Staff wellness and secondary traumatic stress in every team"
    assert " ".join(wrap(title)) == title
    assert all(len(line) <= 36 for line in wrap(title))
    svg = str(domain_bars([Bar(title, 2.0, True, "2.00")], BANDS, 4.0))
    spans = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert " ".join(spans) == title and len(spans) == 2
    assert "…" not in svg


def test_value_labels_have_a_halo_over_the_grid_lines() -> None:
    svg = str(domain_bars([Bar("Intake", 2.5, True, "2.50")], BANDS, 4.0))
    label = re.search(r'<text [^>]*>2\.50</text>', svg)
    assert label and 'stroke="#ffffff"' in label.group(0)
    assert 'paint-order="stroke"' in label.group(0)
    assert svg.index(label.group(0)) > svg.rindex("<line")  # drawn after every line


def test_markdown_chart_lines_fit_100_columns() -> None:
    bars = [
        Bar("Staff wellness and secondary traumatic stress", 1.38, True,
            "1.38, held at Not yet trauma aware and more words"),
        Bar("Intake", 3.1, True, "3.10"),
    ]
    bands = [Band("Not yet trauma aware", 0.0), Band("Trauma aware", 1.0),
             Band("Trauma sensitive", 2.0), Band("Trauma responsive", 3.0, True),
             Band("Trauma informed", 3.5)]
    text = text_bars(bars, bands, 4.0)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "\ntraumatic stress" in text  # the label wrapped onto a second line, not cut
    assert "Trauma informed 3.50" in text


def test_axis_ticks_stay_few_on_any_scale() -> None:
    from tra_assess.reports.charts import _ticks

    assert list(_ticks(4)) == [0, 1, 2, 3, 4]
    assert list(_ticks(24)) == [0, 5, 10, 15, 20]
    assert list(_ticks(100)) == list(range(0, 101, 10))
    huge = _ticks(10**9)  # a hand-made scale: still eleven ticks, drawn at once
    assert len(huge) == 11 and huge[-1] == 10**9


def test_a_huge_scale_draws_at_once() -> None:
    chart = str(group_dots([("Intake", [5e8])], ["frontline"], BANDS, float(10**9)))
    assert chart.count("<line x1=") < 40
