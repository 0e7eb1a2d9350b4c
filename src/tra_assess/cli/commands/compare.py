from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class CompareFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"


@boundary
def compare_command(
    baseline: Annotated[Path, typer.Argument(help="Results of the earlier assessment.")],
    followup: Annotated[Path, typer.Argument(help="Results of the later assessment.")],
    fmt: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="table, md or json.")
    ] = CompareFormat.table,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            "-q",
            metavar="ID|PATH",
            help="For results of two versions: the questionnaire whose changes list says "
            "which items were split, merged, added or removed (default: the built-in one of "
            "that id).",
        ),
    ] = None,
) -> int:
    """Show what changed between two assessments: per domain, overall, and the items that
    moved most, with progress to target.

    Results of two versions of a questionnaire are compared on the items they share; the rest
    are listed as not compared, with the reason.

    Example: tra-assess compare results-2025.json results-2026.json --format md
    """
    import json

    from tra_assess.cli.console import stdout_console
    from tra_assess.cli.support import err
    from tra_assess.compare.change import compare_results
    from tra_assess.results.load import load_results_file

    before = load_results_file(baseline)
    after = load_results_file(followup)
    changes_from = None
    if questionnaire is not None:
        from tra_assess.questionnaire.load import load_questionnaire

        changes_from = load_questionnaire(questionnaire)
    comparison = compare_results(before, after, questionnaire=changes_from)
    for warning in comparison.warnings:
        err(f"warning: {warning}")
    if fmt is CompareFormat.json:
        typer.echo(json.dumps(comparison.model_dump(mode="json"), indent=2, ensure_ascii=False))
    elif fmt is CompareFormat.md:
        from tra_assess.compare.render import render_markdown

        typer.echo(render_markdown(comparison), nl=False)
    else:
        from tra_assess.cli.compare_view import print_table

        print_table(comparison, stdout_console())
    return 0
