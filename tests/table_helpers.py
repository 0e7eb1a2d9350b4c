"""What the table tests compare: one table scored through each of its reading paths.

A wide table can be read row by row, in blocks scored column by column, or (plain CSVs) as
code matrices; every path must give the same state: the accumulator, the respondent ids and
their places, rejected rows and their messages, warnings, and the fields seen for --group-by.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.chunk import ChunkResult, id_entries, score_chunk
from tra_assess.sources.answers import Source
from tra_assess.sources.exports import blocks as csvblock
from tra_assess.sources.exports.tables import TableReader

# platforms' date cells: ISO, Google's yyyy/mm/dd, a/b/yyyy in either order or undecidable,
# and cells that are not dates
DATES = [
    "",
    "2026-01-05",
    "2025-12-31",
    " 2026-03-01 ",
    "2026-02-30",
    "soon",
    "3/5/2024",
    "13/5/2024 10:00",
    "5/13/2024",
    "2/30/2024",
    "2024/03/05 10:00:00 AM GMT",
]


def write_csv(tmp: Path, columns: list[str], rows: list[list[str]], crlf: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([columns, *rows])
    path = tmp / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def outcome(result: ChunkResult) -> dict[str, Any]:
    acc = result.accumulator.__getstate__()
    acc["_tally"] = {k: v for k, v in vars(acc["_tally"]).items() if k != "domain_items"}
    acc["_groups"] = {
        key: {k: v for k, v in vars(t).items() if k != "domain_items"}
        for key, t in acc["_groups"].items()
    }
    return {
        "accumulator": acc,
        "ids": sorted(id_entries(result.ids)),
        "rejected": sorted((e.key, [str(p) for p in e.problems]) for e in result.rejected),
        "warnings": result.warnings,
        "fields": result.fields,
        "group_seen": result.group_seen,
    }


def score_path(
    path: Path,
    q: Questionnaire,
    group_by: str | None,
    how: str,
    exclude: Any = frozenset(),
    parallel: bool = False,
) -> dict[str, Any]:
    """The state of scoring ``path`` read ``how``: ``rows`` (row by row), ``blocks`` (column
    by column, no code matrices), ``codes`` (code matrices for every table, in one go) or
    ``halves`` (code matrices, every table of two pieces or more as two halves: the second in
    another process when ``parallel``); blocks of a few rows, so that a table makes several
    and a short last one."""
    source = Source(0, str(path), "csv", file=str(path))
    original = TableReader.parts

    def parts(self: TableReader, *, blocks: bool = how != "rows") -> Any:
        return original(self, blocks=blocks)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TableReader, "parts", parts)
        patch.setattr(csvblock, "BLOCK_ROWS", 4)
        patch.setenv("TRA_ASSESS_ARRAY_ROWS", "1" if how in ("codes", "halves") else "off")
        patch.setenv("TRA_ASSESS_SPLIT_ROWS", "1" if how == "halves" else "off")
        return outcome(score_chunk(q, group_by, [source], exclude, parallel=parallel))
