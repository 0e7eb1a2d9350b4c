"""The ``tra-assess`` command line: a thin layer over the library.

Only typer is imported at start-up; each command imports the core modules it needs when it
runs, so ``tra-assess --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tra_assess import __version__
from tra_assess.cli.commands import (
    compare,
    demo,
    export,
    form,
    plan,
    questionnaires,
    report,
    run,
    schema,
    score,
    template,
    trend,
)
from tra_assess.cli.parsing import TraGroup
from tra_assess.cli.support import set_debug

app = typer.Typer(
    name="tra-assess",
    cls=TraGroup,
    help=(
        "Assess how trauma-responsive an organisation is in practice, not only in training: "
        "walk a team through the questionnaire (run), score exported answers (score), and "
        "write a board-ready gap report (report).\n\n"
        "Start with: tra-assess demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tra-assess {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks for errors (for bug reports).")
    ] = False,
) -> None:
    set_debug(debug)


app.command("run")(run.run_command)
app.command("score")(score.score_command)
app.command("report")(report.report_command)
app.command("compare")(compare.compare_command)
app.command("trend")(trend.trend_command)
app.command("plan")(plan.plan_command)
app.command("export")(export.export_command)
app.add_typer(questionnaires.app, name="questionnaires")
app.command("template")(template.template_command)
app.command("form")(form.form_command)
app.command("schema")(schema.schema_command)
app.command("demo")(demo.demo_command)


def main() -> None:
    # pydantic looks for plugins in every installed distribution's entry points on first use;
    # tra-assess uses none, and skipping the scan saves start-up time on every command.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
