from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.commands.score import (
    ASSESSED_ON_OPTION,
    COLUMN_OPTION,
    ENCODING_OPTION,
    LABEL_OPTION,
)
from tra_assess.cli.support import boundary


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


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
        ReportFormat,
        typer.Option("--format", "-f", help="md, html or pdf (pdf needs Chromium or Chrome)."),
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
    label: Annotated[list[str] | None, LABEL_OPTION] = None,
    column: Annotated[list[str] | None, COLUMN_OPTION] = None,
    encoding: Annotated[str | None, ENCODING_OPTION] = None,
    assessed_on: Annotated[str | None, ASSESSED_ON_OPTION] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history",
            help="Results of earlier assessments (repeat it, two or more): adds the trend.",
        ),
    ] = None,
    merge_groups: Annotated[
        list[str] | None,
        typer.Option(
            "--merge-groups", help='When scoring answers: pool groups, "A,B=NAME" (repeatable).'
        ),
    ] = None,
    allow_small_groups: Annotated[
        bool,
        typer.Option(
            "--allow-small-groups",
            help="When scoring answers: allow --min-group-size below the questionnaire's.",
        ),
    ] = False,
    paper: Annotated[
        Paper, typer.Option("--paper", help="Page size for print and PDF: a4 or letter.")
    ] = Paper.a4,
    chromium: Annotated[
        Path | None,
        typer.Option(
            "--chromium",
            metavar="PATH",
            help="The Chromium or Chrome to print the PDF with (default: found on PATH).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Let --out replace an answers, results or questionnaire file."
        ),
    ] = False,
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
    file (no script, no external resources) that prints on A4 or Letter (--paper); --format
    pdf prints it with a headless Chromium or Chrome found on PATH (or --chromium PATH).

    Example: tra-assess report results.json -f html --baseline last-year.json -o report.html
    """
    from tra_assess.cli.support import err
    from tra_assess.common.errors import InvalidInputError, UsageError
    from tra_assess.reports.inputs import check_output, load_report_input
    from tra_assess.reports.render import render_report
    from tra_assess.results.load import load_results_file
    from tra_assess.sources.options import read_options

    options = read_options(label or (), column or (), encoding, assessed_on)

    check_output(
        out, template, [*inputs, baseline, questionnaire, profile, *(history or [])], force=force
    )
    browser = _pdf_browser(chromium, out, template) if fmt is ReportFormat.pdf else None
    if chromium is not None and browser is None:
        raise UsageError("--chromium is for --format pdf only")
    base = load_results_file(baseline) if baseline is not None else None
    earlier = [(load_results_file(path), str(path)) for path in history or []]
    if earlier:
        from tra_assess.scoring.groups import recheck_groups

        for document, name in earlier:
            for warning in recheck_groups(document):  # a file may be older, or edited
                err(f"warning: {name}: {warning}")
    loaded = load_report_input(
        inputs,
        questionnaire=questionnaire,
        group_by=group_by,
        target=target,
        min_group_size=min_group_size,
        top=top,
        jobs=jobs,
        options=options,
        merge_groups=merge_groups or (),
        allow_small_groups=allow_small_groups,
        profile=profile,
    )
    for problem in loaded.problems if loaded.results.respondents == 0 else []:
        err(problem)
    if loaded.results.respondents == 0:
        raise InvalidInputError("no valid answers to report on: every input was rejected")
    text = render_report(
        loaded.results,
        fmt="md" if fmt is ReportFormat.md else "html",
        baseline=base,
        target=target,
        top=top,
        template=template,
        title=title,
        notes=not no_notes,
        paper=paper.value,
        history=earlier,
    )
    if browser is not None:
        _emit_pdf(text, out, browser)
    else:
        _emit(text, out)
    for warning in loaded.warnings:
        err(f"warning: {warning}")
    for problem in loaded.problems:
        err(problem)
    return 1 if loaded.problems else 0


def _pdf_browser(chromium: Path | None, out: Path | None, template: Path | None) -> str:
    """The browser to print with, checked before any work (exit 2 when there is none)."""
    from tra_assess.common.errors import UsageError
    from tra_assess.reports.pdf import find_browser

    if template is not None and template.suffix.lower() not in (".html", ".htm"):
        raise UsageError(
            f"--template {template}: a PDF is printed from HTML; give an .html or .htm template"
        )
    if out is None and sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal: give --out FILE (or redirect stdout)")
    return find_browser(chromium)


def _emit_pdf(html: str, out: Path | None, browser: str) -> None:
    from tra_assess.reports.pdf import print_pdf, write_pdf

    if out is not None:
        write_pdf(html, out, browser=browser)
        return
    data = print_pdf(html, browser)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


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
