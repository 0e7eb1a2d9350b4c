"""How a CSV/xlsx table maps onto a questionnaire (SPEC section 5): header matching and layout.

A header matches an item when it equals the item id, starts with the id followed by a space,
``:`` or ``)``, is ``[id] ...``, or equals the item's text (case and whitespace folded). Also
recognised, for survey platforms' grid questions: ``Question [statement]`` (Google Forms) and
``Question - statement`` (Qualtrics), where the statement is an item id or text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.textsafe import one_line

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire

# metadata columns (folded: case, whitespace, '_' and '-' as spaces) -> Response field
META_COLUMNS: dict[str, str] = {
    "respondent id": "id",
    "respondentid": "id",
    "response id": "id",
    "responseid": "id",
    "role": "role",
    "team": "team",
    "site": "site",
    "organization": "organization",
    "organisation": "organization",
    "assessed on": "assessed_on",
    "mode": "mode",
}
LONG_REQUIRED = ("item", "value")
_LONG_NAMES = frozenset({*LONG_REQUIRED, "note", "notes", "evidence"})
SURVEYMONKEY_SUBHEADERS = {"response", "open-ended response", "open ended response"}
MAX_COLUMNS = 10_000  # far more than any survey export of a questionnaire has
_ID_PREFIX = re.compile(r"[^\s:)\]]+")


def fold(text: str) -> str:
    """Case and whitespace folded (the header matching rule)."""
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def _meta_fold(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def column_label(header: str) -> str:
    """A header as shown in messages: one line, at most 60 characters."""
    text = one_line(header)
    return text if len(text) <= 60 else text[:57] + "..."


class HeaderMatcher:
    """Finds the item a header (or a long-layout ``item`` cell) names."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self._ids = {item.id.casefold(): item.id for item in questionnaire.items}
        self._texts = {fold(item.text): item.id for item in questionnaire.items}

    def item(self, header: str) -> str | None:
        folded = fold(header)
        if not folded:
            return None
        found = self._ids.get(folded) or self._texts.get(folded)
        if found:
            return found
        if folded.startswith("["):
            close = folded.find("]")
            if close > 0:
                return self._ids.get(folded[1:close].strip())
            return None
        prefix = _ID_PREFIX.match(folded)
        if prefix and len(prefix.group()) < len(folded) and folded[prefix.end()] in " :)":
            found = self._ids.get(prefix.group())
            if found:
                return found
        if folded.endswith("]") and "[" in folded:  # Google Forms grid: "Question [row]"
            inner = folded[folded.rfind("[") + 1 : -1].strip()
            found = self._ids.get(inner) or self._texts.get(inner)
            if found:
                return found
        if " - " in folded:  # Qualtrics matrix: "Question - statement"
            tail = folded.rsplit(" - ", 1)[1].strip()
            return self._ids.get(tail) or self._texts.get(tail)
        return None


def meta_field(header: str) -> str | None:
    """The metadata field a header names (``respondent_id``, ``role``... or ``respondent.X``)."""
    folded = _meta_fold(header)
    if folded in META_COLUMNS:
        return META_COLUMNS[folded]
    raw = fold(header)
    if raw.startswith("respondent.") and len(raw) > len("respondent."):
        return raw[len("respondent.") :]
    return None


def header_matches(record: Sequence[str], matcher: HeaderMatcher) -> int:
    """How many cells of a header record name an item, a metadata or a long-layout column
    (among its first :data:`MAX_COLUMNS`: a longer header is refused anyway)."""
    count = 0
    for cell in record[:MAX_COLUMNS]:
        if (
            fold(cell) in _LONG_NAMES
            or meta_field(cell) is not None
            or matcher.item(cell) is not None
        ):
            count += 1
    return count


