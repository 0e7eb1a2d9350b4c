from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class ReportFormat(str, Enum):
    md = "md"
    html = "html"


@boundary
def report_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="A results file (from score), or answer inputs to score on the fly.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="md or html.")
    ] = ReportFormat.md,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Results of an earlier assessment, to show change."),
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
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="When scoring answers.")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="When scoring answers: a setting profile (tra-profile/1).",
        ),
    ] = None,
) -> int:
    """Write a Markdown or HTML gap report a board can read in five minutes: where the
    organisation stands against the target, what stands in the way, what to do next, and
    what changed since the baseline.

    INPUT is a results file (from score) or answer inputs, scored on the fly (exit code 1,
    after writing the report, when some input was rejected). The HTML is one self-contained
    file (no script, no external resources) that prints well on A4.

    Example: tra-assess report results.json -f html --baseline last-year.json -o report.html
    """
    from tra_assess.cli.support import err
    from tra_assess.common.errors import InvalidInputError
    from tra_assess.reports.inputs import check_output, load_report_input
    from tra_assess.reports.render import render_report
    from tra_assess.results.load import load_results_file

    check_output(out, template, [*inputs, baseline, questionnaire, profile])
    base = load_results_file(baseline) if baseline is not None else None
    loaded = load_report_input(
        inputs,
        questionnaire=questionnaire,
        group_by=group_by,
        target=target,
        min_group_size=min_group_size,
        top=top,
        jobs=jobs,
        profile=profile,
    )
    for problem in loaded.problems if loaded.results.respondents == 0 else []:
        err(problem)
    if loaded.results.respondents == 0:
        raise InvalidInputError("no valid answers to report on: every input was rejected")
    text = render_report(
        loaded.results,
        fmt="html" if fmt is ReportFormat.html else "md",
        baseline=base,
        target=target,
        top=top,
        template=template,
        title=title,
        notes=not no_notes,
    )
    _emit(text, out)
    for warning in loaded.warnings:
        err(f"warning: {warning}")
    for problem in loaded.problems:
        err(problem)
    return 1 if loaded.problems else 0


def _emit(text: str, out: Path | None) -> None:
    """Write the report to ``out`` atomically (a report is derived: it may be overwritten),
    else to stdout as UTF-8."""
    if out is not None:
        from tra_assess.reports.inputs import write_report

        write_report(out, text)
        return
    stream = sys.stdout
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)
        stream.flush()
