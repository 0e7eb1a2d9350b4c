"""Large, plain CSV exports read with numpy: cells located and coded without a Python step
per cell.

Most large exports are plain below the header: no quote characters, one record per line, the
same number of cells on every line. For those, the positions of every delimiter and line end
give every cell's span at once, and each item cell's answer code comes from its bytes: cells
of up to two bytes (``3``, ``na``, blank) through a lookup table, cells of up to eight bytes
through an exact 64-bit key, longer cells through Python (rare: labels). The distinct cells are
then read by the caller's own cell reader, so what counts as an answer is exactly what the
row-by-row reader says.

Anything else (a quote, a bare carriage return, a line of another length, a blank line) makes
:func:`locate` return None, and the table is read row by row as before: this module only ever
changes how fast a table is read, never what is read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

MAX_CODES = 255  # distinct item cells a table may have to be coded in uint8


@dataclass
class Spans:
    """Every cell of a plain table region: ``starts[r, c]`` and ``ends[r, c]`` are byte
    offsets into ``data`` of row ``r``'s cell ``c``."""

    data: bytes
    starts: NDArray[np.int32]
    ends: NDArray[np.int32]

    @property
    def rows(self) -> int:
        return int(self.starts.shape[0])

    def texts(self, column: int) -> list[str]:
        """One column's cells as text (for metadata: ids, roles, dates): gathered into one
        buffer, a line end after each cell (no cell of a plain region holds one), decoded and
        split at once."""
        starts = self.starts[:, column].astype(np.int64)
        lengths = self.ends[:, column].astype(np.int64) - starts
        if not self.rows:
            return []
        total = int(lengths.sum())
        before = np.cumsum(lengths) - lengths  # each cell's first byte in the gathered cells
        source = np.repeat(starts - before, lengths) + np.arange(total, dtype=np.int64)
        out = np.full(total + self.rows, 10, dtype=np.uint8)
        target = np.arange(total, dtype=np.int64) + np.repeat(np.arange(self.rows), lengths)
        out[target] = np.frombuffer(self.data, dtype=np.uint8)[source]
        return out[:-1].tobytes().decode("utf-8").split("\n")


_MEMORY_KEPT = False
# glibc's mallopt parameters (malloc.h) and the values set: its own dynamic mmap threshold
# stops at 32 MB on 64-bit systems; memory at the top of the heap is given back above 64 MB
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD, _TRIM_THRESHOLD = 32 << 20, 64 << 20


def keep_freed_memory() -> None:
    """Let the process reuse the memory of the arrays it frees (glibc on Linux; elsewhere
    nothing).

    Every piece of a large table allocates and frees arrays of a few MB. By default glibc
    maps each one fresh from the kernel and unmaps it on free, so every piece pays a page
    fault per 4 KB page again; on a virtual machine that doubled the time of coding the cells
    (measured: 250-350 ms instead of 115-155 ms per 100,000 rows). glibc raises its threshold
    by itself after the first large free, so whether it happened depended on the order of
    allocations; setting it here makes it so. The memory a table's arrays held stays with the
    process (below 64 MB at the heap's top) and is used again for the next piece."""
    global _MEMORY_KEPT
    if _MEMORY_KEPT:
        return
    _MEMORY_KEPT = True
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        return
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
    mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)


def locate(data: bytes, delimiter: str, width: int) -> Spans | None:
    """The spans of a region of whole lines with ``width`` cells each, or None when the region
    is not plain (see the module docstring). ``data`` must end with a line end."""
    if not data or len(delimiter) != 1 or data.find(b'"') >= 0 or not data.endswith(b"\n"):
        return None
    if len(data) >= 1 << 31:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    newline = buf == 10
    breaks = np.flatnonzero(newline | (buf == ord(delimiter))).astype(np.int32)
    if breaks.size % width:
        return None
    rows = breaks.size // width
    grid = breaks.reshape(rows, width)
    line_ends = grid[:, -1]
    # every line's last break a line end, and no other line end (a line with fewer cells)
    if not newline[line_ends].all() or int(np.count_nonzero(newline)) != rows:
        return None
    carriage = buf[line_ends - 1] == 13 if rows else np.zeros(0, dtype=bool)
    if int(np.count_nonzero(buf == 13)) != int(np.count_nonzero(carriage)):
        return None  # a carriage return inside a line: the row reader decides what it is
    starts = np.empty((rows, width), dtype=np.int32)
    starts[:, 1:] = grid[:, :-1] + 1
    starts[0, 0] = 0
    starts[1:, 0] = line_ends[:-1] + 1
    ends = grid.copy()
    ends[:, -1] -= carriage
    if rows and (ends[:, -1] < starts[:, -1]).any():
        return None
    if width == 1 and (ends[:, 0] == starts[:, 0]).any():
        return None  # blank lines: records the csv module would not give
    return Spans(data, starts, ends)


