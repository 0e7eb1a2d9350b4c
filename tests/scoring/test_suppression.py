"""Suppression per figure (SPEC section 4, "Groups"): the red-team cases, hand-built.

Questionnaire ``mini`` (min_group_size 3): domains alpha (3 items), beta (2), gamma (2).
The tests here use K = 5 (``--min-group-size 5``, above the questionnaire's 3).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tra_assess.common.errors import UsageError
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import GroupResult, Results
from tra_assess.scoring.groups import fold_group_value, parse_merges
from tra_assess.scoring.scorer import score_responses
from tra_assess.sources.answers import Response

_counter = itertools.count()
ALL = {"alpha.one": 3, "alpha.two": 3, "alpha.three": 3, "beta.one": 2, "beta.two": 2,
       "gamma.one": 1, "gamma.two": 1}


def resp(values: dict[str, Any], **fields: Any) -> Response:
    mode = fields.pop("mode", None)
    return Response(source=f"r{next(_counter)}.yaml", values=dict(values),
                    respondent={k: str(v) for k, v in fields.items()}, mode=mode)


def score(mini: Questionnaire, responses: list[Response], **options: Any) -> Results:
    return score_responses(mini, responses, **options)


def group(results: Results, value: str) -> GroupResult:
    assert results.groups is not None
    return next(g for g in results.groups.groups if g.value == value)


def cell(results: Results, value: str, domain: str) -> Any:
    return next(d for d in group(results, value).domains if d.id == domain)


def red_team_batch() -> list[Response]:
    """Frontline 10, leadership 3, people served 6; people served say "don't know" to all of
    beta (the domain standing for supervision)."""
    frontline = [resp({**ALL, "beta.one": 1, "beta.two": 1}, role="frontline")
                 for _ in range(10)]
    leadership = [resp({**ALL, "beta.one": 4, "beta.two": 4}, role="leadership")
                  for _ in range(3)]
    served = [resp({**ALL, "beta.one": "unknown", "beta.two": "unknown"}, role="people served")
              for _ in range(6)]
    return frontline + leadership + served


def test_red_team_batch_minus_frontline_does_not_give_leadership(mini: Questionnaire) -> None:
    results = score(mini, red_team_batch(), group_by="role", min_group_size=5)
    assert group(results, "leadership").suppressed and group(results, "leadership").n is None
    # people served (6) is the smallest other group: suppressed as the secondary
    assert group(results, "people served").suppressed
    frontline = group(results, "frontline")
    assert frontline.n == 10 and not frontline.suppressed
    # beta: only leadership's 3 count towards the batch's figure besides frontline: the
    # frontline cell must go, else batch minus frontline is leadership's score
    beta = cell(results, "frontline", "beta")
    assert beta.suppressed and beta.score is None and beta.level is None
    # alpha and gamma: leadership 3 + people served 6 = 9 unshown: frontline is kept
    assert not cell(results, "frontline", "alpha").suppressed
    assert cell(results, "frontline", "alpha").score == 3.0
    # a group with a suppressed cell has no overall score: it would give the cell back
    assert frontline.overall_score is None and frontline.overall_level is None
    assert results.groups is not None and results.groups.per_figure
    assert [gap.domain for gap in results.groups.perception_gaps] == []


def test_two_small_groups_of_two_and_one(mini: Questionnaire) -> None:
    batch = [resp(ALL, role="frontline") for _ in range(8)]
    batch += [resp(ALL, role="lead") for _ in range(7)]
    batch += [resp({**ALL, "gamma.one": 4}, role="board") for _ in range(2)]
    batch += [resp({**ALL, "gamma.one": 0}, role="chair")]
    results = score(mini, batch, group_by="role", min_group_size=5)
    assert group(results, "board").suppressed and group(results, "chair").suppressed
    # 3 people hidden in every domain: the smallest shown group (lead, 7) loses every cell,
    # so 10 are unshown; frontline keeps its cells
    for domain in ("alpha", "beta", "gamma"):
        assert cell(results, "lead", domain).suppressed
        assert not cell(results, "frontline", domain).suppressed
    assert group(results, "lead").overall_score is None
    assert group(results, "lead").n == 7  # a shown group keeps its count
    assert group(results, "frontline").overall_score is not None


def test_no_suppression_when_nobody_is_hidden(mini: Questionnaire) -> None:
    batch = [resp(ALL, role="a") for _ in range(5)] + [resp(ALL, role="b") for _ in range(6)]
    results = score(mini, batch, group_by="role", min_group_size=5)
    assert not any(c.suppressed for g in results.groups.groups for c in g.domains)  # type: ignore[union-attr]
    assert group(results, "a").overall_score == pytest.approx(
        (3 * 2 + 2 + 1) / 4
    )


def test_all_contributors_hidden_and_fewer_than_k(mini: Questionnaire) -> None:
    """Only the suppressed groups gave numbers on gamma, fewer than K of them: no shown group's
    gamma cell may read as empty (that would say the batch's gamma is theirs alone)."""
    no_gamma = {k: v for k, v in ALL.items() if not k.startswith("gamma")}
    batch = [resp(no_gamma, role="frontline") for _ in range(6)]
    batch += [resp(ALL, role="lead") for _ in range(2)]
    batch += [resp(no_gamma, role="other") for _ in range(5)]
    results = score(mini, batch, group_by="role", min_group_size=5)
    assert group(results, "lead").suppressed and group(results, "other").suppressed
    gamma = cell(results, "frontline", "gamma")
    assert gamma.suppressed and gamma.score is None


def test_group_by_mode_never_counts_a_suppressed_mode(mini: Questionnaire) -> None:
    batch = [resp(ALL, mode="individual") for _ in range(9)]
    batch += [resp(ALL, mode="consensus") for _ in range(2)]
    results = score(mini, batch, group_by="mode", min_group_size=5)
    assert group(results, "consensus").suppressed
    assert group(results, "individual").suppressed  # exactly one small: the other goes too
    assert results.modes == {}
    text = results.model_dump_json()
    assert '"consensus": 2' not in text and '"individual": 9' not in text


def test_look_alike_group_values_are_one_group(mini: Questionnaire) -> None:
    spellings = ["Leadership", "leadership", " LEADERSHIP ", "Lead\u200bership",
                 "\uff2c\uff45\uff41\uff44\uff45\uff52\uff53\uff48\uff49\uff50", "Leadership"]
    batch = [resp(ALL, role=s) for s in spellings] + [resp(ALL, role="staff") for _ in range(5)]
    results = score(mini, batch, group_by="role", min_group_size=5)
    assert results.groups is not None
    assert [(g.value, g.n) for g in results.groups.groups] == [("Leadership", 6), ("staff", 5)]


def test_fold_group_value() -> None:
    assert fold_group_value("  Stra\u00dfe\u00a0 Team ") == "strasse team"
    assert fold_group_value("\u200d\ufeff") == ""
    assert fold_group_value("\uff21\uff22") == "ab"


def test_merge_groups_pools_before_suppression(mini: Questionnaire) -> None:
    batch = [resp(ALL, role="frontline") for _ in range(6)]
    batch += [resp(ALL, role="Leadership") for _ in range(3)]
    batch += [resp(ALL, role="supervisor") for _ in range(2)]
    merges = parse_merges(["leadership, Supervisor=management"])
    results = score(mini, batch, group_by="role", min_group_size=5, merges=merges)
    assert results.groups is not None
    table = [(g.value, g.n, g.suppressed, g.merged_from) for g in results.groups.groups]
    assert table == [("frontline", 6, False, []),
                     ("management", 5, False, ["Leadership", "supervisor"])]


@pytest.mark.parametrize("value", ["leadership", "a,b", "a,b=", "=x", "a,,b=x", "a=b=c"])
def test_bad_merge_values_are_usage_errors(value: str) -> None:
    with pytest.raises(UsageError, match="--merge-groups"):
        parse_merges([value])


def test_a_group_in_two_pools_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="already pooled"):
        parse_merges(["a,b=x", "B,c=y"])
    with pytest.raises(UsageError, match="two pools"):
        parse_merges(["a,b=x", "c,d=X"])


