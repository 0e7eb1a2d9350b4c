"""Adding a block of respondents to a :class:`~tra_assess.scoring.tally.Tally` with numpy.

The large-table path. A reader hands over a matrix of small answer *codes*, one row per
respondent and one column per questionnaire item, and the table of what each code means (a
scale value, ``"na"``, ``"unknown"`` or None for unanswered). Everything the tally keeps is then
computed on arrays, with no Python step per answer or per respondent:

- per item, the counts of each code (one ``bincount`` over the whole matrix) give the
  distribution, ``na`` and ``unknown``;
- per domain, each respondent's answered items, ``na`` count, score numerator and denominator
  (integer-scaled weights, as in :class:`~tra_assess.scoring.tally.Plan`) and plain total are
  sums over the domain's columns; the spread buckets are sums grouped by denominator;
- Cronbach's sums are taken over the respondents whose answered set equals the block's union,
  merged as :meth:`Tally.merge` merges them.

All sums are exact: they are int64 sums that cannot overflow (:func:`fits` checks the bound
before the block is added), turned into Python ints before they reach the tally. The state
reached is exactly the one :meth:`Tally.add_checked` reaches row by row (property-tested).

numpy is imported by the caller only for tables large enough to pay for it (see
``ARRAY_ROWS``); this module is not imported otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tra_assess.scoring.tally import NA_NOTED, OUTSIDE, Plan, Tally

if TYPE_CHECKING:
    from numpy.typing import NDArray

# what a code means: a scale value, "na", "unknown", None (unanswered), or one of the tally's
# internal answers NA_NOTED and OUTSIDE
Code = int | str | None
ARRAY_ROWS = 2_000  # tables with fewer rows than this are not worth importing numpy for
_LIMIT = 1 << 62


def fits(plan: Plan, rows: int) -> bool:
    """Whether every int64 sum of :func:`add_codes` is exact for ``rows`` respondents: the
    largest square sum (numerator squared, or a plain total squared) times the rows must stay
    below 2**62, and each domain's answered-item mask must fit 62 bits."""
    top = max((abs(v) for v in plan.scale_values), default=0)
    if plan.n_domains > 62:
        return False
    for items in plan.domain_items:
        if len(items) > 62:
            return False
        weights = sum(plan.item_weight[i] for i in items)
        biggest = max(weights * top, len(items) * top)
        if biggest * biggest * max(rows, 1) >= _LIMIT:
            return False
    return True


class _Codes:
    """Per-code lookup tables: what each code adds."""

    def __init__(self, plan: Plan, meanings: Sequence[Code]) -> None:
        self.n = len(meanings)
        self.meanings = list(meanings)
        self.numeric = np.array([type(m) is int for m in meanings], dtype=bool)
        self.value = np.array([m if type(m) is int else 0 for m in meanings], dtype=np.int64)
        self.na = np.array([m == "na" for m in meanings], dtype=bool)
        self.na_noted = np.array([m == NA_NOTED for m in meanings], dtype=bool)
        self.unknown = np.array([m == "unknown" for m in meanings], dtype=bool)
        self.outside = np.array([m == OUTSIDE for m in meanings], dtype=bool)
        self.position = [plan.scale_pos[m] if isinstance(m, int) else -1 for m in meanings]


def add_codes(tally: Tally, plan: Plan, codes: NDArray[np.uint8], meanings: Sequence[Code]) -> None:
    """Add the respondents of ``codes`` (rows x items, each a code into ``meanings``).

    Every meaning must be valid for the plan (a scale value, "na", "unknown" or None) and
    :func:`fits` must hold for the number of rows; the readers check both.
    """
    rows = int(codes.shape[0])
    if rows == 0:
        return
    table = _Codes(plan, meanings)
    _count_items(tally, plan, codes, table)
    tally.n += rows
    row_domains = np.zeros(rows, dtype=np.int64)
    for d, items in enumerate(plan.domain_items):
        answered = _add_domain(tally, plan, d, items, codes[:, items[0] : items[-1] + 1], table)
        row_domains |= answered.astype(np.int64) << d
    _add_contributors(tally, row_domains)


