"""Turning a tally into item, domain and overall results (SPEC section 4).

Scores are computed exactly (fractions of the integer sums) and rounded to float once, so the
same respondents give the same numbers whatever order they were added or merged in.
"""

from __future__ import annotations

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
                applicable=not (na > 0 and n == 0 and unknown == 0),
                score=score,
                level=questionnaire.level_for_score(score).id if score is not None else None,
                n=n,
                na=na,
                unknown=unknown,
                missing=tally.n - n - na - unknown,
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
    numeric = sum(items[i].n for i in indices)
    unknown = sum(items[i].unknown for i in indices)
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
    status: OverallStatus
    if scored and len(scored) == applicable:
        status = "scored"
    elif scored and 2 * len(scored) >= applicable:
        status = "provisional"
    else:
        status = "insufficient"
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
        overall.meets_target = rank >= target.rank
        overall.gap = max(0.0, target.min_score - score)
    return overall


def priorities(
    questionnaire: Questionnaire, evaluation: Evaluation, target: Target, top: int
) -> list[Priority]:
    """Items below the target in domains that miss it, and critical items below it anywhere.

    Order: critical first, then (min_score(target) - score) x weight descending, then
    questionnaire order; the first ``top`` are kept.
    """
    meets = {domain.id: bool(domain.meets_target) for domain in evaluation.domains}
    candidates: list[tuple[bool, float, int, Priority]] = []
    for order, (item, result) in enumerate(zip(questionnaire.items, evaluation.items, strict=True)):
        if result.score is None or result.level is None:
            continue
        if questionnaire.level_rank(result.level) >= target.rank:
            continue
        if not (item.critical or not meets[result.domain]):
            continue
        shortfall = target.min_score - result.score
        priority = Priority(
            rank=0,
            item=item.id,
            domain=result.domain,
            text=item.text,
            score=result.score,
            level=result.level,
            critical=item.critical,
            weight=item.weight,
            shortfall=shortfall,
            action=item.actions.get(result.level),
        )
        candidates.append((not item.critical, -(shortfall * item.weight), order, priority))
    candidates.sort(key=lambda entry: entry[:3])
    chosen = [entry[3] for entry in candidates[: max(top, 0)]]
    for rank, priority in enumerate(chosen, start=1):
        priority.rank = rank
    return chosen


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
