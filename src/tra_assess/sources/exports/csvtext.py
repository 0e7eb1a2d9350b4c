"""CSV text (SPEC section 5, "Real exports, right or refused"): decoding and records.

:func:`decode_table` turns a file's bytes into text: UTF-8 with or without a BOM, UTF-16 with a
BOM (Excel's "Unicode Text"), or the ``--encoding`` the user names; text that is not valid in
the encoding gets one line naming the first bad row and what to try.

:func:`csv_records` yields the records of the text. A record that breaks the file's structure
(a quote that is never closed and swallows the rows after it, a row written with another
delimiter) comes as a :class:`BadRow` (an empty record
that carries its problem), and reading goes on at the next line, so the rows after it are still
read; when the file cannot be resynchronised it is rejected naming the row where it broke.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.yamlio import MAX_BYTES

if TYPE_CHECKING:
    from tra_assess.sources.answers import Source

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OTHER_DELIMITERS = {",": (";", "\t"), ";": (",", "\t"), "\t": (",", ";")}
MAX_BREAKS_IN_A_ROW = 10  # consecutive broken rows: the file cannot be resynchronised


class BadRow(list[str]):
    """A record that breaks the file's structure: empty, with the problem to report for it."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__()
        self.message = message
        self.column = column


def decode_table(data: bytes, display: str, encoding: str | None) -> str:
    """The text of a CSV/TSV file (see the module docstring)."""
    if encoding is not None:
        name = codecs.lookup(encoding).name
        if name == "utf-8":
            name = "utf-8-sig"
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:
            row = _row_at(data, exc.start, name)
            raise InvalidInputError(
                "encoding",
                [
                    Problem(
                        display,
                        f"not valid {encoding} text (byte 0x{data[exc.start]:02x}); "
                        "choose the encoding the file was saved in with --encoding",
                        row=row,
                    )
                ],
            ) from None
        return text.lstrip("\ufeff")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise InvalidInputError(
                    "encoding",
                    [
                        Problem(
                            display,
                            f"not valid {codec} text though it starts with that byte-order "
                            "mark; save the file again (CSV UTF-8)",
                            row=_row_at(data, exc.start, codec),
                        )
                    ],
                ) from None
    head = data[:8192]
    if b"\x00" in head:
        raise InvalidInputError("binary", [Problem(display, _binary_reason(head))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            "encoding",
            [
                Problem(
                    display,
                    f"not valid UTF-8 text (byte 0x{data[exc.start]:02x}); if the file was saved "
                    "by Excel on Windows, add --encoding cp1252 (or save it as CSV UTF-8)",
                    row=_row_at(data, exc.start, "utf-8"),
                )
            ],
        ) from None


def decode_table_head(data: bytes, display: str, encoding: str | None) -> str | None:
    """The first bytes of a CSV/TSV file decoded as :func:`decode_table` decodes the whole
    file, up to the end of the last whole line in them; None when the head cannot be decoded
    on its own (the whole file then decides). Raises what :func:`decode_table` raises for a
    binary file."""
    if encoding is not None:
        name = codecs.lookup(encoding).name
        codec = "utf-8-sig" if name == "utf-8" else name
    else:
        codec = next((c for bom, c in _BOMS if data.startswith(bom)), "")
        if not codec:
            head = data[:8192]
            if b"\x00" in head:
                raise InvalidInputError("binary", [Problem(display, _binary_reason(head))])
            codec = "utf-8"
    try:
        text = codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return None
    end = text.rfind("\n")
    return None if end < 0 else text[: end + 1].lstrip("\ufeff")


def _binary_reason(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "this is a zip archive (an .xlsx workbook?), not CSV text: give it its .xlsx name"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "this is an old-style Excel workbook (.xls), not CSV text: save it as .xlsx or .csv"
    odd = head[1::2]
    even = head[0::2]
    if odd and odd.count(0) > len(odd) * 0.9:
        return "UTF-16 text without a byte-order mark: add --encoding utf-16-le"
    if even and even.count(0) > len(even) * 0.9:
        return "UTF-16 text without a byte-order mark: add --encoding utf-16-be"
    return "this is a binary file, not CSV text"


def _row_at(data: bytes, offset: int, codec: str) -> int:
    """The record (1-based) holding byte ``offset``: the records of the valid text before it,
    counted as CSV (quoted line breaks stay in their record)."""
    prefix = data[:offset].decode(codec, "replace")
    reader = csv.reader(io.StringIO(prefix + "x"), strict=False)
    return sum(1 for _ in reader)


def lines(text: str, start: int = 0) -> Iterator[str]:
    """Lines ending at ``\\n`` only (a CR inside a quoted cell stays in the cell), from
    ``start``."""
    end_of_text = len(text)
    while start < end_of_text:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def plain_lines(text: str, start: int, shape: tuple[str, int]) -> int | None:
    """The number of lines of ``text`` from offset ``start`` (the lines below the header; a
    last line without a line end counts), when none holds a quote or a carriage return but
    at its end, so every line is one record; None otherwise (or for a table of one column,
    or a delimiter of more than one character). The lines' widths are not checked here: the
    code path checks them as it locates the cells. Plain ``str`` scans, no numpy."""
    delimiter, width = shape
    if width < 2 or len(delimiter) != 1 or start >= len(text) or text.find('"', start) >= 0:
        return None
    if text.find("\r", start) >= 0 and text.count("\r", start) != text.count("\r\n", start):
        return None  # a carriage return inside a line: the row reader decides what it is
    return text.count("\n", start) + (not text.endswith("\n"))


def line_offset(text: str, start: int, n: int, ends: int | None = None) -> int:
    """The offset just after the ``n``-th line end (``n`` >= 1) of ``text`` from ``start``;
    ``len(text)`` when there are fewer. ``ends``: the number of line ends from ``start``, when
    the caller has counted them. Found by counting line ends in ever smaller spans
    (interpolated while that narrows quickly, else halved), then stepping line by line."""
    lo, below = start, 0  # line ends in text[start:lo]: fewer than n
    hi = len(text)
    above = text.count("\n", start, hi) if ends is None else ends  # line ends in text[start:hi]
    if above < n:
        return hi
    tries = 0
    while above - below > 64 and hi - lo > 1:
        tries += 1
        if tries <= 8:  # where the n-th line end would be if lines were of equal length
            guess = lo + (hi - lo) * (n - below) // (above - below)
            guess = min(max(guess, lo + 1), hi - 1)
        else:
            guess = (lo + hi) // 2
        found = below + text.count("\n", lo, guess)
        if found < n:
            lo, below = guess, found
        else:
            hi, above = guess, found
    at = lo
    for _ in range(n - below):
        at = text.find("\n", at) + 1
    return at


def csv_records(
    text: str, delimiter: str, display: str, start_line: int = 0, width: int = -1
) -> Iterator[list[str]]:
    """The records of ``text`` (see the module docstring); from line ``start_line`` (0-based)
    when ``width`` (the header's cells) is given, every line before it being one record."""
    base = start_line  # lines of the text before the current reader's first
    breaks = 0  # broken records in a row
    count = start_line  # records given before the current reader's first
    starts: list[int] = []  # each line's offset: made when a record needs a look
    while True:
        offset = _line_start(text, starts, base) if base else 0
        reader = csv.reader(lines(text, offset), delimiter=delimiter, strict=False)
        last = 0
        try:
            if width < 0:
                header = next(reader, None)
                if header is None:
                    return
                width = len(header)
                count, last = 1, reader.line_num
                yield header
            for number, record in enumerate(reader, start=count + 1):
                line_num = reader.line_num
                if line_num - last == 1 and len(record) == width:  # the usual record
                    last = line_num
                    breaks = 0
                    yield record
                    continue
                first_line = base + last  # 0-based: the record's first line
                span = line_num - last
                last = line_num
                broken = _broken(record, span, width, delimiter, text, starts, first_line)
                if broken is None:
                    breaks = 0
                    yield record
                    continue
                breaks += 1
                if breaks > MAX_BREAKS_IN_A_ROW:
                    raise InvalidInputError(
                        "csv",
                        [
                            Problem(
                                display,
                                "the file's structure breaks here and does not recover "
                                f"({broken.message}); fix the file or export it again",
                                row=number - MAX_BREAKS_IN_A_ROW,
                            )
                        ],
                    )
                yield broken
                if span > 1:  # re-split at the line after the broken row's first line
                    base = first_line + 1
                    count = number
                    break
            else:
                return
        except csv.Error as exc:
            raise InvalidInputError(
                "csv", [Problem(display, f"malformed CSV: {exc}", line=base + reader.line_num)]
            ) from None


def split_region(text: str, header_rows: int, delimiter: str) -> tuple[int, int] | None:
    """Where the data region starts (offset in ``text``) and its first line's row number,
    when the header's records span exactly ``header_rows`` lines; None otherwise."""
    consumed = 0
    source = lines(text)

    def counted() -> Iterator[str]:
        nonlocal consumed
        for line in source:
            consumed += len(line)
            yield line

    reader = csv.reader(counted(), delimiter=delimiter, strict=False)
    try:
        for _ in range(header_rows):
            next(reader)
    except (StopIteration, csv.Error):
        return None
    if reader.line_num != header_rows:
        return None
    return consumed, header_rows + 1


def _line_start(text: str, starts: list[int], line: int) -> int:
    """The offset of ``line`` (0-based) in ``text``; ``starts`` is filled on first use."""
    if not starts:
        starts.append(0)
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
    return starts[line] if line < len(starts) else len(text)


def _broken(
    record: list[str],
    span: int,
    width: int,
    delimiter: str,
    text: str,
    starts: list[int],
    first_line: int,
) -> BadRow | None:
    """The problem of a record that does not fit the file's structure, or None."""
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    if span > 1 and _swallows_rows(text, starts, first_line, span, width, delimiter):
        col = next((n for n, cell in enumerate(record) if "\n" in cell), 0)
        return BadRow(
            'a quote (") opens here and is not closed where the cell ends, so the rows '
            "below would be read into this cell; this row is not scored (fix the quote or "
            "export again)",
            col,
        )
    if len(record) < width and span == 1:
        start = _line_start(text, starts, first_line)
        end = text.find("\n", start)
        line = text[start : len(text) if end < 0 else end].rstrip("\r")
        for other in _OTHER_DELIMITERS.get(delimiter, ()):
            cells = next(csv.reader([line], delimiter=other, strict=False), [])
            if len(record) <= 1 and len(cells) >= min(width, 3):
                name = "tab" if other == "\t" else repr(other)
                return BadRow(
                    f"this row is written with {name} between its cells, the rest of the file "
                    f"with {shown}; it is not scored (fix the row or export again)"
                )
    return None


def _swallows_rows(
    text: str, starts: list[int], first_line: int, span: int, width: int, delimiter: str
) -> bool:
    """Whether a record that spans lines holds lines that look like whole rows of the file
    (as many delimiters as a row has, or all but one)."""
    if width < 3:
        return False
    need = width - 2 if width > 3 else 2
    begin = _line_start(text, starts, first_line + 1)
    end = _line_start(text, starts, first_line + span)
    return any(line.count(delimiter) >= need for line in text[begin:end].split("\n"))


def check_size(source: Source) -> None:
    """Refuse a file over the size limit (before it is read)."""
    assert source.path is not None
    try:
        size = source.path.stat().st_size
    except OSError as exc:
        raise InvalidInputError(
            "unreadable", [Problem(source.display, f"cannot read: {exc.strerror}")]
        ) from None
    if size > MAX_BYTES:
        raise InvalidInputError(
            "too big",
            [
                Problem(
                    source.display,
                    f"file is {size / 1048576:.1f} MB; the limit is {MAX_BYTES // 1048576} MB",
                )
            ],
        )
