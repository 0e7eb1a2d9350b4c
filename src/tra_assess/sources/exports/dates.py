"""The date part of survey platforms' timestamps (SPEC section 5, "Dates").

Formats: ISO (``2024-03-05``, ``2024-03-05 10:11:12``, ``2024-03-05T10:11:12.5+01:00``),
``2024/03/05 10:11:12 AM GMT`` (Google Forms), ``3/5/2024 10:11:12 [AM]`` and ``05.03.2024``.
A date with ``/`` whose first two parts could both be day or month is read by the column's
order (:func:`slash_order` decides it from every value of the column); a column that never
says is ambiguous.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:$|[T ])")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:$|[ ,T])")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[ ,])")
MDY = "m/d"
DMY = "d/m"


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def is_slash(text: str) -> bool:
    return _SLASH.match(text.strip()) is not None


def parse_date(text: str, order: str | None = None) -> str | None:
    """The ISO date of ``text``, or None when it is not a date (or an ambiguous ``a/b/yyyy``
    without an ``order``)."""
    cleaned = text.strip()
    for pattern in (_ISO, _YMD_SLASH):
        match = pattern.match(cleaned)
        if match:
            return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _DOTTED.match(cleaned)
    if match:
        return _date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    match = _SLASH.match(cleaned)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if first > 12 or (order == DMY):
            return _date(year, second, first)
        if second > 12 or order == MDY:
            return _date(year, first, second)
        return None
    return None


def slash_order(texts: Iterable[str]) -> str | None:
    """The order of a column of ``a/b/yyyy`` dates: ``d/m`` when some first part is over 12,
    ``m/d`` when some second part is; None when no value says (or when both do)."""
    day_first = month_first = False
    for text in texts:
        match = _SLASH.match(text.strip())
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        day_first = day_first or first > 12
        month_first = month_first or second > 12
    if day_first == month_first:
        return None
    return DMY if day_first else MDY


class DateColumn:
    """The date column of one table: each cell's date, the column's day/month order (decided
    from every value of the column, read again through ``texts`` when a cell needs it), and
    the warnings about it.

    A cell's date depends only on the cell and the whole column, never on which cells were
    read before it: tables are read row by row or column by column, in any order, and must
    give the same dates."""

    def __init__(self, texts: Callable[[], Iterable[str]], display: str) -> None:
        self._texts = texts
        self.display = display
        self.label = ""  # the column, as shown in messages
        self.warnings: list[str] = []
        self._order: str | None = None
        self._scanned = False
        self._warned = False
        self._undated = 0
        self._first_undated = 0

    def date(self, text: str) -> str | None:
        """The ISO date of ``text``; None when it is not a date; "" when it is a ``a/b/yyyy``
        date that could be day/month or month/day and the column does not say which (warned
        once): no date is taken from it."""
        found = parse_date(text, self._order)
        if found is not None or not is_slash(text):
            return found
        if not self._scanned:
            self._scanned = True
            self._order = slash_order(self._texts())
            found = parse_date(text, self._order)
            if found is not None:
                return found
        if self._order is not None:
            return None  # e.g. 31/31/2024: not a date
        match = _SLASH.match(text.strip())
        assert match is not None
        if _date(_year(match.group(3)), int(match.group(1)), int(match.group(2))) is None:
            return None  # e.g. 2/30/2024, which no order makes a date
        if not self._warned:
            self._warned = True
            self.warnings.append(
                f"{self.display}: dates in column {self.label!r} could be day/month or "
                "month/day; no assessment date is taken from those (give it with "
                "--assessed-on YYYY-MM-DD)"
            )
        return ""

    def absorb(self, lines: Iterable[str]) -> None:
        """Take warnings another reader of this column gave (a half of the table read
        elsewhere): each is said once."""
        for line in lines:
            if line not in self.warnings:
                self.warnings.append(line)
                self._warned = True

    def undated(self, row: int) -> None:
        """A row whose platform time cell is not a date: no assessment date from it."""
        self._undated += 1
        if self._undated == 1:
            self._first_undated = row

    def finish(self) -> list[str]:
        """The warnings, once every row has been read."""
        lines = list(self.warnings)
        if self._undated:
            lines.append(
                f"{self.display}: {self._undated} row(s) have no date in column {self.label!r} "
                f"(first: row {self._first_undated}); no assessment date is taken from them"
            )
        return lines
