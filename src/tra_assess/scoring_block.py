"""Adding a block of respondents to a :class:`~tra_assess.scoring_state.Tally` column by column.

The wide-table fast path. A table hands over its rows a few thousand at a time, as one column
of raw cells per item. Instead of a Python step per answer:

- each item's column is counted (``collections.Counter``, in C) and the few distinct cells
  give the item's distribution, ``na`` and ``unknown`` counts;
- each item's cells are mapped to one *packed* integer per respondent, whose bit fields hold
  what the domain needs: the answered-item bit, the ``na`` count, the weight and the weighted
  value (score denominator and numerator) and the plain value (for Cronbach's total). The
  fields are wide enough that adding up a respondent's packed values over the domain's items
  never carries from one field into the next, so ``map(sum, zip(*columns))`` (in C) gives
  every respondent's domain figures at once;
- counting those per-respondent integers leaves one Python step per *distinct* combination.

The state reached is exactly the one :meth:`Tally.add_checked` reaches row by row, in any order
(tests/test_scoring_block.py checks this with hypothesis). Packing needs scale values >= 0;
other scales take the row-by-row path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import compress
from typing import Any

from tra_assess.scoring_state import Plan, Tally

Cell = Any  # a raw cell (a CSV text) or an answer value; hashable
Column = Sequence[Cell]


def add_columns(
    tally: Tally,
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    rows: int,
    counts: Sequence[Mapping[Cell, int] | None] | None = None,
) -> None:
    """Add ``rows`` respondents given column-wise.

    ``columns[i]`` holds item ``i``'s cell for every respondent (None: the item has no
    column, nobody answered it). ``translate`` maps every cell that occurs to its answer: a
    scale value, ``"na"``, ``"unknown"``, or None for unanswered. ``counts[i]``, when given,
    is ``Counter(columns[i])``, already computed by the caller.
    """
    if rows <= 0:
        return
    if min(plan.scale_values) < 0:
        _add_rows(tally, plan, columns, translate, rows)
        return
    tally.n += rows
    answers = _count_items(tally, plan, columns, translate, counts)
    for d, items in enumerate(plan.domain_items):
        _add_domain(tally, plan, d, items, columns, answers, rows)


def _count_items(
    tally: Tally,
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    counts: Sequence[Mapping[Cell, int] | None] | None,
) -> list[dict[Cell, int | str | None] | None]:
    """Distribution, na and unknown counts per item; each column's distinct cells, translated."""
    dist, na, unknown = tally.dist, tally.na, tally.unknown
    scale_pos = plan.scale_pos
    width = plan.n_scale
    answers: list[dict[Cell, int | str | None] | None] = []
    for i, column in enumerate(columns):
        if column is None:
            answers.append(None)
            continue
        given = counts[i] if counts is not None else None
        counted = given if given is not None else Counter(column)
        seen: dict[Cell, int | str | None] = {}
        base = i * width
        for cell, k in counted.items():
            value = seen[cell] = translate[cell]
            if value is None:
                continue
            if value.__class__ is int:
                dist[base + scale_pos[value]] += k
            elif value == "na":
                na[i] += k
            else:
                unknown[i] += k
        answers.append(seen)
    return answers


class _Fields:
    """Bit layout of a domain's packed per-respondent integer (low to high):
    answered-item mask | na count | weight sum | weighted value sum | plain value sum."""

    def __init__(self, weights: Sequence[int], top_value: int) -> None:
        k = len(weights)
        self.mask = (1 << k) - 1
        self.nas = k
        self.b = self.nas + k.bit_length()
        self.a = self.b + sum(weights).bit_length()
        self.total = self.a + (sum(weights) * top_value).bit_length()

    def pack(self, bit: int, weight: int, value: int | str | None) -> int:
        if value.__class__ is int:
            return bit | weight << self.b | (weight * value) << self.a | value << self.total
        return 1 << self.nas if value == "na" else 0

    def unpackers(self) -> tuple[int, int, int, int, int, int, int, int]:
        """Shifts and bit masks to read the fields back: (mask bits, na shift, na bits,
        b shift, b bits, a shift, a bits, total shift)."""
        return (
            self.mask,
            self.nas,
            (1 << (self.b - self.nas)) - 1,
            self.b,
            (1 << (self.a - self.b)) - 1,
            self.a,
            (1 << (self.total - self.a)) - 1,
            self.total,
        )


