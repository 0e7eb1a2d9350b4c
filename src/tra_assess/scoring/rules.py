"""Turning a tally into item, domain and overall results (SPEC section 4).

Scores are computed exactly (fractions of the integer sums) and rounded to float once, so the
same respondents give the same numbers whatever order they were added or merged in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from tra_assess.questionnaire.model import PRINCIPLES, Domain, Questionnaire
from tra_assess.results.evidence import set_evidence
from tra_assess.results.model import (
    DomainResult,
    DomainStatus,
    ItemResult,
    Overall,
    OverallStatus,
    PrincipleResult,
    Priority,
)
from tra_assess.scoring.stats import TOLERANCE, cronbach_alpha, ratio_sums, sample_sd, weighted_mean
from tra_assess.scoring.tally import Plan, Tally
from tra_assess.scoring.wording import what_to_check

LOW_AGREEMENT_SD = 1.0
MIN_ALPHA_RESPONDENTS = 10


@dataclass(frozen=True)
class Target:
    id: str
    min_score: float
    rank: int


@dataclass
class Evaluation:
    """One tally's results, with the exact scores the aggregates are built from."""

    items: list[ItemResult]
    item_exact: list[Fraction | None]
    domains: list[DomainResult]
    domain_exact: list[Fraction | None]
    overall: Overall


def evaluate(tally: Tally, plan: Plan, questionnaire: Questionnaire, target: Target) -> Evaluation:
    items, item_exact = _items(tally, plan, questionnaire)
    domains: list[DomainResult] = []
    domain_exact: list[Fraction | None] = []
    for d, domain in enumerate(questionnaire.domains):
        result, exact = _domain(tally, plan, questionnaire, d, domain, items, item_exact, target)
        domains.append(result)
        domain_exact.append(exact)
    _evidence(tally, plan, questionnaire, items, domains, target)
    overall = _overall(questionnaire, domains, domain_exact, target)
    return Evaluation(items, item_exact, domains, domain_exact, overall)


def _items(
    tally: Tally, plan: Plan, questionnaire: Questionnaire
) -> tuple[list[ItemResult], list[Fraction | None]]:
    """Item results. On a critical item an ``na`` without a reason (a note, or the item in
    the setting profile) counts as ``unknown``; an item the profile lists that nobody rated is
    not applicable. Answers from outside the item's audience are only counted."""
    width = plan.n_scale
    keys = [str(value) for value in plan.scale_values]
    results: list[ItemResult] = []
    exact: list[Fraction | None] = []
    for i, item in enumerate(questionnaire.items):
        counts = tally.dist[i * width : (i + 1) * width]
        n = sum(counts)
        total = sum(c * v for c, v in zip(counts, plan.scale_values, strict=True))
        squares = sum(c * v * v for c, v in zip(counts, plan.scale_values, strict=True))
        na, unknown = tally.na[i], tally.unknown[i]
        if not plan.na_counts[i]:  # critical, not in the profile: only noted na count as na
            na, unknown = tally.na_noted[i], unknown + na - tally.na_noted[i]
        listed = item.id in plan.key[4]
        outside = tally.out_of_audience[i]
        score = total / n if n else None
        exact.append(Fraction(total, n) if n else None)
        results.append(
            ItemResult(
                id=item.id,
                domain=questionnaire.domains[plan.item_domain[i]].id,
                text=item.text,
                critical=item.critical,
                weight=item.weight,
                principles=list(item.principles),
                applicable=not (n == 0 and (listed or (na > 0 and unknown == 0))),
                score=score,
                level=questionnaire.level_for_score(score).id if score is not None else None,
                n=n,
                na=na,
                unknown=unknown,
                missing=tally.n - n - na - unknown - outside,
                out_of_audience=outside,
                dissent=sum(counts[:2]) / n if n else None,
                sd=sample_sd(n, total, squares),
                distribution=dict(zip(keys, counts, strict=True)),
            )
        )
    return results, exact


