"""Findings a reader must not miss, in plain words (see :mod:`tra_assess.reports.context`):
critical practices nobody has rated (unverified) or that part of the respondents rate at the
bottom of the scale while the score says otherwise (contested), high "don't know" rates, and
the glossary of the few terms the report uses.
"""

from __future__ import annotations

from typing import Any

from tra_assess.reports.formatting import clean
from tra_assess.results.model import ItemResult, Results

HIGH_UNKNOWN = 0.2  # a "don't know" rate from which it is a finding in itself


def _quote(text: str) -> str:
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _low_labels(results: Results) -> tuple[list[int], str]:
    """The two lowest scale values and their labels in words ("None" or "Some")."""
    scale = sorted(results.scale, key=lambda s: s.value)[:2]
    return [s.value for s in scale], " or ".join(f"“{clean(s.label)}”" for s in scale)


def _dissenting(item: ItemResult, values: list[int]) -> int:
    return sum(count for key, count in item.distribution.items() if key in {str(v) for v in values})


def alerts(results: Results, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """One sentence per finding, critical practices first (contested, then unverified), then
    the domains where "don't know" is a common answer."""
    items = {item.id: item for item in results.items}
    domains = {d["id"]: d for d in ctx["domains"]}
    values, low = _low_labels(results)
    out: list[dict[str, Any]] = []
    for d in results.domains:
        dom = domains[d.id]
        level = dom["level_label"] if dom["level"] is not None else None
        for item_id in d.contested:
            item = items.get(item_id)
            text = _quote(clean(item.text)) if item and item.text else clean(item_id)
            count = _dissenting(item, values) if item else 0
            total = item.n if item else 0
            verb = "rates" if count == 1 else "rate"
            called = f" {level}" if level else ""
            out.append(
                {
                    "kind": "contested",
                    "domain": dom["title"],
                    "text": f"{text}: {count} of {total} respondents {verb} it at the bottom "
                    f"of the scale ({low}) — check before calling {dom['title']}{called}.",
                }
            )
        if d.unverified:
            names = "; ".join(
                f"“{_quote(clean(items[i].text)) if i in items and items[i].text else clean(i)}”"
                for i in d.unverified
            )
            what = "a critical practice" if len(d.unverified) == 1 else "critical practices"
            head = f"{dom['title']}: {level} by score" if level else f"{dom['title']}:"
            sep = ", " if level else " "
            out.append(
                {
                    "kind": "unverified",
                    "domain": dom["title"],
                    "text": f"{head}{sep}pending verification of {names} ({what} that no "
                    "respondent has rated yet).",
                }
            )
    unknown = [
        d
        for d in ctx["domains"]
        if d["unknown_rate"] is not None and d["unknown_rate"] >= HIGH_UNKNOWN
    ]
    if unknown:
        ordered = sorted(unknown, key=lambda d: -d["unknown_rate"])
        listed = "; ".join(f"{d['title']} ({d['unknown_rate_text']})" for d in ordered)
        out.append(
            {
                "kind": "unknown",
                "domain": "",
                "text": f"Many answers were “don't know” in: {listed}. That is a finding in "
                "itself: find out why people do not know before reading these scores as settled.",
            }
        )
    return out


def glossary(ctx: dict[str, Any]) -> list[dict[str, str]]:
    """The few terms the report uses, each explained in a sentence; terms for sections that
    are not in this report are left out."""
    target = ctx["target"]["label"]
    terms = [
        (
            "Level",
            "where a domain stands on the ladder "
            + ", ".join(level["label"] for level in ctx["levels"])
            + "; set by its score, and never above its weakest critical practice.",
        ),
        ("Target", f"the level the organisation aims for: {target}."),
        (
            "Gap to target",
            "how far a score is below the score at which the target level "
            "starts (0.00 when it is reached).",
        ),
        (
            "Critical practice",
            "a practice where harm is at stake; a domain cannot be rated "
            "above its lowest critical practice.",
        ),
        (
            "Capped by",
            "the critical practice that holds a domain's level below what its score "
            "alone would give.",
        ),
        (
            "This practice",
            "the level of a single practice (an item of the questionnaire), not "
            "the level of its domain.",
        ),
        (
            "Coverage",
            "how many of a domain's practices have enough answers to be scored, for example 7/7.",
        ),
        (
            "Don't know rate",
            "the share of answers that were “don't know”; these are not "
            "scores, and 20% or more is named in the summary.",
        ),
        (
            "SD (agreement)",
            "the standard deviation of respondents' own domain scores: how "
            "widely their views spread; above 1.00 is low agreement.",
        ),
    ]
    if any(p["verify"] for p in ctx["priorities"]):
        terms.append(
            (
                "Check first",
                "a critical practice to verify (nobody rated it, or the "
                "ratings disagree) before acting on the domain's level.",
            )
        )
    if any(d["unverified"] or d["contested"] for d in ctx["domains"]):
        terms.append(
            (
                "Unverified / contested",
                "a critical practice nobody has rated yet / "
                "that some respondents rate at the bottom of the scale although its "
                "score meets the target.",
            )
        )
    if ctx["groups"]:
        terms.append(
            (
                "Perception gap",
                "the difference between the highest and the lowest "
                "group's score in a domain; 1.00 or more is flagged.",
            )
        )
        terms.append(
            (
                "Suppressed",
                "a figure not shown because it would describe a group of "
                "fewer people than the minimum group size, or reveal one.",
            )
        )
    if ctx["change"]:
        terms.append(
            (
                "Gap then → now",
                "the gap to the target at the baseline and now; "
                "“target reached” when the level is at the target.",
            )
        )
    return [{"term": term, "text": text} for term, text in terms]
