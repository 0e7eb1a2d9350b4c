"""The action plan (SPEC section 9.1): a results file's priorities as rows a team can track.

One row per priority (every candidate with ``all_candidates``), in rank order, with the
item's current level (worded as the item's, never its domain's), the next action, what
"done" looks like (the anchor of the next rating up) and empty owner, due and status
columns. Given a baseline, each of the baseline's priorities is marked ``moved``, ``not
moved`` or ``now met`` by its item's score and level then and now.

Written as CSV (formula-safe), an Excel table (:mod:`tra_assess.common.xlsxtable`) or
Markdown for a board paper (user text escaped).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from tra_assess.common.display import fmt_number, fmt_percent
from tra_assess.common.textsafe import csv_cell, md_inline, one_line
from tra_assess.results.model import ItemResult, Priority, Results

__all__ = ["ActionPlan", "PlanRow", "ReviewRow", "build_action_plan", "render_plan"]

TOLERANCE = 1e-9
NOW_MET = "now met"
MOVED = "moved"
NOT_MOVED = "not moved"
NOT_ASSESSED = "not assessed now"
NEW = "new"
VERDICTS = (NOW_MET, MOVED, NOT_MOVED, NOT_ASSESSED)
PlanFormat = Literal["csv", "xlsx", "md"]


@dataclass
class PlanRow:
    rank: int | None
    domain_id: str
    domain: str
    item_id: str
    item: str
    critical: bool
    kind: str
    level: str
    action: str
    done_when: str
    since_baseline: str = ""
    baseline_rank: int | None = None


@dataclass
class ReviewRow:
    """One of the baseline's priorities, then and now."""

    baseline_rank: int
    item_id: str
    item: str
    domain: str
    then: str
    now: str
    verdict: str


@dataclass
class ActionPlan:
    title: str
    subtitle: str
    target: str
    rows: list[PlanRow]
    review: list[ReviewRow] = field(default_factory=list)
    baseline_date: str | None = None
    warnings: list[str] = field(default_factory=list)
    all_candidates: bool = False


# -- building ----------------------------------------------------------------------------------


def build_action_plan(
    results: Results,
    *,
    all_candidates: bool = False,
    baseline: Results | None = None,
    work_out: Callable[[Results], list[Priority]] | None = None,
    pairing: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
) -> ActionPlan:
    """The plan of ``results``; see the module docstring. ``work_out`` finds every candidate
    of a file that does not list them (the scoring rules', given by the caller); ``pairing``
    (baseline item id -> follow-up id, baseline item id -> why it has none) follows items
    across questionnaire versions (by id without it)."""
    warnings: list[str] = []
    chosen: list[Priority] = list(results.priorities)
    if all_candidates:
        if results.candidates or work_out is None:
            chosen = list(results.candidates)
        else:
            chosen = work_out(results)
            warnings.append(
                "this results file does not list every candidate (it was written by an earlier "
                "version): candidates were worked out from its scores, and an item that was "
                "not a priority may have no next action; score the answers again to get them"
            )
    if results.allow_small_groups and results.groups is not None:
        warnings.append(
            f"the results this plan comes from were scored with small groups allowed "
            f"(--allow-small-groups): their groups of {results.min_group_size} or more are "
            "shown, below the questionnaire's minimum, and may be recognisable; the plan "
            "itself shows no group"
        )
    items = {item.id: item for item in results.items}
    titles = {domain.id: domain.title for domain in results.domains}
    rows = [_row(results, p, items.get(p.item), titles) for p in chosen]
    plan = ActionPlan(
        title=_title(results),
        subtitle=_subtitle(results),
        target=one_line(results.level_label(results.target)),
        rows=rows,
        warnings=warnings,
        all_candidates=all_candidates,
    )
    if baseline is not None:
        _review(plan, results, baseline, items, titles, pairing)
    return plan


def _title(results: Results) -> str:
    orgs = results.organizations
    subject = orgs[0] if len(orgs) == 1 else results.questionnaire.title
    return one_line(f"Action plan: {subject}")


def _subtitle(results: Results) -> str:
    q = results.questionnaire
    date = results.assessed_on or "assessment date not recorded"
    text = (
        f"Assessed {date}; {q.title} ({q.id} {q.version}); target "
        f"{results.level_label(results.target)}"
    )
    return one_line(text)


