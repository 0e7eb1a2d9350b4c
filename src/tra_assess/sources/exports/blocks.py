"""Blocks of wide-table rows that can be scored column by column.

:class:`~tra_assess.sources.exports.tables.TableReader` gathers the rows of a wide table a few
thousand at a time. When every answer cell of those rows is blank or a valid answer, every row
has at least one answer, and the metadata cells are valid, the rows become one
:class:`WideBlock`: the item columns, their cell counts and translations, and the stripped
metadata per row. Anything else (a cell that is not an answer, a bad date, a row without
answers) sends the rows back through the row-by-row reader, which words the problems; so a
block never changes what is accepted, rejected or warned about.
"""

from __future__ import annotations

import datetime as _dt
import operator
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tra_assess.sources.answers import Value

if TYPE_CHECKING:
    from tra_assess.sources.exports.layout import Layout, RowReader

BLOCK_ROWS = 4096
ARRAY_ROWS = 2_000  # a CSV of fewer lines than this is not worth importing numpy for


def array_rows() -> int | None:
    """The lines from which a plain CSV is read as code matrices (numpy); None: never.
    ``TRA_ASSESS_ARRAY_ROWS`` sets it (``off``: never; ``1``: every table, as the tests run
    both paths)."""
    return _setting("TRA_ASSESS_ARRAY_ROWS", ARRAY_ROWS)


BLOCK_CELLS = 400_000  # and at most about this many cells (rows may be very long)
SPLIT_ROWS = 20_000  # a coded table of at least this many lines is read as two halves


def split_rows() -> int | None:
    """The lines from which a coded table is read as two halves, the second of them in
    another process when the scorer has a core for it; None: never. ``TRA_ASSESS_SPLIT_ROWS``
    sets it (``off``: never; ``1``: every table of two pieces or more, as the tests run)."""
    return _setting("TRA_ASSESS_SPLIT_ROWS", SPLIT_ROWS)


PIECE_BLOCKS = 2  # blocks of lines the code path locates at once (bounds its arrays' memory)


