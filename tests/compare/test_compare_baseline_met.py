""""target already met" only when the baseline met the target level, not only its score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def test_gap_then_and_now_per_baseline_row() -> None:
    base, follow = _docs()
    comparison = compare_results(as_results(base), as_results(follow))
    rows = {d.id: d for d in comparison.domains}
    got = {did: (row.target_already_met, row.against_target) for did, row in rows.items()}
    assert got == {
        "alpha": (False, "target reached"),  # capped at baseline although its score was 3.0
        "beta": (False, "target reached"),  # no baseline level
        "gamma": (False, "gap 1.50 → 0.50"),
        "delta": (False, "no baseline score"),
        "epsilon": (True, "target met then and now"),
    }
    assert (rows["gamma"].baseline_gap, rows["gamma"].followup_gap) == (1.5, 0.5)
    overall = comparison.overall
    assert (overall.target_already_met, overall.against_target) == (
        False, "gap 0.00 → 0.00; level still below target",
    )


def test_overall_that_met_the_target_is_already_met() -> None:
    base, follow = _docs()
    base["overall"].update(level="high", meets_target=True)
    follow["overall"].update(level="high", meets_target=True)
    overall = compare_results(as_results(base), as_results(follow)).overall
    assert (overall.target_already_met, overall.against_target) == (
        True, "target met then and now",
    )


def test_overall_that_met_the_target_and_lost_it_says_so() -> None:
    base, follow = _docs()  # the follow-up's overall level is Middle: below the target
    base["overall"].update(level="high", meets_target=True)
    overall = compare_results(as_results(base), as_results(follow)).overall
    assert (overall.target_already_met, overall.followup_meets_target,
            overall.against_target) == (True, False, "target lost: gap 0.00 → 0.00")


def test_other_target_ranks_the_baseline_level() -> None:
    base, follow = _docs()
    rows = {d.id: d for d in compare_results(as_results(base), as_results(follow), "mid").domains}
    assert rows["alpha"].target_already_met is True  # Middle meets a Middle target
    assert rows["alpha"].against_target == "target met then and now"
    assert rows["gamma"].against_target == "target reached"
    rows = {d.id: d for d in compare_results(as_results(base), as_results(follow), "top").domains}
    assert rows["epsilon"].target_already_met is False  # High is below Top
    assert rows["epsilon"].against_target == "target reached"
    assert rows["gamma"].against_target == "gap 2.50 → 1.50"


def test_other_target_does_not_count_a_domain_with_an_unverified_item_as_met() -> None:
    base, follow = _docs()
    for d in follow["domains"]:
        if d["id"] == "epsilon":
            d["unverified"] = ["epsilon.two"]
    rows = {d.id: d for d in compare_results(as_results(base), as_results(follow), "mid").domains}
    assert rows["epsilon"].against_target == "target lost: gap 0.00 → 0.00"


def test_compare_cli_json_and_markdown(runner: CliRunner, tmp_path: Path) -> None:
    base, follow = _docs()
    paths = []
    for name, doc in (("base.json", base), ("follow.json", follow)):
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = runner.invoke(app, ["compare", *paths, "--format", "json"])
    assert result.exit_code == 0, result.output
    alpha = json.loads(result.stdout)["domains"][0]
    assert (alpha["target_already_met"], alpha["against_target"]) == (False, "target reached")
    assert "progress_to_target" not in alpha
    result = runner.invoke(app, ["compare", *paths, "--format", "md"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "| Alpha practices | 3.00 | 3.50 | +0.50 | Middle → Top (+2) | target reached |" in lines
    assert "| Delta | — | 2.00 | — | insufficient → Middle | no baseline score |" in lines
    assert "| **Overall** | 2.60 | 3.00 | +0.40 | Low → Middle (+1) | gap 0.00 → 0.00; level " \
        "still below target |" in lines
    assert "| Epsilon | 3.00 | 3.50 | +0.50 | High → Top (+1) | target met then and now |" in lines
    assert "%" not in result.stdout


def test_report_baseline_capped_domain() -> None:
    baseline = make_results(scores=(3.0, 0.5, 3.25))  # alpha 3.0 but capped to Middle
    baseline.overall.meets_target = False
    text = render_report(make_results(), fmt="md", baseline=baseline)
    # the score fell from the target score to 0.50 below it: in words, not -inf %
    assert "| Alpha practices | 3.00 | 2.00 | -1.00 | Middle | further from target by 0.50 |" \
        in text
    assert "| Gamma practices | 3.25 | 3.00 | -0.25 | High | target met then and now |" in text
    assert "| Beta practices | 0.50 | 0.75 | +0.25 | Low | gap 2.00 → 1.75 |" in text
