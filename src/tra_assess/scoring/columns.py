"""Adding a block of respondents to a :class:`~tra_assess.scoring.tally.Tally` column by column.

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

import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from typing import Any

from tra_assess.scoring.tally import NA_NOTED, OUTSIDE, Plan, Tally

Cell = Any  # a raw cell (a CSV text) or an answer value; hashable
Column = Sequence[Cell]


def add_columns(
    tally: Tally,
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    rows: int,
    counts: Sequence[Mapping[Cell, int] | None] | None = None,
    notes: Sequence[Column | None] | None = None,
    roles: Sequence[str | None] | None = None,
) -> None:
    """Add ``rows`` respondents given column-wise.

    ``columns[i]`` holds item ``i``'s cell for every respondent (None: the item has no
    column, nobody answered it). ``translate`` maps every cell that occurs to its answer: a
    scale value, ``"na"``, ``"unknown"``, or None for unanswered. ``counts[i]``, when given,
    is ``Counter(columns[i])``, already computed by the caller. ``roles`` is each
    respondent's role (None: no role), for the items' audiences. ``notes[i]``, when given,
    holds item ``i``'s evidence note cell per respondent (a non-blank text is a note).
    """
    if rows <= 0:
        return
    if roles is not None and plan.audiences:
        columns, translate, counts = mask_audience(plan, columns, translate, counts, roles)
    if notes is not None:
        add_noted(tally, plan, columns, translate, notes)
    if min(plan.scale_values) < 0:
        add_rows(tally, plan, columns, translate, range(rows))
        return
    block = _Block(tally, plan, columns, rows)
    block.count_items(translate, counts)
    for d, items in enumerate(plan.domain_items):
        block.add_domain(d, items)
    block.add_contributors()


Answers = dict[Cell, int | str | None]  # a column's distinct cells and their answers


class _Outside:
    """The cell put in place of an answer given from outside the item's audience."""

    def __repr__(self) -> str:
        return "<outside the audience>"


OUTSIDE_CELL: Cell = _Outside()


def mask_audience(
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    counts: Sequence[Mapping[Cell, int] | None] | None,
    roles: Sequence[str | None],
) -> tuple[list[Column | None], dict[Cell, int | str | None], list[Mapping[Cell, int] | None]]:
    """The columns with every answer from outside its item's audience replaced by
    :data:`OUTSIDE_CELL` (which translates to :data:`~tra_assess.scoring.tally.OUTSIDE`), as
    :func:`~tra_assess.scoring.tally.marked_values` does row by row."""
    outside = {role: plan.outside(role) for role in set(roles) if role}
    masked = list(columns)
    new_counts: list[Mapping[Cell, int] | None] = (
        list(counts) if counts is not None else [None] * len(columns)
    )
    for i, column in enumerate(columns):
        item_id = plan.item_ids[i]
        if column is None or i not in plan.audiences:
            continue
        rows = [r for r, role in enumerate(roles) if role and item_id in outside[role]]
        if not rows:
            continue
        cells = list(column)
        for r in rows:
            if translate[cells[r]] is not None:
                cells[r] = OUTSIDE_CELL
        masked[i] = cells
        new_counts[i] = None
    return masked, {**translate, OUTSIDE_CELL: OUTSIDE}, new_counts


class Fields:
    """Bit layout of a domain's packed per-respondent integer (low to high):
    answered-item mask | na count | weight sum | weighted value sum | plain value sum."""

    def __init__(self, weights: Sequence[int], top_value: int) -> None:
        k = len(weights)
        self.mask = (1 << k) - 1
        self.nas = k
        self.b = self.nas + k.bit_length()
        self.a = self.b + sum(weights).bit_length()
        self.total = self.a + (sum(weights) * top_value).bit_length()

    def pack(self, bit: int, weight: int, value: int | str | None, na_counts: bool) -> int:
        """``na_counts``: whether a plain na counts as na for the item (SPEC section 4)."""
        if value.__class__ is int:
            return bit | weight << self.b | (weight * value) << self.a | value << self.total
        if value == NA_NOTED or (value == "na" and na_counts):
            return 1 << self.nas
        return 0

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


