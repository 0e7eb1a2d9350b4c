from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class PlanFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    md = "md"


_SUFFIXES = {".csv": PlanFormat.csv, ".xlsx": PlanFormat.xlsx, ".md": PlanFormat.md}


@boundary
def plan_command(
    results: Annotated[Path, typer.Argument(help="A results file (from score).")],
    fmt: Annotated[
        PlanFormat | None,
        typer.Option(
            "--format", "-f", help="csv, xlsx or md (default: from --out's suffix, else md)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the plan here (xlsx needs it).")
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every candidate, not only the top priorities.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Results of an earlier assessment: mark its priorities moved, "
            "not moved or now met.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace an existing --out file (it may hold the team's entries)."
        ),
    ] = False,
) -> int:
    """Turn a results file into an action plan a team can track: one row per priority with
    the item's level, the next action, what "done" looks like (the next rating's anchor) and
    empty owner, due and status columns, as CSV, an Excel table or Markdown.

    An existing --out file is not replaced (the team may have filled it in) unless --force
    is given or it would be written unchanged.

    Example: tra-assess plan results.json --out plan.xlsx --baseline last-year.json
    """
    from tra_assess.common.errors import UsageError
    from tra_assess.reports.inputs import check_output
    from tra_assess.results.load import load_results_file
    from tra_assess.results.plan import build_action_plan, render_plan
    from tra_assess.scoring.retarget import all_candidates as all_candidates_of

    chosen = fmt or (_SUFFIXES.get(out.suffix.lower()) if out is not None else None)
    chosen = chosen or PlanFormat.md
    if chosen is PlanFormat.xlsx and out is None:
        raise UsageError("--format xlsx needs --out FILE (a workbook is not for the terminal)")
    # any existing file is protected by _write (same bytes, or --force), so the kind check of
    # check_output is not needed here: only "never over an input"
    check_output(out, None, [results, baseline], force=True)
    current = load_results_file(results)
    before = load_results_file(baseline) if baseline is not None else None
    pairing = None
    if before is not None:
        from tra_assess.compare.versions import review_pairing

        pairing = review_pairing(before, current)
    plan = build_action_plan(
        current, all_candidates=every, baseline=before, work_out=all_candidates_of, pairing=pairing
    )
    data = render_plan(plan, chosen.value)
    if out is None:
        from tra_assess.cli.commands.report import _emit

        assert isinstance(data, str)
        _emit(data, None)
    else:
        _write(out, data, force)
    from tra_assess.cli.support import err

    for warning in plan.warnings:
        err(f"warning: {warning}")
    return 0


def _write(out: Path, data: str | bytes, force: bool) -> None:
    from tra_assess.common.errors import UsageError
    from tra_assess.common.fsutil import atomic_write

    payload = data.encode("utf-8") if isinstance(data, str) else data
    if out.is_file() and not force:
        try:
            same = out.read_bytes() == payload
        except OSError:
            same = False
        if not same:
            raise UsageError(
                f"--out {out} exists and may hold the team's entries (owner, due, status); "
                "choose another file name, or give --force to replace it"
            )
    atomic_write(out, payload)
