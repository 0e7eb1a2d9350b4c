"""Groups (SPEC section 4): each group scored with the same rules, small groups suppressed.

A group with fewer than ``min_group_size`` respondents is suppressed (no count, score or level
of any kind). When exactly one group is suppressed, the smallest remaining group (ties: the
first by value) is suppressed too, so the suppressed group cannot be worked out from the
total and the others. Perception gaps compare the highest and lowest *shown* groups whose
domain is scored.
"""

from __future__ import annotations

from collections.abc import Callable

from tra_assess.results.model import GroupDomain, GroupResult, Groups, PerceptionGap
from tra_assess.scoring.rules import Evaluation
from tra_assess.scoring.stats import TOLERANCE

UNSPECIFIED = "(unspecified)"
PERCEPTION_GAP_FLAG = 1.0


def suppressed_groups(sizes: dict[str, int], min_size: int) -> set[str]:
    """The groups to suppress: the small ones, plus one more when only one is small."""
    small = {value for value, n in sizes.items() if n < min_size}
    if len(small) == 1:
        rest = sorted((n, value) for value, n in sizes.items() if value not in small)
        if rest:
            small.add(rest[0][1])
    return small


def group_order(value: str) -> tuple[bool, str]:
    """Groups are listed by value, with ``(unspecified)`` last."""
    return (value == UNSPECIFIED, value)


def build_groups(
    by: str,
    min_size: int,
    sizes: dict[str, int],
    evaluate: Callable[[str], Evaluation],
) -> Groups:
    """The groups section; ``evaluate(value)`` scores one group (called for shown groups only)."""
    hidden = suppressed_groups(sizes, min_size)
    results: list[GroupResult] = []
    shown: list[tuple[str, Evaluation]] = []
    for value in sorted(sizes, key=group_order):
        if value in hidden:
            results.append(GroupResult(value=value, n=None, suppressed=True))
            continue
        evaluation = evaluate(value)
        shown.append((value, evaluation))
        results.append(
            GroupResult(
                value=value,
                n=sizes[value],
                suppressed=False,
                overall_score=evaluation.overall.score,
                overall_level=evaluation.overall.level,
                domains=[
                    GroupDomain(
                        id=d.id,
                        score=d.score,
                        level=d.level,
                        status=d.status,
                        unverified=d.unverified,
                        contested=d.contested,
                    )
                    for d in evaluation.domains
                ],
            )
        )
    return Groups(
        by=by,
        min_size=min_size,
        groups=results,
        perception_gaps=perception_gaps(shown),
    )


def perception_gaps(shown: list[tuple[str, Evaluation]]) -> list[PerceptionGap]:
    """Per domain with at least two shown groups scoring it: highest minus lowest."""
    if not shown:
        return []
    gaps: list[PerceptionGap] = []
    for d, domain in enumerate(shown[0][1].domains):
        scored = [
            (value, score)
            for value, evaluation in shown
            if evaluation.domains[d].status == "scored"
            and (score := evaluation.domains[d].score) is not None
        ]
        if len(scored) < 2:
            continue
        # ties: the first group (in listed order) is "high", the last is "low"
        high = max(scored, key=lambda entry: entry[1])
        low = min(reversed(scored), key=lambda entry: entry[1])
        gap = high[1] - low[1]
        gaps.append(
            PerceptionGap(
                domain=domain.id,
                high=high[0],
                low=low[0],
                high_score=high[1],
                low_score=low[1],
                gap=gap,
                flagged=gap >= PERCEPTION_GAP_FLAG - TOLERANCE,
            )
        )
    return gaps