class _Block:
    """One call of :func:`add_columns`: the tally, the columns and what was learnt of them."""

    def __init__(self, tally: Tally, plan: Plan, columns: Sequence[Column | None], rows: int):
        self.tally = tally
        self.plan = plan
        self.columns = columns
        self.rows = rows
        self.top = max(plan.scale_values)
        self.answers: list[Answers | None] = []
        self.row_domains: list[int] | None = None  # per respondent: domains with a number

    def count_items(
        self,
        translate: Mapping[Cell, int | str | None],
        counts: Sequence[Mapping[Cell, int] | None] | None,
    ) -> None:
        """Distribution, na and unknown counts per item; each column's distinct cells."""
        tally, plan = self.tally, self.plan
        dist, na, unknown = tally.dist, tally.na, tally.unknown
        scale_pos = plan.scale_pos
        width = plan.n_scale
        self.tally.n += self.rows
        for i, column in enumerate(self.columns):
            if column is None:
                self.answers.append(None)
                continue
            given = counts[i] if counts is not None else None
            counted = given if given is not None else Counter(column)
            seen: Answers = {}
            base = i * width
            for cell, k in counted.items():
                value = seen[cell] = translate[cell]
                if value is None:
                    continue
                if value.__class__ is int:
                    dist[base + scale_pos[value]] += k
                elif value == "na":
                    na[i] += k
                elif value == "unknown":
                    unknown[i] += k
                elif value == NA_NOTED:
                    na[i] += k
                    tally.na_noted[i] += k
                else:
                    tally.out_of_audience[i] += k
            self.answers.append(seen)

    def add_domain(self, d: int, items: tuple[int, ...]) -> None:
        """Each respondent's own domain score (for the spread), then Cronbach's sums."""
        plan, first = self.plan, items[0]
        fields = Fields([plan.item_weight[i] for i in items], self.top)
        packed_columns = []
        for i in items:
            answers, column = self.answers[i], self.columns[i]
            if answers is None or column is None:
                continue
            bit, weight, counts_na = 1 << (i - first), plan.item_weight[i], plan.na_counts[i]
            packing = {
                cell: fields.pack(bit, weight, value, counts_na) for cell, value in answers.items()
            }
            packed_columns.append(map(packing.__getitem__, column))
        per_row: list[int] = []
        combos: Mapping[int, int] = {0: self.rows}  # nobody answered: all-zero fields
        if packed_columns:
            per_row = list(map(sum, zip(*packed_columns, strict=True)))
            combos = Counter(per_row)
            self.mark_domain(d, fields.mask, per_row, combos)

        spread = self.tally.spread[d]
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
        self.add_alpha(d, items, fields, union, per_row, combos)

    def mark_domain(self, d: int, mask: int, per_row: list[int], combos: Mapping[int, int]) -> None:
        """Set bit ``d`` of each respondent's domain mask when they gave a number there."""
        bit = 1 << d
        flag = {p: bit if p & mask else 0 for p in combos}
        if not any(flag.values()):
            return
        marks = map(flag.__getitem__, per_row)
        if self.row_domains is None:
            self.row_domains = list(marks)
        else:
            self.row_domains = list(map(operator.or_, self.row_domains, marks))

    def add_contributors(self) -> None:
        """The block's respondents per domain mask into the tally (see :class:`Tally`)."""
        if self.row_domains is None:
            return
        contributors = self.tally.contributors
        for domains, k in Counter(self.row_domains).items():
            if domains:
                contributors[domains] = contributors.get(domains, 0) + k

    def add_alpha(
        self,
        d: int,
        items: tuple[int, ...],
        fields: Fields,
        union: int,
        per_row: list[int],
        combos: Mapping[int, int],
    ) -> None:
        """Cronbach's sums of the block (respondents who answered every item of the block's
        union), merged as :meth:`Tally.merge` merges them."""
        tally = self.tally
        merged = tally.alpha_mask[d] | union
        if tally.alpha_mask[d] != merged:
            tally.alpha_mask[d] = merged
            tally.restart_alpha(d, items)
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
        flags = None if complete == self.rows else [p & fields.mask == union for p in per_row]
        shift = (self.top * self.rows).bit_length() + 1  # Σ value never reaches this bit
        low = (1 << shift) - 1
        first = items[0]
        for i in items:
            answers, column = self.answers[i], self.columns[i]
            if not union >> (i - first) & 1 or answers is None or column is None:
                continue
            squares = {
                cell: (value * value) << shift | value if value.__class__ is int else 0
                for cell, value in answers.items()
            }
            values = map(squares.__getitem__, column)
            s = sum(values) if flags is None else sum(compress(values, flags))
            tally.alpha_sum[i] += s & low
            tally.alpha_sq[i] += s >> shift


def add_noted(
    tally: Tally,
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    notes: Sequence[Column | None],
) -> None:
    """Count the ratings that carry an evidence note (what :meth:`Tally.add_noted` counts
    row by row): per item, the respondents with a non-blank note and a numeric answer."""
    width = plan.n_scale
    noted, scale_pos = tally.noted, plan.scale_pos
    for i, (column, note_column) in enumerate(zip(columns, notes, strict=False)):
        if column is None or note_column is None:
            continue
        for cell, note in zip(column, note_column, strict=False):
            if note is None or not str(note).strip():
                continue
            value = translate[cell]
            if value.__class__ is int:
                noted[i * width + scale_pos[value]] += 1


def add_rows(
    tally: Tally,
    plan: Plan,
    columns: Sequence[Column | None],
    translate: Mapping[Cell, int | str | None],
    positions: Iterable[int],
) -> None:
    """Add the respondents at ``positions`` of the columns one at a time (for scales with
    negative values, which cannot be packed, and for many small groups)."""
    present = [(plan.item_ids[i], column) for i, column in enumerate(columns) if column is not None]
    for r in positions:
        values: dict[str, int | str] = {}
        for item_id, column in present:
            value = translate[column[r]]
            if value is not None:
                values[item_id] = value
        tally.add_checked(values, plan)
