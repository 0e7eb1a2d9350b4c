"""Show a :class:`~tra_assess.compare.change.Comparison` as Markdown, and the wording both
Markdown and the terminal table (:mod:`tra_assess.cli.compare_view`) use.

Numbers are rounded half-up to 2 decimals for display only; user text (titles, item texts,
level labels) is plain text in the terminal and escaped in Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

from tra_assess.common.display import DASH, fmt_number
from tra_assess.common.textsafe import md_inline, one_line
from tra_assess.compare.change import Comparison, DomainChange

CRITICAL = "CRITICAL"


def fmt_against_target(row: DomainChange) -> str:
    """The change against the target in words: "gap 0.33 → 0.12", "target reached" ..."""
    return row.against_target or DASH


def fmt_level_change(
    comparison: Comparison, row: DomainChange, escape: Callable[[str], str] = one_line
) -> str:
    """ "Low → Middle (+1)"; level labels (user text) pass through ``escape``."""
    before = row.baseline_status
    if row.baseline_level:
        before = comparison.level_label(row.baseline_level)
    after = row.followup_status
    if row.followup_level:
        after = comparison.level_label(row.followup_level)
    if row.level_change is None:
        return f"{escape(before)} → {escape(after)}"
    if row.level_change == 0:
        return f"{escape(after)} (same)"
    return f"{escape(before)} → {escape(after)} ({row.level_change:+d})"


def domain_rows(comparison: Comparison) -> list[DomainChange]:
    return [*comparison.domains, comparison.overall]


def shared_words(row: DomainChange) -> str:
    """ "on 5 shared items" for a domain scored again on what two versions share; else ""."""
    if row.shared_items is None:
        return ""
    return f"on {row.shared_items} shared item{'' if row.shared_items == 1 else 's'}"


def row_title(row: DomainChange) -> str:
    """The domain's title, with "(on 5 shared items)" when it was scored again on them."""
    words = shared_words(row)
    return f"{row.title} ({words})" if words else row.title


def rescored(comparison: Comparison) -> bool:
    return any(row.shared_items is not None for row in comparison.domains)


SHARED_NOTE = (
    "A domain marked \"on N shared items\" was scored again at both dates on only the items "
    "both versions of the questionnaire share, so its scores can differ from those in each "
    "results file; the overall is then worked out from the compared domains."
)
NOT_COMPARED = "Not compared"


def heading(comparison: Comparison) -> str:
    q = comparison.questionnaire
    version = (
        q.followup_version
        if q.baseline_version == q.followup_version
        else f"{q.baseline_version} → {q.followup_version}"
    )
    return f"{q.title} ({q.id} {version})"


def dates_line(comparison: Comparison) -> str:
    return (
        f"Baseline {comparison.baseline_date or 'date not recorded'} → "
        f"follow-up {comparison.followup_date or 'date not recorded'}; target: "
        f"{comparison.level_label(comparison.target)} "
        f"(score {fmt_number(comparison.target_min_score)})"
    )


def fmt_meeting_target(comparison: Comparison) -> str:
    """ "Domains meeting the target: 0 → 2" (of the compared domains)."""
    return (
        f"Domains meeting the target: {comparison.baseline_domains_meeting_target} → "
        f"{comparison.followup_domains_meeting_target}"
    )


def render_markdown(comparison: Comparison) -> str:
    """The comparison as Markdown (GitHub tables; user text escaped)."""
    lines = [
        f"# Change since baseline: {md_inline(heading(comparison))}",
        "",
    ]
    if comparison.organizations:
        lines += [md_inline(", ".join(comparison.organizations)), ""]
    lines += [md_inline(dates_line(comparison)), "", fmt_meeting_target(comparison), ""]
    lines += [
        "| Domain | Baseline | Follow-up | Change | Level | Against the target |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in domain_rows(comparison):
        title = md_inline(row_title(row))
        if row.id == "overall":
            title = f"**{title}**"
        lines.append(
            f"| {title} | {fmt_number(row.baseline_score)} | {fmt_number(row.followup_score)} "
            f"| {fmt_number(row.change, signed=True)} "
            f"| {fmt_level_change(comparison, row, md_inline)} "
            f"| {md_inline(fmt_against_target(row))} |"
        )
    lines.append("")
    if comparison.items_moved:
        lines += [
            "## Items that moved most",
            "",
            "| Item | Baseline | Follow-up | Change |",
            "|---|---:|---:|---:|",
        ]
        for item in comparison.items_moved:
            marker = f"**{CRITICAL}** " if item.critical else ""
            lines.append(
                f"| {marker}`{item.id}` {md_inline(item.text)} | {fmt_number(item.baseline_score)} "
                f"| {fmt_number(item.followup_score)} | {fmt_number(item.change, signed=True)} |"
            )
        lines.append("")
    if comparison.left_out or rescored(comparison):
        lines += [f"## {NOT_COMPARED}", ""]
        if comparison.left_out:
            lines += [f"- {md_inline(note.text)}" for note in comparison.left_out]
            lines.append("")
        if rescored(comparison):
            lines += [SHARED_NOTE, ""]
    if comparison.warnings:
        lines += ["## Notes", ""]
        lines += [f"- {md_inline(w)}" for w in comparison.warnings]
        lines.append("")
    lines.append(
        "Against the target: the gap to the target score (target score − score, 0 at or above "
        "it) at baseline → at follow-up; \"target reached\" when the follow-up meets the "
        "target and the baseline did not; \"further from target by X\" when the gap grew."
    )
    return "\n".join(lines) + "\n"
