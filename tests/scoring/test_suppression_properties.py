"""The differencing attack, on random grouped batches (SPEC section 4, "Groups").

An attacker takes the batch's figure and subtracts the shown groups' figures, weighted by each
shown group's contributor counts (which they may know). What is left is the figure of the
unshown contributors: it must never be a figure of fewer than K people. So for every figure
(each domain, and the overall), the contributors not counted in any shown cell must be 0 or at
least K. Contributors are counted here from the raw answers, independently of the tool, and
the shown cells are read from the results JSON and from the rounded Markdown report.

The batch's item figures (score, n, distribution) are figures of the domain's cells too: a
shown group's domain score bounds its answers on the domain's items (at the scale's ends it
fixes them), so per item, the people who gave a number there and are in no group whose cell
for that domain shows must be 0 or at least K as well.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.reports.render import render_report
from tra_assess.results.model import Results
from tra_assess.scoring.scorer import score_responses
from tra_assess.sources.answers import Response

_counter = itertools.count()
DOMAINS = {"alpha": ["alpha.one", "alpha.two", "alpha.three"],
           "beta": ["beta.one", "beta.two"], "gamma": ["gamma.one", "gamma.two"]}
NAMES = ["frontline", "leadership", "people served", "supervisor", "board"]
# how a group answers a domain: numbers, "don't know" (unknowns concentrated in a group),
# mixed, or not at all
HABITS = ["numbers", "unknown", "mixed", "skip"]


@st.composite
def batches(draw: st.DrawFn) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    k = draw(st.integers(3, 6))
    n_groups = draw(st.integers(2, 5))
    people: list[tuple[str, dict[str, Any]]] = []
    for g in range(n_groups):
        size = draw(st.sampled_from([0, 1, 2, 3, k - 1, k, k + 1, 2 * k, 3 * k]))
        habits = {d: draw(st.sampled_from(HABITS)) for d in DOMAINS}
        for _ in range(size):
            values: dict[str, Any] = {}
            for d, items in DOMAINS.items():
                for item in items:
                    habit = habits[d]
                    if habit == "numbers":
                        values[item] = draw(st.integers(0, 4))
                    elif habit == "unknown":
                        values[item] = "unknown"
                    elif habit == "mixed":
                        value = draw(st.sampled_from([0, 1, 2, 3, 4, "unknown", "na", None]))
                        if value is not None:
                            values[item] = value
            # the same group written as people write it: case and spaces vary
            spelling = draw(st.sampled_from([NAMES[g], NAMES[g].upper(), f" {NAMES[g]} "]))
            people.append((spelling, values))
    if not people:
        people.append((NAMES[0], {"alpha.one": 2}))
    return k, people


def _responses(people: list[tuple[str, dict[str, Any]]]) -> list[Response]:
    return [Response(source=f"p{next(_counter)}.yaml", values=values, respondent={"role": role})
            for role, values in people]


def _numbers(values: dict[str, Any], domains: set[str]) -> bool:
    return any(isinstance(values.get(item), int) for d in domains for item in DOMAINS[d])


def _md_cells(text: str) -> dict[tuple[str, str], bool]:
    """(group, domain title or "overall") -> whether the Markdown report shows a number."""
    section = text.split("\n### Groups in detail\n", 1)[1].split("\n### ", 1)[0]
    section = re.sub(r"(?m)^\| [^\w(|]+ ", "| ", section)  # the groups' marks (●, ■ ...)
    cells: dict[tuple[str, str], bool] = {}
    header: list[str] = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("|---"):
            continue
        parts = [part.strip() for part in line.strip("|").split(" | ")]
        parts = [re.sub(r"^[^\w(]+ ", "", part) for part in parts]  # marks in the header
        if parts[0] in ("Group", "Domain"):
            header = parts
            continue
        if header[0] == "Group":
            cells[(parts[0], "overall")] = bool(re.fullmatch(r"\d+\.\d\d", parts[2]))
        else:
            for name, value in zip(header[1:], parts[1:], strict=True):
                shown = re.fullmatch(r"\d+\.\d\d(?: \(insufficient data\))?", value)
                cells[(name, parts[0])] = bool(shown)
    return cells


def _check_items(k: int, people: list[tuple[str, dict[str, Any]]], results: Results) -> None:
    assert results.groups is not None
    member = {g.value.strip().lower(): g for g in results.groups.groups}
    for domain, items in DOMAINS.items():
        for item in items:
            gave = [role for role, values in people if isinstance(values.get(item), int)]
            assert next(i for i in results.items if i.id == item).n == len(gave)
            visible = []
            for role in gave:
                group = member[role.strip().lower()]
                if not group.suppressed:
                    cell = next(c for c in group.domains if c.id == domain)
                    visible.append(not cell.suppressed and cell.score is not None)
            unshown = len(gave) - sum(visible)
            if len(gave) >= k or unshown == 0:
                assert unshown == 0 or unshown >= k, (item, unshown, k)
            else:
                assert not any(visible), (item, unshown, k)


def _check(k: int, people: list[tuple[str, dict[str, Any]]], results: Results, md: str) -> None:
    assert results.groups is not None
    member = {g.value.strip().lower(): g for g in results.groups.groups}
    titles = {d.id: d.title for d in results.domains}
    shown_md = _md_cells(md)
    domains = list(DOMAINS)
    batch_overall = {d.id for d in results.domains if d.status == "scored" and d.score is not None}
    for figure in [*domains, "overall"]:
        if figure == "overall":
            if results.overall.score is None:
                continue
            wanted = batch_overall
        else:
            if results.domain(figure).score is None:
                continue
            wanted = {figure}
        batch = [values for _, values in people if _numbers(values, wanted)]
        counted = 0
        shown_cells = 0
        for role, values in people:
            group = member[role.strip().lower()]
            if group.suppressed or not _numbers(values, wanted):
                continue
            if figure == "overall":  # counted when the group shows an overall score
                visible = counts = group.overall_score is not None
                md_visible = shown_md[(group.value, "overall")]
            else:
                cell = next(c for c in group.domains if c.id == figure)
                visible = not cell.suppressed and cell.score is not None
                counts = visible
                md_visible = shown_md[(group.value, titles[figure])]
            assert md_visible == visible  # the report shows exactly the JSON's shown cells
            if counts:
                counted += 1
            shown_cells += visible
        unshown = len(batch) - counted
        if len(batch) >= k or unshown == 0:
            assert unshown == 0 or unshown >= k, (figure, unshown, k)
        else:
            # fewer than K gave numbers at all, some of them hidden: no shown group's cell
            # may show (or read as empty for) this figure
            assert shown_cells == 0, (figure, unshown, k)
            for group in results.groups.groups:
                if group.suppressed:
                    continue
                if figure == "overall":
                    assert group.overall_score is None
                else:
                    assert next(c for c in group.domains if c.id == figure).suppressed


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batches())
def test_differencing_never_recovers_a_figure_of_fewer_than_k(
    mini: Questionnaire, case: tuple[int, list[tuple[str, dict[str, Any]]]]
) -> None:
    k, people = case
    results = score_responses(mini, _responses(people), group_by="role", min_group_size=k)
    reread = Results.model_validate(json.loads(results.model_dump_json()))
    md = render_report(reread, fmt="md")
    _check(k, people, reread, md)
    _check_items(k, people, reread)
    # perception gaps compare shown cells only
    assert reread.groups is not None
    shown = {(g.value, c.id) for g in reread.groups.groups for c in g.domains
             if not g.suppressed and not c.suppressed and c.score is not None}
    for gap in reread.groups.perception_gaps:
        assert (gap.high, gap.domain) in shown and (gap.low, gap.domain) in shown
