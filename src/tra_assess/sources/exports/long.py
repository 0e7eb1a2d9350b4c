"""The long CSV layout: one row per answer (``respondent_id``, ``item``, ``value``, ``note``).

A respondent's rows need not be adjacent. A bad row rejects that respondent (scoring the rest
of their answers would silently change their scores); respondents come out in the order of
their first row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tra_assess.common.errors import Problem
from tra_assess.common.textsafe import quoted
from tra_assess.sources.answers import Response, unknown_item
from tra_assess.sources.exports.csvtext import BadRow

if TYPE_CHECKING:
    from tra_assess.sources.exports.layout import Layout, Numbered, RowReader


@dataclass
class _Pending:
    response: Response
    first_row: int
    answer_rows: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # field -> (text, row)


def read_long(
    reader: RowReader, layout: Layout, rows: Iterable[tuple[int, list[str]]]
) -> Iterator[Numbered]:
    id_col = next(col for col, name in layout.meta if name == "id")
    id_label = layout.labels[id_col]
    pending: dict[str, _Pending] = {}
    for number, row in rows:
        if row.__class__ is BadRow:
            yield number, [reader.bad_row(layout, number, row)]
            continue
        if not any(cell.strip() for cell in row):
            continue
        rid = _cell(row, id_col).strip()
        if not rid:
            yield number, [reader.problem(number, id_label, "expected a respondent id (empty)")]
            continue
        entry = pending.get(rid)
        if entry is None:
            source = f"{reader.display}: row {number}"
            entry = pending[rid] = _Pending(Response(source=source), number)
        _long_row(reader, layout, entry, number, row)
    for entry in pending.values():
        if entry.problems:
            yield entry.first_row, entry.problems
        elif entry.response.values:
            yield entry.first_row, entry.response
        else:
            reader.skip_empty(entry.first_row)


def _long_row(
    reader: RowReader, layout: Layout, entry: _Pending, number: int, row: list[str]
) -> None:
    response = entry.response
    _check_fields(reader, layout, entry, number, row)
    entry.problems.extend(reader.meta(response, layout, number, row))
    item_text = _cell(row, layout.item_col).strip()
    item_label = layout.labels[layout.item_col]
    value_label = layout.labels[layout.value_col]
    if not item_text:
        entry.problems.append(reader.problem(number, item_label, "expected an item id (empty)"))
        return
    item_id = reader.matcher.item(item_text)
    if item_id is None:
        entry.problems.append(reader.problem(number, item_label, unknown_item(item_text, reader.q)))
        return
    if item_id in entry.answer_rows:
        entry.problems.append(
            reader.problem(
                number,
                item_label,
                f"item {item_id!r} answered twice for this respondent "
                f"(also row {entry.answer_rows[item_id]})",
            )
        )
        return
    entry.answer_rows[item_id] = number
    value = reader.value(_cell(row, layout.value_col))
    if isinstance(value, str) and value.startswith("!"):
        entry.problems.append(reader.problem(number, value_label, value[1:]))
        return
    if value != "":
        response.values[item_id] = value
    note = _cell(row, layout.note_col).strip() if layout.note_col >= 0 else ""
    if note:
        response.notes[item_id] = note


def _check_fields(
    reader: RowReader, layout: Layout, entry: _Pending, number: int, row: list[str]
) -> None:
    """One respondent's rows must agree on their metadata (role, team ...): two different
    values are an error naming both rows, never resolved silently. Dates may differ (each
    answer's time): the respondent's is the latest."""
    for col, name in layout.meta:
        if name == "id":
            continue
        text = _cell(row, col).strip()
        if not text:
            continue
        if name == "assessed_on":  # answers given on several days: the latest day
            date = reader.date(text)
            response = entry.response
            if date and (response.assessed_on is None or date > response.assessed_on):
                response.assessed_on = date
            continue
        before = entry.fields.get(name)
        if before is None:
            entry.fields[name] = (text, number)
        elif before[0] != text:
            entry.problems.append(
                reader.problem(
                    number,
                    layout.labels[col],
                    f"{name} {quoted(text)} differs from {quoted(before[0])} in row {before[1]} "
                    "for the same respondent; this respondent is not scored",
                )
            )


def _cell(row: list[str], col: int) -> str:
    return row[col] if 0 <= col < len(row) else ""
