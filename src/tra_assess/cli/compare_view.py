"""The terminal table of ``tra-assess compare`` (Markdown is in
:mod:`tra_assess.compare.render`, which also words the cells both share).

Built to read at 80 columns: names and level changes wrap at spaces, numbers never wrap, and
an item's id is on its own line under its text, so it is never broken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from tra_assess.common.display import fmt_number
from tra_assess.common.textsafe import one_line
from tra_assess.compare.render import (
    CRITICAL,
    NOT_COMPARED,
    SHARED_NOTE,
    dates_line,
    domain_rows,
    fmt_against_target,
    fmt_level_change,
    fmt_meeting_target,
    heading,
    rescored,
    row_title,
)

if TYPE_CHECKING:
    from rich.console import Console

    from tra_assess.compare.change import Comparison, ItemMove

PROGRESS_NOTE = (
    "Against the target: the gap to the target's score then and now (\"gap 0.33 → 0.12\"), "
    "\"target reached\", or \"further from target by ...\"."
)


def _table(title: str | None = None, *, width: int, leading: int = 0) -> Table:
    return Table(
        title=Text(title) if title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        expand=width < 100,  # narrow: share the width by ratio, so names get the most
        leading=leading,
    )


def domain_table(comparison: Comparison, width: int = 80) -> Table:
    table = _table(width=width)
    table.add_column("Domain", ratio=1, min_width=12)
    table.add_column("Before", justify="right", no_wrap=True)
    table.add_column("After", justify="right", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("Level", ratio=1, min_width=10)
    table.add_column("Against the target", ratio=1, min_width=12)
    for row in domain_rows(comparison):
        table.add_row(
            Text(one_line(row_title(row)), style="bold" if row.id == "overall" else ""),
            Text(fmt_number(row.baseline_score)),
            Text(fmt_number(row.followup_score)),
            Text(fmt_number(row.change, signed=True)),
            Text(fmt_level_change(comparison, row)),
            Text(fmt_against_target(row)),
        )
    return table


def item_cell(item: ItemMove) -> Text:
    """The item's text (marked when critical), and its id whole on a line of its own."""
    text = Text()
    if item.critical:
        text.append(f"{CRITICAL} ", style="bold")
    text.append(one_line(item.text))
    text.append("\n")
    text.append(one_line(item.id), style="dim")
    return text


def items_table(comparison: Comparison, width: int = 80) -> Table:
    table = _table("Items that moved most", width=width, leading=1)
    table.add_column("Item", ratio=1, min_width=20)
    table.add_column("Before", justify="right", no_wrap=True)
    table.add_column("After", justify="right", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    for item in comparison.items_moved:
        table.add_row(
            item_cell(item),
            Text(fmt_number(item.baseline_score)),
            Text(fmt_number(item.followup_score)),
            Text(fmt_number(item.change, signed=True)),
        )
    return table


def print_table(comparison: Comparison, console: Console) -> None:
    """The comparison as Rich tables; every cell is plain text from the data."""
    console.print(Text(one_line(heading(comparison)), style="bold"))
    if comparison.organizations:
        console.print(Text(one_line(", ".join(comparison.organizations))))
    console.print(Text(one_line(dates_line(comparison))))
    console.print(Text(fmt_meeting_target(comparison)))
    console.print(domain_table(comparison, console.width))
    console.print(Text(PROGRESS_NOTE, style="dim"))
    if comparison.items_moved:
        console.print()
        console.print(items_table(comparison, console.width))
    else:
        console.print(Text("No item score changed."))
    print_left_out(comparison, console)


def print_left_out(comparison: Comparison, console: Console) -> None:
    """What was not compared, and why: one line per item change or domain."""
    if not (comparison.left_out or rescored(comparison)):
        return
    console.print()
    console.print(Text(f"{NOT_COMPARED}:", style="bold"))
    for note in comparison.left_out:
        console.print(Text(f"- {one_line(note.text)}"))
    if rescored(comparison):
        console.print(Text(SHARED_NOTE, style="dim"))
