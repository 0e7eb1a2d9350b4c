"""CSV and xlsx answers (SPEC section 5): survey-platform exports, streamed row by row.

:class:`TableReader` yields one :class:`~tra_assess.sources.answers.Response` per respondent row, or
the problems that reject a row (``FILE: row N, column 'HEADER': what was expected``; row
numbers are as a spreadsheet shows them, the header being row 1). Problems that make the
whole file unusable (oversize, binary, no matching column) are raised as
:class:`~tra_assess.common.errors.InvalidInputError`. Warnings (ignored columns, rows with no
answers) are in :attr:`TableReader.warnings` once the rows have been read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.textsafe import quoted
from tra_assess.sources.answers import Response, Source, Value, parse_value_text
from tra_assess.sources.exports import blocks as csvblock
from tra_assess.sources.exports.blocks import (
    MetaBlock,
    Rest,
    WideBlock,
    blockable,
    build_block,
    full_width,
)
from tra_assess.sources.exports.csvtext import (
    BadRow,
    check_size,
    csv_records,
    decode_table,
    decode_table_head,
    line_offset,
    lines,
    plain_lines,
    split_region,
)
from tra_assess.sources.exports.dates import DateColumn
from tra_assess.sources.exports.layout import (
    HeaderMatcher,
    Layout,
    detect_layout,
    fold,
    header_matches,
)
from tra_assess.sources.options import DEFAULT, ReadOptions

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.sources.exports.columnar import CodeBlock, Offload, Part

RowOutcome = Response | list[Problem]
Numbered = tuple[int, RowOutcome]
_CACHE_LIMIT = 10_000
# Qualtrics Status: 1 Survey Preview, 2 Survey Test, 8 Spam (0 IP Address, 4 Imported, ...)
_QUALTRICS_NOT_REAL = frozenset({"1", "2", "8", "survey preview", "survey test", "spam"})
_ID_LIKE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SHOW_ROWS = 5
_SHOW_COLUMNS = 20
MAX_TABLE_ROWS = 1_048_576  # Excel's last row
_DELIMITERS = (",", ";", "\t")  # in order of preference on a tie


class TableReader:
    """The respondents of one CSV or xlsx file, in row order."""

    def __init__(
        self, source: Source, questionnaire: Questionnaire, options: ReadOptions = DEFAULT
    ) -> None:
        self.source = source
        self.display = source.display
        self.q = questionnaire
        self.options = options
        self.warnings: list[str] = []
        self.empty_rows: list[int] = []  # the first few rows skipped for having no answers
        self.empty_count = 0
        self._cache: dict[str, Value | str] = {}
        self._answers: dict[str, Value] = {}  # cell text -> its (valid) answer, as learned
        self._labels = options.label_values
        self.matcher = HeaderMatcher(questionnaire, options.column_map)
        self._layout: Layout | None = None
        self.fingerprints: list[tuple[int, int]] = []  # id-less tables: (hash of row, row)
        self._dates = DateColumn(self._date_texts, self.display)
        self._sheet: object | None = None
        self._text: tuple[str, str] | None = None  # a CSV's text and delimiter, once read
        self._raw: memoryview | None = None  # its bytes, when they are the text's UTF-8
        # set by the scorer: what reads a large coded table's second half (in another
        # process, or after the first); None: the table is read in one go
        self.offload: Offload | None = None

    def __iter__(self) -> Iterator[Numbered]:
        """(row number, a Response or the problems that reject that row), in row order."""
        for part in self.parts(blocks=False):
            assert not isinstance(part, MetaBlock)
            yield part

    def parts(self, *, blocks: bool = True) -> Iterator[Numbered | MetaBlock]:
        """Like iterating, but runs of wide rows that can be scored column by column come as
        one :class:`~tra_assess.sources.exports.blocks.WideBlock` (``blocks=True``); :meth:`rows_of`
        reads such a block row by row when that is needed after all."""
        numbered = _limited(enumerate(self._records(), start=1), self.display)
        head = [row for _, row in itertools.islice(numbered, 3)]
        layout = detect_layout(
            head, self.matcher, self.display, f"{self.q.id} {self.q.version}", self._option
        )
        self._layout = layout
        self._dates.label = next(
            (layout.labels[c] for c, name in layout.meta if name == "assessed_on"), ""
        )
        self._warn_layout(layout, head)
        if layout.ignored:
            shown = ", ".join(repr(name) for name in layout.ignored[:_SHOW_COLUMNS])
            more = len(layout.ignored) - _SHOW_COLUMNS
            self.warnings.append(
                f"{self.display}: ignored {len(layout.ignored)} column(s) that match no item: "
                + shown
                + (f", ... and {more} more" if more > 0 else "")
            )
            self.warnings.extend(self._misspelt(layout))
        rows: Iterable[tuple[int, list[str]]] = itertools.chain(
            ((n, row) for n, row in enumerate(head, start=1) if n > layout.header_rows), numbered
        )
        if layout.kind == "wide" and not any(name == "id" for _, name in layout.meta):
            rows = self._fingerprinted(rows)
        if layout.platform == "qualtrics" and "status" in (fold(h) for h in head[0]):
            rows = self._qualtrics_status(rows, [fold(h) for h in head[0]].index("status"))
        if layout.kind == "long":
            from tra_assess.sources.exports.long import read_long

            self._raw = None  # only the code path reads the file's bytes
            yield from read_long(self, layout, rows)
        elif blocks and blockable(layout) and not layout.options:
            coded = self._code_parts(layout, head)
            if coded is None:
                self._raw = None  # read row by row: the file's bytes are not needed
            yield from self._wide_blocks(layout, rows) if coded is None else coded
        else:
            self._raw = None
            yield from self._wide_rows(layout, rows)
        self._warn_empty()
        self._warn_sheet()
        self.warnings.extend(self._dates.finish())
        self._text = self._raw = None  # read: a batch keeps its readers, not their files

    def _records(self) -> Iterator[list[str]]:
        if self.source.kind == "xlsx":
            from tra_assess.sources.exports.workbook import xlsx_records

            return xlsx_records(self.source, self._on_sheet)
        text, raw = read_table(self.source, self.options.encoding)
        if self._text is None:  # the first read (the date column's reads need only records)
            self._raw = raw
        _allow_big_cells()
        delimiter = sniff_delimiter(text, self.matcher)
        self._text = (text, delimiter)
        return csv_records(text, delimiter, self.display)

    def _code_parts(
        self, layout: Layout, head: list[list[str]]
    ) -> Iterator[Numbered | MetaBlock] | None:
        """A large plain CSV's rows as code blocks (numpy; see
        :mod:`~tra_assess.sources.exports.columnar`), or None to read it as before: the table
        is small, has no respondent id column or a Qualtrics status column, or is not plain."""
        threshold = csvblock.array_rows()
        if self._text is None or threshold is None or self.source.kind == "xlsx":
            return None
        text, delimiter = self._text
        if not any(name == "id" for _, name in layout.meta) or not _lines_at_least(text, threshold):
            return None
        if layout.platform == "qualtrics" and "status" in (fold(h) for h in head[0]):
            return None
        where = split_region(text, layout.header_rows, delimiter)
        if where is None:
            return None
        start, first_row = where
        shape = (delimiter, len(head[0]))
        count = plain_lines(text, start, shape)
        if count is None or first_row + count > MAX_TABLE_ROWS:
            return None
        index = {item.id: i for i, item in enumerate(self.q.items)}
        offload = self.offload
        mid = None if offload is None else csvblock.halves_at(count)
        if offload is None or mid is None:
            parts: Iterable[MetaBlock | Part | Rest] = self._region(
                layout, index, (start, len(text)), first_row, shape
            )
        else:  # the second half is started first: numpy is imported in both halves at once
            cut = line_offset(text, start, mid, count - (not text.endswith("\n")))
            later = offload(
                functools.partial(
                    self._region, layout, index, (cut, len(text)), first_row + mid, shape
                )
            )
            parts = itertools.chain(
                self._region(layout, index, (start, cut), first_row, shape), later
            )
        return self._coded(layout, parts, len(head[0]))

    def _region(
        self,
        layout: Layout,
        index: dict[str, int],
        span: tuple[int, int],
        first: int,
        shape: tuple[str, int],
    ) -> Iterator[CodeBlock | Part | Rest]:
        """The parts of the table's plain lines ``text[lo:hi]`` (``span``), the first of them
        row ``first``, read by the code path."""
        from tra_assess.sources.exports import columnar

        assert self._text is not None
        region = columnar.region_bytes(self._text[0], self._raw, span)
        yield from columnar.code_parts(self, layout, index, region, first, shape)

    def _coded(
        self, layout: Layout, parts: Iterable[MetaBlock | Part | Rest], width: int
    ) -> Iterator[Numbered | MetaBlock]:
        """The code path's parts as the reader gives them; from a :class:`Rest` on, the rows
        of the table's own CSV reader (its lines above were one record each, of ``width``
        cells), read as a table is read from the start."""
        for part in parts:
            if isinstance(part, MetaBlock):
                yield part
            elif isinstance(part, Rest):
                assert self._text is not None
                text, delimiter = self._text
                records = csv_records(text, delimiter, self.display, part.row - 1, width)
                yield from self._wide_blocks(layout, enumerate(records, start=part.row))
                return
            else:
                yield from self._wide_rows(layout, [part])

    def _fingerprinted(
        self, rows: Iterable[tuple[int, list[str]]]
    ) -> Iterator[tuple[int, list[str]]]:
        """Rows as they come; a fingerprint of each non-empty one is kept (an export without
        respondent ids that holds one response twice is warned about)."""
        from hashlib import blake2b

        keep = self.fingerprints.append
        for number, row in rows:
            if row:
                end = len(row)
                while end and not row[end - 1].strip():
                    end -= 1
                if end:  # a digest that is the same in every process (hash() is not)
                    digest = blake2b("\x1f".join(row[:end]).encode(), digest_size=8).digest()
                    keep((int.from_bytes(digest, "big"), number))
            yield number, row

    def _qualtrics_status(
        self, rows: Iterable[tuple[int, list[str]]], col: int
    ) -> Iterator[tuple[int, list[str]]]:
        """Rows as they come; Qualtrics' survey previews, tests and spam (``Status``) are
        counted for a warning: they are scored like any response, so the user can remove
        them (or export without them)."""
        found: list[int] = []
        for number, row in rows:
            if col < len(row) and fold(row[col]) in _QUALTRICS_NOT_REAL:
                found.append(number)
            yield number, row
        if found:
            shown = ", ".join(str(n) for n in found[:_SHOW_ROWS])
            more = ", ..." if len(found) > _SHOW_ROWS else ""
            self.warnings.append(
                f"{self.display}: {len(found)} response(s) are survey previews, tests or spam "
                f"by their Status (row {shown}{more}); they are scored: remove them, or export "
                "only the responses recorded from participants"
            )

    def _on_sheet(self, sheet: object) -> None:
        self._sheet = sheet

    def _date_texts(self) -> Iterator[str]:
        """Every data cell of the date column (read again, for its day/month order)."""
        assert self._layout is not None
        layout = self._layout
        col = next(c for c, name in layout.meta if name == "assessed_on")
        for n, row in enumerate(self._records(), start=1):
            if n > layout.header_rows and col < len(row):
                yield row[col]

    def _option(self, text: str) -> Value | None:
        value = self.value(text)
        return None if isinstance(value, str) and (value == "" or value[0] == "!") else value

    def _warn_layout(self, layout: Layout, head: list[list[str]]) -> None:
        headers = {fold(cell) for row in head[: layout.header_rows] for cell in row}
        missing = [text for text, _ in self.options.columns if text not in headers]
        for text in missing:
            self.warnings.append(f"{self.display}: --column {text!r}: no such column in row 1")
        if layout.matched:
            self.warnings.append(f"{self.display}: columns: " + ", ".join(layout.matched))

    def _misspelt(self, layout: Layout) -> list[str]:
        """Ignored headers that look like a misspelt item id (``unknown item 'x'; did you
        mean 'y'?``)."""
        import difflib

        ids = [item.id for item in self.q.items]
        found: list[str] = []
        for label in layout.ignored:
            word = label.split(":")[0].split(" ")[0].strip()
            if "." not in word or not _ID_LIKE.match(word):
                continue
            close = difflib.get_close_matches(word, ids, 1, 0.85)
            if close:
                found.append(
                    f"{self.display}: column {label!r}: unknown item {word!r}; did you mean "
                    f"{close[0]!r}?"
                )
        return found[:_SHOW_ROWS]

    def _warn_sheet(self) -> None:
        sheet = self._sheet
        beyond = getattr(sheet, "beyond", 0)
        if beyond:
            self.warnings.append(
                f"{self.display}: ignored {beyond} cell(s) right of the header's last column "
                f"(first: {getattr(sheet, 'first_beyond', '?')})"
            )

    def date_warnings(self) -> list[str]:
        """The warnings about the date column so far (a table half read elsewhere says what
        its cells showed)."""
        return list(self._dates.warnings)

    def add_date_warnings(self, lines: Iterable[str]) -> None:
        """Take the date warnings of a half of this table read elsewhere (each said once)."""
        self._dates.absorb(lines)

    def date(self, text: str) -> str | None:
        """The ISO date of a date cell; None when it is not a date; "" when this table's
        dates are not used (day/month order undecided: warned once)."""
        return self._dates.date(text)

    def rows_of(self, block: MetaBlock) -> Iterator[Numbered]:
        """A block's rows read row by row (what iterating gives for them)."""
        assert self._layout is not None
        rows = block.rows if isinstance(block, WideBlock) else block.rows()  # type: ignore[attr-defined]
        return self._wide_rows(self._layout, zip(block.numbers, rows, strict=True))

    def _wide_blocks(
        self, layout: Layout, rows: Iterable[tuple[int, list[str]]]
    ) -> Iterator[Numbered | WideBlock]:
        index = {item.id: i for i, item in enumerate(self.q.items)}
        width = full_width(layout)
        numbers: list[int] = []
        buffered: list[list[str]] = []
        cells = 0
        try:
            for number, row in rows:
                if len(row) < width:  # a short row: read on its own, in its place
                    yield from self._flush(layout, index, numbers, buffered)
                    numbers, buffered, cells = [], [], 0
                    yield from self._wide_rows(layout, [(number, row)])
                    continue
                numbers.append(number)
                buffered.append(row)
                cells += len(row)
                if len(buffered) >= csvblock.BLOCK_ROWS or cells >= csvblock.BLOCK_CELLS:
                    yield from self._flush(layout, index, numbers, buffered)
                    numbers, buffered, cells = [], [], 0
        except InvalidInputError:
            # the file breaks off (malformed CSV, a damaged sheet): the rows read before the
            # break are scored, as row by row, and then the break is reported
            yield from self._flush(layout, index, numbers, buffered)
            raise
        yield from self._flush(layout, index, numbers, buffered)

    def _flush(
        self, layout: Layout, index: dict[str, int], numbers: list[int], rows: list[list[str]]
    ) -> Iterator[Numbered | WideBlock]:
        if not rows:
            return
        block = build_block(self, layout, index, numbers, rows)
        if block is not None:
            yield block
        else:
            yield from self._wide_rows(layout, zip(numbers, rows, strict=True))

    # -- cells ----------------------------------------------------------------------------

    def value(self, cell: str) -> Value | str:
        """The answer in a cell (None is never returned for a non-empty cell), or ``!why``."""
        found = self._cache.get(cell)
        if found is None:
            try:
                parsed = parse_value_text(cell, self.q, self._labels)
                found = "" if parsed is None else parsed
            except ValueError as exc:
                found = "!" + str(exc)
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[cell] = found
                if found != "" and not (isinstance(found, str) and found.startswith("!")):
                    self._answers[cell] = found
        return found

    def problem(self, number: int, column: str, message: str) -> Problem:
        return Problem(self.display, message, row=number, column=column)

    def meta(
        self, response: Response, layout: Layout, number: int, row: list[str]
    ) -> list[Problem]:
        """Fill the metadata columns of ``row`` into ``response`` (first value wins)."""
        problems: list[Problem] = []
        size = len(row)
        for col, name in layout.meta:
            text = row[col].strip() if col < size else ""
            if not text:
                continue
            if name == "assessed_on":
                if self.options.assessed_on is not None:
                    continue
                date = self.date(text)
                if date is None and col == layout.date_col:
                    self._dates.undated(number)  # a platform's time column: not the answers
                    continue
                if date is None:
                    problems.append(
                        self.problem(
                            number,
                            layout.labels[col],
                            f"expected a date (YYYY-MM-DD, or the platform's timestamp), "
                            f"not {quoted(text)}",
                        )
                    )
                elif date and response.assessed_on is None:
                    response.assessed_on = date
            elif name in ("organization", "mode"):
                if getattr(response, name) is None:
                    setattr(response, name, text)
            else:
                response.respondent.setdefault(name, text)
        return problems

    # -- wide rows ------------------------------------------------------------------------

    def _wide_rows(
        self, layout: Layout, rows: Iterable[tuple[int, list[str]]]
    ) -> Iterator[Numbered]:
        """Wide rows; a row whose every non-empty answer cell is a text already seen as a
        valid answer is read in one step (a dict look-up per cell), any other row cell by cell
        (:meth:`_wide_row`: new texts, errors, blank-looking cells, short rows)."""
        cols = [col for col, _ in layout.items] or [0]
        ids = [item_id for _, item_id in layout.items] or [""]
        # expanded options are read cell by cell only
        width = max(cols) + 1 if layout.items and not layout.options else 1 << 62
        size = len(cols)
        pick = operator.itemgetter(*cols, cols[0])  # a tuple even for one column (cut below)
        known = self._answers.get
        display = self.display
        for number, row in rows:
            if len(row) >= width:
                cells: tuple[str, ...] = pick(row)[:size]
                pairs = zip(ids, map(known, cells), strict=True)
                values = {k: v for k, v in pairs if v is not None}
                if values and len(values) + cells.count("") == size:
                    response = Response(source=f"{display}: row {number}", values=values)
                    problems = self.meta(response, layout, number, row)
                    yield number, problems or response
                    continue
            outcome = self._wide_row(layout, number, row)
            if outcome is not None:
                yield number, outcome

    def _wide_row(self, layout: Layout, number: int, row: list[str]) -> RowOutcome | None:
        if row.__class__ is BadRow:
            return [self.bad_row(layout, number, row)]
        values: dict[str, Value] = {}
        problems: list[Problem] = []
        size = len(row)
        cache = self._cache
        for col, item_id in layout.items:
            if col >= size:
                continue
            cell = row[col]
            if not cell:
                continue
            value = cache.get(cell)
            if value is None:
                value = self.value(cell)
            if value == "":
                continue
            if isinstance(value, str) and value.startswith("!"):
                problems.append(self.problem(number, layout.labels[col], value[1:]))
            else:
                values[item_id] = value
        if layout.options:
            self._options(layout, number, row, values, problems)
        if not values and not problems:
            if any(cell.strip() for cell in row):
                self.skip_empty(number)
            return None
        response = Response(source=f"{self.display}: row {number}", values=values)
        problems.extend(self.meta(response, layout, number, row))
        return problems or response

    def _options(
        self,
        layout: Layout,
        number: int,
        row: list[str],
        values: dict[str, Value],
        problems: list[Problem],
    ) -> None:
        """SurveyMonkey expanded columns: the chosen option's column holds its text or a
        mark; two chosen options for one item, or a text that is another option, are errors."""
        size = len(row)
        chosen: dict[str, str] = {}
        for col, item_id, value, option in layout.options:
            cell = row[col].strip() if col < size else ""
            if not cell:
                continue
            label = layout.labels[col]
            read = self.value(cell)
            numeric = isinstance(read, int)
            if read != value and (numeric or not _marks(cell, option)):
                # a number is the option's value or an error: "1" under "Half" is ambiguous
                problems.append(
                    self.problem(
                        number,
                        label,
                        f"expected the option's text {quoted(option)}, its value "
                        f"{value} or a mark (x), not {quoted(cell)}",
                    )
                )
                continue
            if item_id in chosen:
                problems.append(
                    self.problem(
                        number,
                        label,
                        f"item {item_id!r} has two options chosen ({quoted(chosen[item_id])} and "
                        f"{quoted(option)}); this row is not scored",
                    )
                )
                continue
            chosen[item_id] = option
            values[item_id] = value

    def bad_row(self, layout: Layout, number: int, row: list[str]) -> Problem:
        assert isinstance(row, BadRow)
        column = layout.labels[row.column] if row.column < len(layout.labels) else None
        return self.problem(number, column, row.message)  # type: ignore[arg-type]

    def skip_empty(self, number: int) -> None:
        """Count a row skipped for having no answers (the first few are named)."""
        self.empty_count += 1
        if len(self.empty_rows) < _SHOW_ROWS:
            self.empty_rows.append(number)

    def _warn_empty(self) -> None:
        if not self.empty_count:
            return
        shown = ", ".join(str(n) for n in self.empty_rows)
        more = ", ..." if self.empty_count > len(self.empty_rows) else ""
        self.warnings.append(
            f"{self.display}: skipped {self.empty_count} row(s) with no answers (row {shown}{more})"
        )


