"""Exact statistics from integer sums: no rounding until the final float.

Everything the scoring keeps is an integer (counts, sums, sums of squares) or an exact
rational built from integers, so merging partial results in any order gives the same
numbers, bit for bit. These helpers turn those sums into the reported floats.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

TOLERANCE = 1e-9


def sample_variance(n: int, total: Fraction | int, squares: Fraction | int) -> Fraction | None:
    """Sample variance (n - 1) from n, the sum and the sum of squares; None when n < 2."""
    if n < 2:
        return None
    value = (Fraction(squares) * n - Fraction(total) ** 2) / (n * (n - 1))
    return max(value, Fraction(0))


def sample_sd(n: int, total: Fraction | int, squares: Fraction | int) -> float | None:
    """Sample standard deviation (n - 1); None when n < 2."""
    variance = sample_variance(n, total, squares)
    return None if variance is None else math.sqrt(variance)


def ratio_sums(buckets: dict[int, list[int]]) -> tuple[int, Fraction, Fraction]:
    """Count, sum and sum of squares of values a/b kept as ``{b: [count, sum a, sum a^2]}``."""
    n = 0
    total = Fraction(0)
    squares = Fraction(0)
    for denominator, (count, sum_a, sum_a2) in buckets.items():
        n += count
        total += Fraction(sum_a, denominator)
        squares += Fraction(sum_a2, denominator * denominator)
    return n, total, squares


def cronbach_alpha(
    n: int, sums: Sequence[int], squares: Sequence[int], total_squares: int
) -> float | None:
    """Cronbach's alpha of k = len(sums) items over n complete respondents.

    ``sums``/``squares`` are each item's sum and sum of squares, ``total_squares`` the sum of
    each respondent's squared total. alpha = k/(k-1) * (1 - sum var(item) / var(total)) with
    sample variances; the (n - 1) factors cancel, so this is computed exactly. None when
    k < 2, n < 2 or var(total) = 0.
    """
    k = len(sums)
    if k < 2 or n < 2:
        return None
    grand = sum(sums)
    total_spread = n * total_squares - grand * grand  # n(n-1) var(total)
    if total_spread <= 0:
        return None
    item_spread = sum(n * q - s * s for s, q in zip(sums, squares, strict=True))
    return float(Fraction(k, k - 1) * (1 - Fraction(item_spread, total_spread)))


def weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction | None:
    """Exact weighted mean of (value, weight) pairs; None when there are none."""
    numerator = Fraction(0)
    denominator = Fraction(0)
    for value, weight in pairs:
        numerator += value * weight
        denominator += weight
    if not denominator:
        return None
    return numerator / denominator
