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
    from tra_assess.results.model import DomainResult, Results
    from tra_assess.sources.answers import Response
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
    show_keys: bool = False,
    notes: bool = True,
    consensus: bool = False,
) -> None:
    """The progress line and bar, the item, its help, its anchors table (the current answer
    marked) and, when toggled with ``h``, the keys folded under the item."""
    console.print()
    line = (
        f"Domain {where.domain_index}/{where.domain_count} · "
        f"Item {where.item_index}/{where.item_count} · "
        f"{where.answered} of {where.total} answered"
    )
    if where.visit_count != where.total:
        line += f" · this session {where.visit_index}/{where.visit_count}"
    console.print(Text(line, style="dim"))
    bar_width = min(40, console.width - 8)
    console.print(
        Text(progress_bar(where.answered, where.total, bar_width, unicode_ok(console)), style="dim")
    )
    console.print()
    console.print(safe(item.text.strip(), "bold"))
    if item.critical:
        console.print(critical_line())
    if item.help:
        console.print(Text.assemble(("Facilitator help: ", HELP_LABEL), safe(item.help.strip(),
                                                                             HELP_TEXT)))
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
    if show_keys:
        key_help(console, q, notes, consensus)


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


def key_help(console: Console, q: Questionnaire, notes: bool, consensus: bool = False) -> None:
    """The keys, folded under the item in a few lines (``h`` shows and hides them)."""
    pairs = [(scale_range(q), "rate this item (a scale label also works)")]
    if consensus:
        pairs.append((split_example(q), "a rating on which the room was split"))
    pairs += [
        ("n", "not applicable here"),
        ("?", "don't know (itself a finding)"),
        ("Enter", "keep the current answer"),
        ("b", "back to the previous item"),
        ("s", "skip (a --resume visits it again)"),
        ("h", "hide this help"),
        ("q", "save and quit (Ctrl-C also saves)"),
    ]
    grid = Table.grid(padding=(0, 1))
    for _ in range(2):
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
    for i in range(0, len(pairs), 2):
        row = [Text(pairs[i][0]), Text(pairs[i][1])]
        if i + 1 < len(pairs):
            row += [Text(pairs[i + 1][0]), Text(pairs[i + 1][1])]
        grid.add_row(*row)
    console.print(Text("Keys", style=HELP_LABEL))
    console.print(grid)
    if notes:
        console.print(
            Text(
                "After a rating, an evidence note can be typed (Enter skips it or keeps the "
                "current one; '-' removes it)."
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
    for word, meaning in status_words(results, domain_ids):
        console.print(Text.assemble((f"{word}: ", "bold"), f"{meaning}."))


def status_words(results: Results, domain_ids: list[str]) -> list[tuple[str, str]]:
    """What each status word shown in the results means, for the words that appear."""
    shown = [d for d in results.domains if d.id in domain_ids]
    words: list[tuple[str, str]] = []
    share = f"{round(results.min_coverage * 100)} %"
    if any(d.status == "insufficient" for d in shown):
        words.append(
            ("insufficient", f"fewer than {share} of the applicable items answered with a rating, "
             "so the domain has no level yet")
        )
    if any(d.status == "not-applicable" for d in shown):
        words.append(("not-applicable", "every item of the domain was answered n (not applicable)"))
    if results.overall.status == "provisional":
        words.append(
            ("provisional", "the overall level rests on only some of the domains (at least half "
             "of the applicable ones have a level)")
        )
    elif results.overall.status == "insufficient" and not any(
        w == "insufficient" for w, _ in words
    ):
        words.append(("insufficient", "fewer than half of the applicable domains have a level"))
    if any(d.capped_by for d in shown):
        words.append(
            ("capped by", "a critical practice rated low holds the domain's level at its own")
        )
    return words


def domain_recap(
    console: Console,
    q: Questionnaire,
    domain: Domain,
    response: Response,
    result: DomainResult | None,
    consensus: bool,
) -> None:
    """At the end of a domain: its answers, and the level they give so far."""
    console.print()
    console.rule(safe(f"Recap: {one_line(domain.title)}", "bold"), style=RULE)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Item", ratio=3)
    table.add_column("Answer", ratio=2)
    for item in domain.items:
        answer = describe_value(q, response.values.get(item.id))
        cell = Text(answer, style="dim" if item.id not in response.values else "")
        if item.id in response.split:
            cell.append(" · room split", style=SPLIT)
        label = safe(item.text.strip())
        if item.critical:
            label.append(" (critical)", style=CRITICAL_TEXT)
        table.add_row(label, cell)
    console.print(table)
    who = "this team" if consensus else "this respondent"
    if result is None or result.status == "not-applicable":
        console.print(Text(f"Level so far for {who}: none (not applicable)."))
    elif result.level is None:
        share = f"{round(q.min_coverage * 100)} %"
        console.print(
            Text(
                f"Level so far for {who}: none yet (insufficient: fewer than {share} of the "
                "applicable items answered with a rating)."
            )
        )
    else:
        capped = " (capped by a critical practice rated low)" if result.capped_by else ""
        console.print(
            Text.assemble(
                f"Level so far for {who}: ",
                safe(q.level(result.level).label, "bold"),
                f" (score {fmt_score(result.score)}){capped}; provisional until the walk ends.",
            )
        )
