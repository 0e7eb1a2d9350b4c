"""The trend as a report section and as its own page (``trend --format html``,
``report --history``).

:func:`history_context` turns a :class:`~tra_assess.compare.trend.Trend` into the plain data
the templates ``report_history.html.j2`` and ``report_history.md.j2`` show (the same block in
the report and on the trend page); :func:`render_trend_html` writes the self-contained trend
page; :func:`report_history` builds the trend of a report's results and its history files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tra_assess.common.display import fmt_number
from tra_assess.compare.trend import (
    Trend,
    build_trend,
    cell_text,
    change_text,
    point_text,
    row_sentence,
)
from tra_assess.reports.charts import Band
from tra_assess.reports.trend_chart import Point, trend_panel
from tra_assess.results.model import Results

__all__ = ["history_context", "render_trend_html", "report_history"]


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


def render_trend_html(trend: Trend) -> str:
    """The self-contained trend page (inline CSS and SVG, no script)."""
    from tra_assess import __version__
    from tra_assess.reports.render import _builtin_env, _tidy

    env = _builtin_env("html")
    text = env.get_template("trend.html.j2").render(
        history=history_context(trend), tool={"name": "tra-assess", "version": __version__}
    )
    return _tidy(text)


def report_history(results: Results, history: Sequence[tuple[Results, str]]) -> Trend:
    """The trend of a report's ``results`` and its ``history`` (results, source name) files;
    a history file equal to the report's own results is counted once."""
    own = results.model_dump(exclude={"inputs"})  # warnings added on reading may differ
    earlier = [(r, name) for r, name in history if r.model_dump(exclude={"inputs"}) != own]
    if len(earlier) + 1 < 3:
        from tra_assess.common.errors import UsageError

        raise UsageError(
            "--history needs results of at least two other assessments (a trend has three or "
            "more); for one, use --baseline"
        )
    return build_trend(
        [*(r for r, _ in earlier), results], [*(n for _, n in earlier), "the report's results"]
    )
