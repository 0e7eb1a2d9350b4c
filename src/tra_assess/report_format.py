"""Display formatting for reports: half-up rounding, dashes for nulls, Markdown escaping.

Numbers in results files are unrounded; a report shows them rounded half-up (``Decimal``
``ROUND_HALF_UP``, not ``round()``, which rounds half to even on binary floats) to 2 decimals,
rates as whole percentages, and an em dash where there is no number.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from markupsafe import Markup, escape

from tra_assess.textsafe import md_inline, one_line, plain

DASH = "—"


def fmt_number(value: float | None, places: int = 2, signed: bool = False) -> str:
    """``2.345`` -> ``"2.35"``; None (or NaN/inf) -> an em dash; ``signed`` adds ``+``."""
    if value is None or not math.isfinite(value):
        return DASH
    try:
        exact = Decimal(repr(float(value)))
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, OverflowError):
        return DASH
    if rounded == 0:
        rounded = abs(rounded)
    text = f"{rounded:.{places}f}"
    return f"+{text}" if signed and rounded > 0 else text


def fmt_percent(value: float | None, signed: bool = False) -> str:
    """A rate (0..1) as a whole percentage, half-up: ``0.675`` -> ``"68%"``."""
    if value is None:
        return DASH
    text = fmt_number(float(Decimal(repr(float(value))) * 100), places=0, signed=signed)
    return DASH if text == DASH else f"{text}%"


_BLOCK_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-=])(?=\s|[-=]|$)")


def md(value: object) -> str:
    """The Markdown escape filter: one line, Markdown specials and HTML neutralised, and no
    line start that would make a list, a rule or a heading underline."""
    if value is None:
        return DASH
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                            else f"\\{m.group(3)}", md_inline(value))


def html_text(value: object) -> Markup:
    """HTML-escape text; ``=`` too, so that no escaped text can even read like an attribute
    (``onerror=``). The browser shows exactly the same characters."""
    if isinstance(value, Markup):
        return value
    return Markup(str(escape(str(value))).replace("=", "&#61;"))


def html_finalize(value: object) -> object:
    """Jinja ``finalize`` for HTML: every printed value goes through :func:`html_text`."""
    if value is None or isinstance(value, (Markup, bool, int, float)):
        return value
    return html_text(value)


def clean(value: object) -> str:
    """User text for the report context: one line, no control or escape sequences."""
    return one_line(value)


def clean_block(value: object) -> str:
    """User text that may keep its line breaks (evidence notes, descriptions)."""
    return plain(value).strip()


def yes_no(value: bool | None) -> str:
    if value is None:
        return DASH
    return "yes" if value else "no"
