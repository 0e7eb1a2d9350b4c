"""The time the tool stamps on what it writes; SOURCE_DATE_EPOCH makes it reproducible."""

from __future__ import annotations

import datetime as _dt
import os
import re

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def now() -> _dt.datetime:
    """Now in UTC, or the moment SOURCE_DATE_EPOCH names (for byte-identical output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass
    return _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0)


def now_iso() -> str:
    return now().isoformat().replace("+00:00", "Z")


def today_iso() -> str:
    return now().date().isoformat()


def iso_date(text: str) -> str | None:
    """``text`` when it is a real calendar date written ``YYYY-MM-DD``, else None (Python's
    own parser also takes ``20250203`` and week dates, which a file may not)."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None