def _add_contributors(tally: Tally, row_domains: NDArray[np.int64]) -> None:
    """Respondents per domain mask (the domains they gave a number in), as the tally keeps
    them for suppression per figure; respondents without any number are not kept."""
    kept = row_domains[row_domains != 0]
    if kept.size == 0:
        return
    masks, counts = np.unique(kept, return_counts=True)
    contributors = tally.contributors
    for mask, k in zip(masks.tolist(), counts.tolist(), strict=True):
        contributors[mask] = contributors.get(mask, 0) + k


def _count_items(tally: Tally, plan: Plan, codes: NDArray[np.uint8], table: _Codes) -> None:
    n_items = codes.shape[1]
    offsets = np.arange(n_items, dtype=np.int64) * table.n
    counts = np.bincount((codes + offsets).ravel(), minlength=n_items * table.n)
    counts = counts.reshape(n_items, table.n)
    width = plan.n_scale
    na_codes = np.flatnonzero(table.na | table.na_noted)
    unknown_codes = np.flatnonzero(table.unknown)
    for code, position in enumerate(table.position):
        if position < 0:
            continue
        column = counts[:, code]
        for i in np.flatnonzero(column).tolist():
            tally.dist[i * width + position] += int(column[i])
    for i, k in enumerate(counts[:, na_codes].sum(axis=1).tolist()):
        tally.na[i] += k
    for i, k in enumerate(counts[:, unknown_codes].sum(axis=1).tolist()):
        tally.unknown[i] += k
    for flags, kept in ((table.na_noted, tally.na_noted), (table.outside, tally.out_of_audience)):
        if flags.any():
            for i, k in enumerate(counts[:, np.flatnonzero(flags)].sum(axis=1).tolist()):
                kept[i] += k


def _add_domain(
    tally: Tally,
    plan: Plan,
    d: int,
    items: tuple[int, ...],
    block: NDArray[np.uint8],
    table: _Codes,
) -> NDArray[np.bool_]:
    """Each respondent's own domain figures, the spread buckets, then Cronbach's sums; which
    respondents gave a number in the domain."""
    packed = _packed(plan, items, block, table)
    if packed is not None:
        mask, count, nas, b, a, total = packed
    else:
        numeric = table.numeric[block]
        values = table.value[block]
        weights = np.array([plan.item_weight[i] for i in items], dtype=np.int64)
        bits = np.left_shift(np.int64(1), np.arange(len(items), dtype=np.int64))
        mask = numeric @ bits
        count = numeric.sum(axis=1)
        # a plain na on a critical item the profile does not list counts as unknown (SPEC 4)
        counts_na = np.array([plan.na_counts[i] for i in items], dtype=bool)
        nas = ((table.na[block] & counts_na) | table.na_noted[block]).sum(axis=1)
        b = numeric @ weights
        a = values @ weights
        total = values.sum(axis=1)
    needed = np.asarray(plan.thresholds[d], dtype=np.float64)[nas]
    eligible = (mask != 0) & (count >= needed)
    _add_spread(tally.spread[d], b[eligible], a[eligible])
    _add_alpha(tally, d, items, mask, total, block, table)
    answered: NDArray[np.bool_] = mask != 0
    return answered


def _packed(
    plan: Plan, items: tuple[int, ...], block: NDArray[np.uint8], table: _Codes
) -> tuple[NDArray[np.int64], ...] | None:
    """The domain figures per respondent from one gather and one sum: each (item, code) maps
    to one integer whose bit fields (:class:`~tra_assess.scoring.columns.Fields`) never carry
    into each other when summed over the domain; None when the scale has negative values or
    the fields need more than 62 bits."""
    from tra_assess.scoring.columns import Fields

    top = max(plan.scale_values)
    if min(plan.scale_values) < 0:
        return None
    weights = [plan.item_weight[i] for i in items]
    fields = Fields(weights, top)
    if fields.total + (len(items) * top).bit_length() > 62:
        return None
    packs = np.array(
        [
            [fields.pack(1 << j, weights[j], m, plan.na_counts[i]) for m in table.meanings]
            for j, i in enumerate(items)
        ],
        dtype=np.int64,
    )
    p = np.take(packs[0], block[:, 0])  # one small gather per item (faster than one 2-D)
    for j in range(1, len(items)):
        p += np.take(packs[j], block[:, j])
    mask_bits, na_shift, na_bits, b_shift, b_bits, a_shift, a_bits, t_shift = fields.unpackers()
    mask = p & mask_bits
    count = np.bitwise_count(mask).astype(np.int64)
    nas = (p >> na_shift) & na_bits
    return mask, count, nas, (p >> b_shift) & b_bits, (p >> a_shift) & a_bits, p >> t_shift


