from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class TemplateFormat(str, Enum):
    csv = "csv"
    yaml = "yaml"


@boundary
def template_command(
    fmt: Annotated[
        TemplateFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv: a survey platform's header row; yaml: a blank answers file.",
        ),
    ],
    questionnaire: Annotated[
        str, typer.Option("-q", "--questionnaire", help="A built-in id or a path.")
    ] = "tra-core",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --out replace an existing file.")
    ] = False,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Only the items this role can rate (the item's audience)."),
    ] = None,
) -> int:
    """Write a blank answer sheet: the CSV header row a survey platform should use, or a YAML
    answers file listing every item.

    Example: tra-assess template --format csv --out survey-columns.csv
    """
    from tra_assess.questionnaire.load import load_questionnaire
    from tra_assess.sources.forms import check_role
    from tra_assess.sources.sheets import csv_template, yaml_template

    q = load_questionnaire(questionnaire)
    check_role(q, role)
    text = csv_template(q, role) if fmt is TemplateFormat.csv else yaml_template(q, role)
    if out is None:
        typer.echo(text, nl=False)
    else:
        from tra_assess.common.errors import UsageError
        from tra_assess.common.fsutil import atomic_write, check_out

        if out.exists() and not force:  # a blank answers file may since have been filled in
            raise UsageError(
                f"{out} exists; choose another --out, or add --force to replace it "
                "(nothing was overwritten)"
            )
        if not out.parent.is_dir():
            raise UsageError(f"{out.parent}: no such directory")
        check_out(out, inputs=[questionnaire], force=force)
        atomic_write(out, text)
        typer.echo(f"Wrote {out}", err=True)
    return 0
