"""Report context sections that appear only sometimes: groups, disagreement, change since a
baseline, evidence notes, method notes and the charts (see :mod:`tra_assess.reports.context`).
"""

from __future__ import annotations

import re
from typing import Any

from tra_assess.common.display import DASH, fmt_number, fmt_percent
from tra_assess.compare.render import SHARED_NOTE, rescored, shared_words
from tra_assess.reports import charts as ch
from tra_assess.reports.formatting import clean, clean_block
from tra_assess.results.model import GroupDomain, GroupResult, Results

DISAGREEMENT_TOP = 5
ITEMS_MOVED_TOP = 5
LOW_ALPHA = 0.6
SUPPRESSED = "suppressed"


def suppression_text(min_size: int) -> str:
    return f"suppressed: fewer than {min_size}, or needed to protect a smaller group"


CELL_SUPPRESSED = "suppressed"


def small_groups_text(results: Results) -> str:
    """The line every output carries when groups below the questionnaire's minimum are shown."""
    if not results.allow_small_groups:
        return ""
    return (
        f"Small groups allowed (--allow-small-groups): groups of {results.min_group_size} or "
        "more are shown, below the questionnaire's minimum; small groups may be recognisable."
    )


def _suppressed_cells(row: dict[str, Any], group: Any) -> None:
    """A shown group's cells suppressed per figure read "suppressed", never a number; so does
    its overall score then."""
    hidden = [] if group.suppressed else [d.id for d in group.domains if d.suppressed]
    for domain_id in hidden:
        row["scores"][domain_id] = (None, CELL_SUPPRESSED)
    row["cells_suppressed"] = bool(hidden)
    if not group.suppressed and (hidden or group.overall_suppressed):
        row["overall_text"] = row["overall_level_label"] = CELL_SUPPRESSED


_FILE_NAME = re.compile(r"[^\s'\"]*\.(?:ya?ml|json|csv|tsv|txt|xlsx?)\b", re.IGNORECASE)
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_LOCATION = re.compile(
    r"^(?::?\d+:\s*)|\brow \d+(?:, column '(?:[^'\\]|\\.)*')?:?\s*|\bline \d+:?\s*"
)


def rejected_reason(error: str, paths: list[str], known: set[str]) -> str:
    """A rejected input's reason without anything that names a file or a person: file names
    and places (line, row) removed, quoted values other than item and domain ids elided."""
    text = error
    for path in paths:  # longest first
        text = text.replace(path, "")
    text = re.sub(r"already used in [^;]*", "already used in another input", text)
    text = _FILE_NAME.sub("another input", text)
    text = _LOCATION.sub("", text.strip().lstrip(":").strip())
    text = _QUOTED.sub(lambda m: m.group(0) if m.group(0)[1:-1] in known else "'…'", text)
    text = re.sub(r"\s*:\s*(?=[;,]|$)", "", re.sub(r"\s+", " ", text)).strip(" :;,")
    return text or "not readable"


def rejected_by_reason(results: Results) -> list[dict[str, Any]]:
    """Rejected inputs by reason and count, in order of first appearance."""
    rejected = results.inputs.rejected
    paths = sorted({r.path for r in rejected if r.path}, key=len, reverse=True)
    known = {item.id for item in results.items} | {d.id for d in results.domains}
    counts: dict[str, int] = {}
    for entry in rejected:
        reason = rejected_reason(entry.error, paths, known)
        counts[reason] = counts.get(reason, 0) + 1
    return [{"count": count, "reason": clean(reason)} for reason, count in counts.items()]


def _code(index: int) -> str:
    """A shown group's mark in the dot plot, as a text symbol (●, ■, ▲ ...)."""
    return ch.group_symbol(index)


def _cell_text(cell: GroupDomain) -> str:
    """A shown group's domain score; one with too few answers for a level says so."""
    text = fmt_number(cell.score)
    if cell.score is not None and cell.status == "insufficient":
        return f"{text} (insufficient data)"
    return text


def _group_level_label(results: Results, group: GroupResult) -> str:
    if group.suppressed:
        return DASH
    if group.overall_level is None:
        # a score without a level: no domain of the group has enough answers for one
        return "no level (insufficient data)" if group.overall_score is not None else DASH
    return clean(results.level_label(group.overall_level))


