from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"


@boundary
def score_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Answer files (.yaml .yml .json .csv .xlsx), directories, or - for stdin.",
            show_default=False,
        ),
    ],
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "-q",
            "--questionnaire",
            help="Built-in id or path; default: the one the answers name, else tra-core.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the results (tra-results/1 JSON) here."),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            help="Compare groups: organization, role, team, site or any respondent field.",
        ),
    ] = None,
    min_group_size: Annotated[
        int | None,
        typer.Option(
            "--min-group-size",
            min=1,
            help="Smallest group shown (default: the questionnaire's, 5).",
        ),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Target level id (default: the questionnaire's).")
    ] = None,
    fmt: Annotated[
        ScoreFormat,
        typer.Option("--format", "-f", help="table: a summary; json: the results document."),
    ] = ScoreFormat.table,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: all cores)."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="How many priorities to keep in the results.")
    ] = 10,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="Setting profile (tra-profile/1): items not applicable here, with reasons.",
        ),
    ] = None,
) -> int:
    """Score answer files into maturity levels per domain; compare groups without exposing
    small ones; write a results file.

    Exit code 1 when some input was rejected (the rest is still scored and written).

    Example: tra-assess score exports/ --group-by role --out results.json
    """
    import sys

    from tra_assess.cli.support import err
    from tra_assess.common.errors import UsageError
    from tra_assess.scoring.batch import score_inputs

    if out is not None and not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UsageError(f"--out {out}: no such directory {out.parent}")
    if out is not None and out.is_dir():
        raise UsageError(f"--out {out} is a directory; give a file name such as results.json")
    if out is not None:
        from tra_assess.common.fsutil import refuse_overwriting_input

        refuse_overwriting_input(out, [*inputs, questionnaire, profile])
    outcome = score_inputs(
        inputs,
        questionnaire=questionnaire,
        group_by=group_by,
        target=target,
        min_group_size=min_group_size,
        top=top,
        jobs=jobs,
        stdin=sys.stdin,
        profile=profile,
    )
    document = outcome.results.model_dump_json(indent=2) + "\n"
    if out is not None:
        from tra_assess.common.fsutil import atomic_write

        atomic_write(out, document)
    for line in outcome.problems:
        err(line)
    for warning in outcome.warnings:
        err(f"warning: {warning}")
    if fmt is ScoreFormat.json:
        sys.stdout.write(document)
        sys.stdout.flush()
    else:
        from tra_assess.cli.console import stdout_console
        from tra_assess.cli.summary import print_summary

        print_summary(outcome.results, stdout_console())
        if out is not None:
            err(f"Wrote {out}")
    return 1 if outcome.rejected else 0
