"""The report's summary and change section for the less common results: several or no
organisations, a critical practice listed that the items do not hold, and the gap wording
worked out from the scores when a comparison carries no words of its own."""

from __future__ import annotations

from types import SimpleNamespace

from report_factory import make_results
from tra_assess.compare.change import Comparison, compare_results
from tra_assess.reports import sections
from tra_assess.reports.render import render_report
from tra_assess.reports.summary import verify_sentences


def test_several_organisations_are_counted_and_none_is_the_organisation() -> None:
    results = make_results()
    results.organizations = ["Riverbend", "Harbour House"]
    text = render_report(results, fmt="md")
    assert "**The 2 organisations assessed are Low overall; the target is High." in text
    results.organizations = []
    text = render_report(results, fmt="md")
    assert "**The organisation is Low overall; the target is High." in text
    results.overall.level = None
    text = render_report(results, fmt="md")
    assert "The organisation has no overall level yet" in text


def test_a_critical_practice_not_among_the_items_is_not_quoted() -> None:
    results = make_results()
    results.domain("beta").unverified = ["beta.gone"]
    assert verify_sentences(results) == []
    results.domain("beta").unverified = ["beta.gone", "beta.two"]
    assert verify_sentences(results) == [
        "Beta practices: to verify: “Beta two happens”: nobody rated it. Check before calling "
        "it high."
    ]


def _comparison() -> Comparison:
    baseline = make_results(scores=(1.0, 0.5, 3.25), generated_at="2025-11-01T00:00:00Z")
    baseline.assessed_on = "2025-11-01"
    return compare_results(baseline, make_results(scores=(2.0, 0.25, 3.0)))


def _row(comparison: Comparison, domain_id: str) -> object:
    return next(row for row in comparison.domains if row.id == domain_id)


def test_gap_words_from_the_scores() -> None:
    comparison = _comparison()
    alpha, beta, gamma = (_row(comparison, d) for d in ("alpha", "beta", "gamma"))
    assert sections.gap_words(comparison, alpha, 1.5, 0.5) == "gap 1.50 → 0.50"
    assert sections.gap_words(comparison, beta, 2.0, 2.25) == (
        "gap 2.00 → 2.25, further from target by 0.25"
    )
    assert sections.gap_words(comparison, alpha, 1.5, None) == "—"
    assert sections.gap_words(comparison, gamma, 0.0, 0.0) == "target already met"
    gamma.target_already_met = False  # type: ignore[attr-defined]
    assert sections.gap_words(comparison, gamma, 0.5, 0.0) == "target reached"


def test_gap_words_for_a_target_lost_or_held_by_a_critical_practice() -> None:
    comparison = _comparison()
    alpha = _row(comparison, "alpha")
    alpha.target_already_met = True  # type: ignore[attr-defined]
    assert sections.gap_words(comparison, alpha, 0.0, 0.5) == "target lost: gap now 0.50"
    assert sections.gap_words(comparison, alpha, 0.0, None) == "target lost"
    alpha.target_already_met = False  # type: ignore[attr-defined]
    assert sections.gap_words(comparison, alpha, 0.5, 0.0) == (
        "gap 0.50 → 0.00; level held below the target by a critical practice"
    )
    # a row that carries a note of its own on the baseline (as a template's rows may)
    noted = SimpleNamespace(**alpha.model_dump(), progress_note="capped")  # type: ignore[attr-defined]
    assert sections.gap_words(comparison, noted, 0.5, 0.25) == "gap 0.50 → 0.25 (baseline: capped)"
    assert sections.gap_words(comparison, noted, None, 0.25) == "capped"


def test_the_change_section_words_rows_without_words_of_their_own() -> None:
    comparison = _comparison()
    for row in comparison.domains:
        row.against_target = ""  # a comparison written before it carried its words
    change = sections.change(comparison)
    by_id = {row["id"]: row for row in change["rows"]}
    assert by_id["alpha"]["gap_text"] == "gap 1.50 → 0.50"
    assert by_id["beta"]["gap_text"] == "gap 2.00 → 2.25, further from target by 0.25"
    assert by_id["gamma"]["gap_text"] == "target already met"
    assert by_id["beta"]["direction"] == "down"
    assert change["baseline_date"] == "2025-11-01"
