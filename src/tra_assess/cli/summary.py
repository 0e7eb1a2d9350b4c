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
    elif overall.meets_target is False and _at_or_above(results, overall.level):
        pending = any(d.unverified or d.contested for d in results.domains)
        verdict = (
            "target not met: pending verification of a critical practice"
            if pending
            else f"target not met: {overall.status}, not every domain is scored"
        )
    elif overall.meets_target is False:
        verdict = "below the target"
    else:
        verdict = "not enough answers to compare with the target"
    line = (
        f"Overall: {level} (score {number(overall.score)}, {overall.status}); "
        f"target {target}: {verdict}"
    )
    return _t(line)


def _at_or_above(results: Results, level: str | None) -> bool:
    ids = [lv.id for lv in results.levels]
    return level in ids and results.target in ids and ids.index(level) >= ids.index(results.target)


def _flags(domain: DomainResult) -> str:
    """What to notice about a domain, in words (item ids are listed under the table)."""
    flags: list[str] = []
    if domain.status != "scored":
        flags.append(domain.status)
    if domain.capped_by:
        flags.append("capped")
    if domain.unverified:
        flags.append("unverified")
    if domain.contested:
        flags.append("contested")
    if domain.low_agreement:
        flags.append(f"low agreement (sd {number(domain.sd)})")
    if domain.unknown_rate is not None and domain.unknown_rate > HIGH_UNKNOWN_RATE:
        flags.append(f"many don't know ({percent(domain.unknown_rate)})")
    if domain.meets_target is False:
        gap = number(domain.gap)
        # a score at the target held back by a critical practice: not "gap 0.00", which reads
        # as met; the flags before this one say what holds it
        flags.append("held below the target" if gap == "0.00" else f"gap {gap}")
    return ", ".join(flags)


def _table(title: str, expand: bool = False) -> Table:
    return Table(
        title=_t(title),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        expand=expand,
    )


def domain_table(results: Results, width: int = 80) -> Table:
    """Domain, level, score, coverage and flags; names and labels wrap at spaces, never cut."""
    table = _table(f"{results.questionnaire.title} — domains", expand=width < 100)
    table.add_column(_t("Domain"), ratio=6, min_width=14)
    table.add_column(_t("Level"), ratio=3, min_width=9, max_width=24)
    table.add_column(_t("Score"), justify="right", no_wrap=True)
    table.add_column(_t("Cover"), justify="right", no_wrap=True)
    table.add_column(_t("Flags"), ratio=4, min_width=10)
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


def capped_lines(results: Results) -> list[Text]:
    """Which critical items cap which domain: each id whole, on its own line."""
    capped = [d for d in results.domains if d.capped_by]
    if not capped:
        return []
    lines = [_t("Capped by a critical practice rated low (it holds the domain's level down):")]
    for domain in capped:
        lines.append(Text("  " + one_line(f"{domain.title}: {', '.join(domain.capped_by)}")))
    return lines


def verify_lines(results: Results) -> list[Text]:
    """Critical practices to check before the domain can meet the target: unverified (nobody
    rated them) and contested (a minority rates them absent); each id whole, on its own line."""
    lines: list[Text] = []
    for word, why in (
        ("unverified", "no numeric rating: check whether it happens"),
        ("contested", "a minority rates it absent: check before relying on the level"),
    ):
        found = [d for d in results.domains if getattr(d, word)]
        if not found:
            continue
        lines.append(_t(f"Critical practices {word} ({why}):"))
        for domain in found:
            ids = ", ".join(getattr(domain, word))
            lines.append(Text("  " + one_line(f"{domain.title}: {ids}")))
    return lines


def group_table(results: Results) -> Table | None:
    groups = results.groups
    if groups is None:
        return None
    table = _table(f"Groups by {groups.by}")
    table.add_column(_t("Group"), ratio=3)
    table.add_column(_t("Respondents"), justify="right", no_wrap=True)
    table.add_column(_t("Level"), ratio=2)
    table.add_column(_t("Score"), justify="right", no_wrap=True)
    for group in groups.groups:
        name = group.value
        if group.merged_from:
            name = f"{name} = {' + '.join(group.merged_from)}"
        if group.suppressed:
            table.add_row(_t(name), _t("suppressed"), _t("-"), _t("-"))
            continue
        if any(cell.suppressed for cell in group.domains):  # its overall would give a cell back
            table.add_row(_t(name), _t(str(group.n)), _t("suppressed"), _t("suppressed"))
            continue
        level = results.level_label(group.overall_level) if group.overall_level else "-"
        table.add_row(_t(name), _t(str(group.n)), _t(level), _t(number(group.overall_score)))
    return table


def small_groups_line(results: Results) -> Text | None:
    """The line every output carries when groups smaller than the questionnaire's were shown."""
    if not results.allow_small_groups:
        return None
    return _t(
        f"Small groups allowed (--allow-small-groups): groups of {results.min_group_size} or "
        "more are shown, below the questionnaire's minimum; small groups may be recognisable."
    )


def perception_table(results: Results) -> Table | None:
    """The flagged perception gaps: the domain, the groups that rate it highest and lowest."""
    groups = results.groups
    gaps = [g for g in (groups.perception_gaps if groups else []) if g.flagged]
    if groups is None or not gaps:
        return None
    titles = {d.id: d.title for d in results.domains}
    table = _table(f"Perception gaps: {groups.by} groups that see a domain differently")
    table.add_column(_t("Domain"), ratio=4)
    table.add_column(_t("Highest"), ratio=2)
    table.add_column(_t("Lowest"), ratio=2)
    table.add_column(_t("Gap"), justify="right", no_wrap=True)
    for gap in gaps:
        table.add_row(
            _t(titles.get(gap.domain, gap.domain)),
            _t(f"{gap.high} ({number(gap.high_score)})"),
            _t(f"{gap.low} ({number(gap.low_score)})"),
            _t(number(gap.gap)),
        )
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
        cells = sum(1 for g in results.groups.groups for c in g.domains if c.suppressed)
        if cells:
            parts.append(f"{cells} group cell(s) suppressed to protect a smaller group")
    return _t("; ".join(parts) + ".")


def summary(results: Results, width: int = 80) -> RenderableType:
    parts: list[RenderableType] = [headline(results), domain_table(results, width)]
    parts.extend(capped_lines(results))
    parts.extend(verify_lines(results))
    for table in (group_table(results), perception_table(results)):
        if table is not None:
            parts.extend([_t(""), table])
    small = small_groups_line(results)
    if small is not None:
        parts.append(small)
    parts.append(footer(results))
    return Group(*parts)


def print_summary(results: Results, console: Console) -> None:
    console.print(summary(results, console.width))
