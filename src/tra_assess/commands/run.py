from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli_support import boundary


class Mode(str, Enum):
    individual = "individual"
    consensus = "consensus"


@boundary
def run_command(
    questionnaire: Annotated[
        str, typer.Option("-q", "--questionnaire", help="Built-in id or path.")
    ] = "tra-core",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Answers file to create.")] = None,
    resume: Annotated[
        Path | None, typer.Option("--resume", help="Continue an answers file: visit unanswered items.")
    ] = None,
    review: Annotated[
        bool, typer.Option("--review", help="With --resume: walk every item; Enter keeps an answer.")
    ] = False,
    organization: Annotated[str | None, typer.Option("--organization", help="Organisation name.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Your role (or the team's).")] = None,
    respondent: Annotated[
        str | None, typer.Option("--respondent", help="Respondent id (optional; anonymous by default).")
    ] = None,
    mode: Annotated[
        Mode | None, typer.Option("--mode", help="individual, or consensus for a facilitated team.")
    ] = None,
    domain: Annotated[
        list[str] | None, typer.Option("--domain", help="Only these domains (repeatable).")
    ] = None,
    no_notes: Annotated[bool, typer.Option("--no-notes", help="Don't ask for evidence notes.")] = False,
) -> int:
    """Walk a team (or one person) through the questionnaire in the terminal, item by item,
    saving every answer at once.

    Example: tra-assess run --organization "Riverbend Family Services" --mode consensus
    """
    raise NotImplementedError("run")
