"""The first sheet of an ``.xlsx`` workbook, streamed from its XML (SPEC section 5).

Rows are read in time proportional to the cells present, never to the sheet's width (a
reader that fills every row up to the widest column takes minutes for a sheet with one cell in
column XFD). A row is as wide as its last cell, cut at the header's width: cells right of the
header belong to no column and are counted for a warning. Missing rows come as empty rows, so
row numbers are the sheet's. Dates (numbers in a date format) become ISO text, as openpyxl
gives them; shared strings, inline strings, booleans and formula results are read as text.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING
from xml.etree.ElementTree import Element, iterparse

if TYPE_CHECKING:
    from zipfile import ZipFile

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d*)")


class SheetError(Exception):
    """The workbook cannot be read (the caller words it)."""


@dataclass
class SheetRows:
    """Rows of the first sheet; ``beyond`` counts cells right of the header afterwards."""

    archive: ZipFile
    beyond: int = 0
    first_beyond: str | None = None

    def __iter__(self) -> Iterator[list[str]]:
        archive = self.archive
        strings = _shared_strings(archive)
        dates, date1904 = _date_styles(archive), _date1904(archive)
        part = _first_sheet(archive)
        width = -1
        expected = 1
        with archive.open(part) as stream:
            _refuse_doctype(stream)
        with archive.open(part) as stream:
            for number, cells in _rows(stream, strings, dates, date1904):
                while expected < number:  # rows the sheet leaves out are empty rows
                    expected += 1
                    yield []
                expected = number + 1
                if width < 0:  # the header: as wide as its last cell
                    width = max(cells) + 1 if cells else 0
                size = 0
                for index in cells:
                    if index >= width:
                        self.beyond += 1
                        if self.first_beyond is None:
                            self.first_beyond = f"{column_letters(index)}{number}"
                    elif index >= size:
                        size = index + 1
                row = [""] * size
                for index, text in cells.items():
                    if index < size:
                        row[index] = text
                yield row


def column_letters(index: int) -> str:
    """``0`` -> ``A``, ``16383`` -> ``XFD``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _refuse_doctype(stream: IO[bytes]) -> None:
    head = stream.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise SheetError("doctype")


def _rows(
    stream: IO[bytes], strings: list[str], dates: frozenset[int], date1904: bool
) -> Iterator[tuple[int, dict[int, str]]]:
    """(row number, {column index: text}) of each row with cells: only the cells present."""
    number = 0
    cells: dict[int, str] = {}
    next_col = 0
    cell_tag, row_tag, v_tag, t_tag = _MAIN + "c", _MAIN + "row", _MAIN + "v", _MAIN + "t"
    for _, elem in iterparse(stream, events=("end",)):
        tag = elem.tag
        if tag == cell_tag:
            ref = elem.get("r")
            match = _CELL_REF.match(ref) if ref else None
            col = _column_index(match.group(1)) if match else next_col
            next_col = col + 1
            kind = elem.get("t") or "n"
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in elem.iter(t_tag))
            else:
                text = _cell_text(
                    kind, elem.findtext(v_tag), elem.get("s") or "0", strings, dates, date1904
                )
            if text:
                cells[col] = text
        elif tag == row_tag:
            ref = elem.get("r")
            number = int(ref) if ref and ref.isdigit() else number + 1
            yield number, cells
            cells = {}
            next_col = 0
            elem.clear()


def _cell_text(
    kind: str,
    value: str | None,
    style: str,
    strings: list[str],
    dates: frozenset[int],
    date1904: bool,
) -> str:
    if value is None:
        return ""
    if kind == "s":
        try:
            return strings[int(value)]
        except (ValueError, IndexError):
            raise SheetError("shared string") from None
    if kind == "b":
        return "true" if value.strip() == "1" else "false"
    if kind in ("str", "e"):
        return value
    if kind == "d":
        return value.replace("T", " ").removesuffix(" 00:00:00")
    return _number_text(value, style, dates, date1904)


