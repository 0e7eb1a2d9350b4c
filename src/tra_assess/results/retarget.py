"""Re-evaluate a results document against another target level (``report --target``).

A results file keeps every score and level, so a different target changes only what depends
on it, and that can be recomputed exactly (SPEC section 4): each domain's gap and
``meets_target``, the overall ``meets_target`` and gap, the priorities (candidates, order,
shortfall) and each domain's evidence share (ratings at or above the new target's
min_score). Actions are carried over from the file's own priorities; an item that was not a
priority there gets the action of the questionnaire when that questionnaire (same id and
version) can be loaded, else none.
"""

from __future__ import annotations

from tra_assess.common.errors import UsageError
from tra_assess.results.evidence import refresh_evidence
from tra_assess.results.model import ItemResult, Priority, Results

TOLERANCE = 1e-9


def check_target(results: Results, target: str) -> None:
    ids = [level.id for level in results.levels]
    if target not in ids:
        raise UsageError(f"unknown target level {target!r} (one of: {', '.join(ids)})")


def retarget(results: Results, target: str, top: int) -> Results:
    """A copy of ``results`` evaluated against ``target``; unchanged when it is the same."""
    check_target(results, target)
    if target == results.target:
        return results
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    goal = ranks[target]
    target_min = results.levels[goal].min_score
    copy = results.model_copy(deep=True)
    copy.target = target
    for domain in copy.domains:
        if domain.status == "scored" and domain.level in ranks and domain.score is not None:
            domain.meets_target = ranks[domain.level] >= goal
            domain.gap = max(0.0, target_min - domain.score)
    overall = copy.overall
    if overall.level in ranks:
        overall.meets_target = ranks[overall.level] >= goal
    if overall.score is not None and overall.gap is not None:
        overall.gap = max(0.0, target_min - overall.score)
    copy.priorities = _priorities(copy, ranks, goal, target_min, max(top, len(results.priorities)))
    if results.candidates:
        copy.candidates = _priorities(copy, ranks, goal, target_min, len(copy.items))
    if results.evidence_counted:
        refresh_evidence(copy, target_min)
    return copy


def _priorities(
    results: Results, ranks: dict[str, int], goal: int, target_min: float, top: int
) -> list[Priority]:
    meets = {d.id: d.meets_target is True for d in results.domains}
    known = {p.item: p.action for p in [*results.candidates, *results.priorities]}
    actions = _questionnaire_actions(results)
    ranked: list[tuple[int, float, int, ItemResult]] = []
    for order, item in enumerate(results.items):
        if item.score is None or not item.applicable or item.level not in ranks:
            continue
        if ranks[item.level] >= goal:
            continue
        if not item.critical and meets.get(item.domain, False):
            continue
        urgency = (target_min - item.score) * item.weight
        ranked.append((0 if item.critical else 1, -urgency, order, item))
    ranked.sort(key=lambda entry: entry[:3])
    chosen: list[Priority] = []
    for rank, (_, _, _, item) in enumerate(ranked[:top], start=1):
        assert item.score is not None and item.level is not None
        action = known[item.id] if item.id in known else actions.get((item.id, item.level))
        chosen.append(
            Priority(
                rank=rank,
                item=item.id,
                domain=item.domain,
                text=item.text,
                score=item.score,
                level=item.level,
                critical=item.critical,
                weight=item.weight,
                shortfall=target_min - item.score,
                action=action,
            )
        )
    return chosen


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


def all_candidates(results: Results) -> list[Priority]:
    """Every priority candidate of ``results`` against its own target, in rank order, worked
    out from the document (for files that do not list their ``candidates``)."""
    ranks = {level.id: rank for rank, level in enumerate(results.levels)}
    goal = ranks[results.target]
    target_min = results.levels[goal].min_score
    return _priorities(results, ranks, goal, target_min, len(results.items))
