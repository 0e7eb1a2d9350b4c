from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.parsing import TraGroup
from tra_assess.cli.support import boundary, err

app = typer.Typer(
    cls=TraGroup,
    help="List, show and validate questionnaires (built-in ones, or your own YAML files).",
    no_args_is_help=True,
)


class ShowFormat(str, Enum):
    yaml = "yaml"
    json = "json"
    md = "md"


@app.command("list")
@boundary
def list_command() -> int:
    """List the built-in questionnaires: id, version, title, domains and items.

    Example: tra-assess questionnaires list
    """
    from rich.table import Table
    from rich.text import Text

    from tra_assess.cli.console import stdout_console
    from tra_assess.common.resources import builtin_questionnaires
    from tra_assess.questionnaire.load import load_questionnaire

    table = Table(title="Built-in questionnaires", title_justify="left")
    for column in ("id", "version", "title", "domains", "items"):
        table.add_column(column, justify="right" if column in ("domains", "items") else "left")
    for qid in builtin_questionnaires():
        q = load_questionnaire(qid)
        table.add_row(
            Text(q.id), Text(q.version), Text(q.title), str(len(q.domains)), str(len(q.items))
        )
    stdout_console().print(table)
    return 0


@app.command("show")
@boundary
def show_command(
    questionnaire: Annotated[str, typer.Argument(help="A built-in id (tra-core) or a path.")],
    fmt: Annotated[
        ShowFormat,
        typer.Option("--format", "-f", help="yaml or json: the resolved file; md: a document."),
    ] = ShowFormat.yaml,
) -> int:
    """Print a questionnaire fully resolved (includes inlined), or as a readable document.

    Example: tra-assess questionnaires show tra-core --format md > tra-core.md
    """
    from tra_assess.questionnaire.load import load_questionnaire

    q = load_questionnaire(questionnaire)
    if fmt is ShowFormat.md:
        from tra_assess.questionnaire.document import questionnaire_markdown

        typer.echo(questionnaire_markdown(q), nl=False)
    elif fmt is ShowFormat.json:
        import json

        typer.echo(
            json.dumps(q.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False)
        )
    else:
        import yaml

        typer.echo(
            yaml.safe_dump(
                q.model_dump(mode="python", exclude_none=True),
                sort_keys=False,
                allow_unicode=True,
                width=100,
            ),
            nl=False,
        )
    return 0


@app.command("validate")
@boundary
def validate_command(
    paths: Annotated[list[Path], typer.Argument(help="Questionnaire YAML files to check.")],
) -> int:
    """Check questionnaire files: one line per problem (FILE:LINE: what is wrong).

    Exit code 0 when all are valid, 1 when any is invalid, 2 when a file does not exist.

    Example: tra-assess questionnaires validate my-questionnaire.yaml
    """
    from tra_assess.common.errors import TraAssessError
    from tra_assess.common.textsafe import one_line
    from tra_assess.questionnaire.load import load_questionnaire_file

    status = 0
    for given in paths:
        path = given
        if given.is_dir() and (given / "questionnaire.yaml").is_file():
            path = given / "questionnaire.yaml"
        elif given.is_dir():
            err(f"error: {given}: is a folder; give the questionnaire's YAML file")
            status = 2
            continue
        elif not given.is_file():
            err(f"error: {given}: no such file")
            status = 2
            continue
        try:
            q = load_questionnaire_file(path, display=str(path))
        except TraAssessError as exc:
            for line in exc.lines():
                err(line)
            status = max(status, 1)
            continue
        domains = f"{len(q.domains)} domain{'s' if len(q.domains) != 1 else ''}"
        items = f"{len(q.items)} item{'s' if len(q.items) != 1 else ''}"
        typer.echo(one_line(f"{path}: ok ({q.id} {q.version}: {domains}, {items})"))
    return status
