"""Change between two assessments (``tra-assess compare`` and the report's baseline section).

:func:`compare_results` takes two ``tra-results/1`` documents of the same questionnaire and
returns a :class:`Comparison`: per domain and overall, the scores and levels at both times,
the change, the change in level (rank difference on the follow-up's ladder) and the gap to the
target then and now (SPEC section 9), gap = max(0, min_score(target) - score). Change against
the target is said in words, never as a percentage (``against_target``):

- "target reached": the follow-up meets the target and the baseline did not;
- "target met then and now";
- "target lost: gap 0.00 → 0.25": the baseline met it, the follow-up does not;
- "further from target by 0.41": the gap grew;
- "gap 0.33 → 0.12": otherwise ("; level still below target" when the score is at the target
  but the level is not: a critical item caps it, or one is unverified or contested);
- "no baseline score" / "no follow-up score".

Results of two versions of the questionnaire are compared on what they share: items are paired
through the questionnaire's ``changes`` list (:mod:`tra_assess.compare.versions`; split,
merged, added and removed items are ``left_out``, each with why), and a domain whose items
differ between the two is scored again at both dates on the items both have, the overall then
over the compared domains (:mod:`tra_assess.compare.shared`; ``shared_items`` on its row).

Numbers are unrounded; the words round half-up to 2 decimals.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tra_assess.common.display import fmt_number
from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.compare.shared import Basis, domain_pairs, overall_on, target_for
from tra_assess.compare.versions import NotCompared, find_changes, pair_items
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.load import load_results_file, results_from_data
from tra_assess.results.model import DomainResult, ItemResult, LevelInfo, Overall, Results
from tra_assess.scoring.retarget import judged_against
from tra_assess.scoring.stats import TOLERANCE

__all__ = [
    "Comparison",
    "DomainChange",
    "ItemMove",
    "NotCompared",
    "compare_results",
    "load_results_file",
    "results_from_data",
]

TARGET_REACHED = "target reached"
TARGET_KEPT = "target met then and now"
TARGET_LOST = "target lost"
LEVEL_BELOW = "level still below target"
NO_BASELINE_SCORE = "no baseline score"
NO_FOLLOWUP_SCORE = "no follow-up score"
ITEMS_MOVED_TOP = 10


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DomainChange(_Model):
    """One domain (or the overall result) at baseline and follow-up."""

    id: str
    title: str
    baseline_score: float | None
    followup_score: float | None
    change: float | None = Field(description="followup_score - baseline_score")
    baseline_level: str | None
    followup_level: str | None
    level_change: int | None = Field(
        description="rank of the follow-up level minus rank of the baseline level "
        "(on the follow-up's ladder); positive is better"
    )
    baseline_status: str
    followup_status: str
    baseline_gap: float | None = Field(
        description="max(0, min_score(target) - baseline_score); null without a score"
    )
    followup_gap: float | None = Field(
        description="max(0, min_score(target) - followup_score); null without a score"
    )
    target_already_met: bool = Field(
        False, description="the baseline already met the target level (its meets_target)"
    )
    followup_meets_target: bool = Field(
        False,
        description="the follow-up meets the target level (its meets_target); with "
        "target_already_met and this false, the target was lost",
    )
    against_target: str = Field(
        description="change against the target in words: 'gap 0.33 → 0.12', 'target "
        "reached', 'further from target by 0.41' ... (never a percentage)"
    )
    shared_items: int | None = Field(
        None,
        description="scored again at both dates on this many items both versions share "
        "(null: compared as scored, on all its items)",
    )


class ItemMove(_Model):
    """An item whose score changed between the two assessments."""

    id: str
    baseline_id: str | None = Field(None, description="the item's id at baseline, if it moved")
    domain: str
    text: str
    critical: bool = False
    baseline_score: float
    followup_score: float
    change: float
    baseline_level: str | None
    followup_level: str | None


class QuestionnaireVersions(_Model):
    id: str
    title: str
    baseline_version: str
    followup_version: str


class Comparison(_Model):
    """What changed between a baseline and a follow-up assessment."""

    questionnaire: QuestionnaireVersions
    baseline_date: str | None
    followup_date: str | None
    organizations: list[str] = Field(default_factory=list)
    target: str
    target_min_score: float
    levels: list[LevelInfo] = Field(description="the follow-up's level ladder")
    overall: DomainChange
    domains: list[DomainChange]
    baseline_domains_meeting_target: int = Field(
        0, description="compared domains whose baseline met the target"
    )
    followup_domains_meeting_target: int = Field(
        0, description="compared domains whose follow-up meets the target"
    )
    items_moved: list[ItemMove]
    left_out: list[NotCompared] = Field(
        default_factory=list,
        description="items and domains not compared, and why (split, merged, removed, added "
        "between the versions, or on one side only)",
    )
    warnings: list[str] = Field(default_factory=list)

    def level_label(self, level_id: str | None) -> str:
        for level in self.levels:
            if level.id == level_id:
                return level.label
        return level_id if level_id is not None else "no level"


# -- computing ---------------------------------------------------------------------------------


def compare_results(
    baseline: Results,
    followup: Results,
    target: str | None = None,
    questionnaire: Questionnaire | None = None,
) -> Comparison:
    """Compare two results of the same questionnaire (id); see the module docstring.

    Results of two versions are compared on what they share: ``questionnaire`` (else the
    built-in one of that id) gives the ``changes`` that say which items were split, merged,
    added or removed (:mod:`tra_assess.compare.versions`), and a domain whose items differ is
    scored again at both dates on the items both have (:mod:`tra_assess.compare.shared`).
    """
    qb, qf = baseline.questionnaire, followup.questionnaire
    if qb.id != qf.id:
        raise InvalidInputError(
            f"cannot compare results of different questionnaires: the baseline is {qb.id!r} "
            f"({qb.version}) and the follow-up is {qf.id!r} ({qf.version})"
        )
    ladder = [level.id for level in followup.levels]
    target_id = target or followup.target
    if target_id not in ladder:
        raise UsageError(f"unknown target level {target_id!r} (one of: {', '.join(ladder)})")
    target_min = next(lv.min_score for lv in followup.levels if lv.id == target_id)
    baseline, followup = (judged_against(r, target_id) for r in (baseline, followup))
    pairing = pair_items(baseline, followup, find_changes(baseline, followup, questionnaire))
    basis = domain_pairs(baseline, followup, pairing.pairs, target_id)

    def met(results: Results, figures: DomainResult | Overall, flagged: bool) -> bool:
        """Did ``results`` meet ``target_id``? Its own verdict when it had that target; else
        its level, and no unverified critical item (``flagged``)."""
        level = figures.level
        if target_id == results.target:
            return figures.meets_target is True
        return level in ladder and ladder.index(level) >= ladder.index(target_id) and not flagged

    domains = []
    for pair in basis.domains:
        row = _domain_change(
            pair.baseline,
            pair.followup,
            ladder,
            target_min,
            (
                met(baseline, pair.baseline, bool(pair.baseline.unverified)),
                met(followup, pair.followup, bool(pair.followup.unverified)),
            ),
        )
        row.shared_items = pair.shared
        domains.append(row)
    b_overall, f_overall = _overalls(baseline, followup, basis, target_id)
    overall = _change(
        "overall",
        "Overall",
        (b_overall.score, b_overall.level, b_overall.status),
        (f_overall.score, f_overall.level, f_overall.status),
        ladder,
        (
            target_min,
            met(baseline, b_overall, any(p.baseline.unverified for p in basis.domains)),
            met(followup, f_overall, any(p.followup.unverified for p in basis.domains)),
        ),
    )
    return Comparison(
        questionnaire=QuestionnaireVersions(
            id=qf.id, title=qf.title, baseline_version=qb.version, followup_version=qf.version
        ),
        baseline_date=_date(baseline),
        followup_date=_date(followup),
        organizations=_organizations(baseline, followup),
        target=target_id,
        target_min_score=target_min,
        levels=list(followup.levels),
        overall=overall,
        domains=domains,
        baseline_domains_meeting_target=sum(d.target_already_met for d in domains),
        followup_domains_meeting_target=sum(d.followup_meets_target for d in domains),
        items_moved=_items_moved(baseline, followup, pairing.pairs),
        left_out=[*pairing.left_out, *basis.left_out],
        warnings=_warnings(baseline, followup, len(domains), len(pairing.pairs), pairing.notes),
    )


def _overalls(
    baseline: Results, followup: Results, basis: Basis, target_id: str
) -> tuple[Overall, Overall]:
    """Both overall results: as stored, or over the compared domains when any domain was
    scored again on shared items or left out."""
    if not basis.rescored:
        return baseline.overall, followup.overall
    return (
        overall_on(baseline, [p.baseline for p in basis.domains], target_for(baseline, target_id)),
        overall_on(followup, [p.followup for p in basis.domains], target_for(followup, target_id)),
    )


def _domain_change(
    base: DomainResult,
    follow: DomainResult,
    ladder: list[str],
    target_min: float,
    met: tuple[bool, bool],
) -> DomainChange:
    return _change(
        follow.id,
        follow.title,
        (base.score, base.level, base.status),
        (follow.score, follow.level, follow.status),
        ladder,
        (target_min, *met),
    )


def _change(
    ident: str,
    title: str,
    base: tuple[float | None, str | None, str],
    follow: tuple[float | None, str | None, str],
    ladder: list[str],
    target: tuple[float, bool, bool],
) -> DomainChange:
    """One row; ``target`` is (min_score of the target, whether the baseline met it, whether
    the follow-up meets it)."""
    b_score, b_level, b_status = base
    f_score, f_level, f_status = follow
    target_min, already_met, now_met = target
    change = f_score - b_score if b_score is not None and f_score is not None else None
    level_change = None
    if b_level in ladder and f_level in ladder:
        level_change = ladder.index(f_level) - ladder.index(b_level)
    b_gap = max(0.0, target_min - b_score) if b_score is not None else None
    f_gap = max(0.0, target_min - f_score) if f_score is not None else None
    return DomainChange(
        id=ident,
        title=title,
        baseline_score=b_score,
        followup_score=f_score,
        change=change,
        baseline_level=b_level,
        followup_level=f_level,
        level_change=level_change,
        baseline_status=b_status,
        followup_status=f_status,
        baseline_gap=b_gap,
        followup_gap=f_gap,
        target_already_met=already_met,
        followup_meets_target=now_met,
        against_target=against_target(b_gap, f_gap, already_met, now_met),
    )


def against_target(
    b_gap: float | None, f_gap: float | None, already_met: bool, now_met: bool
) -> str:
    """The change against the target in words (see the module docstring)."""
    if now_met:
        return TARGET_KEPT if already_met else TARGET_REACHED
    if b_gap is None:
        return NO_BASELINE_SCORE
    if f_gap is None:
        return NO_FOLLOWUP_SCORE
    gaps = f"gap {fmt_number(b_gap)} → {fmt_number(f_gap)}"
    if already_met:
        return f"{TARGET_LOST}: {gaps}"
    grew = f_gap - b_gap
    if grew > TOLERANCE and fmt_number(grew) != "0.00":
        return f"further from target by {fmt_number(grew)}"
    if fmt_number(f_gap) == "0.00":
        return f"{gaps}; {LEVEL_BELOW}"
    return gaps


def _items_moved(baseline: Results, followup: Results, pairs: dict[str, str]) -> list[ItemMove]:
    """The compared items (``pairs``: follow-up id -> baseline id) whose score changed most."""
    base_items: dict[str, ItemResult] = {i.id: i for i in baseline.items}
    moves: list[tuple[float, int, ItemMove]] = []
    for order, item in enumerate(followup.items):
        before = base_items.get(pairs.get(item.id, ""))
        if before is None or before.score is None or item.score is None:
            continue
        change = item.score - before.score
        if abs(change) <= TOLERANCE:
            continue
        move = ItemMove(
            id=item.id,
            baseline_id=before.id if before.id != item.id else None,
            domain=item.domain,
            text=item.text or before.text,
            critical=item.critical,
            baseline_score=before.score,
            followup_score=item.score,
            change=change,
            baseline_level=before.level,
            followup_level=item.level,
        )
        moves.append((-abs(change), order, move))
    moves.sort(key=lambda entry: (entry[0], entry[1]))
    return [move for _, _, move in moves[:ITEMS_MOVED_TOP]]


def _date(results: Results) -> str | None:
    """The assessment date the answers carry; never the day the results were made."""
    return results.assessed_on or None


def _organizations(baseline: Results, followup: Results) -> list[str]:
    names = list(followup.organizations)
    return names + [n for n in baseline.organizations if n not in names]


def _warnings(
    baseline: Results, followup: Results, domains: int, items: int, notes: list[str]
) -> list[str]:
    warnings: list[str] = []
    qb, qf = baseline.questionnaire, followup.questionnaire
    if qb.version != qf.version:
        warnings.append(
            f"the baseline used {qb.id} {qb.version} and the follow-up {qf.id} {qf.version}: "
            f"comparing the {domains} domains and {items} items both have, each domain on the "
            "items both versions share (the rest are listed as not compared)"
        )
    warnings += notes
    if [lv.id for lv in baseline.levels] != [lv.id for lv in followup.levels] or [
        lv.min_score for lv in baseline.levels
    ] != [lv.min_score for lv in followup.levels]:
        warnings.append(
            "the two results use different level ladders; levels are ranked on the follow-up's"
        )
    b_date, f_date = _date(baseline), _date(followup)
    if b_date and f_date and b_date > f_date:
        warnings.append(
            f"the baseline ({b_date}) is later than the follow-up ({f_date}): "
            "are the files in the right order (BASELINE FOLLOWUP)?"
        )
    b_orgs, f_orgs = set(baseline.organizations), set(followup.organizations)
    if b_orgs and f_orgs and not b_orgs & f_orgs:
        warnings.append(
            f"the results name different organisations ({', '.join(sorted(b_orgs))} and "
            f"{', '.join(sorted(f_orgs))})"
        )
    return warnings
