""""target already met" only when the baseline met the target level, not only its score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compare_helpers import as_results, results_doc
from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.cli.app import app
from tra_assess.compare.change import compare_results
from tra_assess.reports.render import render_report


def _docs() -> tuple[dict[str, Any], dict[str, Any]]:
    """Baseline: alpha 3.0 capped to Middle by a critical item; beta 3.0 insufficient
    (no level); gamma 1.0 insufficient; delta insufficient with no score; epsilon High and
    meeting the target. Overall 2.6, level Low (weakest domain), not meeting the target."""
    scores = {"alpha": 3.0, "beta": 3.0, "gamma": 1.0, "delta": None, "epsilon": 3.0}
    items = {"alpha.one": 3.0, "beta.one": 3.0, "gamma.one": 1.0, "epsilon.one": 3.0}
    base = results_doc(scores, items, overall=2.6)
    rows = {d["id"]: d for d in base["domains"]}
    rows["alpha"].update(level="mid", capped_by=["alpha.two"], meets_target=False)
    for did in ("beta", "gamma"):
        rows[did].update(status="insufficient", level=None, level_by_score=None,
                         coverage=0.25, gap=None, meets_target=None)
    base["overall"].update(level="low", meets_target=False)
    follow = results_doc(
        {"alpha": 3.5, "beta": 3.5, "gamma": 2.0, "delta": 2.0, "epsilon": 3.5},
        {"alpha.one": 3.5, "beta.one": 3.5, "gamma.one": 2.0, "epsilon.one": 3.5},
        overall=3.0, assessed_on="2026-05-01",
    )
    return base, follow


def test_notes_and_progress_per_baseline_row() -> None:
    base, follow = _docs()
    comparison = compare_results(as_results(base), as_results(follow))
    rows = {d.id: d for d in comparison.domains}
    got = {
        did: (row.progress_to_target, row.target_already_met, row.progress_note)
        for did, row in rows.items()
    }
    assert got == {
        "alpha": (None, False, "score at target; level capped"),
        "beta": (None, False, "score at target; no baseline level"),
        "gamma": (pytest.approx((2.0 - 1.0) / (2.5 - 1.0)), False, None),
        "delta": (None, False, "no baseline score"),
        "epsilon": (None, True, "target already met"),
    }
    overall = comparison.overall
    assert (overall.progress_to_target, overall.target_already_met, overall.progress_note) == (
        None, False, "score at target; level capped by the weakest domain",
    )


def test_overall_that_met_the_target_is_already_met() -> None:
    base, follow = _docs()
    base["overall"].update(level="high", meets_target=True)
    follow["overall"].update(level="high", meets_target=True)
    overall = compare_results(as_results(base), as_results(follow)).overall
    assert (overall.progress_to_target, overall.target_already_met, overall.progress_note) == (
        None, True, "target already met",
    )


def test_overall_that_met_the_target_and_lost_it_says_so() -> None:
    base, follow = _docs()  # the follow-up's overall level is Middle: below the target
    base["overall"].update(level="high", meets_target=True)
    overall = compare_results(as_results(base), as_results(follow)).overall
    assert (overall.progress_to_target, overall.target_already_met,
            overall.followup_meets_target, overall.progress_note) == (
        None, True, False, "met at baseline, now below target",
    )


def test_other_target_ranks_the_baseline_level() -> None:
    base, follow = _docs()
    rows = {d.id: d for d in compare_results(as_results(base), as_results(follow), "mid").domains}
    assert rows["alpha"].target_already_met is True  # Middle meets a Middle target
    assert rows["beta"].progress_note == "score at target; no baseline level"
    assert rows["gamma"].progress_to_target == pytest.approx(1.0 / 0.5)
    rows = {d.id: d for d in compare_results(as_results(base), as_results(follow), "top").domains}
    assert rows["epsilon"].target_already_met is False  # High is below Top
    assert rows["epsilon"].progress_to_target == pytest.approx(0.5 / 0.5)


def test_compare_cli_json_and_markdown(runner: CliRunner, tmp_path: Path) -> None:
    base, follow = _docs()
    paths = []
    for name, doc in (("base.json", base), ("follow.json", follow)):
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = runner.invoke(app, ["compare", *paths, "--format", "json"])
    assert result.exit_code == 0, result.output
    alpha = json.loads(result.stdout)["domains"][0]
    assert (alpha["progress_to_target"], alpha["target_already_met"], alpha["progress_note"]) == (
        None, False, "score at target; level capped",
    )
    result = runner.invoke(app, ["compare", *paths, "--format", "md"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "| Alpha practices | 3.00 | 3.50 | +0.50 | Middle → Top (+2) | score at target; " \
        "level capped |" in lines
    assert "| Delta | — | 2.00 | — | insufficient → Middle | no baseline score |" in lines
    assert "| **Overall** | 2.60 | 3.00 | +0.40 | Low → Middle (+1) | score at target; level " \
        "capped by the weakest domain |" in lines
    assert "| Epsilon | 3.00 | 3.50 | +0.50 | High → Top (+1) | target already met |" in lines
    assert result.stdout.count("target already met") == 1


def test_report_baseline_capped_domain() -> None:
    baseline = make_results(scores=(3.0, 0.5, 3.25))  # alpha 3.0 but capped to Middle
    baseline.overall.meets_target = False
    text = render_report(make_results(), fmt="md", baseline=baseline)
    assert ("| Alpha practices | 3.00 | 2.00 | -1.00 | Middle | gap 0.00 → 0.50, further from "
            "target by 0.50 (baseline: score at target; level capped) |") in text
    assert "| Gamma practices | 3.25 | 3.00 | -0.25 | High | target already met |" in text
