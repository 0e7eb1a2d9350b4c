"""The training illusion and the evidence sentence (SPEC section 9.1): they appear exactly
when their rule holds, in the summary and the domain table of both report formats."""

from __future__ import annotations

import pytest

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.reports.render import render_report
from tra_assess.reports.summary import evidence_sentence, evidence_text, illusion_sentence
from tra_assess.results.model import DomainResult, Results

ILLUSION = "Training has been delivered; practice has not yet changed"


def _with_others(meeting: int, behind: int, *, training_meets: bool = True) -> Results:
    """A training domain and ``meeting`` + ``behind`` other scored domains."""
    results = make_results(grouped=False)
    template = results.domains[2]  # gamma: scored, meets the target
    domains = [
        template.model_copy(update={"id": "learn", "title": "Learning", "kind": "training",
                                    "meets_target": training_meets})
    ]
    for i in range(meeting):
        domains.append(template.model_copy(update={"id": f"ok{i}", "title": f"Ok {i}"}))
    for i in range(behind):
        domains.append(
            template.model_copy(update={"id": f"no{i}", "title": f"Behind {i}",
                                        "meets_target": False, "level": "mid"})
        )
    results.domains = domains
    return results


@pytest.mark.parametrize(
    ("meeting", "behind", "shown"),
    [(2, 2, True), (3, 1, False), (1, 2, True), (0, 1, True), (1, 0, False), (3, 3, True),
     (4, 3, False)],
)
def test_illusion_exactly_when_half_or_more_are_behind(
    meeting: int, behind: int, shown: bool
) -> None:
    text = illusion_sentence(_with_others(meeting, behind))
    assert text.startswith(ILLUSION) is shown
    if shown and meeting:
        assert f"{behind} of the {meeting + behind} other scored domains do not" in text
    elif shown and behind > 1:
        assert f"none of the {behind} other scored domains does" in text
    elif shown:
        assert "but the other scored domain does not (Behind 0)" in text


def test_no_illusion_when_training_misses_the_target_or_has_no_others() -> None:
    assert illusion_sentence(_with_others(0, 3, training_meets=False)) == ""
    assert illusion_sentence(_with_others(0, 0)) == ""


def test_unscored_domains_do_not_count_as_others() -> None:
    results = _with_others(2, 1)
    assert illusion_sentence(results) == ""  # 1 of 3 behind
    results.domains.append(
        DomainResult(id="x", title="Unscored", score=None, level=None, level_by_score=None,
                     status="insufficient", coverage=0.2, gap=None, meets_target=None, sd=None,
                     unknown_rate=None)
    )
    assert illusion_sentence(results) == ""  # still 1 of 3 scored


def test_the_domain_with_id_training_counts_without_a_kind() -> None:
    results = _with_others(1, 1)
    results.domains[0].kind = "practice"
    assert illusion_sentence(results) == ""
    results.domains[0].id = "training"
    assert illusion_sentence(results).startswith(ILLUSION)


def test_illusion_in_both_reports() -> None:
    results = _with_others(1, 2)
    for fmt in ("md", "html"):
        assert ILLUSION in render_report(results, fmt=fmt)  # type: ignore[arg-type]
    plain = _with_others(3, 1)
    for fmt in ("md", "html"):
        assert ILLUSION not in render_report(plain, fmt=fmt)  # type: ignore[arg-type]


def _evidenced() -> Results:
    results = make_results(grouped=False)
    results.evidence_counted = True
    alpha, _, gamma = results.domains
    alpha.evidenced, alpha.claimed, alpha.evidenced_share = 2, 8, 0.25
    gamma.evidenced, gamma.claimed, gamma.evidenced_share = 5, 11, 5 / 11
    return results


def test_evidence_sentence_and_table() -> None:
    results = _evidenced()
    assert evidence_sentence(results) == (
        "7 of 19 ratings of High practice or above cite evidence (37%); the rest are claims "
        "without a note; in the domains that meet the target: Gamma practices 5 of 11."
    )
    assert [evidence_text(d) for d in results.domains] == ["2 of 8 (25%)", "—", "5 of 11 (45%)"]
    md = render_report(results, fmt="md")
    assert "7 of 19 ratings of High practice or above cite evidence" in md
    assert "| low (SD 1.25) | 2 of 8 (25%) |" in md
    html = render_report(results, fmt="html")
    assert '<td class="num">5 of 11 (45%)</td>' in html


def test_a_small_share_is_not_shown_as_none() -> None:
    results = _evidenced()
    alpha = results.domains[0]
    alpha.evidenced, alpha.claimed, alpha.evidenced_share = 3, 1709, 3 / 1709
    assert evidence_text(alpha) == "3 of 1,709 (under 1%)"


def test_no_evidence_sentence_for_files_that_did_not_count_it() -> None:
    results = _evidenced()
    results.evidence_counted = False
    assert evidence_sentence(results) == ""
