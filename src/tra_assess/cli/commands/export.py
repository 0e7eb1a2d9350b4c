from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


@boundary
def export_command(
    results: Annotated[Path, typer.Argument(help="A results file (from score).")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="xlsx (one workbook) or csv (a folder).")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="The workbook (xlsx; default RESULTS.xlsx) or the folder for the CSV files "
            "(csv; default RESULTS-tables/).",
        ),
    ] = None,
) -> int:
    """Write the results as flat tables an analyst loads in one line: overall, domains,
    items (one column per scale value), priorities, groups (suppression kept) and
    principles; one sheet each in a workbook, or one CSV each in a folder.

    Example: tra-assess export results.json --format csv --out tables && python -c
    "import pandas; print(pandas.read_csv('tables/items.csv'))"
    """
    from tra_assess.cli.support import err
    from tra_assess.common.errors import UsageError
    from tra_assess.common.fsutil import atomic_write, refuse_overwriting_input
    from tra_assess.results.export import export_csv, export_tables, export_xlsx
    from tra_assess.results.load import load_results_file
    from tra_assess.scoring.groups import recheck_groups

    loaded = load_results_file(results)
    for warning in recheck_groups(loaded):  # a file may be older, or edited by hand
        err(f"warning: {warning}")
    if fmt is ExportFormat.xlsx:
        target = out or results.with_suffix(".xlsx")
        if target.is_dir():
            raise UsageError(f"--out {target}: is a folder; give a file name for the workbook")
        if not (target.parent if str(target.parent) else Path(".")).is_dir():
            raise UsageError(f"--out {target}: the folder {target.parent} does not exist")
        refuse_overwriting_input(target, [results])
        atomic_write(target, export_xlsx(loaded))
        typer.echo(f"wrote {target}")
        return 0
    folder = out or results.with_name(f"{results.stem}-tables")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: is a file; give a folder for the CSV files")
    if not (folder.parent if str(folder.parent) else Path(".")).is_dir():
        raise UsageError(f"--out {folder}: the folder {folder.parent} does not exist")
    for table in export_tables(loaded):
        refuse_overwriting_input(folder / f"{table.name}.csv", [results])
    written = export_csv(loaded, folder)
    typer.echo(f"wrote {folder}/: {', '.join(path.name for path in written)}")
    return 0
