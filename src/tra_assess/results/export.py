"""A results document as flat tables (``tra-assess export``): what an analyst loads in one
line (``pandas.read_csv("tables/items.csv")``), since the nested JSON does not flatten.

Tables: ``overall`` (one row), ``domains``, ``items`` (the distribution as one column per
scale value, ``count_0`` ..., and of those the ratings with an evidence note, ``noted_0``
...; empty in files written before notes were counted), ``priorities`` (every candidate
when the file lists them, with an ``in_top`` column), ``groups`` (long: one row per group
and domain, plus the group's ``overall`` row; a suppressed group or cell has no score,
level or count; ``small_groups_allowed`` on every row when ``--allow-small-groups`` let groups
below the questionnaire's minimum show) and ``principles``.
Numbers are unrounded; an empty cell is no value; booleans are ``true``/``false``; lists are
joined with ``;``. Text that starts like a spreadsheet formula is neutralised (CSV: a leading
quote; xlsx: a text cell).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tra_assess.common.textsafe import csv_cell, one_line
from tra_assess.results.model import Results

__all__ = ["Table", "export_csv", "export_tables", "export_xlsx"]

Value = str | int | float | bool | None


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[list[Value]]


def _join(values: Sequence[str]) -> str:
    return ";".join(one_line(v) for v in values)


def export_tables(results: Results) -> list[Table]:
    """The tables, in order (``groups`` only when the results are grouped)."""
    tables = [_overall(results), _domains(results), _items(results), _priorities(results)]
    if results.groups is not None:
        tables.append(_groups(results))
    tables.append(
        Table(
            "principles",
            ["principle", "score", "items"],
            [[p.id, p.score, p.items] for p in results.principles],
        )
    )
    return tables


def _overall(results: Results) -> Table:
    o, q = results.overall, results.questionnaire
    return Table(
        "overall",
        [
            "questionnaire", "version", "organizations", "assessed_on", "generated_at",
            "target", "respondents", "score", "level", "level_by_score", "status",
            "meets_target", "gap", "scored_domains", "applicable_domains", "min_group_size",
            "allow_small_groups",
        ],
        [[
            q.id, q.version, _join(results.organizations), results.assessed_on,
            results.generated_at, results.target, results.respondents, o.score, o.level,
            o.level_by_score, o.status, o.meets_target, o.gap, o.scored_domains,
            o.applicable_domains, results.min_group_size, results.allow_small_groups,
        ]],
    )  # fmt: skip


def _domains(results: Results) -> Table:
    headers = [
        "domain", "title", "kind", "weight", "status", "score", "level", "level_by_score",
        "coverage", "scored_items", "applicable_items", "capped_by", "gap", "meets_target",
        "unverified", "contested", "sd", "sd_n", "low_agreement", "alpha", "alpha_n",
        "unknown_rate", "claimed", "evidenced", "evidenced_share",
    ]  # fmt: skip
    rows: list[list[Value]] = [
        [
            d.id, d.title, d.kind, d.weight, d.status, d.score, d.level, d.level_by_score,
            d.coverage, d.scored_items, d.applicable_items, _join(d.capped_by), d.gap,
            d.meets_target, _join(d.unverified), _join(d.contested), d.sd, d.sd_n,
            d.low_agreement, d.alpha, d.alpha_n, d.unknown_rate,
            d.claimed if results.evidence_counted else None,
            d.evidenced if results.evidence_counted else None, d.evidenced_share,
        ]
        for d in results.domains
    ]  # fmt: skip
    return Table("domains", headers, rows)


def _items(results: Results) -> Table:
    values = [str(s.value) for s in results.scale]
    headers = [
        "item", "domain", "text", "critical", "weight", "principles", "applicable", "status",
        "score", "level", "n", "na", "unknown", "missing", "out_of_audience", "dissent", "sd",
        *(f"count_{v}" for v in values),
        *(f"noted_{v}" for v in values),
    ]  # fmt: skip
    rows: list[list[Value]] = [
        [
            i.id, i.domain, i.text, i.critical, i.weight, _join(i.principles), i.applicable,
            i.status, i.score, i.level, i.n, i.na, i.unknown, i.missing, i.out_of_audience,
            i.dissent, i.sd, *(i.distribution.get(v, 0) for v in values),
            *((i.noted.get(v, 0) if results.evidence_counted else None) for v in values),
        ]
        for i in results.items
    ]  # fmt: skip
    return Table("items", headers, rows)


def _priorities(results: Results) -> Table:
    listed = results.candidates or results.priorities
    top = {p.item for p in results.priorities}
    headers = [
        "rank", "kind", "item", "domain", "text", "critical", "weight", "score", "level",
        "shortfall", "action", "in_top",
    ]  # fmt: skip
    rows: list[list[Value]] = [
        [
            p.rank, p.kind, p.item, p.domain, p.text, p.critical, p.weight, p.score, p.level,
            p.shortfall, p.action, p.item in top,
        ]
        for p in listed
    ]  # fmt: skip
    return Table("priorities", headers, rows)


def _groups(results: Results) -> Table:
    """One row per group and domain, and one per group for its overall figures. Nothing of a
    suppressed group, or of a suppressed cell, is written but the word."""
    g = results.groups
    assert g is not None
    headers = ["by", "group", "n", "group_suppressed", "domain", "score", "level", "suppressed"]
    headers.append("small_groups_allowed")  # --allow-small-groups: groups may be recognisable
    small = results.allow_small_groups
    rows: list[list[Value]] = []
    for group in g.groups:
        hidden = group.suppressed
        n = None if hidden else group.n
        any_cell = any(d.suppressed for d in group.domains)
        overall_hidden = hidden or any_cell or group.overall_suppressed
        rows.append(
            [
                g.by, group.value, n, hidden, "overall",
                None if overall_hidden else group.overall_score,
                None if overall_hidden else group.overall_level, overall_hidden, small,
            ]
        )  # fmt: skip
        for d in group.domains:
            cell_hidden = hidden or d.suppressed
            rows.append(
                [
                    g.by, group.value, n, hidden, d.id,
                    None if cell_hidden else d.score,
                    None if cell_hidden else d.level, cell_hidden, small,
                ]
            )  # fmt: skip
    return Table("groups", headers, rows)


# -- writing -----------------------------------------------------------------------------------


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return csv_cell(one_line(value))


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def export_csv(results: Results, folder: Path) -> list[Path]:
    """Write one CSV per table into ``folder`` (made if missing; its parent must exist);
    returns the files written."""
    from tra_assess.common.errors import InvalidInputError
    from tra_assess.common.fsutil import atomic_write

    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {folder}: {exc.strerror or exc}", []) from None
    written = []
    for table in export_tables(results):
        path = folder / f"{table.name}.csv"
        atomic_write(path, table_csv(table))
        written.append(path)
    return written


def export_xlsx(results: Results) -> bytes:
    """The tables as one workbook, one sheet (and Excel table) each."""
    from tra_assess.common.xlsxtable import SheetTable, workbook_bytes

    sheets = [
        SheetTable(
            table.name,
            table.name.capitalize(),
            table.headers,
            [[one_line(v) if isinstance(v, str) else v for v in row] for row in table.rows],
            {"text": 50, "title": 30, "action": 50},
            wrap=False,
        )
        for table in export_tables(results)
    ]
    return workbook_bytes(sheets)