def test_small_group_size_is_marked(mini: Questionnaire) -> None:
    batch = [resp(ALL, role="a") for _ in range(2)]
    assert score(mini, batch, group_by="role", min_group_size=1).allow_small_groups
    assert not score(mini, batch, group_by="role").allow_small_groups


def test_overall_is_a_figure_of_its_own(mini: Questionnaire) -> None:
    """Group c shows no overall score (none of its domains is scored), and only 2 of its
    people gave numbers: they count towards the batch's overall but towards no shown group's,
    so the shown group with the fewest such people loses its overall score (not its cells)."""
    batch = [resp(ALL, role="a") for _ in range(6)] + [resp(ALL, role="b") for _ in range(7)]
    batch += [resp({"alpha.one": 1}, role="c") for _ in range(2)]
    batch += [resp({"alpha.one": "unknown", "beta.one": "unknown"}, role="c") for _ in range(3)]
    results = score(mini, batch, group_by="role", min_group_size=5)
    c = group(results, "c")
    assert c.n == 5 and c.overall_score is None and not c.overall_suppressed
    a = group(results, "a")
    assert a.overall_suppressed and a.overall_score is None and a.overall_level is None
    assert not any(d.suppressed for d in a.domains)
    assert group(results, "b").overall_score is not None
    assert cell(results, "c", "alpha").score == 1.0  # its cell is shown: no group is hidden


