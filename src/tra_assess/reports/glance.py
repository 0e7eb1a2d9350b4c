"""The at-a-glance strip at the top of a report: every domain's level on the ladder against
the target, and the change since the baseline when there is one (see
:mod:`tra_assess.reports.context`). Each row says in words what its picture shows."""

from __future__ import annotations

from typing import Any

from tra_assess.common.display import fmt_number

ARROWS = {"up": "▲", "down": "▼", "no change": "="}
PENDING = "pending verification of a critical practice"


def _position(index: int | None, target: int, status_text: str, held: str) -> str:
    if index is None:
        return f"no level ({status_text})"
    if index >= target and held:
        return f"target not met: {held}"
    if index >= target:
        return "meets the target" if index == target else "above the target"
    steps = target - index
    return f"{steps} {'level' if steps == 1 else 'levels'} below target"


def _row(
    title: str,
    level: str | None,
    label: str,
    status_text: str,
    levels: list[dict[str, Any]],
    change: dict[str, Any] | None,
    since: str,
    held: str = "",
) -> dict[str, Any]:
    """``held``: why a level at or above the target does not meet it (empty: it does)."""
    ranks = {lv["id"]: i for i, lv in enumerate(levels)}
    target = next(i for i, lv in enumerate(levels) if lv["is_target"])
    index = ranks.get(level) if level is not None else None
    meets = index is not None and index >= target and not held
    steps = [
        {
            "label": lv["label"],
            # the target's mark says reached only when the target is met
            "reached": index is not None and i <= index and (i != target or meets),
            "is_target": i == target,
        }
        for i, lv in enumerate(levels)
    ]
    row: dict[str, Any] = {
        "title": title,
        "level_label": label if index is not None else status_text,
        "has_level": index is not None,
        "position": _position(index, target, status_text, held),
        "meets": meets,
        "steps": steps,
        "arrow": "",
        "change_text": "",
        "is_overall": False,
    }
    if change is not None and change["change"] is not None:
        direction = change["direction"]
        row["arrow"] = ARROWS.get(direction, "")
        if direction == "no change":
            words = "no change"
        else:
            words = f"{direction} {fmt_number(abs(change['change']))}"
        if change["baseline_level_label"] != change["followup_level_label"]:
            words += f" (was {change['baseline_level_label']})"
        if change.get("shared_text"):  # scored again on what two versions share
            words += f", {change['shared_text']}"
        row["change_text"] = words
    return row


def strip(ctx: dict[str, Any]) -> dict[str, Any]:
    """The strip's rows: overall first, then each applicable domain in questionnaire order."""
    change = ctx["change"]
    rows_by_id = {r["id"]: r for r in change["rows"]} if change else {}
    since = "the baseline"
    if change and change["baseline_date"] != "undated":
        since = change["baseline_date"]
    levels = ctx["levels"]
    overall = ctx["overall"]
    domains = [d for d in ctx["domains"] if d["status"] != "not-applicable"]
    pending = any(d["unverified"] or d["contested"] for d in domains)
    held = ""
    if overall["meets_target"] is not True:
        held = PENDING if pending else f"{overall['status_text']}, not every domain is scored"
    rows = [
        _row(
            "Overall",
            overall["level"],
            overall["level_label"],
            overall["status_text"],
            levels,
            change["overall"] if change else None,
            since,
            held,
        )
    ]
    for d in domains:
        rows.append(
            _row(
                d["title"],
                d["level"],
                d["level_label"],
                d["status_text"],
                levels,
                rows_by_id.get(d["id"]),
                since,
                PENDING if d["unverified"] or d["contested"] else "",
            )
        )
    rows[0]["is_overall"] = True
    return {"rows": rows, "has_change": bool(change), "since": since}