def _domain(
    tally: Tally,
    plan: Plan,
    questionnaire: Questionnaire,
    d: int,
    domain: Domain,
    items: list[ItemResult],
    item_exact: list[Fraction | None],
    target: Target,
) -> tuple[DomainResult, Fraction | None]:
    indices = plan.domain_items[d]
    applicable = [i for i in indices if items[i].applicable]
    scored = [i for i in indices if items[i].n > 0]
    exact = weighted_mean(
        (value, Fraction(items[i].weight)) for i in scored if (value := item_exact[i]) is not None
    )
    score = float(exact) if exact is not None else None
    coverage = len(scored) / len(applicable) if applicable else None
    status: DomainStatus
    if not applicable:
        status = "not-applicable"
    elif not scored or coverage is None or coverage < questionnaire.min_coverage - TOLERANCE:
        status = "insufficient"
    else:
        status = "scored"
    numeric = sum(items[i].n for i in applicable)
    unknown = sum(items[i].unknown for i in applicable)
    sd_n, sd_total, sd_squares = ratio_sums(tally.spread[d])
    sd = sample_sd(sd_n, sd_total, sd_squares)
    alpha_n, alpha = _alpha(tally, d, indices)
    result = DomainResult(
        id=domain.id,
        title=domain.title,
        weight=domain.weight,
        score=score,
        level=None,
        level_by_score=None,
        status=status,
        coverage=coverage,
        scored_items=len(scored),
        applicable_items=len(applicable),
        gap=None,
        meets_target=None,
        sd=sd,
        sd_n=sd_n,
        low_agreement=sd > LOW_AGREEMENT_SD + TOLERANCE if sd is not None else None,
        alpha=alpha,
        alpha_n=alpha_n,
        unknown_rate=unknown / (numeric + unknown) if numeric + unknown else None,
    )
    if status == "scored" and score is not None:
        _level_domain(result, score, [items[i] for i in scored], questionnaire, target)
    ranks = {level.id: rank for rank, level in enumerate(questionnaire.levels)}
    flag_domain(result, [items[i] for i in indices], target, ranks, questionnaire.critical_dissent)
    return result, exact


def _evidence(
    tally: Tally,
    plan: Plan,
    questionnaire: Questionnaire,
    items: list[ItemResult],
    domains: list[DomainResult],
    target: Target,
) -> None:
    """What the results carry for the improvement cycle (SPEC section 9.1): each item's noted
    ratings per value and anchors, each domain's kind and evidence share against the target."""
    width = plan.n_scale
    keys = [str(value) for value in plan.scale_values]
    for i, (item, result) in enumerate(zip(questionnaire.items, items, strict=True)):
        counts = tally.noted[i * width : (i + 1) * width]
        result.noted = {key: count for key, count in zip(keys, counts, strict=True) if count}
        result.anchors = {str(value): text for value, text in item.anchors.items()}
    for d, (domain, domain_result) in enumerate(zip(questionnaire.domains, domains, strict=True)):
        domain_result.kind = domain.kind
        set_evidence(domain_result, [items[i] for i in plan.domain_items[d]], target.min_score)


def _alpha(tally: Tally, d: int, indices: tuple[int, ...]) -> tuple[int, float | None]:
    """Cronbach's alpha over respondents complete for the domain's scored items."""
    mask = tally.alpha_mask[d]
    chosen = [i for j, i in enumerate(indices) if mask >> j & 1]
    n = tally.alpha_n[d] if chosen else 0
    if n < MIN_ALPHA_RESPONDENTS or len(chosen) < 2:
        return n, None
    sums = [tally.alpha_sum[i] for i in chosen]
    squares = [tally.alpha_sq[i] for i in chosen]
    return n, cronbach_alpha(n, sums, squares, tally.alpha_t2[d])