def _limited(
    numbered: Iterator[tuple[int, list[str]]], display: str
) -> Iterator[tuple[int, list[str]]]:
    """The records up to a spreadsheet's last row; a table longer than that is cut there,
    with one problem (the rows before it are read)."""
    for number, row in numbered:
        if number > MAX_TABLE_ROWS:
            raise InvalidInputError(
                "too many rows",
                [
                    Problem(
                        display,
                        f"more than {MAX_TABLE_ROWS:,} rows (a spreadsheet's limit); the rest "
                        "of the file is not read: split the export",
                        row=number,
                    )
                ],
            )
        yield number, row


_DATE_HEAD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")


def iso_date(text: str) -> str | None:
    """The date a cell starts with (``YYYY-MM-DD``, or a time stamp's date part), or None."""
    head = text.strip()[:11]
    if not _DATE_HEAD.match(head):
        return None
    head = head[:10]
    try:
        return _dt.date.fromisoformat(head).isoformat()
    except ValueError:
        return None


_MARKS = frozenset({"x", "yes", "true", "selected", "checked", "\u2713", "\u2714", "\u2612"})


def _marks(cell: str, option: str) -> bool:
    """Whether an expanded column's cell says its option was chosen."""
    return fold(cell) == fold(option) or fold(cell) in _MARKS


