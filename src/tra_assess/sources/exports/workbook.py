"""An ``.xlsx`` input (SPEC section 5): the checks made before anything is unpacked (size,
zip bombs, the number of shared strings) and its records, from :mod:`.xlsx`'s streaming
reader, with damage worded in plain language.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.sources.answers import Source
from tra_assess.sources.exports.csvtext import check_size
from tra_assess.sources.exports.xlsx import SheetError, SheetRows

if TYPE_CHECKING:
    from zipfile import ZipFile

_MAX_UNPACKED = 200 * 1024 * 1024
_MAX_SHARED_STRINGS = 1_000_000  # each costs a reader about 150 bytes


def xlsx_records(
    source: Source, on_sheet: Callable[[SheetRows], None] | None = None
) -> Iterator[list[str]]:
    """The rows of the workbook's first sheet (``on_sheet`` gets the sheet being read, for
    its count of cells right of the header)."""
    import zipfile

    assert source.path is not None
    check_workbook(source)
    try:
        with zipfile.ZipFile(source.path) as archive:
            sheet = SheetRows(archive)
            if on_sheet is not None:
                on_sheet(sheet)
            yield from sheet
    except InvalidInputError:
        raise
    except (
        SheetError,
        KeyError,
        ValueError,
        SyntaxError,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        zlib.error,
        RuntimeError,
    ) as exc:
        # a damaged sheet is only found while reading it (ParseError is a SyntaxError; a
        # corrupt deflate stream is a zlib.error; an encrypted part or an odd compression
        # method is a RuntimeError)
        raise InvalidInputError(
            "xlsx",
            [Problem(source.display, f"not a readable Excel workbook (.xlsx): {_why(exc)}")],
        ) from None


def _why(exc: Exception) -> str:
    """A plain-language reason for a workbook's failure (never an exception name)."""
    if isinstance(exc, KeyError):  # a part the workbook needs is not in the archive
        return "the file is a zip archive without a workbook in it"
    return "its contents are damaged or not in the Excel format; save it again from Excel"


def check_workbook(source: Source) -> None:
    """Refuse oversize files and zip bombs before openpyxl unpacks anything."""
    import zipfile

    assert source.path is not None
    check_size(source)
    try:
        with zipfile.ZipFile(source.path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            strings = _shared_strings(archive) if unpacked <= _MAX_UNPACKED else 0
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise InvalidInputError(
            "xlsx",
            [
                Problem(
                    source.display,
                    "not an Excel workbook (.xlsx); export the survey as .xlsx or .csv",
                )
            ],
        ) from None
    if unpacked > _MAX_UNPACKED:
        raise InvalidInputError(
            "xlsx",
            [
                Problem(
                    source.display,
                    f"workbook unpacks to {unpacked // 1048576} MB; the limit is "
                    f"{_MAX_UNPACKED // 1048576} MB",
                )
            ],
        )
    if strings > _MAX_SHARED_STRINGS:
        raise InvalidInputError(
            "xlsx",
            [
                Problem(
                    source.display,
                    f"workbook holds more than {_MAX_SHARED_STRINGS:,} different texts; "
                    "export the survey as .csv",
                )
            ],
        )


_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")


_SHARED_STRINGS_TYPE = re.compile(
    rb'PartName="/?([^"]+)"[^>]*ContentType="application/vnd\.openxmlformats-officedocument'
    rb'\.spreadsheetml\.sharedStrings\+xml"'
)


def _shared_strings(archive: ZipFile) -> int:
    """How many shared strings a workbook declares (openpyxl keeps every one in memory),
    counted while streaming the part, before it is loaded. A part that cannot be read here
    (encrypted, an odd compression) is left to openpyxl, which says why."""
    try:
        return _count_shared_strings(archive)
    except Exception:  # the reader's own checks word the problem
        return 0


def _count_shared_strings(archive: ZipFile) -> int:
    names = {n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")}
    if "[Content_Types].xml" in archive.namelist():
        types = archive.read("[Content_Types].xml")[: 1 << 20]
        names.update(m.decode("utf-8", "replace") for m in _SHARED_STRINGS_TYPE.findall(types))
    names &= set(archive.namelist())
    count = 0
    for name in names:
        with archive.open(name) as part:
            tail = b""
            while chunk := part.read(1 << 20):
                block = tail + chunk
                count += len(_SHARED_STRING.findall(block[: len(block) - 8]))
                tail = block[len(block) - 8 :]
                if count > _MAX_SHARED_STRINGS:
                    return count
            count += len(_SHARED_STRING.findall(tail))
    return count
