"""``tra-assess trend`` in the terminal: a Rich table of each domain's score and level at
each assessment (user text printed as plain text, never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tra_assess.common.textsafe import one_line
from tra_assess.compare.trend import Trend, cell_text, change_text, point_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


def _table(trend: Trend) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(one_line(f"Trend: {trend.questionnaire_title} (target {trend.target_label})")),
        show_lines=False,
    )
    table.add_column("Domain")
    for date in trend.dates:
        table.add_column(date, justify="right")
    table.add_column("Change", justify="right")
    for row in [*trend.domains, trend.overall]:
        if row.id == "overall":
            table.add_section()
        change = change_text(row)
        cells = [Text(one_line(point_text(trend, p))) for p in row.points]
        style = "bold" if row.id == "overall" else ""
        table.add_row(Text(one_line(row.title), style=style), *cells, Text(change))
    return table


def print_trend(trend: Trend, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(_table(trend))
    if trend.groups is not None:
        g = trend.groups
        groups = Table(title=Text(one_line(f"Overall score by {g.by}")))
        groups.add_column("Group")
        for date in trend.dates:
            groups.add_column(date, justify="right")
        for group in g.groups:
            groups.add_row(
                Text(one_line(group.value)), *(Text(cell_text(c)) for c in group.overall)
            )
        console.print(groups)
        console.print(Text(one_line(f"suppressed: {g.rule}, in that assessment")))


def trend_text(trend: Trend) -> str:
    """The table as plain text (for --out with --format table)."""
    import io

    from rich.console import Console

    console = Console(
        width=120,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
        record=True,
        file=io.StringIO(),
    )
    print_trend(trend, console)
    return console.export_text()
