from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli_support import boundary


class CompareFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"


@boundary
def compare_command(
    baseline: Annotated[Path, typer.Argument(help="Results of the earlier assessment.")],
    followup: Annotated[Path, typer.Argument(help="Results of the later assessment.")],
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="table, md or json.")] = CompareFormat.table,
) -> int:
    """Show what changed between two assessments: per domain, overall, and the items that
    moved most, with progress to target.

    Example: tra-assess compare results-2025.json results-2026.json --format md
    """
    raise NotImplementedError("compare")
