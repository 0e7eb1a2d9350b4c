"""Large plain CSV/TSV tables read as code matrices (the numpy path of a wide table).

:meth:`~tra_assess.sources.exports.tables.TableReader.parts` hands the data region of a large
wide table (everything below the header) to :func:`code_parts`. The region is cut into pieces
of whole lines; each piece is located and coded by :mod:`~tra_assess.sources.exports.fastcsv`
(no Python step per cell). A region with a quote or a carriage return inside a line is not
read here at all; from the first piece with a line that is not one record of the header's
width (a short row, a row written with another delimiter, a blank line), the table's own CSV
reader reads the rest (:class:`Rest`), exactly as it reads a table from the start. Within a
plain piece, the rows are checked in
runs of :data:`~tra_assess.sources.exports.blocks.BLOCK_ROWS`, with the same checks as
:func:`~tra_assess.sources.exports.blocks.build_block`: every distinct cell a valid answer or
blank, every row with an answer, every date valid. A run that fails a check is read row by
row (so its problems keep their row and column); runs that pass become one
:class:`CodeBlock`: one answer code per respondent and item, what each code means, and the
metadata per row.

Only tables with a respondent id column and no Qualtrics status column come here (the
others need a look at every row: fingerprints of id-less rows, the status warning).
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tra_assess.sources.answers import Value
from tra_assess.sources.exports import blocks
from tra_assess.sources.exports.blocks import MetaBlock, Rest
from tra_assess.sources.exports.csvtext import lines
from tra_assess.sources.exports.fastcsv import (
    MAX_CODES,
    Spans,
    code_cells,
    keep_freed_memory,
    locate,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from tra_assess.sources.exports.layout import Layout, RowReader


@dataclass
class CodeBlock(MetaBlock):
    """Checked rows of a wide table as a code matrix (see the module docstring)."""

    numbers: range
    codes: NDArray[np.uint8]  # rows x questionnaire items (an item without a column: blank)
    meanings: list[Value | None]  # per code: the answer (None: unanswered)
    meta: dict[str, list[str]]
    assessed_on: str | None
    source: tuple[bytes, int, int, str]  # the piece, the block's byte range, the delimiter

    def rows(self) -> list[list[str]]:
        """The block's rows as the CSV reader gives them (to read them row by row when that
        is needed after all)."""
        data, start, end, delimiter = self.source
        text = data[start:end].decode("utf-8")
        return list(csv.reader(lines(text), delimiter=delimiter, strict=False))


Part = tuple[int, list[str]]  # (row number, cells): read row by row


# what the scorer does with a table's second half: given what reads it, the parts to go on
# with after the first half (see TableReader.offload)
Offload = Callable[
    [Callable[[], Iterator["CodeBlock | Part | Rest"]]], Iterable["MetaBlock | Part | Rest"]
]


def code_parts(
    reader: RowReader,
    layout: Layout,
    index: dict[str, int],
    data: memoryview,
    first: int,
    shape: tuple[str, int],
) -> Iterator[CodeBlock | Part | Rest]:
    """The rows of ``data`` (whole plain lines as UTF-8, the last one with or without its
    line end, as :func:`region_bytes` gives them; ``first``: the row number of its first line)
    as code blocks, or one by one where that is needed; a piece with a line that is not one
    record of the header's width ends them with a :class:`Rest`. ``shape``: the delimiter and
    the header's width."""
    keep_freed_memory()
    size = blocks.PIECE_BLOCKS * blocks.BLOCK_ROWS
    buf = np.frombuffer(data, dtype=np.uint8)
    start, row, guess = 0, first, 1 << 20
    while start < buf.size:
        stop, count = _piece_end(buf, start, size, guess)
        piece = bytes(data[start:stop])
        if not piece.endswith(b"\n"):
            piece += b"\n"
        found = yield from _piece(reader, layout, index, piece, row, shape)
        if not found:
            yield Rest(row)
            return
        guess = (stop - start) + ((stop - start) >> 3) + 64  # the next piece, about as long
        start, row = stop, row + count


def _piece_end(buf: NDArray[np.uint8], start: int, size: int, guess: int) -> tuple[int, int]:
    """Where the piece from ``start`` ends (after its ``size``-th line end, or at the end of
    the data) and its number of lines; ``guess``: how many bytes it may take. Only a window
    about one piece long is scanned at a time (no array as large as the data)."""
    while True:
        ends = np.flatnonzero(buf[start : start + guess] == 10)
        if ends.size >= size:
            return start + int(ends[size - 1]) + 1, size
        if start + guess >= buf.size:
            last = start + int(ends[-1]) + 1 if ends.size else start
            return int(buf.size), int(ends.size) + (last < buf.size)
        guess *= 2


