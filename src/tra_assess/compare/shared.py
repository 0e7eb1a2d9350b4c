"""A domain, and the overall result, scored again on only the items two results share.

When two results were scored against different versions of a questionnaire, a domain may have
gained or lost items. Its stored score then rests on different practices at the two dates,
and the difference would mix change in practice with change in the instrument. So the domain
is scored again, at both dates, on the items that both versions share, with scoring's own rules
(SPEC section 4): the weighted mean of the scored items' scores, coverage against
``min_coverage``, the level with its critical cap, unverified and contested critical items,
the gap. The overall result is then the weighted mean of the compared domains, at the level of
the weakest. Everything comes from the results file: item scores, weights, levels, counts and
dissent are stored there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tra_assess.compare.versions import NotCompared
from tra_assess.results.model import DomainResult, ItemResult, Overall, Results
from tra_assess.scoring.rules import Target, flag_domain, overall_meets, overall_status
from tra_assess.scoring.stats import TOLERANCE

__all__ = ["Basis", "DomainPair", "domain_on", "domain_pairs", "overall_on", "target_for"]


def target_for(results: Results, target_id: str) -> Target | None:
    """``target_id`` on this result's own ladder, or None when its ladder has no such level."""
    for rank, level in enumerate(results.levels):
        if level.id == target_id:
            return Target(id=level.id, min_score=level.min_score, rank=rank)
    return None


def _level_for(results: Results, score: float) -> tuple[str, int]:
    chosen = 0
    for rank, level in enumerate(results.levels):
        if level.min_score <= score + TOLERANCE:
            chosen = rank
    return results.levels[chosen].id, chosen


def domain_on(
    results: Results, domain: DomainResult, item_ids: Sequence[str], target: Target | None
) -> DomainResult:
    """``domain`` of ``results`` as if it held only ``item_ids`` (ids of its own items)."""
    by_id = {item.id: item for item in results.items}
    items = [by_id[i].model_copy() for i in item_ids]  # flags are set on copies
    applicable = [item for item in items if item.applicable]
    scored = [item for item in applicable if item.score is not None]
    weight = sum(item.weight for item in scored)
    score = sum(item.weight * (item.score or 0.0) for item in scored) / weight if scored else None
    coverage = len(scored) / len(applicable) if applicable else None
    if not applicable:
        status = "not-applicable"
    elif not scored or (coverage or 0.0) < results.min_coverage - TOLERANCE:
        status = "insufficient"
    else:
        status = "scored"
    result = domain.model_copy(
        update={
            "score": score,
            "status": status,
            "coverage": coverage,
            "scored_items": len(scored),
            "applicable_items": len(applicable),
            "level": None,
            "level_by_score": None,
            "capped_by": [],
            "gap": None,
            "meets_target": None,
            "sd": None,
            "sd_n": 0,
            "low_agreement": None,
            "alpha": None,
            "alpha_n": 0,
        }
    )
    if status == "scored" and score is not None:
        _level(results, result, score, scored, target)
    if target is not None:
        ranks = {level.id: rank for rank, level in enumerate(results.levels)}
        flag_domain(result, items, target, ranks, results.critical_dissent)
    return result


def _level(
    results: Results,
    result: DomainResult,
    score: float,
    scored: list[ItemResult],
    target: Target | None,
) -> None:
    """The level with the critical cap (as scoring's own), the gap and meets_target."""
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    by_score, rank = _level_for(results, score)
    level_rank = rank
    for item in scored:
        item_rank = ranks.get(item.level or "")
        if item.critical and item_rank is not None and item_rank < rank:
            result.capped_by.append(item.id)
            level_rank = min(level_rank, item_rank)
    result.level_by_score = by_score
    result.level = results.levels[level_rank].id
    if target is not None:
        result.gap = max(0.0, target.min_score - score)
        result.meets_target = level_rank >= target.rank


def overall_on(
    results: Results, domains: Sequence[DomainResult], target: Target | None
) -> Overall:
    """The overall result over ``domains`` only (scoring's rules: weighted mean of the scored
    domains, the weakest level, scored / provisional / insufficient)."""
    scored = [d for d in domains if d.status == "scored" and d.score is not None]
    applicable = sum(1 for d in domains if d.status != "not-applicable")
    weight = sum(d.weight for d in scored)
    score = sum(d.weight * (d.score or 0.0) for d in scored) / weight if scored else None
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
    if status == "insufficient" or score is None:
        return overall
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    overall.level = results.levels[min(ranks.get(d.level or "", 0) for d in scored)].id
    overall.level_by_score = _level_for(results, score)[0]
    if target is not None:
        overall.gap = max(0.0, target.min_score - score)
        overall_meets(overall, list(domains), target, ranks)
    return overall


# -- which domains, on which items ---------------------------------------------------------------


@dataclass
class DomainPair:
    """A domain at both dates; ``shared`` is the number of items it was scored again on (None:
    compared as stored, on every item it has)."""

    baseline: DomainResult
    followup: DomainResult
    shared: int | None = None


@dataclass
class Basis:
    domains: list[DomainPair] = field(default_factory=list)
    left_out: list[NotCompared] = field(default_factory=list)

    @property
    def rescored(self) -> bool:
        """Whether any domain was scored again or left out (so the overall must be too)."""
        return bool(self.left_out) or any(pair.shared is not None for pair in self.domains)


def domain_pairs(
    baseline: Results, followup: Results, pairs: dict[str, str], target_id: str
) -> Basis:
    """The domains of the follow-up that the baseline has too, each on the items both share
    (``pairs``: follow-up item id -> baseline item id); the others are left out, with why."""
    base_domains = {d.id: d for d in baseline.domains}
    base_items = {item.id: item.domain for item in baseline.items}
    follow_items = {item.id: item.domain for item in followup.items}
    targets = (target_for(baseline, target_id), target_for(followup, target_id))
    basis = Basis()
    for domain in followup.domains:
        before = base_domains.get(domain.id)
        if before is None:
            continue
        shared = [
            (f, b)
            for f, b in pairs.items()
            if follow_items[f] == domain.id and base_items.get(b) == domain.id
        ]
        whole = (
            {b for _, b in shared} == {i for i, d in base_items.items() if d == domain.id}
            and {f for f, _ in shared} == {i for i, d in follow_items.items() if d == domain.id}
        )
        if whole:  # the same items at both dates (or a file that lists none): as stored
            basis.domains.append(DomainPair(before, domain))
            continue
        if not shared:
            text = f"domain {domain.id}: no item in both versions, so not compared"
            basis.left_out.append(
                NotCompared(kind="domain", why="no-shared-items", ids=[domain.id], text=text)
            )
            continue
        again = DomainPair(
            domain_on(baseline, before, [b for _, b in shared], targets[0]),
            domain_on(followup, domain, [f for f, _ in shared], targets[1]),
            len(shared),
        )
        basis.domains.append(again)
    only_follow = [d.id for d in followup.domains if d.id not in base_domains]
    if only_follow:
        text = f"not in the baseline, so not compared: {', '.join(only_follow)}"
        basis.left_out.append(
            NotCompared(kind="domain", why="not-in-baseline", ids=only_follow, text=text)
        )
    follow_ids = {d.id for d in followup.domains}
    only_base = [d.id for d in baseline.domains if d.id not in follow_ids]
    if only_base:
        text = f"not in the follow-up, so not compared: {', '.join(only_base)}"
        basis.left_out.append(
            NotCompared(kind="domain", why="not-in-followup", ids=only_base, text=text)
        )
    return basis
