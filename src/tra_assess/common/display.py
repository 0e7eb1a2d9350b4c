"""Numbers for people: half-up rounding for display, the same everywhere.

Results files keep unrounded numbers; terminal tables, reports and comparisons show them
through these functions (``decimal`` ``ROUND_HALF_UP``, not ``round()``, which rounds half to
even on binary floats: 2.675 shows as 2.68).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DASH = "—"


def fmt_number(value: float | None, places: int = 2, signed: bool = False, none: str = DASH) -> str:
    """``2.345`` -> ``"2.35"``; None (or NaN/inf) -> ``none``; ``signed`` adds ``+``."""
    if value is None or not math.isfinite(value):
        return none
    try:
        exact = Decimal(repr(float(value)))
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, OverflowError):
        return none
    if rounded == 0:
        rounded = abs(rounded)
    text = f"{rounded:.{places}f}"
    return f"+{text}" if signed and rounded > 0 else text


def fmt_percent(value: float | None, signed: bool = False, none: str = DASH) -> str:
    """A rate (0..1) as a whole percentage, half-up: ``0.675`` -> ``"68%"``."""
    if value is None or not math.isfinite(value):
        return none
    text = fmt_number(float(Decimal(repr(float(value))) * 100), places=0, signed=signed, none="")
    return f"{text}%" if text else none
