"""Workbooks of real Excel tables (``plan`` and ``export``): one table per sheet.

Each sheet holds one table (an Excel *Table* with a header row, autofilter and banded rows),
with the header frozen, text wrapped, column widths set and the header repeated on every
printed page. Text from data is written as text: a cell that starts like a formula (``=``,
``+``, ``-``, ``@``) is stored as a string cell, so a spreadsheet shows it and never
evaluates it. The workbook's time stamps are fixed, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | bool | None
EPOCH = _dt.datetime(2000, 1, 1)
MAX_WIDTH = 60
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an xlsx file cannot hold


@dataclass
class SheetTable:
    """One sheet: its name, the table's name (letters, digits, _), headers and rows."""

    sheet: str
    name: str
    headers: list[str]
    rows: Sequence[Sequence[Cell]]
    widths: dict[str, int] = field(default_factory=dict)  # header -> width in characters
    wrap: bool = True


def workbook_bytes(tables: Sequence[SheetTable], when: _dt.datetime | None = None) -> bytes:
    """The .xlsx file holding ``tables``, one sheet each, in order."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for table in tables:
        _sheet(book.create_sheet(table.sheet[:31]), table)
    stamp = when or EPOCH
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "tra-assess"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue(), stamp)


def _fixed_times(data: bytes, stamp: _dt.datetime) -> bytes:
    """The same archive with every entry's time set to ``stamp`` (a zip records the time each
    entry was written, so two saves of the same workbook would differ)."""
    import zipfile

    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            payload = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                payload = _MODIFIED.sub(
                    rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", payload
                )
            target.writestr(info, payload)
    return out.getvalue()


def _text(value: Cell) -> Cell:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _sheet(ws: Worksheet, table: SheetTable) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    ws.append(table.headers)
    for row in table.rows:
        ws.append([_text(value) for value in row])
    top = Alignment(vertical="top", wrap_text=table.wrap)
    for row_cells in ws.iter_rows():
        for cell in row_cells:
            if cell.data_type == "f":  # text that looks like a formula stays text
                cell.data_type = "s"
            cell.alignment = top
    for cell in ws[1]:
        cell.font = Font(bold=True)
    last_col = get_column_letter(len(table.headers))
    last_row = max(len(table.rows), 1) + 1
    if not table.rows:
        ws.append([None] * len(table.headers))  # a table needs a data row, even an empty one
    ref = f"A1:{last_col}{last_row}"
    excel_table = Table(displayName=table.name, ref=ref, autoFilter=AutoFilter(ref=ref))
    excel_table.tableStyleInfo = TableStyleInfo(
        name="TableStyleMedium2", showRowStripes=True, showColumnStripes=False
    )
    ws.add_table(excel_table)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for index, header in enumerate(table.headers, start=1):
        width = table.widths.get(header)
        if width is None:
            longest = max(
                [len(header), *(len(str(row[index - 1])) for row in table.rows if row[index - 1])]
            )
            width = min(max(longest + 2, 8), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index)].width = width