def test_an_item_figure_counts_its_own_contributors(mini: Questionnaire) -> None:
    # K = 5: "night" (2) and "weekend" (3) are suppressed. Only "night" gave a number on
    # alpha.three, so the batch's alpha.three minus what day and late show is night's alone:
    # the cell with the fewest numbers on alpha.three ("late", 5) loses alpha, then 2 + 5 = 7.
    rest = {k: v for k, v in ALL.items() if k != "alpha.three"}
    batch = (
        [resp({**rest, "alpha.three": 0}, team="night") for _ in range(2)]
        + [resp({**rest, "alpha.three": "unknown"}, team="weekend") for _ in range(3)]
        + [resp({**ALL, "alpha.three": 4}, team="day") for _ in range(6)]
        + [resp({**ALL, "alpha.three": 4}, team="late") for _ in range(5)]
    )
    results = score(mini, batch, group_by="team", min_group_size=5)
    assert cell(results, "late", "alpha").suppressed
    assert group(results, "late").overall_score is None
    assert cell(results, "day", "alpha").score is not None
    assert not cell(results, "late", "beta").suppressed  # beta's figures leave 5 unshown
    item = next(i for i in results.items if i.id == "alpha.three")
    shown_numbers = 6  # day's, the only alpha cell left
    assert item.n - shown_numbers == 7


def test_items_only_suppressed_groups_answered_are_named(mini: Questionnaire) -> None:
    # "lead" (2) is small, so "other" (4), the smallest of the rest, is suppressed with it.
    # Only lead gave numbers on alpha.one: no shown cell can be suppressed to protect them.
    others = {k: v for k, v in ALL.items() if k != "alpha.one"}
    batch = (
        [resp({"alpha.one": 1, "beta.one": 2}, role="lead") for _ in range(2)]
        + [resp(others, role="staff") for _ in range(6)]
        + [resp(others, role="other") for _ in range(4)]
    )
    results = score(mini, batch, group_by="role")
    assert group(results, "lead").suppressed and group(results, "other").suppressed
    warning = [w for w in results.inputs.warnings if "alpha.one" in w]
    assert warning == [
        "alpha.one: every number given there came from groups too small to show (fewer than "
        "3 people in all), so the figures for these items are theirs; pool groups with "
        "--merge-groups, or leave these items out of what you publish"
    ]
    assert not cell(results, "staff", "alpha").suppressed  # hiding it would protect nothing
