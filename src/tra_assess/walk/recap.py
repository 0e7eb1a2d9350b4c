"""What ``tra-assess run`` shows about results: the recap at the end of each domain and the end
screen (this respondent's or team's levels, with the status words explained).

Like :mod:`tra_assess.walk.screen`, pure presentation; text from files is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from tra_assess.common.textsafe import one_line, plain
from tra_assess.walk.screen import CRITICAL_TEXT, RULE, SPLIT, describe_value, fmt_score, safe

if TYPE_CHECKING:
    from rich.console import Console

    from tra_assess.questionnaire.model import Domain, Questionnaire
    from tra_assess.results.model import DomainResult, Results
    from tra_assess.sources.answers import Response

__all__ = ["domain_recap", "status_words", "summary"]


def summary(console: Console, results: Results, domain_ids: list[str]) -> None:
    """This respondent's domain levels and overall level."""
    console.print()
    console.rule(Text("Your results", style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Domain", ratio=3)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Level", ratio=2)
    table.add_column("Note", ratio=2)
    for domain in results.domains:
        if domain.id not in domain_ids:
            continue
        remark: str = domain.status if domain.status != "scored" else ""
        if domain.capped_by:
            remark = "capped"
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
    texts = {item.id: item.text for item in results.items}
    for domain in results.domains:
        if domain.id in domain_ids and domain.capped_by:
            capping = "; ".join(one_line(texts.get(i) or i) for i in domain.capped_by)
            console.print(safe(f"  {one_line(domain.title)} is capped by: {capping}"))


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
            ("capped", "a critical practice rated low holds the domain's level at its own")
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
