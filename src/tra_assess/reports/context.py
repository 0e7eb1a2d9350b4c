"""The report context: what every report template (built-in or the user's) is given.

Everything here is plain data (dicts, lists, strings, numbers and booleans). User text is
cleaned of control and escape sequences but NOT escaped: the HTML template escapes it
(autoescape) and the Markdown template through the ``md`` filter. Numbers come both raw
(``score``) and formatted for display (``score_text``: half-up, 2 decimals, em dash for null).
The variables are documented in the README (report section) and in docs/reports.md.
"""

from __future__ import annotations

from typing import Any

from tra_assess import __version__
from tra_assess.common.display import DASH, fmt_number, fmt_percent
from tra_assess.reports.formatting import clean, clean_block, yes_no
from tra_assess.reports.summary import evidence_text
from tra_assess.results.model import DomainResult, ItemResult, Priority, Results

STATUS_TEXT = {
    "scored": "scored",
    "insufficient": "insufficient data",
    "not-applicable": "not applicable",
    "provisional": "provisional",
}
LOW_AGREEMENT_SD = 1.0
NO_DATE = "assessment date not recorded"
PAPER_CSS = {"a4": "A4", "letter": "letter"}


def build_context(
    results: Results,
    *,
    fmt: str,
    comparison: Any = None,
    top: int = 10,
    title: str | None = None,
    notes: bool = True,
    retargeted: bool = False,
    paper: str = "a4",
) -> dict[str, Any]:
    """The template context for ``results`` (already evaluated against the wanted target)."""
    from tra_assess.reports import findings, glance, sections
    from tra_assess.reports.summary import summary

    levels = _levels(results)
    target = next(level for level in levels if level["is_target"])
    domains = [_domain(results, d) for d in results.domains]
    ranked = sorted(results.priorities, key=lambda p: p.rank)
    priorities = [_priority(results, p) for p in ranked[:top]]
    overall = _overall(results)
    ctx: dict[str, Any] = {
        "tool": {"name": "tra-assess", "version": __version__},
        "format": fmt,
        "title": clean(title) if title else _default_title(results),
        "organizations": [clean(o) for o in results.organizations],
        "date": _date(results),
        "date_text": _date(results) or NO_DATE,
        "paper": {"id": paper, "css": PAPER_CSS.get(paper, "A4")},
        "generated_at": clean(results.generated_at),
        "respondents": results.respondents,
        "questionnaire": {
            "id": clean(results.questionnaire.id),
            "version": clean(results.questionnaire.version),
            "title": clean(results.questionnaire.title),
            "description": clean_block(results.questionnaire.description or ""),
        },
        "scale": [{"value": s.value, "label": clean(s.label)} for s in results.scale],
        "scale_max": max((s.value for s in results.scale), default=0),
        "levels": levels,
        "target": target,
        "retargeted": retargeted,
        "overall": overall,
        "domains": domains,
        "priorities": priorities,
        "priority_groups": _priority_groups(domains, priorities),
        "show_notes": notes,
        "results": _plain_results(results),
    }
    ctx["context_line"] = _context_line(ctx, results)
    ctx["change"] = sections.change(comparison) if comparison is not None else None
    ctx["items"] = [_item(results, item, ctx["domains"]) for item in results.items]
    ctx["alerts"] = findings.alerts(results, ctx)
    ctx["glance"] = glance.strip(ctx)
    ctx["summary"] = summary(results, ctx)
    ctx["overall"]["held_by_text"] = "; ".join(d["title"] for d in ctx["summary"]["held_by"])
    ctx["groups"] = sections.groups(results, domains)
    ctx["disagreement"] = sections.disagreement(results, domains)
    ctx["notes"] = sections.notes(results, domains) if notes else []
    ctx["method"] = sections.method(results, ctx)
    ctx["charts"] = sections.charts(ctx)
    ctx["glossary"] = findings.glossary(ctx)
    return ctx


def _default_title(results: Results) -> str:
    orgs = results.organizations
    subject = clean(orgs[0]) if len(orgs) == 1 else clean(results.questionnaire.title)
    return f"Trauma-responsiveness report: {subject}"