def groups(results: Results, domains: list[dict[str, Any]]) -> dict[str, Any] | None:
    g = results.groups
    if g is None:
        return None
    rule = suppression_text(g.min_size)
    rows: list[dict[str, Any]] = []
    shown_index = 0
    for group in g.groups:
        row: dict[str, Any] = {
            "value": clean(group.value),
            "suppressed": group.suppressed,
            "code": "",
            "n": None if group.suppressed else group.n,
            "n_text": rule if group.suppressed else str(group.n if group.n is not None else DASH),
            "overall_text": DASH if group.suppressed else fmt_number(group.overall_score),
            "overall_level_label": _group_level_label(results, group),
            "scores": {}
            if group.suppressed
            else {
                d.id: (None, SUPPRESSED) if d.suppressed else (d.score, _cell_text(d))
                for d in group.domains
            },
            "findings": [] if group.suppressed else _group_findings(results, group, domains),
        }
        _suppressed_cells(row, group)
        if not group.suppressed:
            row["code"] = _code(shown_index)
            shown_index += 1
        rows.append(row)
    shown = [r for r in rows if not r["suppressed"]]
    domain_rows = [
        {
            "id": d["id"],
            "title": d["title"],
            "cells": [
                {
                    "group": r["value"],
                    "code": r["code"],
                    "score": r["scores"].get(d["id"], (None, DASH))[0],
                    "score_text": r["scores"].get(d["id"], (None, DASH))[1],
                }
                for r in shown
            ],
        }
        for d in domains
    ]
    titles = {d["id"]: d["title"] for d in domains}
    gaps = [
        {
            "domain": clean(pg.domain),
            "domain_title": titles.get(pg.domain, clean(pg.domain)),
            "high": clean(pg.high),
            "low": clean(pg.low),
            "high_score_text": fmt_number(pg.high_score),
            "low_score_text": fmt_number(pg.low_score),
            "gap": pg.gap,
            "gap_text": fmt_number(pg.gap),
            "flagged": pg.flagged,
            "flag_text": "large gap (1.00 or more)" if pg.flagged else "",
        }
        for pg in g.perception_gaps
    ]
    return {
        "by": clean(g.by),
        "min_size": g.min_size,
        "rule": rule,
        "cells_suppressed": any(r["cells_suppressed"] for r in rows),
        "pooled": [
            f"{clean(group.value)} = {' + '.join(clean(name) for name in group.merged_from)}"
            for group in g.groups
            if group.merged_from
        ],
        "small_groups_text": small_groups_text(results),
        "rows": rows,
        "shown": shown,
        "suppressed": [r for r in rows if r["suppressed"]],
        "domain_rows": domain_rows,
        "perception_gaps": gaps,
        "flagged_gaps": sum(1 for gap in gaps if gap["flagged"]),
    }


PER_FIGURE_TEXT = (
    "Suppression also holds per figure: where the people of hidden groups who answered a "
    "domain would be fewer than the minimum, a shown group's cell is suppressed as well, and a "
    "group with a suppressed cell shows no overall score"
)
def _group_findings(
    results: Results, group: GroupResult, domains: list[dict[str, Any]]
) -> list[str]:
    """What a group says, in words: its weakest domains, where it differs most from everyone
    together, and critical practices unverified or contested within it."""
    whole = {d["id"]: d for d in domains}
    scored = [
        (d.score, order, d)
        for order, d in enumerate(group.domains)
        if d.score is not None and not d.suppressed and d.id in whole
    ]
    out: list[str] = []
    if not scored:
        return ["no domain has enough answers from this group to be scored"]
    weakest = sorted(scored, key=lambda e: (e[0], e[1]))[: min(2, len(scored))]
    out.append(
        "weakest: "
        + "; ".join(
            f"{whole[d.id]['title']} {fmt_number(score)}"
            + (f" ({clean(results.level_label(d.level))})" if d.level else "")
            for score, _, d in weakest
        )
    )
    diffs = [
        (score - whole[d.id]["score"], order, d)
        for score, order, d in scored
        if whole[d.id]["score"] is not None
    ]
    if diffs:
        diff, _, d = max(diffs, key=lambda e: (abs(e[0]), -e[1]))
        if fmt_number(abs(diff)) != "0.00":
            side = "higher" if diff > 0 else "lower"
            out.append(
                f"differs most from everyone together in {whole[d.id]['title']}: "
                f"{fmt_number(abs(diff))} {side} ({fmt_number(d.score)} against "
                f"{whole[d.id]['score_text']})"
            )
        else:
            out.append("scores every domain as everyone together does")
    texts = {item.id: item.text for item in results.items}
    for word, ids in (
        ("unverified", [i for d in group.domains for i in d.unverified]),
        ("contested", [i for d in group.domains for i in d.contested]),
    ):
        if ids:
            out.append(
                f"critical practices {word} in this group: "
                + "; ".join(f"“{clean(texts.get(i) or i)}”" for i in ids)
            )
    return out