def _row(results: Results, p: Priority, item: ItemResult | None, titles: dict[str, str]) -> PlanRow:
    return PlanRow(
        rank=p.rank,
        domain_id=p.domain,
        domain=one_line(titles.get(p.domain, p.domain)),
        item_id=p.item,
        item=one_line(p.text or (item.text if item else "")),
        critical=p.critical,
        kind=p.kind,
        level=item_level_text(results, p, item),
        action=one_line(p.action) if p.action else _no_action(p),
        done_when=done_when(results, p, item),
    )


def _no_action(p: Priority) -> str:
    if p.kind == "verify":
        return "Check with the people who see this practice whether it is in place."
    return "No action given in the questionnaire; agree one as a team."


def item_level_text(results: Results, p: Priority, item: ItemResult | None) -> str:
    """The item's own level, worded as the item's: "Item at Middle (score 1.75)"."""
    status = item.status if item is not None else None
    score = p.score if p.score is not None else (item.score if item else None)
    level = p.level if p.level is not None else (item.level if item else None)
    if status == "unverified" or (p.kind == "verify" and score is None):
        return "Item unverified: no rating (don't know or unanswered)"
    text = (
        f"Item at {results.level_label(level)} (score {fmt_number(score)})"
        if level is not None
        else "Item not rated"
    )
    if status == "contested" and item is not None:
        text += f"; contested: {fmt_percent(item.dissent)} rate it at the two lowest values"
    return one_line(text)


def done_when(results: Results, p: Priority, item: ItemResult | None) -> str:
    """What the practice looks like one step higher: the anchor of the smallest scale value
    above the item's score (for a verify item: what would settle it)."""
    status = item.status if item is not None else None
    score = p.score if p.score is not None else (item.score if item else None)
    if status == "unverified" or (p.kind == "verify" and score is None):
        return "Rated by the people who see this practice (a number, not don't know)."
    if status == "contested":
        return (
            f"Fewer than {fmt_percent(results.critical_dissent)} of its ratings are at the two "
            "lowest values."
        )
    if score is None:
        return ""
    above = [s for s in results.scale if s.value > score + TOLERANCE]
    if not above:
        return ""
    step = min(above, key=lambda s: s.value)
    anchor = (item.anchors.get(str(step.value)) if item is not None else None) or ""
    label = f"Rated {step.value} ({step.label})"
    return one_line(f"{label}: {anchor}" if anchor else label)


# -- the baseline's priorities, then and now --------------------------------------------------


def verdict(results: Results, before: Priority, now: ItemResult | None) -> str:
    """``now met``, ``moved`` or ``not moved`` (or ``not assessed now``) for a baseline
    priority: met when the item's own level now reaches the target and it is neither
    unverified nor contested; moved when its score or level rose."""
    if now is None:
        return NOT_ASSESSED
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    goal = ranks[results.target]
    if (
        now.level in ranks
        and ranks[now.level] >= goal
        and now.status
        not in (
            "unverified",
            "contested",
        )
    ):
        return NOW_MET
    if now.score is None:
        return NOT_MOVED
    if before.score is None:
        return MOVED  # unverified then, rated now
    if now.score > before.score + TOLERANCE and fmt_number(now.score) != fmt_number(before.score):
        return MOVED  # a rise the reader can see in the numbers shown
    if before.level in ranks and now.level in ranks and ranks[now.level] > ranks[before.level]:
        return MOVED
    return NOT_MOVED


def _state(results: Results, score: float | None, level: str | None) -> str:
    if score is None:
        return "no rating"
    return f"{fmt_number(score)} ({one_line(results.level_label(level))})"