def _date(results: Results) -> str | None:
    """The assessment date, or None: never the date the results were computed, which would
    read as the date of the assessment."""
    return clean(results.assessed_on) if results.assessed_on else None


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _context_line(ctx: dict[str, Any], results: Results) -> str:
    parts: list[str] = []
    if ctx["organizations"]:
        parts.append(", ".join(ctx["organizations"]))
    parts.append(f"assessed {ctx['date']}" if ctx["date"] else NO_DATE)
    who = _plural(results.respondents, "respondent")
    modes = results.modes
    if modes and set(modes) == {"consensus"}:
        who = _plural(modes["consensus"], "consensus response")
    parts.append(who)
    q = ctx["questionnaire"]
    parts.append(f"{q['title']} ({q['id']} {q['version']})")
    return " · ".join(parts)


def _levels(results: Results) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, level in enumerate(results.levels):
        upper = results.levels[index + 1].min_score if index + 1 < len(results.levels) else None
        out.append(
            {
                "id": clean(level.id),
                "label": clean(level.label),
                "min_score": level.min_score,
                "min_score_text": fmt_number(level.min_score),
                "upper": upper,
                "description": clean_block(level.description or ""),
                "is_target": level.id == results.target,
            }
        )
    return out


def level_text(results: Results, level: str | None, status: str) -> str:
    """A level's label, or why there is none (insufficient data, not applicable)."""
    if level is not None:
        return clean(results.level_label(level))
    return STATUS_TEXT.get(status, clean(status))


def item_level_text(results: Results, level: str | None) -> str:
    """An item's level, worded as the item's: never to be read as its domain's level."""
    if level is None:
        return "this practice: no rating yet"
    return f"this practice: {clean(results.level_label(level))}"


def _item(results: Results, item: ItemResult, domains: list[dict[str, Any]]) -> dict[str, Any]:
    titles = {d["id"]: d["title"] for d in domains}
    answered = item.n + item.unknown
    return {
        "id": clean(item.id),
        "text": clean(item.text) or clean(item.id),
        "domain": clean(item.domain),
        "domain_title": titles.get(item.domain, clean(item.domain)),
        "critical": item.critical,
        "applicable": item.applicable,
        "score": item.score,
        "score_text": fmt_number(item.score),
        "level_label": level_text(results, item.level, "scored") if item.level else DASH,
        "item_level_text": item_level_text(results, item.level),
        "n": item.n,
        "unknown": item.unknown,
        "unknown_text": fmt_percent(item.unknown / answered) if answered else DASH,
        "status": item.status,
        "sd_text": fmt_number(item.sd),
    }


def _domain(results: Results, d: DomainResult) -> dict[str, Any]:
    items = {item.id: item for item in results.items}
    caps = []
    for item_id in d.capped_by:
        item = items.get(item_id)
        caps.append(
            {
                "item": clean(item_id),
                "text": clean(item.text) if item else "",
                "score_text": fmt_number(item.score if item else None),
                "level_label": level_text(results, item.level if item else None, "scored"),
                "item_level_text": item_level_text(results, item.level if item else None),
            }
        )
    coverage = DASH
    if d.coverage is not None:
        coverage = f"{d.scored_items}/{d.applicable_items} ({fmt_percent(d.coverage)})"
    agreement = DASH
    if d.sd is not None:
        word = "low" if d.low_agreement else "ok"
        agreement = f"{word} (SD {fmt_number(d.sd)})"
    return {
        "id": clean(d.id),
        "title": clean(d.title),
        "weight": d.weight,
        "status": d.status,
        "status_text": STATUS_TEXT.get(d.status, clean(d.status)),
        "score": d.score,
        "score_text": fmt_number(d.score),
        "level": d.level,
        "level_label": level_text(results, d.level, d.status),
        "level_by_score_label": level_text(results, d.level_by_score, d.status),
        "coverage": d.coverage,
        "coverage_text": coverage,
        "gap": d.gap,
        "gap_text": fmt_number(d.gap),
        "gap_note": _gap_note(
            d.gap, d.meets_target, bool(caps), bool(d.unverified), bool(d.contested)
        ),
        "meets_target": d.meets_target,
        "meets_text": yes_no(d.meets_target),
        "caps": caps,
        "capped": bool(caps),
        # the cap lowers the level (the level by score alone is higher)
        "held_by_cap": bool(caps) and d.level is not None and d.level != d.level_by_score,
        "sd": d.sd,
        "sd_text": fmt_number(d.sd),
        "sd_n": d.sd_n,
        "low_agreement": bool(d.low_agreement),
        "agreement_text": agreement,
        "alpha": d.alpha,
        "alpha_text": fmt_number(d.alpha),
        "alpha_n": d.alpha_n,
        "unknown_rate": d.unknown_rate,
        "unknown_rate_text": fmt_percent(d.unknown_rate),
        "unverified": [clean(i) for i in d.unverified],
        "contested": [clean(i) for i in d.contested],
        "kind": d.kind,
        "evidence_text": evidence_text(d),
    }