def _add_domain(
    tally: Tally,
    plan: Plan,
    d: int,
    items: tuple[int, ...],
    columns: Sequence[Column | None],
    answers: Sequence[dict[Cell, int | str | None] | None],
    rows: int,
) -> None:
    first = items[0]
    fields = _Fields([plan.item_weight[i] for i in items], max(plan.scale_values))
    present = [i for i in items if answers[i] is not None]
    packed_columns = []
    for i in present:
        bit, weight = 1 << (i - first), plan.item_weight[i]
        packing = {
            cell: fields.pack(bit, weight, value)
            for cell, value in answers[i].items()  # type: ignore[union-attr]
        }
        packed_columns.append(map(packing.__getitem__, columns[i]))  # type: ignore[arg-type]
    per_row: list[int] = list(map(sum, zip(*packed_columns, strict=True))) if present else []
    combos: Mapping[int, int] = Counter(per_row) if present else {0: rows}

    spread = tally.spread[d]
    thresholds = plan.thresholds[d]
    union = 0
    mask_bits, na_shift, na_bits, b_shift, b_bits, a_shift, a_bits, _ = fields.unpackers()
    for p, k in combos.items():
        mask = p & mask_bits
        union |= mask
        if mask and mask.bit_count() >= thresholds[(p >> na_shift) & na_bits]:
            b = (p >> b_shift) & b_bits
            a = (p >> a_shift) & a_bits
            bucket = spread.get(b)
            if bucket is None:
                spread[b] = [k, k * a, k * a * a]
            else:
                bucket[0] += k
                bucket[1] += k * a
                bucket[2] += k * a * a
    _add_alpha(tally, plan, d, items, columns, answers, per_row, combos, fields, union, rows)


def _add_alpha(
    tally: Tally,
    plan: Plan,
    d: int,
    items: tuple[int, ...],
    columns: Sequence[Column | None],
    answers: Sequence[dict[Cell, int | str | None] | None],
    per_row: list[int],
    combos: Mapping[int, int],
    fields: _Fields,
    union: int,
    rows: int,
) -> None:
    """Cronbach's sums of the block (respondents who answered every item of the block's
    union), merged as :meth:`Tally.merge` merges them."""
    merged = tally.alpha_mask[d] | union
    if tally.alpha_mask[d] != merged:
        tally.alpha_mask[d] = merged
        tally._restart_alpha(d, items)
    if union != merged:
        return  # the tally already has an item nobody in this block answered
    complete = 0
    for p, k in combos.items():
        if p & fields.mask == union:
            complete += k
            total = p >> fields.total
            tally.alpha_t2[d] += k * total * total
    tally.alpha_n[d] += complete
    if not union or not complete:
        return
    flags = None if complete == rows else [p & fields.mask == union for p in per_row]
    shift = (max(plan.scale_values) * rows).bit_length() + 1
    low = (1 << shift) - 1
    first = items[0]
    for i in items:
        if not union >> (i - first) & 1:
            continue
        squares = {
            cell: (value * value) << shift | value if value.__class__ is int else 0
            for cell, value in answers[i].items()  # type: ignore[union-attr]
        }
        values = map(squares.__getitem__, columns[i])  # type: ignore[arg-type]
        s = sum(values) if flags is None else sum(compress(values, flags))
        tally.alpha_sum[i] += s & low
        tally.alpha_sq[i] += s >> shift


def _add_rows(
    tally: Tally,
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    rows: int,
) -> None:
    """Row by row (scales with negative values, which cannot be packed)."""
    present = [(plan.item_ids[i], column) for i, column in enumerate(columns) if column is not None]
    for r in range(rows):
        values: dict[str, int | str] = {}
        for item_id, column in present:
            value = translate[column[r]]
            if value is not None:
                values[item_id] = value
        tally.add_checked(values, plan)
