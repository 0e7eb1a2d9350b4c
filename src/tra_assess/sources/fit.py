"""Which questionnaire an export was made from (SPEC section 5): with no ``-q`` and no
questionnaire named in the answers, the built-in questionnaire whose items the tables' header
rows match best is used, and named in a warning; an export that matches less than half of its
questionnaire's items is warned about when a built-in one matches it better (naming it).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from tra_assess.common.errors import TraAssessError
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import Source
from tra_assess.sources.exports.layout import HeaderMatcher, fold
from tra_assess.sources.options import ReadOptions

_HEAD_ROWS = 3
_LONG_ROWS = 5000  # a long table's item cells looked at


def _heads(sources: Sequence[Source], options: ReadOptions) -> Iterator[tuple[str, str, list[Any]]]:
    """(display, kind, data) of each table: kind ``text`` with its first lines (and the
    source, when that is not the whole file), ``rows`` with an xlsx's first rows; tables that
    cannot be read are left to the reader, which says why."""
    from tra_assess.sources.exports.tables import table_head
    from tra_assess.sources.exports.workbook import xlsx_records

    for source in sources:
        if not source.tabular or source.path is None:
            continue
        try:
            if source.kind == "xlsx":
                rows = list(itertools.islice(xlsx_records(source), _LONG_ROWS))
                yield source.display, "rows", rows
            else:
                text, whole = table_head(source, options.encoding)
                yield source.display, "text", [text, None if whole else source]
        except (TraAssessError, OSError):
            continue


def _matches(q: Questionnaire, kind: str, data: list[Any], options: ReadOptions) -> int:
    """How many of ``q``'s items the table's header rows (or long item cells) name."""
    matcher = HeaderMatcher(q, options.column_map)
    rows = _text_rows(data, matcher, options) if kind == "text" else data
    if not rows:
        return 0
    header = [fold(cell) for cell in rows[0]]
    found: set[str] = set()
    if "item" in header and "value" in header:  # long: the item cells
        col = header.index("item")
        for row in rows[1:]:
            if col < len(row) and (item := matcher.item(row[col])) is not None:
                found.add(item)
        return len(found)
    for row in rows[:_HEAD_ROWS]:
        for cell in row:
            item = matcher.item(cell)
            if item is not None:
                found.add(item)
    return len(found)


def _text_rows(data: list[Any], matcher: HeaderMatcher, options: ReadOptions) -> list[list[str]]:
    """A CSV's header rows; a long table's first :data:`_LONG_ROWS` rows (read from the whole
    file when its first lines hold fewer)."""
    from tra_assess.sources.exports.csvtext import csv_records
    from tra_assess.sources.exports.tables import sniff_delimiter, table_text

    text, source = data
    records = csv_records(text, sniff_delimiter(text, matcher), "")
    rows: list[list[str]] = []
    with contextlib.suppress(TraAssessError):  # the reader says what is wrong
        rows.extend(itertools.islice(records, _HEAD_ROWS))
        header = {fold(cell) for cell in rows[0]} if rows else set()
        if "item" in header and "value" in header:
            rows.extend(itertools.islice(records, _LONG_ROWS - _HEAD_ROWS))
            if len(rows) < _LONG_ROWS and source is not None:
                data[:] = [table_text(source, options.encoding), None]
                return _text_rows(data, matcher, options)
    return rows


def _scores(
    sources: Sequence[Source], options: ReadOptions, candidates: list[Questionnaire]
) -> tuple[list[int], str | None]:
    heads = list(_heads(sources, options))
    if not heads:
        return [0] * len(candidates), None
    totals = [sum(_matches(q, kind, data, options) for _, kind, data in heads) for q in candidates]
    return totals, heads[0][0]


def _builtins() -> list[Questionnaire]:
    from tra_assess.common.resources import builtin_questionnaires

    names = sorted(builtin_questionnaires())
    if "tra-core" in names:  # the default first: it wins a tie
        names.remove("tra-core")
        names.insert(0, "tra-core")
    return [load_questionnaire(name) for name in names]


def best_builtin(
    sources: Sequence[Source], options: ReadOptions
) -> tuple[Questionnaire, list[str]]:
    """The built-in questionnaire the tables match best, and the warnings that say so."""
    candidates = _builtins()
    totals, first = _scores(sources, options, candidates)
    # the export's item columns and the questionnaire's items, each as covered by the other
    # (Dice): 14 tra-quick columns are tra-quick, not 14 of tra-core's 71 items
    columns = max(totals, default=0)
    best = max(
        range(len(candidates)),
        key=lambda n: (2 * totals[n] / (columns + len(candidates[n].items)), totals[n], -n),
    )
    q = candidates[best]
    if first is None or totals[best] == 0:
        return q, []
    others = ", ".join(
        f"{c.id} {totals[n]}" for n, c in enumerate(candidates) if n != best and totals[n]
    )
    lines = [
        f"no questionnaire named: scored with {q.id} {q.version}, whose items the export's "
        f"columns match best ({totals[best]} of its {len(q.items)} items"
        + (f"; {others}" if others else "")
        + "); choose another with -q"
    ]
    if totals[best] * 2 < len(q.items):
        lines.append(
            f"the export matches only {totals[best]} of the {len(q.items)} items of {q.id}: "
            "is it the right questionnaire?"
        )
    return q, lines


def coverage_warning(
    q: Questionnaire, sources: Sequence[Source], options: ReadOptions
) -> list[str]:
    """A warning when the tables match less than half of ``q``'s items (naming a built-in
    questionnaire that they match better)."""
    if not any(source.tabular for source in sources):
        return []
    heads = list(_heads(sources, options))
    own = sum(_matches(q, kind, data, options) for _, kind, data in heads)
    if not heads or own * 2 >= len(q.items):
        return []
    counts = [
        (sum(_matches(other, kind, data, options) for _, kind, data in heads), other)
        for other in _builtins()
        if other.id != q.id
    ]
    columns = max([own, *(count for count, _ in counts)])

    def fit(count: int, questionnaire: Questionnaire) -> float:
        return 2 * count / (columns + len(questionnaire.items))

    better = [(fit(c, o), c, o) for c, o in counts if c and fit(c, o) > fit(own, q)]
    if not better:  # nothing to suggest: a partial export of the right questionnaire
        return []
    _, count, other = max(better, key=lambda entry: entry[0])
    return [
        f"the export matches only {own} of the {len(q.items)} items of {q.id}; the built-in "
        f"{other.id} matches {count} of its {len(other.items)} (-q {other.id})"
    ]