def _add_spread(spread: dict[int, list[int]], b: NDArray[np.int64], a: NDArray[np.int64]) -> None:
    if b.size == 0:
        return
    keys, inverse, counts = np.unique(b, return_inverse=True, return_counts=True)
    sum_a = np.zeros(keys.size, dtype=np.int64)
    sum_a2 = np.zeros(keys.size, dtype=np.int64)
    np.add.at(sum_a, inverse, a)
    np.add.at(sum_a2, inverse, a * a)
    for key, k, s, s2 in zip(
        keys.tolist(), counts.tolist(), sum_a.tolist(), sum_a2.tolist(), strict=True
    ):
        bucket = spread.get(key)
        if bucket is None:
            spread[key] = [k, s, s2]
        else:
            bucket[0] += k
            bucket[1] += s
            bucket[2] += s2


def _add_alpha(
    tally: Tally,
    d: int,
    items: tuple[int, ...],
    mask: NDArray[np.int64],
    total: NDArray[np.int64],
    block: NDArray[np.uint8],
    table: _Codes,
) -> None:
    """Cronbach's sums of the respondents who answered every item of the block's union."""
    union = int(np.bitwise_or.reduce(mask)) if mask.size else 0
    merged = tally.alpha_mask[d] | union
    if tally.alpha_mask[d] != merged:
        tally.alpha_mask[d] = merged
        tally.restart_alpha(d, items)
    if union != merged:
        return  # the tally already has an item nobody in this block answered
    complete = mask == union
    n_complete = int(np.count_nonzero(complete))
    tally.alpha_n[d] += n_complete
    if not union or not n_complete:
        return
    kept_total = total[complete]
    tally.alpha_t2[d] += int(kept_total @ kept_total)
    kept = table.value[block[complete]]
    sums = kept.sum(axis=0).tolist()
    squares = (kept * kept).sum(axis=0).tolist()
    for j, i in enumerate(items):
        if union >> j & 1:
            tally.alpha_sum[i] += sums[j]
            tally.alpha_sq[i] += squares[j]


def mask_audience(
    plan: Plan, codes: NDArray[np.uint8], meanings: Sequence[Code], roles: Sequence[str | None]
) -> tuple[NDArray[np.uint8], list[Code]]:
    """``codes`` with every answer given from outside its item's audience replaced by a code
    meaning :data:`~tra_assess.scoring.tally.OUTSIDE`, as :func:`~tra_assess.scoring.tally.
    marked_values` does row by row; ``codes`` is not changed."""
    outside = {role: plan.outside(role) for role in set(roles) if role}
    if not any(outside.values()):
        return codes, list(meanings)
    meanings = [*meanings, OUTSIDE]
    if len(meanings) > 256:
        raise ValueError("too many codes to mark the audience")
    code = np.uint8(len(meanings) - 1)
    answered = np.array([m is not None for m in meanings], dtype=bool)
    number = {role: k for k, role in enumerate((r for r, ids in outside.items() if ids), 1)}
    left_out = np.zeros((len(number) + 1, codes.shape[1]), dtype=bool)  # row 0: nothing
    for role, k in number.items():
        left_out[k, [plan.index[item_id] for item_id in outside[role]]] = True
    of_role = {role: number.get(role, 0) if role else 0 for role in set(roles)}
    which = np.fromiter(map(of_role.__getitem__, roles), dtype=np.intp, count=len(roles))
    hidden = left_out[which]  # per respondent, the items outside their role's audience
    hidden &= answered[codes]
    masked = np.where(hidden, code, codes)
    return masked, meanings


__all__ = ["ARRAY_ROWS", "Code", "add_codes", "fits", "mask_audience"]