def _level_domain(
    result: DomainResult,
    score: float,
    scored: list[ItemResult],
    questionnaire: Questionnaire,
    target: Target,
) -> None:
    """Level with the critical cap, gap and meets_target of a scored domain."""
    by_score = questionnaire.level_for_score(score).id
    rank = questionnaire.level_rank(by_score)
    level_rank = rank
    capped_by: list[str] = []
    for item in scored:
        if item.critical and item.level is not None:
            item_rank = questionnaire.level_rank(item.level)
            if item_rank < rank:
                capped_by.append(item.id)
                level_rank = min(level_rank, item_rank)
    result.level_by_score = by_score
    result.level = questionnaire.levels[level_rank].id
    result.capped_by = capped_by
    result.gap = max(0.0, target.min_score - score)
    result.meets_target = level_rank >= target.rank


def flag_domain(
    result: DomainResult,
    items: list[ItemResult],
    target: Target,
    ranks: Mapping[str, int],
    critical_dissent: float,
) -> None:
    """A critical practice must be shown, not assumed: a domain's unverified and contested
    critical items (each item's ``status``); a scored domain with any of them does not meet
    the target, whatever its level. Depends on the target, so re-run when it changes."""
    result.unverified, result.contested = [], []
    for item in items:
        if not item.critical:
            continue
        if result.status != "not-applicable" and item.applicable and item.n == 0:
            item.status = "unverified"
            result.unverified.append(item.id)
        elif item.n == 0:
            item.status = None  # not applicable: nothing to verify
        elif (
            ranks.get(item.level or "", -1) >= target.rank
            and (item.dissent or 0.0) >= critical_dissent - TOLERANCE
        ):
            item.status = "contested"
            result.contested.append(item.id)
        else:
            item.status = "scored"
    if result.status == "scored" and result.level is not None:
        flagged = bool(result.unverified or result.contested)
        result.meets_target = ranks[result.level] >= target.rank and not flagged


def overall_meets(
    overall: Overall, domains: list[DomainResult], target: Target, ranks: Mapping[str, int]
) -> None:
    """The overall meets the target when its level does, no domain has an unverified or
    contested critical item, and every applicable domain is scored: a provisional overall
    rests on some domains only, and a domain that is not scored does not meet the target."""
    if overall.level is not None:
        flagged = any(domain.unverified or domain.contested for domain in domains)
        complete = overall.status == "scored"
        overall.meets_target = ranks[overall.level] >= target.rank and not flagged and complete


def _overall(
    questionnaire: Questionnaire,
    domains: list[DomainResult],
    exact: list[Fraction | None],
    target: Target,
) -> Overall:
    scored = [d for d, domain in enumerate(domains) if domain.status == "scored"]
    applicable = sum(1 for domain in domains if domain.status != "not-applicable")
    mean = weighted_mean(
        (value, Fraction(questionnaire.domains[d].weight))
        for d in scored
        if (value := exact[d]) is not None
    )
    score = float(mean) if mean is not None else None
    status = overall_status(len(scored), applicable)
    overall = Overall(
        score=score,
        level=None,
        level_by_score=None,
        status=status,
        meets_target=None,
        scored_domains=len(scored),
        applicable_domains=applicable,
    )
    if status != "insufficient" and score is not None:
        rank = min(questionnaire.level_rank(domains[d].level or "") for d in scored)
        overall.level = questionnaire.levels[rank].id
        overall.level_by_score = questionnaire.level_for_score(score).id
        overall.gap = max(0.0, target.min_score - score)
        ranks = {level.id: rank for rank, level in enumerate(questionnaire.levels)}
        overall_meets(overall, domains, target, ranks)
    return overall


def priorities(
    questionnaire: Questionnaire, evaluation: Evaluation, target: Target, top: int
) -> list[Priority]:
    """The ranked priorities of an evaluation (see :func:`rank_priorities`)."""
    ranks = {level.id: rank for rank, level in enumerate(questionnaire.levels)}
    by_id = questionnaire.item_by_id

    def action(item: ItemResult) -> str | None:
        return by_id[item.id].actions.get(item.level or "")

    return rank_priorities(evaluation.items, evaluation.domains, target, ranks, top, action)


