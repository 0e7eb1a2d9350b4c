from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli_support import boundary


class ReportFormat(str, Enum):
    md = "md"
    html = "html"


@boundary
def report_command(
    inputs: Annotated[
        list[str],
        typer.Argument(help="A results file (from score), or answer inputs to score on the fly.",
                       show_default=False),
    ],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md or html.")] = ReportFormat.md,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Results of an earlier assessment, to show change.")
    ] = None,
    target: Annotated[str | None, typer.Option("--target", help="Target level id.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many priorities to show.")] = 10,
    template: Annotated[
        Path | None, typer.Option("--template", help="Your own Jinja2 template.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The report's title.")] = None,
    no_notes: Annotated[
        bool, typer.Option("--no-notes", help="Leave evidence notes out of the report.")
    ] = False,
    questionnaire: Annotated[
        str | None, typer.Option("-q", "--questionnaire", help="When scoring answers: id or path.")
    ] = None,
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="When scoring answers: group field.")
    ] = None,
    min_group_size: Annotated[
        int | None, typer.Option("--min-group-size", min=1, help="When scoring answers.")
    ] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="When scoring answers.")] = None,
) -> int:
    """Write a Markdown or HTML gap report a board can read in five minutes.

    Example: tra-assess report results.json --format html --baseline last-year.json --out report.html
    """
    raise NotImplementedError("report")