# -- records ----------------------------------------------------------------------------------


_lines = lines


def sniff_delimiter(text: str, matcher: HeaderMatcher) -> str:
    """The delimiter (``,`` ``;`` tab) whose parse of the first two records gives the most
    cells naming an item or a metadata column; ties: the most header fields, then comma.
    (Counting characters fails on item texts with commas in a ``;`` file.)"""
    best, best_key = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        reader = csv.reader(_lines(text), delimiter=delimiter, strict=False)
        try:
            head = list(itertools.islice(reader, 2))
        except csv.Error:
            continue
        if not head:
            break
        key = (sum(header_matches(record, matcher) for record in head), len(head[0]))
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _allow_big_cells() -> None:
    """Let one cell be as large as a whole file may be (the default is 128 KB). Only ever
    raised, never lowered: no other reader of the process can be hurt by it."""
    from tra_assess.common.yamlio import MAX_BYTES

    if csv.field_size_limit() < MAX_BYTES:
        csv.field_size_limit(MAX_BYTES)


def _lines_at_least(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` line ends (its first MB usually says)."""
    return text.count("\n", 0, 1 << 20) >= count or text.count("\n") >= count


HEAD_BYTES = 1 << 20  # what is read of a table to see its header (and a long table's items)


def table_head(source: Source, encoding: str | None = None) -> tuple[str, bool]:
    """The text of a CSV/TSV source's first :data:`HEAD_BYTES` (whole lines, decoded as
    :func:`table_text` decodes the file), and whether that is the whole file."""
    assert source.path is not None
    check_size(source)
    try:
        with source.path.open("rb") as handle:
            data = handle.read(HEAD_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(
            "unreadable", [Problem(source.display, f"cannot read: {exc.strerror}")]
        ) from None
    if len(data) > HEAD_BYTES:
        text = decode_table_head(data[:HEAD_BYTES], source.display, encoding)
        if text is not None:
            return text, False
    return table_text(source, encoding), True


def table_text(source: Source, encoding: str | None = None) -> str:
    """The text of a CSV/TSV source: size checked, decoded, classic Mac line ends as ``\n``."""
    return read_table(source, encoding)[0]


def read_table(source: Source, encoding: str | None = None) -> tuple[str, memoryview | None]:
    """:func:`table_text`, and the file's bytes from the text's first character when they are
    the text's UTF-8 encoding offset for offset (an ASCII text read as UTF-8, with or without
    its byte-order mark), so the code path reads them without encoding the text again; None
    otherwise."""
    assert source.path is not None
    check_size(source)
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            "unreadable", [Problem(source.display, f"cannot read: {exc.strerror}")]
        ) from None
    text = decode_table(data, source.display, encoding)
    if "\n" not in text and "\r" in text:  # classic Mac line ends
        return text.replace("\r", "\n"), None
    skip = len(data) - len(text)  # the UTF-8 byte-order mark, if any
    utf8 = encoding is None or codecs.lookup(encoding).name == "utf-8"
    if utf8 and text.isascii() and (skip == 0 or (skip == 3 and data[:3] == codecs.BOM_UTF8)):
        return text, memoryview(data)[skip:]
    return text, None
