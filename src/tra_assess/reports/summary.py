"""The executive summary of a report (see :mod:`tra_assess.reports.context`): the overall
level against the target, what holds the overall level, the change since the baseline, the
strongest and weakest domains and the top priorities."""

from __future__ import annotations

from typing import Any

from tra_assess.common.display import DASH, fmt_percent
from tra_assess.reports.formatting import clean
from tra_assess.results.model import DomainResult, Results


def _subject(ctx: dict[str, Any]) -> tuple[str, str]:
    orgs = ctx["organizations"]
    if len(orgs) == 1:
        return orgs[0], "is"
    if len(orgs) > 1:
        return f"The {len(orgs)} organisations assessed", "are"
    return "The organisation", "is"


def summary(results: Results, ctx: dict[str, Any]) -> dict[str, Any]:
    overall, target = ctx["overall"], ctx["target"]
    subject, verb = _subject(ctx)
    meets, applicable = overall["domains_meeting_target"], overall["applicable_domains"]
    domain_word = "domain" if applicable == 1 else "domains"
    verb_meet = "meets" if meets == 1 else "meet"
    if overall["level"] is not None:
        sentence = (
            f"{subject} {verb} {overall['level_label']} overall; the target is "
            f"{target['label']}. {meets} of {applicable} {domain_word} {verb_meet} it."
        )
    else:
        has = "have" if verb == "are" else "has"
        sentence = (
            f"{subject} {has} no overall level yet: too few domains have enough "
            f"answers ({overall['scored_domains']} of {applicable} scored). The target is "
            f"{target['label']}."
        )

    held = held_by(results, ctx)
    return {
        "illusion_sentence": illusion_sentence(results),
        "evidence_sentence": evidence_sentence(results),
        "sentence": sentence,
        "score_sentence": _score_sentence(ctx),
        "held_by": held,
        "held_sentence": _held_sentence(overall, held, ctx["levels"]),
        "verify": verify_sentences(results),
        "change_sentence": change_sentence(ctx["change"]) if ctx.get("change") else "",
        "status_note": _status_note(overall),
        "strongest": _strongest(ctx["domains"], strongest=True),
        "weakest": _strongest(ctx["domains"], strongest=False, results=results),
        "alerts": ctx["alerts"],
        "priorities": sorted(ctx["priorities"], key=lambda p: p["rank"])[:3],
        "critical_count": sum(1 for p in results.priorities if p.critical),
    }