def _at_every_byte(buf: NDArray[np.uint8], dtype: str) -> NDArray[Any]:
    """A view of ``buf`` with one little-endian integer of ``dtype`` starting at every byte
    offset (unaligned reads; the last ``itemsize - 1`` bytes of ``buf`` are padding)."""
    size = np.dtype(dtype).itemsize
    view: NDArray[Any] = np.ndarray((buf.size - size + 1,), dtype=dtype, buffer=buf, strides=(1,))
    return view


def code_cells(spans: Spans, columns: list[int]) -> tuple[NDArray[np.uint8], list[str]] | None:
    """Each cell of ``columns`` as a code, and the text of each code; None when the columns
    hold more than :data:`MAX_CODES` distinct cells."""
    data = spans.data
    buf = np.frombuffer(data + b"\0" * 8, dtype=np.uint8)
    lo, hi = (columns[0], columns[-1] + 1) if columns else (0, 0)
    if columns == list(range(lo, hi)):  # the usual export: the items side by side (views)
        starts, ends = spans.starts[:, lo:hi], spans.ends[:, lo:hi]
    else:
        starts, ends = spans.starts[:, columns], spans.ends[:, columns]
    lengths = ends - starts
    # one key per cell: its length (3 for any longer cell) and the two bytes it starts with
    # (read as one; past a short cell's end they are the bytes after it, which the key's
    # length says to ignore, so one text can have several keys)
    keys = np.minimum(lengths, 3)
    keys <<= 16
    keys |= np.take(_at_every_byte(buf, "<u2"), starts)
    counted = np.bincount(keys.ravel(), minlength=4 << 16)
    texts: list[str] = []
    known: dict[str, int] = {}
    table = np.zeros(4 << 16, dtype=np.uint8)
    for key in np.flatnonzero(counted[: 3 << 16]).tolist():
        length = key >> 16
        text = bytes([key & 0xFF, key >> 8 & 0xFF][:length]).decode("utf-8", "replace")
        code = _code_of(text, known, texts)
        if code < 0:
            return None
        table[key] = code
    codes = table[keys]
    if counted[3 << 16 :].any() and not _code_long(buf, data, starts, lengths, codes, texts, known):
        return None
    return codes, texts


_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)], dtype=np.uint64)


def _code_long(
    buf: NDArray[np.uint8],
    data: bytes,
    starts: NDArray[np.int32],
    lengths: NDArray[np.int32],
    codes: NDArray[np.uint8],
    texts: list[str],
    known: dict[str, int],
) -> bool:
    """Code the cells longer than two bytes: up to seven bytes by an exact key (the bytes
    and the length), longer ones by their text."""
    where = np.flatnonzero(lengths >= 3)  # lengths and codes are C-contiguous
    s = np.take(np.ascontiguousarray(starts), where)
    n = np.take(lengths, where)
    packed = n <= 7
    fill = np.minimum(n, 7)
    words = np.take(_at_every_byte(buf, "<u8"), s) & _LOW_BYTES[fill]
    key = (words | fill.astype(np.uint64) << np.uint64(56)).view(np.int64)
    key[~packed] = -1
    result = np.zeros(s.shape, dtype=np.int64)
    if packed.any():
        distinct, inverse = np.unique(key[packed], return_inverse=True)
        local = []
        for k in distinct.tolist():
            length = k >> 56
            text = bytes((k >> (8 * j)) & 0xFF for j in range(length)).decode("utf-8", "replace")
            local.append(_code_of(text, known, texts))
        if -1 in local:
            return False
        result[packed] = np.asarray(local, dtype=np.int64)[inverse]
    if not packed.all():
        positions = np.flatnonzero(~packed)
        found = [
            _code_of(data[a : a + b].decode("utf-8", "replace"), known, texts)
            for a, b in zip(s[positions].tolist(), n[positions].tolist(), strict=True)
        ]
        if -1 in found:
            return False
        result[positions] = found
    codes.reshape(-1)[where] = result.astype(np.uint8)
    return True


def _code_of(text: str, known: dict[str, int], texts: list[str]) -> int:
    code = known.get(text)
    if code is None:
        try:
            code = texts.index(text)
        except ValueError:
            if len(texts) >= MAX_CODES:
                return -1
            texts.append(text)
            code = len(texts) - 1
        known[text] = code
    return code


__all__ = ["MAX_CODES", "Spans", "code_cells", "keep_freed_memory", "locate"]
