"""Groups (SPEC section 4): each group scored with the same rules, small groups suppressed.

A group with fewer than ``min_group_size`` respondents is suppressed (no count, score or level
of any kind). When exactly one group is suppressed, the smallest remaining group (ties: the
first by value) is suppressed too, so the suppressed group cannot be worked out from the
total and the others.

Suppression then holds *per figure* (:func:`suppress_figures`): for each figure shown per group
(each domain score and level, the overall score), the respondents who count towards the
batch's figure but towards no shown group's figure must be none or at least ``min_group_size``;
while they are fewer, the shown group with the fewest contributors to that figure loses its
cell (``GroupDomain.suppressed``), and a group that lost a domain cell loses its overall
score too. Contributors are counted exactly from the tallies' respondents per domain mask.

Group values are compared folded (:func:`fold_group_value`), and ``--merge-groups`` pools
groups under one name before any of this (:func:`pool_groups`). Perception gaps compare the
highest and lowest *shown* cells whose domain is scored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tra_assess.common.errors import UsageError
from tra_assess.common.textsafe import quoted
from tra_assess.results.model import GroupDomain, GroupResult, Groups, PerceptionGap, Results
from tra_assess.scoring.rules import Evaluation
from tra_assess.scoring.stats import TOLERANCE
from tra_assess.scoring.tally import Tally, fold_role

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
    figures: Figures | None = None,
    merged_from: Mapping[str, list[str]] | None = None,
) -> Groups:
    """The groups section; ``evaluate(value)`` scores one group (called for shown groups only).

    With ``figures`` (the batch and the groups' tallies), suppression holds per figure too;
    ``merged_from`` names the groups that ``--merge-groups`` pooled into a value.
    """
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
    for result in results:
        result.merged_from = list((merged_from or {}).get(result.value, []))
    if figures is not None:
        suppress_figures(results, min_size, figures)
    return Groups(
        by=by,
        min_size=min_size,
        groups=results,
        perception_gaps=perception_gaps(shown, results),
        per_figure=figures is not None,
    )


def perception_gaps(
    shown: list[tuple[str, Evaluation]], results: Sequence[GroupResult] = ()
) -> list[PerceptionGap]:
    """Per domain with at least two shown cells scoring it: highest minus lowest (a cell
    suppressed in ``results`` is not compared)."""
    if not shown:
        return []
    hidden = {
        (group.value, cell.id) for group in results for cell in group.domains if cell.suppressed
    }
    gaps: list[PerceptionGap] = []
    for d, domain in enumerate(shown[0][1].domains):
        scored = [
            (value, score)
            for value, evaluation in shown
            if evaluation.domains[d].status == "scored"
            and (value, domain.id) not in hidden
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


# -- suppression per figure ------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What suppression per figure counts on: the batch's evaluation and tally, and each
    group's tally (by value)."""

    batch: Evaluation
    batch_tally: Tally
    tallies: Mapping[str, Tally]


def _scored_mask(evaluation: Evaluation) -> int:
    """The domains an overall score is the mean of (scored, with a score), as a bit mask."""
    mask = 0
    for d, domain in enumerate(evaluation.domains):
        if domain.status == "scored" and domain.score is not None:
            mask |= 1 << d
    return mask


def _suppress_until_safe(
    unshown: int, cells: dict[str, int], min_size: int, empty_too: bool = True
) -> set[str]:
    """The cells to suppress for one figure: ``cells`` are the shown groups' contributors to
    it (in listed order), ``unshown`` the batch's contributors no shown cell counts. While
    1 <= unshown < min_size, the cell with the fewest contributors goes (ties: the first
    listed); when none with contributors is left, every remaining cell goes too
    (``empty_too``), so that an empty shown cell cannot say that the batch's figure is the
    suppressed groups' alone."""
    chosen: set[str] = set()
    order = {value: i for i, value in enumerate(cells)}
    while 0 < unshown < min_size:
        left = [
            (count, order[value], value) for value, count in cells.items() if value not in chosen
        ]
        with_people = [entry for entry in left if entry[0] > 0]
        if not with_people:
            if empty_too:
                chosen.update(value for *_, value in left)
            break
        count, _, value = min(with_people)
        chosen.add(value)
        unshown += count
    return chosen


def suppress_figures(results: list[GroupResult], min_size: int, figures: Figures) -> None:
    """Suppress shown groups' cells (and overall scores) per figure; see the module docstring.

    A respondent contributes to a domain figure when they gave a number on one of its items
    (every item someone gave a number on is a scored item), and to the batch's overall score
    when they contribute to one of the domains it is the mean of; for the overall, the
    unshown are those contributors whose group shows no overall score.

    The batch's item figures (score, ``n``, distribution) are figures of the domain's cells
    too: a shown group's domain score bounds its item answers (at the scale's ends it fixes
    them), so the batch item minus the shown groups' answers is the unshown contributors'
    answers. Per item, those unshown contributors must be none or at least ``min_size`` as
    well; a cell suppressed for one item is suppressed for the domain, and the items of the
    domain are checked again until none is left between 1 and ``min_size`` - 1.
    """
    batch = figures.batch
    shown = [group for group in results if not group.suppressed]
    for d, domain in enumerate(batch.domains):
        checks: list[tuple[Callable[[Tally], int], bool]] = [
            (functools.partial(_item_numbers, i=i), False)
            for i in figures.batch_tally.domain_items[d]
        ]
        if domain.score is not None:
            checks.insert(0, (functools.partial(_domain_contributors, bit=1 << d), True))
        _suppress_domain(shown, d, checks, min_size, figures)
    for group in shown:
        if any(cell.suppressed for cell in group.domains):
            _suppress_overall(group)
    if batch.overall.score is None:
        return
    batch_mask = _scored_mask(batch)
    overall = {  # a group's people who count towards the batch's overall score
        group.value: figures.tallies[group.value].count_contributors(batch_mask)
        for group in shown
        if not group.overall_suppressed and group.overall_score is not None
    }
    unshown = figures.batch_tally.count_contributors(batch_mask) - sum(overall.values())
    for value in _suppress_until_safe(unshown, overall, min_size):
        _suppress_overall(next(g for g in shown if g.value == value))


def _domain_contributors(tally: Tally, bit: int) -> int:
    return tally.count_contributors(bit)


def _item_numbers(tally: Tally, i: int) -> int:
    """Respondents who gave a number on item ``i`` (its distribution's total)."""
    width = tally.key[3]
    return sum(tally.dist[i * width : (i + 1) * width])


def _suppress_domain(
    shown: list[GroupResult],
    d: int,
    checks: Sequence[tuple[Callable[[Tally], int], bool]],
    min_size: int,
    figures: Figures,
) -> None:
    """Suppress domain ``d``'s cells until every figure ``checks`` counts (the domain's
    contributors, each item's numbers) leaves none or at least ``min_size`` unshown.

    For an item, a shown cell without a number on it is left alone when no cell with numbers
    is left: that the group gave none there is no secret its cell keeps (the item's audience
    says as much), and hiding it would not change what the batch's item figure is.
    """
    changed = True
    while changed:
        changed = False
        for count, empty_too in checks:
            cells = {
                group.value: count(figures.tallies[group.value])
                for group in shown
                if d < len(group.domains) and not group.domains[d].suppressed
            }
            unshown = count(figures.batch_tally) - sum(cells.values())
            for value in _suppress_until_safe(unshown, cells, min_size, empty_too):
                group = next(g for g in shown if g.value == value)
                group.domains[d] = GroupDomain(
                    id=group.domains[d].id, score=None, level=None, status=None, suppressed=True
                )
                changed = True


def hidden_only_items(
    results: Sequence[GroupResult], min_size: int, figures: Figures, item_ids: Sequence[str]
) -> str | None:
    """The warning for items whose numbers all came from suppressed groups, fewer than
    ``min_size`` people: no cell can be suppressed to protect them (typically an item asked of
    one role only, grouped by role), so the batch's figure for the item is theirs."""
    shown = [group.value for group in results if not group.suppressed]
    found = [
        item_id
        for i, item_id in enumerate(item_ids)
        if 0 < _item_numbers(figures.batch_tally, i) < min_size
        and not any(_item_numbers(figures.tallies[value], i) for value in shown)
    ]
    if not found:
        return None
    listed = ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")
    return (
        f"{listed}: every number given there came from groups too small to show (fewer than "
        f"{min_size} people in all), so the figures for these items are theirs; pool groups "
        "with --merge-groups, or leave these items out of what you publish"
    )


def _suppress_overall(group: GroupResult) -> None:
    group.overall_score = group.overall_level = None
    group.overall_suppressed = True


# -- results files read again ------------------------------------------------------------------


def recheck_groups(results: Results) -> list[str]:
    """Apply the group rules again to a results document read from a file (an older version's,
    or edited by hand), in place; the warnings say what could not be checked.

    Groups with ``n`` null or below ``min_size`` are suppressed, and when exactly one is, the
    smallest other too; a suppressed group or cell keeps no figure. Suppression per figure
    needs contributor counts that results files do not carry: a file that does not say it
    was applied (``per_figure``), or whose groups had to be suppressed here, has every shown
    group's cells and overall scores suppressed when any group is suppressed (their counts
    stay), the only reading that cannot leak. Perception gaps keep shown cells only.
    """
    groups = results.groups
    if groups is None:
        return []
    warnings: list[str] = []
    sizes = {g.value: g.n if g.n is not None and not g.suppressed else 0 for g in groups.groups}
    hidden = suppressed_groups(sizes, groups.min_size)
    newly = {g.value for g in groups.groups if g.value in hidden and not g.suppressed}
    for group in groups.groups:
        if group.value in hidden:
            group.suppressed = True
            group.n = None
            group.domains = []
            group.overall_score = group.overall_level = None
            group.overall_suppressed = False
        for cell in group.domains:
            if cell.suppressed:
                cell.score = cell.level = cell.status = None
    if hidden and (newly or not groups.per_figure):
        warnings.append(
            "this results file does not record suppression per figure (written by an older "
            "version, or edited), so it was checked only as far as the file allows: every "
            "group's domain cells and overall scores are suppressed; score the answers again "
            "to show them"
        )
        for group in groups.groups:
            if group.suppressed:
                continue
            group.domains = [
                GroupDomain(id=cell.id, score=None, level=None, status=None, suppressed=True)
                for cell in group.domains
            ]
            _suppress_overall(group)
    cells = {
        (group.value, cell.id)
        for group in groups.groups
        if not group.suppressed
        for cell in group.domains
        if not cell.suppressed and cell.score is not None
    }
    groups.perception_gaps = [
        gap
        for gap in groups.perception_gaps
        if (gap.high, gap.domain) in cells and (gap.low, gap.domain) in cells
    ]
    if groups.by == "mode":
        folded = {fold_group_value(g.value) or UNSPECIFIED for g in groups.groups if g.suppressed}
        results.modes = {
            mode: count
            for mode, count in results.modes.items()
            if (fold_group_value(mode) or UNSPECIFIED) not in folded
        }
    elif any(g.suppressed for g in groups.groups):
        results.modes = {}  # with the group sizes, mode counts could give a hidden size back
    return warnings


# -- folded values and pooled groups ---------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def fold_group_value(value: str) -> str:
    """The value groups are compared by: Unicode NFKC, case folded, format characters (zero
    width spaces and joiners, soft hyphens, direction marks) removed, white space trimmed and
    runs of it made one space; escape sequences and control characters are removed first,
    as every output does on display. So look-alike spellings are one group (roles are
    folded the same way: :func:`~tra_assess.scoring.tally.fold_role`)."""
    return fold_role(value)


def display_spelling(spellings: Mapping[str, int]) -> str:
    """The most common original spelling (ties: the first in sort order), trimmed."""
    best = min(spellings.items(), key=lambda entry: (-entry[1], entry[0]))[0]
    return " ".join(best.split()) or best


@dataclass(frozen=True)
class GroupMerge:
    """One ``--merge-groups "A,B=NAME"``: the groups to pool (as typed) and the name."""

    sources: tuple[str, ...]
    name: str


MERGE_HINT = 'expected "A,B=NAME" (the groups to pool, a comma between them, then = and the name)'


def parse_merges(texts: Sequence[str]) -> list[GroupMerge]:
    """Parse the ``--merge-groups`` values; a bad one is a :class:`UsageError` (one line)."""
    merges: list[GroupMerge] = []
    used: dict[str, str] = {}
    for text in texts:
        left, sep, right = text.partition("=")
        sources = tuple(part.strip() for part in left.split(","))
        name = right.strip()
        if not sep or "=" in right or not fold_group_value(name):
            raise UsageError(f"--merge-groups {quoted(text)}: {MERGE_HINT}")
        for source in sources:
            key = fold_group_value(source)
            if not key:
                raise UsageError(
                    f"--merge-groups {quoted(text)}: an empty group name; {MERGE_HINT}"
                )
            if key in used:
                raise UsageError(
                    f"--merge-groups {quoted(text)}: group {quoted(source)} is already pooled "
                    f"by --merge-groups {quoted(used[key])}"
                )
            used[key] = text
        merges.append(GroupMerge(sources, name))
    targets: dict[str, GroupMerge] = {}
    for merge in merges:
        other = targets.setdefault(fold_group_value(merge.name), merge)
        if other is not merge:
            raise UsageError(
                f"--merge-groups: two pools are named {quoted(merge.name)}; give each one name "
                f'("A,B,C={merge.name}")'
            )
    for key, text in used.items():
        target = targets.get(key)
        if target is not None and fold_group_value(target.name) not in {
            fold_group_value(source) for source in target.sources
        }:
            raise UsageError(
                f"--merge-groups {quoted(text)}: {quoted(target.name)} is both pooled and the "
                "name of another pool"
            )
    return merges


T = TypeVar("T")


@dataclass
class Pool(Generic[T]):
    """Groups after pooling, by displayed value: each value's members, the groups a pool was
    made of (their displayed spellings), the displayed value of each folded group, and
    warnings for pooled groups that nobody is in."""

    members: dict[str, list[T]]
    merged_from: dict[str, list[str]]
    value_of: dict[str, str]
    warnings: list[str]


def pool_groups(
    groups: Mapping[str, T],
    spellings: Mapping[str, Mapping[str, int]],
    merges: Sequence[GroupMerge],
) -> Pool[T]:
    """Folded groups (``groups`` and ``spellings`` keyed by :func:`fold_group_value`) to
    displayed groups, pooled as ``merges`` say (see :class:`Pool`)."""
    names = {key: display_spelling(spellings[key]) if spellings.get(key) else key for key in groups}
    members: dict[str, list[T]] = {}
    merged_from: dict[str, list[str]] = {}
    value_of: dict[str, str] = {}
    warnings: list[str] = []
    for merge in merges:
        target = fold_group_value(merge.name)
        keys: list[str] = []
        for source in merge.sources:
            key = fold_group_value(source)
            if key in groups and key not in keys:
                keys.append(key)
            elif key not in groups:
                warnings.append(
                    f"--merge-groups: no respondent is in the group {quoted(source)}; "
                    f"{quoted(merge.name)} is made of the others"
                )
        if target in groups and target not in keys:
            keys.append(target)
        if not keys:
            continue
        members[merge.name] = [groups[key] for key in keys]
        merged_from[merge.name] = [names[key] for key in keys]
        value_of.update(dict.fromkeys(keys, merge.name))
    for key, group in groups.items():
        if key not in value_of:
            members[names[key]] = [group]
            value_of[key] = names[key]
    return Pool(members, merged_from, value_of, warnings)
