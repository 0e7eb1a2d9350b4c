from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class FormFormat(str, Enum):
    xlsx = "xlsx"
    html = "html"


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


@boundary
def form_command(
    fmt: Annotated[
        FormFormat,
        typer.Option(
            "--format",
            "-f",
            help="xlsx: a workbook one person fills in (score reads it back); html: a "
            "printable paper form with tick boxes.",
        ),
    ],
    questionnaire: Annotated[
        str, typer.Option("-q", "--questionnaire", help="A built-in id or a path.")
    ] = "tra-core",
    role: Annotated[
        str | None,
        typer.Option("--role", help="Only the items this role can rate from direct knowledge."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write to this file (never replaced). Default: xlsx to "
            "form-ID[-ROLE].xlsx here, html to stdout.",
        ),
    ] = None,
    paper: Annotated[
        Paper, typer.Option("--paper", help="The page size the form prints on.")
    ] = Paper.a4,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Leave out the facilitator's guidance (done anyway for the roles of people "
            "served: people-served, service-user, client).",
        ),
    ] = False,
) -> int:
    """Write an answer form: an xlsx workbook with drop-downs, or a printable paper form.

    For people who use neither run nor a survey platform. Each xlsx form holds one person's
    answers; score reads the filled-in forms from a folder, beside other answer files. Answers
    given on the paper form are keyed into xlsx forms.

    Example: tra-assess form --role frontline --format xlsx --out form-frontline.xlsx
    """
    from tra_assess.common.errors import UsageError
    from tra_assess.common.fsutil import atomic_write
    from tra_assess.questionnaire.load import load_questionnaire

    q = load_questionnaire(questionnaire)
    data: str | bytes
    if fmt is FormFormat.xlsx:
        from tra_assess.sources.form_xlsx import form_workbook

        data = form_workbook(q, role, paper=paper.value, plain_wording=True if plain else None)
        if out is None:
            out = Path(_default_name(q.id, role))
    else:
        from tra_assess.sources.form_html import render_paper_form

        data = render_paper_form(
            q, role=role, paper=paper.value, plain_wording=True if plain else None
        )
        if out is None:
            typer.echo(data, nl=False)
            return 0
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give a file name such as form.{fmt.value}")
    if out.is_file():  # perhaps someone's filled-in form: never replaced
        raise UsageError(f"{out} exists; choose another --out (nothing was overwritten)")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such directory")
    atomic_write(out, data)
    typer.echo(f"Wrote {out}", err=True)
    return 0


def _default_name(qid: str, role: str | None) -> str:
    """``form-ID[-ROLE].xlsx``, the role reduced to letters, digits and dashes."""
    import re

    suffix = re.sub(r"[^a-z0-9]+", "-", role.casefold()).strip("-") if role else ""
    return f"form-{qid}{'-' + suffix if suffix else ''}.xlsx"
