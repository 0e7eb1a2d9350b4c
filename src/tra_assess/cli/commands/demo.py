from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


@boundary
def demo_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the demo into.")
    ] = Path("tra-demo"),
    respondents: Annotated[
        int,
        typer.Option(
            "--respondents",
            "-n",
            min=5,
            max=5000,
            help="How many fictional respondents (5 to 5000).",
        ),
    ] = 60,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same demo).")] = 7,
) -> int:
    """Make a fictional organisation's answers (this year and a year earlier), score them and
    write both reports, so you can see the whole product in one command.

    Example: tra-assess demo --out tra-demo
    """
    from tra_assess.cli.console import stdout_console
    from tra_assess.cli.demo_view import print_summary
    from tra_assess.demo.build import make_demo

    output = make_demo(out, respondents=respondents, seed=seed)
    print_summary(output, stdout_console())
    return 0
