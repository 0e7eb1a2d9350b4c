from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary

LABEL_OPTION = typer.Option(
    "--label",
    help="Map an export's label or code to an answer: TEXT=VALUE (a scale value, na or "
    'unknown), e.g. --label "Not sure=unknown" --label "98=unknown". Repeatable.',
    show_default=False,
    metavar="TEXT=VALUE",
)
COLUMN_OPTION = typer.Option(
    "--column",
    help="Read a column as a respondent field: HEADER=FIELD (role, team, site, id, "
    'organization, assessed_on or any name), e.g. --column "What is your role?=role". '
    "Repeatable.",
    show_default=False,
    metavar="HEADER=FIELD",
)
ENCODING_OPTION = typer.Option(
    "--encoding",
    help="The text encoding of CSV/TSV exports (any Python codec, e.g. cp1252); default: "
    "UTF-8, or UTF-16 with a byte-order mark.",
    metavar="NAME",
)
ASSESSED_ON_OPTION = typer.Option(
    "--assessed-on",
    help="The assessment date (YYYY-MM-DD) of every respondent of the exports.",
    metavar="DATE",
)


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"


@boundary
def score_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Answer files (.yaml .yml .json .csv .tsv .txt .xlsx), directories, or - for "
            "stdin.",
            show_default=False,
        ),
    ],
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "-q",
            "--questionnaire",
            help="Built-in id or path; default: the one the answers name; for survey "
            "exports, the built-in one whose items their columns match best; else tra-core.",
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
    merge_groups: Annotated[
        list[str] | None,
        typer.Option(
            "--merge-groups",
            help='Pool groups before suppression: "A,B=NAME" (repeatable).',
        ),
    ] = None,
    allow_small_groups: Annotated[
        bool,
        typer.Option(
            "--allow-small-groups",
            help="Allow --min-group-size below the questionnaire's (every output says so).",
        ),
    ] = False,
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
    force: Annotated[
        bool,
        typer.Option("--force", help="Let --out replace a file that is not a results file."),
    ] = False,
    label: Annotated[list[str] | None, LABEL_OPTION] = None,
    column: Annotated[list[str] | None, COLUMN_OPTION] = None,
    encoding: Annotated[str | None, ENCODING_OPTION] = None,
    assessed_on: Annotated[str | None, ASSESSED_ON_OPTION] = None,
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
    from tra_assess.sources.options import read_options

    options = read_options(label or (), column or (), encoding, assessed_on)

    if out is not None and not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UsageError(f"--out {out}: no such directory {out.parent}")
    if out is not None and out.is_dir():
        raise UsageError(f"--out {out} is a directory; give a file name such as results.json")
    if out is not None:
        from tra_assess.common.fsutil import check_out

        check_out(
            out, inputs=[*inputs, questionnaire, profile], own=["tra-results"], force=force
        )
    outcome = score_inputs(
        inputs,
        questionnaire=questionnaire,
        group_by=group_by,
        target=target,
        min_group_size=min_group_size,
        top=top,
        jobs=jobs,
        stdin=sys.stdin,
        options=options,
        merge_groups=merge_groups or (),
        allow_small_groups=allow_small_groups,
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
