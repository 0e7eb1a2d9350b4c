"""The trend as a report section and as its own page (``trend --format html``,
``report --history``).

:func:`history_context` turns a :class:`~tra_assess.compare.trend.Trend` into the plain data
the templates ``report_history.html.j2`` and ``report_history.md.j2`` show (the same block in
the report and on the trend page; :func:`tra_assess.reports.render.render_trend_html` writes
the self-contained trend page); :func:`report_history` builds the trend of a report's results
and its history files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from tra_assess.common.display import fmt_number
from tra_assess.common.textsafe import html_text as escape
from tra_assess.compare.trend import (
    Trend,
    build_trend,
    cell_text,
    change_text,
    point_text,
    row_sentence,
)
from tra_assess.reports.charts import BANDS, BAR, INK, RULE, TARGET, Band, _f
from tra_assess.results.model import Results

__all__ = ["history_context", "report_history"]


def history_context(trend: Trend) -> dict[str, Any]:
    bands = [
        Band(label=level.label, start=level.min_score, is_target=level.id == trend.target)
        for level in trend.levels
    ]
    rows = []
    panels = []
    for index, row in enumerate([trend.overall, *trend.domains]):
        change = change_text(row)
        cells = [point_text(trend, p) for p in row.points]
        rows.append(
            {
                "id": row.id,
                "title": row.title,
                "is_overall": row.id == "overall",
                "cells": cells,
                "change_text": change,
            }
        )
        points = [
            Point(
                label=p.date[:4] if _years_differ(trend) else p.date,
                value=p.score,
                scored=p.level is not None,
                text=text,
            )
            for p, text in zip(row.points, cells, strict=True)
        ]
        now = row.points[-1]
        subtitle = f"now {point_text(trend, now)}"
        panels.append(
            trend_panel(f"tra-trend-{index}", row.title, subtitle, points, bands, trend.scale_max)
        )
    overall_rows = [r for r in rows if r["is_overall"]]
    groups = None
    if trend.groups is not None:
        groups = {
            "by": trend.groups.by,
            "rule": trend.groups.rule,
            "rows": [
                {"value": g.value, "cells": [cell_text(c) for c in g.overall]}
                for g in trend.groups.groups
            ],
        }
    dates = trend.dates
    return {
        "title": f"Trend: {trend.questionnaire_title}",
        "dates": dates,
        "intro": (
            f"{len(dates)} assessments from {dates[0]} to {dates[-1]}; target "
            f"{trend.target_label} (from {fmt_number(trend.target_min_score)}). Each cell is the "
            "score and the level."
        ),
        "organizations": trend.organizations,
        "bands_text": "; ".join(
            f"{level.label} from {fmt_number(level.min_score)}" for level in trend.levels
        ),
        "rows": [*(r for r in rows if not r["is_overall"]), *overall_rows],
        "sentences": [row_sentence(trend, r) for r in [trend.overall, *trend.domains]],
        "panels": panels,
        "groups": groups,
        "warnings": trend.warnings,
        "assessments": [a.model_dump() for a in trend.assessments],
    }


def _years_differ(trend: Trend) -> bool:
    years = [d[:4] for d in trend.dates]
    return len(set(years)) == len(years)




def report_history(
    results: Results, history: Sequence[tuple[Results, str]], target: str | None = None
) -> Trend:
    """The trend of a report's ``results`` and its ``history`` (results, source name) files,
    judged against ``target`` (the report's); a history file equal to the report's own
    results is counted once."""
    own = results.model_dump(exclude={"inputs"})  # warnings added on reading may differ
    earlier = [(r, name) for r, name in history if r.model_dump(exclude={"inputs"}) != own]
    if len(earlier) + 1 < 3:
        from tra_assess.common.errors import UsageError

        raise UsageError(
            "--history needs results of at least two other assessments (a trend has three or "
            "more); for one, use --baseline"
        )
    return build_trend(
        [*(r for r, _ in earlier), results],
        [*(n for _, n in earlier), "the report's results"],
        target=target or results.target,
    )


# -- the panels: one small line chart per domain over the level bands --------------------
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
        f'<text x="4" y="14" font-weight="bold" font-size="12" fill="{INK}"{_fit(title, 42)}>'
        f"{escape(title)}</text>",
        f'<text x="4" y="28" fill="{INK}"{_fit(subtitle, 48)}>{escape(subtitle)}</text>',
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


def _fit(text: str, limit: int) -> str:
    """Attributes that squeeze a long panel title into the panel's width: labels are never
    cut (the full text is also the panel's accessible title)."""
    if len(text) <= limit:
        return ""
    return f' textLength="{_f(PANEL_W - 8)}" lengthAdjust="spacingAndGlyphs"'
