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
    from tra_assess.walk.session import Position

MINUTES_PER_ITEM = {"individual": 1, "consensus": 3}

# Styles: colour where the terminal has it; without colour (NO_COLOR, TERM=dumb, a pipe) every
# style is dropped and the words alone carry the meaning ("Critical practice:", "▶ ... (current
# answer)"), so nothing depends on colour.
CRITICAL_LABEL = "bold red"
CRITICAL_TEXT = "red"
HELP_LABEL = "italic cyan"
HELP_TEXT = "italic"
CURRENT = "bold green"
RULE = "cyan"
HINT = "yellow"
SPLIT = "magenta"


def safe(text: object, style: str = "") -> Text:
    """User or file text as literal text: no markup, no escape or control sequences."""
    return Text(plain(text), style=style)


def scale_range(q: Questionnaire) -> str:
    values = q.scale_values
    return f"{values[0]}-{values[-1]}"


def unicode_ok(console: Console) -> bool:
    return (console.encoding or "").lower().startswith("utf")


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


def keys_lines(q: Questionnaire, consensus: bool = False) -> list[str]:
    lines = [
        f"Keys: {scale_range(q)} a rating · n not applicable · ? don't know · b back",
        "      s skip · h help (again to hide it) · q save and quit",
    ]
    if consensus:
        lines.append(f"      {split_example(q)} a rating on which the room was split")
    return lines


def prompt_text(q: Questionnaire, keeps: bool, consensus: bool = False) -> str:
    enter = ", Enter keeps" if keeps else ""
    split = ", ! split" if consensus else ""
    return f"Rating ({scale_range(q)}, n, ?, b, s, h, q{enter}{split}): "


def split_example(q: Questionnaire) -> str:
    """A rating with the split mark, for the help: ``3!`` on a 0-4 scale."""
    values = q.scale_values
    return f"{values[-2] if len(values) > 1 else values[0]}!"


def scale_words(q: Questionnaire) -> str:
    """``a number from 0 to 4`` (or ``one of 0, 1, 3`` for a scale with gaps)."""
    values = q.scale_values
    if values == list(range(values[0], values[-1] + 1)):
        return f"a number from {values[0]} to {values[-1]}"
    return "one of " + ", ".join(str(v) for v in values)


def expected_keys(q: Questionnaire, consensus: bool = False) -> str:
    """What may be typed at the rating prompt, as a sentence ending."""
    split = f" (add ! if the room was split: {split_example(q)})" if consensus else ""
    return f"type {scale_words(q)}{split}, n, ?, b, s, h or q"


def scale_span(q: Questionnaire) -> str:
    values = q.scale_values
    return f"{values[0]}–{values[-1]}"


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
    console.rule(safe(f"Domain {number} of {count}: {one_line(domain.title)}", "bold"), style=RULE)
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
    *,
    split: bool = False,
    show_help: bool = False,
    consensus: bool = False,
) -> None:
    """The progress line and bar, the item, its anchors table (the current answer marked).

    The facilitator help and the keys are folded: ``h`` shows the item again with them
    unfolded right under it (without the progress lines, so the item stays on the screen), and
    ``h`` again folds them away."""
    console.print()
    if not show_help:
        line = (
            f"Domain {where.domain_index}/{where.domain_count} · "
            f"Item {where.item_index}/{where.item_count} · "
            f"{where.answered} of {where.total} answered"
        )
        if where.visit_count != where.total:
            line += f" · this session {where.visit_index}/{where.visit_count}"
        console.print(Text(line, style="dim"))
        bar_width = min(40, console.width - 8)
        bar = progress_bar(where.answered, where.total, bar_width, unicode_ok(console))
        console.print(Text(bar, style="dim"))
        console.print()
    console.print(safe(item.text.strip(), "bold"))
    if item.critical:
        console.print(critical_line())
    if show_help:
        if item.help:
            help_text = safe(item.help.strip(), HELP_TEXT)
            console.print(Text.assemble(("Facilitator help: ", HELP_LABEL), help_text))
        key_help(console, q, consensus)
    elif item.help:
        console.print(Text("Facilitator help: type h to show it.", style=HELP_LABEL))
    console.print(anchors_table(q, item, current, unicode_ok(console)))
    if current is not None:
        split_words = " The room was split on it." if split else ""
        console.print(
            Text.assemble(
                ("Current answer: ", CURRENT),
                f"{describe_value(q, current)}.{split_words} Enter keeps it.",
            )
        )
    if note:
        console.print(Text.assemble("Current note: ", safe(note)))


def critical_line() -> Text:
    """The critical-practice line: its own label and colour, never mistaken for the help."""
    return Text.assemble(
        ("Critical practice: ", CRITICAL_LABEL),
        ("a low rating here caps the domain's level.", CRITICAL_TEXT),
    )


def anchors_table(
    q: Questionnaire, item: Item, current: Value | None = None, unicode: bool = True
) -> Table:
    """Each rating, its scale label and what it looks like for this item; the current answer
    is marked ``▶ 3 Responsive (current answer)``."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    marked = isinstance(current, int) and current in q.scale_values
    table.add_column("Rating", justify="right", no_wrap=True)
    table.add_column("Scale")
    looks = [item.anchors.get(p.value) or p.description or "" for p in q.scale]
    if any(looks):
        table.add_column("What it looks like here" if item.anchors else "What it means")
    marker = "▶" if unicode else ">"
    for point, text in zip(q.scale, looks, strict=True):
        mine = marked and point.value == current
        style = CURRENT if mine else ""
        label = safe(point.label, style)
        if mine:
            label.append(" (current answer)", style=CURRENT)
        rating = f"{marker} {point.value}" if mine else str(point.value)
        row = [Text(rating, style=style), label]
        if any(looks):
            row.append(safe(text.strip()))
        table.add_row(*row)
    return table


def key_help(console: Console, q: Questionnaire, consensus: bool = False) -> None:
    """The keys as one short paragraph, unfolded under the item by ``h``."""
    pairs = [(scale_range(q), "a rating (a scale label also works)")]
    if consensus:
        pairs.append((split_example(q), "the room was split"))
    pairs += [
        ("n", "not applicable"),
        ("?", "don't know (itself a finding)"),
        ("Enter", "keep the current answer"),
        ("b", "back"),
        ("s", "skip for now"),
        ("q", "save and quit"),
        ("h", "hide this help"),
    ]
    text = Text("Keys: ", style=HELP_LABEL)
    for i, (key, what) in enumerate(pairs):
        if i:
            text.append(" · ")
        text.append(key, style="bold")
        text.append(f" {what}")
    console.print(text)


def fmt_score(score: float | None) -> str:
    return fmt_number(score, none="-")
