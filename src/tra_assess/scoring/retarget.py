"""Re-evaluate a results document against another target level (``report --target``).

A results file keeps every score and level, so a different target changes only what depends
on it, and that can be recomputed exactly (SPEC section 4): each domain's gap and
``meets_target``, the overall ``meets_target`` and gap, and the priorities (candidates, order,
shortfall), every candidate when the file lists them, and the evidence share (ratings at or
above the new target's min_score that carry a note). Actions are carried over from the file's
own priorities; an item that was not a priority there gets the action of the questionnaire
when that questionnaire (same id and version) can be loaded, else none.
"""

from __future__ import annotations

from collections.abc import Callable

from tra_assess.common.errors import UsageError
from tra_assess.results.evidence import refresh_evidence
from tra_assess.results.model import ItemResult, Priority, Results
from tra_assess.scoring.rules import Target, flag_domain, overall_meets, rank_priorities


def check_target(results: Results, target: str) -> None:
    ids = [level.id for level in results.levels]
    if target not in ids:
        raise UsageError(f"unknown target level {target!r} (one of: {', '.join(ids)})")


def retarget(results: Results, target: str, top: int) -> Results:
    """A copy of ``results`` evaluated against ``target``; unchanged when it is the same.

    The rules are scoring's own (:mod:`tra_assess.scoring.rules`): contested critical items
    depend on the target, so they are found again; unverified ones do not change.
    """
    check_target(results, target)
    if target == results.target:
        return results
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    goal = ranks[target]
    chosen = Target(id=target, min_score=results.levels[goal].min_score, rank=goal)
    copy = results.model_copy(deep=True)
    copy.target = target
    by_domain: dict[str, list[ItemResult]] = {}
    for item in copy.items:
        by_domain.setdefault(item.domain, []).append(item)
    for domain in copy.domains:
        if domain.status == "scored" and domain.level in ranks and domain.score is not None:
            domain.gap = max(0.0, chosen.min_score - domain.score)
        # the flags, and meets_target with them; unverified items do not depend on the
        # target, so the file's own stay even when its item rows do not show them
        kept = list(domain.unverified)
        flag_domain(domain, by_domain.get(domain.id, []), chosen, ranks, copy.critical_dissent)
        domain.unverified += [i for i in kept if i not in domain.unverified]
        if domain.unverified and domain.meets_target:
            domain.meets_target = False
    overall = copy.overall
    overall_meets(overall, copy.domains, chosen, ranks)
    if overall.score is not None and overall.gap is not None:
        overall.gap = max(0.0, chosen.min_score - overall.score)
    action = _actions(results)
    copy.priorities = rank_priorities(
        copy.items, copy.domains, chosen, ranks, max(top, len(results.priorities)), action
    )
    if results.candidates:
        copy.candidates = rank_priorities(
            copy.items, copy.domains, chosen, ranks, _every(copy), action
        )
    if results.evidence_counted:
        refresh_evidence(copy, chosen.min_score)
    return copy


def judged_against(results: Results, target: str) -> Results:
    """``results`` evaluated against ``target`` when its ladder has that level, else as it is
    (a file's own verdicts hold for its own target only: contested critical items depend on
    it). For comparing assessments against one target."""
    if target == results.target or all(level.id != target for level in results.levels):
        return results
    return retarget(results, target, len(results.priorities))


def all_candidates(results: Results) -> list[Priority]:
    """Every priority candidate of ``results`` against its own target, in rank order, worked
    out from the document (for files that do not list their ``candidates``)."""
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    goal = ranks[results.target]
    own = Target(id=results.target, min_score=results.levels[goal].min_score, rank=goal)
    return rank_priorities(
        results.items, results.domains, own, ranks, _every(results), _actions(results)
    )


def _every(results: Results) -> int:
    """A top N that keeps every candidate (verify items and improve items alike)."""
    return len(results.items) + len(results.domains) + 1


def _actions(results: Results) -> Callable[[ItemResult], str | None]:
    """An item's next action: the file's own, else the questionnaire's for its level."""
    known = {
        p.item: p.action for p in [*results.candidates, *results.priorities] if p.kind == "improve"
    }
    actions = _questionnaire_actions(results)

    def action(item: ItemResult) -> str | None:
        if item.id in known:
            return known[item.id]
        return actions.get((item.id, item.level or ""))

    return action


def _questionnaire_actions(results: Results) -> dict[tuple[str, str], str]:
    """Actions by (item, level) from the questionnaire, when it is built in and matches."""
    from tra_assess.common.errors import TraAssessError
    from tra_assess.common.resources import builtin_questionnaires
    from tra_assess.questionnaire.load import load_questionnaire

    info = results.questionnaire
    try:
        if info.id not in builtin_questionnaires():
            return {}
        questionnaire = load_questionnaire(info.id)
    except (TraAssessError, OSError):
        return {}
    if questionnaire.version != info.version:
        return {}
    found: dict[tuple[str, str], str] = {}
    for item in questionnaire.items:
        for level, text in (item.actions or {}).items():
            found[(item.id, str(level))] = text
    return found
