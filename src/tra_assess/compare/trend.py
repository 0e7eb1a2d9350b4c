"""Trends over three or more assessments (``tra-assess trend``, ``report --history``).

:func:`build_trend` takes ``tra-results/1`` documents of one questionnaire in any order,
sorts them by assessment date (``assessed_on``) and gives each domain's and the overall
score, level and status at each date. Like ``compare``, results of different versions of the
questionnaire are followed on what they share: the domains every file has (the others are
named in a warning), each on the items every version shares (:mod:`.lineup`). A file
without an assessment date cannot be placed in time: it is an error naming every such file.
When every file is grouped by the same field (and nothing had to be scored again), each
group's overall and domain scores are followed too, and a cell suppressed in its own file (or
a suppressed group) stays suppressed: no suppressed figure or count is shown.

:func:`trend_markdown` writes it for GitHub (a table and plain sentences, no sparklines).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from tra_assess.common.display import DASH, fmt_number
from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.common.textsafe import md_inline, one_line
from tra_assess.compare.lineup import Lineup, line_up
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import LevelInfo, Results
from tra_assess.scoring.retarget import judged_against

__all__ = ["MIN_ASSESSMENTS", "Trend", "build_trend", "trend_markdown"]

MIN_ASSESSMENTS = 3
SUPPRESSED = "suppressed"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrendPoint(_Model):
    date: str
    score: float | None
    level: str | None
    status: str
    meets_target: bool | None = None


class TrendRow(_Model):
    id: str
    title: str
    points: list[TrendPoint]
    shared_items: int | None = Field(
        default=None,
        description="results of several versions: the items every version shares that this "
        "domain was scored again on at every date (None: followed as stored)",
    )


class GroupCell(_Model):
    score: float | None = None
    suppressed: bool = False


class GroupTrend(_Model):
    value: str
    overall: list[GroupCell] = Field(description="one per assessment, in date order")
    domains: dict[str, list[GroupCell]] = Field(default_factory=dict)


class GroupsTrend(_Model):
    by: str
    rule: str
    groups: list[GroupTrend]


class Assessment(_Model):
    date: str
    source: str
    version: str
    respondents: int


class Trend(_Model):
    questionnaire_id: str
    questionnaire_title: str
    organizations: list[str] = Field(default_factory=list)
    assessments: list[Assessment] = Field(description="in date order")
    target: str
    target_label: str
    target_min_score: float
    levels: list[LevelInfo] = Field(description="the latest assessment's ladder")
    scale_max: float
    overall: TrendRow
    domains: list[TrendRow]
    left_out: list[str] = Field(
        default_factory=list, description="domains not in every assessment, so not followed"
    )
    groups: GroupsTrend | None = None
    warnings: list[str] = Field(default_factory=list)

    @property
    def dates(self) -> list[str]:
        return [a.date for a in self.assessments]

    def level_label(self, level_id: str | None) -> str:
        for level in self.levels:
            if level.id == level_id:
                return level.label
        return level_id if level_id is not None else "no level"


def build_trend(
    results: Sequence[Results],
    sources: Sequence[str],
    *,
    minimum: int = MIN_ASSESSMENTS,
    target: str | None = None,
    questionnaire: Questionnaire | None = None,
) -> Trend:
    """The trend of ``results`` (read from ``sources``, named in messages); see the module
    docstring. Fewer than ``minimum`` files is a usage error. Every assessment is judged
    against one target: ``target`` (``report --target``), else the latest's. Results of
    different versions are lined up on the items they all share (:mod:`.lineup`), through
    the ``changes`` of ``questionnaire`` (else the built-in questionnaire of that id)."""
    if len(results) < minimum:
        raise UsageError(
            f"a trend needs at least {minimum} results files (got {len(results)}); "
            "for two, use: tra-assess compare BASELINE FOLLOWUP"
        )
    ids = sorted({r.questionnaire.id for r in results})
    if len(ids) > 1:
        raise InvalidInputError(
            "cannot follow results of different questionnaires over time: "
            + ", ".join(
                f"{s} is {r.questionnaire.id!r}" for r, s in zip(results, sources, strict=True)
            )
        )
    undated = [s for r, s in zip(results, sources, strict=True) if not r.assessed_on]
    if undated:
        raise InvalidInputError(
            "cannot place in time results without an assessment date: "
            + ", ".join(undated)
            + " (score their answers again with --assessed-on DATE)"
        )
    order = sorted(range(len(results)), key=lambda i: (results[i].assessed_on or "", i))
    ordered = [results[i] for i in order]
    names = [sources[i] for i in order]
    latest = ordered[-1]
    warnings = _warnings(ordered, names)
    levels = list(latest.levels)
    goal = target if target and any(lv.id == target for lv in levels) else latest.target
    ordered = [judged_against(r, goal) for r in ordered]
    shared = set.intersection(*({d.id for d in r.domains} for r in ordered))
    everywhere = {d.id for r in ordered for d in r.domains}
    lineup = line_up(ordered, goal, [d.id for d in latest.domains if d.id in shared], questionnaire)
    ordered = lineup.results
    shared -= set(lineup.not_followed)
    left_out = sorted(everywhere - shared)
    if left_out:
        warnings.append("not in every assessment, so not followed: " + ", ".join(left_out))
    warnings.extend(_lineup_warnings(lineup))
    chosen = next(level for level in levels if level.id == goal)
    domains = [
        TrendRow(
            id=d.id,
            title=one_line(d.title) + _on_shared(lineup.rescored.get(d.id)),
            shared_items=lineup.rescored.get(d.id),
            points=[_domain_point(r, d.id) for r in ordered],
        )
        for d in latest.domains
        if d.id in shared
    ]
    overall = TrendRow(
        id="overall",
        title="Overall",
        points=[
            TrendPoint(
                date=r.assessed_on or "",
                score=r.overall.score,
                level=r.overall.level,
                status=r.overall.status,
                meets_target=r.overall.meets_target,
            )
            for r in ordered
        ],
    )
    return Trend(
        questionnaire_id=latest.questionnaire.id,
        questionnaire_title=one_line(latest.questionnaire.title),
        organizations=sorted({one_line(o) for r in ordered for o in r.organizations}),
        assessments=[
            Assessment(
                date=r.assessed_on or "",
                source=one_line(name),
                version=r.questionnaire.version,
                respondents=r.respondents,
            )
            for r, name in zip(ordered, names, strict=True)
        ],
        target=chosen.id,
        target_label=one_line(chosen.label),
        target_min_score=chosen.min_score,
        levels=levels,
        scale_max=float(max((s.value for s in latest.scale), default=0)),
        overall=overall,
        domains=domains,
        left_out=left_out,
        groups=None if lineup.overall_rescored else _groups(ordered, [d.id for d in domains]),
        warnings=warnings,
    )


def _domain_point(results: Results, domain_id: str) -> TrendPoint:
    d = results.domain(domain_id)
    return TrendPoint(
        date=results.assessed_on or "",
        score=d.score,
        level=d.level,
        status=d.status,
        meets_target=d.meets_target,
    )


def _warnings(ordered: list[Results], names: list[str]) -> list[str]:
    warnings: list[str] = []
    versions = [r.questionnaire.version for r in ordered]
    if len(set(versions)) > 1:
        q = ordered[-1].questionnaire
        warnings.append(
            f"the assessments used {q.id} versions {', '.join(dict.fromkeys(versions))}: "
            "following the domains and items they all have"
        )
    dates = [r.assessed_on for r in ordered]
    for date in sorted({d for d in dates if dates.count(d) > 1 and d}):
        same = [n for n, r in zip(names, ordered, strict=True) if r.assessed_on == date]
        warnings.append(f"{', '.join(same)} are all dated {date}: kept in the order given")
    targets = {r.target for r in ordered}
    if len(targets) > 1:  # then judged against one (build_trend)
        warnings.append(
            "the assessments were scored against different targets; each is judged here "
            "against one, where its ladder has that level"
        )
    small = [n for n, r in zip(names, ordered, strict=True) if r.allow_small_groups]
    if small:
        warnings.append(
            f"small groups allowed (--allow-small-groups) in {', '.join(small)}: groups below "
            "the questionnaire's minimum are shown there and may be recognisable"
        )
    ladders = {tuple((lv.id, lv.min_score) for lv in r.levels) for r in ordered}
    if len(ladders) > 1:
        warnings.append("the results use different level ladders; levels shown are each file's")
    return warnings


def _on_shared(count: int | None) -> str:
    if count is None:
        return ""
    return f" (on {count} shared item{'s' if count != 1 else ''})"


def _lineup_warnings(lineup: Lineup) -> list[str]:
    warnings = list(lineup.notes)
    if lineup.rescored:
        warnings.append(
            "items differ between the versions, so these domains are followed on the items "
            "every version shares, scored again at every date: "
            + ", ".join(f"{d} ({n} items)" for d, n in lineup.rescored.items())
        )
    if lineup.not_followed:
        warnings.append(
            "no item is in every version, so not followed: " + ", ".join(lineup.not_followed)
        )
    if lineup.overall_rescored:
        warnings.append(
            "the overall result is scored again at every date over the followed domains; "
            "groups are not followed (a results file holds no group figures per item)"
        )
    return warnings


def _groups(ordered: list[Results], domain_ids: list[str]) -> GroupsTrend | None:
    """Each group's figures over time when every assessment is grouped by the same field;
    a figure suppressed in its own file stays suppressed (its score is never carried)."""
    grouped = [r.groups for r in ordered]
    if any(g is None for g in grouped):
        return None
    bys = {g.by for g in grouped if g is not None}
    if len(bys) != 1:
        return None
    values: list[str] = []
    for g in grouped:
        assert g is not None
        for group in g.groups:
            if group.value not in values:
                values.append(group.value)
    rows: list[GroupTrend] = []
    for value in values:
        overall: list[GroupCell] = []
        cells: dict[str, list[GroupCell]] = {d: [] for d in domain_ids}
        for g in grouped:
            assert g is not None
            found = next((x for x in g.groups if x.value == value), None)
            by_domain = {d.id: d for d in found.domains} if found is not None else {}
            for d in domain_ids:
                cell = by_domain.get(d)
                if found is None or (cell is None and not found.suppressed):
                    cells[d].append(GroupCell())  # not in that assessment
                elif found.suppressed or cell is None or cell.suppressed:
                    cells[d].append(GroupCell(suppressed=True))
                else:
                    cells[d].append(GroupCell(score=cell.score))
            if found is None:
                overall.append(GroupCell())
            elif (
                found.suppressed
                or found.overall_suppressed
                or any(d.suppressed for d in found.domains)
            ):
                overall.append(GroupCell(suppressed=True))  # the overall would give a cell back
            else:
                overall.append(GroupCell(score=found.overall_score))
        rows.append(GroupTrend(value=one_line(value), overall=overall, domains=cells))
    sizes = sorted({g.min_size for g in grouped if g is not None})
    size = (
        str(sizes[0])
        if len(sizes) == 1
        else "each assessment's minimum (" + ", ".join(str(n) for n in sizes) + ")"
    )
    latest = grouped[-1]
    assert latest is not None
    return GroupsTrend(
        by=one_line(latest.by),
        rule=f"fewer than {size} respondents, or needed to protect a smaller group",
        groups=rows,
    )


# -- text ---------------------------------------------------------------------------------------


def point_text(trend: Trend, point: TrendPoint) -> str:
    """ "2.45 Trauma sensitive", or the score and why there is no level."""
    if point.level is not None:
        return f"{fmt_number(point.score)} {trend.level_label(point.level)}"
    if point.status == "not-applicable":
        return "not applicable"
    if point.score is None:
        return "insufficient data"
    return f"{fmt_number(point.score)} (insufficient data)"


def cell_text(cell: GroupCell) -> str:
    if cell.suppressed:
        return SUPPRESSED
    return fmt_number(cell.score) if cell.score is not None else DASH


def change_text(row: TrendRow) -> str:
    """The change from the first assessment to the last, signed, or a dash."""
    first, last = row.points[0].score, row.points[-1].score
    if first is None or last is None:
        return DASH
    return fmt_number(last - first, signed=True)


def row_sentence(trend: Trend, row: TrendRow) -> str:
    """One plain sentence: where the row started, where it is, when it reached the target."""
    first, last = row.points[0], row.points[-1]
    parts = [f"{row.title}: {point_text(trend, first)} on {first.date}"]
    parts += [f"{point_text(trend, p)} on {p.date}" for p in row.points[1:]]
    text = " → ".join(parts)
    if first.score is not None and last.score is not None:
        change = last.score - first.score
        text += f" (change {fmt_number(change, signed=True)})"
    reached = [p.date for p in row.points if p.meets_target]
    if last.meets_target:
        since = next(
            p.date for i, p in enumerate(row.points) if all(q.meets_target for q in row.points[i:])
        )
        text += f"; meets the target since {since}"
        earlier = [p.date for p in row.points if p.meets_target and p.date < since]
        lost = [p.date for p in row.points if not p.meets_target and p.date < since]
        if earlier and any(d > earlier[0] for d in lost):
            lost_on = [d for d in lost if d > earlier[0]]
            text += (
                f" (it met it on {', '.join(earlier)} too, then not on {', '.join(lost_on)}: "
                "lost and regained)"
            )
    elif reached:
        text += f"; met the target on {', '.join(reached)}, not now"
    else:
        text += "; has not met the target yet"
    return text + "."


def trend_markdown(trend: Trend, heading_level: int = 1) -> str:
    """The trend for GitHub: a table per assessment date and one sentence per row."""
    h = "#" * heading_level
    dates = trend.dates
    lines = [
        f"{h} Trend: {md_inline(trend.questionnaire_title)}",
        "",
        f"{len(dates)} assessments, {dates[0]} to {dates[-1]}"
        + (f" ({md_inline(', '.join(trend.organizations))})" if trend.organizations else "")
        + f"; target {md_inline(trend.target_label)} (from "
        f"{fmt_number(trend.target_min_score)}). Each cell is the score and the level.",
        "",
        "| Domain | " + " | ".join(dates) + " | Change |",
        "|---|" + "---|" * len(dates) + "---:|",
    ]
    for row in [*trend.domains, trend.overall]:
        name = f"**{md_inline(row.title)}**" if row.id == "overall" else md_inline(row.title)
        cells = [md_inline(point_text(trend, p)) for p in row.points]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {change_text(row)} |")
    lines += ["", f"{h}# In words", ""]
    lines += [f"- {md_inline(row_sentence(trend, row))}" for row in [trend.overall, *trend.domains]]
    if trend.groups is not None:
        g = trend.groups
        lines += [
            "",
            f"{h}# Overall score by {md_inline(g.by)}",
            "",
            f'A cell reads "suppressed" where that assessment suppressed it ({md_inline(g.rule)}).',
            "",
            "| Group | " + " | ".join(dates) + " |",
            "|---|" + "---:|" * len(dates),
        ]
        for group in g.groups:
            lines.append(
                f"| {md_inline(group.value)} | "
                + " | ".join(cell_text(c) for c in group.overall)
                + " |"
            )
    for warning in trend.warnings:
        lines += ["", f"> Note: {md_inline(warning)}"]
    return "\n".join(lines) + "\n"