def held_by(results: Results, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """Every scored domain whose level is the overall level (the weakest link), in order of
    score, each with the text that says why (its score, and the critical item capping it)."""
    level = ctx["overall"]["level"]
    if level is None:
        return []
    domains = [d for d in ctx["domains"] if d["status"] == "scored" and d["level"] == level]
    ordered = sorted(
        enumerate(domains),
        key=lambda e: (e[1]["score"] if e[1]["score"] is not None else 0.0, e[0]),
    )
    out: list[dict[str, Any]] = []
    for _, d in ordered:
        caps = " and ".join(
            f"“{_quote(c['text'] or c['item'])}” at {c['score_text']}" for c in d["caps"]
        )
        why = f"{d['score_text']}, capped by {caps}" if d["held_by_cap"] else d["score_text"]
        out.append({"id": d["id"], "title": d["title"], "text": f"{d['title']} ({why})"})
    return out


def verify_sentences(results: Results) -> list[str]:
    """One plain sentence per domain with unverified or contested critical practices (SPEC
    section 4): "Crisis response is Trauma informed by score, pending verification: ..."."""
    from tra_assess.reports.formatting import clean
    from tra_assess.scoring.wording import low_ratings

    items = {item.id: item for item in results.items}
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    target = ranks.get(results.target, len(ranks))
    target_label = results.level_label(results.target)
    sentences: list[str] = []
    for d in results.domains:
        found: list[str] = []
        for item_id in [*d.unverified, *d.contested]:
            item = items.get(item_id)
            if item is None:
                continue
            text = _quote(item.text or item.id)
            if item_id in d.contested:
                found.append(f"“{text}”: {low_ratings(item)} of {item.n} ratings say it is absent")
            else:
                found.append(f"“{text}”: nobody rated it")
        if not found:
            continue
        title = d.title
        if d.level is not None and ranks.get(d.level, -1) >= target:
            label = results.level_label(d.level)
            lead = f"{title} is {label} by score, pending verification"
        else:
            lead = f"{title}: to verify"
        sentences.append(
            clean(
                f"{lead}: " + "; ".join(found)
                + f". Check before calling it {target_label.lower()}."
            )
        )
    return sentences


def _quote(text: str) -> str:
    """Item text for quoting inside a sentence: without its closing full stop."""
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _held_sentence(
    overall: dict[str, Any], held: list[dict[str, Any]], levels: list[dict[str, Any]]
) -> str:
    """ "Held at X by: ..." unless the overall level is the top of the ladder (nothing holds
    it) or there is no overall level."""
    if not held or (levels and overall["level"] == levels[-1]["id"]):
        return ""
    return f"Held at {overall['level_label']} by: " + "; ".join(h["text"] for h in held) + "."


def change_sentence(change: dict[str, Any]) -> str:
    """One sentence on the change since the baseline: the overall score and level then and
    now, and how many domains improved or fell (those that fell are named)."""
    o = change["overall"]
    since = (
        f"Since {change['baseline_date']}"
        if change["baseline_date"] != "undated"
        else "Since the baseline"
    )
    if o["baseline_level_label"] == o["followup_level_label"]:
        levels = f"{o['followup_level_label']} then and now"
    else:
        levels = f"{o['baseline_level_label']} then, {o['followup_level_label']} now"
    score = "the overall score"
    if change.get("rescored"):
        score += " on the items both versions of the questionnaire share"
    text = f"{since} {score} moved from {o['baseline_text']} to {o['followup_text']} ({levels})"
    rows = [r for r in change["rows"] if r["change"] is not None]
    up = [r for r in rows if r["direction"] == "up"]
    down = [r for r in rows if r["direction"] == "down"]
    same = len(rows) - len(up) - len(down)
    parts = [f"{len(up)} {'domain' if len(up) == 1 else 'domains'} improved"]
    fell = f"{len(down)} fell" if down else "none fell"
    if down:
        fell += " (" + "; ".join(f"{r['title']} {r['change_text']}" for r in down) + ")"
    parts.append(fell)
    if same:
        parts.append(f"{same} did not change")
    return f"{text}; " + ", ".join(parts) + "."


def _score_sentence(ctx: dict[str, Any]) -> str:
    overall = ctx["overall"]
    if overall["score"] is None:
        return ""
    text = f"The overall score is {overall['score_text']} on a scale of 0 to {ctx['scale_max']}"
    if overall["level_by_score"] and overall["level_by_score"] != overall["level"]:
        return (
            f"{text}, which alone would be {overall['level_by_score_label']}; the overall level "
            "is that of the weakest domain, so one domain held back is enough to hold back the "
            "whole."
        )
    return text + "; the overall level is that of the weakest domain."


def _status_note(overall: dict[str, Any]) -> str:
    scored, applicable = overall["scored_domains"], overall["applicable_domains"]
    if overall["status"] == "provisional":
        return (
            f"Provisional: only {scored} of {applicable} applicable domains have enough answers "
            "to be scored, so the overall level may change when the rest are answered."
        )
    if overall["status"] == "insufficient":
        return (
            f"Insufficient: only {scored} of {applicable} applicable domains have enough answers "
            "to be scored; read the domain results below as indications, not a verdict."
        )
    return ""


def _strongest(
    domains: list[dict[str, Any]], strongest: bool, results: Results | None = None
) -> list[dict[str, Any]]:
    """The strongest domains (those meeting the target first, then by score) or the weakest
    (the lowest level first, a domain held by a critical practice before one at the same
    level that is not, then by score); none with fewer than two scored domains (one domain
    would be both)."""
    scored = [
        (d["score"], i, d)
        for i, d in enumerate(domains)
        if d["status"] == "scored" and d["score"] is not None
    ]
    if len(scored) < 2:
        return []
    count = min(3, max(1, len(scored) // 2))
    if strongest:
        ordered = sorted(scored, key=lambda e: (e[2]["meets_target"] is not True, -e[0], e[1]))
    else:
        rank = {level.id: r for r, level in enumerate(results.levels)} if results else {}
        ordered = sorted(
            scored,
            key=lambda e: (rank.get(e[2]["level"], -1), e[2]["meets_target"] is True, e[0], e[1]),
        )
    return [entry[2] for entry in ordered[:count]]


# -- the improvement cycle: evidence behind the ratings, the training illusion ------------
TRAINING_ID = "training"


def evidence_text(domain: DomainResult) -> str:
    """ "7 of 19 (37%)" for the domain table; a dash when no rating reaches the target or
    the results do not say (written before evidence was counted)."""
    if domain.evidenced_share is None or not domain.claimed:
        return DASH
    return (
        f"{domain.evidenced:,} of {domain.claimed:,} ({_share(domain.evidenced, domain.claimed)})"
    )


def _share(part: int, whole: int) -> str:
    """A share as a whole percentage; a share above 0 that rounds to 0% reads "under 1%"."""
    text = fmt_percent(part / whole)
    return "under 1%" if part and text == "0%" else text


def evidence_sentence(results: Results) -> str:
    """ "7 of 19 ratings of Trauma responsive practice or above cite evidence (37%) ..."."""
    if not results.evidence_counted:
        return ""
    claimed = sum(d.claimed for d in results.domains)
    if not claimed:
        return ""
    evidenced = sum(d.evidenced for d in results.domains)
    target = clean(results.level_label(results.target))
    rating = "rating" if claimed == 1 else "ratings"
    verb = "cites" if evidenced == 1 and claimed == 1 else "cite"
    text = (
        f"{evidenced:,} of {claimed:,} {rating} of {target} practice or above {verb} evidence "
        f"({_share(evidenced, claimed)}); the rest are claims without a note"
    )
    meeting = [d for d in results.domains if d.meets_target and d.claimed]
    if meeting:
        text += "; in the domains that meet the target: " + "; ".join(
            f"{clean(d.title)} {d.evidenced:,} of {d.claimed:,}" for d in meeting
        )
    return text + "."


def is_training(domain: DomainResult) -> bool:
    return domain.kind == "training" or domain.id == TRAINING_ID


def illusion_sentence(results: Results) -> str:
    """The training illusion, in plain words, or "" when its rule does not hold."""
    training = [d for d in results.domains if is_training(d)]
    if not training or not all(d.meets_target is True for d in training):
        return ""
    others = [d for d in results.domains if not is_training(d) and d.status == "scored"]
    behind = [d for d in others if d.meets_target is not True]
    if not others or 2 * len(behind) < len(others):
        return ""
    titles = " and ".join(clean(d.title) for d in training)
    verb = "meets" if len(training) == 1 else "meet"
    if len(behind) == len(others):
        many = (
            "the other scored domain does"
            if len(others) == 1
            else (f"the {len(others)} other scored domains does")
        )
        tail = f"none of {many}" if len(others) > 1 else f"{many} not"
    else:
        tail = f"{len(behind)} of the {len(others)} other scored domains do not"
    return (
        f"Training has been delivered; practice has not yet changed: {titles} {verb} the "
        f"target, but {tail} ("
        + "; ".join(clean(d.title) for d in behind)
        + "). What staff have learnt is not yet what people served experience."
    )
