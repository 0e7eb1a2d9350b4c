from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli_support import boundary


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
        typer.Option("-q", "--questionnaire", help="Built-in id or path; default: the one the "
                     "answers name, else tra-core."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the results (tra-results/1 JSON) here.")
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option("--group-by", help="Compare groups: organization, role, team, site or any "
                     "respondent field."),
    ] = None,
    min_group_size: Annotated[
        int | None,
        typer.Option("--min-group-size", min=1, help="Smallest group shown (default: the "
                     "questionnaire's, 5)."),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Target level id (default: the questionnaire's).")
    ] = None,
    fmt: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="table: a summary; json: the results document.")
    ] = ScoreFormat.table,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: all cores).")
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="How many priorities to keep in the results.")
    ] = 10,
) -> int:
    """Score answer files into maturity levels per domain; compare groups without exposing
    small ones; write a results file.

    Exit code 1 when some input was rejected (the rest is still scored and written).

    Example: tra-assess score exports/ --group-by role --out results.json
    """
    raise NotImplementedError("score")