def _number_text(value: str, style: str, dates: frozenset[int], date1904: bool) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    if style.isdigit() and int(style) in dates:
        base = _dt.datetime(1904, 1, 1) if date1904 else _dt.datetime(1899, 12, 30)
        try:
            moment = base + _dt.timedelta(days=number)
        except OverflowError:
            return value
        moment = moment.replace(microsecond=0) + _dt.timedelta(
            seconds=round(moment.microsecond / 1e6)
        )
        if moment.time() == _dt.time():
            return moment.date().isoformat()
        return moment.isoformat(" ")
    if number.is_integer():
        return str(int(number))
    return value


# -- workbook parts ------------------------------------------------------------------------------


def _rels(archive: ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.namelist():
        return {}
    root = _parse(archive, rels_name)
    found: dict[str, str] = {}
    for rel in root.iter(_PKG_REL + "Relationship"):
        target = rel.get("Target") or ""
        rel_id = rel.get("Id") or ""
        if target.startswith("/"):
            found[rel_id] = target.lstrip("/")
        else:
            found[rel_id] = posixpath.normpath(posixpath.join(folder, target))
    return found


def _workbook_part(archive: ZipFile) -> str:
    for rel_id, target in _rels(archive, "").items():
        del rel_id
        if target.endswith(".xml") and "workbook" in target.lower():
            return target
    if "xl/workbook.xml" in archive.namelist():
        return "xl/workbook.xml"
    raise KeyError("workbook")


def _first_sheet(archive: ZipFile) -> str:
    workbook = _workbook_part(archive)
    root = _parse(archive, workbook)
    rels = _rels(archive, workbook)
    for sheet in root.iter(_MAIN + "sheet"):
        target = rels.get(sheet.get(_REL + "id") or "")
        if target and target in archive.namelist():
            return target
    raise KeyError("sheet")


def _date1904(archive: ZipFile) -> bool:
    root = _parse(archive, _workbook_part(archive))
    pr = root.find(_MAIN + "workbookPr")
    return pr is not None and (pr.get("date1904") or "").lower() in ("1", "true")


def _part_of_type(archive: ZipFile, kind: str) -> str | None:
    workbook = _workbook_part(archive)
    for target in _rels(archive, workbook).values():
        if target.lower().endswith(kind + ".xml") and target in archive.namelist():
            return target
    return None


def _shared_strings(archive: ZipFile) -> list[str]:
    part = _part_of_type(archive, "sharedstrings")
    if part is None:
        return []
    with archive.open(part) as stream:
        _refuse_doctype(stream)
    strings: list[str] = []
    texts: list[str] = []
    depth_rph = 0
    with archive.open(part) as stream:
        for event, elem in iterparse(stream, events=("start", "end")):
            tag = elem.tag
            if tag == _MAIN + "rPh":  # phonetic runs are not part of the text
                depth_rph += 1 if event == "start" else -1
            elif event == "end" and tag == _MAIN + "t" and not depth_rph:
                texts.append(elem.text or "")
            elif event == "end" and tag == _MAIN + "si":
                strings.append("".join(texts))
                texts = []
                elem.clear()
    return strings


def _date_styles(archive: ZipFile) -> frozenset[int]:
    """The cell style indexes whose number format shows a date or a time."""
    part = _part_of_type(archive, "styles")
    if part is None:
        return frozenset()
    root = _parse(archive, part)
    custom: dict[int, bool] = {}
    formats = root.find(_MAIN + "numFmts")
    if formats is not None:
        for fmt in formats.iter(_MAIN + "numFmt"):
            code = _QUOTED.sub("", fmt.get("formatCode") or "").lower()
            custom[int(fmt.get("numFmtId") or -1)] = any(c in code for c in "dmyhs")
    found: set[int] = set()
    xfs = root.find(_MAIN + "cellXfs")
    if xfs is not None:
        for index, xf in enumerate(xfs.iter(_MAIN + "xf")):
            fmt_id = int(xf.get("numFmtId") or 0)
            if fmt_id in _DATE_FORMAT_IDS or custom.get(fmt_id, False):
                found.add(index)
    return frozenset(found)


def _parse(archive: ZipFile, part: str) -> Element:
    from xml.etree.ElementTree import fromstring

    data = archive.read(part)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise SheetError("doctype")
    return fromstring(data)
