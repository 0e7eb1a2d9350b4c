"""The time the tool stamps on what it writes; SOURCE_DATE_EPOCH makes it reproducible."""

from __future__ import annotations

import datetime as _dt
import os


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
