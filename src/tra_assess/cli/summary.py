"""The terminal summary of a results document (``tra-assess score --format table``).

Everything that comes from data (titles, group values, level labels) is plain
:class:`rich.text.Text` made with :func:`tra_assess.common.textsafe.plain`: never markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from tra_assess.common.display import fmt_number, fmt_percent
from tra_assess.common.textsafe import one_line
from tra_assess.results.model import DomainResult, Results

HIGH_UNKNOWN_RATE = 0.25


def number(value: float | None) -> str:
    return fmt_number(value, none="-")


def percent(value: float | None) -> str:
    return fmt_percent(value, none="-")


def _t(text: object) -> Text:
    return Text(one_line(text))


def headline(results: Results) -> Text:
    overall = results.overall
    target = results.level_label(results.target)
    level = results.level_label(overall.level) if overall.level else "no level"
    if overall.meets_target is True:
        verdict = "meets the target"
    elif overall.meets_target is False:
        verdict = "below the target"
    else:
        verdict = "not enough answers to compare with the target"
    line = (
        f"Overall: {level} (score {number(overall.score)}, {overall.status}); "
        f"target {target}: {verdict}"
    )
    return _t(line)


def _flags(domain: DomainResult) -> str:
    flags: list[str] = []
    if domain.status != "scored":
        flags.append(domain.status)
    if domain.capped_by:
        flags.append("capped by " + ", ".join(domain.capped_by))
    if domain.unverified:
        flags.append("unverified " + ", ".join(domain.unverified))
    if domain.contested:
        flags.append("contested " + ", ".join(domain.contested))
    if domain.low_agreement:
        flags.append(f"low agreement (sd {number(domain.sd)})")
    if domain.unknown_rate is not None and domain.unknown_rate > HIGH_UNKNOWN_RATE:
        flags.append(f"many don't know ({percent(domain.unknown_rate)})")
    if domain.meets_target is False:
        flags.append(f"gap {number(domain.gap)}")
    return ", ".join(flags)


def domain_table(results: Results, width: int = 80) -> Table:
    table = Table(
        title=_t(f"{results.questionnaire.title} — domains"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # long titles get what the flags leave over: the whole title on a wide terminal
    title_width = max(26, width - 86)
    table.add_column(_t("Domain"), no_wrap=True, overflow="ellipsis", max_width=title_width)
    table.add_column(_t("Level"), no_wrap=True)
    table.add_column(_t("Score"), justify="right", no_wrap=True)
    table.add_column(_t("Cover"), justify="right", no_wrap=True)
    table.add_column(_t("Flags"), overflow="fold", min_width=12)
    for domain in results.domains:
        level = results.level_label(domain.level) if domain.level else "-"
        table.add_row(
            _t(domain.title),
            _t(level),
            _t(number(domain.score)),
            _t(percent(domain.coverage)),
            _t(_flags(domain) or "-"),
        )
    return table


def group_table(results: Results) -> Table | None:
    groups = results.groups
    if groups is None:
        return None
    table = Table(
        title=_t(f"Groups by {groups.by}"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for header in ("Group", "Respondents", "Level", "Score"):
        table.add_column(_t(header), justify="left" if header in ("Group", "Level") else "right")
    for group in groups.groups:
        if group.suppressed:
            table.add_row(_t(group.value), _t("suppressed"), _t("-"), _t("-"))
            continue
        level = results.level_label(group.overall_level) if group.overall_level else "-"
        table.add_row(_t(group.value), _t(str(group.n)), _t(level), _t(number(group.overall_score)))
    return table


def footer(results: Results) -> Text:
    inputs = results.inputs
    parts = [f"{results.respondents} respondent(s) from {inputs.files} input(s)"]
    if inputs.rejected or inputs.rejected_unlisted:
        count = len(inputs.rejected) + inputs.rejected_unlisted
        parts.append(f"{count} rejected (see the problems above)")
    if results.groups is not None:
        hidden = sum(1 for g in results.groups.groups if g.suppressed)
        if hidden:
            rule = results.groups.suppression_rule.replace(
                "fewer than K", f"fewer than {results.groups.min_size}"
            )
            parts.append(f"{hidden} group(s) {rule}")
    gaps = [g for g in (results.groups.perception_gaps if results.groups else []) if g.flagged]
    for gap in gaps:
        parts.append(f"perception gap in {gap.domain}: {gap.high} vs {gap.low} ({number(gap.gap)})")
    return _t("; ".join(parts))


def summary(results: Results, width: int = 80) -> RenderableType:
    parts: list[RenderableType] = [headline(results), domain_table(results, width)]
    groups = group_table(results)
    if groups is not None:
        parts.append(groups)
    parts.append(footer(results))
    return Group(*parts)


def print_summary(results: Results, console: Console) -> None:
    console.print(summary(results, console.width))
