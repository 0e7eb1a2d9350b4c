"""What ``tra-assess run`` shows: start screen, domain introductions, items, help, summary.

Pure presentation on a Rich console made by the caller. Text that comes from files or
options (questionnaire texts, organisation names, notes) goes through
:func:`tra_assess.common.textsafe.plain` into :class:`rich.text.Text`: never markup, never control
sequences. The progress bar is plain text, so it reads the same without colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from tra_assess.common.display import fmt_number
from tra_assess.common.textsafe import one_line, plain
from tra_assess.sources.answers import NA, UNKNOWN, Value

if TYPE_CHECKING:
    from rich.console import Console

    from tra_assess.questionnaire.model import Domain, Item, Questionnaire
    from tra_assess.results.model import Results
    from tra_assess.walk.session import Position

MINUTES_PER_ITEM = {"individual": 1, "consensus": 3}


def safe(text: object, style: str = "") -> Text:
    """User or file text as literal text: no markup, no escape or control sequences."""
    return Text(plain(text), style=style)


def scale_range(q: Questionnaire) -> str:
    values = q.scale_values
    return f"{values[0]}-{values[-1]}"


def describe_value(q: Questionnaire, value: Value | None) -> str:
    if value is None:
        return "unanswered"
    if value == NA:
        return "n (not applicable)"
    if value == UNKNOWN:
        return "? (don't know)"
    for point in q.scale:
        if point.value == value:
            return f"{value} ({one_line(point.label)})"
    return str(value)


def keys_lines(q: Questionnaire) -> list[str]:
    return [
        f"Keys: {scale_range(q)} a rating · n not applicable · ? don't know · b back",
        "      s skip · h help · q save and quit",
    ]


def prompt_text(q: Questionnaire, keeps: bool) -> str:
    enter = ", Enter keeps" if keeps else ""
    return f"Rating ({scale_range(q)}, n, ?, b, s, h, q{enter}): "


def estimate(items: int, mode: str | None) -> str:
    """An honest time estimate: about a minute per item alone, three as a team."""
    alone = items * MINUTES_PER_ITEM["individual"]
    team = items * MINUTES_PER_ITEM["consensus"]
    if mode == "individual":
        return f"about {_minutes(alone)} on your own"
    if mode == "consensus":
        return f"about {_minutes(team)} as a team reaching consensus"
    return f"about {_minutes(alone)} on your own, {_minutes(team)} as a team reaching consensus"


def _minutes(minutes: int) -> str:
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes / 60
    return f"{hours:.1f} hours".replace(".0 ", " ")


def start_screen(
    console: Console,
    q: Questionnaire,
    domains: list[Domain],
    to_visit: int,
    mode: str | None,
    unanswered: dict[str, int] | None = None,
) -> None:
    """What the questionnaire is, its domains and item counts, the time it takes, the keys."""
    console.print(safe(q.title, "bold"))
    console.print(safe(f"{q.id} {q.version}", "dim"))
    if q.description:
        console.print()
        console.print(safe(q.description.strip()))
    console.print()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Domain")
    table.add_column("Items", justify="right")
    if unanswered is not None:
        table.add_column("To answer", justify="right")
    for i, domain in enumerate(domains, start=1):
        row = [Text(str(i)), safe(domain.title), Text(str(len(domain.items)))]
        if unanswered is not None:
            row.append(Text(str(unanswered.get(domain.id, 0))))
        table.add_row(*row)
    console.print(table)
    console.print()
    noun = "item" if to_visit == 1 else "items"
    console.print(Text(f"{to_visit} {noun} to go: {estimate(to_visit, mode)}."))
    for line in keys_lines(q):
        console.print(Text(line))
    console.print(
        Text(
            "Every answer is saved at once: you can stop with q (or Ctrl-C) and "
            "come back later with --resume."
        )
    )


def domain_intro(console: Console, domain: Domain, number: int, count: int) -> None:
    console.print()
    console.rule(safe(f"Domain {number} of {count}: {one_line(domain.title)}", "bold"))
    if domain.description:
        console.print(safe(domain.description.strip()))
    noun = "item" if len(domain.items) == 1 else "items"
    console.print(Text(f"{len(domain.items)} {noun} in this domain.", style="dim"))


def progress_bar(done: int, total: int, width: int, unicode: bool = True) -> str:
    """``[████░░░░]  40%`` (``[####----]`` when the terminal cannot show block characters)."""
    width = max(10, width)
    filled = round(width * done / total) if total else width
    full, empty = ("█", "░") if unicode else ("#", "-")
    percent = round(100 * done / total) if total else 100
    return f"[{full * filled}{empty * (width - filled)}] {percent:3d}%"


def item_screen(
    console: Console,
    q: Questionnaire,
    item: Item,
    where: Position,
    current: Value | None,
    note: str | None,
) -> None:
    """The progress line and bar, the item, its help and its anchors table."""
    console.print()
    line = (
        f"Domain {where.domain_index}/{where.domain_count} · "
        f"Item {where.item_index}/{where.item_count} · "
        f"{where.answered} of {where.total} answered"
    )
    if where.visit_count != where.total:
        line += f" · this session {where.visit_index}/{where.visit_count}"
    console.print(Text(line, style="dim"))
    unicode = (console.encoding or "").lower().startswith("utf")
    bar_width = min(40, console.width - 8)
    console.print(Text(progress_bar(where.answered, where.total, bar_width, unicode), style="dim"))
    console.print()
    console.print(safe(item.text.strip(), "bold"))
    if item.critical:
        console.print(
            Text("Critical practice: a low rating here caps the domain's level.", style="italic")
        )
    if item.help:
        console.print(Text.assemble(("Facilitator help: ", "italic"), safe(item.help.strip())))
    console.print(anchors_table(q, item))
    if current is not None:
        console.print(Text(f"Current answer: {describe_value(q, current)}. Enter keeps it."))
    if note:
        console.print(Text.assemble("Current note: ", safe(note)))


def anchors_table(q: Questionnaire, item: Item) -> Table:
    """Each rating, its scale label and what it looks like for this item."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("Rating", justify="right", no_wrap=True)
    table.add_column("Scale")
    looks = [item.anchors.get(p.value) or p.description or "" for p in q.scale]
    if any(looks):
        table.add_column("What it looks like here" if item.anchors else "What it means")
    for point, text in zip(q.scale, looks, strict=True):
        row = [Text(str(point.value)), safe(point.label)]
        if any(looks):
            row.append(safe(text.strip()))
        table.add_row(*row)
    return table


def key_help(console: Console, q: Questionnaire, notes: bool) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.add_column("Key")
    table.add_column("What it does")
    rows = [
        (scale_range(q), "rate this item (a scale label also works)"),
        ("n", "not applicable here"),
        ("?", "don't know (itself a finding: it shows where knowledge is missing)"),
        ("b", "back to the previous item, showing its current answer"),
        ("s", "skip: leave it for now (a --resume visits it again)"),
        ("Enter", "keep the current answer (when the item has one)"),
        ("h", "this help"),
        ("q", "save and quit (Ctrl-C also saves); continue later with --resume"),
    ]
    for key, what in rows:
        table.add_row(Text(key), Text(what))
    console.print(table)
    if notes:
        console.print(
            Text(
                "After a rating, an evidence note can be typed (Enter skips it; "
                "an existing note is kept unless you type a new one, '-' removes it)."
            )
        )


def fmt_score(score: float | None) -> str:
    return fmt_number(score, none="-")


def summary(console: Console, results: Results, domain_ids: list[str]) -> None:
    """This respondent's domain levels and overall level."""
    console.print()
    console.rule(Text("Your results", style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Domain", ratio=3)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Level", ratio=2)
    table.add_column("Note", ratio=2, overflow="fold")
    for domain in results.domains:
        if domain.id not in domain_ids:
            continue
        remark: str = domain.status if domain.status != "scored" else ""
        if domain.capped_by:
            remark = "capped by " + ", ".join(domain.capped_by)
        table.add_row(
            safe(domain.title),
            Text(fmt_score(domain.score)),
            safe(results.level_label(domain.level) if domain.level else "-"),
            safe(remark),
        )
    overall = results.overall
    table.add_section()
    table.add_row(
        Text("Overall (weakest link)", style="bold"),
        Text(fmt_score(overall.score)),
        safe(results.level_label(overall.level) if overall.level else "-", "bold"),
        Text(overall.status if overall.status != "scored" else ""),
    )
    console.print(table)
    target = results.level_label(results.target)
    console.print(
        Text(
            f"Target: {plain(target)}. The overall level is the lowest domain "
            "level; a critical item rated low caps its domain."
        )
    )