def region_bytes(text: str, raw: memoryview | None, span: tuple[int, int]) -> memoryview:
    """The lines of ``text[lo:hi]`` (``span``; whole lines, checked plain by
    :func:`~tra_assess.sources.exports.csvtext.plain_lines`) as UTF-8: a view of ``raw``, the
    file's own bytes, when they are the text's encoding offset for offset (an ASCII text),
    else the text encoded."""
    lo, hi = span
    if raw is not None:
        return raw[lo:hi]
    return memoryview(text[lo:hi].encode("utf-8"))


def _piece(
    reader: RowReader,
    layout: Layout,
    index: dict[str, int],
    data: bytes,
    first: int,
    shape: tuple[str, int],
) -> Generator[CodeBlock | Part, None, bool]:
    """A piece's rows as code blocks or one by one; False (nothing given) when some line of
    it is not one record of the header's width."""
    delimiter, width = shape
    spans = locate(data, delimiter, width)
    if spans is None:
        return False
    coded = code_cells(spans, [col for col, _ in layout.items])
    if coded is None:
        yield from _plain_rows(data.decode("utf-8"), delimiter, first)
        return True
    cells, texts = coded
    meanings, bad = _meanings(reader, texts)
    if meanings is None:
        yield from _plain_rows(data.decode("utf-8"), delimiter, first)
        return True
    targets = [index[item_id] for _, item_id in layout.items]
    if targets == list(range(len(index))):  # every item has a column, in questionnaire order
        codes = cells
    else:
        codes = np.full((spans.rows, len(index)), len(meanings) - 1, dtype=np.uint8)
        codes[:, targets] = cells
    answered = np.array([m is not None for m in meanings], dtype=bool)
    row_bad = ~np.asarray(answered[cells].any(axis=1))  # a row without an answer
    if bad:  # a cell that is not an answer
        row_bad |= np.isin(cells, list(bad)).any(axis=1)
    meta = {name: list(map(str.strip, spans.texts(col))) for col, name in layout.meta}
    run = 0  # first row of the current run of clean blocks
    for lo in range(0, spans.rows, blocks.BLOCK_ROWS):
        hi = min(lo + blocks.BLOCK_ROWS, spans.rows)
        if row_bad[lo:hi].any() or _bad_dates(reader, meta, lo, hi):
            if run < lo:
                yield _block(spans, codes, meanings, meta, (run, lo), first, reader, delimiter)
            text = data[int(spans.starts[lo, 0]) : _end(spans, data, hi)].decode("utf-8")
            yield from _plain_rows(text, delimiter, first + lo)  # the row reader words it
            run = hi
    if run < spans.rows:
        yield _block(spans, codes, meanings, meta, (run, spans.rows), first, reader, delimiter)
    return True


def _end(spans: Spans, data: bytes, hi: int) -> int:
    return int(spans.starts[hi, 0]) if hi < spans.rows else len(data)


def _meanings(reader: RowReader, texts: list[str]) -> tuple[list[Value | None] | None, set[int]]:
    """Each code's answer (a blank code last), and the codes that are not answers."""
    meanings: list[Value | None] = []
    bad: set[int] = set()
    for code, text in enumerate(texts):
        value = reader.value(text) if text else ""
        if isinstance(value, str) and value.startswith("!"):
            bad.add(code)
            value = ""
        meanings.append(None if value == "" else value)
    if len(meanings) >= MAX_CODES + 1:
        return None, bad
    meanings.append(None)  # for the items without a column
    return meanings, bad


def _bad_dates(reader: RowReader, meta: dict[str, list[str]], lo: int, hi: int) -> bool:
    dates = meta.get("assessed_on")
    if dates is None:
        return False
    return None in {reader.date(text) for text in set(dates[lo:hi]) if text}


def _block(
    spans: Spans,
    codes: NDArray[np.uint8],
    meanings: list[Value | None],
    meta: dict[str, list[str]],
    rows: tuple[int, int],
    first: int,
    reader: RowReader,
    delimiter: str,
) -> CodeBlock:
    lo, hi = rows
    part = {name: texts[lo:hi] for name, texts in meta.items()}
    latest = None
    dates = part.get("assessed_on")
    if dates is not None:
        found = {reader.date(text) for text in set(dates) if text} - {""}
        latest = max(found, key=_dt.date.fromisoformat, default=None)  # type: ignore[arg-type]
    data = spans.data
    where = (data, int(spans.starts[lo, 0]), _end(spans, data, hi), delimiter)
    return CodeBlock(range(first + lo, first + hi), codes[lo:hi], meanings, part, latest, where)


def _plain_rows(text: str, delimiter: str, first: int) -> Iterator[Part]:
    """Rows of whole plain lines (see :func:`plain_region`)."""
    reader = csv.reader(lines(text), delimiter=delimiter, strict=False)
    yield from enumerate(reader, start=first)


__all__ = [
    "CodeBlock",
    "Offload",
    "Part",
    "Rest",
    "code_parts",
    "region_bytes",
]
