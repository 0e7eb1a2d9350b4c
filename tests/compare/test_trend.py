"""Trends over three or more assessments: figures equal each file's, sorted by date, version
differences and suppression handled (SPEC section 9.1)."""

from __future__ import annotations

import itertools
import json

import pytest

from report_factory import make_results
from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.compare.trend import build_trend, row_sentence, trend_markdown
from tra_assess.results.model import GroupDomain, Results

DATES = ("2024-05-01", "2025-05-01", "2026-05-01")
SCORES = ((1.0, 0.5, 2.0), (2.0, 0.75, 3.0), (2.75, 1.0, 3.25))


def _three() -> list[Results]:
    files = []
    for date, scores in zip(DATES, SCORES, strict=True):
        results = make_results(scores=scores)
        results.assessed_on = date
        files.append(results)
    return files


def test_figures_equal_each_files() -> None:
    files = _three()
    trend = build_trend(files, ["a.json", "b.json", "c.json"])
    assert trend.dates == list(DATES)
    for row in trend.domains:
        for point, results in zip(row.points, files, strict=True):
            domain = results.domain(row.id)
            assert (point.score, point.level, point.status, point.meets_target) == (
                domain.score, domain.level, domain.status, domain.meets_target
            )
    for point, results in zip(trend.overall.points, files, strict=True):
        assert point.score == results.overall.score and point.level == results.overall.level
    assert [row.id for row in trend.domains] == ["alpha", "beta", "gamma"]
    assert trend.target == "high" and trend.target_min_score == 2.5


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_sorted_by_date_whatever_the_order(order: tuple[int, ...]) -> None:
    files = _three()
    names = ["a.json", "b.json", "c.json"]
    trend = build_trend([files[i] for i in order], [names[i] for i in order])
    assert trend.dates == list(DATES)
    assert [a.source for a in trend.assessments] == names
    alpha = next(row for row in trend.domains if row.id == "alpha")
    assert [p.score for p in alpha.points] == [1.0, 2.0, 2.75]


def test_two_files_are_a_usage_error() -> None:
    with pytest.raises(UsageError, match="at least 3"):
        build_trend(_three()[:2], ["a", "b"])


def test_different_questionnaires_refused() -> None:
    files = _three()
    files[1].questionnaire.id = "other"
    with pytest.raises(InvalidInputError, match="different questionnaires") as caught:
        build_trend(files, ["a.json", "b.json", "c.json"])
    assert "b.json is 'other'" in str(caught.value)


def test_undated_files_are_named() -> None:
    files = _three()
    files[0].assessed_on = None
    files[2].assessed_on = None
    with pytest.raises(InvalidInputError) as caught:
        build_trend(files, ["a.json", "b.json", "c.json"])
    assert "a.json, c.json" in str(caught.value) and "--assessed-on" in str(caught.value)


def test_a_domain_missing_from_one_version_is_left_out_and_said() -> None:
    files = _three()
    files[0].questionnaire.version = "1.0"
    files[0].domains = [d for d in files[0].domains if d.id != "beta"]
    trend = build_trend(files, ["a", "b", "c"])
    assert [row.id for row in trend.domains] == ["alpha", "gamma"]
    assert trend.left_out == ["beta"]
    assert any("not followed: beta" in w for w in trend.warnings)
    assert any("versions 1.0, 2.0" in w for w in trend.warnings)


def test_suppressed_cells_stay_suppressed() -> None:
    files = _three()
    assert files[1].groups is not None
    staff = next(g for g in files[1].groups.groups if g.value == "staff")
    staff.domains[1] = GroupDomain(id="beta", score=9.87, level="low", suppressed=True)
    trend = build_trend(files, ["a", "b", "c"])
    assert trend.groups is not None
    by_value = {g.value: g for g in trend.groups.groups}
    lead = by_value["lead"]
    assert all(c.suppressed and c.score is None for c in lead.overall)
    assert [c.suppressed for c in by_value["staff"].domains["beta"]] == [False, True, False]
    assert by_value["staff"].overall[1].suppressed  # the overall would give the cell back
    assert by_value["staff"].overall[0].score == 1.9
    text = json.dumps(trend.model_dump(mode="json"))
    assert "9.87" not in text
    md = trend_markdown(trend)
    assert "| lead | suppressed | suppressed | suppressed |" in md
    assert "| staff | 1.90 | suppressed | 1.90 |" in md


def test_sentences_say_when_the_target_was_reached() -> None:
    trend = build_trend(_three(), ["a", "b", "c"])
    gamma = next(row for row in trend.domains if row.id == "gamma")
    text = row_sentence(trend, gamma)
    assert text.startswith("Gamma practices: 2.00 High on 2024-05-01")
    # the factory's gamma meets the target in every file
    assert text.endswith("(change +1.25); meets the target since 2024-05-01.")
    beta = next(row for row in trend.domains if row.id == "beta")
    assert row_sentence(trend, beta).endswith("has not met the target yet.")


def test_a_target_lost_and_regained_is_said() -> None:
    files = _three()
    middle = files[1].domain("gamma")
    middle.meets_target = False  # met in the first file, not in the second, met again now
    trend = build_trend(files, ["a", "b", "c"])
    gamma = next(row for row in trend.domains if row.id == "gamma")
    dates = [p.date for p in gamma.points]
    assert row_sentence(trend, gamma).endswith(
        f"meets the target since {dates[2]} (it met it on {dates[0]} too, then not on "
        f"{dates[1]}: lost and regained)."
    )


def test_markdown_escapes_titles() -> None:
    files = _three()
    for results in files:
        results.domains[0].title = "Alpha | <b>x</b>"
    md = trend_markdown(build_trend(files, ["a", "b", "c"]))
    assert "| Alpha \\| \\<b\\>x\\</b\\> | 1.00 Middle | 2.00 Middle | 2.75 Middle | +1.75 |" in md
    assert "<b>" not in md
