"""Charts for the reports, drawn by us as inline SVG (no script, no external resource).

Each chart has ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words what it
shows (every value included), and the report puts a table with the same numbers beside it.
Colour is never the only signal: level bands are labelled, insufficient scores are hatched
and labelled, groups have their own shape and lane, and change is an arrow with its
numbers. All text is
escaped. Coordinates are printed with fixed decimals, so the output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from tra_assess.common.display import DASH, fmt_number
from tra_assess.common.textsafe import html_text as escape

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


def wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """A label in lines of at most ``width`` characters, broken at spaces (a word longer than
    a line is split): every character is kept, none is cut off."""
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


LINE_H = 14.0


def _rows(labels: list[str], min_h: float) -> tuple[list[tuple[float, list[str]]], float]:
    """Each row's centre and label lines (rows grow to fit a wrapped label), and the bottom."""
    out: list[tuple[float, list[str]]] = []
    y = float(TOP)
    for label in labels:
        lines = wrap(label)
        height = max(min_h, LINE_H * len(lines) + 8)
        out.append((y + height / 2, lines))
        y += height
    return out, (y if labels else TOP + min_h)


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
        text = f"{band.label} {fmt_number(band.start)}"
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
        labels.append(_backing(tx, y, text, anchor, band.is_target))
        labels.append(
            f'<text x="{_f(tx)}" y="{_f(y)}" text-anchor="{anchor}" fill="{INK}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke"{weight}>'
            f"{escape(text)}</text>"
        )
    return lines + labels


