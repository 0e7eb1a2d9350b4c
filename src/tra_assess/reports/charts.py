"""Charts for the reports, drawn by us as inline SVG (no script, no external resource).

Each chart has ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words what it
shows (every value included), and the report puts a table with the same numbers beside it.
Colour is never the only signal: level bands are labelled, insufficient scores are hatched
and labelled, groups are letters, and change is an arrow with its numbers. All text is
escaped. Coordinates are printed with fixed decimals, so the output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from tra_assess.common.display import DASH, fmt_number
from tra_assess.reports.formatting import html_text as escape

WIDTH = 880
PLOT_X = 250.0
PLOT_W = 400.0
ROW_H = 28
TOP = 52
LABEL_ROWS = (14.0, 29.0, 44.0)
CHAR_W = 6.6
BOTTOM = 34
LABEL_CHARS = 36
INK = "#1a1a1a"
BAR = "#1f4e79"
TARGET = "#a4001d"
BANDS = ("#f3f5f8", "#dfe6ef")
RULE = "#4a5a6a"


@dataclass(frozen=True)
class Band:
    label: str
    start: float
    is_target: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    scored: bool
    value_text: str
    note: str = ""  # shown after the value, e.g. "held at Trauma sensitive" for a capped bar
    desc: str = ""  # the level (and cap) in words, for the chart's <desc>

    @property
    def label_text(self) -> str:
        return f"{self.value_text}, {self.note}" if self.note else self.value_text


def _f(value: float) -> str:
    return f"{value:.1f}"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _x(value: float, scale_max: float) -> float:
    top = scale_max if scale_max > 0 else 1.0
    return PLOT_X + max(0.0, min(value, top)) / top * PLOT_W


def _open(name: str, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" width="100%" role="img" '
        f'aria-labelledby="{name}-title {name}-desc" font-family="sans-serif" font-size="12">',
        f'<title id="{name}-title">{escape(title)}</title>',
        f'<desc id="{name}-desc">{escape(desc)}</desc>',
    ]


def _bands(bands: list[Band], scale_max: float, top: float, bottom: float) -> list[str]:
    """Level bands as shaded columns, each starting at a thin boundary line labelled with the
    level and its minimum score; the axis with its ticks; and the target line."""
    out: list[str] = []
    for index, band in enumerate(bands):
        end = bands[index + 1].start if index + 1 < len(bands) else scale_max
        x0, x1 = _x(band.start, scale_max), _x(end, scale_max)
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(top)}" width="{_f(max(x1 - x0, 0))}" '
            f'height="{_f(bottom - top)}" fill="{BANDS[index % 2]}"/>'
        )
    out += _boundaries(bands, scale_max, top, bottom)
    for tick in _ticks(scale_max):
        x = _x(float(tick), scale_max)
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(bottom)}" x2="{_f(x)}" y2="{_f(bottom + 4)}" '
            f'stroke="{INK}"/>'
        )
        out.append(
            f'<text x="{_f(x)}" y="{_f(bottom + 16)}" text-anchor="middle" '
            f'fill="{INK}">{tick}</text>'
        )
    out.append(
        f'<line x1="{_f(PLOT_X)}" y1="{_f(bottom)}" x2="{_f(PLOT_X + PLOT_W)}" '
        f'y2="{_f(bottom)}" stroke="{INK}"/>'
    )
    for band in bands:
        if band.is_target:
            x = _x(band.start, scale_max)
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(top - 4)}" x2="{_f(x)}" y2="{_f(bottom)}" '
                f'stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="6 3"/>'
            )
            out.append(
                f'<text x="{_f(x)}" y="{_f(bottom + 30)}" text-anchor="middle" '
                f'fill="{TARGET}" font-weight="bold">target</text>'
            )
    return out


def _ticks(scale_max: float, most: int = 10) -> range:
    """Whole-number ticks from 0 to the scale's top: every number on a short scale, else a
    round step (1, 2, 5, 10, 20, 50 ...) giving at most ``most`` + 1 ticks."""
    top = int(scale_max) if scale_max > 0 else 0
    step = 1
    while top // step > most:
        for factor in (2, 5, 10):
            if top // (step * factor) <= most:
                step *= factor
                break
        else:
            step *= 10
    return range(0, top + 1, step)


def _boundaries(bands: list[Band], scale_max: float, top: float, bottom: float) -> list[str]:
    """A thin line at each level's minimum score and a label ("Trauma informed 3.50") above
    the plot, on the first label row where it does not run into the previous label. Labels
    are drawn last with a white halo, so a line passing behind one leaves it legible."""
    lines: list[str] = []
    labels: list[str] = []
    ends = [float("-inf")] * len(LABEL_ROWS)
    for band in bands:
        x = _x(band.start, scale_max)
        text = f"{_short(band.label, 28)} {fmt_number(band.start)}"
        width = len(text) * CHAR_W
        row = next((r for r, end in enumerate(ends) if end + 6 <= x), None)
        if row is None:
            row = min(range(len(ends)), key=lambda r: ends[r])
        y = LABEL_ROWS[row]
        if x + 3 + width <= WIDTH - 2:
            anchor, tx, ends[row] = "start", x + 3, x + 3 + width
        else:
            anchor, tx, ends[row] = "end", x - 3, x
        lines.append(
            f'<line x1="{_f(x)}" y1="{_f(y - 10)}" x2="{_f(x)}" y2="{_f(bottom)}" '
            f'stroke="{RULE}" stroke-width="1"/>'
        )
        weight = ' font-weight="bold"' if band.is_target else ""
        labels.append(
            f'<text x="{_f(tx)}" y="{_f(y)}" text-anchor="{anchor}" fill="{INK}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke"{weight}>'
            f"{escape(text)}</text>"
        )
    return lines + labels


def _row_label(y: float, text: str) -> str:
    return (
        f'<text x="{_f(PLOT_X - 8)}" y="{_f(y + 4)}" text-anchor="end" fill="{INK}">'
        f"{escape(_short(text))}</text>"
    )


def _bands_desc(bands: list[Band], scale_max: float) -> str:
    parts = [f"{b.label} from {fmt_number(b.start)}" for b in bands]
    target = next((b for b in bands if b.is_target), None)
    text = f"Scale 0 to {scale_max:g}; level bands: {', '.join(parts)}."
    if target is not None:
        text += f" Target line at {fmt_number(target.start)} ({target.label})."
    return text


def domain_bars(bars: list[Bar], bands: list[Band], scale_max: float) -> Markup:
    """Horizontal bars of domain scores over the level bands, with the target line."""
    bottom = TOP + ROW_H * max(len(bars), 1)
    desc = (
        _bands_desc(bands, scale_max)
        + " "
        + "; ".join(f"{b.label}: {b.value_text}" + (f", {b.desc}" if b.desc else "") for b in bars)
        + "."
    )
    out = _open("tra-domains", bottom + BOTTOM + 6, "Domain scores against the level bands", desc)
    out.append(
        '<defs><pattern id="tra-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR}" stroke-width="3"/></pattern>'
        "</defs>"
    )
    out += _bands(bands, scale_max, TOP, bottom)
    for index, bar in enumerate(bars):
        y = TOP + ROW_H * index + ROW_H / 2
        out.append(_row_label(y, bar.label))
        end = PLOT_X
        if bar.value is not None:
            end = _x(bar.value, scale_max)
            fill = BAR if bar.scored else "url(#tra-hatch)"
            out.append(
                f'<rect x="{_f(PLOT_X)}" y="{_f(y - 7)}" width="{_f(end - PLOT_X)}" '
                f'height="14" fill="{fill}" stroke="{BAR}"/>'
            )
        weight = (
            ' font-weight="bold" stroke="#ffffff" stroke-width="3" paint-order="stroke"'
            if bar.note
            else ""
        )
        out.append(
            f'<text x="{_f(end + 6)}" y="{_f(y + 4)}" fill="{INK}"{weight}>'
            f"{escape(bar.label_text)}</text>"
        )
    out.append("</svg>")
    return Markup("\n".join(out))


DOT_R = 7.5
DOT_GAP = 2 * DOT_R + 1.0  # dots whose centres are closer than this would overlap
LANE_H = 16.0


def _lanes(xs: list[float]) -> tuple[list[int], int]:
    """A lane for each dot so that dots in one lane never overlap (left to right, each dot
    takes the first lane whose last dot is far enough away), and the number of lanes."""
    ends: list[float] = []
    lanes = [0] * len(xs)
    for i in sorted(range(len(xs)), key=lambda i: (xs[i], i)):
        for lane, end in enumerate(ends):
            if xs[i] - end >= DOT_GAP:
                ends[lane] = xs[i]
                lanes[i] = lane
                break
        else:
            lanes[i] = len(ends)
            ends.append(xs[i])
    return lanes, len(ends)


def group_dots(
    rows: list[tuple[str, list[tuple[str, float | None]]]],
    legend: list[tuple[str, str]],
    bands: list[Band],
    scale_max: float,
) -> Markup:
    """A dot plot: per domain, one lettered dot per shown group at its score. Groups with
    close scores are stacked in lanes, so that no letter hides another."""
    placed = []
    for title, dots in rows:
        shown = [(code, _x(score, scale_max)) for code, score in dots if score is not None]
        lanes, count = _lanes([x for _, x in shown])
        placed.append((title, shown, lanes, count))
    most = max((count for *_, count in placed), default=1)
    row_h = max(float(ROW_H), LANE_H * most + 12)
    bottom = TOP + row_h * max(len(rows), 1)
    names = dict(legend)
    legend_lines = [legend[i : i + 4] for i in range(0, len(legend), 4)]
    height = bottom + BOTTOM + 10 + 16 * len(legend_lines)
    desc_rows = [
        f"{title}: "
        + ", ".join(f"{names.get(code, code)} {fmt_number(score)}" for code, score in dots)
        for title, dots in rows
    ]
    desc = _bands_desc(bands, scale_max) + " " + "; ".join(desc_rows) + "."
    out = _open("tra-groups", height, "Domain scores by group", desc)
    out += _bands(bands, scale_max, TOP, bottom)
    for index, (title, shown, lanes, count) in enumerate(placed):
        y = TOP + row_h * index + row_h / 2
        out.append(_row_label(y, title))
        for (code, x), lane in zip(shown, lanes, strict=True):
            cy = y + (lane - (count - 1) / 2) * LANE_H
            out.append(
                f'<circle cx="{_f(x)}" cy="{_f(cy)}" r="{DOT_R}" fill="{BAR}" stroke="#ffffff"/>'
            )
            out.append(
                f'<text x="{_f(x)}" y="{_f(cy + 3.5)}" text-anchor="middle" '
                f'font-size="10" font-weight="bold" fill="#ffffff">{escape(code)}</text>'
            )
    for line_no, entries in enumerate(legend_lines):
        text = "  ·  ".join(f"{code} = {_short(name, 28)}" for code, name in entries)
        out.append(
            f'<text x="{_f(PLOT_X)}" y="{_f(bottom + BOTTOM + 12 + 16 * line_no)}" '
            f'fill="{INK}">{escape(text)}</text>'
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def change_arrows(
    rows: list[tuple[str, float | None, float | None]], bands: list[Band], scale_max: float
) -> Markup:
    """Before/after: a hollow dot at the baseline score, an arrow to the follow-up score."""
    bottom = TOP + ROW_H * max(len(rows), 1)
    desc = (
        _bands_desc(bands, scale_max)
        + " "
        + "; ".join(
            f"{title}: {fmt_number(before)} to {fmt_number(after)}" for title, before, after in rows
        )
        + "."
    )
    out = _open("tra-change", bottom + BOTTOM + 6, "Domain scores at baseline and now", desc)
    out += _bands(bands, scale_max, TOP, bottom)
    for index, (title, before, after) in enumerate(rows):
        y = TOP + ROW_H * index + ROW_H / 2
        out.append(_row_label(y, title))
        out += _arrow(y, before, after, scale_max)
        label = f"{fmt_number(before)} → {fmt_number(after)}"
        out.append(
            f'<text x="{_f(PLOT_X + PLOT_W + 10)}" y="{_f(y + 4)}" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def _arrow(y: float, before: float | None, after: float | None, scale_max: float) -> list[str]:
    out: list[str] = []
    if before is not None and after is not None:
        x0, x1 = _x(before, scale_max), _x(after, scale_max)
        if abs(x1 - x0) >= 9:
            direction = 1 if x1 > x0 else -1
            tip = x1 - direction * 8
            out.append(
                f'<line x1="{_f(x0)}" y1="{_f(y)}" x2="{_f(tip)}" y2="{_f(y)}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
            out.append(
                f'<polygon points="{_f(x1)},{_f(y)} {_f(tip)},{_f(y - 5)} '
                f'{_f(tip)},{_f(y + 5)}" fill="{INK}"/>'
            )
        else:
            out.append(
                f'<polygon points="{_f(x1)},{_f(y - 6)} {_f(x1 + 6)},{_f(y)} '
                f'{_f(x1)},{_f(y + 6)} {_f(x1 - 6)},{_f(y)}" fill="{INK}"/>'
            )
    if before is not None:
        out.append(
            f'<circle cx="{_f(_x(before, scale_max))}" cy="{_f(y)}" r="4.5" '
            f'fill="#ffffff" stroke="{INK}" stroke-width="2"/>'
        )
    elif after is not None:
        out.append(f'<circle cx="{_f(_x(after, scale_max))}" cy="{_f(y)}" r="4.5" fill="{INK}"/>')
    return out


_CODE_SAFE = str.maketrans({"`": "'", "<": "‹", ">": "›"})


def _code_safe(text: str) -> str:
    """Text for a fenced code block: no backtick can close the fence, no tag can appear."""
    return text.translate(_CODE_SAFE)


def text_bars(bars: list[Bar], bands: list[Band], scale_max: float, width: int = 40) -> str:
    """The domain chart as monospaced text, for Markdown (a fenced code block)."""
    label_w = min(max((len(b.label) for b in bars), default=10), 30)
    top = scale_max if scale_max > 0 else 1.0

    def cells(value: float) -> int:
        return round(max(0.0, min(value, top)) / top * width)

    lines: list[str] = []
    for bar in bars:
        label = _short(_code_safe(bar.label), 30).ljust(label_w)
        filled = cells(bar.value) if bar.value is not None else 0
        mark = "█" if bar.scored else "▒"
        track = mark * filled + "·" * (width - filled)
        lines.append(f"{label} {track} {_code_safe(bar.label_text)}")
    ruler = ["─"] * (width + 1)
    for band in bands:
        ruler[cells(band.start)] = "┼" if band.is_target else "┴"
    lines.append(" " * label_w + " " + "".join(ruler))
    marks = [
        f"{_code_safe(b.label)} {fmt_number(b.start)}" + (" (target, ┼)" if b.is_target else "")
        for b in bands
    ]
    lines.append(" " * label_w + " " + "levels from: " + " · ".join(marks))
    if any(not b.scored and b.value is not None for b in bars):
        lines.append(" " * label_w + " ▒ = score shown, but too few answers for a level")
    return "\n".join(lines) if bars else DASH