def _gap_note(
    gap: float | None,
    meets_target: bool | None,
    capped: bool | None,
    unverified: bool = False,
    contested: bool = False,
) -> str:
    """Why a gap shown as 0.00 still does not meet the target: a critical practice nobody
    could rate (unverified), one many rate at the bottom (contested), a critical item that
    holds the level (for the overall result: the weakest domain); empty otherwise."""
    if gap is None or fmt_number(gap) != "0.00" or meets_target is not False:
        return ""
    if capped is None:
        return "held by the weakest domain"
    if unverified:
        return "held until a critical practice is verified"
    if contested:
        return "held by a contested critical practice"
    return "held by a critical item" if capped else "score just below"


def _priority(results: Results, p: Priority) -> dict[str, Any]:
    titles = {d.id: d.title for d in results.domains}
    verify = p.kind == "verify"
    return {
        "rank": p.rank,
        "kind": p.kind,
        "verify": verify,
        "kind_text": "check first" if verify else "improve",
        "item": clean(p.item),
        "domain": clean(p.domain),
        "domain_title": clean(titles.get(p.domain, p.domain)),
        "text": clean(p.text),
        "score": p.score,
        "score_text": fmt_number(p.score),
        "level": p.level,
        "level_label": level_text(results, p.level, "scored") if p.level else "not rated",
        "item_level_text": item_level_text(results, p.level),
        "critical": p.critical,
        "critical_text": "CRITICAL" if p.critical else "",
        "shortfall_text": fmt_number(p.shortfall),
        "action": clean(p.action) if p.action else None,
    }


def _priority_groups(
    domains: list[dict[str, Any]], priorities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Priorities grouped by domain, in the order each domain's first priority ranks."""
    groups: dict[str, dict[str, Any]] = {}
    titles = {d["id"]: d for d in domains}
    for p in priorities:
        group = groups.get(p["domain"])
        if group is None:
            domain = titles.get(p["domain"])
            group = {
                "id": p["domain"],
                "title": p["domain_title"],
                "level_label": domain["level_label"] if domain else DASH,
                "priorities": [],
            }
            groups[p["domain"]] = group
        group["priorities"].append(p)
    return list(groups.values())


def _overall(results: Results) -> dict[str, Any]:
    o = results.overall
    applicable = o.applicable_domains or sum(
        1 for d in results.domains if d.status != "not-applicable"
    )
    scored = o.scored_domains or sum(1 for d in results.domains if d.status == "scored")
    return {
        "score": o.score,
        "score_text": fmt_number(o.score),
        "level": o.level,
        "level_label": level_text(results, o.level, o.status),
        "level_by_score": o.level_by_score,
        "level_by_score_label": level_text(results, o.level_by_score, o.status),
        "status": o.status,
        "status_text": STATUS_TEXT.get(o.status, clean(o.status)),
        "meets_target": o.meets_target,
        "meets_text": yes_no(o.meets_target),
        "gap": o.gap,
        "gap_text": fmt_number(o.gap),
        "gap_note": _gap_note(o.gap, o.meets_target, None),
        "scored_domains": scored,
        "applicable_domains": applicable,
        "domains_meeting_target": sum(1 for d in results.domains if d.meets_target),
    }


def _plain_results(results: Results) -> Results:
    """The results document for templates, with every text made plain (no terminal escape
    sequences or control characters from the data; newlines kept)."""
    from tra_assess.common.textsafe import plain

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return plain(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        return value

    return Results.model_validate(walk(results.model_dump()))
