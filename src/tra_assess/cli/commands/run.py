from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class Mode(str, Enum):
    individual = "individual"
    consensus = "consensus"


@boundary
def run_command(
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "-q",
            "--questionnaire",
            help="Built-in id or path (default: tra-core, or the one a --resume file names).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Answers file to create.")] = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", help="Continue an answers file: visit unanswered items."),
    ] = None,
    review: Annotated[
        bool,
        typer.Option("--review", help="With --resume: walk every item; Enter keeps an answer."),
    ] = False,
    organization: Annotated[
        str | None, typer.Option("--organization", help="Organisation name.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            help="Your role (or the team's): only the items whose audience includes it are asked.",
        ),
    ] = None,
    respondent: Annotated[
        str | None,
        typer.Option("--respondent", help="Respondent id (optional; anonymous by default)."),
    ] = None,
    mode: Annotated[
        Mode | None, typer.Option("--mode", help="individual, or consensus for a facilitated team.")
    ] = None,
    domain: Annotated[
        list[str] | None, typer.Option("--domain", help="Only these domains (repeatable).")
    ] = None,
    no_notes: Annotated[
        bool, typer.Option("--no-notes", help="Don't ask for evidence notes.")
    ] = False,
    all_items: Annotated[
        bool,
        typer.Option("--all-items", help="Ask every item, whatever the role's audience."),
    ] = False,
) -> int:
    """Walk a team (or one person) through the questionnaire in the terminal, item by item,
    saving every answer at once.

    Keys at each item: a rating, n (not applicable), ? (don't know), b (back), s (skip),
    h (help, again to hide it), q (save and quit). Ctrl-C also saves. Continue later with
    --resume FILE. In a consensus session a rating with ! (3!) records that the room was split,
    and the number and roles of the people taking part are asked instead of a respondent id.

    Example: tra-assess run --organization "Riverbend Family Services" --mode consensus
    """
    import sys

    from tra_assess.cli.console import stdout_console
    from tra_assess.walk.loop import WalkOptions, run_walk

    options = WalkOptions(
        questionnaire=questionnaire,
        out=out,
        resume=resume,
        review=review,
        organization=organization,
        role=role,
        respondent=respondent,
        mode=mode.value if mode is not None else None,
        domains=list(domain or []),
        notes=not no_notes,
        all_items=all_items,
    )
    return run_walk(options, sys.stdin, stdout_console())
