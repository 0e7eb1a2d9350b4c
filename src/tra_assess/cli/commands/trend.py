from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class TrendFormat(str, Enum):
    table = "table"
    md = "md"
    html = "html"
    json = "json"


@boundary
def trend_command(
    results: Annotated[
        list[Path],
        typer.Argument(
            help="Three or more results files of one questionnaire, in any order.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        TrendFormat, typer.Option("--format", "-f", help="table, md, html or json.")
    ] = TrendFormat.table,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write it here.")] = None,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            "-q",
            metavar="ID|PATH",
            help="For results of several versions: the questionnaire whose changes list says "
            "which items were split, merged, added or removed (default: the built-in one of "
            "that id).",
        ),
    ] = None,
) -> int:
    """Follow each domain's and the overall score and level over three or more assessments,
    sorted by assessment date: a table, Markdown for GitHub, an HTML page of small line
    charts over the level bands (no script), or JSON.

    Every file needs its assessment date (assessed_on). Results of different questionnaire
    versions are followed on the domains and items they all share (the others are named),
    and a domain whose items differ is scored again on the shared items at every date.

    Example: tra-assess trend r-2024.json r-2025.json r-2026.json -f html -o trend.html
    """
    from tra_assess.cli.support import err
    from tra_assess.compare.trend import build_trend
    from tra_assess.reports.inputs import check_output
    from tra_assess.results.load import load_results_file

    check_output(out, None, list(results))
    from tra_assess.scoring.groups import recheck_groups

    loaded = [load_results_file(path) for path in results]
    rechecked = [  # a file may be older, or edited by hand
        f"{path}: {warning}"
        for path, document in zip(results, loaded, strict=True)
        for warning in recheck_groups(document)
    ]
    changes_from = None
    if questionnaire is not None:
        from tra_assess.questionnaire.load import load_questionnaire

        changes_from = load_questionnaire(questionnaire)
    trend = build_trend(loaded, [str(path) for path in results], questionnaire=changes_from)
    for warning in [*rechecked, *trend.warnings]:
        err(f"warning: {warning}")
    if fmt is TrendFormat.table and out is None:
        from tra_assess.cli.console import stdout_console
        from tra_assess.cli.trend_view import print_trend

        print_trend(trend, stdout_console())
        return 0
    if fmt is TrendFormat.json:
        text = json.dumps(trend.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    elif fmt is TrendFormat.html:
        from tra_assess.reports.render import render_trend_html

        text = render_trend_html(trend)
    elif fmt is TrendFormat.md:
        from tra_assess.compare.trend import trend_markdown

        text = trend_markdown(trend)
    else:
        from tra_assess.cli.trend_view import trend_text

        text = trend_text(trend)
    from tra_assess.cli.commands.report import _emit

    _emit(text, out)
    return 0