def _review(
    plan: ActionPlan,
    results: Results,
    baseline: Results,
    items: dict[str, ItemResult],
    titles: dict[str, str],
    pairing: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
) -> None:
    if baseline.questionnaire.id != results.questionnaire.id:
        from tra_assess.common.errors import InvalidInputError

        raise InvalidInputError(
            f"the baseline is for {baseline.questionnaire.id!r} and the results for "
            f"{results.questionnaire.id!r}: a plan can only be reviewed against the same "
            "questionnaire"
        )
    plan.baseline_date = baseline.assessed_on or "undated"
    by_item = {row.item_id: row for row in plan.rows}
    base_titles = {d.id: d.title for d in baseline.domains}
    same, why = pairing if pairing is not None else ({}, {})
    for p in baseline.priorities:
        gone = why.get(p.item)  # split, merged or removed since: not the same practice
        now = None if gone else items.get(same.get(p.item, p.item))
        word = verdict(results, p, now)
        plan.review.append(
            ReviewRow(
                baseline_rank=p.rank,
                item_id=p.item,
                item=one_line(p.text),
                domain=one_line(titles.get(p.domain) or base_titles.get(p.domain, p.domain)),
                then=_state(baseline, p.score, p.level),
                now=_state(results, now.score, now.level)
                if now
                else one_line(gone or "not in this assessment"),
                verdict=word,
            )
        )
        row = None if gone else by_item.get(same.get(p.item, p.item))
        if row is not None:
            row.since_baseline, row.baseline_rank = word, p.rank
    for row in plan.rows:
        if not row.since_baseline:
            row.since_baseline = NEW


def review_context(
    results: Results,
    baseline: Results,
    pairing: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
) -> dict[str, object]:
    """The baseline's priorities, then and now, for the report (``baseline_review``)."""
    plan = build_action_plan(results, baseline=baseline, pairing=pairing)
    counts = {word: sum(1 for r in plan.review if r.verdict == word) for word in VERDICTS}
    return {
        "date": plan.baseline_date,
        "rows": [
            {
                "rank": r.baseline_rank,
                "item": r.item_id,
                "text": r.item,
                "domain": r.domain,
                "then": r.then,
                "now": r.now,
                "verdict": r.verdict,
            }
            for r in plan.review
        ],
        "summary": (
            f"Of the baseline's {len(plan.review)} priorities: {counts[NOW_MET]} now met, "
            f"{counts[MOVED]} moved, {counts[NOT_MOVED]} not moved"
            + (f", {counts[NOT_ASSESSED]} not assessed now" if counts[NOT_ASSESSED] else "")
            + ". Moved means the item's score or level rose; now met means its own level "
            "reaches the target."
        ),
    }


# -- writing -------------------------------------------------------------------------------------


def _headers(plan: ActionPlan) -> list[str]:
    headers = ["rank", "domain", "item", "item_id", "critical", "kind", "item_level"]
    headers += ["next_action", "done_when"]
    if plan.baseline_date is not None:
        headers += ["since_baseline", "baseline_rank"]
    return [*headers, "owner", "due", "status"]


def _cells(plan: ActionPlan, row: PlanRow) -> list[str | int | None]:
    cells: list[str | int | None] = [
        row.rank,
        row.domain,
        row.item,
        row.item_id,
        "yes" if row.critical else "no",
        row.kind,
        row.level,
        row.action,
        row.done_when,
    ]
    if plan.baseline_date is not None:
        cells += [row.since_baseline, row.baseline_rank]
    return [*cells, "", "", ""]


def _review_headers() -> list[str]:
    return ["baseline_rank", "domain", "item", "item_id", "then", "now", "since_baseline"]


def _review_cells(row: ReviewRow) -> list[str | int | None]:
    return [row.baseline_rank, row.domain, row.item, row.item_id, row.then, row.now, row.verdict]