def disagreement(results: Results, domains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items with the highest SD of answers: prompts for the team's discussion."""
    titles = {d["id"]: d["title"] for d in domains}
    labels = {str(s.value): clean(s.label) for s in results.scale}
    ranked = sorted(
        (
            (item.sd, order, item)
            for order, item in enumerate(results.items)
            if item.sd is not None and item.sd > 0
        ),
        key=lambda e: (-e[0], e[1]),
    )
    out: list[dict[str, Any]] = []
    for sd, _, item in ranked[:DISAGREEMENT_TOP]:
        spread = [
            {"value": value, "label": labels.get(value, clean(value)), "count": count}
            for value, count in sorted(item.distribution.items(), key=lambda kv: _int(kv[0]))
        ]
        out.append(
            {
                "item": clean(item.id),
                "text": clean(item.text),
                "domain_title": titles.get(item.domain, clean(item.domain)),
                "sd": sd,
                "sd_text": fmt_number(sd),
                "n": item.n,
                "score_text": fmt_number(item.score),
                "distribution": spread,
                "distribution_text": ", ".join(
                    f"{s['value']} {s['label']}: {s['count']}" for s in spread
                ),
            }
        )
    return out


def _int(text: str) -> tuple[int, str]:
    try:
        return (int(text), "")
    except ValueError:
        return (1 << 30, text)


def change(comparison: Any) -> dict[str, Any]:
    """The change since the baseline, from a :class:`tra_assess.compare.change.Comparison`."""
    rows = [_change_row(comparison, row, False) for row in comparison.domains]
    overall = _change_row(comparison, comparison.overall, True)
    moved = [
        {
            "item": clean(m.id),
            "text": _phrase(clean(m.text) or clean(m.id)),
            "critical": m.critical,
            "baseline_text": fmt_number(m.baseline_score),
            "followup_text": fmt_number(m.followup_score),
            "change": m.change,
            "change_text": fmt_number(m.change, signed=True),
        }
        for m in comparison.items_moved[:ITEMS_MOVED_TOP]
    ]
    return {
        "baseline_date": clean(comparison.baseline_date or "undated"),
        "followup_date": clean(comparison.followup_date or "undated"),
        "target_label": clean(comparison.level_label(comparison.target)),
        "target_min_score_text": fmt_number(comparison.target_min_score),
        "rows": rows,
        "overall": overall,
        "items_moved": moved,
        "warnings": [clean(w) for w in comparison.warnings],
        # results of two versions: what was left out, and domains scored on shared items
        "left_out": [clean(note.text) for note in comparison.left_out],
        "rescored": rescored(comparison),
        "shared_note": SHARED_NOTE if rescored(comparison) else "",
    }


def _phrase(text: str) -> str:
    """Item text to go before a colon: without its closing full stop."""
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _change_row(comparison: Any, row: Any, is_overall: bool) -> dict[str, Any]:
    def label(level: str | None, status: str) -> str:
        return clean(comparison.level_label(level)) if level else clean(status)

    before = label(row.baseline_level, row.baseline_status)
    after = label(row.followup_level, row.followup_status)
    gap_then = _gap(comparison, row.baseline_score)
    gap_now = _gap(comparison, row.followup_score)
    # the comparison's own words for the gap then and now, when it has them (one wording
    # for compare and the report); else worked out here from the scores
    words = clean(row.against_target) if row.against_target else ""
    words = words or gap_words(comparison, row, gap_then, gap_now)
    direction = "no change"
    if row.change is not None and fmt_number(row.change) != "0.00":
        direction = "up" if row.change > 0 else "down"
    return {
        "id": clean(row.id),
        "title": clean(row.title),
        "shared_text": clean(shared_words(row)),
        "is_overall": is_overall,
        "baseline": row.baseline_score,
        "followup": row.followup_score,
        "baseline_text": fmt_number(row.baseline_score),
        "followup_text": fmt_number(row.followup_score),
        "change": row.change,
        "change_text": fmt_number(row.change, signed=True),
        "direction": direction if row.change is not None else DASH,
        "baseline_level_label": before,
        "followup_level_label": after,
        "level_text": before if before == after else f"{before} → {after}",
        "level_change": row.level_change,
        "gap_then_text": fmt_number(gap_then),
        "gap_now_text": fmt_number(gap_now),
        "gap_text": words,
        # older user templates print progress_text: they now get the same words, no percentage
        "progress_text": words,
    }


def _gap(comparison: Any, score: float | None) -> float | None:
    """The gap to the target's score, 0 when the score is at or above it."""
    if score is None:
        return None
    return max(0.0, float(comparison.target_min_score) - score)


def gap_words(comparison: Any, row: Any, then: float | None, now: float | None) -> str:
    """The gap to the target then and now, in words ("gap 0.33 → 0.12", "target reached",
    "further from target by 0.41"); never a percentage."""
    already = bool(getattr(row, "target_already_met", False))
    note = getattr(row, "progress_note", None)  # the comparison's own words, when it has any
    if _meets_now(comparison, row):
        return "target already met" if already else "target reached"
    if already:
        return "target lost" + (f": gap now {fmt_number(now)}" if now is not None else "")
    if then is None or now is None:
        return clean(note) if note else DASH
    text = f"gap {fmt_number(then)} → {fmt_number(now)}"
    if now > then and fmt_number(now - then) != "0.00":
        text += f", further from target by {fmt_number(now - then)}"
    elif fmt_number(now) == "0.00":
        text += "; level held below the target by a critical practice"
    if note:
        text += f" (baseline: {clean(note)})"
    return text


def _meets_now(comparison: Any, row: Any) -> bool:
    """The follow-up level is at or above the target (the level, not just the score)."""
    ranks = {level.id: rank for rank, level in enumerate(comparison.levels)}
    now = ranks.get(row.followup_level) if row.followup_level else None
    return now is not None and now >= ranks.get(comparison.target, len(ranks))


def notes(results: Results, domains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence notes, unattributed, grouped by domain and item in questionnaire order."""
    by_item: dict[str, list[str]] = {}
    for note in results.notes:
        text = clean_block(note.text)
        if text:
            by_item.setdefault(note.item, []).append(text)
    out: list[dict[str, Any]] = []
    by_domain: dict[str, dict[str, Any]] = {}
    for item in results.items:
        if item.id not in by_item:
            continue
        group = by_domain.get(item.domain)
        if group is None:
            title = next((d["title"] for d in domains if d["id"] == item.domain), item.domain)
            group = {"id": clean(item.domain), "title": clean(title), "entries": []}
            by_domain[item.domain] = group
            out.append(group)
        group["entries"].append(
            {"item": clean(item.id), "text": clean(item.text), "notes": by_item.pop(item.id)}
        )
    return out


MODE_WORDS = {"individual": "answered alone", "consensus": "answered as a group (consensus)"}


def modes_text(results: Results) -> str:
    """How respondents answered, counted only where they said so: "36 answered alone, 24 did
    not say whether they answered alone or as a group"."""
    parts = [
        f"{count} {MODE_WORDS.get(mode, clean(mode))}"
        for mode, count in sorted(results.modes.items())
    ]
    if results.groups is not None and results.groups.by == "mode":
        # grouped by mode, the modes hold the shown groups only: an "unstated" count would
        # give back the size of the suppressed ones
        hidden = [f"{clean(g.value)} suppressed" for g in results.groups.groups if g.suppressed]
        return ", ".join(parts + hidden) if parts or hidden else DASH
    if results.groups is not None and any(g.suppressed for g in results.groups.groups):
        # modes are dropped while a group is suppressed (they could give its size back)
        return "not shown while a group is suppressed (they could reveal its size)"
    unstated = results.respondents - sum(results.modes.values())
    if unstated > 0:
        parts.append(f"{unstated} did not say whether they answered alone or as a group")
    return ", ".join(parts) if parts else DASH


def method(results: Results, ctx: dict[str, Any]) -> dict[str, Any]:
    inputs = results.inputs
    return {
        "respondents": results.respondents,
        "files": inputs.files,
        "modes_text": modes_text(results),
        "rejected": rejected_by_reason(results),
        "small_groups_text": small_groups_text(results),
        "per_figure_text": PER_FIGURE_TEXT if results.groups is not None else "",
        "rejected_count": len(inputs.rejected) + inputs.rejected_unlisted,
        "rejected_unlisted": inputs.rejected_unlisted,
        "warnings": [clean(w) for w in inputs.warnings],
        "min_coverage_text": fmt_percent(results.min_coverage),
        "min_group_size": results.min_group_size,
        "suppression_rule": suppression_text(
            results.groups.min_size if results.groups else results.min_group_size
        ),
        "agreement_threshold_text": fmt_number(1.0),
        "na_reasons": [
            {
                "item": clean(r.item),
                "reason": clean(r.reason),
                "source": "setting profile" if r.source == "profile" else f"{r.count} said so",
            }
            for r in results.na_reasons
        ],
        "low_alpha_text": "; ".join(
            f"{d['title']} ({d['alpha_text']})"
            for d in ctx["domains"]
            if d["alpha"] is not None and d["alpha"] < LOW_ALPHA
        ),
        "description": ctx["questionnaire"]["description"],
        "principles": [
            {"id": clean(p.id), "score_text": fmt_number(p.score), "item_count": p.items}
            for p in results.principles
        ],
    }


def _bar(d: dict[str, Any]) -> ch.Bar:
    """A domain's bar: its score, and for a capped domain the level a critical item holds it
    at (shown after the value and said in the chart's description)."""
    scored = d["status"] == "scored"
    if scored:
        value_text = d["score_text"]
    elif d["score"] is not None:
        value_text = f"{d['score_text']} ({d['status_text']})"
    else:
        value_text = d["status_text"]
    note, desc = "", ""
    if scored:
        desc = f"level {d['level_label']}"
        if d["held_by_cap"]:
            note = f"held at {d['level_label']}"
            desc += f", held there by a critical item (by score alone {d['level_by_score_label']})"
    return ch.Bar(d["title"], d["score"], scored, value_text, note, desc)


def charts(ctx: dict[str, Any]) -> dict[str, Any]:
    bands = [
        ch.Band(level["label"], level["min_score"], level["is_target"]) for level in ctx["levels"]
    ]
    scale_max = float(ctx["scale_max"])
    bars = [_bar(d) for d in ctx["domains"] if d["status"] != "not-applicable"]
    out: dict[str, Any] = {
        "domains": ch.domain_bars(bars, bands, scale_max),
        "domains_text": ch.text_bars(bars, bands, scale_max),
        "groups": None,
        "change": None,
    }
    groups = ctx["groups"]
    if groups and groups["shown"]:
        names = [r["value"] for r in groups["shown"]]
        rows = [(row["title"], [c["score"] for c in row["cells"]]) for row in groups["domain_rows"]]
        out["groups"] = ch.group_dots(rows, names, bands, scale_max)
    change_ctx = ctx["change"]
    if change_ctx:
        arrows = [
            (r["title"], r["baseline"], r["followup"])
            for r in [*change_ctx["rows"], change_ctx["overall"]]
        ]
        out["change"] = ch.change_arrows(arrows, bands, scale_max)
    return out