def rank_priorities(
    items: list[ItemResult],
    domains: list[DomainResult],
    target: Target,
    ranks: Mapping[str, int],
    top: int,
    action: Callable[[ItemResult], str | None],
) -> list[Priority]:
    """Priorities (SPEC section 4), so that every domain holding the organisation back gets a
    next step. Candidates: unverified and contested critical items (``verify``); items below
    the target in domains that do not meet it, and critical items below it anywhere
    (``improve``). Ranking: (1) ``verify`` items in questionnaire order; (2) for each domain
    that does not meet the target and has no ``verify`` item, unscored domains first, then by
    gap (largest first), its single best candidate; (3) the rest. "Best" is critical first,
    then the largest (min_score(target) - score) x weight, then questionnaire order. The first
    ``top`` are kept; ``rank`` is the position.
    """
    verify = [item for item in items if item.status in ("unverified", "contested")]
    held_back = {d.id for d in domains if d.status != "not-applicable" and not d.meets_target}
    candidates: list[tuple[bool, float, int, ItemResult]] = []
    for order, item in enumerate(items):
        if item.score is None or not item.applicable or item.level is None:
            continue
        if ranks[item.level] >= target.rank:
            continue
        if item.critical or item.domain in held_back:
            urgency = (target.min_score - item.score) * item.weight
            candidates.append((not item.critical, -urgency, order, item))
    candidates.sort(key=lambda entry: entry[:3])
    chosen = [_verify(item) for item in verify]
    with_verify = {item.domain for item in verify}
    waiting = [
        (d.status == "scored", -(d.gap or 0.0), order, d.id)
        for order, d in enumerate(domains)
        if d.id in held_back and d.id not in with_verify
    ]
    used: set[str] = set()
    for *_, domain_id in sorted(waiting):
        best = next((entry for entry in candidates if entry[3].domain == domain_id), None)
        if best is not None:
            used.add(best[3].id)
            chosen.append(_improve(best[3], target, action))
    chosen.extend(_improve(e[3], target, action) for e in candidates if e[3].id not in used)
    kept = chosen[: max(top, 0)]
    for rank, priority in enumerate(kept, start=1):
        priority.rank = rank
    return kept


def _improve(
    item: ItemResult, target: Target, action: Callable[[ItemResult], str | None]
) -> Priority:
    assert item.score is not None
    return Priority(
        rank=0,
        kind="improve",
        item=item.id,
        domain=item.domain,
        text=item.text,
        score=item.score,
        level=item.level,
        critical=item.critical,
        weight=item.weight,
        shortfall=target.min_score - item.score,
        action=action(item),
    )


def _verify(item: ItemResult) -> Priority:
    return Priority(
        rank=0,
        kind="verify",
        item=item.id,
        domain=item.domain,
        text=item.text,
        score=item.score,
        level=item.level,
        critical=True,
        weight=item.weight,
        shortfall=None,
        action=what_to_check(item),
    )


def principles(questionnaire: Questionnaire, evaluation: Evaluation) -> list[PrincipleResult]:
    """Per principle tag used by the questionnaire: weighted mean of its scored items."""
    results: list[PrincipleResult] = []
    for tag in PRINCIPLES:
        tagged = [
            (exact, Fraction(item.weight))
            for item, exact in zip(questionnaire.items, evaluation.item_exact, strict=True)
            if tag in item.principles
        ]
        if not tagged:
            continue
        scored = [(exact, weight) for exact, weight in tagged if exact is not None]
        mean = weighted_mean(scored)
        score = float(mean) if mean is not None else None
        results.append(PrincipleResult(id=tag, score=score, items=len(scored)))
    return results


def overall_status(scored: int, applicable: int) -> OverallStatus:
    """``scored`` when every applicable domain is scored, ``provisional`` when at least half
    are, else ``insufficient`` (SPEC section 4)."""
    if scored and scored == applicable:
        return "scored"
    if scored and 2 * scored >= applicable:
        return "provisional"
    return "insufficient"
