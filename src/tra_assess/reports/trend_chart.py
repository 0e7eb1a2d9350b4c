"""Small multiples of line charts over the level bands: one small inline SVG per domain (and
one for the overall score), the assessments left to right, the score up the side, the level
bands as shaded stripes and the target as a dashed line (see :mod:`tra_assess.reports.charts`
for the conventions: ``role="img"``, a ``<title>`` and a ``<desc>`` with every value, text
escaped, fixed decimals). A point without a level (too few answers) is a hollow dot, and the
line breaks where a score is missing. No script.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from tra_assess.common.display import fmt_number
from tra_assess.reports.charts import BANDS, BAR, INK, RULE, TARGET, Band, _f, _short
from tra_assess.reports.formatting import html_text as escape

PANEL_W = 300.0
PANEL_H = 190.0
LEFT = 36.0
RIGHT = 14.0
TOP = 40.0
BOTTOM = 34.0
INSET = 26.0  # from the plot's edges to the first and last point: room for their labels


@dataclass(frozen=True)
class Point:
    label: str  # the x label (the assessment date or year)
    value: float | None
    scored: bool
    text: str  # the point in words, for the description ("2.45 Trauma sensitive")


def _y(value: float, scale_max: float) -> float:
    top = scale_max if scale_max > 0 else 1.0
    share = max(0.0, min(value, top)) / top
    return PANEL_H - BOTTOM - share * (PANEL_H - BOTTOM - TOP)


def _x(index: int, count: int) -> float:
    span = PANEL_W - LEFT - RIGHT - 2 * INSET
    if count <= 1:
        return LEFT + INSET + span / 2
    return LEFT + INSET + span * index / (count - 1)


def trend_panel(
    name: str, title: str, subtitle: str, points: list[Point], bands: list[Band], scale_max: float
) -> Markup:
    """One panel; ``name`` makes its element ids unique in the page."""
    desc = (
        f"{title}: "
        + "; ".join(f"{p.label} {p.text}" for p in points)
        + ". Level bands from "
        + ", ".join(f"{b.label} {fmt_number(b.start)}" for b in bands)
        + "."
    )
    target = next((b for b in bands if b.is_target), None)
    if target is not None:
        desc += f" Target {target.label} from {fmt_number(target.start)}."
    out = [
        f'<svg class="trend-panel" viewBox="0 0 {_f(PANEL_W)} {_f(PANEL_H)}" width="100%" '
        f'role="img" aria-labelledby="{name}-title {name}-desc" font-family="sans-serif" '
        'font-size="11">',
        f'<title id="{name}-title">{escape(title)}</title>',
        f'<desc id="{name}-desc">{escape(desc)}</desc>',
        f'<text x="4" y="14" font-weight="bold" font-size="12" fill="{INK}">'
        f"{escape(_short(title, 42))}</text>",
        f'<text x="4" y="28" fill="{INK}">{escape(_short(subtitle, 48))}</text>',
    ]
    out += _bands(bands, scale_max)
    out += _line(points, scale_max)
    for index, point in enumerate(points):
        x = _x(index, len(points))
        out.append(
            f'<text x="{_f(x)}" y="{_f(PANEL_H - BOTTOM + 14)}" text-anchor="middle" '
            f'fill="{INK}">{escape(point.label)}</text>'
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def _bands(bands: list[Band], scale_max: float) -> list[str]:
    out: list[str] = []
    x0, x1 = LEFT, PANEL_W - RIGHT
    for index, band in enumerate(bands):
        end = bands[index + 1].start if index + 1 < len(bands) else scale_max
        y_top, y_bottom = _y(end, scale_max), _y(band.start, scale_max)
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y_top)}" width="{_f(x1 - x0)}" '
            f'height="{_f(max(y_bottom - y_top, 0))}" fill="{BANDS[index % 2]}"/>'
        )
        out.append(
            f'<line x1="{_f(x0)}" y1="{_f(y_bottom)}" x2="{_f(x1)}" y2="{_f(y_bottom)}" '
            f'stroke="{RULE}" stroke-width="0.5"/>'
        )
        out.append(
            f'<text x="{_f(x0 - 4)}" y="{_f(y_bottom + 4)}" text-anchor="end" fill="{INK}" '
            f'font-size="10">{escape(fmt_number(band.start))}</text>'
        )
    for band in bands:
        if band.is_target:
            y = _y(band.start, scale_max)
            out.append(
                f'<line x1="{_f(x0)}" y1="{_f(y)}" x2="{_f(x1)}" y2="{_f(y)}" stroke="{TARGET}" '
                'stroke-width="2" stroke-dasharray="5 3"/>'
            )
    return out


def _line(points: list[Point], scale_max: float) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    runs: list[list[str]] = []
    for index, point in enumerate(points):
        if point.value is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{_f(_x(index, len(points)))},{_f(_y(point.value, scale_max))}")
    if run:
        runs.append(run)
    for segment in runs:
        if len(segment) > 1:
            out.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{BAR}" '
                'stroke-width="2.5"/>'
            )
    for index, point in enumerate(points):
        if point.value is None:
            continue
        x, y = _x(index, len(points)), _y(point.value, scale_max)
        fill = BAR if point.scored else "#ffffff"
        out.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4.5" fill="{fill}" stroke="{BAR}" '
            'stroke-width="2"/>'
        )
        out.append(
            f'<text x="{_f(x)}" y="{_f(y - 8)}" text-anchor="middle" fill="{INK}" '
            'stroke="#ffffff" stroke-width="3" paint-order="stroke" font-weight="bold">'
            f"{escape(fmt_number(point.value))}</text>"
        )
    return out