@dataclass
class Layout:
    """Where the data is: header rows, item columns, metadata columns."""

    kind: str  # wide | long
    header_rows: int
    labels: list[str]  # per column, as shown in messages
    items: list[tuple[int, str]] = field(default_factory=list)  # wide: (column, item id)
    meta: list[tuple[int, str]] = field(default_factory=list)  # (column, field)
    ignored: list[str] = field(default_factory=list)
    item_col: int = -1  # long layout
    value_col: int = -1
    note_col: int = -1
    platform: str | None = None


def detect_layout(
    head: Sequence[Sequence[str]], matcher: HeaderMatcher, display: str, q_name: str
) -> Layout:
    """The layout of a table from its first (up to three) records."""
    if not head or not any(cell.strip() for cell in head[0]):
        raise InvalidInputError(
            "no header",
            [Problem(display, "no header row (expected item ids as column names)", row=1)],
        )
    if len(head[0]) > MAX_COLUMNS:
        raise InvalidInputError(
            "too many columns",
            [
                Problem(
                    display,
                    f"the header row has {len(head[0]):,} columns; a survey export has one per "
                    f"question and a few more (the limit is {MAX_COLUMNS:,})",
                    row=1,
                )
            ],
        )
    header = list(head[0])
    second = list(head[1]) if len(head) > 1 else []
    third = list(head[2]) if len(head) > 2 else []
    folded = [fold(cell) for cell in header]
    if all(name in folded for name in LONG_REQUIRED):
        return _long_layout(header, folded, display)
    platform: str | None = None
    rows = 1
    alternates: list[str] = []
    if any(cell.strip().startswith(('{"ImportId"', "{'ImportId'")) for cell in third):
        platform, rows, alternates = "qualtrics", 3, second
    elif any(fold(cell) in SURVEYMONKEY_SUBHEADERS for cell in second):
        platform, rows = "surveymonkey", 2
        alternates = [c if fold(c) not in SURVEYMONKEY_SUBHEADERS else "" for c in second]
    layout = Layout("wide", rows, [column_label(h) for h in header], platform=platform)
    seen: dict[str, int] = {}
    for col, text in enumerate(header):
        alt = alternates[col] if col < len(alternates) else ""
        if not text.strip() and alt.strip():
            layout.labels[col] = column_label(alt)
        meta = meta_field(text)
        if meta is not None:
            layout.meta.append((col, meta))
            continue
        item = matcher.item(text) or (matcher.item(alt) if alt else None)
        if item is None:
            if text.strip() or alt.strip():
                layout.ignored.append(layout.labels[col])
            continue
        if item in seen:
            raise InvalidInputError(
                "duplicate column",
                [
                    Problem(
                        display,
                        f"answers item {item!r} again (already column "
                        f"{layout.labels[seen[item]]!r})",
                        row=1,
                        column=layout.labels[col],
                    )
                ],
            )
        seen[item] = col
        layout.items.append((col, item))
    if not layout.items:
        raise InvalidInputError(
            "no items",
            [
                Problem(
                    display,
                    f"no column matches an item of {q_name} (use item ids, 'id: text' or "
                    "the item text as headers; see: tra-assess template --format csv)",
                    row=1,
                )
            ],
        )
    return layout


def _long_layout(header: list[str], folded: list[str], display: str) -> Layout:
    layout = Layout("long", 1, [column_label(h) for h in header])
    for col, (text, name) in enumerate(zip(header, folded, strict=True)):
        if name == "item" and layout.item_col < 0:
            layout.item_col = col
        elif name == "value" and layout.value_col < 0:
            layout.value_col = col
        elif name in ("note", "notes", "evidence") and layout.note_col < 0:
            layout.note_col = col
        elif (meta := meta_field(text)) is not None:
            layout.meta.append((col, meta))
        elif text.strip():
            layout.ignored.append(layout.labels[col])
    if not any(meta == "id" for _, meta in layout.meta):
        raise InvalidInputError(
            "long layout",
            [
                Problem(
                    display,
                    "a long table (item, value columns) needs a respondent_id column",
                    row=1,
                )
            ],
        )
    return layout