def halves_at(lines: int) -> int | None:
    """Where a coded region of ``lines`` lines is cut in two: after the piece boundary (the
    pieces the code path reads whole) nearest below its middle; None when it is too small to
    be worth it (:func:`split_rows`). The cut depends on the table alone."""
    threshold = split_rows()
    size = PIECE_BLOCKS * BLOCK_ROWS
    if threshold is None or lines < max(threshold, 2 * size):
        return None
    return max(size, lines // 2 // size * size)


def _setting(name: str, default: int) -> int | None:
    setting = os.environ.get(name, "").strip().lower()
    if not setting:
        return default
    if setting == "off":
        return None
    try:
        return max(0, int(setting))
    except ValueError:
        return default


class MetaBlock:
    """What every block of table rows carries besides its answers: row numbers and the
    stripped metadata per row."""

    numbers: Sequence[int]  # spreadsheet row numbers
    meta: dict[str, list[str]]  # metadata field -> each row's stripped text ("" = none)
    assessed_on: str | None  # the latest date in the block

    def __len__(self) -> int:
        return len(self.numbers)

    def texts(self, name: str) -> list[str] | None:
        return self.meta.get(name)

    def group_values(self, field_name: str) -> list[str | None] | None:
        """Each row's value for ``--group-by field_name`` (None: unspecified), as
        :meth:`~tra_assess.sources.answers.Response.group_value` gives it; None when the table has
        no column for that field (everyone is unspecified)."""
        if field_name == "assessed_on":
            return None
        texts = self.meta.get(field_name)
        if texts is None:
            return None
        return [text or None for text in texts]

    def fields(self) -> set[str]:
        """The fields somebody in the block has: respondent fields, organization, mode."""
        return {name for name, texts in self.meta.items() if name != "assessed_on" and any(texts)}


@dataclass
class WideBlock(MetaBlock):
    """Rows of a wide table, checked, as columns (see the module docstring)."""

    numbers: list[int]  # spreadsheet row numbers
    rows: list[list[str]]  # as read, for reading them row by row when needed
    columns: list[tuple[str, ...] | None]  # per questionnaire item (None: no column)
    counts: list[Counter[str] | None]
    translate: dict[str, Value | None]
    meta: dict[str, list[str]]
    assessed_on: str | None


@dataclass(frozen=True)
class Rest:
    """Where a table's code path ends (:mod:`~tra_assess.sources.exports.columnar`): the rows
    from ``row`` to the table's end are read by the table's own CSV reader, because a line
    there is not one record of the header's width (every line before it was)."""

    row: int


def blockable(layout: Layout) -> bool:
    """Blocks need one column per item and per metadata field (else: row by row, where the
    first non-empty column wins)."""
    items = [item_id for _, item_id in layout.items]
    fields = [name for _, name in layout.meta]
    return len(set(items)) == len(items) and len(set(fields)) == len(fields)


def full_width(layout: Layout) -> int:
    return max(col for col, _ in [*layout.items, *layout.meta]) + 1


def build_block(
    reader: RowReader,
    layout: Layout,
    index: dict[str, int],
    numbers: list[int],
    rows: list[list[str]],
) -> WideBlock | None:
    """The rows as a block, or None when some row must be read row by row. Every row has at
    least :func:`full_width` cells."""

    used = [col for col, _ in (*layout.items, *layout.meta)]
    pick = operator.itemgetter(*used, used[0])  # a tuple even for one column (cut below)
    # only the used columns are transposed: a row may carry many more cells
    by_column = dict(zip(used, zip(*map(pick, rows), strict=False), strict=False))
    columns: list[tuple[str, ...] | None] = [None] * len(index)
    counts: list[Counter[str] | None] = [None] * len(index)
    translate: dict[str, Value | None] = {}
    for col, item_id in layout.items:
        column = columns[index[item_id]] = by_column[col]
        counted = counts[index[item_id]] = Counter(column)
        for cell in counted:
            if cell in translate:
                continue
            value = reader.value(cell) if cell else ""
            if isinstance(value, str) and value.startswith("!"):
                return None  # not an answer: the row reader words the problem
            translate[cell] = None if value == "" else value  # blank-looking: unanswered
    if None in translate.values() and _has_unanswered_row(columns, counts, translate):
        return None  # a row without answers: skipped (and counted) row by row
    meta = {name: list(map(str.strip, by_column[col])) for col, name in layout.meta}
    dates = meta.get("assessed_on")
    latest = None
    if dates is not None:
        found = {reader.date(text) for text in set(dates) if text} - {""}
        if None in found:
            return None
        latest = max(found, key=_dt.date.fromisoformat, default=None)  # type: ignore[arg-type]
    return WideBlock(numbers, rows, columns, counts, translate, meta, latest)


def _has_unanswered_row(
    columns: list[tuple[str, ...] | None],
    counts: list[Counter[str] | None],
    translate: dict[str, Value | None],
) -> bool:
    """Whether some row has no answer at all: only the rows unanswered in the column with the
    fewest unanswered cells need a look."""
    blank = {cell for cell, value in translate.items() if value is None}
    present = [(sum(c[cell] for cell in blank), n) for n, c in enumerate(counts) if c is not None]
    fewest, n = min(present)
    if not fewest:
        return False
    others = [column for column in columns if column is not None]
    column = columns[n]
    assert column is not None
    return any(
        all(other[row] in blank for other in others)
        for row, cell in enumerate(column)
        if cell in blank
    )


def respondent_ids(block: MetaBlock) -> Sequence[tuple[int, str]]:
    """(position in the block, id) of the rows that have a respondent id."""
    texts = block.texts("id")
    if texts is None:
        return ()
    return [(n, rid) for n, rid in enumerate(texts) if rid]


def mode_counts(block: MetaBlock) -> dict[str, int]:
    texts = block.texts("mode")
    if texts is None:
        return {}
    counted = Counter(texts)
    counted.pop("", None)
    return dict(counted)


def organizations(block: MetaBlock) -> set[str]:
    texts = block.texts("organization")
    return set() if texts is None else set(texts) - {""}


__all__ = [
    "ARRAY_ROWS",
    "BLOCK_CELLS",
    "BLOCK_ROWS",
    "SPLIT_ROWS",
    "MetaBlock",
    "Rest",
    "WideBlock",
    "array_rows",
    "blockable",
    "build_block",
    "full_width",
    "mode_counts",
    "organizations",
    "respondent_ids",
    "split_rows",
]