def _row_label(y: float, lines: list[str]) -> str:
    """A row's label, right-aligned before the plot, its lines centred on the row."""
    first = y + 4 - (len(lines) - 1) * LINE_H / 2
    spans = "".join(
        f'<tspan x="{_f(PLOT_X - 8)}" y="{_f(first + n * LINE_H)}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text text-anchor="end" fill="{INK}">{spans}</text>'


HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'


def _backing(
    x: float, baseline: float, text: str, anchor: str = "start", bold: bool = False
) -> str:
    """A white box behind a label (its width estimated from its length), so that no line
    passes through the label, not even between its letters."""
    width = len(text) * (CHAR_W + (0.5 if bold else 0.0)) + 4
    left = x - 2 if anchor == "start" else x - width + 2
    return (
        f'<rect x="{_f(left)}" y="{_f(baseline - 11)}" width="{_f(width)}" height="14" '
        'fill="#ffffff" fill-opacity="0.9"/>'
    )


def _value_label(x: float, y: float, text: str, bold: bool = False) -> str:
    """A value beside a mark, on a white box and with a white halo, so that no line passing
    behind it strikes it."""
    weight = ' font-weight="bold"' if bold else ""
    return _backing(x, y + 4, text, bold=bold) + (
        f'<text x="{_f(x)}" y="{_f(y + 4)}" fill="{INK}"{weight} {HALO}>{escape(text)}</text>'
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
    rows, bottom = _rows([b.label for b in bars], ROW_H)
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
    values: list[str] = []
    for bar, (y, lines) in zip(bars, rows, strict=True):
        out.append(_row_label(y, lines))
        end = PLOT_X
        if bar.value is not None:
            end = _x(bar.value, scale_max)
            fill = BAR if bar.scored else "url(#tra-hatch)"
            out.append(
                f'<rect x="{_f(PLOT_X)}" y="{_f(y - 7)}" width="{_f(end - PLOT_X)}" '
                f'height="14" fill="{fill}" stroke="{BAR}"/>'
            )
        values.append(_value_label(end + 6, y, bar.label_text, bold=bool(bar.note)))
    out += values  # last: over every line
    out.append("</svg>")
    return Markup("\n".join(out))


DOT_R = 4.5
LANE_H = 11.5
SHAPES = ("circle", "square", "triangle", "diamond", "down", "hexagon")
SYMBOLS = {
    ("circle", True): "●",
    ("square", True): "■",
    ("triangle", True): "▲",
    ("diamond", True): "◆",
    ("down", True): "▼",
    ("hexagon", True): "⬢",
    ("circle", False): "○",
    ("square", False): "□",
    ("triangle", False): "△",
    ("diamond", False): "◇",
    ("down", False): "▽",
    ("hexagon", False): "⬡",
}
PALETTE = ("#1f4e79", "#8a3b00", "#1d6b5f", "#5b2a86", "#6b4700", "#3d3d3d")


def group_mark(index: int) -> tuple[str, bool, str]:
    """A group's shape, whether it is filled, and its colour: six shapes filled, then six
    hollow, then again (a 13th group shares the 1st's mark; its lane still tells it apart)."""
    shape = SHAPES[index % len(SHAPES)]
    filled = (index // len(SHAPES)) % 2 == 0
    return shape, filled, PALETTE[index % len(PALETTE)]


def group_symbol(index: int) -> str:
    """The text symbol of a group's mark (for tables and legends): ●, ■, ▲ ..."""
    shape, filled, _ = group_mark(index)
    return SYMBOLS[(shape, filled)]


def _shape(index: int, x: float, y: float, kind: str = "mark") -> str:
    """A group's mark centred at (x, y): a group (``<g>``) translated there, so that every
    mark's centre can be read from its ``transform``."""
    shape, filled, colour = group_mark(index)
    paint = f'fill="{colour}"' if filled else 'fill="#ffffff" stroke-width="2"'
    r = DOT_R
    if shape == "circle":
        body = f'<circle r="{r}" {paint} stroke="{colour}"/>'
    elif shape == "square":
        body = (
            f'<rect x="{_f(-r)}" y="{_f(-r)}" width="{_f(2 * r)}" height="{_f(2 * r)}" '
            f'{paint} stroke="{colour}"/>'
        )
    else:
        corners = {
            "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
            "down": [(0, r + 1), (r + 1, -r), (-r - 1, -r)],
            "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
            "hexagon": [(r, 0), (r / 2, -r), (-r / 2, -r), (-r, 0), (-r / 2, r), (r / 2, r)],
        }[shape]
        points = " ".join(f"{_f(dx)},{_f(dy)}" for dx, dy in corners)
        body = f'<polygon points="{points}" {paint} stroke="{colour}"/>'
    return f'<g class="{kind}" transform="translate({_f(x)} {_f(y)})">{body}</g>'


def _legend(names: list[str], y: float) -> tuple[list[str], float]:
    """The legend: each group's mark and its full name, entries wrapped onto lines."""
    out: list[str] = []
    x, line = PLOT_X, 0
    for index, name in enumerate(names):
        width = 18 + len(name) * CHAR_W + 18
        if x > PLOT_X and x + width > WIDTH - 4:
            x, line = PLOT_X, line + 1
        cy = y + line * 18
        out.append(_shape(index, x + 6, cy - 4, "key"))
        out.append(f'<text x="{_f(x + 16)}" y="{_f(cy)}" fill="{INK}">{escape(name)}</text>')
        x += width
    return out, (line + 1) * 18


def group_dots(
    rows: list[tuple[str, list[float | None]]],
    names: list[str],
    bands: list[Band],
    scale_max: float,
) -> Markup:
    """A dot plot: per domain, one mark per shown group at its score. Each group has its own
    shape and its own lane (always the same place within a row), so groups are told apart
    without the legend, and no mark hides another."""
    lane_rows = max(len(names), 1)
    row_h = LANE_H * lane_rows + 10
    layout, bottom = _rows([title for title, _ in rows], row_h)
    legend, legend_h = _legend(names, 0.0)
    height = bottom + BOTTOM + 24 + legend_h
    desc_rows = [
        f"{title}: "
        + ", ".join(f"{name} {fmt_number(score)}" for name, score in zip(names, dots, strict=False))
        for title, dots in rows
    ]
    desc = (
        _bands_desc(bands, scale_max)
        + " Each group has its own mark: "
        + ", ".join(f"{name} {group_symbol(i)}" for i, name in enumerate(names))
        + ". "
        + "; ".join(desc_rows)
        + "."
    )
    out = _open("tra-groups", height, "Domain scores by group", desc)
    out += _bands(bands, scale_max, TOP, bottom)
    for number, ((_, dots), (y, lines)) in enumerate(zip(rows, layout, strict=True)):
        out.append(_row_label(y, lines))
        top = y - LANE_H * lane_rows / 2
        if number:  # a rule between domains, so each mark's row is plain
            edge = top - 5
            out.append(
                f'<line x1="{_f(PLOT_X - 240)}" y1="{_f(edge)}" x2="{_f(PLOT_X + PLOT_W)}" '
                f'y2="{_f(edge)}" stroke="#b8c2cc" stroke-width="1"/>'
            )
        for index, score in enumerate(dots[: len(names)]):
            if score is None:
                continue
            out.append(_shape(index, _x(score, scale_max), top + LANE_H * index + LANE_H / 2))
    legend, _ = _legend(names, bottom + BOTTOM + 24)
    out += legend
    out.append("</svg>")
    return Markup("\n".join(out))


def change_arrows(
    rows: list[tuple[str, float | None, float | None]], bands: list[Band], scale_max: float
) -> Markup:
    """Before/after: a hollow dot at the baseline score, an arrow to the follow-up score."""
    layout, bottom = _rows([title for title, _, _ in rows], ROW_H)
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
    for (_, before, after), (y, lines) in zip(rows, layout, strict=True):
        out.append(_row_label(y, lines))
        out += _arrow(y, before, after, scale_max)
        label = f"{fmt_number(before)} → {fmt_number(after)}"
        out.append(_value_label(PLOT_X + PLOT_W + 10, y, label))
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


MD_WIDTH = 100  # the longest line of the Markdown chart


def text_bars(bars: list[Bar], bands: list[Band], scale_max: float, width: int = 30) -> str:
    """The domain chart as monospaced text, for Markdown (a fenced code block): labels are
    wrapped (never cut) and no line is longer than 100 characters."""
    import textwrap

    if not bars:
        return DASH
    label_w = min(max((len(b.label) for b in bars), default=10), 28)
    top = scale_max if scale_max > 0 else 1.0
    room = MD_WIDTH - label_w - width - 4

    def cells(value: float) -> int:
        return round(max(0.0, min(value, top)) / top * width)

    lines: list[str] = []
    for bar in bars:
        label = wrap(_code_safe(bar.label), label_w)
        filled = cells(bar.value) if bar.value is not None else 0
        mark = "█" if bar.scored else "▒"
        track = mark * filled + "·" * (width - filled)
        value = textwrap.wrap(_code_safe(bar.label_text), room) or [""]
        lines.append(f"{label[0].ljust(label_w)} {track}  {value[0]}".rstrip())
        for n in range(1, max(len(label), len(value))):
            left = label[n].ljust(label_w) if n < len(label) else " " * label_w
            right = value[n] if n < len(value) else ""
            lines.append(f"{left} {' ' * width}  {right}".rstrip() if right else left.rstrip())
    ruler = ["─"] * (width + 1)
    for band in bands:
        ruler[cells(band.start)] = "┼" if band.is_target else "┴"
    indent = " " * (label_w + 1)
    lines.append(indent + "".join(ruler))
    marks = [  # no-break spaces inside a mark while wrapping: a line breaks between marks
        (
            f"{_code_safe(b.label)} {fmt_number(b.start)}" + (" (target, ┼)" if b.is_target else "")
        ).replace(" ", "\u00a0")
        for b in bands
    ]
    wrapped = textwrap.wrap(
        "levels from: " + " · ".join(marks),
        MD_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
        break_long_words=False,
    )
    lines += [line.replace("\u00a0", " ") for line in wrapped]
    if any(not b.scored and b.value is not None for b in bars):
        lines.append(indent + "▒ = score shown, but too few answers for a level")
    return "\n".join(lines)