def plan_csv(plan: ActionPlan) -> str:
    """One CSV table: the plan's rows; with a baseline, then the baseline's priorities that
    are no longer in the plan (rank empty, their ``since_baseline`` said)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers = _headers(plan)
    writer.writerow(headers)
    for row in plan.rows:
        writer.writerow([_csv(value) for value in _cells(plan, row)])
    in_plan = {row.item_id for row in plan.rows}
    for review in plan.review:
        if review.item_id in in_plan:
            continue
        left = PlanRow(
            rank=None,
            domain_id="",
            domain=review.domain,
            item_id=review.item_id,
            item=review.item,
            critical=False,
            kind="from baseline",
            level=f"then {review.then}; now {review.now}",
            action="",
            done_when="",
            since_baseline=review.verdict,
            baseline_rank=review.baseline_rank,
        )
        cells = _cells(plan, left)
        cells[headers.index("critical")] = ""
        writer.writerow([_csv(value) for value in cells])
    return buffer.getvalue()


def _csv(value: str | int | None) -> str:
    if value is None:
        return ""
    return csv_cell(value) if isinstance(value, str) else str(value)


WIDTHS = {
    "rank": 6,
    "domain": 22,
    "item": 45,
    "item_id": 24,
    "critical": 9,
    "kind": 9,
    "item_level": 26,
    "next_action": 50,
    "done_when": 45,
    "since_baseline": 15,
    "baseline_rank": 9,
    "owner": 16,
    "due": 12,
    "status": 14,
    "then": 22,
    "now": 22,
}


def plan_xlsx(plan: ActionPlan) -> bytes:
    """An .xlsx workbook: the sheet "Action plan" (table ``ActionPlan``) and, with a baseline,
    "Since baseline" (table ``SinceBaseline``)."""
    from tra_assess.common.xlsxtable import SheetTable, workbook_bytes

    tables = [
        SheetTable(
            "Action plan",
            "ActionPlan",
            _headers(plan),
            [_cells(plan, row) for row in plan.rows],
            WIDTHS,
        )
    ]
    if plan.baseline_date is not None:
        tables.append(
            SheetTable(
                "Since baseline",
                "SinceBaseline",
                _review_headers(),
                [_review_cells(row) for row in plan.review],
                WIDTHS,
            )
        )
    return workbook_bytes(tables)


def plan_markdown(plan: ActionPlan) -> str:
    """The plan for a board paper (GitHub Markdown; user text escaped)."""
    lines = [f"# {md_inline(plan.title)}", "", md_inline(plan.subtitle), ""]
    what = "every candidate" if plan.all_candidates else "the priorities"
    lines += [
        f"{len(plan.rows)} {'row' if len(plan.rows) == 1 else 'rows'}: {what} in rank order. "
        "The level is the item's own (not its domain's); \"done when\" is what the practice "
        "looks like one rating higher. Owner, due and status are for the team to fill in.",
        "",
    ]
    for warning in plan.warnings:
        lines += [f"> Note: {md_inline(warning)}", ""]
    since = plan.baseline_date is not None
    head = "| Rank | Domain | Item | Item level | Next action | Done when |"
    rule = "|---:|---|---|---|---|---|"
    if since:
        head += " Since baseline |"
        rule += "---|"
    lines += [head + " Owner | Due | Status |", rule + "---|---|---|"]
    for row in plan.rows:
        critical = "**CRITICAL** " if row.critical else ""
        verify = "**VERIFY** " if row.kind == "verify" else ""
        cells = [
            str(row.rank) if row.rank is not None else "",
            md_inline(row.domain),
            f"{verify}{critical}{md_inline(row.item)} ({md_inline(row.item_id)})",
            md_inline(row.level),
            md_inline(row.action),
            md_inline(row.done_when) or "—",
        ]
        if since:
            cells.append(md_inline(row.since_baseline))
        lines.append("| " + " | ".join(cells) + " |  |  |  |")
    if not plan.rows:
        lines += ["", "No priorities: every scored item is at or above the target level."]
    if since:
        lines += ["", f"## The priorities of the baseline ({md_inline(plan.baseline_date)})", ""]
        if plan.review:
            counts = {
                word: sum(1 for r in plan.review if r.verdict == word)
                for word in (NOW_MET, MOVED, NOT_MOVED)
            }
            lines += [
                f"Of {len(plan.review)}: {counts[NOW_MET]} now met, {counts[MOVED]} moved, "
                f"{counts[NOT_MOVED]} not moved. Moved means the item's score or level rose; "
                "now met means its own level reaches the target.",
                "",
                "| Then rank | Domain | Item | Then | Now | Since baseline |",
                "|---:|---|---|---|---|---|",
            ]
            for r in plan.review:
                lines.append(
                    f"| {r.baseline_rank} | {md_inline(r.domain)} | {md_inline(r.item)} "
                    f"({md_inline(r.item_id)}) | {md_inline(r.then)} | {md_inline(r.now)} | "
                    f"**{md_inline(r.verdict)}** |"
                )
        else:
            lines.append("The baseline had no priorities.")
    return "\n".join(lines) + "\n"


def render_plan(plan: ActionPlan, fmt: PlanFormat) -> str | bytes:
    if fmt == "csv":
        return plan_csv(plan)
    if fmt == "xlsx":
        return plan_xlsx(plan)
    return plan_markdown(plan)
